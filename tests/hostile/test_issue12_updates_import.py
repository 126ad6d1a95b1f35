# ruff: noqa: F811  (fixtures imported from tests.cycle.conftest are parameters here)
"""Issue 12 break-it: crafted quarterly update sheets for import_updates (service, view and command)."""

import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from tests.cycle.conftest import quarters  # noqa: F401  (fixture)
from tests.factories import UserFactory
from vrhub.accounts.models import User
from vrhub.cycle import services as cycle
from vrhub.cycle.models import QuarterlyUpdate
from vrhub.organisations.models import Organisation
from vrhub.plans.services import plan_create
from vrhub.workbooks.columns import updates_sheet_name
from vrhub.workbooks.updates_export import updates_workbook
from vrhub.workbooks.updates_import import updates_import_apply, updates_import_preview

pytestmark = pytest.mark.django_db


def heads(ws):
    return {c.value: c.column for c in ws[1] if c.value}


def sheet(plan, quarter, fill=True):
    wb = updates_workbook(plan=plan, quarter=quarter)
    ws = wb[updates_sheet_name(quarter.label)]
    if fill:
        h = heads(ws)
        for row in range(2, ws.max_row + 1):
            if ws.cell(row, h["Action code"]).value:
                ws.cell(row, h["Status"]).value = "Green"
                ws.cell(row, h["Progress this quarter"]).value = f"Done row {row}"
    return wb, ws


def data(wb) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def first_row(ws):
    h = heads(ws)
    return next(r for r in range(2, ws.max_row + 1) if ws.cell(r, h["Action code"]).value)


def count():
    return QuarterlyUpdate.objects.count()


@pytest.fixture
def q1(plan, quarters):  # noqa: F811
    return quarters[0]


def refused(plan, quarter, wb, needle=""):
    before = count()
    result = updates_import_preview(plan=plan, quarter=quarter, data=data(wb), name="u.xlsx")
    assert not result.ok, "the crafted sheet was accepted"
    if needle:
        assert needle.lower() in " ".join(e["message"] for e in result.errors).lower()
    assert count() == before
    return result


def test_baseline_sheet_imports(plan, q1, editor):
    wb, ws = sheet(plan, q1)
    result = updates_import_preview(plan=plan, quarter=q1, data=data(wb), name="u.xlsx")
    assert result.ok, result.errors
    updates_import_apply(plan=plan, quarter=q1, user=editor, result=result)
    assert count() == plan.actions.count()


@pytest.mark.parametrize(
    "value",
    ["=1+1", '=HYPERLINK("http://evil.example","click")', "+cmd|' /C calc'!A0", "@SUM(1)"],
)
def test_formulas_and_formula_text_refused(plan, q1, value):
    wb, ws = sheet(plan, q1)
    ws.cell(first_row(ws), heads(ws)["Progress this quarter"]).value = value
    refused(plan, q1, wb)


def test_huge_cell_refused(plan, q1):
    wb, ws = sheet(plan, q1)
    ws.cell(first_row(ws), heads(ws)["Progress this quarter"]).value = "x" * 32000
    refused(plan, q1, wb, "characters or fewer")


def test_wrong_status_word_refused_naming_it(plan, q1):
    wb, ws = sheet(plan, q1)
    ws.cell(first_row(ws), heads(ws)["Status"]).value = "Purple"
    refused(plan, q1, wb)


def test_duplicate_code_refused(plan, q1):
    wb, ws = sheet(plan, q1)
    h = heads(ws)
    r = first_row(ws)
    new = ws.max_row + 1
    ws.cell(new, h["Action code"]).value = ws.cell(r, h["Action code"]).value
    ws.cell(new, h["Action"]).value = "dup"
    ws.cell(new, h["Status"]).value = "Red"
    ws.cell(new, h["Progress this quarter"]).value = "dup"
    refused(plan, q1, wb, "appears twice")


def test_ids_of_another_plan_refused(plan, q1, template_2021):
    lambeth = Organisation.objects.get(code="E09000022")
    other = plan_create(
        area=lambeth, template=template_2021, user=UserFactory(organisation=lambeth, role=User.Role.BOROUGH_EDITOR)
    ).plan
    wb, ws = sheet(other, q1)  # Lambeth's sheet uploaded on Havering's plan
    refused(plan, q1, wb)
    assert not QuarterlyUpdate.objects.filter(action__plan=other).exists()


def test_unknown_code_without_id_refused(plan, q1):
    wb, ws = sheet(plan, q1)
    h = heads(ws)
    r = first_row(ws)
    ws.cell(r, h["Action code"]).value = "ZZZ-M9"
    if "ID" in h or any("id" == str(k).lower() for k in h):
        pass
    for k, col in h.items():
        if str(k).lower() in ("id", "identifier", "vrhub id") or "do not" in str(k).lower():
            ws.cell(r, col).value = None
    refused(plan, q1, wb)


def test_closed_quarter_refused(plan, q1, london):
    reviewer = UserFactory(organisation=london, role=User.Role.VRU_REVIEWER)
    wb, ws = sheet(plan, q1)
    cycle.quarter_close(quarter=q1, user=reviewer)
    q1.refresh_from_db()
    refused(plan, q1, wb, "closed")


def test_sheet_of_another_quarter_refused(plan, quarters):  # noqa: F811
    wb, ws = sheet(plan, quarters[0])
    refused(plan, quarters[1], wb, "another quarter")


