"""The national view: which CSP areas of England and Wales have published plans and Serious Violence Duty
strategies, across every VRU. Published information only.

- A plan is published for an area and a year when the area's VRU has published that year
  (``transparency.Publication``) and the area has an accepted plan for it: exactly what the VRU's public page
  of the year shows (``transparency.selectors.public_plans``). Drafts, plans under review and unassigned areas'
  plans are never counted.
- A strategy is published when a version of the area's partnership's strategy is in the published state (the
  one the public strategy page shows), or, failing one of its own, when the area is covered by its VRU's
  published footprint strategy. Drafts and superseded versions are never read.

Names of people are not read at all. The reads are a fixed number of queries whatever the number of VRUs,
areas, plans and strategies (``tests/transparency/test_national.py``). This module sits in transparency's top
layer because it reads the Duty's strategies (``.importlinter``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef
from django.urls import reverse

from vrhub.duty.models import Partnership, Strategy
from vrhub.organisations.models import Boundary, Organisation
from vrhub.plans.models import Plan
from vrhub.transparency.models import Publication

# Each area's status, for the filter, the map and the totals: (value, label). In the order the legend lists them.
PLAN_AND_STRATEGY = "plan-and-strategy"
PLAN_ONLY = "plan-only"
STRATEGY_ONLY = "strategy-only"
NEITHER = "neither"
STATUSES: tuple[tuple[str, str], ...] = (
    (PLAN_AND_STRATEGY, "Published plan and strategy"),
    (PLAN_ONLY, "Published plan, no published strategy"),
    (STRATEGY_ONLY, "Published strategy, no published plan"),
    (NEITHER, "Neither published"),
)
STATUS_LABELS = dict(STATUSES)
# The filter value for areas in no VRU, and for areas with no police force area recorded.
NONE = "none"
# Sort keys of the table: (value, label).
SORTS: tuple[tuple[str, str], ...] = (
    ("area", "Area"),
    ("vru", "VRU"),
    ("police_force", "Police force area"),
    ("plan", "Latest published plan"),
    ("strategy", "Serious Violence Duty strategy"),
)


def year_label(year: int) -> str:
    """2021 as "2021/22": plans run for a financial year."""
    return f"{year}/{str(year + 1)[-2:]}"


@dataclass(frozen=True)
class PlanLink:
    """An area's published plan for a year: shown on the VRU's public page of the year."""

    vru_code: str
    year: int
    synthetic: bool

    @property
    def label(self) -> str:
        return year_label(self.year)

    @property
    def path(self) -> str:
        """The VRU's public page of the year's plans."""
        return reverse("transparency:plans", args=[self.vru_code, self.year])


@dataclass(frozen=True)
class StrategyLink:
    """A published strategy: on the public page of ``vru_code``'s strategy for ``area_code`` (the area itself,
    or the VRU for a footprint covering several areas)."""

    vru_code: str
    area_code: str
    title: str
    version: int
    published_on: dt.date
    synthetic: bool
    footprint: bool

    @property
    def path(self) -> str:
        """The public page of the strategy."""
        return reverse("transparency:duty_strategy", args=[self.vru_code, self.area_code])


@dataclass(frozen=True)
class AreaRow:
    code: str
    csp_code: str | None
    name: str
    vru_code: str | None
    vru_name: str | None
    police_force_code: str | None
    police_force_name: str | None
    plan_years: tuple[int, ...]  # published years, newest first
    latest_plan: PlanLink | None
    strategy: StrategyLink | None

    @property
    def status(self) -> str:
        if self.latest_plan and self.strategy:
            return PLAN_AND_STRATEGY
        if self.latest_plan:
            return PLAN_ONLY
        if self.strategy:
            return STRATEGY_ONLY
        return NEITHER

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def synthetic(self) -> bool:
        return bool((self.latest_plan and self.latest_plan.synthetic) or (self.strategy and self.strategy.synthetic))


@dataclass(frozen=True)
class VruRow:
    code: str
    name: str
    areas: int
    plan_years: tuple[int, ...]  # the years the VRU has published, oldest first
    areas_with_strategy: int
    # Whether its public strategies page lists anything (an area's strategy or the VRU's footprint strategy).
    has_strategies: bool


@dataclass(frozen=True)
class National:
    vrus: list[VruRow]
    areas: list[AreaRow]  # by name
    police_forces: list[tuple[str, str]]  # (code, name) of every police force area, by name
    years: tuple[int, ...] = field(default=())  # every year some VRU has published, newest first


def _published_plans() -> dict[int, dict[int, bool]]:
    """area id → {year: whether the plan shown (the latest accepted version) is synthetic}."""
    published = Publication.objects.filter(vru_id=OuterRef("area__vru_id"), year=OuterRef("template__year"))
    rows = (
        Plan.objects.filter(state=Plan.State.ACCEPTED, area__kind=Organisation.Kind.AREA)
        .filter(Exists(published))
        .order_by("area_id", "template__year", "-version")
        .values_list("area_id", "template__year", "synthetic")
    )
    found: dict[int, dict[int, bool]] = {}
    for area_id, year, synthetic in rows:
        found.setdefault(area_id, {}).setdefault(year, synthetic)
    return found


def _published_strategies() -> dict[int, StrategyLink]:
    """area id → its published strategy: its own, else the published footprint strategy covering it."""
    strategies = (
        Strategy.objects.filter(state=Strategy.State.PUBLISHED)
        .select_related("partnership__area", "partnership__vru")
        .only(
            "title",
            "version",
            "published_on",
            "partnership__synthetic",
            "partnership__area__code",
            "partnership__area__kind",
            "partnership__vru__code",
        )
        .order_by("partnership_id", "-version")
    )
    by_partnership: dict[int, tuple[int, StrategyLink, bool]] = {}
    for s in strategies:
        if s.partnership_id in by_partnership or s.published_on is None:
            continue
        p = s.partnership
        footprint = p.area.kind == Organisation.Kind.VRU
        link = StrategyLink(
            vru_code=p.vru.code,
            area_code=p.area.code,
            title=s.title,
            version=s.version,
            published_on=s.published_on,
            synthetic=p.synthetic,
            footprint=footprint,
        )
        by_partnership[s.partnership_id] = (p.area_id, link, footprint)
    own = {area_id: link for area_id, link, footprint in by_partnership.values() if not footprint}
    footprints = [pk for pk, (_a, _l, footprint) in by_partnership.items() if footprint]
    covered: dict[int, StrategyLink] = {}
    if footprints:
        through = Partnership.covers.through.objects.filter(partnership_id__in=footprints).order_by("partnership_id")
        for partnership_id, area_id in through.values_list("partnership_id", "organisation_id"):
            covered.setdefault(area_id, by_partnership[partnership_id][1])
    return {**covered, **own}


def national_overview() -> National:
    """Every VRU and every CSP area of England and Wales (assigned or not) with what each has published."""
    plans = _published_plans()
    strategies = _published_strategies()
    publications: dict[int, list[int]] = {}
    for vru_id, year in Publication.objects.order_by("year").values_list("vru_id", "year"):
        publications.setdefault(vru_id, []).append(year)
    areas: list[AreaRow] = []
    for a in (
        Organisation.objects.filter(kind=Organisation.Kind.AREA)
        .select_related("vru", "police_force")
        .only("code", "csp_code", "name", "vru__code", "vru__name", "police_force__code", "police_force__name")
        .order_by("name", "code")
    ):
        plan_years = plans.get(a.pk, {})
        latest = max(plan_years, default=None)
        areas.append(
            AreaRow(
                code=a.code,
                csp_code=a.csp_code,
                name=a.name,
                vru_code=a.vru.code if a.vru else None,
                vru_name=a.vru.name if a.vru else None,
                police_force_code=a.police_force.code if a.police_force else None,
                police_force_name=a.police_force.name if a.police_force else None,
                plan_years=tuple(sorted(plan_years, reverse=True)),
                latest_plan=PlanLink(vru_code=a.vru.code, year=latest, synthetic=plan_years[latest])
                if a.vru and latest is not None
                else None,
                strategy=strategies.get(a.pk),
            )
        )
    footprint_vrus = {s.vru_code for s in strategies.values() if s.footprint}
    vrus = []
    for v in Organisation.objects.filter(kind=Organisation.Kind.VRU).only("code", "name").order_by("name"):
        mine = [r for r in areas if r.vru_code == v.code]
        with_strategy = sum(1 for r in mine if r.strategy is not None)
        vrus.append(
            VruRow(
                code=v.code,
                name=v.name,
                areas=len(mine),
                plan_years=tuple(publications.get(v.pk, [])),
                areas_with_strategy=with_strategy,
                has_strategies=v.code in footprint_vrus
                or any(s.vru_code == v.code and not s.footprint for s in strategies.values()),
            )
        )
    forces = list(
        Organisation.objects.filter(kind=Organisation.Kind.POLICE_FORCE)
        .order_by("name", "code")
        .values_list("code", "name")
    )
    years = tuple(sorted({y for ys in publications.values() for y in ys}, reverse=True))
    return National(vrus=vrus, areas=areas, police_forces=forces, years=years)


def national_filter(
    *, areas: Iterable[AreaRow], vru: str = "", police_force: str = "", status: str = ""
) -> list[AreaRow]:
    """The areas matching every filter given ("" for any; ``NONE`` for no VRU / no police force area)."""
    rows = list(areas)
    if vru:
        rows = [r for r in rows if (r.vru_code or NONE) == vru]
    if police_force:
        rows = [r for r in rows if (r.police_force_code or NONE) == police_force]
    if status:
        rows = [r for r in rows if r.status == status]
    return rows


def _sort_value(r: AreaRow, sort: str) -> Any:
    """The row's value for the column, or None when it has none (no VRU, no plan...)."""
    if sort == "vru":
        return r.vru_name
    if sort == "police_force":
        return r.police_force_name
    if sort == "plan":
        return r.latest_plan.year if r.latest_plan else None
    if sort == "strategy":
        return r.strategy.published_on if r.strategy else None
    return r.name


