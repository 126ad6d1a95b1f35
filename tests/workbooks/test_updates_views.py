"""The update sheet on the quarters page: download, upload, preview in words, confirm, and who may."""

import io
import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import UserFactory
from tests.workbooks.test_updates_roundtrip import headings, rows_by_code, save
from vrhub.accounts.models import User
from vrhub.cycle.models import QuarterlyUpdate
from vrhub.cycle.services import quarter_close, quarterly_update_save, quarters_create
from vrhub.organisations.models import Organisation
from vrhub.plans.models import Status
from vrhub.plans.services import plan_create

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def quarters(template_2021):
    return quarters_create(template=template_2021)


def upload(client, plan, number: int, data: bytes):
    url = reverse("workbooks:updates_upload", args=[plan.pk, number])
    return client.post(url, {"file": SimpleUploadedFile("updates.xlsx", data, content_type=XLSX)})


def test_download_edit_upload_preview_in_words_and_confirm(client, plan, quarters, editor):
    quarterly_update_save(
        action=plan.actions.get(code="GOV-M2"), quarter=quarters[0], user=editor, progress="Old words", status="red"
    )
    client.force_login(editor)
    page = client.get(reverse("cycle:quarters", args=[plan.pk])).content.decode()
    assert reverse("workbooks:updates_download", args=[plan.pk, 1]) in page
    response = client.get(reverse("workbooks:updates_download", args=[plan.pk, 1]))
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert f"{plan.area.code}-2021-Q1-updates.xlsx" in response["Content-Disposition"]
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb.worksheets[0]
    cols, rows = headings(ws), rows_by_code(ws)
    ws.cell(rows["GOV-M1"], cols["Status"]).value = "not_started"
    ws.cell(rows["GOV-M1"], cols["Progress this quarter"]).value = "Waiting for the board"
    ws.cell(rows["GOV-M2"], cols["Status"]).value = "Complete"
    ws.cell(rows["GOV-M2"], cols["Progress this quarter"]).value = "New words"

    response = upload(client, plan, 1, save(wb))
    html = response.content.decode()
    assert response.status_code == 200
    assert "No update yet → <strong>Not started</strong>" in html
    assert "Red → <strong>Complete</strong>" in html and "Was: Old words" in html
    assert "not_started" not in html, "a raw status code is never shown"
    assert QuarterlyUpdate.objects.get(action__code="GOV-M2").status == Status.RED, "nothing saved by the preview"
    token = re.search(r'name="token" value="([0-9a-f]{32})"', html)[1]
    updates_hash = re.search(r'name="updates_hash" value="([0-9a-f]{64})"', html)[1]

    response = client.post(
        reverse("workbooks:updates_confirm", args=[plan.pk, 1]),
        {"token": token, "updates_hash": updates_hash},
        follow=True,
    )
    assert "Q1 2021/22 update sheet imported: 2 updates saved." in response.content.decode()
    saved = {
        u.action.code: (u.status, u.progress)
        for u in QuarterlyUpdate.objects.filter(action__plan=plan, quarter=quarters[0]).select_related("action")
    }
    assert saved == {"GOV-M1": ("not_started", "Waiting for the board"), "GOV-M2": ("complete", "New words")}


def test_errors_are_listed_by_sheet_row_and_column_and_nothing_is_kept(client, plan, quarters, editor):
    client.force_login(editor)
    response = client.get(reverse("workbooks:updates_download", args=[plan.pk, 1]))
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb.worksheets[0]
    cols, rows = headings(ws), rows_by_code(ws)
    ws.cell(rows["ANE-M1"], cols["Status"]).value = "Green"  # no progress
    html = upload(client, plan, 1, save(wb)).content.decode()
    assert "The sheet has 1 problem: nothing has been saved" in html
    assert f'<td class="govuk-table__cell">{rows["ANE-M1"]}</td>' in html
    assert "Describe progress this quarter for ANE-M1" in html
    assert 'name="token"' not in html
    assert not QuarterlyUpdate.objects.exists()


def test_another_boroughs_editor_gets_404_and_the_vru_403(client, plan, quarters, london):
    other = UserFactory(organisation=Organisation.objects.get(code="E09000022"), role=User.Role.BOROUGH_EDITOR)
    plan_create(area=other.organisation, template=plan.template, user=other)
    for user, code in ((other, 404), (UserFactory(organisation=london, role=User.Role.VRU_REVIEWER), 403)):
        client.force_login(user)
        assert client.get(reverse("workbooks:updates_download", args=[plan.pk, 1])).status_code == code
        assert upload(client, plan, 1, b"PK").status_code == code


def test_a_closed_quarter_offers_no_sheet_and_refuses_an_upload(client, plan, quarters, editor, london):
    quarter_close(quarter=quarters[0], user=UserFactory(organisation=london, role=User.Role.VRU_ADMIN))
    client.force_login(editor)
    page = client.get(reverse("cycle:quarters", args=[plan.pk])).content.decode()
    assert reverse("workbooks:updates_upload", args=[plan.pk, 1]) not in page
    assert reverse("workbooks:updates_upload", args=[plan.pk, 2]) in page
    assert upload(client, plan, 1, b"PK").status_code == 403
    assert "closed by the VRU" in client.get(reverse("workbooks:updates_upload", args=[plan.pk, 1])).content.decode()


def test_the_quarters_page_shows_due_dates_and_states_in_words(client, plan, quarters, editor, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: date(2021, 7, 20))
    client.force_login(editor)
    html = client.get(reverse("cycle:quarters", args=[plan.pk])).content.decode()
    rows = re.findall(r'<tr class="govuk-table__row" data-quarter="(\d)">(.*?)</tr>', html, flags=re.S)
    text = {n: re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)) for n, body in rows}
    today = date(2021, 7, 20)

    def due(q):
        return f"Due {q.due_on.day} {q.due_on:%B %Y}"

    late = (today - quarters[0].due_on).days
    assert late > 1 and (quarters[1].due_on - today).days > 14
    assert due(quarters[0]) in text["1"] and "Overdue" in text["1"] and f"{late} days past the due date" in text["1"]
    assert due(quarters[1]) in text["2"] and "Open" in text["2"] and "Overdue" not in text["2"]
