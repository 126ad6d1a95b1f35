"""The Duty's front door in the permission matrix (see test_permissions)."""

from django.urls import reverse

URLS = {
    "index": ("get", lambda w: reverse("duty:index"), "front"),
    "area": ("get", lambda w: reverse("duty:area", args=["E09000016"]), "view"),
}
