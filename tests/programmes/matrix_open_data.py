"""The signed-in open data page (360Giving) in the URL x role matrix. Its POST (the funder profile, VRU admins
only) is checked role by role in ``test_open_data_views.py``: no matrix kind is "VRU admins only"."""

from django.urls import reverse

URLS = {
    # Its staff and MOPAC prepare the VRU's open data; everyone else cannot tell the page exists.
    "open_data": ("get", lambda w: reverse("programmes:open_data"), "vru_view"),
    "open_data__year": ("get", lambda w: reverse("programmes:open_data") + "?year=2020", "vru_view"),
}
