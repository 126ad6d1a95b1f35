"""Funded programmes: open_data pages (being built)."""

urlpatterns: list = []
