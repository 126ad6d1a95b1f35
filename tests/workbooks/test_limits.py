"""Hostile and over-size workbooks (issue 9): refused quickly, with the limit named, saving nothing."""

import io
import time
import tracemalloc
import zipfile
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from tests.workbooks import hostile
from tests.workbooks.test_import import rows_by_code, save
from vrhub.core.models import AuditEntry
from vrhub.plans.content import plan_content_hash
from vrhub.workbooks import limits
from vrhub.workbooks.export import plan_workbook_bytes
from vrhub.workbooks.importer import WorkbookRefused, plan_import_preview

pytestmark = pytest.mark.django_db


def refused(plan, data: bytes) -> tuple[str, float, float]:
    """The refusal's message, the seconds it took and the peak MB of Python allocations."""
    tracemalloc.start()
    start = time.perf_counter()
    try:
        with pytest.raises(WorkbookRefused) as caught:
            plan_import_preview(plan=plan, data=data, name="plan.xlsx")
    finally:
        elapsed = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1] / (1024 * 1024)
        tracemalloc.stop()
    return str(caught.value), elapsed, peak


def import_command(plan, tmp_path, data: bytes) -> tuple[str, int]:
    path = tmp_path / "plan.xlsx"
    path.write_bytes(data)
    err = StringIO()
    try:
        call_command("import_plan", str(path), "--area", plan.area.code, "--year", str(plan.template.year), stderr=err)
    except CommandError as exc:
        return err.getvalue(), exc.returncode
    return err.getvalue(), 0


def test_a_cell_at_the_last_row_of_a_real_workbook_is_refused_at_once_and_nothing_saved(plan, tmp_path):
    data = hostile.with_far_cell(plan_workbook_bytes(plan=plan))
    assert len(data) < 40_000
    message, seconds, peak_mb = refused(plan, data)
    assert message.startswith("Sheet '1 Governance' reaches row 1,048,576; the limit is 2,000 rows")
    assert seconds < 10 and peak_mb < 50, "the old importer took 84 s and 3.7 GB on this file"
    before, audits = plan_content_hash(plan), AuditEntry.objects.count()
    err, code = import_command(plan, tmp_path, data)
    assert code != 0 and "reaches row 1,048,576; the limit is 2,000 rows" in err
    assert (plan_content_hash(plan), AuditEntry.objects.count()) == (before, audits)


def test_a_merged_range_20000_rows_deep_is_refused_at_once_and_nothing_saved(plan, tmp_path):
    data = hostile.with_deep_merge(plan_workbook_bytes(plan=plan))
    message, seconds, peak_mb = refused(plan, data)
    assert message.startswith(
        "Sheet '1 Governance' has a merged range N2:N20001 that reaches row 20,001; the limit is 2,000 rows"
    )
    assert seconds < 10 and peak_mb < 50, "the old importer ran for more than 400 s on this file"
    before = plan_content_hash(plan)
    err, code = import_command(plan, tmp_path, data)
    assert code != 0 and "merged range N2:N20001" in err
    assert plan_content_hash(plan) == before and not plan.actions.filter(source="local").exists()


@pytest.mark.parametrize(
    ("build", "expected"),
    [
        (hostile.tiny_far_cell_xlsx, "Sheet 'Governance' reaches row 1,048,576; the limit is 2,000 rows"),
        (
            hostile.tiny_deep_merge_xlsx,
            "Sheet 'Governance' has a merged range A2:A20001 that reaches row 20,001; the limit is 2,000 rows",
        ),
    ],
)
def test_tiny_hand_written_files_claiming_huge_sheets_are_refused(plan, build, expected):
    data = build()
    assert len(data) < 2_000
    message, seconds, _ = refused(plan, data)
    assert message.startswith(expected)
    assert seconds < 10


def sheet_with(body: str, name: str = "Governance") -> bytes:
    return hostile.minimal_xlsx({name: body})


def cells(*refs: str) -> str:
    return "".join(hostile.inline(ref, "x") for ref in refs)


def test_a_cell_beyond_the_last_column_is_refused_naming_it(plan):
    data = sheet_with(f'<sheetData>{hostile.GOVERNANCE_HEADER}<row r="2">{cells("A2", "CW2")}</row></sheetData>')
    message, _, _ = refused(plan, data)
    assert message.startswith(
        "Sheet 'Governance' has a cell in column CW (cell CW2); the limit is 100 columns (A to CV)"
    )


def test_cells_without_references_are_counted_into_columns(plan, monkeypatch):
    monkeypatch.setattr(limits, "MAX_COLUMNS", 5)
    row = "<row>" + "<c><v>1</v></c>" * 6 + "</row>"
    message, _, _ = refused(plan, sheet_with(f"<sheetData>{row}</sheetData>"))
    assert "has a cell in column F (cell F1); the limit is 5 columns (A to E)" in message


