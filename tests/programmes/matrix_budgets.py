"""Budgets in the programmes permission matrix (see test_permissions): Havering's budget ("view"/"edit"
kinds) and the VRU's ("london_view"/"vru_edit")."""

from django.urls import reverse

from tests.programmes import factories as f
from vrhub.programmes.models import Commitment


def _b(name, key="havering_budget", *extra):
    def build(w):
        budget = w[key]
        return reverse(f"programmes:{name}", args=[budget.owner.code, budget.year, *extra])

    return build


def _line(name, kind, key="havering_budget"):
    def build(w):
        budget = w[key]
        line = getattr(budget, kind).first()
        return reverse(f"programmes:{name}", args=[budget.owner.code, budget.year, line.pk])

    return build


def _commitment(name, key="havering_budget"):
    def build(w):
        budget = w[key]
        commitment = Commitment.objects.filter(owner=budget.owner).first() or f.CommitmentFactory(
            owner=budget.owner, source="Matrix source", year=2021
        )
        return reverse(f"programmes:{name}", args=[budget.owner.code, budget.year, commitment.pk])

    return build


def _version(w, key="havering_budget"):
    w[key].refresh_from_db()
    return str(w[key].version)


URLS = {
    "budget_list": ("get", lambda w: reverse("programmes:budget_list"), "front"),
    "budget_new": ("get", lambda w: reverse("programmes:budget_new"), "create"),
    "budget_detail": ("get", _b("budget_detail"), "view"),
    "budget_detail__vru": ("get", _b("budget_detail", "vru_budget"), "london_view"),
    "budget_edit": ("get", _b("budget_edit"), "edit"),
    "budget_edit__post": ("post", _b("budget_edit"), "edit"),
    "budget_edit__vru": ("get", _b("budget_edit", "vru_budget"), "vru_edit"),
    "budget_income_new": ("get", _b("budget_income_new"), "edit"),
    "budget_income_new__post": ("post", _b("budget_income_new"), "edit"),
    "budget_income_edit": ("get", _line("budget_income_edit", "income"), "edit"),
    "budget_income_remove": ("get", _line("budget_income_remove", "income"), "edit"),
    "budget_income_remove__post": ("post", _line("budget_income_remove", "income"), "edit"),
    "budget_spend_new": ("get", _b("budget_spend_new"), "edit"),
    "budget_spend_edit": ("get", _line("budget_spend_edit", "spend"), "edit"),
    "budget_spend_edit__post": ("post", _line("budget_spend_edit", "spend"), "edit"),
    "budget_spend_edit__vru": ("get", _line("budget_spend_edit", "spend", "vru_budget"), "vru_edit"),
    "budget_spend_remove": ("get", _line("budget_spend_remove", "spend"), "edit"),
    "budget_commitment_new": ("get", _b("budget_commitment_new"), "edit"),
    "budget_commitment_new__post": ("post", _b("budget_commitment_new"), "edit"),
    "budget_commitment_edit": ("get", _commitment("budget_commitment_edit"), "edit"),
    "budget_commitment_remove": ("get", _commitment("budget_commitment_remove"), "edit"),
    "budget_commitment_remove__post": ("post", _commitment("budget_commitment_remove"), "edit"),
}
POST_DATA = {
    "budget_edit__post": lambda w: {"stated_income_total": "250,000.00", "notes": "Matrix", "version": _version(w)},
    "budget_income_new__post": lambda w: {"source": "Matrix income", "amount": "£1,000.50", "version": _version(w)},
    "budget_income_remove__post": lambda w: {"version": _version(w)},
    "budget_spend_edit__post": lambda w: {"category": "Youth work", "amount": "1000", "version": _version(w)},
    "budget_commitment_new__post": {"funder": "Matrix funder", "source": "Matrix new", "year": "2022", "amount": "10"},
    "budget_commitment_remove__post": {},
}
DESTRUCTIVE = {"budget_income_remove__post", "budget_commitment_remove__post"}
