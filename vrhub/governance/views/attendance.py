"""Attendance, its import, and the quorum check for a meeting and each item (part C)."""

from django.urls import path

from vrhub.governance.views import todo

urlpatterns = [
    path("governance/<str:slug>/meetings/<int:pk>/attendance/", todo, name="attendance"),
    path("governance/<str:slug>/meetings/<int:pk>/quorum/", todo, name="quorum"),
]
