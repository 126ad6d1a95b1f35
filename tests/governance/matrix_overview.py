"""Governance's front door and a group's page in the permission matrix (see test_permissions)."""

from django.urls import reverse

URLS = {
    "index": ("get", lambda w: reverse("governance:index"), "front"),
    "group": ("get", lambda w: reverse("governance:group", args=["havering-csp"]), "view"),
    "group_prg": ("get", lambda w: reverse("governance:group", args=["prg"]), "vru_view"),
}
