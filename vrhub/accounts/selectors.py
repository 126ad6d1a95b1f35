"""Reads for accounts: who needs a second factor, whose tokens and sign-ins a person may see."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from vrhub.accounts.models import SignInEvent, User
from vrhub.core.exceptions import NotFound
from vrhub.organisations.models import Organisation
from vrhub.transparency.models import ApiToken


def demo_skip_second_factor() -> bool:
    """VRHUB_DEMO_SKIP_2FA, honoured only with DEBUG on (a local demo, never production)."""
    return bool(settings.DEBUG and getattr(settings, "VRHUB_DEMO_SKIP_2FA", False))


def user_needs_second_factor(*, user) -> bool:
    """Whether ``user`` must pass a second factor before using vrhub: OTP_REQUIRED_ROLES, and staff."""
    if not getattr(user, "is_authenticated", False) or demo_skip_second_factor():
        return False
    if user.role and user.role in settings.OTP_REQUIRED_ROLES:
        return True
    return bool(user.is_staff and getattr(settings, "OTP_REQUIRED_FOR_STAFF", True))


def user_has_second_factor(*, user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def user_must_verify(*, user) -> bool:
    """Whether ``user`` must give a second factor in each session: they need one, or have set one up."""
    if not getattr(user, "is_authenticated", False) or demo_skip_second_factor():
        return False
    return user_needs_second_factor(user=user) or user_has_second_factor(user=user)


def backup_codes_left(*, user) -> int:
    device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    return device.token_set.count() if device else 0


# VRU scope -------------------------------------------------------------------------------------


def admin_vru(*, user) -> Organisation | None:
    """The VRU whose people a VRU admin looks after, or None for anyone else."""
    if not user.is_vru_admin or user.organisation is None:
        return None
    return user.organisation.owning_vru


def _users_of_vru(vru: Organisation) -> Q:
    """Users whose organisation is the VRU itself or works with it (boroughs, BCUs, partners)."""
    return Q(organisation=vru) | Q(organisation__vru=vru)


def require_admin_vru(*, user) -> Organisation:
    vru = admin_vru(user=user)
    if vru is None:
        raise PermissionDenied("Only a VRU's admins can see this page.")
    return vru


# API tokens ------------------------------------------------------------------------------------


def api_tokens_of_user(*, user) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")


def api_tokens_for_vru_admin(*, admin) -> QuerySet[ApiToken]:
    """Every token of every user in the admin's VRU (and none of another VRU's)."""
    vru = require_admin_vru(user=admin)
    user_ids = User.objects.filter(_users_of_vru(vru)).values("pk")
    return (
        ApiToken.objects.filter(user__in=user_ids).select_related("user__organisation").order_by("-created_at", "-pk")
    )


def api_token_for_revoke(*, user, pk: int) -> ApiToken:
    """A token ``user`` may revoke (their own, or one in their VRU if they are its admin); 404 otherwise."""
    from vrhub.transparency.services import api_token_can_revoke

    token = ApiToken.objects.select_related("user__organisation").filter(pk=pk).first()
    if token is None or not api_token_can_revoke(token=token, user=user):
        raise NotFound("No such token")
    return token


# Sign-ins --------------------------------------------------------------------------------------


def sign_in_events_for_vru_admin(*, admin, username: str = "", limit: int = 200) -> list[SignInEvent]:
    """The latest sign-in events of the admin's VRU's users (failures included once matched to a user)."""
    vru = require_admin_vru(user=admin)
    user_ids = User.objects.filter(_users_of_vru(vru)).values("pk")
    events = SignInEvent.objects.filter(user__in=user_ids).select_related("user")
    if username:
        events = events.filter(username__iexact=username.strip())
    return list(events[:limit])
