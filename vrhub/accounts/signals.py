"""Every sign-in, failed sign-in, lock-out and sign-out goes into the sign-in record.

django-axes sets ``request.axes_locked_out`` before Django's ``user_login_failed`` when the
username and IP address are already locked out, and sends ``user_locked_out`` both when a
failure locks them out (with ``request.axes_failures_since_start`` set) and for each attempt
refused while locked (without it).
"""

import time

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from vrhub.accounts.models import SignInEvent
from vrhub.accounts.services import sign_in_event_record

SESSION_AUTH_AT = "vrhub_auth_at"
SESSION_SEEN_AT = "vrhub_seen_at"
# Set on the request when the sign-out is a time-out, so the record says which.
SIGN_OUT_REASON = "vrhub_sign_out_reason"


@receiver(user_logged_in, dispatch_uid="vrhub.accounts.signed_in")
def _signed_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[SESSION_AUTH_AT] = now
        request.session[SESSION_SEEN_AT] = now
    sign_in_event_record(request=request, outcome=SignInEvent.Outcome.SIGNED_IN, user=user)


@receiver(user_login_failed, dispatch_uid="vrhub.accounts.sign_in_failed")
def _sign_in_failed(sender, credentials, request=None, **kwargs):
    if request is not None and getattr(request, "axes_locked_out", False):
        return  # axes' user_locked_out records it
    if request is not None:
        request.vrhub_failure_recorded = True
    sign_in_event_record(request=request, outcome=SignInEvent.Outcome.FAILED, username=credentials.get("username", ""))


@receiver(user_locked_out, dispatch_uid="vrhub.accounts.locked_out")
def _locked_out(sender, request, username, ip_address, **kwargs):
    if getattr(request, "axes_failures_since_start", None) is None:
        outcome = SignInEvent.Outcome.REFUSED_LOCKED
    else:
        if not getattr(request, "vrhub_failure_recorded", False):
            # axes' receiver ran before ours: the failure that locked the account is recorded first.
            sign_in_event_record(request=request, outcome=SignInEvent.Outcome.FAILED, username=username or "")
        outcome = SignInEvent.Outcome.LOCKED_OUT
    sign_in_event_record(request=request, outcome=outcome, username=username or "")


@receiver(user_logged_out, dispatch_uid="vrhub.accounts.signed_out")
def _signed_out(sender, request, user, **kwargs):
    if user is None:
        return
    outcome = getattr(request, SIGN_OUT_REASON, None) or SignInEvent.Outcome.SIGNED_OUT
    sign_in_event_record(request=request, outcome=outcome, user=user)
