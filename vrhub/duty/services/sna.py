"""Writes of the strategic needs assessment: starting the year's assessment, writing its sections, citing
workbench figures in them, agreeing it and reopening it.

Each function runs in one transaction that locks the partnership's row (so two editors' changes to the same
assessment are applied one after the other), validates before it writes anything, and audits every change.
A cited figure is worked out from the evidence workbench when it is cited and stored for good: reloading the
store never changes it, and "no data" is refused, never stored as 0.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from vrhub.core.audit import audit_changes, audit_created, audit_deleted, diff_fields
from vrhub.core.limits import text_length, text_length_message
from vrhub.core.words import count_noun
from vrhub.duty.catalogue import SnaSectionKey
from vrhub.duty.models import TEXT_LIMIT, NeedsAssessment, Partnership, SnaFigure, SnaSection
from vrhub.duty.selectors import access
from vrhub.duty.selectors import sna as selectors
from vrhub.evidence import selectors as evidence

AGREED = NeedsAssessment.State.AGREED
DRAFT = NeedsAssessment.State.DRAFT


def _lock(partnership_id: int, *, user) -> Partnership:
    """Lock the partnership and check ``user`` may change its records (defence in depth behind the pages'
    fetch-and-authorise helpers, as every Duty service does; ``user=None``: the system)."""
    partnership = Partnership.objects.select_for_update().get(pk=partnership_id)
    if user is not None and not access.user_can_edit_partnership(user=user, partnership=partnership):
        raise PermissionDenied("You cannot change this partnership's Duty records.")
    return partnership


def _draft(assessment: NeedsAssessment, *, field: str) -> NeedsAssessment:
    """The assessment as it is now (under the partnership's lock); refused if agreed."""
    current = NeedsAssessment.objects.get(pk=assessment.pk)
    if current.state == AGREED:
        raise ValidationError({field: f"The {current.year} needs assessment is agreed: reopen it to change it"})
    return current


@transaction.atomic
def assessment_start(
    *, partnership: Partnership, user, year: int, copy_previous: bool = False, today: dt.date | None = None
) -> NeedsAssessment:
    """Start the partnership's assessment for ``year`` with its eight sections (empty, or with the texts of the
    latest earlier assessment when ``copy_previous``: texts only, never its figures, which are of their time)."""
    _lock(partnership.pk, user=user)
    first, last = selectors.year_range(today=today or timezone.localdate())
    if not isinstance(year, int) or isinstance(year, bool) or not first <= year <= last:
        raise ValidationError(
            {"year": f"Give a year from {first} (when the Duty came into force) to {last}, not {year!r}"}
        )
    if NeedsAssessment.objects.filter(partnership=partnership, year=year).exists():
        raise ValidationError(
            {"year": f"{partnership.area.name} already has a {year} needs assessment: open it to carry on writing"}
        )
    previous = selectors.previous_assessment(partnership=partnership, year=year) if copy_previous else None
    if copy_previous and previous is None:
        raise ValidationError({"copy_previous": f"There is no needs assessment before {year} to copy the texts of"})
    texts = {s.key: s.text for s in previous.sections.all()} if previous else {}
    assessment = NeedsAssessment(partnership=partnership, year=year, title=f"Strategic needs assessment {year}")
    assessment.full_clean(exclude=["partnership"])
    assessment.save()
    audit_created(actor=user, obj=assessment, fields=["year", "title", "state"])
    for key in SnaSectionKey:
        section = SnaSection.objects.create(assessment=assessment, key=key, text=texts.get(key.value, ""))
        audit_created(actor=user, obj=section, fields=["key", "text"])
    return assessment


@transaction.atomic
def assessment_section_save(*, section: SnaSection, user, text: str, loaded_hash: str | None = None) -> SnaSection:
    """Write one section's text. ``loaded_hash``: the fingerprint (``selectors.text_hash``) of the text the
    page showed; if a colleague has changed the section since, nothing is saved and the person is told."""
    assessment = section.assessment
    _lock(assessment.partnership_id, user=user)
    _draft(assessment, field="text")
    section = SnaSection.objects.get(pk=section.pk)
    text = (text or "").replace("\r\n", "\n")
    label = section.get_key_display()
    if "\x00" in text:
        raise ValidationError({"text": f"The section {label!r} cannot contain a NUL character (%00)"})
    if text_length(text) > TEXT_LIMIT:
        raise ValidationError(
            {"text": text_length_message(label=f"The section {label!r}", limit=TEXT_LIMIT, length=text_length(text))}
        )
    if loaded_hash is not None and loaded_hash != selectors.text_hash(section.text):
        raise ValidationError(
            {
                "text": f"Someone else changed the section {label!r} since you opened it: your text is below, "
                "copy it, then reload the page to see theirs"
            }
        )
    changes = diff_fields(section, {"text": text})
    if changes:
        section.text = text
        section.save(update_fields=["text"])
        audit_changes(actor=user, obj=section, changes=changes)
    return section


@transaction.atomic
def assessment_agree(*, assessment: NeedsAssessment, user, today: dt.date | None = None) -> NeedsAssessment:
    """Mark the assessment agreed by the partnership (dated today); refused while any section is empty."""
    _lock(assessment.partnership_id, user=user)
    current = NeedsAssessment.objects.get(pk=assessment.pk)
    if current.state == AGREED:
        raise ValidationError({"state": f"The {current.year} needs assessment is already agreed"})
    empty = selectors.empty_sections(list(current.sections.all()))
    if empty:
        raise ValidationError(
            {
                "state": f"Write every section before agreeing the assessment: {count_noun(len(empty), 'section')} "
                f"{'is' if len(empty) == 1 else 'are'} empty ({'; '.join(empty)})"
            }
        )
    return _set_state(current, user=user, state=AGREED, agreed_on=today or timezone.localdate())


@transaction.atomic
def assessment_reopen(*, assessment: NeedsAssessment, user) -> NeedsAssessment:
    """Back to draft: the assessment is no longer agreed (the readiness check asks for it to be agreed again),
    its sections can be changed and figures cited or removed; what was written and cited is kept."""
    _lock(assessment.partnership_id, user=user)
    current = NeedsAssessment.objects.get(pk=assessment.pk)
    if current.state != AGREED:
        raise ValidationError({"state": f"The {current.year} needs assessment is a draft already"})
    return _set_state(current, user=user, state=DRAFT, agreed_on=None)


def _set_state(assessment: NeedsAssessment, *, user, state: str, agreed_on: dt.date | None) -> NeedsAssessment:
    changes = diff_fields(assessment, {"state": state, "agreed_on": agreed_on})
    changes["version"] = (assessment.version, assessment.version + 1)
    assessment.state, assessment.agreed_on, assessment.version = state, agreed_on, assessment.version + 1
    assessment.save(update_fields=["state", "agreed_on", "version"])
    audit_changes(actor=user, obj=assessment, changes=changes, object_version=assessment.version)
    return assessment


@transaction.atomic
def figure_cite(*, section: SnaSection, user, area_code: str, measure: str, period: str) -> SnaFigure:
    """Cite a workbench figure in a section: worked out from the store now and stored for good. Only the
    measures the local definition's offence types offer, for the partnership's area or London; "no data"
    (outside the source's coverage) is refused with the workbench's message."""
    assessment = section.assessment
    partnership = _lock(assessment.partnership_id, user=user)
    _draft(assessment, field="measure")
    cited = SnaFigure.objects.filter(section=section).count()
    if cited >= selectors.FIGURES_PER_SECTION:
        raise ValidationError(
            {"measure": f"A section cites at most {selectors.FIGURES_PER_SECTION} figures: remove one first"}
        )
    areas = dict(selectors.area_choices(partnership=partnership))
    if area_code not in areas:
        raise ValidationError({"area": f"Choose {' or '.join(areas.values())}"})
    offered = selectors.figures_offered(partnership=partnership)
    if measure not in offered.measures:
        raise ValidationError(
            {"measure": "Choose a measure of an offence type in scope of the local definition of serious violence"}
        )
    try:
        evidence.parse_period(period or "")
    except evidence.EvidenceError as exc:
        raise ValidationError({"period": str(exc).replace("A period is", "The period must be")}) from exc
    try:
        found = evidence.figure_to_cite(area_code=area_code, measure=measure, period=period)
    except evidence.EvidenceError as exc:
        raise ValidationError({"period": str(exc)}) from exc
    figure = SnaFigure(
        section=section,
        area_code=found.area.code,
        area_name=found.area.name,
        measure=found.measure.qualified,
        unit=found.measure.unit,
        period=found.period,
        value=found.value,
        source=found.source,
        synthetic=found.synthetic,
        cited_by=user if getattr(user, "pk", None) else None,
    )
    figure.full_clean()
    figure.save()
    audit_created(
        actor=user, obj=figure, fields=["measure", "area_code", "period", "value", "unit", "source", "synthetic"]
    )
    return figure


@transaction.atomic
def figure_remove(*, figure: SnaFigure, user) -> None:
    """Remove a cited figure from a draft assessment's section (audited with what it said)."""
    assessment = figure.section.assessment
    _lock(assessment.partnership_id, user=user)
    _draft(assessment, field="figure")
    audit_deleted(actor=user, obj=figure)
    figure.delete()
