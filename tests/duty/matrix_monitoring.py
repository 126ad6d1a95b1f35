"""The monitoring view in the permission matrix (see test_permissions): VRU staff and local policing bodies,
each seeing its own VRU's areas only; everyone else 403."""

from django.urls import reverse

URLS = {
    "monitoring": ("get", lambda w: reverse("duty:monitoring"), "monitor"),
    "monitoring_csv": ("get", lambda w: reverse("duty:monitoring_csv"), "monitor"),
}
