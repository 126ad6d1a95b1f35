"""Reads of the strategic needs assessment: an area's assessments, an assessment's sections in order with
their cited figures, and what an editor may cite (the local definition decides which measures are offered).

Who may see or change an assessment is decided by ``duty.selectors.access`` alone; the one helper here that
fetches a figure goes through the section's helper there.
"""

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field

from django.db.models import Prefetch

from vrhub.core.exceptions import NotFound
from vrhub.core.words import period_words
from vrhub.duty.catalogue import SnaSectionKey
from vrhub.duty.models import NeedsAssessment, Partnership, SnaFigure, SnaSection
from vrhub.duty.selectors import access
from vrhub.duty.selectors.evidence import offences_in_scope
from vrhub.evidence import selectors as evidence
from vrhub.evidence import store
from vrhub.organisations.models import Organisation

# The Duty came into force on 31 January 2023: no assessment is for an earlier year.
FIRST_YEAR = 2023
# The most figures one section cites (a limit on every input).
FIGURES_PER_SECTION = 40
SECTION_ORDER = {key.value: n for n, key in enumerate(SnaSectionKey)}

EvidenceError = evidence.EvidenceError


def year_range(*, today: dt.date) -> tuple[int, int]:
    """The years an assessment may be started for: from the Duty's first year to next year."""
    return FIRST_YEAR, today.year + 1


def text_hash(text: str) -> str:
    """A short fingerprint of a section's text as a page showed it (to notice a colleague's change since)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def assessments_of(*, partnership: Partnership) -> list[NeedsAssessment]:
    """The partnership's assessments, newest year first, each with ``written`` and ``total`` sections."""
    found = list(
        NeedsAssessment.objects.filter(partnership=partnership)
        .prefetch_related(Prefetch("sections", queryset=SnaSection.objects.only("assessment_id", "key", "text")))
        .order_by("-year")
    )
    for a in found:
        sections = list(a.sections.all())
        a.written = sum(1 for s in sections if s.complete)  # type: ignore[attr-defined]
        a.total = len(sections)  # type: ignore[attr-defined]
    return found


def previous_assessment(*, partnership: Partnership, year: int) -> NeedsAssessment | None:
    """The latest assessment before ``year`` (whose section texts a new one may start from)."""
    return NeedsAssessment.objects.filter(partnership=partnership, year__lt=year).order_by("-year").first()


def sections_of(*, assessment: NeedsAssessment) -> list[SnaSection]:
    """The assessment's sections in the catalogue's order, each with its figures (and who cited them)."""
    sections = list(
        SnaSection.objects.filter(assessment=assessment).prefetch_related(
            Prefetch("figures", queryset=SnaFigure.objects.select_related("cited_by").order_by("cited_at", "pk"))
        )
    )
    return sorted(sections, key=lambda s: SECTION_ORDER.get(s.key, len(SECTION_ORDER)))


def paragraphs(text: str) -> list[str]:
    """A section's text as paragraphs (a blank line between two)."""
    return [p.strip("\n") for p in re.split(r"\n\s*\n", text or "") if p.strip()]


def empty_sections(sections: list[SnaSection]) -> list[str]:
    """The labels of the sections with no text yet, in order."""
    return [s.get_key_display() for s in sorted(sections, key=lambda s: SECTION_ORDER.get(s.key, 99)) if not s.complete]


def figure_get_for_user(*, user, code: str, assessment_pk: int, key: str, pk: int, edit: bool = False) -> SnaFigure:
    """A figure cited in a section, fetched through the section's access rule (NotFound / PermissionDenied)."""
    section = access.sna_section_get_for_user(user=user, code=code, assessment_pk=assessment_pk, key=key, edit=edit)
    try:
        return section.figures.select_related("section__assessment__partnership").get(pk=pk)
    except SnaFigure.DoesNotExist as exc:
        raise NotFound("No such figure") from exc


# What may be cited ---------------------------------------------------------------------------------------


def evidence_area(*, partnership: Partnership) -> tuple[str, str]:
    """The workbench area a partnership's figures are for, as (code, name): the CSP area itself, or London for
    a VRU footprint (the workbench knows areas by their ONS codes)."""
    area = partnership.area
    if area.kind == Organisation.Kind.AREA:
        return area.code, area.name
    return store.LONDON_CODE, "London"


def area_choices(*, partnership: Partnership) -> list[tuple[str, str]]:
    """The areas a figure may be for: the partnership's own, and London to compare it with."""
    own = evidence_area(partnership=partnership)
    choices = [own]
    if own[0] != store.LONDON_CODE:
        choices.append((store.LONDON_CODE, "London (for comparison)"))
    return choices


@dataclass
class Offered:
    """What the local definition lets an editor cite: measures grouped by offence type, and the offence types
    in scope that no measure counts (with why)."""

    groups: list[tuple[str, list[tuple[str, str]]]] = field(default_factory=list)  # (offence, [(measure, words)])
    uncounted: list[tuple[str, str]] = field(default_factory=list)  # (offence, note)
    defaults: bool = False  # no definition yet: the guidance's core offence types are offered

    @property
    def measures(self) -> set[str]:
        return {name for _label, options in self.groups for name, _words in options}


def figures_offered(*, partnership: Partnership) -> Offered:
    """The measures of each offence type in scope of the partnership's local definition (the guidance's core
    types while there is none), as the evidence workbench has loaded them for the partnership's area."""
    definition = getattr(partnership, "definition", None)
    types = list(definition.offence_types) if definition is not None and definition.offence_types else None
    code, _name = evidence_area(partnership=partnership)
    offered = Offered(defaults=types is None)
    for scoped in offences_in_scope(area_code=code, offence_types=types):
        if scoped.measures:
            offered.groups.append((scoped.label, [(m.qualified, evidence.measure_words(m)) for m in scoped.measures]))
        else:
            offered.uncounted.append((scoped.label, scoped.note or "No open data series counts it."))
    return offered


def month_add(month: dt.date, months: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def recent_periods(*, area_code: str, measure: str) -> dict[str, str]:
    """``{"latest": the last 12 months the source has for the area, "previous": the 12 months before}`` as
    YYYY-MM:YYYY-MM; empty when the source has nothing for the area."""
    area = evidence.area_get(code=area_code)
    found = evidence.measure_get(name=measure, area=area)
    covered = [
        row["month"] for row in evidence.trend_series(area=area, measure=found)["series"] if row["value"] is not None
    ]
    if not covered:
        return {}
    last = dt.date.fromisoformat(max(covered) + "-01")
    span = lambda end: f"{month_add(end, -11):%Y-%m}:{end:%Y-%m}"  # noqa: E731
    return {"latest": span(last), "previous": span(month_add(last, -12))}


def figure_words(figure: SnaFigure) -> str:
    """A cited figure in a sentence: value and unit, what, where, when, from where (and synthetic)."""
    synthetic = "synthetic " if figure.synthetic else ""
    return (
        f"{figure.value:,} {synthetic}{figure.unit}: {measure_name(figure.measure)}, {figure.area_name}, "
        f"{period_words(figure.period)} (source: {figure.source})"
    )


def measure_name(qualified: str) -> str:
    """A stored measure's name as people read it (never its ``family:`` code)."""
    family, _, name = qualified.partition(":")
    category, _, sub = name.partition("/")
    return evidence.measure_words(evidence.Measure(family, category, sub or None), detail=False)
