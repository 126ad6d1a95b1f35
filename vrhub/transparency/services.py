from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from vrhub.core.audit import audit_changes, audit_created, audit_deleted
from vrhub.plans.models import PlanTemplate
from vrhub.transparency.models import ApiToken, Publication


def _require_vru_admin(user, vru) -> None:
    if user.role != user.Role.VRU_ADMIN or user.organisation_id != vru.pk:
        raise PermissionDenied("Only the VRU's admins publish plans.")


@transaction.atomic
def publication_publish(*, vru, year: int, user) -> Publication:
    _require_vru_admin(user, vru)
    if not PlanTemplate.objects.filter(vru=vru, year=year).exists():
        raise ValidationError(f"{vru} has no template for {year}.")
    if Publication.objects.filter(vru=vru, year=year).exists():
        raise ValidationError(f"The {year} plans are already published.")
    pub = Publication.objects.create(vru=vru, year=year, published_by=user)
    audit_created(actor=user, obj=pub, fields=["year"])
    return pub


@transaction.atomic
def publication_withdraw(*, vru, year: int, user) -> None:
    _require_vru_admin(user, vru)
    pub = Publication.objects.filter(vru=vru, year=year).first()
    if pub is None:
        raise ValidationError(f"The {year} plans are not published.")
    audit_deleted(actor=user, obj=pub)
    pub.delete()


@transaction.atomic
def api_token_issue(*, user, name: str) -> tuple[ApiToken, str]:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Name the token, e.g. the system that will use it"})
    token, key = ApiToken.issue(user=user, name=name[:100])
    audit_created(actor=user, obj=token, fields=["name", "prefix"])
    return token, key


def api_token_authenticate(key: str):
    """The active user behind a bearer token, or None."""
    if not key or not key.startswith("vrh_"):
        return None
    token = (
        ApiToken.objects.select_related("user__organisation")
        .filter(key_hash=ApiToken.hash(key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user


@transaction.atomic
def api_token_revoke(*, token: ApiToken, user) -> None:
    if token.user_id != user.pk and user.role != user.Role.VRU_ADMIN:
        raise PermissionDenied("You cannot revoke this token.")
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_changes(actor=user, obj=token, changes={"revoked_at": (None, token.revoked_at)})
