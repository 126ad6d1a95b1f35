"""Funded programmes: logic pages (being built)."""

urlpatterns: list = []
