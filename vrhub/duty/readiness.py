"""The Duty's readiness rule: every element the law and guidance ask for, and which are missing.

One rule, one place, from rows already read (no queries), as the plan completeness check is: the command line
(``duty_readiness``), the area's Duty page and the monitoring view all call ``readiness_from``.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from vrhub.core.words import date_words
from vrhub.duty.catalogue import FACTORS, OFFENCE_TYPE, STRATEGY_CONTENTS, AuthorityKind, SnaSectionKey

NOT_STARTED = "not_started"


@dataclass(frozen=True)
class Missing:
    element: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"element": self.element, "message": self.message}


@dataclass(frozen=True)
class Inputs:
    """What the rule reads for one area. ``partnership`` None: the area has no Duty records yet."""

    area_code: str
    area_name: str
    partnership: Any = None
    authorities: Sequence[Any] = ()  # SpecifiedAuthority rows
    relevant: Sequence[tuple[Any, int]] = ()  # (RelevantAuthority, consultations recorded)
    definition: Any = None
    assessment: Any = None  # the latest NeedsAssessment
    sections: Sequence[Any] = ()  # its SnaSection rows
    strategy: Any = None  # the strategy in force (latest published), else the latest draft
    strategy_actions: int = 0  # plan actions linked to that strategy
    latest_review_year: int | None = None


@dataclass
class Readiness:
    area: str
    name: str
    authorities: list[dict[str, str]]
    missing_kinds: list[str]
    offence_types: list[str]
    definition_complete: bool
    sna_state: str
    sections_complete: int
    sections: int
    strategy_state: str
    published: dt.date | None
    next_review: dt.date | None
    missing: list[Missing] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return not self.missing

    def elements_missing(self, prefix: str) -> list[Missing]:
        return [m for m in self.missing if m.element == prefix or m.element.startswith(prefix + ".")]

    def as_json(self) -> dict[str, Any]:
        """The ``duty_readiness --json`` contract (other tools read it: keep it stable)."""
        return {
            "area": self.area,
            "name": self.name,
            "partnership": {"specified_authorities": self.authorities, "missing": self.missing_kinds},
            "definition": {"offence_types": self.offence_types, "complete": self.definition_complete},
            "sna": {"state": self.sna_state, "sections_complete": self.sections_complete, "sections": self.sections},
            "strategy": {
                "state": self.strategy_state,
                "published": self.published.isoformat() if self.published else None,
                "next_review": self.next_review.isoformat() if self.next_review else None,
            },
            "missing": [m.as_dict() for m in self.missing],
            "ready": self.ready,
        }


def readiness_from(inputs: Inputs, *, today: dt.date) -> Readiness:
    missing: list[Missing] = []
    need = lambda element, message: missing.append(Missing(element, message))  # noqa: E731

    # 1. The partnership: every kind of specified authority, with a named lead; the bodies around it.
    p = inputs.partnership
    if p is None:
        need("partnership", "Set up the partnership: its lead body, local policing body and governance group")
    else:
        for name, label in (
            ("lead_body", "Name the partnership's lead body"),
            ("local_policing_body", "Name the local policing body (the PCC, or MOPAC in London)"),
            ("governance_group", "Name the governance group that owns the Duty"),
        ):
            # The governance group: a linked group (``owning_group``) or, where none matched, its name as typed.
            named = getattr(p, name).strip() or (name == "governance_group" and getattr(p, "owning_group_id", None))
            if not named:
                need(f"partnership.{name}", label)
    present = {a.kind for a in inputs.authorities}
    missing_kinds = [k.value for k in AuthorityKind if k.value not in present]
    for kind in missing_kinds:
        label = AuthorityKind(kind).label
        need(f"partnership.{kind}", f"Add the {label[0].lower()}{label[1:]} to the partnership, with its lead")
    for authority in inputs.authorities:
        if not authority.lead_name.strip():
            need(f"partnership.{authority.kind}", f"Name the lead at {authority.organisation}")
    if p is not None:
        if not inputs.relevant:
            need(
                "consultation",
                "Record the relevant authorities consulted (educational, prison and youth custody authorities)",
            )
        for relevant, consultations in inputs.relevant:
            if not consultations:
                need(f"consultation.{relevant.kind}", f"Record the consultation of {relevant.organisation}")

    # 2. The local definition of serious violence.
    d = inputs.definition
    offence_types = [c for c in (d.offence_types if d else []) if c in OFFENCE_TYPE]
    if not offence_types:
        need("definition.offence_types", "Choose the offence types in scope of the local definition")
    for name, label in FACTORS:
        if d is None or not getattr(d, name).strip():
            need(f"definition.{name}", f"Record how the definition considered: {label[0].lower()}{label[1:]}")
    if d is None or not d.rationale.strip():
        need("definition.rationale", "Write down the rationale for the local definition")
    definition_complete = not [m for m in missing if m.element.startswith("definition.")]

    # 3. The strategic needs assessment: every section written, and agreed.
    a = inputs.assessment
    sections_total = len(SnaSectionKey)
    written = {s.key for s in inputs.sections if s.text.strip()}
    if a is None:
        need("sna", "Start the strategic needs assessment")
    else:
        for key in SnaSectionKey:
            if key.value not in written:
                need(f"sna.{key.value}", f"Write the needs assessment's section: {key.label}")
        if a.state != "agreed":
            need("sna.agreed", f"Agree the {a.year} needs assessment")

    # 4. The strategy: its required contents, delivery through the plan, publication and review.
    s = inputs.strategy
    if s is None:
        need("strategy", "Write the strategy")
    else:
        for name, _label, message in STRATEGY_CONTENTS:
            if not getattr(s, name).strip():
                need(f"strategy.{name}", message)
        if not inputs.strategy_actions:
            need("strategy.plan_actions", "Link the strategy to the actions of the borough's action plan")
        if s.state != "published":
            need("strategy.published", "Publish the strategy")
        if s.next_review is None:
            need("strategy.next_review", "Set the date of the strategy's next review")
        elif s.next_review < today:
            need("strategy.review_overdue", f"The strategy's annual review was due on {date_words(s.next_review)}")

    return Readiness(
        area=inputs.area_code,
        name=inputs.area_name,
        authorities=[{"kind": a.kind, "organisation": a.organisation, "lead": a.lead_name} for a in inputs.authorities],
        missing_kinds=missing_kinds,
        offence_types=offence_types,
        definition_complete=definition_complete,
        sna_state=a.state if a is not None else NOT_STARTED,
        sections_complete=len(written & {k.value for k in SnaSectionKey}) if a is not None else 0,
        sections=sections_total,
        strategy_state=s.state if s is not None else NOT_STARTED,
        published=s.published_on if s is not None else None,
        next_review=s.next_review if s is not None else None,
        missing=missing,
    )


def offence_labels(codes: Iterable[str]) -> list[str]:
    return [OFFENCE_TYPE[c].label for c in codes if c in OFFENCE_TYPE]
