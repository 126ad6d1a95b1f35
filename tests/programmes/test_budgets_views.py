"""Budget pages: differences stated in words (never colour alone), commitments set against the budget,
editing through the forms, 404/403 through the one access rule."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.programmes import factories as f
from vrhub.programmes.models import IncomeLine

pytestmark = pytest.mark.django_db


def _url(name, budget, *extra):
    return reverse(f"programmes:{name}", args=[budget.owner.code, budget.year, *extra])


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_vru_budget_page_states_every_difference(client, programmes_world, vru_officer):
    budget = programmes_world["vru_budget"]  # income 12.6m, spend 12.6m
    budget.stated_income_total = Decimal("12600000")
    budget.stated_expenditure_total = Decimal("12700000")
    budget.save()
    f.SpendLineFactory(budget=budget, category="Reserves held", amount=Decimal("12500.50"))
    client.force_login(vru_officer)
    text = _text(client.get(_url("budget_detail", budget)))
    assert (
        "Expenditure (£12,612,500.50, the sum of its lines) is more than income (£12.6m, the sum of its lines): "
        "a difference of £12,500.50." in text
    )
    assert (
        "The published expenditure total is £12.7m; the lines add up to £12,612,500.50: a difference of £87,499.50."
        in text
    )
    assert "published income total" not in text  # it matches its lines
    assert "Warning This budget does not add up" in text  # in words, for screen readers too


def test_a_budget_that_adds_up_says_so(client, programmes_world, editor):
    client.force_login(editor)
    text = _text(client.get(_url("budget_detail", programmes_world["havering_budget"])))
    assert "It adds up: income and expenditure are both £250,000.00" in text
    assert "does not add up" not in text


def test_commitment_against_the_budget_of_its_year_states_both_sources(client, programmes_world, vru_officer, london):
    f.CommitmentFactory(owner=london, funder="Mayor of London", source="mayoral GROWTH funding", year=2020,
                        amount=Decimal("4000000"))  # fmt: skip
    f.CommitmentFactory(
        owner=london, funder="Mayor of London", source="Home Office", year=2020, amount=Decimal("7600000")
    )
    f.CommitmentFactory(owner=london, funder="Mayor of London", source="Core", year=2021, amount=Decimal("5000000"))
    client.force_login(vru_officer)
    text = _text(client.get(_url("budget_detail", programmes_world["vru_budget"])))
    assert (
        "Mayor of London committed £4.0m of mayoral GROWTH funding for 2020/21 (the commitment); the 2020/21 budget "
        "shows £5.0m from Mayoral growth funding (its income line): a difference of £1,000,000.00." in text
    )
    assert "None: the same" in text  # Home Office 7.6m both
    assert "No budget for that year" in text  # 2021


def test_editor_adds_changes_and_removes_lines_through_the_pages(client, programmes_world, editor):
    budget = programmes_world["havering_budget"]
    client.force_login(editor)
    response = client.post(
        _url("budget_income_new", budget),
        {"source": "Duty grant", "amount": "£12,500.50", "labour_amount": "10,000", "non_labour_amount": "2500.50",
         "ring_fenced": "on", "version": budget.version},
    )  # fmt: skip
    assert response.status_code == 302
    line = IncomeLine.objects.get(source="Duty grant")
    assert (line.amount, line.ring_fenced) == (Decimal("12500.50"), True)
    text = _text(client.get(_url("budget_detail", budget)))
    assert "Income (£262,500.50, the sum of its lines) is more than expenditure (£250,000.00" in text
    # A refused amount names the field on the form.
    budget.refresh_from_db()
    response = client.post(
        _url("budget_income_edit", budget, line.pk), {"source": "Duty grant", "amount": "-1", "version": budget.version}
    )
    assert response.status_code == 200
    assert "Amount must not be negative" in _text(response)
    # A stale form.
    response = client.post(
        _url("budget_income_edit", budget, line.pk), {"source": "Duty grant", "amount": "1", "version": 1}
    )
    assert "Someone else changed this budget" in _text(response)
    budget.refresh_from_db()
    response = client.post(_url("budget_income_remove", budget, line.pk), {"version": budget.version})
    assert response.status_code == 302
    assert not IncomeLine.objects.filter(pk=line.pk).exists()


def test_a_line_of_another_budget_is_not_found(client, programmes_world, editor):
    client.force_login(editor)
    other = programmes_world["lambeth_budget"].income.first()
    assert client.get(_url("budget_income_edit", programmes_world["havering_budget"], other.pk)).status_code == 404


def test_viewer_sees_no_edit_links(client, programmes_world, vru_officer):
    client.force_login(vru_officer)
    body = client.get(_url("budget_detail", programmes_world["havering_budget"])).content.decode()
    assert "Add an income line" not in body
    assert "Home Office" not in body  # Havering's own lines only


def test_list_shows_the_budgets_one_sees(client, programmes_world, editor):
    client.force_login(editor)
    text = _text(client.get(reverse("programmes:budget_list")))
    assert "Havering" in text
    assert "Lambeth" not in text
    assert "Set up a budget for Havering" in text


def test_list_says_no_data_for_a_side_without_lines(client, programmes_world, editor, havering):
    f.IncomeLineFactory(budget=f.BudgetFactory(owner=havering, year=2021), amount=Decimal("10"))
    client.force_login(editor)
    text = _text(client.get(reverse("programmes:budget_list")))
    assert "2021/22 £10.00 No data No: 1 difference" in text
