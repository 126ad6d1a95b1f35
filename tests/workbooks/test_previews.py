"""Import previews (copies of plan data with names) expire, and go at once when confirmed or cancelled."""

import json
import os
from datetime import UTC, datetime, timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from tests.workbooks.test_views import edited_workbook
from vrhub.workbooks import limits
from vrhub.workbooks.previews import (
    import_preview_delete,
    import_preview_read,
    import_preview_store,
    import_previews_purge,
)

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def previews() -> list[str]:
    folder = Path(settings.MEDIA_ROOT) / "imports"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_a_preview_is_stored_with_its_time_and_read_back_once_within_the_limit():
    token = import_preview_store(data=b"workbook", now=NOW)
    assert previews() == [f"20260301120000-{token}.xlsx"]
    assert import_preview_read(token=token, now=NOW + limits.PREVIEW_MAX_AGE) == b"workbook"
    assert import_preview_delete(token=token) is True
    assert previews() == [] and import_preview_read(token=token, now=NOW) is None


def test_an_expired_preview_is_not_read_and_is_deleted():
    token = import_preview_store(data=b"workbook", now=NOW)
    assert import_preview_read(token=token, now=NOW + limits.PREVIEW_MAX_AGE + timedelta(seconds=1)) is None
    assert previews() == []


def test_purge_deletes_only_previews_older_than_the_limit_and_counts_them(media):
    recent = import_preview_store(data=b"recent", now=NOW - timedelta(minutes=30))
    old = import_preview_store(data=b"old", now=NOW - timedelta(hours=3))
    legacy = media / "imports" / "0123456789abcdef0123456789abcdef.xlsx"  # named before previews had times
    legacy.write_bytes(b"legacy")
    os.utime(legacy, (NOW.timestamp() - 5 * 3600, NOW.timestamp() - 5 * 3600))
    assert import_previews_purge(older_than=timedelta(hours=2), now=NOW) == 2
    assert previews() == [f"{(NOW - timedelta(minutes=30)):%Y%m%d%H%M%S}-{recent}.xlsx"]
    assert import_preview_read(token=old, now=NOW) is None


def test_making_a_preview_purges_the_expired_ones():
    stale = import_preview_store(data=b"stale", now=NOW - limits.PREVIEW_MAX_AGE - timedelta(minutes=1))
    fresh = import_preview_store(data=b"fresh", now=NOW)
    assert [name.split("-")[1] for name in previews()] == [f"{fresh}.xlsx"]
    assert stale != fresh


@pytest.mark.parametrize("token", ["../../etc/passwd", "*", "", "A" * 32, None, "0" * 31])
def test_tokens_that_are_not_ours_find_nothing(token):
    import_preview_store(data=b"x", now=NOW)
    assert import_preview_read(token=token, now=NOW) is None
    assert import_preview_delete(token=token) is False
    assert len(previews()) == 1


def test_purge_command_reports_what_it_deleted():
    import_preview_store(data=b"new", now=datetime.now(UTC))
    import_preview_store(data=b"old", now=datetime.now(UTC) - timedelta(hours=3))
    out = StringIO()
    call_command("purge_import_previews", "--json", stdout=out)
    assert json.loads(out.getvalue()) == {"deleted": 1, "older_than_minutes": 120.0}
    out = StringIO()
    call_command("purge_import_previews", "--older-than-minutes", "0", stdout=out)
    assert out.getvalue().strip() == "1 import preview(s) older than 0 minutes deleted."
    assert previews() == []


def upload(client, plan, data: bytes) -> str:
    body = client.post(
        reverse("workbooks:upload", args=[plan.pk]), {"file": SimpleUploadedFile("plan.xlsx", data)}
    ).content.decode()
    return body


def token_of(body: str) -> tuple[str, str]:
    token = body.split('name="token" value="')[1].split('"')[0]
    plan_hash = body.split('name="plan_hash" value="')[1].split('"')[0]
    return token, plan_hash


@pytest.mark.django_db
def test_confirming_deletes_the_preview(client, plan, editor):
    client.force_login(editor)
    token, plan_hash = token_of(upload(client, plan, edited_workbook(plan, {("GOV-M1", 14): "Met in May"})))
    assert len(previews()) == 1 and token in previews()[0]
    client.post(reverse("workbooks:confirm", args=[plan.pk]), {"token": token, "plan_hash": plan_hash})
    assert previews() == [] and plan.actions.get(code="GOV-M1").progress == "Met in May"


@pytest.mark.django_db
def test_cancelling_deletes_the_preview_and_saves_nothing(client, plan, editor):
    client.force_login(editor)
    body = upload(client, plan, edited_workbook(plan, {("GOV-M1", 14): "Met in May"}))
    assert 'name="cancel"' in body
    token, plan_hash = token_of(body)
    response = client.post(
        reverse("workbooks:confirm", args=[plan.pk]), {"token": token, "plan_hash": plan_hash, "cancel": "1"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("plans:detail", args=[plan.pk])
    assert previews() == [] and plan.actions.get(code="GOV-M1").progress == ""
    assert client.session["workbook_imports"] == {}
    again = client.post(reverse("workbooks:confirm", args=[plan.pk]), {"token": token, "plan_hash": plan_hash})
    assert again["Location"].endswith("/import/") and plan.actions.get(code="GOV-M1").progress == ""


@pytest.mark.django_db
def test_a_new_upload_replaces_the_previous_preview(client, plan, editor):
    client.force_login(editor)
    first, _ = token_of(upload(client, plan, edited_workbook(plan, {("GOV-M1", 14): "First"})))
    second, _ = token_of(upload(client, plan, edited_workbook(plan, {("GOV-M1", 14): "Second"})))
    assert first != second and len(previews()) == 1 and second in previews()[0]
    assert list(client.session["workbook_imports"]) == [second]


@pytest.mark.django_db
def test_an_expired_preview_cannot_be_confirmed(client, plan, editor, media):
    client.force_login(editor)
    token, plan_hash = token_of(upload(client, plan, edited_workbook(plan, {("GOV-M1", 14): "Too late"})))
    path = next((media / "imports").iterdir())
    made = datetime.now(UTC) - limits.PREVIEW_MAX_AGE - timedelta(minutes=1)
    path.rename(path.with_name(f"{made:%Y%m%d%H%M%S}-{token}.xlsx"))
    response = client.post(reverse("workbooks:confirm", args=[plan.pk]), {"token": token, "plan_hash": plan_hash})
    assert response["Location"].endswith("/import/")
    assert previews() == [] and plan.actions.get(code="GOV-M1").progress == ""
