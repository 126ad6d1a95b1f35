import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from tests.workbooks.test_import import rows_by_code, save
from vrhub.plans.services import plan_action_update
from vrhub.workbooks.export import plan_workbook_bytes

pytestmark = pytest.mark.django_db


def edited_workbook(plan, cells: dict) -> bytes:
    wb = load_workbook(io.BytesIO(plan_workbook_bytes(plan=plan)))
    ws = wb["1 Governance"]
    rows = rows_by_code(ws)
    for (code, col), value in cells.items():
        ws.cell(rows[code], col).value = value
    return save(wb)


def test_download_button_gives_an_xlsx(client, plan, editor):
    client.force_login(editor)
    response = client.get(reverse("workbooks:download", args=[plan.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="E09000016-2021-plan.xlsx"'
    assert load_workbook(io.BytesIO(response.content)).sheetnames[0] == "Instructions"


def test_upload_shows_changes_and_saves_only_on_confirmation(client, plan, editor):
    client.force_login(editor)
    data = edited_workbook(plan, {("GOV-M1", 14): "Board met in May", ("GOV-M1", 16): "A"})
    url = reverse("workbooks:upload", args=[plan.pk])
    body = client.post(url, {"file": SimpleUploadedFile("plan.xlsx", data)}).content.decode()
    assert "Check the changes before saving" in body and "Board met in May" in body
    assert '<td class="govuk-table__cell">Amber</td>' in body and ">amber<" not in body  # the label, not the value
    assert plan.actions.get(code="GOV-M1").progress == ""
    token = body.split('name="token" value="')[1].split('"')[0]
    plan_hash = body.split('name="plan_hash" value="')[1].split('"')[0]
    response = client.post(reverse("workbooks:confirm", args=[plan.pk]), {"token": token, "plan_hash": plan_hash})
    assert response.status_code == 302
    action = plan.actions.get(code="GOV-M1")
    assert (action.progress, action.status) == ("Board met in May", "amber")
    again = client.post(reverse("workbooks:confirm", args=[plan.pk]), {"token": token, "plan_hash": plan_hash})
    assert again.status_code == 302 and again["Location"].endswith("/import/"), "a token works once"


def test_confirm_refuses_if_the_plan_changed_since_the_preview(client, plan, editor):
    client.force_login(editor)
    data = edited_workbook(plan, {("GOV-M1", 14): "From the workbook"})
    body = client.post(
        reverse("workbooks:upload", args=[plan.pk]), {"file": SimpleUploadedFile("plan.xlsx", data)}
    ).content.decode()
    token = body.split('name="token" value="')[1].split('"')[0]
    plan_hash = body.split('name="plan_hash" value="')[1].split('"')[0]
    plan_action_update(action=plan.actions.get(code="GOV-M2"), user=editor, data={"progress": "Meanwhile"})
    client.post(reverse("workbooks:confirm", args=[plan.pk]), {"token": token, "plan_hash": plan_hash})
    assert plan.actions.get(code="GOV-M1").progress == ""


def test_upload_errors_are_listed_with_sheet_row_and_column(client, plan, editor):
    client.force_login(editor)
    data = edited_workbook(plan, {("GOV-M1", 16): "Purple"})
    body = client.post(
        reverse("workbooks:upload", args=[plan.pk]), {"file": SimpleUploadedFile("plan.xlsx", data)}
    ).content.decode()
    assert "nothing has been saved" in body and "P (Status)" in body and "1 Governance" in body


def test_hostile_upload_is_refused_on_the_page(client, plan, editor):
    client.force_login(editor)
    body = client.post(
        reverse("workbooks:upload", args=[plan.pk]), {"file": SimpleUploadedFile("plan.xlsm", b"PK\x03\x04junk")}
    ).content.decode()
    assert "Macro-enabled workbooks cannot be uploaded" in body


@pytest.mark.parametrize("other_fields", [{}, {"note": "x"}])
def test_an_upload_over_the_size_limit_names_the_limit_instead_of_failing(
    client, plan, editor, settings, other_fields, tmp_path
):
    settings.MEDIA_ROOT = tmp_path  # its own folder: another test's import files cannot stand in for ours
    """The upload handler drops the file at DOCUMENT_MAX_BYTES; with nothing else posted the form
    used to be unbound and the page failed with a server error."""
    settings.DOCUMENT_MAX_BYTES = 1024 * 1024
    client.force_login(editor)
    big = SimpleUploadedFile("plan.xlsx", b"PK\x03\x04" + b"\0" * (1024 * 1024 + 10))
    response = client.post(reverse("workbooks:upload", args=[plan.pk]), {"file": big, **other_fields})
    assert response.status_code == 200
    body = response.content.decode()
    assert "The file is larger than the 1 MB limit" in body
    assert "Select the workbook to upload" not in body
    assert "up to 1 MB" in body
    assert not (settings.MEDIA_ROOT / "imports").exists() or not any((settings.MEDIA_ROOT / "imports").iterdir())