def test_the_last_allowed_row_and_column_are_read(plan):
    """Exactly at the limits is fine: the sheet is read (and reported as not a theme)."""
    data = sheet_with(
        f'<sheetData><row r="1">{cells("A1")}</row><row r="2000">{cells("CV2000")}</row></sheetData>', "Notes"
    )
    result = plan_import_preview(plan=plan, data=data)
    assert result.errors == [
        {
            "sheet": "(workbook)",
            "row": None,
            "column": None,
            "message": "No theme sheets found: sheets should be named after the themes, "
            "with the template's column headings (Action, Outcome(s), Status ...)",
        }
    ]


def test_repeated_row_elements_count_against_the_row_limit(plan, monkeypatch):
    monkeypatch.setattr(limits, "MAX_ROWS", 10)
    rows = '<row r="3"/>' * 11
    message, _, _ = refused(plan, sheet_with(f"<sheetData>{rows}</sheetData>"))
    assert message == "Sheet 'Governance' has more than 10 rows; the limit is 10 rows"


def test_too_many_cells_are_refused(plan, monkeypatch):
    monkeypatch.setattr(limits, "MAX_CELLS", 50)
    row = '<row r="1">' + '<c r="A1"><v>1</v></c>' * 51 + "</row>"
    message, _, _ = refused(plan, sheet_with(f"<sheetData>{row}</sheetData>"))
    assert message == "Sheet 'Governance' has more than 50 cells; the limit is 50"


def test_too_many_merged_ranges_are_refused(plan):
    merges = "".join(f'<mergeCell ref="A{r}:B{r}"/>' for r in range(1, 1002))
    data = sheet_with(f"<sheetData/><mergeCells>{merges}</mergeCells>")
    message, _, _ = refused(plan, data)
    assert message == "Sheet 'Governance' has more than 1,000 merged ranges; the limit is 1,000"


def test_merged_ranges_covering_too_many_cells_are_refused(plan):
    data = sheet_with('<sheetData/><mergeCells><mergeCell ref="A1:K2000"/></mergeCells>')
    message, _, _ = refused(plan, data)
    assert message == (
        "Sheet 'Governance' has merged ranges covering 22,000 cells (up to A1:K2000); the limit is 20,000 merged cells"
    )


def test_too_many_xml_elements_are_refused(plan, monkeypatch):
    monkeypatch.setattr(limits, "MAX_XML_ELEMENTS", 100)
    data = sheet_with("<sheetData/><dataValidations>" + "<dataValidation/>" * 200 + "</dataValidations>")
    message, _, _ = refused(plan, data)
    assert message.startswith("Sheet 'Governance' has more than 100 XML elements, the limit")


def test_a_sheet_declaring_a_dtd_is_refused_and_entities_are_never_expanded(plan):
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        f'<worksheet xmlns="{hostile.NS}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&b;</t></is></c>'
        "</row></sheetData></worksheet>"
    )
    data = hostile.minimal_xlsx({"Governance": "<sheetData/>"})
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = {i.filename: archive.read(i) for i in archive.infolist()}
    members["xl/worksheets/sheet1.xml"] = laughs
    message, _, _ = refused(plan, hostile.zip_bytes(members))
    assert message.startswith("Sheet 'Governance' declares a DTD")


def test_text_outside_the_shared_strings_is_refused(plan):
    data = sheet_with('<sheetData><row r="1"><c r="A1" t="s"><v>7</v></c></row></sheetData>')
    message, _, _ = refused(plan, data)
    assert message.startswith("Sheet 'Governance' cell A1 refers to text that is not in the workbook")


@pytest.mark.parametrize(
    ("limit", "value", "expected"),
    [
        ("MAX_SHEETS", 2, "The workbook has more than 2 sheets; the limit is 2"),
        ("MAX_SHARED_STRINGS", 3, "The workbook holds more than 3 different texts; the limit is 3"),
        ("MAX_STYLES", 2, "The workbook has more than 2 cell styles; the limit is 2"),
    ],
)
def test_workbook_structure_limits(plan, monkeypatch, limit, value, expected):
    data = hostile.minimal_xlsx(
        {f"Sheet {i}": "<sheetData/>" for i in range(3)},
        shared_strings="".join(f"<si><t>text {i}</t></si>" for i in range(4)),
        styles='<cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="2"/></cellXfs>',
    )
    monkeypatch.setattr(limits, limit, value)
    message, _, _ = refused(plan, data)
    assert message == expected


def test_a_part_larger_than_its_limit_is_refused_before_it_is_read(plan, monkeypatch):
    monkeypatch.setattr(limits, "MAX_PART_BYTES", 1000)
    body = "<sheetData>" + "".join(f'<row r="{r}">{cells(f"A{r}")}</row>' for r in range(1, 60)) + "</sheetData>"
    message, _, _ = refused(plan, sheet_with(body))
    assert message.startswith("Sheet 'Governance' cannot be read: the part xl/worksheets/sheet1.xml is")
    assert message.endswith("the limit is 0.0 MB")


def test_a_highly_compressed_part_is_refused_from_the_zip_directory(plan):
    data = hostile.minimal_xlsx({"Governance": "<sheetData/>" + " " * (3 * 1024 * 1024)})
    message, seconds, peak = refused(plan, data)
    assert "the part xl/worksheets/sheet1.xml is compressed" in message and "the limit is 100 to 1" in message
    assert peak < 3, "nothing was inflated"


