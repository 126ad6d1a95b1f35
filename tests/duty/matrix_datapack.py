"""The needs assessment data pack in the permission matrix (see test_permissions)."""

from django.urls import reverse

URLS = {
    "datapack": ("get", lambda w: reverse("duty:datapack", args=["E09000016"]), "view"),
    "datapack_post": ("post", lambda w: reverse("duty:datapack", args=["E09000016"]), "prepare"),
}
POST_DATA = {"datapack_post": {"fmt": "docx"}}
