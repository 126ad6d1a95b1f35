"""Hostile and wrong update sheets: each is refused with a clear error naming where, and writes nothing."""

import io
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from tests.workbooks import hostile
from tests.workbooks.test_updates_roundtrip import headings, rows_by_code, save
from vrhub.core.models import AuditEntry
from vrhub.cycle.models import QuarterlyUpdate
from vrhub.cycle.services import quarters_create
from vrhub.organisations.models import Organisation
from vrhub.plans.services import plan_create
from vrhub.workbooks import limits
from vrhub.workbooks.updates_export import updates_workbook_bytes
from vrhub.workbooks.updates_import import WorkbookRefused, updates_import_preview

pytestmark = pytest.mark.django_db
SHEET = "Updates Q1 2021-22"


@pytest.fixture
def quarters(template_2021):
    return quarters_create(template=template_2021)


def sheet(plan, quarter):
    wb = load_workbook(io.BytesIO(updates_workbook_bytes(plan=plan, quarter=quarter)))
    ws = wb.worksheets[0]
    return wb, ws, headings(ws), rows_by_code(ws)


def nothing_written(plan):
    assert not QuarterlyUpdate.objects.filter(action__plan=plan).exists()
    assert not AuditEntry.objects.filter(object_type="cycle.quarterlyupdate").exists()


def command(plan, tmp_path, data: bytes) -> tuple[dict, int]:
    path = tmp_path / "updates.xlsx"
    path.write_bytes(data)
    out = StringIO()
    try:
        call_command(
            "import_updates", str(path), "--area", plan.area.code, "--year", "2021", "--quarter", "1", "--json",
            stdout=out, stderr=StringIO(),
        )  # fmt: skip
    except CommandError as exc:
        return json.loads(out.getvalue()), exc.returncode
    return json.loads(out.getvalue()), 0


def test_formula_cells_and_formula_like_text_are_refused_naming_the_cell(plan, quarters, tmp_path):
    wb, ws, cols, rows = sheet(plan, quarters[0])
    ws.cell(rows["GOV-M1"], cols["Status"]).value = "Green"
    ws.cell(rows["GOV-M1"], cols["Progress this quarter"]).value = '=HYPERLINK("http://evil","x")'
    ws.cell(rows["GOV-M2"], cols["Status"]).value = "=A1"
    ws.cell(rows["GOV-M2"], cols["Progress this quarter"]).value = "ok"
    payload, code = command(plan, tmp_path, save(wb))
    assert code == 2 and payload["updated"] == []
    where = {(e["sheet"], e["row"], e["column"].split(" ")[1]) for e in payload["errors"]}
    assert where == {
        (SHEET, rows["GOV-M1"], "(Progress"),
        (SHEET, rows["GOV-M2"], "(Status)"),
    }
    assert all("Formulas are not accepted" in e["message"] for e in payload["errors"])
    nothing_written(plan)


def test_wrong_types_and_over_long_text_name_the_cell_and_the_limit(plan, quarters):
    wb, ws, cols, rows = sheet(plan, quarters[0])
    ws.cell(rows["GOV-M1"], cols["Status"]).value = "Purple"
    ws.cell(rows["GOV-M1"], cols["Progress this quarter"]).value = "x"
    ws.cell(rows["GOV-M2"], cols["Status"]).value = "Green"
    ws.cell(rows["GOV-M2"], cols["Progress this quarter"]).value = "x"
    ws.cell(rows["GOV-M2"], cols["Measured value"]).value = "lots"
    limit = limits.text_max_length("progress", QuarterlyUpdate)
    ws.cell(rows["GOV-M3"], cols["Status"]).value = "Green"
    ws.cell(rows["GOV-M3"], cols["Progress this quarter"]).value = "y" * (limit + 1)
    ws.cell(rows["ANE-M1"], cols["Status"]).value = "Green"
    ws.cell(rows["ANE-M1"], cols["Progress this quarter"]).value = "x"
    ws.cell(rows["ANE-M1"], cols["Measured value"]).value = 10**13
    errors = {e["row"]: e for e in updates_import_preview(plan=plan, quarter=quarters[0], data=save(wb)).errors}
    assert "“Purple” is not a status" in errors[rows["GOV-M1"]]["message"]
    assert "“lots” is not a number" in errors[rows["GOV-M2"]]["message"]
    assert errors[rows["GOV-M2"]]["column"].endswith("(Measured value)")
    assert f"Must be {limit:,} characters or fewer: this cell has {limit + 1:,}" == errors[rows["GOV-M3"]]["message"]
    assert "out of range" in errors[rows["ANE-M1"]]["message"]
    assert len(errors) == 4
    nothing_written(plan)


