"""The VRU's prioritisation of interventions for evaluation, and THE definition of the evidence gap.

Evidence gap (the one place it is defined; the page shows ``GAP_DEFINITION``):
    gap = 5 − the strength of evidence (Nesta level 1-5) recorded for the programme;
    a programme not yet rated has the whole gap, 5 (never treated as level 1);
    an evaluation's status alone reduces nothing: only a recorded strength does.
Sorting: ``spend`` (total over every financial year, largest first; programmes with no amount last) or ``gap``
(largest gap first, then the larger spend first). Ties by title.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from vrhub.programmes.catalogue import EVIDENCE_LEVEL_MAX, EvidenceStrength
from vrhub.programmes.models import Programme
from vrhub.programmes.selectors import access, figures

GAP_DEFINITION = (
    f"Evidence gap = {EVIDENCE_LEVEL_MAX} − the strength of evidence recorded (Nesta Standards of Evidence, "
    f"level 1 to {EVIDENCE_LEVEL_MAX}). A programme not yet rated has the whole gap, {EVIDENCE_LEVEL_MAX}: "
    "not yet rated is never treated as level 1. An evaluation's status alone reduces nothing; only a recorded "
    "strength does."
)
SORTS = {"spend": "Total spend, largest first", "gap": "Evidence gap, largest first"}


def evidence_gap(strength: int | None) -> int:
    """The evidence gap of a programme with ``strength`` (None: not yet rated)."""
    if strength is None:
        return EVIDENCE_LEVEL_MAX
    return EVIDENCE_LEVEL_MAX - int(strength)


@dataclass
class PriorityRow:
    programme: Programme
    spend: Decimal | None  # every financial year; None when no amount is recorded
    gap: int
    strength_label: str


def _sort_key(sort: str):
    def spend_key(r: PriorityRow):
        return (r.spend is None, -(r.spend or 0), r.programme.title.lower(), r.programme.pk)

    def gap_key(r: PriorityRow):
        return (-r.gap, r.spend is None, -(r.spend or 0), r.programme.title.lower(), r.programme.pk)

    return gap_key if sort == "gap" else spend_key


def evaluation_priorities(*, user, sort: Any = "spend") -> dict[str, Any]:
    """Every programme ``user`` sees, with its total spend, evaluation status, strength and gap, sorted."""
    sort = sort if sort in SORTS else "spend"
    programmes = list(access.programmes_visible_to(user=user).select_related("owner", "recipient"))
    totals = figures.programme_amounts(programmes=programmes)
    labels = dict(EvidenceStrength.choices)
    rows = [
        PriorityRow(
            programme=p,
            spend=totals.get(p.pk),
            gap=evidence_gap(p.evidence_strength),
            strength_label=labels[p.evidence_strength] if p.evidence_strength is not None else "Not yet rated",
        )
        for p in programmes
    ]
    rows.sort(key=_sort_key(sort))
    return {"rows": rows, "sort": sort, "sort_label": SORTS[sort], "definition": GAP_DEFINITION, "sorts": SORTS}
