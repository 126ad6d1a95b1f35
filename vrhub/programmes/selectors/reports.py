"""The programmes report of a VRU for one financial year, as the person asking may see it: tables of figures,
each with its unit, source and period, shared by the page, the PDF and the DOCX.

Rules (each stated in the report's notes):
* the programmes are those the person may see (``access.programmes_visible_to``) of their VRU; a programme
  is in a year's report when it has an amount for the year or a monitoring return for it;
* amounts are ``figures.programme_amounts``; a programme with no amount for the year is "No data" and adds
  nothing to any sum; a group of programmes none of which has an amount is "No data", never £0;
* by borough (area served): a VRU-wide programme counts once under "London-wide (all boroughs)"; a programme
  serving several named areas is split equally between them (to the penny, the odd pennies going to the
  first areas in alphabetical order), so the borough table adds up to the total; one with no area recorded
  counts under "Area not recorded";
* by objective: a programme linked to several objectives counts in full under each, so those rows overlap;
  the last row counts each programme once;
* reach is ``figures.reach_by_programme`` (the year's quarters summed); cost per person reached directly is
  ``figures.cost_per_person``; overall, the amounts of the programmes that reported people reached directly,
  divided by those people;
* the budget tables are the VRU's own budget for the year (``figures.budget_totals``) with the totals as
  published and the differences.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from vrhub.core.words import date_words
from vrhub.programmes.catalogue import AgeBand, year_label
from vrhub.programmes.models import Budget, LogicNode, MonitoringReturn, Programme, ProgrammeAmount
from vrhub.programmes.selectors import access
from vrhub.programmes.selectors.figures import (
    ZERO,
    budget_totals,
    cost_per_person,
    programme_amounts,
    reach,
    reach_by_programme,
)
from vrhub.programmes.selectors.logic import pounds


def vru_wide(vru) -> str:
    """The row of the programmes that serve all of a VRU's areas: "London-wide (all boroughs)" for London."""
    return f"{vru.place_name}-wide (all boroughs)"


NO_AREA = "Area not recorded"
NOT_RECORDED = "Not recorded"
NO_THEME = "No theme recorded"
NO_OBJECTIVE = "Not linked to an objective"
NOT_REPORTED = "Not reported"
ESTIMATED = "(includes an estimated split between years)"
PENNY = Decimal("0.01")


@dataclass
class Row:
    cells: list[str]
    synthetic: bool = False
    total: bool = False


@dataclass
class Table:
    key: str
    title: str
    unit: str
    source: str
    period: str
    header: list[str]
    rows: list[Row] = field(default_factory=list)
    note: str = ""
    numeric_from: int = 1

    @property
    def caption(self) -> str:
        return f"{self.title}. Unit: {self.unit}. Source: {self.source}. Period: {self.period}."


@dataclass
class Report:
    vru_name: str
    vru_code: str
    year: int
    sees_all: bool
    synthetic: bool
    programmes: int
    tables: list[Table]
    notes: list[str]
    generated_on: str

    @property
    def year_label(self) -> str:
        return year_label(self.year)

    @property
    def title(self) -> str:
        return f"Funded programmes report {self.year_label}: {self.vru_name}"

    @property
    def file_stem(self) -> str:
        return f"programmes-report-{self.vru_code.lower()}-{self.year}"


def people(n: int | None) -> str:
    return NOT_REPORTED if n is None else f"{n:,}"


def split_equally(amount: Decimal, names: list[str]) -> dict[str, Decimal]:
    """``amount`` split equally between ``names`` to the penny; the odd pennies to the first names in
    alphabetical order, so the parts add up to ``amount`` exactly."""
    names = sorted(names)
    pence = int((amount * 100).to_integral_value())
    base, odd = divmod(pence, len(names))
    return {name: Decimal(base + (1 if i < odd else 0)) / 100 for i, name in enumerate(names)}


