"""Funded programmes: programmes pages (being built)."""

urlpatterns: list = []
