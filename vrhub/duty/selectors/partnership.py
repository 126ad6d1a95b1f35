"""Reads for the partnership and definition pages. Who may see what is decided in ``access`` only."""

from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from vrhub.duty.catalogue import DEFAULT_OFFENCE_TYPES, OFFENCE_TYPES, AuthorityKind, RelevantKind
from vrhub.duty.models import Consultation, Definition, Partnership, RelevantAuthority, SpecifiedAuthority
from vrhub.duty.readiness import Readiness
from vrhub.duty.selectors.evidence import ScopedOffence, offences_in_scope
from vrhub.governance.models import Group
from vrhub.governance.selectors.access import groups_visible_to
from vrhub.organisations.models import Organisation


def kind_words(label: str) -> str:
    """A kind's label inside a sentence: "the integrated care board (England) or …" (proper nouns kept)."""
    return label[:1].lower() + label[1:]


def policing_body_default(*, area: Organisation) -> str:
    """The name of the local policing body of the area's VRU (in London, MOPAC), or "" when there is none:
    what the set-up form offers."""
    vru = area.owning_vru
    if vru is None:
        return ""
    body = (
        Organisation.objects.filter(kind=Organisation.Kind.POLICING_BODY, vru=vru)
        .order_by("name")
        .values_list("name", flat=True)
        .first()
    )
    return body or ""


def owning_groups_for(*, user, area: Organisation) -> QuerySet[Group]:
    """The governance groups ``area``'s partnership may name as its owner: the groups of that area (for a VRU
    footprint, the VRU's own groups) that ``user`` may see (governance's one visibility rule). ``user=None``:
    the system, which sees every group of the area."""
    groups = Group.objects.all() if user is None else groups_visible_to(user=user)
    return groups.filter(owner=area).order_by("name")


def footprint_areas(*, vru: Organisation) -> QuerySet[Organisation]:
    """The CSP areas a VRU's footprint partnership may cover: its own areas."""
    return Organisation.objects.filter(kind=Organisation.Kind.AREA, vru=vru).order_by("name")


@dataclass
class KindGroup:
    kind: str
    label: str
    authorities: list[SpecifiedAuthority]
    missing: list[str] = field(default_factory=list)  # the readiness rule's messages for this kind


@dataclass
class RelevantGroup:
    kind: str
    label: str
    authorities: list[RelevantAuthority]


def specified_by_kind(*, partnership: Partnership, readiness: Readiness) -> list[KindGroup]:
    """The six kinds of Schedule 1 in order, each with its authorities and what the readiness rule says is
    missing for it (no authority of the kind, or a lead not named)."""
    rows = list(SpecifiedAuthority.objects.filter(partnership=partnership).order_by("organisation"))
    missing = readiness.elements_missing("partnership")
    return [
        KindGroup(
            kind=kind.value,
            label=kind.label,
            authorities=[a for a in rows if a.kind == kind.value],
            missing=[m.message for m in missing if m.element == f"partnership.{kind.value}"],
        )
        for kind in AuthorityKind
    ]


def relevant_by_kind(*, partnership: Partnership) -> list[RelevantGroup]:
    """The kinds of Schedule 2 in order, each with its authorities and their consultations (newest first)."""
    rows = list(
        RelevantAuthority.objects.filter(partnership=partnership)
        .order_by("organisation")
        .prefetch_related(Prefetch("consultations", queryset=Consultation.objects.order_by("-consulted_on", "-pk")))
    )
    return [
        RelevantGroup(kind=kind.value, label=kind.label, authorities=[a for a in rows if a.kind == kind.value])
        for kind in RelevantKind
    ]


def definition_of(*, partnership: Partnership | None) -> Definition | None:
    if partnership is None:
        return None
    return Definition.objects.filter(partnership=partnership).first()


@dataclass
class OffenceChoice:
    code: str
    label: str
    default: bool
    in_scope: bool
    scoped: ScopedOffence  # the evidence measures that count it in the area, or the note saying none


def offence_choices(*, area_code: str, definition: Definition | None) -> list[OffenceChoice]:
    """Every offence type of the catalogue, ticked when in scope (the defaults when there is no definition
    yet), each with the workbench measures that count it in the area (``evidence.offences_in_scope``)."""
    in_scope = set(definition.offence_types if definition is not None else DEFAULT_OFFENCE_TYPES)
    scoped = {s.code: s for s in offences_in_scope(area_code=area_code, offence_types=[o.code for o in OFFENCE_TYPES])}
    return [
        OffenceChoice(code=o.code, label=o.label, default=o.default, in_scope=o.code in in_scope, scoped=scoped[o.code])
        for o in OFFENCE_TYPES
    ]
