"""Readiness of one area or many, read in a fixed number of queries (the rule is ``duty.readiness``)."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Max, Q
from django.utils import timezone

from vrhub.duty.models import (
    AnnualReview,
    Definition,
    NeedsAssessment,
    Partnership,
    RelevantAuthority,
    SnaSection,
    SpecifiedAuthority,
    Strategy,
)
from vrhub.duty.readiness import Inputs, Readiness, readiness_from
from vrhub.organisations.models import Organisation


def strategy_in_force(strategies: Iterable[Strategy]) -> Strategy | None:
    """The latest published version, else the latest draft (``strategies`` of one partnership)."""
    ordered = sorted(strategies, key=lambda s: s.version, reverse=True)
    for s in ordered:
        if s.state == Strategy.State.PUBLISHED:
            return s
    drafts = [s for s in ordered if s.state == Strategy.State.DRAFT]
    return drafts[0] if drafts else None


def readiness_many(*, areas: Iterable[Organisation], today: dt.date | None = None) -> dict[int, Readiness]:
    """``{area id: readiness}`` for ``areas`` in nine queries however many there are."""
    today = today or timezone.localdate()
    areas = list(areas)
    partnerships = {p.area_id: p for p in Partnership.objects.filter(area__in=areas)}
    pids = [p.pk for p in partnerships.values()]
    authorities: dict[int, list[SpecifiedAuthority]] = defaultdict(list)
    for a in SpecifiedAuthority.objects.filter(partnership_id__in=pids).order_by("kind", "organisation"):
        authorities[a.partnership_id].append(a)
    relevant = defaultdict(list)
    for r in (
        RelevantAuthority.objects.filter(partnership_id__in=pids)
        .annotate(consulted=Count("consultations"))
        .order_by("kind", "organisation")
    ):
        relevant[r.partnership_id].append((r, r.consulted))
    definitions = {d.partnership_id: d for d in Definition.objects.filter(partnership_id__in=pids)}
    assessments: dict[int, NeedsAssessment] = {}
    for found in NeedsAssessment.objects.filter(partnership_id__in=pids).order_by("partnership_id", "-year"):
        assessments.setdefault(found.partnership_id, found)
    sections: dict[int, list[SnaSection]] = defaultdict(list)
    for section in SnaSection.objects.filter(assessment__in=list(assessments.values())):
        sections[section.assessment_id].append(section)
    strategies: dict[int, list[Any]] = defaultdict(list)
    for s in Strategy.objects.filter(partnership_id__in=pids).annotate(
        linked=Count("plan_actions", filter=Q(plan_actions__isnull=False))
    ):
        strategies[s.partnership_id].append(s)
    reviews = {
        r["partnership_id"]: r["year"]
        for r in AnnualReview.objects.filter(partnership_id__in=pids)
        .values("partnership_id")
        .annotate(year=Max("year"))
    }
    result = {}
    for area in areas:
        p = partnerships.get(area.pk)
        pid = p.pk if p else 0  # no partnership: nothing is filed under 0
        assessment = assessments.get(pid)
        strategy: Any = strategy_in_force(strategies.get(pid, []))
        result[area.pk] = readiness_from(
            Inputs(
                area_code=area.code,
                area_name=area.name,
                partnership=p,
                authorities=authorities.get(pid, []),
                relevant=relevant.get(pid, []),
                definition=definitions.get(pid),
                assessment=assessment,
                sections=sections.get(assessment.pk, []) if assessment else [],
                strategy=strategy,
                strategy_actions=strategy.linked if strategy else 0,
                latest_review_year=reviews.get(pid),
            ),
            today=today,
        )
    return result


def area_readiness(*, area: Organisation, today: dt.date | None = None) -> Readiness:
    return readiness_many(areas=[area], today=today)[area.pk]


def duty_area_get(*, code: str) -> Organisation:
    """A CSP area or VRU footprint by its code, for the command line (which is not a person's view)."""
    from vrhub.core.exceptions import NotFound

    code = (code or "").strip()
    if not code or len(code) > 20 or "\x00" in code:  # PostgreSQL refuses NUL in text: not a database error
        raise NotFound(f"No area has the code {code[:40]!r}: give an ONS code such as E09000016")
    try:
        return Organisation.objects.get(code=code, kind__in=[Organisation.Kind.AREA, Organisation.Kind.VRU])
    except Organisation.DoesNotExist as exc:
        raise NotFound(f"No area has the code {code!r}: give an ONS code such as E09000016") from exc
