"""Idle and absolute session limits; changing a password; production's SECRET_KEY."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.urls import reverse

from vrhub.accounts.models import SignInEvent
from vrhub.accounts.signals import SESSION_AUTH_AT, SESSION_SEEN_AT
from vrhub.core.models import AuditEntry

ROOT = Path(__file__).resolve().parents[2]


def _age_session(client, **seconds_ago):
    session = client.session
    now = int(time.time())
    for key, ago in seconds_ago.items():
        session[key] = now - ago
    session.save()


@pytest.mark.django_db
def test_settings_limit_sessions(settings):
    assert settings.SESSION_IDLE_TIMEOUT == 30 * 60
    assert settings.SESSION_COOKIE_AGE == 12 * 60 * 60
    assert settings.SESSION_COOKIE_AGE < 14 * 24 * 60 * 60


@pytest.mark.django_db
def test_thirty_idle_minutes_sign_you_out_and_the_sign_in_page_says_why(client, editor):
    client.force_login(editor)
    _age_session(client, **{SESSION_SEEN_AT: 30 * 60 + 5})
    response = client.get("/account/")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/account/"
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"]).content.decode()
    assert "You have been signed out because you did not use vrhub for 30 minutes" in page
    assert SignInEvent.objects.filter(user=editor, outcome=SignInEvent.Outcome.TIMED_OUT).count() == 1
    assert not SignInEvent.objects.filter(user=editor, outcome=SignInEvent.Outcome.SIGNED_OUT).exists()


@pytest.mark.django_db
def test_activity_keeps_the_session(client, editor):
    client.force_login(editor)
    _age_session(client, **{SESSION_SEEN_AT: 29 * 60})
    assert client.get("/account/").status_code == 200
    seen = client.session[SESSION_SEEN_AT]
    assert int(time.time()) - seen < 5  # the request counted as activity
    assert client.get("/account/").status_code == 200


@pytest.mark.django_db
def test_the_idle_limit_is_a_setting(client, editor, settings):
    settings.SESSION_IDLE_TIMEOUT = 5 * 60
    client.force_login(editor)
    _age_session(client, **{SESSION_SEEN_AT: 6 * 60})
    assert client.get("/account/").status_code == 302


@pytest.mark.django_db
def test_twelve_hours_after_signing_in_you_are_signed_out_however_active(client, editor):
    client.force_login(editor)
    _age_session(client, **{SESSION_AUTH_AT: 12 * 60 * 60 + 1, SESSION_SEEN_AT: 10})
    response = client.get("/account/")
    assert response.status_code == 302 and "_auth_user_id" not in client.session
    assert "signed in more than 12 hours ago" in client.get(response["Location"]).content.decode()
    assert SignInEvent.objects.filter(user=editor, outcome=SignInEvent.Outcome.EXPIRED).exists()


# Passwords -------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("new", "message"),
    [
        ("short1", "This password is too short. It must contain at least 8 characters."),
        ("password123", "This password is too common."),
        ("73918264051", "This password is entirely numeric."),
    ],
)
def test_a_weak_new_password_is_refused(client, editor, new, message):
    client.force_login(editor)
    response = client.post(
        reverse("accounts:password_change"), {"old_password": "pw", "new_password1": new, "new_password2": new}
    )
    body = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in body and message in body
    editor.refresh_from_db()
    assert editor.check_password("pw")


@pytest.mark.django_db
def test_a_password_like_the_username_is_refused(client, editor):
    client.force_login(editor)
    new = editor.username + "x"
    response = client.post(
        reverse("accounts:password_change"), {"old_password": "pw", "new_password1": new, "new_password2": new}
    )
    assert "The password is too similar to the username." in response.content.decode()


@pytest.mark.django_db
def test_changing_the_password_needs_the_current_one_and_is_audited(client, editor):
    client.force_login(editor)
    url = reverse("accounts:password_change")
    new = "violet-harbour-tram-42"
    wrong = client.post(url, {"old_password": "nope", "new_password1": new, "new_password2": new})
    assert "Your current password is not right" in wrong.content.decode()
    response = client.post(url, {"old_password": "pw", "new_password1": new, "new_password2": new})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:account")
    editor.refresh_from_db()
    assert editor.check_password(new)
    assert client.get("/account/").status_code == 200  # still signed in
    entry = AuditEntry.objects.get(object_type="accounts.user", object_id=str(editor.pk), field="password")
    assert (entry.actor, entry.old, entry.new) == (editor, "", "changed")
    assert new not in entry.new


@pytest.mark.django_db
def test_the_admins_password_form_refuses_a_weak_password(editor):
    form = AdminPasswordChangeForm(editor, {"password1": "12345678", "password2": "12345678"})
    assert not form.is_valid()
    assert "This password is too common." in str(form.errors)


@pytest.mark.django_db
def test_change_password_page_is_reachable_from_the_account_page(client, editor):
    client.force_login(editor)
    assert reverse("accounts:password_change") in client.get("/account/").content.decode()
    assert "Change your password" in client.get(reverse("accounts:password_change")).content.decode()


# Production's SECRET_KEY -----------------------------------------------------------------------


def _import_production(secret_key: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DATABASE_URL"}}
    env["SECRET_KEY"] = secret_key
    return subprocess.run(
        [sys.executable, "-c", "import vrhub.settings.production"], cwd=ROOT, env=env, capture_output=True, text=True
    )


@pytest.mark.parametrize(
    "key",
    [
        "a" * 60,  # long, one character
        "abcd" * 15,  # long, four different characters
        "insecure-" + "k3y-w1th-l0ts-0f-d1fferent-ch4racters-but-the-prefix-x",
        "Sh0rt-but-v4ried-key!",
    ],
)
def test_production_refuses_a_weak_secret_key(key):
    result = _import_production(key)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "at least 5 of them different" in result.stderr


def test_production_accepts_a_strong_secret_key():
    result = _import_production("abcde" * 10)  # 50 characters, 5 different: Django's own limits
    assert result.returncode == 0, result.stderr
