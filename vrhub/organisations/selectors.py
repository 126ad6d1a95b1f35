"""Which areas a user may see or change: the single source of truth for area access."""

from django.db.models import QuerySet

from vrhub.core.exceptions import NotFound
from vrhub.organisations.models import Organisation

Kind = Organisation.Kind


def areas_visible_to(*, user) -> QuerySet[Organisation]:
    """CSP areas a user may see: VRU staff see their VRU's areas; borough staff their own; signatories
    the area they sign for (a BCU commander: every area of the BCU)."""
    areas = Organisation.objects.filter(kind=Kind.AREA)
    org = getattr(user, "organisation", None)
    if not getattr(user, "is_authenticated", False) or org is None or not user.is_active:
        return areas.none()
    if user.is_vru_user and org.kind == Kind.VRU:
        return areas.filter(vru=org)
    if user.is_borough_user and org.kind == Kind.AREA:
        return areas.filter(pk=org.pk)
    if user.is_signatory:
        if org.kind == Kind.AREA:
            return areas.filter(pk=org.pk)
        if org.kind == Kind.BCU:
            return areas.filter(bcu=org)
    return areas.none()


def areas_editable_by(*, user) -> QuerySet[Organisation]:
    """Areas whose plans the user may change: borough editors, their own area only."""
    if getattr(user, "is_borough_editor", False):
        return areas_visible_to(user=user)
    return Organisation.objects.none()


def area_get_for_user(*, user, code: str) -> Organisation:
    """The area with this ONS code if the user may see it; NotFound otherwise (no existence leak)."""
    try:
        return areas_visible_to(user=user).get(code=code)
    except Organisation.DoesNotExist as exc:
        raise NotFound("No such area") from exc
