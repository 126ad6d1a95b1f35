"""Funded programmes: reports pages (being built)."""

urlpatterns: list = []
