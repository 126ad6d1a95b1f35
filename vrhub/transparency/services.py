from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from vrhub.core.audit import audit_changes, audit_created, audit_deleted
from vrhub.core.db_router import primary_reads
from vrhub.plans.models import Plan, PlanTemplate
from vrhub.transparency.models import ApiToken, Publication
from vrhub.transparency.selectors import public_plan_ids


def _require_vru_admin(user, vru) -> None:
    if not user.is_vru_admin or user.organisation_id != vru.pk:
        raise PermissionDenied("Only the VRU's admins publish plans.")


WITHDRAW_REASON_MAX = 500


@transaction.atomic
def publication_publish(*, vru, year: int, user, expected_plan_ids: list[int] | None = None) -> Publication:
    """Make the year's accepted plan summaries public.

    ``expected_plan_ids`` are the accepted plans the person saw in the preview: if plans have been
    accepted (or reopened) since, nothing is published and the error says which boroughs changed.
    """
    _require_vru_admin(user, vru)
    if not PlanTemplate.objects.filter(vru=vru, year=year).exists():
        raise ValidationError(f"{vru} has no template for {year}.")
    # Lock the VRU's row so that two admins confirming at once publish once.
    type(vru).objects.select_for_update().filter(pk=vru.pk).first()
    if Publication.objects.filter(vru=vru, year=year).exists():
        raise ValidationError(f"The {year} plans are already published.")
    if expected_plan_ids is not None:
        current = public_plan_ids(vru=vru, year=year)
        if sorted(current) != sorted(expected_plan_ids):
            changed = sorted(set(current) ^ set(expected_plan_ids))
            # Only this VRU's boroughs are named: ids sent for another VRU's plans must not tell whose they are.
            names = sorted(set(Plan.objects.filter(pk__in=changed, area__vru=vru).values_list("area__name", flat=True)))
            raise ValidationError(
                "The preview is out of date: since you opened it, the accepted plans of "
                f"{', '.join(names) or 'some boroughs'} changed. Nothing was published: check the preview again."
            )
    pub = Publication.objects.create(vru=vru, year=year, published_by=user)
    audit_created(actor=user, obj=pub, fields=["year"])
    return pub


@transaction.atomic
def publication_withdraw(*, vru, year: int, user, reason: str) -> None:
    """Take the year's plan summaries off the public pages, recording why in the audit trail."""
    _require_vru_admin(user, vru)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the plans are being withdrawn from publication"})
    if len(reason) > WITHDRAW_REASON_MAX:
        raise ValidationError(
            {"reason": f"The reason must be {WITHDRAW_REASON_MAX} characters or fewer (it has {len(reason)})"}
        )
    pub = Publication.objects.select_for_update().filter(vru=vru, year=year).first()
    if pub is None:
        raise ValidationError(f"The {year} plans are not published.")
    audit_changes(actor=user, obj=pub, changes={"withdrawn_because": ("", reason)})
    audit_deleted(actor=user, obj=pub)
    pub.delete()


@transaction.atomic
def api_token_issue(*, user, name: str, days: int = ApiToken.DEFAULT_DAYS) -> tuple[ApiToken, str]:
    """A new token for ``user``, valid for ``days`` days. The key is returned once and never stored."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Name the token, e.g. the system that will use it"})
    if len(name) > 100:
        raise ValidationError({"name": "Token name must be 100 characters or fewer"})
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= ApiToken.MAX_DAYS:
        raise ValidationError({"days": f"A token must last between 1 and {ApiToken.MAX_DAYS} days"})
    token, key = ApiToken.issue(user=user, name=name, expires_at=timezone.now() + timedelta(days=days))
    audit_created(actor=user, obj=token, fields=["name", "prefix", "expires_at"])
    return token, key


def api_token_authenticate(key: str):
    """The active user behind a bearer token that is neither revoked nor expired, or None."""
    if not key or not key.startswith("vrh_"):
        return None
    now = timezone.now()
    with primary_reads():  # never the replica's older copy of a revoked token or a changed user
        token = (
            ApiToken.objects.select_related("user__organisation__vru")
            .filter(key_hash=ApiToken.hash(key), revoked_at__isnull=True, expires_at__gt=now, user__is_active=True)
            .first()
        )
    if token is None:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def api_token_can_revoke(*, token: ApiToken, user) -> bool:
    """Its owner may revoke a token, and so may an admin of the VRU the owner's organisation works with."""
    if token.user_id == user.pk:
        return True
    if not user.is_vru_admin or user.organisation is None or token.user.organisation is None:
        return False
    vru = user.organisation.owning_vru
    return vru is not None and token.user.organisation.owning_vru == vru


@transaction.atomic
def api_token_revoke(*, token: ApiToken, user) -> None:
    locked = ApiToken.objects.select_for_update(of=("self",)).select_related("user__organisation").get(pk=token.pk)
    if not api_token_can_revoke(token=locked, user=user):
        raise PermissionDenied("You cannot revoke this token.")
    if locked.revoked_at is not None:
        raise ValidationError("This token is already revoked.")
    locked.revoked_at = token.revoked_at = timezone.now()
    locked.save(update_fields=["revoked_at"])
    audit_changes(actor=user, obj=locked, changes={"revoked_at": (None, locked.revoked_at)})
