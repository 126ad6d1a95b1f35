"""Changes to accounts: the sign-in record, second factors, passwords. Every change is audited."""

from base64 import b32encode

from axes.helpers import get_client_ip_address
from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from vrhub.accounts.models import SignInEvent, User
from vrhub.accounts.selectors import user_needs_second_factor
from vrhub.core.audit import audit_changes, audit_created, audit_deleted

BACKUP_CODE_COUNT = 10
TOTP_DEVICE_NAME = "Authenticator app"


# Sign-in record --------------------------------------------------------------------------------


def sign_in_event_record(*, request, outcome: str, username: str = "", user=None) -> SignInEvent:
    """Record who (the username tried), when, from which IP address, and the outcome."""
    if user is None and username:
        user = User.objects.filter(username=username).first()
    if not username and user is not None:
        username = user.get_username()
    ip = None
    user_agent = ""
    if request is not None:
        ip = getattr(request, "axes_ip_address", None) or get_client_ip_address(request)
        user_agent = request.META.get("HTTP_USER_AGENT", "")[:255]
    return SignInEvent.objects.create(
        username=(username or "")[:150], user=user, outcome=outcome, ip_address=ip or None, user_agent=user_agent
    )


# Passwords -------------------------------------------------------------------------------------


@transaction.atomic
def user_password_change(*, user: User, new_password: str) -> None:
    """Set a new password that passes AUTH_PASSWORD_VALIDATORS. The password itself is never audited."""
    password_validation.validate_password(new_password, user)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    audit_changes(actor=user, obj=user, changes={"password": ("", "changed")})


# Second factor ---------------------------------------------------------------------------------


def totp_key_base32(device: TOTPDevice) -> str:
    """The device's secret as people type it into an authenticator app: base32, in groups of four."""
    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


@transaction.atomic
def totp_device_start(*, user: User) -> TOTPDevice:
    """The unconfirmed authenticator being set up for ``user``: the pending one, or a new one.

    Refused once the user has a confirmed authenticator: replacing it would let anyone who knows
    the password take over the second factor.
    """
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise PermissionDenied("You already have an authenticator app set up.")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
        audit_created(actor=user, obj=device, fields=["name", "confirmed"])
    return device


def totp_device_confirm(*, user: User, device: TOTPDevice, code: str) -> list[str]:
    """Confirm the authenticator with a code from it; returns the new backup codes (shown once)."""
    code = _clean_code(code)
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        if device.user_id != user.pk or device.confirmed:
            raise PermissionDenied("This authenticator cannot be confirmed.")
        ok = _verify(device, code) if _looks_like_totp(code) else False
    # (A wrong code is counted, and committed, before this refuses it: see ThrottlingMixin.)
    if not ok:
        raise ValidationError({"code": "The code is not right: enter the 6-digit code your app shows now"})
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit_changes(actor=user, obj=device, changes={"confirmed": (False, True)})
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return _backup_codes_replace(user=user)


def otp_verify(*, user: User, code: str):
    """The device that accepts ``code``: the authenticator's current code, or an unused backup code."""
    code = _clean_code(code)
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise PermissionDenied("Set up an authenticator app first.")
    with transaction.atomic():
        if _looks_like_totp(code):
            device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).order_by("-pk").first()
        else:
            device = StaticDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        ok = device is not None and _verify(device, code.lower())
        if ok and isinstance(device, StaticDevice):
            audit_changes(actor=user, obj=device, changes={"token_set": ("", "a backup code was used")})
    if not ok:
        raise ValidationError(
            {"code": "The code is not right: enter the 6-digit code your app shows now, or an unused backup code"}
        )
    return device


@transaction.atomic
def backup_codes_regenerate(*, user: User) -> list[str]:
    """New backup codes, replacing the old ones; only for someone with an authenticator set up."""
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise PermissionDenied("Set up an authenticator app first.")
    return _backup_codes_replace(user=user)


@transaction.atomic
def second_factor_remove(*, user: User, actor: User) -> None:
    """Turn off two-factor authentication: for people who do not need it, by themselves only."""
    if actor.pk != user.pk:
        raise PermissionDenied("Only you can turn off your two-factor authentication.")
    if user_needs_second_factor(user=user):
        raise PermissionDenied("Your role needs two-factor authentication: it cannot be turned off.")
    for device in [*TOTPDevice.objects.filter(user=user), *StaticDevice.objects.filter(user=user)]:
        audit_deleted(actor=actor, obj=device)
        device.delete()


def _backup_codes_replace(*, user: User) -> list[str]:
    device, created = StaticDevice.objects.get_or_create(user=user, defaults={"name": "Backup codes"})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    if created:
        audit_created(actor=user, obj=device, fields=["name"])
    audit_changes(actor=user, obj=device, changes={"token_set": ("", f"{BACKUP_CODE_COUNT} new backup codes")})
    return codes


def _clean_code(code: str) -> str:
    code = (code or "").strip().replace(" ", "").replace("-", "")
    if not code:
        raise ValidationError({"code": "Enter the code"})
    if len(code) > 16:
        raise ValidationError({"code": "The code must be 16 characters or fewer"})
    return code


def _looks_like_totp(code: str) -> bool:
    return len(code) == 6 and code.isdigit()


def _verify(device, code: str) -> bool:
    """Check a code against a device; a throttled device refuses with how long to wait."""
    allowed, info = device.verify_is_allowed()
    if not allowed:
        raise ValidationError({"code": _throttled_message(info)})
    return device.verify_token(code)


def _throttled_message(info) -> str:
    until = (info or {}).get("locked_until")
    if until is None:
        return "Too many wrong codes: wait a minute, then try again"
    seconds = max(1, int((until - timezone.now()).total_seconds()) + 1)
    return f"Too many wrong codes: wait {seconds} seconds, then try again"
