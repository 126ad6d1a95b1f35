"""Sign-in, the second factor, the account page, API tokens and the sign-in record. Thin: the rules
are in services.py and selectors.py."""

from datetime import datetime
from urllib.parse import urlencode

import segno
from axes.helpers import get_client_ip_address, get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from vrhub.accounts import selectors, services
from vrhub.accounts.forms import ApiTokenForm, CodeForm, GovukPasswordChangeForm, SignInForm
from vrhub.accounts.models import SignInEvent
from vrhub.transparency import services as token_services

# Sign in ---------------------------------------------------------------------------------------


class SignInView(auth_views.LoginView):
    """Django's LoginView (throttled by django-axes); people who must give a second factor go on to it."""

    form_class = SignInForm
    redirect_authenticated_user = True

    def get_success_url(self):
        url = super().get_success_url()
        user = self.request.user
        # (login() has just replaced request.user, so django-otp's is_verified() is not on it yet.)
        verified = getattr(user, "is_verified", lambda: False)()
        if user.is_authenticated and not verified and selectors.user_must_verify(user=user):
            target = "accounts:otp_verify" if selectors.user_has_second_factor(user=user) else "accounts:otp_setup"
            return f"{reverse(target)}?{urlencode({'next': url})}"
        return url


sign_in = login_not_required(never_cache(SignInView.as_view()))


def locked_out(request, original_response=None, credentials=None):
    """django-axes' lock-out response (AXES_LOCKOUT_CALLABLE): a page saying when to try again."""
    username = get_client_username(request, credentials) or ""
    ip = getattr(request, "axes_ip_address", None) or get_client_ip_address(request)
    last = AccessAttempt.objects.filter(username=username, ip_address=ip).aggregate(at=Max("attempt_time"))["at"]
    retry_at = (last or timezone.now()) + settings.AXES_COOLOFF_TIME
    context = {
        "retry_at": retry_at,
        "retry_at_text": _time_text(retry_at),
        "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
    }
    response = render(request, "registration/locked_out.html", context, status=429)
    response["Retry-After"] = str(max(0, int((retry_at - timezone.now()).total_seconds())))
    return response


def _time_text(when: datetime) -> str:
    """'3:05pm', or '3:05pm on 4 March' when it is not today (London time)."""
    local = timezone.localtime(when)
    text = f"{local.hour % 12 or 12}:{local.minute:02d}{'am' if local.hour < 12 else 'pm'}"
    if local.date() != timezone.localdate():
        text += f" on {local.day} {local:%B}"
    return text


def _next_url(request, default: str = "") -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default or reverse(settings.LOGIN_REDIRECT_URL)


# Second factor ---------------------------------------------------------------------------------


def _otp_signed_in(request, device) -> None:
    otp_login(request, device)
    request.session.cycle_key()  # a new session id for the higher privilege
    services.sign_in_event_record(request=request, outcome=SignInEvent.Outcome.VERIFIED, user=request.user)


