"""What a budget page shows: its lines, totals (from ``selectors.figures.budget_totals``, the one place they
are summed) and every difference in words, and the owner's commitments set against the budgets of their years.

A difference is stated in words, with both figures and where each comes from, so that it never rests on colour.
"""

import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal

from vrhub.programmes.catalogue import year_label
from vrhub.programmes.models import Budget, Commitment, IncomeLine
from vrhub.programmes.selectors.figures import BudgetTotals, budget_totals

MILLION = Decimal("1000000")
TENTH_OF_A_MILLION = Decimal("100000")


def commitment_fingerprint(*, commitment: Commitment) -> str:
    """A digest of a commitment as its form shows it: a save carrying an older digest is refused (the form was
    opened before a colleague's change), so that it never silently undoes that change."""
    row = [commitment.funder, commitment.source, commitment.year, str(commitment.amount), commitment.description]
    return hashlib.sha256(json.dumps(row).encode()).hexdigest()[:32]


def money_text(value: Decimal) -> str:
    """To the penny: £12,500.50."""
    return f"£{value:,.2f}"


def money_short(value: Decimal) -> str:
    """As a published table writes it where exact (£19.7m for 19,700,000); otherwise to the penny."""
    if value >= MILLION and value % TENTH_OF_A_MILLION == 0:
        return f"£{value / MILLION:,.1f}m"
    return money_text(value)


@dataclass(frozen=True)
class Difference:
    """One difference, in words: ``kind`` says which (for tests and page anchors)."""

    kind: str
    text: str
    amount: Decimal


def budget_differences(totals: BudgetTotals) -> list[Difference]:
    """Every way the budget does not add up: income against expenditure, and each published total against
    the sum of its lines. Empty when it adds up."""
    found = []
    if totals.balance:
        more, less = ("Income", "expenditure") if totals.balance > 0 else ("Expenditure", "income")
        big, small = (
            (totals.income_total, totals.spend_total)
            if totals.balance > 0
            else (totals.spend_total, totals.income_total)
        )
        found.append(
            Difference(
                "balance",
                f"{more} ({money_short(big)}, the sum of its lines) is more than {less} ({money_short(small)}, the "
                f"sum of its lines): a difference of {money_text(abs(totals.balance))}.",
                abs(totals.balance),
            )
        )
    for kind, stated, summed, difference in (
        ("income", totals.stated_income_total, totals.income_total, totals.income_difference),
        ("expenditure", totals.stated_spend_total, totals.spend_total, totals.spend_difference),
    ):
        if stated is not None and difference:
            found.append(
                Difference(
                    kind,
                    f"The published {kind} total is {money_short(stated)}; the lines add up to {money_short(summed)}: "
                    f"a difference of {money_text(abs(difference))}.",
                    abs(difference),
                )
            )
    return found


@dataclass(frozen=True)
class CommitmentRow:
    commitment: Commitment
    budget: Budget | None
    budgeted: Decimal | None  # the budget's income line for the same source, if the year has a budget
    difference: Difference | None

    @property
    def label(self) -> str:
        return year_label(self.commitment.year)


def commitments_for(*, owner_id: int) -> list[CommitmentRow]:
    """The owner's commitments by source and year, each set against the budget of its year where one exists."""
    commitments = list(Commitment.objects.filter(owner_id=owner_id).order_by("source", "year"))
    budgets = {b.year: b for b in Budget.objects.filter(owner_id=owner_id, year__in={c.year for c in commitments})}
    lines: dict[tuple[int, str], IncomeLine] = {}
    for each in IncomeLine.objects.filter(budget__in=budgets.values()).select_related("budget"):
        lines[(each.budget.year, each.source.casefold())] = each
    rows = []
    for c in commitments:
        budget = budgets.get(c.year)
        line = lines.get((c.year, c.source.casefold())) if budget is not None else None
        budgeted = line.amount if line is not None else None
        difference = None
        label = year_label(c.year)
        if budget is not None and budgeted is None:
            difference = Difference(
                "commitment",
                f"{c.funder} committed {money_short(c.amount)} of {c.source} for {label} (the commitment); the "
                f"{label} budget has no income line from {c.source}.",
                c.amount,
            )
        elif line is not None and budgeted is not None and budgeted != c.amount:
            difference = Difference(
                "commitment",
                f"{c.funder} committed {money_short(c.amount)} of {c.source} for {label} (the commitment); the "
                f"{label} budget shows {money_short(budgeted)} from {line.source} (its income line): a difference of "
                f"{money_text(abs(budgeted - c.amount))}.",
                abs(budgeted - c.amount),
            )
        rows.append(CommitmentRow(c, budget, budgeted, difference))
    return rows


@dataclass(frozen=True)
class BudgetPage:
    budget: Budget
    income: list[IncomeLine]
    spend: list
    totals: BudgetTotals
    differences: list[Difference]
    commitments: list[CommitmentRow]


def budget_page(*, budget: Budget) -> BudgetPage:
    totals = budget_totals(budget=budget)
    return BudgetPage(
        budget=budget,
        income=list(budget.income.all()),
        spend=list(budget.spend.all()),
        totals=totals,
        differences=budget_differences(totals),
        commitments=commitments_for(owner_id=budget.owner_id),
    )
