"""The figures every part of funded programmes shows, each computed in this one place: a budget's totals and
their differences, a programme's amount, and people reached.

Rules (one place each):
* a budget's income total is the sum of its income lines, its expenditure total the sum of its spend lines;
  a difference is shown where income and expenditure differ, and where a total as published differs from
  the sum of its lines (seed 002's 2020/21 expenditure lines add to £19.6m against a published £19.7m);
* a programme's amount for a year is its ``ProgrammeAmount`` for that year (None when it has none: "no data",
  never 0); its total is the sum over every year;
* a monitoring return reports the people reached IN that quarter; a year's reach is the sum of its quarters'.
  A count no return reported is ``None`` ("Not reported"), never 0; a sum over returns of which only some
  reported a count is the sum of those that did, with ``complete`` False so pages can say so.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet, Sum

from vrhub.programmes.models import Budget, MonitoringReturn, Programme, ProgrammeAmount

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Line:
    name: str
    amount: Decimal


@dataclass(frozen=True)
class BudgetTotals:
    income: list[Line]
    spend: list[Line]
    income_total: Decimal
    spend_total: Decimal
    stated_income_total: Decimal | None
    stated_spend_total: Decimal | None

    @property
    def balance(self) -> Decimal:
        """Income less expenditure: 0 when the budget balances."""
        return self.income_total - self.spend_total

    @property
    def income_difference(self) -> Decimal | None:
        """The published income total less the sum of the income lines (None when none was published)."""
        return None if self.stated_income_total is None else self.stated_income_total - self.income_total

    @property
    def spend_difference(self) -> Decimal | None:
        return None if self.stated_spend_total is None else self.stated_spend_total - self.spend_total

    @property
    def adds_up(self) -> bool:
        return self.balance == 0 and not self.income_difference and not self.spend_difference


def budget_totals(*, budget: Budget) -> BudgetTotals:
    income = [Line(i.source, i.amount) for i in budget.income.all()]
    spend = [Line(s.category, s.amount) for s in budget.spend.all()]
    return BudgetTotals(
        income=income,
        spend=spend,
        income_total=sum((i.amount for i in income), ZERO),
        spend_total=sum((s.amount for s in spend), ZERO),
        stated_income_total=budget.stated_income_total,
        stated_spend_total=budget.stated_expenditure_total,
    )


def programme_amounts(
    *, programmes: QuerySet[Programme] | Iterable[Programme], year: int | None = None
) -> dict[int, Decimal]:
    """``{programme pk: amount}`` for ``year`` (or over every year when ``year`` is None). A programme with no
    amount for the year is absent from the result (no data), not 0."""
    pks = [p.pk for p in programmes]
    rows = ProgrammeAmount.objects.filter(programme_id__in=pks)
    if year is not None:
        rows = rows.filter(year=year)
    return {r["programme_id"]: r["total"] for r in rows.values("programme_id").annotate(total=Sum("amount"))}


@dataclass(frozen=True)
class ReturnCounts:
    """The counts of one monitoring return, read without building a model instance (fast over many returns)."""

    programme_id: int
    reached_direct: int | None
    reached_indirect: int | None
    reached_by_age: dict[str, int]


COUNT_FIELDS = ("programme_id", "reached_direct", "reached_indirect", "reached_by_age")


def _return_counts(returns: QuerySet[MonitoringReturn]):
    for row in returns.order_by("programme_id", "year", "quarter").values_list(*COUNT_FIELDS):
        yield ReturnCounts(*row)


@dataclass
class Reach:
    """People reached: ``direct``/``indirect`` None when no return reported them."""

    direct: int | None = None
    indirect: int | None = None
    by_age: dict[str, int] = field(default_factory=dict)
    returns: int = 0
    complete: bool = True  # every return counted reported both counts

    def add(self, r: "MonitoringReturn | ReturnCounts") -> None:
        self.returns += 1
        if r.reached_direct is None or r.reached_indirect is None:
            self.complete = False
        if r.reached_direct is not None:
            self.direct = (self.direct or 0) + r.reached_direct
        if r.reached_indirect is not None:
            self.indirect = (self.indirect or 0) + r.reached_indirect
        for band, count in (r.reached_by_age or {}).items():
            self.by_age[band] = self.by_age.get(band, 0) + int(count)


def reach(*, programmes: QuerySet[Programme] | Iterable[Programme], year: int | None = None) -> Reach:
    """People reached by ``programmes`` in financial ``year`` (every year when None), summed over quarters."""
    total = Reach()
    returns = MonitoringReturn.objects.filter(programme__in=[p.pk for p in programmes])
    if year is not None:
        returns = returns.filter(year=year)
    for r in _return_counts(returns):
        total.add(r)
    return total


def reach_by_programme(
    *, programmes: QuerySet[Programme] | Iterable[Programme], year: int | None = None
) -> dict[int, Reach]:
    """``{programme pk: Reach}`` for the programmes with at least one return in ``year``."""
    found: dict[int, Reach] = {}
    returns = MonitoringReturn.objects.filter(programme__in=[p.pk for p in programmes])
    if year is not None:
        returns = returns.filter(year=year)
    for r in _return_counts(returns):
        found.setdefault(r.programme_id, Reach()).add(r)
    return found


def cost_per_person(*, amount: Decimal | None, people: int | None) -> Decimal | None:
    """Pounds per person reached directly, to the penny: None (no data) when either is unknown or no one was
    reached."""
    if amount is None or not people:
        return None
    return (amount / Decimal(people)).quantize(Decimal("0.01"))
