"""Placeholder: replaced by the monitoring view."""

from django.http import HttpResponse
from django.urls import path


def _todo(request):
    return HttpResponse("Not built yet", status=501)


urlpatterns = [
    path("duty/monitoring/", _todo, name="monitoring"),
]
