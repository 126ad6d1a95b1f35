"""Write-path scenarios for budgets (collected by tests/core/test_write_path.py)."""

from decimal import Decimal

from tests.core.scenario import Scenario
from tests.programmes import factories as f
from vrhub.programmes.services import budgets

INCOME = {"source": "Home Office", "amount": "£12,500.50", "ring_fenced": True, "conditions": "Ring-fenced"}


def _budget(w):
    budget = f.BudgetFactory(owner=w.havering, year=2020)
    f.IncomeLineFactory(budget=budget, source="VRU grant", amount=Decimal("1000"))
    f.SpendLineFactory(budget=budget, category="Youth work", amount=Decimal("1000"))
    return budget


def _income_change(w):
    budget = _budget(w)
    line = budget.income.get()
    data = {**INCOME, "source": "VRU grant"}
    return lambda: budgets.income_line_save(budget=budget, user=w.editor, data=data, line=line, version=budget.version)


def _spend_change(w):
    budget = _budget(w)
    line = budget.spend.get()
    data = {"category": "Youth work", "amount": "900"}
    return lambda: budgets.spend_line_save(budget=budget, user=w.editor, data=data, line=line, version=budget.version)


def _line_delete(w):
    budget = _budget(w)
    line = budget.spend.get()
    return lambda: budgets.line_delete(budget=budget, user=w.editor, line=line, version=budget.version)


def _commitment(w):
    return f.CommitmentFactory(owner=w.havering, source="VRU grant", year=2021, amount=Decimal("5000"))


COMMITTED = {"funder": "The VRU", "source": "VRU grant", "year": "2021", "amount": "6,000"}

SCENARIOS = {
    "programmes.budgets.budget_create": Scenario(
        lambda w: lambda: budgets.budget_create(owner=w.havering, year=2021, user=w.editor), actor="editor"
    ),
    "programmes.budgets.budget_update": Scenario(
        lambda w: (
            lambda b: (
                lambda: budgets.budget_update(
                    budget=b, user=w.editor, data={"stated_income_total": "1,000.00", "notes": "N"}, version=b.version
                )
            )
        )(_budget(w)),
        actor="editor",
    ),
    "programmes.budgets.income_line_save": Scenario(_income_change, actor="editor"),
    "programmes.budgets.spend_line_save": Scenario(_spend_change, actor="editor"),
    "programmes.budgets.line_delete": Scenario(_line_delete, actor="editor"),
    "programmes.budgets.commitment_save": Scenario(
        lambda w: (
            lambda c: lambda: budgets.commitment_save(owner=w.havering, user=w.editor, data=COMMITTED, commitment=c)
        )(_commitment(w)),
        actor="editor",
    ),
    "programmes.budgets.commitment_delete": Scenario(
        lambda w: (lambda c: lambda: budgets.commitment_delete(commitment=c, user=w.editor))(_commitment(w)),
        actor="editor",
    ),
}
