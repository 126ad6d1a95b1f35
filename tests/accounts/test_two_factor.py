"""The second factor: required for VRU admins, signatories and staff; available to everyone."""

import re
from urllib.parse import parse_qs, urlparse

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.conftest import code_for
from vrhub.accounts.admin_site import VerifiedAdminSite
from vrhub.accounts.models import SignInEvent
from vrhub.accounts.selectors import user_needs_second_factor
from vrhub.core.models import AuditEntry

pytestmark = pytest.mark.django_db

SETUP = "/account/two-factor/set-up/"
VERIFY = "/account/two-factor/"


def _sign_in(client, user, next_url=None):
    data = {"username": user.username, "password": "pw"}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("login"), data)


def _device(user, confirmed=True) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=confirmed)


def _verified(client) -> bool:
    return "otp_device_id" in client.session


def test_base_settings_require_it_for_vru_admins_and_signatories():
    from vrhub.settings import base

    assert base.OTP_REQUIRED_ROLES == ["vru_admin", "signatory"]
    assert base.OTP_REQUIRED_FOR_STAFF is True
    assert base.VRHUB_DEMO_SKIP_2FA is False


def test_vru_admin_goes_from_password_straight_to_setup(client, otp_on, vru_admin):
    response = _sign_in(client, vru_admin, next_url="/london/")
    assert response.status_code == 302
    location = urlparse(response["Location"])
    assert location.path == SETUP
    assert parse_qs(location.query)["next"] == ["/london/"]


@pytest.mark.parametrize(
    "url", ["/", "/london/", "/admin/", "/account/", "/account/api-tokens/new/", "/evidence/", "/api/v1/plans"]
)
def test_no_other_page_before_the_second_factor(client, otp_on, vru_admin, url):
    client.force_login(vru_admin)
    response = client.get(url)
    assert response.status_code == 302
    assert urlparse(response["Location"]).path == SETUP
    _device(vru_admin)
    response = client.get(url)
    assert urlparse(response["Location"]).path == VERIFY


def test_post_before_the_second_factor_is_refused_too(client, otp_on, vru_admin):
    client.force_login(vru_admin)
    response = client.post(reverse("accounts:token_new"), {"name": "x", "days": "30"})
    assert response.status_code == 302 and urlparse(response["Location"]).path == SETUP
    assert not vru_admin.api_tokens.exists()


def test_sign_out_health_and_static_stay_reachable(client, otp_on, signatory):
    client.force_login(signatory)
    assert client.get("/healthz").status_code == 200
    assert client.get(SETUP).status_code == 200
    assert client.get("/static/vrhub/css/vrhub.css").status_code != 302  # not sent to set up
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("role", ["borough_editor", "borough_viewer", "vru_reviewer"])
def test_other_roles_do_not_need_it(client, otp_on, london, havering, role):
    from tests.factories import UserFactory

    user = UserFactory(organisation=london if role.startswith("vru") else havering, role=role)
    assert not user_needs_second_factor(user=user)
    response = _sign_in(client, user)
    assert response["Location"] == reverse("home")
    assert client.get("/account/").status_code == 200


def test_setup_shows_a_qr_code_and_the_key_then_a_code_turns_it_on(client, otp_on, vru_admin):
    client.force_login(vru_admin)
    page = client.get(SETUP + "?next=/london/").content.decode()
    device = TOTPDevice.objects.get(user=vru_admin, confirmed=False)
    assert 'src="data:image/svg+xml' in page
    key = re.search(r'data-testid="totp-key">([A-Z2-7 ]+)<', page).group(1)
    from base64 import b32decode

    assert b32decode(key.replace(" ", "") + "=" * (-len(key.replace(" ", "")) % 8)) == device.bin_key
    assert client.get(SETUP).status_code == 200
    assert TOTPDevice.objects.filter(user=vru_admin).count() == 1  # the same pending device, not a new one

    wrong = client.post(SETUP, {"code": "000000" if code_for(device) != "000000" else "111111", "next": "/london/"})
    assert "The code is not right" in wrong.content.decode()
    assert not _verified(client)

    device.refresh_from_db()
    device.throttle_reset()
    done = client.post(SETUP, {"code": code_for(device), "next": "/london/"})
    body = done.content.decode()
    assert done.status_code == 200 and "Two-factor authentication is on" in body
    assert "no-store" in done["Cache-Control"]
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", body)
    assert len(codes) == 10
    assert set(StaticDevice.objects.get(user=vru_admin).token_set.values_list("token", flat=True)) == set(codes)
    assert 'href="/london/"' in body
    assert _verified(client)
    assert client.get("/account/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEntry.objects.filter(object_type="otp_totp.totpdevice", field="confirmed", new="yes").exists()
    assert SignInEvent.objects.filter(user=vru_admin, outcome="verified").exists()


def test_a_confirmed_authenticator_cannot_be_replaced_with_only_the_password(client, otp_on, vru_admin):
    _device(vru_admin)
    client.force_login(vru_admin)
    response = client.get(SETUP)
    assert urlparse(response["Location"]).path == VERIFY
    assert TOTPDevice.objects.filter(user=vru_admin).count() == 1


def test_verify_with_the_apps_code_then_the_same_code_is_not_accepted_twice(client, otp_on, signatory):
    device = _device(signatory)
    response = _sign_in(client, signatory, next_url="/account/")
    assert urlparse(response["Location"]).path == VERIFY
    code = code_for(device)
    response = client.post(VERIFY, {"code": code, "next": "/account/"})
    assert response.status_code == 302 and response["Location"] == "/account/"
    assert _verified(client)

    client.logout()
    _sign_in(client, signatory)
    again = client.post(VERIFY, {"code": code, "next": "/account/"})
    assert again.status_code == 200 and "The code is not right" in again.content.decode()
    assert SignInEvent.objects.filter(user=signatory, outcome="otp_failed").count() == 1


def test_wrong_codes_are_throttled(client, otp_on, signatory):
    otp_on.OTP_TOTP_THROTTLE_FACTOR = 60  # a wait of a minute after one wrong code (1 second by default)
    device = _device(signatory)
    client.force_login(signatory)
    client.post(VERIFY, {"code": "12345x"})
    client.post(VERIFY, {"code": "000000" if code_for(device) != "000000" else "111111"})
    response = client.post(VERIFY, {"code": code_for(device)})
    body = response.content.decode()
    assert re.search(r"Too many wrong codes: wait \d+ seconds, then try again", body)
    assert not _verified(client)


def test_a_backup_code_works_once(client, otp_on, vru_admin):
    from vrhub.accounts.services import backup_codes_regenerate

    _device(vru_admin)
    codes = backup_codes_regenerate(user=vru_admin)
    client.force_login(vru_admin)
    assert client.post(VERIFY, {"code": codes[0].upper()}).status_code == 302
    assert _verified(client)
    client.logout()
    client.force_login(vru_admin)
    StaticDevice.objects.update(throttling_failure_count=0, throttling_failure_timestamp=None)
    assert client.post(VERIFY, {"code": codes[0]}).status_code == 200
    assert not _verified(client)


def test_open_redirects_are_ignored(client, otp_on, signatory):
    device = _device(signatory)
    client.force_login(signatory)
    response = client.post(VERIFY, {"code": code_for(device), "next": "https://evil.example/"})
    assert response["Location"] == reverse("home")


def test_everyone_can_turn_it_on_and_then_must_give_it_when_signing_in(client, otp_on, editor):
    client.force_login(editor)
    assert "Off" in client.get("/account/").content.decode()
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=editor)
    client.post(SETUP, {"code": code_for(device)})
    client.logout()
    response = _sign_in(client, editor)
    assert urlparse(response["Location"]).path == VERIFY
    assert client.get("/").status_code == 302