def test_too_many_parts_are_refused(plan):
    members = {f"xl/media/image{i}.png": b"x" for i in range(limits.MAX_MEMBERS)}
    members |= {"[Content_Types].xml": "x", "xl/workbook.xml": "x"}
    message, _, _ = refused(plan, hostile.zip_bytes(members))
    assert message == "The file was not opened: the file holds 1,002 parts; the limit is 1,000."


@pytest.mark.parametrize(
    ("part", "content_type"),
    [
        ("xl/vbaProject.bin", "application/vnd.ms-office.vbaProject"),
        ("custom/Stuff.BIN", "application/vnd.ms-office.vbaProject"),
        ("xl/macrosheets/sheet1.xml", "application/vnd.ms-excel.macrosheet+xml"),
        ("xl/activeX/activeX1.xml", "application/vnd.ms-office.activeX+xml"),
        ("xl/embeddings/oleObject1.bin", "application/vnd.openxmlformats-officedocument.oleObject"),
    ],
)
def test_macros_and_embedded_programs_are_refused_by_name_or_content_type(plan, part, content_type):
    types = f'<Override PartName="/{part}" ContentType="{content_type}"/>'
    data = hostile.minimal_xlsx({"Governance": "<sheetData/>"}, extra={part: b"x"}, types=types)
    message, _, _ = refused(plan, data)
    assert message.startswith("Macro-enabled workbooks cannot be uploaded")
    assert part in message


def test_a_merged_range_inside_the_plan_is_read_from_its_top_left_cell(plan):
    wb = load_workbook(io.BytesIO(plan_workbook_bytes(plan=plan)))
    ws = wb["1 Governance"]
    rows = rows_by_code(ws)
    first, second = sorted((rows["GOV-M1"], rows["GOV-M2"]))
    assert second == first + 1
    ws.cell(first, 7).value = "Jo Okafor"
    ws.merge_cells(start_row=first, start_column=7, end_row=second, end_column=7)
    result = plan_import_preview(plan=plan, data=save(wb))
    assert result.errors == []
    assert {(u["action"], u["field"], u["new"]) for u in result.updated} == {
        ("GOV-M1", "lead_name", "Jo Okafor"),
        ("GOV-M2", "lead_name", "Jo Okafor"),
    }


def test_text_over_a_fields_limit_is_refused_with_sheet_row_column_and_limit(plan):
    wb = load_workbook(io.BytesIO(plan_workbook_bytes(plan=plan)))
    ws = wb["1 Governance"]
    rows = rows_by_code(ws)
    lead_limit, outcome_limit = limits.text_max_length("lead_name"), limits.text_max_length("outcome")
    ws.cell(rows["GOV-M1"], 7).value = "L" * (lead_limit + 1)
    ws.cell(rows["GOV-M2"], 5).value = "O" * (outcome_limit + 5)
    ws.cell(rows["GOV-M3"], 5).value = "O" * outcome_limit  # exactly at the limit: fine
    result = plan_import_preview(plan=plan, data=save(wb))
    assert result.errors == [
        {
            "sheet": "1 Governance",
            "row": rows["GOV-M1"],
            "column": "G (Lead name)",
            "message": f"Must be {lead_limit:,} characters or fewer: this cell has {lead_limit + 1:,}",
        },
        {
            "sheet": "1 Governance",
            "row": rows["GOV-M2"],
            "column": "E (Outcome(s))",
            "message": f"Must be {outcome_limit:,} characters or fewer: this cell has {outcome_limit + 5:,}",
        },
    ]
    assert not result.ok


def test_a_text_fields_limit_comes_from_the_model_or_the_fallback(monkeypatch):
    from vrhub.plans.models import PlanAction

    assert limits.text_max_length("lead_name") == PlanAction._meta.get_field("lead_name").max_length == 150
    field = PlanAction._meta.get_field("progress")
    monkeypatch.setattr(field, "max_length", None)
    assert limits.text_max_length("progress") == limits.TEXT_FALLBACK_MAX_LENGTH == 10_000
    monkeypatch.setattr(field, "max_length", 123)
    assert limits.text_max_length("progress") == 123


def test_a_long_cell_starting_with_a_sign_is_read_in_linear_time(plan):
    """The formula-like test backtracked quadratically: 32,000 characters took tens of seconds."""
    wb = load_workbook(io.BytesIO(plan_workbook_bytes(plan=plan)))
    ws = wb["1 Governance"]
    ws.cell(rows_by_code(ws)["GOV-M1"], 14).value = "+" + "a" * 32_000
    start = time.perf_counter()
    result = plan_import_preview(plan=plan, data=save(wb))
    assert time.perf_counter() - start < 5
    assert [e["column"] for e in result.errors] == ["N (Progress to date)"]


def test_text_that_looks_neutralised_round_trips(plan, editor):
    from vrhub.plans.services import plan_action_update

    plan_action_update(action=plan.actions.get(code="GOV-M1"), user=editor, data={"outcome": "'=not a formula"})
    result = plan_import_preview(plan=plan, data=plan_workbook_bytes(plan=plan))
    assert result.ok and not result.has_changes
