"""API tokens: expiry, listing, creating and revoking them, each person's and each VRU's."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from vrhub.core.models import AuditEntry
from vrhub.transparency.models import ApiToken
from vrhub.transparency.services import api_token_authenticate, api_token_issue, api_token_revoke

pytestmark = pytest.mark.django_db


# Services --------------------------------------------------------------------------------------


def test_a_token_expires_after_90_days_by_default(editor):
    token, key = api_token_issue(user=editor, name="BI tool")
    assert timedelta(days=90) - timedelta(minutes=1) < token.expires_at - timezone.now() <= timedelta(days=90)
    assert key.startswith("vrh_") and token.prefix == key[4:12]
    assert ApiToken.objects.get(pk=token.pk).key_hash != key
    entry = AuditEntry.objects.get(object_type="transparency.apitoken", object_id=str(token.pk), field="expires_at")
    assert entry.action == "create" and entry.actor == editor


@pytest.mark.parametrize("days", [30, 365])
def test_the_lifetime_is_chosen_at_creation(editor, days):
    token, _ = api_token_issue(user=editor, name="BI tool", days=days)
    assert abs((token.expires_at - timezone.now()) - timedelta(days=days)) < timedelta(minutes=1)


@pytest.mark.parametrize("days", [0, -1, 366, 10_000])
def test_a_lifetime_out_of_range_is_refused_naming_the_limit(editor, days):
    with pytest.raises(ValidationError) as exc:
        api_token_issue(user=editor, name="BI tool", days=days)
    assert exc.value.message_dict == {"days": ["A token must last between 1 and 365 days"]}


def test_a_long_name_is_refused_naming_the_limit(editor):
    with pytest.raises(ValidationError) as exc:
        api_token_issue(user=editor, name="x" * 101)
    assert exc.value.message_dict == {"name": ["Token name must be 100 characters or fewer"]}


def test_an_active_token_authenticates_and_records_its_use(editor):
    token, key = api_token_issue(user=editor, name="BI tool")
    assert api_token_authenticate(key) == editor
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_an_expired_token_is_refused(editor):
    token, key = api_token_issue(user=editor, name="BI tool", days=30)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert api_token_authenticate(key) is None
    token.refresh_from_db()
    assert token.state == ApiToken.State.EXPIRED and token.last_used_at is None


def test_a_revoked_token_is_refused(editor):
    token, key = api_token_issue(user=editor, name="BI tool")
    api_token_revoke(token=token, user=editor)
    assert api_token_authenticate(key) is None
    assert token.revoked_at is not None
    token.refresh_from_db()
    assert token.state == ApiToken.State.REVOKED
    entry = AuditEntry.objects.get(object_type="transparency.apitoken", object_id=str(token.pk), field="revoked_at")
    assert entry.actor == editor and entry.action == "update"


def test_the_api_refuses_an_expired_token(client, editor, template_2021):
    token, key = api_token_issue(user=editor, name="BI tool")
    assert client.get("/api/v1/plans", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now())
    assert client.get("/api/v1/plans", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


def test_an_admin_of_the_owners_vru_may_revoke_it(editor, vru_admin, bcu_user):
    for owner in (editor, bcu_user, vru_admin):
        token, _ = api_token_issue(user=owner, name="BI tool")
        api_token_revoke(token=token, user=vru_admin)
        assert ApiToken.objects.get(pk=token.pk).revoked_at is not None


def test_an_admin_of_another_vru_may_not(editor, other_vru_admin, other_vru_editor, vru_admin):
    token, _ = api_token_issue(user=editor, name="BI tool")
    with pytest.raises(PermissionDenied):
        api_token_revoke(token=token, user=other_vru_admin)
    theirs, _ = api_token_issue(user=other_vru_editor, name="BI tool")
    with pytest.raises(PermissionDenied):
        api_token_revoke(token=theirs, user=vru_admin)
    assert not ApiToken.objects.filter(revoked_at__isnull=False).exists()


def test_other_people_may_not_revoke_it(editor, reviewer, signatory):
    token, _ = api_token_issue(user=editor, name="BI tool")
    for user in (reviewer, signatory):
        with pytest.raises(PermissionDenied):
            api_token_revoke(token=token, user=user)


def test_revoking_twice_is_refused(editor):
    token, _ = api_token_issue(user=editor, name="BI tool")
    api_token_revoke(token=token, user=editor)
    with pytest.raises(ValidationError, match="already revoked"):
        api_token_revoke(token=token, user=editor)


# The command -----------------------------------------------------------------------------------


def test_create_api_token_command_takes_days(editor):
    out, err = StringIO(), StringIO()
    call_command("create_api_token", user=editor.username, name="Nightly export", days=30, stdout=out, stderr=err)
    key = out.getvalue().strip()
    token = ApiToken.objects.get(key_hash=ApiToken.hash(key))
    assert abs((token.expires_at - timezone.now()) - timedelta(days=30)) < timedelta(minutes=1)
    assert "Expires" in err.getvalue()
    with pytest.raises(CommandError, match="between 1 and 365 days"):
        call_command("create_api_token", user=editor.username, name="Too long", days=400, stdout=out, stderr=err)


def test_create_api_token_command_defaults_to_90_days(editor):
    out = StringIO()
    call_command("create_api_token", "--user", editor.username, "--name", "Nightly", stdout=out, stderr=StringIO())
    token = ApiToken.objects.get(key_hash=ApiToken.hash(out.getvalue().strip()))
    assert token.expires_at - timezone.now() > timedelta(days=89)


# The account page ------------------------------------------------------------------------------


def test_account_page_lists_your_tokens_only_with_their_state(client, editor, reviewer):
    active, _ = api_token_issue(user=editor, name="Dashboard")
    revoked, _ = api_token_issue(user=editor, name="Old script")
    api_token_revoke(token=revoked, user=editor)
    expired, _ = api_token_issue(user=editor, name="Trial")
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(days=1))
    api_token_issue(user=reviewer, name="Someone else's")
    client.force_login(editor)
    body = client.get(reverse("accounts:account")).content.decode()
    row = r'<tr class="govuk-table__row" data-token="([^"]+)">.*?data-testid="token-state">(.*?)</td>'
    rows = dict(re.findall(row, body, re.S))
    states = {prefix: re.sub(r"<[^>]+>", "", html).strip() for prefix, html in rows.items()}
    assert states == {active.prefix: "Active", revoked.prefix: "Revoked", expired.prefix: "Expired"}
    assert "Someone else&#x27;s" not in body and "Someone else's" not in body
    assert body.count("/revoke/") == 1  # only the active one can be revoked


def test_creating_a_token_shows_the_key_once(client, editor):
    client.force_login(editor)
    response = client.post(reverse("accounts:token_new"), {"name": "Power BI", "days": "365"})
    body = response.content.decode()
    key = re.search(r'value="(vrh_[^"]+)"', body).group(1)
    assert "You will not be able to see it again" in body
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get(user=editor)
    assert token.key_hash == ApiToken.hash(key) and token.name == "Power BI"
    assert abs((token.expires_at - timezone.now()) - timedelta(days=365)) < timedelta(minutes=1)
    assert key not in client.get(reverse("accounts:account")).content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "days": "90"}, "Enter a token name"),
        ({"name": "x" * 101, "days": "90"}, "Token name must be 100 characters or fewer"),
        ({"name": "BI", "days": "400"}, "Choose 30, 90 or 365 days"),
        ({"name": "BI"}, "Choose how long the token should work"),
    ],
)
def test_creating_a_token_with_bad_input_says_what_is_wrong(client, editor, data, message):
    client.force_login(editor)
    response = client.post(reverse("accounts:token_new"), data)
    body = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in body and message in body
    assert not ApiToken.objects.exists()


def test_revoking_your_token_asks_first(client, editor):
    token, key = api_token_issue(user=editor, name="Dashboard")
    client.force_login(editor)
    url = reverse("accounts:token_revoke", args=[token.pk])
    page = client.get(url).content.decode()
    assert "Revoke the API token ‘Dashboard’?" in page
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:account")
    assert api_token_authenticate(key) is None


def test_you_cannot_see_or_revoke_someone_elses_token(client, editor, reviewer):
    token, _ = api_token_issue(user=reviewer, name="Dashboard")
    client.force_login(editor)
    url = reverse("accounts:token_revoke", args=[token.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


# The VRU admin's page --------------------------------------------------------------------------


def test_vru_admin_lists_every_token_in_their_vru_and_none_of_another(
    client, vru_admin, editor, reviewer, bcu_user, other_vru_editor, other_vru_admin
):
    mine = [api_token_issue(user=u, name=f"{u.username} token")[0] for u in (editor, reviewer, bcu_user)]
    theirs = [api_token_issue(user=u, name=f"{u.username} token")[0] for u in (other_vru_editor, other_vru_admin)]
    client.force_login(vru_admin)
    body = client.get(reverse("accounts:vru_tokens")).content.decode()
    for token in mine:
        assert f'data-token="{token.prefix}"' in body
    for token in theirs:
        assert f'data-token="{token.prefix}"' not in body
        assert client.get(reverse("accounts:token_revoke", args=[token.pk])).status_code == 404

    response = client.post(reverse("accounts:token_revoke", args=[mine[0].pk]))
    assert response["Location"] == reverse("accounts:vru_tokens")
    assert ApiToken.objects.get(pk=mine[0].pk).revoked_at is not None


def test_each_vrus_admin_sees_their_own(client, other_vru_admin, other_vru_editor, editor):
    theirs, _ = api_token_issue(user=other_vru_editor, name="WM token")
    london, _ = api_token_issue(user=editor, name="London token")
    client.force_login(other_vru_admin)
    body = client.get(reverse("accounts:vru_tokens")).content.decode()
    assert f'data-token="{theirs.prefix}"' in body and f'data-token="{london.prefix}"' not in body
