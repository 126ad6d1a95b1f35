"""Session limits and the second-factor gate."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse

from vrhub.accounts.models import SignInEvent
from vrhub.accounts.selectors import user_has_second_factor, user_must_verify
from vrhub.accounts.signals import SESSION_AUTH_AT, SESSION_SEEN_AT, SIGN_OUT_REASON

# Write the last-seen time at most this often (seconds), not on every request.
SEEN_RESOLUTION = 60


class SessionTimeoutMiddleware:
    """Signs people out after SESSION_IDLE_TIMEOUT seconds without a request, and SESSION_COOKIE_AGE
    seconds after they signed in (Django's own expiry moves on each time the session is saved).
    The sign-in page then says why."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            session = request.session
            auth_at = session.get(SESSION_AUTH_AT)
            seen_at = session.get(SESSION_SEEN_AT)
            if auth_at is None or seen_at is None:
                session[SESSION_AUTH_AT] = auth_at = auth_at or now
                session[SESSION_SEEN_AT] = seen_at = now
            if now - auth_at >= settings.SESSION_COOKIE_AGE:
                return self._sign_out(
                    request,
                    SignInEvent.Outcome.EXPIRED,
                    f"You have been signed out because you signed in more than "
                    f"{_duration(settings.SESSION_COOKIE_AGE)} ago. Sign in again to carry on.",
                )
            if now - seen_at >= settings.SESSION_IDLE_TIMEOUT:
                return self._sign_out(
                    request,
                    SignInEvent.Outcome.TIMED_OUT,
                    f"You have been signed out because you did not use vrhub for "
                    f"{_duration(settings.SESSION_IDLE_TIMEOUT)}. Sign in again to carry on.",
                )
            if now - seen_at >= SEEN_RESOLUTION:
                session[SESSION_SEEN_AT] = now
        return self.get_response(request)

    @staticmethod
    def _sign_out(request, reason: str, message: str):
        next_url = request.get_full_path() if request.method == "GET" else ""
        setattr(request, SIGN_OUT_REASON, reason)
        logout(request)
        messages.info(request, message)
        if next_url:
            return redirect_to_login(next_url)
        return redirect(settings.LOGIN_URL)


def _duration(seconds: int) -> str:
    if seconds % 3600 == 0:
        hours = seconds // 3600
        return f"{hours} hour{'s' if hours != 1 else ''}"
    minutes = max(1, round(seconds / 60))
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


# Pages someone who still has to give a second factor can reach.
OTP_EXEMPT_URL_NAMES = {"login", "logout", "healthz", "accounts:otp_setup", "accounts:otp_verify"}


class OTPRequiredMiddleware:
    """People who must give a second factor (they need one, see ``user_needs_second_factor``, or have
    set one up) are sent to set one up, or to enter a code, before any other page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        match = request.resolver_match
        if (match and match.view_name in OTP_EXEMPT_URL_NAMES) or request.path.startswith(settings.STATIC_URL):
            return None
        if not user_must_verify(user=user):
            return None
        target = "accounts:otp_verify" if user_has_second_factor(user=user) else "accounts:otp_setup"
        next_url = request.get_full_path() if request.method == "GET" else "/"
        return redirect_to_login(next_url, reverse(target))