def test_missing_headings_say_which_are_needed(plan, quarters):
    wb = Workbook()
    wb.active.append(["Code", "Action", "Status"])  # no progress column
    wb.active.append(["GOV-M1", "x", "Green"])
    result = updates_import_preview(plan=plan, quarter=quarters[0], data=save(wb))
    assert len(result.errors) == 1
    assert "Action code, Action, Status and Progress this quarter" in result.errors[0]["message"]
    nothing_written(plan)


def test_duplicate_action_codes_name_both_rows(plan, quarters):
    wb = Workbook()
    ws = wb.active
    ws.append(["Action code", "Action", "Status", "Progress"])
    ws.append(["GOV-M1", "a", "Green", "first"])
    ws.append(["gov-m1", "a", "Red", "second"])
    result = updates_import_preview(plan=plan, quarter=quarters[0], data=save(wb))
    assert [(e["row"], e["message"]) for e in result.errors] == [
        (3, "GOV-M1 appears twice (rows 2 and 3): keep one row per action")
    ]
    nothing_written(plan)


def test_rows_of_another_boroughs_plan_and_unknown_codes_are_refused(plan, quarters, template_2021):
    newham = Organisation.objects.get(code="E09000025")
    other = plan_create(area=newham, template=template_2021, user=None).plan
    wb, ws, cols, rows = sheet(other, quarters[0])
    ws.cell(rows["GOV-M1"], cols["Status"]).value = "Green"
    ws.cell(rows["GOV-M1"], cols["Progress this quarter"]).value = "Newham's words"
    result = updates_import_preview(plan=plan, quarter=quarters[0], data=save(wb))
    assert result.errors and all("does not belong to this plan" in e["message"] for e in result.errors)
    assert {e["row"] for e in result.errors} == set(rows.values()), "every row of the other plan is named"

    wb = Workbook()
    wb.active.append(["Action code", "Action", "Status", "Progress"])
    wb.active.append(["ZZZ-L9", "x", "Green", "y"])
    result = updates_import_preview(plan=plan, quarter=quarters[0], data=save(wb))
    assert [e["message"] for e in result.errors] == ["ZZZ-L9 is not an action of the Havering 2021 plan"]
    nothing_written(plan)
    assert not QuarterlyUpdate.objects.exists()


def test_a_far_cell_a_deep_merge_and_a_zip_bomb_are_refused_before_reading(plan, quarters, tmp_path):
    data = updates_workbook_bytes(plan=plan, quarter=quarters[0])
    cases = [
        (
            hostile.with_far_cell(data, SHEET),
            f"reaches row 1,048,576; the limit is {limits.MAX_ROWS:,} rows",
        ),
        (hostile.with_deep_merge(data, SHEET, "I2:I20001"), "has a merged range I2:I20001 that reaches row 20,001"),
        (hostile.inflating_xlsx(), "limit"),
        (b"not a workbook", "The file is not an Excel workbook (.xlsx)."),
    ]
    for bad, expected in cases:
        with pytest.raises(WorkbookRefused) as caught:
            updates_import_preview(plan=plan, quarter=quarters[0], data=bad, name="updates.xlsx")
        assert expected in str(caught.value)
        payload, code = command(plan, tmp_path, bad)
        assert code == 2 and payload["updated"] == [] and expected in payload["errors"][0]["message"]
    nothing_written(plan)


def test_a_macro_workbook_is_refused_by_name(plan, quarters):
    with pytest.raises(WorkbookRefused, match="Macro-enabled"):
        updates_import_preview(plan=plan, quarter=quarters[0], data=b"PK\x03\x04", name="updates.xlsm")