def test_those_who_do_not_need_it_can_turn_it_off_but_not_those_who_do(client, otp_on, editor, vru_admin):
    from vrhub.accounts.services import backup_codes_regenerate

    for user in (editor, vru_admin):
        device = _device(user)
        backup_codes_regenerate(user=user)
        client.force_login(user)
        client.post(VERIFY, {"code": code_for(device)})
    client.force_login(vru_admin)
    client.post(VERIFY, {"code": code_for(TOTPDevice.objects.get(user=vru_admin), drift=1)})
    assert client.post(reverse("accounts:otp_remove")).status_code == 403
    assert TOTPDevice.objects.filter(user=vru_admin).exists()

    client.force_login(editor)
    client.post(VERIFY, {"code": code_for(TOTPDevice.objects.get(user=editor), drift=1)})
    assert client.post(reverse("accounts:otp_remove")).status_code == 302
    assert not TOTPDevice.objects.filter(user=editor).exists()
    assert not StaticDevice.objects.filter(user=editor).exists()
    assert AuditEntry.objects.filter(object_type="otp_totp.totpdevice", action="delete", actor=editor).exists()


def test_new_backup_codes_replace_the_old(client, otp_on, editor):
    from vrhub.accounts.services import backup_codes_regenerate

    device = _device(editor)
    old = backup_codes_regenerate(user=editor)
    client.force_login(editor)
    client.post(VERIFY, {"code": code_for(device)})
    body = client.post(reverse("accounts:otp_backup_codes")).content.decode()
    new = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", body)
    assert len(new) == 10 and not set(new) & set(old)
    assert set(StaticDevice.objects.get(user=editor).token_set.values_list("token", flat=True)) == set(new)


# The admin -------------------------------------------------------------------------------------


def test_admin_needs_a_verified_session(client, otp_on, vru_admin):
    request = RequestFactory().get("/admin/")
    request.user = vru_admin
    vru_admin.is_verified = lambda: False
    assert VerifiedAdminSite().has_permission(request) is False
    vru_admin.is_verified = lambda: True
    assert VerifiedAdminSite().has_permission(request) is True

    device = _device(vru_admin)
    client.force_login(vru_admin)
    assert urlparse(client.get("/admin/")["Location"]).path == VERIFY
    client.post(VERIFY, {"code": code_for(device)})
    assert client.get("/admin/").status_code == 200


def test_staff_without_a_role_need_it_too(client, otp_on, db):
    from tests.factories import UserFactory

    staff = UserFactory(organisation=None, role="", is_staff=True)
    assert user_needs_second_factor(user=staff)
    client.force_login(staff)
    assert urlparse(client.get("/admin/")["Location"]).path == SETUP


# The local demo switch -------------------------------------------------------------------------


def test_demo_skip_only_with_debug_on(otp_on, vru_admin):
    otp_on.VRHUB_DEMO_SKIP_2FA = True
    otp_on.DEBUG = False
    assert user_needs_second_factor(user=vru_admin)
    otp_on.DEBUG = True
    assert not user_needs_second_factor(user=vru_admin)


def test_sign_in_record_shows_second_factor_outcomes(client, otp_on, vru_admin, signatory):
    device = _device(signatory)
    client.force_login(signatory)
    client.post(VERIFY, {"code": "999999" if code_for(device) != "999999" else "888888"})
    client.force_login(vru_admin)
    vru_device = _device(vru_admin)
    client.post(VERIFY, {"code": code_for(vru_device)})
    body = client.get(reverse("accounts:sign_ins")).content.decode()
    assert "Wrong second-factor code" in body and "Second factor accepted" in body
