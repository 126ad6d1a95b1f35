"""Funded programmes: budgets pages (being built)."""

urlpatterns: list = []