def national_sort(*, areas: Sequence[AreaRow], sort: str = "area", descending: bool = False) -> list[AreaRow]:
    """The rows by ``sort`` (one of ``SORTS``): areas, VRUs and police force areas A to Z; plans by their year
    and strategies by their publication date, oldest first; ``descending`` the other way. Rows without the
    value (no VRU, no plan...) come last either way, by area; ties are by area too."""
    column = sort if sort in dict(SORTS) else "area"
    valued = [r for r in areas if _sort_value(r, column) is not None]
    without = [r for r in areas if _sort_value(r, column) is None]
    ordered = sorted(valued, key=lambda r: (r.name, r.code))
    ordered = sorted(ordered, key=lambda r: _sort_value(r, column), reverse=descending)
    return ordered + sorted(without, key=lambda r: (r.name, r.code))


@dataclass(frozen=True)
class Totals:
    areas: int
    with_plan: int  # a published plan of any year
    by_year: tuple[tuple[int, int], ...]  # (year, areas with a published plan for it), newest first
    with_strategy: int
    unassigned: int
    by_status: tuple[tuple[str, int], ...]  # (status, areas), in STATUSES order


def national_totals(*, areas: Sequence[AreaRow], years: Sequence[int]) -> Totals:
    """The counts the page states in words, of the rows given (the filtered table)."""
    return Totals(
        areas=len(areas),
        with_plan=sum(1 for r in areas if r.latest_plan is not None),
        by_year=tuple((y, sum(1 for r in areas if y in r.plan_years)) for y in years),
        with_strategy=sum(1 for r in areas if r.strategy is not None),
        unassigned=sum(1 for r in areas if r.vru_code is None),
        by_status=tuple((value, sum(1 for r in areas if r.status == value)) for value, _label in STATUSES),
    )


def area_boundaries(*, codes: Iterable[str]) -> dict[str, dict[str, Any]]:
    """area code → its boundary's GeoJSON geometry, for the areas that have one (one query)."""
    wanted = list(codes)
    return dict(
        Boundary.objects.filter(organisation__kind=Organisation.Kind.AREA, organisation__code__in=wanted)
        .order_by()
        .values_list("organisation__code", "geometry")
    )


def boundaries_loaded() -> bool:
    return Boundary.objects.filter(organisation__kind=Organisation.Kind.AREA).exists()
