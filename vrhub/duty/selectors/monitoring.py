"""The monitoring view: every area of a VRU (and its footprint, if it has one) with its partnership, definition,
needs assessment, strategy, readiness and overdue items, for VRU staff and the local policing body.

Read in a fixed number of queries however many areas there are: the areas (1), readiness (``readiness_many``,
9), the partnerships' synthetic flag (1), agreements' review dates (1) and s.17 requests (1). "Overdue" is the
one rule of ``duty.due``; readiness the one rule of ``duty.readiness``.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils import timezone

from vrhub.core.words import count_noun
from vrhub.duty.catalogue import AuthorityKind
from vrhub.duty.due import Due, review_due
from vrhub.duty.models import NeedsAssessment, Partnership, Strategy
from vrhub.duty.readiness import NOT_STARTED, Readiness
from vrhub.duty.selectors.readiness import readiness_many
from vrhub.duty.selectors.sharing import sharing_due_many
from vrhub.organisations.models import Organisation

KINDS_TOTAL = len(AuthorityKind)

SNA_LABELS = {NOT_STARTED: "Not started", **dict(NeedsAssessment.State.choices)}
STRATEGY_LABELS = {NOT_STARTED: "Not started", **dict(Strategy.State.choices)}


class MonitoringError(ValueError):
    """A sort or filter the monitoring view does not know (the message names the parameter and the choices)."""


@dataclass
class AreaRow:
    area: Organisation
    readiness: Readiness
    has_partnership: bool
    synthetic: bool
    strategy_review: Due  # of the strategy in force (``due.review_due`` on its next review date)
    agreements_overdue: int
    agreements_due_soon: int
    requests_overdue: int

    @property
    def kinds_present(self) -> int:
        return KINDS_TOTAL - len(self.readiness.missing_kinds)

    @property
    def missing_count(self) -> int:
        return len(self.readiness.missing)

    @property
    def ready(self) -> bool:
        return self.readiness.ready

    @property
    def strategy_overdue(self) -> bool:
        return self.strategy_review == Due.OVERDUE

    @property
    def overdue_total(self) -> int:
        return int(self.strategy_overdue) + self.agreements_overdue + self.requests_overdue

    @property
    def overdue_items(self) -> list[str]:
        """The overdue items in words, e.g. ["Strategy review", "2 agreement reviews"]."""
        items = []
        if self.strategy_overdue:
            items.append("Strategy review")
        if self.agreements_overdue:
            items.append(count_noun(self.agreements_overdue, "agreement review"))
        if self.requests_overdue:
            items.append(count_noun(self.requests_overdue, "information request"))
        return items

    @property
    def definition_words(self) -> str:
        if self.readiness.definition_complete:
            return "Complete"
        return "Partial" if self.readiness.offence_types else "Not started"

    @property
    def sna_words(self) -> str:
        return SNA_LABELS.get(self.readiness.sna_state, self.readiness.sna_state)

    @property
    def strategy_words(self) -> str:
        return STRATEGY_LABELS.get(self.readiness.strategy_state, self.readiness.strategy_state)

    @property
    def not_started(self) -> bool:
        """Nothing recorded yet beyond the partnership's shell: no authority, definition, assessment or strategy."""
        r = self.readiness
        return (
            not r.authorities and not r.offence_types and r.sna_state == NOT_STARTED and r.strategy_state == NOT_STARTED
        )


# Filters: (label, test). Keys are the ``show`` parameter's values.
FILTERS: dict[str, tuple[str, Callable[[AreaRow], bool]]] = {
    "all": ("Every area", lambda r: True),
    "not-ready": ("Not ready", lambda r: not r.ready),
    "ready": ("Ready", lambda r: r.ready),
    "overdue": ("With overdue items", lambda r: r.overdue_total > 0),
    "not-started": ("Not started", lambda r: r.not_started),
}


def _strategy_key(r: AreaRow) -> tuple:
    order = {NOT_STARTED: 0, Strategy.State.DRAFT: 1, Strategy.State.PUBLISHED: 2}
    published = r.readiness.published.toordinal() if r.readiness.published else 0
    return (order.get(r.readiness.strategy_state, 0), published)


# Sorts: (label, key). The area's name breaks ties, so the order is always the same.
SORTS: dict[str, tuple[str, Callable[[AreaRow], Any]]] = {
    "name": ("Area", lambda r: r.area.name),
    "partnership": ("Partnership", lambda r: r.kinds_present),
    "definition": ("Definition", lambda r: (r.readiness.definition_complete, bool(r.readiness.offence_types))),
    "sna": ("Needs assessment", lambda r: (r.readiness.sna_state == "agreed", r.readiness.sections_complete)),
    "strategy": ("Strategy", _strategy_key),
    "review": (
        "Next review",
        lambda r: (r.readiness.next_review is None, r.readiness.next_review or dt.date.max),
    ),
    "readiness": ("Readiness", lambda r: r.missing_count),
    "overdue": ("Overdue items", lambda r: r.overdue_total),
}
PARAM_LIMIT = 20  # characters in a sort or filter value (the longest is 11)


