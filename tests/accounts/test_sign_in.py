"""Sign-in throttling and lock-out (django-axes), and the sign-in record."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory
from vrhub.accounts.models import SignInEvent

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def _try(client, username, password, ip="127.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_five_wrong_passwords_lock_the_account_even_against_the_right_password(client, editor, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        response = _try(client, editor.username, "wrong")
        assert response.status_code == 200 and "There is a problem" in response.content.decode()
    fifth = _try(client, editor.username, "wrong")
    assert fifth.status_code == 429
    assert "Your account is locked" in fifth.content.decode()

    right = _try(client, editor.username, "pw")
    assert right.status_code == 429
    assert "Your account is locked" in right.content.decode()
    assert not _signed_in(client)


def test_thirty_wrong_passwords_then_the_right_one_does_not_sign_in(client, editor):
    for _ in range(30):
        _try(client, editor.username, "wrong")
    assert _try(client, editor.username, "pw").status_code == 429
    assert not _signed_in(client)
    assert client.get(reverse("home")).status_code == 302


def test_lock_out_page_says_when_to_try_again(client, editor):
    for _ in range(5):
        response = _try(client, editor.username, "wrong")
    body = response.content.decode()
    attempt = AccessAttempt.objects.get(username=editor.username)
    retry = timezone.localtime(attempt.attempt_time + timedelta(minutes=30))
    expected = f"{retry.hour % 12 or 12}:{retry.minute:02d}{'am' if retry.hour < 12 else 'pm'}"
    assert f'You can try again at <time datetime="{retry.isoformat()}">{expected}' in body
    assert "locked your account for 30 minutes" in body
    assert int(response["Retry-After"]) > 29 * 60
    # Trying again while locked does not move the time on.
    _try(client, editor.username, "wrong")
    assert AccessAttempt.objects.get(username=editor.username).attempt_time == attempt.attempt_time


def test_four_failures_then_the_right_password_signs_in_and_resets_the_count(client, editor):
    for _ in range(4):
        _try(client, editor.username, "wrong")
    assert _try(client, editor.username, "pw").status_code == 302
    assert _signed_in(client)
    assert not AccessAttempt.objects.filter(username=editor.username).exists()


def test_lock_out_is_per_username_and_ip_address(client, editor):
    other = UserFactory(username="someone.else", organisation=editor.organisation)
    for _ in range(5):
        _try(client, editor.username, "wrong", ip="10.0.0.1")
    assert _try(client, other.username, "pw", ip="10.0.0.1").status_code == 302  # another username
    client.logout()
    assert _try(client, editor.username, "pw", ip="10.0.0.2").status_code == 302  # another address


def test_lock_out_ends_after_thirty_minutes(client, editor):
    for _ in range(5):
        _try(client, editor.username, "wrong")
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=31))
    assert _try(client, editor.username, "pw").status_code == 302
    assert _signed_in(client)


def test_the_admin_sign_in_page_sends_people_to_the_throttled_one(client, db):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# The sign-in record ----------------------------------------------------------------------------


def _outcomes(**filters) -> list[str]:
    return list(SignInEvent.objects.filter(**filters).order_by("at", "id").values_list("outcome", flat=True))


def test_sign_in_failures_lock_out_and_sign_out_are_recorded_with_ip(client, editor):
    _try(client, editor.username, "wrong", ip="192.0.2.7")
    _try(client, "no.such.person", "wrong", ip="192.0.2.7")
    assert _try(client, editor.username, "pw", ip="192.0.2.7").status_code == 302
    client.post(reverse("logout"), REMOTE_ADDR="192.0.2.7")

    assert _outcomes(username=editor.username) == ["failed", "signed_in", "signed_out"]
    failed = SignInEvent.objects.get(username="no.such.person")
    assert (failed.outcome, failed.user, failed.ip_address) == ("failed", None, "192.0.2.7")
    first = SignInEvent.objects.filter(username=editor.username).order_by("at", "id").first()
    assert (first.user, first.ip_address) == (editor, "192.0.2.7")


def test_lock_out_and_refusals_are_recorded(client, editor):
    for _ in range(5):
        _try(client, editor.username, "wrong")
    _try(client, editor.username, "pw")
    assert _outcomes(username=editor.username) == ["failed"] * 5 + ["locked_out", "refused_locked"]


def test_vru_admin_sees_their_vrus_sign_ins_only(client, london, editor, other_vru_editor):
    from vrhub.accounts.models import User

    admin = UserFactory(organisation=london, role=User.Role.VRU_ADMIN)
    _try(client, editor.username, "wrong", ip="198.51.100.1")
    _try(client, other_vru_editor.username, "wrong", ip="198.51.100.2")
    client.force_login(admin)
    body = client.get(reverse("accounts:sign_ins")).content.decode()
    assert editor.username in body and "198.51.100.1" in body and "Wrong username or password" in body
    assert other_vru_editor.username not in body and "198.51.100.2" not in body

    only = client.get(reverse("accounts:sign_ins"), {"username": other_vru_editor.username}).content.decode()
    assert "198.51.100.2" not in only


@pytest.mark.parametrize("role", ["vru_reviewer", "borough_editor"])
def test_only_vru_admins_see_the_sign_in_record(client, london, havering, role):
    user = UserFactory(organisation=london if role.startswith("vru") else havering, role=role)
    client.force_login(user)
    assert client.get(reverse("accounts:sign_ins")).status_code == 403
    assert client.get(reverse("accounts:vru_tokens")).status_code == 403
