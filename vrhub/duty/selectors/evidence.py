"""The local definition drives the evidence: which workbench measures each offence type in scope is counted by,
for an area. Used by the needs assessment's pages and the data pack."""

from dataclasses import dataclass, field

from vrhub.duty.catalogue import DEFAULT_OFFENCE_TYPES, OFFENCE_TYPE
from vrhub.evidence import selectors as evidence


@dataclass
class ScopedOffence:
    code: str
    label: str
    measures: list[evidence.Measure] = field(default_factory=list)  # loaded measures, resolved for the area
    note: str = ""  # why there is no measure (no open data series, or nothing loaded)


def offences_in_scope(*, area_code: str, offence_types: list[str] | None) -> list[ScopedOffence]:
    """Each offence type in scope (the defaults when no definition has been written) with the workbench
    measures that count it in the area. A measure the store has not loaded is left out and said so."""
    codes = [c for c in (offence_types or DEFAULT_OFFENCE_TYPES) if c in OFFENCE_TYPE]
    try:
        area = evidence.area_get(code=area_code)
    except evidence.EvidenceError:
        area = None
    found = []
    for code in codes:
        offence = OFFENCE_TYPE[code]
        scoped = ScopedOffence(code=code, label=offence.label, note=offence.note)
        seen = set()
        for name in offence.measures:
            try:
                measure = evidence.measure_get(name=name, area=area)
            except evidence.EvidenceError:
                continue
            if measure.qualified not in seen:
                seen.add(measure.qualified)
                scoped.measures.append(measure)
        if offence.measures and not scoped.measures:
            scoped.note = "The evidence workbench has no data loaded for this offence type yet."
        found.append(scoped)
    return found
