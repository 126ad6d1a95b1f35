"""Public pages for funded programmes: a VRU's published grants as 360Giving open data (being built)."""

urlpatterns: list = []
