"""Setting up a group and its terms of reference (part A)."""

from django.urls import path

from vrhub.governance.views import todo

urlpatterns = [
    path("governance/new/group/", todo, name="group_new"),
    path("governance/<str:slug>/terms/", todo, name="group_edit"),
]
