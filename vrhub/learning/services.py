from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from vrhub.core.audit import audit_created, audit_deleted
from vrhub.core.limits import text_length_errors
from vrhub.learning.models import GoodPractice
from vrhub.organisations.selectors import areas_visible_to
from vrhub.plans.models import PlanAction


def _require_reviewer(user, action: PlanAction) -> None:
    if not user.is_vru_user or not areas_visible_to(user=user).filter(pk=action.plan.area_id).exists():
        raise PermissionDenied("Only VRU reviewers flag good practice.")


@transaction.atomic
def good_practice_flag(*, action: PlanAction, user, note: str) -> GoodPractice:
    _require_reviewer(user, action)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": "Say why other boroughs should look at this action"})
    if errors := text_length_errors(model=GoodPractice, data={"note": note}):
        raise ValidationError(errors)
    if GoodPractice.objects.filter(action=action).exists():
        raise ValidationError({"note": f"{action.code} is already flagged as good practice"})
    gp = GoodPractice.objects.create(action=action, note=note, flagged_by=user)
    audit_created(actor=user, obj=gp, fields=["note"], plan_id=action.plan_id, action_id=action.pk)
    return gp


@transaction.atomic
def good_practice_unflag(*, action: PlanAction, user) -> None:
    _require_reviewer(user, action)
    gp = GoodPractice.objects.filter(action=action).first()
    if gp is None:
        raise ValidationError(f"{action.code} is not flagged as good practice")
    audit_deleted(actor=user, obj=gp, plan_id=action.plan_id, action_id=action.pk)
    gp.delete()