def _sum_row(label: str, items: list[tuple[Decimal | None, bool]]) -> Row:
    """A row: the label, how many programmes have an amount, and their total ("No data" when none has)."""
    amounts = [a for a, _ in items if a is not None]
    return Row(
        [label, f"{len(items):,}", pounds(sum(amounts, ZERO) if amounts else None)],
        synthetic=any(s for _, s in items),
    )


def _grouped(title: str, key: str, heading: str, groups: dict[str, list], *, source: str, period: str, total=True):
    table = Table(key, title, "£ (programmes: number)", source, period, [heading, "Programmes", "Amount"])
    for name in sorted(groups, key=lambda n: (n in (NOT_RECORDED, NO_THEME), n.lower())):
        table.rows.append(_sum_row(name, groups[name]))
    if total:
        everything = [item for items in groups.values() for item in items]
        row = _sum_row("Total", everything)
        row.total = True
        table.rows.append(row)
    return table


def programme_report(*, user, year: int) -> Report:
    vru = access.logic_model_vru_for(user=user)
    year = access.checked_year(year)
    period = year_label(year)
    source = f"vrhub programme records, {vru.name}, monitoring returns"
    visible = access.programmes_visible_to(user=user).filter(vru=vru)
    in_year = list(
        visible.filter(Q(amounts__year=year) | Q(returns__year=year))
        .distinct()
        .select_related("theme")
        .prefetch_related("areas", "objectives")
        .order_by("reference")
    )
    amounts = programme_amounts(programmes=in_year, year=year)
    tables: list[Table] = []

    # Every year (the programmes the person sees, over all their years).
    by_year = Table(
        "by_year",
        "Programme amounts by financial year",
        "£ (programmes: number)",
        f"vrhub programme records, {vru.name}",
        "every year recorded",
        ["Financial year", "Programmes", "Amount"],
    )
    year_rows: dict[int, list] = defaultdict(list)
    estimated_years: set[int] = set()
    rows = ProgrammeAmount.objects.filter(programme__in=visible)
    for row_year, amount, estimated, synthetic in rows.values_list(
        "year", "amount", "estimated", "programme__synthetic"
    ):
        year_rows[row_year].append((amount, synthetic))
        if estimated:
            estimated_years.add(row_year)
    for y in sorted(year_rows):
        label = year_label(y) + (f" {ESTIMATED}" if y in estimated_years else "")
        by_year.rows.append(_sum_row(label, year_rows[y]))
    if estimated_years:
        by_year.note = (
            f"Rows marked {ESTIMATED} include amounts whose split between years is an estimate: the source "
            "gives only the programme's total over several years."
        )
    if not year_rows:
        by_year.rows.append(Row(["No data", "No data", "No data"]))
    tables.append(by_year)

    def item(p: Programme, amount: Decimal | None = None) -> tuple[Decimal | None, bool]:
        return (amounts.get(p.pk) if amount is None else amount, p.synthetic)

    groups: dict[str, list] = defaultdict(list)
    for p in in_year:
        groups[p.funding_source or NOT_RECORDED].append(item(p))
    tables.append(
        _grouped("Amounts by funding source", "by_source", "Funding source", groups, source=source, period=period)
    )
    groups = defaultdict(list)
    for p in in_year:
        groups[p.spend_category or NOT_RECORDED].append(item(p))
    tables.append(
        _grouped("Amounts by spend category", "by_category", "Spend category", groups, source=source, period=period)
    )

    # Boroughs: VRU-wide once; several named areas split equally.
    wide = vru_wide(vru)
    borough: dict[str, list] = defaultdict(list)
    for p in in_year:
        amount = amounts.get(p.pk)
        names = sorted(a.name for a in p.areas.all())
        if p.all_areas:
            borough[wide].append(item(p))
        elif not names:
            borough[NO_AREA].append(item(p))
        elif amount is None:
            for name in names:
                borough[name].append((None, p.synthetic))
        else:
            for name, part in split_equally(amount, names).items():
                borough[name].append((part, p.synthetic))
    table = Table(
        "by_borough",
        "Amounts by borough (area served)",
        "£ (programmes: number)",
        source,
        period,
        ["Area served", "Programmes", "Amount"],
        note=f"A {vru.place_name}-wide programme counts once, under “{wide}”. A programme serving several "
        "named boroughs is split equally between them (to the penny), so the rows add up to the total.",
    )
    for name in sorted(borough, key=lambda n: (n != wide, n == NO_AREA, n)):
        table.rows.append(_sum_row(name, borough[name]))
    total = _sum_row("Total", [item(p) for p in in_year])
    total.total = True
    table.rows.append(total)
    tables.append(table)

    # Objectives: a programme under each of its objectives.
    objectives = list(LogicNode.objects.filter(vru=vru, level="objective").order_by("number"))
    table = Table(
        "by_objective",
        "Amounts by logic-model objective",
        "£ (programmes: number)",
        source,
        period,
        ["Objective", "Programmes", "Amount"],
        note="A programme linked to several objectives counts in full under each, so these rows overlap and do not "
        "add up; the last row counts each programme once.",
    )
    for objective in objectives:
        linked = [item(p) for p in in_year if any(o.pk == objective.pk for o in p.objectives.all())]
        table.rows.append(_sum_row(f"Objective {objective.number}: {objective.title}", linked))
    unlinked = [item(p) for p in in_year if not p.objectives.all()]
    if unlinked:
        table.rows.append(_sum_row(NO_OBJECTIVE, unlinked))
    once = _sum_row("All programmes, each counted once", [item(p) for p in in_year])
    once.total = True
    table.rows.append(once)
    tables.append(table)

    groups = defaultdict(list)
    for p in in_year:
        groups[p.theme.title if p.theme else NO_THEME].append(item(p))
    tables.append(_grouped("Amounts by action-plan theme", "by_theme", "Theme", groups, source=source, period=period))

    # Reach and cost per person.
    reached = reach_by_programme(programmes=in_year, year=year)
    table = Table(
        "reach",
        "People reached and cost per person reached directly",
        "£ and people",
        source,
        period,
        ["Programme", "Amount", "Reached directly", "Reached indirectly", "Cost per person reached directly"],
        note="Cost per person: the programme's amount for the year divided by the people it reached directly. "
        "Overall: the amounts of the programmes that reported people reached directly, divided by those people.",
    )
    paid = ZERO
    direct_people = 0
    for p in in_year:
        r = reached.get(p.pk)
        amount = amounts.get(p.pk)
        direct = r.direct if r else None
        indirect = r.indirect if r else None
        table.rows.append(
            Row(
                [
                    f"{p.reference} {p.title}" + (" (synthetic)" if p.synthetic else ""),
                    pounds(amount),
                    people(direct),
                    people(indirect),
                    pounds(cost_per_person(amount=amount, people=direct)),
                ],
                synthetic=p.synthetic,
            )
        )
        if amount is not None and direct:
            paid += amount
            direct_people += direct
    overall = reach(programmes=in_year, year=year)
    table.rows.append(
        Row(
            [
                "All programmes",
                pounds(sum(amounts.values(), ZERO) if amounts else None),
                people(overall.direct),
                people(overall.indirect),
                pounds(cost_per_person(amount=paid if direct_people else None, people=direct_people)),
            ],
            synthetic=any(p.synthetic for p in in_year),
            total=True,
        )
    )
    tables.append(table)
    ages = Table(
        "reach_by_age",
        "People reached directly by age band",
        "people",
        source,
        period,
        ["Age band", "People reached directly"],
        note="Only where returns gave ages; “Not reported” where none did.",
    )
    for band in AgeBand:
        ages.rows.append(Row([str(band.label), people(overall.by_age.get(band.value))]))
    tables.append(ages)

    # The VRU's budget.
    budget = access.budgets_visible_to(user=user).filter(owner=vru, year=year).first()
    tables.extend(_budget_tables(budget, vru_name=vru.name, period=period))

    synthetic = any(p.synthetic for p in in_year) or bool(budget and budget.synthetic)
    notes = [
        f"{len(in_year):,} programmes {'of the VRU' if access.overseen_vru(user=user) else 'you can see'} have an "
        f"amount or a monitoring return for {period}.",
        "“No data” means no figure was recorded; it is never counted as £0.",
    ]
    if not access.overseen_vru(user=user):
        notes.append(
            "These figures count only the programmes you can see: your area's own, those serving it and the "
            f"VRU's {vru.place_name}-wide programmes."
        )
    if synthetic:
        notes.append("Rows marked “synthetic” are made-up demo data, not real programmes or budgets.")
    return Report(
        vru_name=vru.name,
        vru_code=vru.code,
        year=year,
        sees_all=access.overseen_vru(user=user) is not None,
        synthetic=synthetic,
        programmes=len(in_year),
        tables=tables,
        notes=notes,
        generated_on=date_words(timezone.localdate()),
    )