@never_cache
@require_http_methods(["GET", "POST"])
def otp_setup(request):
    user = request.user
    next_url = _next_url(request, reverse("accounts:account"))
    if selectors.user_has_second_factor(user=user):
        if user.is_verified():
            messages.info(request, "Two-factor authentication is already set up.")
            return redirect("accounts:account")
        return redirect(f"{reverse('accounts:otp_verify')}?{urlencode({'next': next_url})}")
    device = services.totp_device_start(user=user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.totp_device_confirm(user=user, device=device, code=form.cleaned_data["code"])
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            _otp_signed_in(request, device)
            return _backup_codes_page(request, codes=codes, next_url=next_url, first_time=True)
    qr = segno.make(device.config_url, error="m")
    return render(
        request,
        "accounts/otp_setup.html",
        {
            "form": form,
            "qr_data_uri": qr.svg_data_uri(scale=5, border=4, dark="#0b0c0c", light="#ffffff"),
            "qr_size": qr.symbol_size(scale=5, border=4)[0],
            "key": services.totp_key_base32(device),
            "next": next_url,
            "required": selectors.user_needs_second_factor(user=user),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def otp_verify(request):
    user = request.user
    next_url = _next_url(request)
    if not selectors.user_has_second_factor(user=user):
        return redirect(f"{reverse('accounts:otp_setup')}?{urlencode({'next': next_url})}")
    if user.is_verified():
        return redirect(next_url)
    form = CodeForm(request.POST or None, backup_codes=True)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.otp_verify(user=user, code=form.cleaned_data["code"])
        except ValidationError as exc:
            services.sign_in_event_record(request=request, outcome=SignInEvent.Outcome.OTP_FAILED, user=user)
            _add_errors(form, exc)
        else:
            _otp_signed_in(request, device)
            if isinstance(device, StaticDevice):
                left = selectors.backup_codes_left(user=user)
                messages.info(
                    request,
                    f"You used a backup code. You have {left} left: make new ones from your account page.",
                )
            return redirect(next_url)
    return render(request, "accounts/otp_verify.html", {"form": form, "next": next_url})


@never_cache
@require_POST
def otp_backup_codes(request):
    try:
        codes = services.backup_codes_regenerate(user=request.user)
    except PermissionDenied:
        messages.error(request, "Set up an authenticator app before making backup codes.")
        return redirect("accounts:account")
    return _backup_codes_page(request, codes=codes, next_url=reverse("accounts:account"), first_time=False)


def _backup_codes_page(request, *, codes: list[str], next_url: str, first_time: bool):
    response = render(
        request, "accounts/backup_codes.html", {"codes": codes, "next": next_url, "first_time": first_time}
    )
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
def otp_remove(request):
    user = request.user
    if not selectors.user_has_second_factor(user=user):
        return redirect("accounts:account")
    if selectors.user_needs_second_factor(user=user):
        raise PermissionDenied("Your role needs two-factor authentication: it cannot be turned off.")
    if request.method == "POST":
        services.second_factor_remove(user=user, actor=user)
        messages.success(request, "Two-factor authentication is turned off.")
        return redirect("accounts:account")
    return render(request, "accounts/otp_remove.html")


# Account page ----------------------------------------------------------------------------------


@require_http_methods(["GET"])
def account(request):
    user = request.user
    return render(
        request,
        "accounts/account.html",
        {
            "tokens": selectors.api_tokens_of_user(user=user),
            "has_second_factor": selectors.user_has_second_factor(user=user),
            "needs_second_factor": selectors.user_needs_second_factor(user=user),
            "backup_codes_left": selectors.backup_codes_left(user=user),
            "is_vru_admin": selectors.admin_vru(user=user) is not None,
        },
    )


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = GovukPasswordChangeForm
    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("accounts:account")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "Your password has been changed.")
        return response


password_change = PasswordChangeView.as_view()


# API tokens ------------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def token_new(request):
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, key = token_services.api_token_issue(
                user=request.user, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            response = render(request, "accounts/token_created.html", {"token": token, "key": key})
            response["Cache-Control"] = "no-store"
            return response
    return render(request, "accounts/token_new.html", {"form": form})


@require_http_methods(["GET", "POST"])
def token_revoke(request, pk: int):
    token = selectors.api_token_for_revoke(user=request.user, pk=pk)
    own = token.user_id == request.user.pk
    back = reverse("accounts:account") if own else reverse("accounts:vru_tokens")
    if request.method == "POST":
        try:
            token_services.api_token_revoke(token=token, user=request.user)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, f"The token ‘{token.name}’ is revoked: it no longer works.")
        return redirect(back)
    return render(request, "accounts/token_revoke.html", {"token": token, "own": own, "back": back})


@require_http_methods(["GET"])
def vru_tokens(request):
    tokens = selectors.api_tokens_for_vru_admin(admin=request.user)
    return render(
        request, "accounts/vru_tokens.html", {"tokens": tokens, "vru": selectors.admin_vru(user=request.user)}
    )


@require_http_methods(["GET"])
def sign_ins(request):
    username = request.GET.get("username", "").strip()[:150]
    events = selectors.sign_in_events_for_vru_admin(admin=request.user, username=username)
    return render(
        request,
        "accounts/sign_ins.html",
        {"events": events, "username": username, "vru": selectors.admin_vru(user=request.user)},
    )


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
