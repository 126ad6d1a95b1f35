"""Signing in with a second factor, and an API token's life, in the browser."""

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.e2e.axe import assert_no_axe_violations
from tests.e2e.pages import AccountPage, LoginPage, TwoFactorPage, TwoFactorSetupPage, totp_code
from vrhub.accounts.models import User

pytestmark = pytest.mark.e2e

SCREENSHOTS = "/tmp"


@pytest.fixture
def otp_on(settings):
    settings.OTP_REQUIRED_ROLES = ["vru_admin", "signatory"]
    settings.OTP_REQUIRED_FOR_STAFF = True


def test_vru_admin_sets_up_two_factor_then_creates_and_revokes_a_token(page, e2e_data, otp_on):
    LoginPage(page).open().sign_in("vru.admin")
    expect(page.locator("h1")).to_have_text("Set up two-factor authentication")
    setup = TwoFactorSetupPage(page).check_accessibility()
    expect(page.get_by_test_id("totp-qr")).to_be_visible()
    key = setup.manual_key()
    page.screenshot(path=f"{SCREENSHOTS}/vrhub-totp-setup.png", full_page=True)

    codes = setup.enter_code(totp_code(key))
    expect(page.locator("h1")).to_have_text("Two-factor authentication is on")
    codes.check_accessibility()
    assert len(codes.codes()) == 10
    codes.done()
    expect(page.locator("h1")).not_to_have_text("Set up two-factor authentication")

    account = AccountPage(page).open()
    expect(page.locator("h1")).to_have_text("Your account")
    assert account.two_factor_state().startswith("On: authenticator app, 10 backup codes left")
    account.check_accessibility()

    created = account.create_token("Power BI dashboard", days=30)
    expect(page.locator("h1")).to_have_text("API token created")
    created.check_accessibility()
    key = created.key()
    assert key.startswith("vrh_")
    api = page.request.get("/api/v1/plans", headers={"Authorization": f"Bearer {key}"})
    assert api.status == 200

    account = created.back_to_account()
    assert account.token_state("Power BI dashboard") == "Active"
    assert key not in page.content()
    page.screenshot(path=f"{SCREENSHOTS}/vrhub-account.png", full_page=True)

    revoke = account.revoke("Power BI dashboard")
    expect(page.locator("h1")).to_have_text(re.compile("Revoke the API token ‘Power BI dashboard’"))
    revoke.check_accessibility()
    account = revoke.confirm()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("no longer works")
    assert account.token_state("Power BI dashboard") == "Revoked"
    account.check_accessibility()
    assert page.request.get("/api/v1/plans", headers={"Authorization": f"Bearer {key}"}).status == 401

    page.get_by_role("link", name="API tokens of everyone in your VRU").click()
    expect(page.get_by_test_id("vru-token-table")).to_contain_text("Power BI dashboard")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Back to your account").click()
    page.get_by_role("link", name="Sign-in record").click()
    expect(page.get_by_test_id("sign-in-table")).to_contain_text("Second factor accepted")
    assert_no_axe_violations(page)


def test_signatory_enters_a_code_and_a_locked_out_user_is_told_when_to_retry(page, e2e_data, otp_on):
    device = TOTPDevice.objects.create(user=User.objects.get(username="havering.chiefexec"), confirmed=True)
    from base64 import b32encode

    key = b32encode(device.bin_key).decode()

    LoginPage(page).open().sign_in("havering.chiefexec")
    expect(page.locator("h1")).to_have_text("Enter the code from your authenticator app")
    verify = TwoFactorPage(page).check_accessibility()
    wrong = "000000" if totp_code(key) != "000000" else "111111"
    verify.enter_code(wrong)
    expect(page.locator(".govuk-error-summary")).to_contain_text("The code is not right")
    verify.check_accessibility()
    page.wait_for_timeout(1100)  # one wrong code: django-otp wants a second before the next
    verify.enter_code(totp_code(key))
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    expect(page.locator("h1")).not_to_have_text("Enter the code from your authenticator app")
    page.get_by_role("button", name="Sign out").click()

    login = LoginPage(page).open()
    for _ in range(5):
        login.sign_in("havering.viewer", password="not-the-password")
    expect(page.locator("h1")).to_have_text("Your account is locked")
    expect(page.get_by_test_id("retry-at")).to_contain_text(re.compile(r"You can try again at \d{1,2}:\d\d[ap]m"))
    assert_no_axe_violations(page)
    LoginPage(page).open().sign_in("havering.viewer")
    expect(page.locator("h1")).to_have_text("Your account is locked")