def _difference(amount: Decimal | None) -> str:
    """A difference in words: "£100,000", or "£100,000 less" when the published total is below the lines'."""
    if amount is None:
        return "No data"
    return pounds(abs(amount)) + (" less" if amount < 0 else "")


def _budget_tables(budget: Budget | None, *, vru_name: str, period: str) -> list[Table]:
    source = f"vrhub budget records, {vru_name}" + (" (synthetic)" if budget and budget.synthetic else "")
    income = Table("income", "Income by source", "£", source, period, ["Source", "Amount"])
    spend = Table("expenditure", "Expenditure by category", "£", source, period, ["Category", "Amount"])
    if budget is None:
        for table in (income, spend):
            table.rows.append(Row(["No budget recorded", "No data"]))
        return [income, spend]
    totals = budget_totals(budget=budget)
    flag = budget.synthetic
    for line in totals.income:
        income.rows.append(Row([line.name, pounds(line.amount)], synthetic=flag))
    income.rows.append(Row(["Total of the lines", pounds(totals.income_total)], synthetic=flag, total=True))
    if totals.stated_income_total is not None:
        income.rows.append(Row(["Total as published", pounds(totals.stated_income_total)], synthetic=flag))
        income.rows.append(
            Row(["Difference (published less lines)", _difference(totals.income_difference)], synthetic=flag)
        )
    for line in totals.spend:
        spend.rows.append(Row([line.name, pounds(line.amount)], synthetic=flag))
    spend.rows.append(Row(["Total of the lines", pounds(totals.spend_total)], synthetic=flag, total=True))
    if totals.stated_spend_total is not None:
        spend.rows.append(Row(["Total as published", pounds(totals.stated_spend_total)], synthetic=flag))
        spend.rows.append(
            Row(["Difference (published less lines)", _difference(totals.spend_difference)], synthetic=flag)
        )
    balance = totals.balance
    spend.rows.append(
        Row(
            ["Income less expenditure (of the lines)", pounds(abs(balance)) + (" overspent" if balance < 0 else "")],
            synthetic=flag,
        )
    )
    if not totals.adds_up:
        spend.note = "The totals do not all add up: the differences are shown."
    return [income, spend]


def report_years(*, user) -> list[int]:
    """The years with programme amounts, returns or a budget the person may see, newest first."""
    vru = access.logic_model_vru_for(user=user)
    visible = access.programmes_visible_to(user=user).filter(vru=vru)
    years = set(ProgrammeAmount.objects.filter(programme__in=visible).values_list("year", flat=True))
    years |= set(MonitoringReturn.objects.filter(programme__in=visible).values_list("year", flat=True))
    years |= set(access.budgets_visible_to(user=user).filter(owner=vru).values_list("year", flat=True))
    return sorted(years, reverse=True)
