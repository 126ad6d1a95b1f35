"""Placeholder: replaced by the part's pages."""

from django.http import HttpResponse
from django.urls import path


def _todo(request, code):
    return HttpResponse("Not built yet", status=501)


urlpatterns = [
    path("duty/<str:code>/definition/", _todo, name="definition"),
]
