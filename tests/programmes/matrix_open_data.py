"""The signed-in open data page (360Giving) in the URL x role matrix. Its POST (the funder profile, VRU admins
only) is checked role by role in ``test_open_data_views.py``: no matrix kind is "VRU admins only"."""

from django.urls import reverse

URLS = {
    # Everyone working in or with a VRU sees their own VRU's page (published programmes and the funder profile
    # only: what is or will be public); only its admins change the profile.
    "open_data": ("get", lambda w: reverse("programmes:open_data"), "front"),
    "open_data__year": ("get", lambda w: reverse("programmes:open_data") + "?year=2020", "front"),
}
