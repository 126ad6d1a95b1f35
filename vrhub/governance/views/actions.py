"""Actions arising: the carried-forward report, updates, DOCX and PDF (part D)."""

from django.urls import path

from vrhub.governance.views import todo

urlpatterns = [
    path("governance/<str:slug>/actions/", todo, name="actions"),
]
