"""Budget services: money in pounds and pence, limits naming the field, unique names, the labour split, the
stale-form check, permissions, nothing partial saved, every change audited (old -> new)."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.programmes import factories as f
from vrhub.core.models import AuditEntry
from vrhub.programmes.catalogue import MONEY_MAX, NAME_MAX
from vrhub.programmes.models import Budget, Commitment, IncomeLine, SpendLine
from vrhub.programmes.services import budgets as services

pytestmark = pytest.mark.django_db


@pytest.fixture
def budget(havering):
    return f.BudgetFactory(owner=havering, year=2020)


def _errors(call) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


def _income(budget, editor, **data):
    budget.refresh_from_db()
    return services.income_line_save(budget=budget, user=editor, data=data, version=budget.version)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("12500.50", "12500.50"), ("12,500.50", "12500.50"), ("£12,500.50", "12500.50"), ("£ 7", "7.00"),
     ("1,000,000", "1000000.00"), (str(MONEY_MAX), str(MONEY_MAX))],
)  # fmt: skip
def test_amounts_in_pounds_and_pence_are_accepted(budget, editor, typed, stored):
    line = _income(budget, editor, source="Home Office", amount=typed)
    line.refresh_from_db()
    assert line.amount == Decimal(stored)


@pytest.mark.parametrize(
    ("typed", "words"),
    [("-5", "must not be negative"), ("£-5", "must not be negative"), ("1.234", "at most 2 decimal places"),
     ("10000000000.00", "at most £9,999,999,999.99"), ("12,50", "pounds and pence"), ("ten", "pounds and pence"),
     ("1e5", "pounds and pence"), ("", "Enter the amount")],
)  # fmt: skip
def test_bad_amounts_are_refused_naming_the_field(budget, editor, typed, words):
    errors = _errors(lambda: _income(budget, editor, source="Home Office", amount=typed))
    assert list(errors) == ["amount"]
    assert words in errors["amount"][0]
    assert not IncomeLine.objects.exists()


def test_labour_and_non_labour_must_not_exceed_the_amount(budget, editor):
    errors = _errors(
        lambda: _income(budget, editor, source="Duty grant", amount="100", labour_amount="60", non_labour_amount="50")
    )
    assert "more than the amount (£100.00)" in errors["labour_amount"][0]
    line = _income(budget, editor, source="Duty grant", amount="100", labour_amount="60", non_labour_amount="40")
    assert (line.labour_amount, line.non_labour_amount) == (Decimal("60.00"), Decimal("40.00"))


def test_names_are_unique_per_budget_whatever_their_case(budget, editor, havering):
    _income(budget, editor, source="Home Office", amount="1")
    errors = _errors(lambda: _income(budget, editor, source="home office", amount="2"))
    assert "already has a source called 'home office'" in errors["source"][0]
    budget.refresh_from_db()
    services.spend_line_save(
        budget=budget, user=editor, data={"category": "Youth", "amount": "1"}, version=budget.version
    )
    budget.refresh_from_db()
    errors = _errors(
        lambda: services.spend_line_save(
            budget=budget, user=editor, data={"category": "YOUTH", "amount": "1"}, version=budget.version
        )
    )
    assert "category" in errors
    # Another budget may use the same names.
    other = f.BudgetFactory(owner=havering, year=2021)
    services.income_line_save(budget=other, user=editor, data={"source": "Home Office", "amount": "1"}, version=1)


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [({"source": "x" * (NAME_MAX + 1)}, "source", f"{NAME_MAX} characters or fewer"),
     ({"source": "Home\x00Office"}, "source", "NUL"),
     ({"source": "A", "conditions": "c\x00"}, "conditions", "NUL"),
     ({"source": "A", "amount": "1\x00"}, "amount", "NUL"),
     ({"source": "A", "conditions": "c" * 20_001}, "conditions", "20,000 characters or fewer")],
)  # fmt: skip
def test_lengths_and_nul_are_refused(budget, editor, data, field, words):
    errors = _errors(lambda: _income(budget, editor, **{"amount": "1", **data}))
    assert words in errors[field][0]


def test_a_stale_form_is_refused_and_nothing_saved(budget, editor):
    version = budget.version
    _income(budget, editor, source="First", amount="1")
    errors = _errors(
        lambda: services.income_line_save(
            budget=budget, user=editor, data={"source": "B", "amount": "2"}, version=version
        )
    )
    assert "Someone else changed this budget" in errors["version"][0]
    assert list(IncomeLine.objects.values_list("source", flat=True)) == ["First"]


def test_changes_are_audited_old_to_new_and_move_the_version_on(budget, editor):
    line = _income(budget, editor, source="Home Office", amount="100")
    budget.refresh_from_db()
    assert budget.version == 2
    services.income_line_save(
        budget=budget, user=editor, data={"source": "Home Office", "amount": "£150.50"}, line=line, version=2
    )
    entry = AuditEntry.objects.get(object_type="programmes.incomeline", field="amount", action="update")
    assert (entry.old, entry.new, entry.actor) == ("100.00", "150.50", editor)
    budget.refresh_from_db()
    services.line_delete(budget=budget, user=editor, line=line, version=budget.version)
    assert not IncomeLine.objects.exists()
    assert AuditEntry.objects.filter(object_type="programmes.incomeline", action="delete", object_id=str(line.pk))


def test_budget_update_and_create(budget, editor, havering):
    services.budget_update(
        budget=budget,
        user=editor,
        data={"stated_income_total": "£19,700,000", "stated_expenditure_total": "", "notes": "From the report"},
        version=1,
    )
    budget.refresh_from_db()
    assert (budget.stated_income_total, budget.stated_expenditure_total, budget.version) == (
        Decimal("19700000.00"),
        None,
        2,
    )
    errors = _errors(lambda: services.budget_create(owner=havering, year=2020, user=editor))
    assert "already has a budget for 2020/21" in errors["year"][0]
    errors = _errors(lambda: services.budget_create(owner=havering, year=1999, user=editor))
    assert "between 2000 and 2100" in errors["year"][0]
    made = services.budget_create(owner=havering, year=2021, user=editor)
    assert (made.vru, made.year) == (havering.vru, 2021)


def test_only_the_owners_editors_change_it(budget, lambeth_editor, lambeth, havering):
    with pytest.raises(PermissionDenied):
        services.income_line_save(budget=budget, user=lambeth_editor, data={"source": "A", "amount": "1"}, version=1)
    with pytest.raises(PermissionDenied):
        services.budget_create(owner=havering, year=2022, user=lambeth_editor)
    with pytest.raises(PermissionDenied):
        services.commitment_save(owner=havering, user=lambeth_editor, data={})
    assert not Budget.objects.filter(year=2022).exists()


def test_commitments(editor, havering):
    data = {"funder": "The Mayor", "source": "Growth", "year": "2021", "amount": "4,000,000"}
    made = services.commitment_save(owner=havering, user=editor, data=data)
    assert (made.year, made.amount, made.vru) == (2021, Decimal("4000000.00"), havering.vru)
    errors = _errors(lambda: services.commitment_save(owner=havering, user=editor, data={**data, "source": "growth"}))
    assert "already a commitment" in errors["source"][0]
    errors = _errors(
        lambda: services.commitment_save(owner=havering, user=editor, data={**data, "year": "", "amount": "-1"})
    )
    assert set(errors) == {"year", "amount"}
    services.commitment_save(owner=havering, user=editor, data={**data, "amount": "5000000"}, commitment=made)
    made.refresh_from_db()
    assert made.amount == Decimal("5000000.00")
    services.commitment_delete(commitment=made, user=editor)
    assert not Commitment.objects.exists()


def test_a_line_of_another_budget_cannot_be_changed_through_this_one(budget, editor, havering):
    other = f.BudgetFactory(owner=havering, year=2021)
    line = f.SpendLineFactory(budget=other, category="Theirs")
    errors = _errors(
        lambda: services.spend_line_save(
            budget=budget, user=editor, data={"category": "Mine", "amount": "1"}, line=line, version=1
        )
    )
    assert "version" in errors
    assert SpendLine.objects.get(pk=line.pk).category == "Theirs"


@pytest.mark.parametrize("typed", ["1e9", "1,50", "١٣٠٠٠", "13_000", "NaN", "-0.00", "10.001"])
def test_one_money_rule_for_budgets_programmes_and_returns(typed):
    """Budget lines, programme amounts and returns' spend read an amount by the same rule (programmes.money)."""
    from vrhub.programmes.checks_programmes import money
    from vrhub.programmes.returns_rules import parse_money as return_money
    from vrhub.programmes.services.budgets import _parse_money as budget_money

    errors: dict[str, str] = {}
    assert money(typed, "amount", "Amount", errors) is None
    with pytest.raises(ValueError) as budget_error:
        budget_money(typed, label="Amount")
    with pytest.raises(ValueError) as return_error:
        return_money(typed, label="Amount")
    assert errors["amount"] == str(budget_error.value) == str(return_error.value)


def test_the_money_rule_reads_grouped_pounds_and_pence_and_spreadsheet_numbers():
    from decimal import Decimal

    from vrhub.programmes.money import parse_money

    assert parse_money("£12,500.50", label="Amount") == Decimal("12500.50")
    assert parse_money(" 7600000 ", label="Amount") == Decimal("7600000.00")
    assert parse_money("", label="Amount") is None
    assert parse_money(12500.5, label="Amount", cells=True) == Decimal("12500.50")
    with pytest.raises(ValueError, match="pounds and pence"):
        parse_money(12500.5, label="Amount")  # a float from a form is not a typed amount
