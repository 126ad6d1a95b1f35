"""Funded programmes: returns pages (being built)."""

urlpatterns: list = []
