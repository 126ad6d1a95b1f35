"""Meetings, agenda items and papers, minutes, dissent, publication (part B)."""

from django.urls import path

from vrhub.governance.views import todo

urlpatterns = [
    path("governance/<str:slug>/meetings/new/", todo, name="meeting_new"),
    path("governance/<str:slug>/meetings/<int:pk>/", todo, name="meeting"),
]