@dataclass
class Totals:
    areas: int = 0
    ready: int = 0
    every_kind: int = 0
    definitions_complete: int = 0
    sna_agreed: int = 0
    sna_started: int = 0
    published: int = 0
    with_overdue: int = 0
    overdue_items: int = 0
    synthetic: int = 0

    @classmethod
    def of(cls, rows: list[AreaRow]) -> "Totals":
        return cls(
            areas=len(rows),
            ready=sum(r.ready for r in rows),
            every_kind=sum(r.kinds_present == KINDS_TOTAL for r in rows),
            definitions_complete=sum(r.readiness.definition_complete for r in rows),
            sna_agreed=sum(r.readiness.sna_state == NeedsAssessment.State.AGREED for r in rows),
            sna_started=sum(r.readiness.sna_state != NOT_STARTED for r in rows),
            published=sum(r.readiness.strategy_state == Strategy.State.PUBLISHED for r in rows),
            with_overdue=sum(r.overdue_total > 0 for r in rows),
            overdue_items=sum(r.overdue_total for r in rows),
            synthetic=sum(r.synthetic for r in rows),
        )


@dataclass
class MonitoringTable:
    vru: Organisation | None
    today: dt.date
    rows: list[AreaRow]  # shown: filtered and sorted
    all_totals: Totals  # every area of the VRU
    shown_totals: Totals
    sort: str
    descending: bool
    show: str
    filter_counts: dict[str, int] = field(default_factory=dict)


def monitored_areas(*, vru: Organisation) -> list[Organisation]:
    """The VRU's CSP areas, and the VRU itself when it has a footprint partnership, by name."""
    return list(
        Organisation.objects.filter(
            Q(kind=Organisation.Kind.AREA, vru=vru) | Q(pk=vru.pk, duty_partnership__isnull=False)
        )
        .select_related("bcu")
        .order_by("name")
    )


def monitoring_rows(*, vru: Organisation | None, today: dt.date | None = None) -> list[AreaRow]:
    """One row per monitored area of ``vru`` (none when ``vru`` is None), by name."""
    today = today or timezone.localdate()
    if vru is None:
        return []
    areas = monitored_areas(vru=vru)
    readiness = readiness_many(areas=areas, today=today)
    partnerships = {
        p["area_id"]: p for p in Partnership.objects.filter(area__in=areas).values("pk", "area_id", "synthetic")
    }
    pids = [p["pk"] for p in partnerships.values()]
    due = sharing_due_many(partnership_ids=pids, today=today)
    rows = []
    for area in areas:
        p = partnerships.get(area.pk)
        pid = p["pk"] if p else None
        r = readiness[area.pk]
        rows.append(
            AreaRow(
                area=area,
                readiness=r,
                has_partnership=p is not None,
                synthetic=bool(p and p["synthetic"]),
                strategy_review=review_due(r.next_review, today=today) if r.strategy_state != NOT_STARTED else Due.NONE,
                agreements_overdue=due[pid]["agreements_overdue"] if pid else 0,
                agreements_due_soon=due[pid]["agreements_soon"] if pid else 0,
                requests_overdue=due[pid]["requests_overdue"] if pid else 0,
            )
        )
    return rows


def monitoring_table(
    *,
    vru: Organisation | None,
    sort: str = "name",
    descending: bool = False,
    show: str = "all",
    today: dt.date | None = None,
) -> MonitoringTable:
    """The monitoring view's table: ``show`` one of FILTERS, ``sort`` one of SORTS. Raises MonitoringError
    naming the parameter and its choices for anything else."""
    if len(sort) > PARAM_LIMIT or sort not in SORTS:
        raise MonitoringError(f"sort must be one of: {', '.join(SORTS)} (it was {sort[:PARAM_LIMIT]!r}).")
    if len(show) > PARAM_LIMIT or show not in FILTERS:
        raise MonitoringError(f"show must be one of: {', '.join(FILTERS)} (it was {show[:PARAM_LIMIT]!r}).")
    today = today or timezone.localdate()
    rows = monitoring_rows(vru=vru, today=today)
    keep = FILTERS[show][1]
    shown = [r for r in rows if keep(r)]  # rows come by name: a stable sort keeps names in order within ties
    key = SORTS[sort][1]
    shown.sort(key=key, reverse=descending)
    return MonitoringTable(
        vru=vru,
        today=today,
        rows=shown,
        all_totals=Totals.of(rows),
        shown_totals=Totals.of(shown),
        sort=sort,
        descending=descending,
        show=show,
        filter_counts={k: sum(1 for r in rows if test(r)) for k, (_label, test) in FILTERS.items()},
    )
