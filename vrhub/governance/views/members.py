"""Membership, substitutes, the register of interests and the membership import (part A)."""

from django.urls import path

from vrhub.governance.views import todo

urlpatterns = [
    path("governance/<str:slug>/members/", todo, name="members"),
    path("governance/<str:slug>/members/import/", todo, name="members_import"),
]
