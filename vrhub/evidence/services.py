"""Writes of the evidence app outside the store: citing a workbench figure in an action's baseline."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from vrhub.core.audit import audit_created
from vrhub.evidence import selectors
from vrhub.evidence.models import Citation
from vrhub.plans import services as plan_services
from vrhub.plans.models import PlanAction


@transaction.atomic
def citation_add(*, action: PlanAction, user, area_code: str, measure: str, period: str) -> Citation:
    """Work out the figure from the store now, record it for good, and add it to the baseline text."""
    try:
        area = selectors.area_get(code=area_code)
        found = selectors.measure_get(name=measure)
        result = selectors.trend_compare(area=area, measure=found, period=period, baseline=period)
    except selectors.EvidenceError as exc:
        raise ValidationError(str(exc)) from exc
    if not result["months_with_data"]["current"]:
        raise ValidationError(f"There is no {found.label} data for {area.name} in {period}.")
    citation = Citation(
        action=action,
        area_code=area.code,
        area_name=area.name,
        measure=found.qualified,
        period=result["period"],
        value=result["current"],
        source=result["source"] or found.family,
        synthetic=bool(result["synthetic"]),
        cited_by=user,
    )
    stamp = f"[cited from the evidence workbench on {timezone.localdate():%d/%m/%Y}]"
    baseline = "\n".join(t for t in (action.baseline.strip(), f"{citation.text} {stamp}") if t)
    plan_services.plan_action_update(action=action, user=user, data={"baseline": baseline})
    citation.save()
    audit_created(
        actor=user,
        obj=citation,
        fields=["measure", "area_code", "period", "value", "source"],
        plan_id=action.plan_id,
        action_id=action.pk,
    )
    return citation