def test_sheet_of_another_quarter_renamed_tab_refused(plan, quarters):  # noqa: F811
    wb, ws = sheet(plan, quarters[0])
    ws.title = "Sheet1"
    refused(plan, quarters[1], wb, "exported for another quarter")


def test_header_row_moved_down_still_found_or_refused_clearly(plan, q1, editor):
    wb, ws = sheet(plan, q1)
    ws.insert_rows(1, amount=3)
    ws.cell(1, 1).value = "Havering updates"
    before = count()
    result = updates_import_preview(plan=plan, quarter=q1, data=data(wb), name="u.xlsx")
    if result.ok:
        updates_import_apply(plan=plan, quarter=q1, user=editor, result=result)
        assert count() == plan.actions.count()
    else:
        assert count() == before
        assert result.errors[0]["message"]


def test_hidden_decoy_sheet_is_not_read_first(plan, q1, editor):
    wb, ws = sheet(plan, q1)
    decoy = wb.copy_worksheet(ws)
    decoy.title = "Decoy"
    decoy.sheet_state = "hidden"
    h = heads(decoy)
    for r in range(2, decoy.max_row + 1):
        if decoy.cell(r, h["Action code"]).value:
            decoy.cell(r, h["Status"]).value = "Red"
    wb.move_sheet("Decoy", offset=-len(wb.sheetnames))
    result = updates_import_preview(plan=plan, quarter=q1, data=data(wb), name="u.xlsx")
    assert result.ok
    assert {u["status"] for u in result.updated} == {"green"}


def test_stale_sheet_refused_after_someone_saved(plan, q1, editor):
    wb, ws = sheet(plan, q1)
    action = plan.actions.get(code=ws.cell(first_row(ws), heads(ws)["Action code"]).value)
    cycle.quarterly_update_save(
        action=action,
        quarter=q1,
        user=editor,
        progress="Newer",
        status="amber",
        measured_value=None,
        expected_version=0,
    )
    refused(plan, q1, wb, "export a fresh sheet")


def test_all_or_nothing_one_bad_row_saves_nothing(plan, q1, editor):
    wb, ws = sheet(plan, q1)
    ws.cell(ws.max_row, heads(ws)["Status"]).value = "sort of"
    refused(plan, q1, wb)


def test_change_between_preview_and_apply_saves_nothing(plan, q1, editor):
    wb, ws = sheet(plan, q1)
    result = updates_import_preview(plan=plan, quarter=q1, data=data(wb), name="u.xlsx")
    assert result.ok
    action = result.planned[-1].action
    cycle.quarterly_update_save(
        action=action,
        quarter=q1,
        user=editor,
        progress="Meanwhile",
        status="red",
        measured_value=None,
        expected_version=0,
    )
    before = count()
    with pytest.raises(ValidationError):
        updates_import_apply(plan=plan, quarter=q1, user=editor, result=result)
    assert count() == before
    assert QuarterlyUpdate.objects.get(action=action, quarter=q1).progress == "Meanwhile"


def test_100k_rows_refused_without_saving(plan, q1):
    wb, ws = sheet(plan, q1)
    h = heads(ws)
    for r in range(ws.max_row + 1, 100_002):
        ws.cell(r, h["Action code"]).value = "GOV-M1"
    before = count()
    try:
        result = updates_import_preview(plan=plan, quarter=q1, data=data(wb), name="u.xlsx")
    except Exception as exc:  # WorkbookRefused: a file over the limits
        assert "WorkbookRefused" in type(exc).__name__
    else:
        assert not result.ok
    assert count() == before


def test_command_json_all_or_nothing(plan, q1, tmp_path, capsys):
    wb, ws = sheet(plan, q1)
    ws.cell(ws.max_row, heads(ws)["Status"]).value = "=A1"
    path = tmp_path / "u.xlsx"
    path.write_bytes(data(wb))
    before = count()
    with pytest.raises((SystemExit, CommandError)):
        call_command("import_updates", str(path), "--area", "E09000016", "--year", "2021", "--quarter", "1", "--json")
    out = json.loads(capsys.readouterr().out)
    assert out["updated"] == [] and out["errors"]
    assert count() == before


def test_view_other_borough_editor_gets_404(client, plan, q1):
    lambeth = Organisation.objects.get(code="E09000022")
    client.force_login(UserFactory(organisation=lambeth, role=User.Role.BOROUGH_EDITOR))
    assert client.get(reverse("workbooks:updates_download", args=[plan.pk, 1])).status_code == 404
    assert client.get(reverse("workbooks:updates_upload", args=[plan.pk, 1])).status_code == 404


def test_view_viewer_and_vru_cannot_upload(client, plan, q1, havering, london):
    wb, ws = sheet(plan, q1)
    for user in (
        UserFactory(organisation=havering, role=User.Role.BOROUGH_VIEWER),
        UserFactory(organisation=london, role=User.Role.VRU_REVIEWER),
    ):
        client.force_login(user)
        f = io.BytesIO(data(wb))
        f.name = "u.xlsx"
        r = client.post(reverse("workbooks:updates_upload", args=[plan.pk, 1]), {"file": f})
        assert r.status_code in (403, 404)
    assert count() == 0


def test_view_confirm_with_forged_token_saves_nothing(client, plan, q1, editor):
    client.force_login(editor)
    r = client.post(reverse("workbooks:updates_confirm", args=[plan.pk, 1]), {"token": "../../etc/passwd"})
    assert r.status_code == 302
    assert count() == 0
