"""Funded programmes: evaluation pages (being built)."""

urlpatterns: list = []
