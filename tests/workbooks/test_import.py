import io
import json
import zipfile
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook
from openpyxl.styles import PatternFill

from vrhub.core.models import AuditEntry
from vrhub.plans.models import PlanAction
from vrhub.plans.services import plan_action_update
from vrhub.workbooks.export import plan_workbook_bytes
from vrhub.workbooks.importer import WorkbookRefused, check_file, plan_import_apply, plan_import_preview

pytestmark = pytest.mark.django_db


def save(wb) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def rows_by_code(ws) -> dict[str, int]:
    return {ws.cell(r, 2).value: r for r in range(2, ws.max_row + 1) if ws.cell(r, 2).value}


def test_export_has_the_promised_sheets_and_structure(plan):
    wb = load_workbook(io.BytesIO(plan_workbook_bytes(plan=plan)))
    assert wb.sheetnames[0] == "Instructions" and wb.sheetnames[-2:] == ["Optional actions", "Sign-off"]
    assert len(wb.sheetnames) == 2 + 7 + 1
    gov = wb["1 Governance"]
    assert gov.freeze_panes == "C2"
    assert gov.column_dimensions["A"].hidden is True
    assert gov.cell(1, 16).value == "Status"
    assert any("Red,Amber,Green" in dv.formula1 for dv in gov.data_validations.dataValidation)
    assert set(rows_by_code(gov)) == set(plan.actions.filter(theme__code="GOV").values_list("code", flat=True))


def test_export_neutralises_formula_text(plan, editor):
    plan_action_update(
        action=plan.actions.get(code="GOV-M1"),
        user=editor,
        data={"outcome": '=HYPERLINK("http://evil","x")', "baseline": "-5% on 2020"},
    )
    wb = load_workbook(io.BytesIO(plan_workbook_bytes(plan=plan)))
    ws = wb["1 Governance"]
    row = rows_by_code(ws)["GOV-M1"]
    assert ws.cell(row, 5).value == '\'=HYPERLINK("http://evil","x")' and ws.cell(row, 5).data_type == "s"
    assert ws.cell(row, 6).value == "'-5% on 2020"
    result = plan_import_preview(plan=plan, data=save(wb))
    assert result.ok and not result.has_changes, "neutralised text round-trips unchanged"


def test_unchanged_round_trip_changes_nothing(plan):
    result = plan_import_preview(plan=plan, data=plan_workbook_bytes(plan=plan))
    assert result.ok and not result.has_changes


def test_what_people_do_in_excel(plan, editor):
    wb = load_workbook(io.BytesIO(plan_workbook_bytes(plan=plan)))
    ws = wb["1 Governance"]
    rows = rows_by_code(ws)
    r1, r2, r3 = rows["GOV-M1"], rows["GOV-M2"], rows["GOV-M3"]
    ws.cell(r1, 16).value = " GREEN "
    ws.cell(r1, 10).value = "01/04/2021"
    ws.cell(r1, 12).value = "Q4 2021/22"
    ws.cell(r1, 7).value = "Sam Patel"
    ws.cell(r2, 16).value = None
    ws.cell(r2, 16).fill = PatternFill("solid", fgColor="FFFF0000")
    ws.cell(r2, 12).value = "Ongoing"
    ws.cell(r3, 16).value = "a"
    ws.cell(r3, 10).value = "March 2022"
    ws.cell(r3, 11).value = "✓"
    ws.insert_rows(r2)  # a blank row in the middle
    ws.move_range(f"A{r3 + 1}:P{r3 + 1}", rows=ws.max_row + 2 - (r3 + 1))  # reorder: move GOV-M3 to the bottom
    ws.cell(1, 20).value = "My notes"  # an extra column
    ws.cell(2, 20).value = "ignore me"
    new_row = ws.max_row + 2
    ws.cell(new_row, 4).value = "Quarterly walkabouts with councillors"
    ws.cell(new_row, 16).value = "Not started"
    ws.merge_cells(start_row=r1, start_column=9, end_row=r1, end_column=9)
    opt = wb["Optional actions"]
    first_opt = next(r for r in range(2, opt.max_row + 1) if opt.cell(r, 3).value.startswith("GOV-O"))
    opt.cell(first_opt, 6).value = "✔"
    result = plan_import_preview(plan=plan, data=save(wb))
    assert result.errors == []
    changes = {(u["action"], u["field"]): (u["old"], u["new"]) for u in result.updated}
    assert changes[("GOV-M1", "status")] == ("", "green")
    assert changes[("GOV-M1", "start_date")] == ("", "2021-04-01")
    assert changes[("GOV-M1", "end_date")] == ("", "2022-03-31")
    assert changes[("GOV-M1", "lead_name")] == ("", "Sam Patel")
    assert changes[("GOV-M2", "status")] == ("", "red")
    assert changes[("GOV-M2", "end_note")] == ("", "Ongoing")
    assert changes[("GOV-M3", "status")] == ("", "amber")
    assert changes[("GOV-M3", "start_date")] == ("", "2022-03-01")
    assert changes[("GOV-M3", "start_estimated")] == ("no", "yes")
    created = {(c["source"], c["title"]) for c in result.created}
    assert ("local", "Quarterly walkabouts with councillors") in created
    assert any(c["source"] == "optional" for c in result.created)

    plan_import_apply(plan=plan, user=editor, result=result)
    m1 = plan.actions.get(code="GOV-M1")
    assert (m1.status, m1.start_date, m1.end_date, m1.lead_name) == (
        "green",
        date(2021, 4, 1),
        date(2022, 3, 31),
        "Sam Patel",
    )
    assert plan.actions.get(code="GOV-M2").end_note == "Ongoing"
    local = plan.actions.get(source=PlanAction.Source.LOCAL)
    assert local.title == "Quarterly walkabouts with councillors" and local.status == "not_started"
    assert AuditEntry.objects.filter(field="status", new="green", actor=editor).exists()
    again = plan_import_preview(plan=plan, data=plan_workbook_bytes(plan=plan))
    assert again.ok and not again.has_changes


def test_errors_name_sheet_row_column_and_nothing_is_saved(plan):
    wb = load_workbook(io.BytesIO(plan_workbook_bytes(plan=plan)))
    ws = wb["1 Governance"]
    rows = rows_by_code(ws)
    ws.cell(rows["GOV-M1"], 5).value = "Good outcome"
    ws.cell(rows["GOV-M2"], 16).value = "Purple"
    ws.cell(rows["GOV-M3"], 12).value = "next year"
    ws.cell(rows["GOV-M3"], 10).value = "31/02/2022"
    ws.cell(rows["GOV-M4"], 4).value = "=1+1"
    result = plan_import_preview(plan=plan, data=save(wb))
    located = {(e["sheet"], e["row"], e["column"]) for e in result.errors}
    assert ("1 Governance", rows["GOV-M2"], "P (Status)") in located
    assert ("1 Governance", rows["GOV-M3"], "L (End date)") in located
    assert ("1 Governance", rows["GOV-M3"], "J (Start date)") in located
    assert ("1 Governance", rows["GOV-M4"], "D (Action)") in located
    assert any("Formulas are not accepted" in e["message"] for e in result.errors)
    with pytest.raises(Exception, match="errors"):
        plan_import_apply(plan=plan, user=None, result=result)
    assert plan.actions.get(code="GOV-M1").outcome == ""


def test_end_before_start_is_an_error_on_the_row(plan):
    wb = load_workbook(io.BytesIO(plan_workbook_bytes(plan=plan)))
    ws = wb["1 Governance"]
    row = rows_by_code(ws)["GOV-M1"]
    ws.cell(row, 10).value = "01/04/2022"
    ws.cell(row, 12).value = "01/04/2021"
    result = plan_import_preview(plan=plan, data=save(wb))
    assert result.errors == [
        {
            "sheet": "1 Governance",
            "row": row,
            "column": "L (End date)",
            "message": "End date must be the same as or after the start date",
        }
    ]


def test_reads_a_workbook_we_never_exported(plan):
    wb = Workbook()
    ws = wb.active
    ws.title = "Governance"
    ws.append(["Havering VVRAP 2021"])
    ws.append(["Ref", "Action", "Outcomes", "Baseline", "Lead", "Agency", "Start", "End", "Progress", "RAG"])
    ws.append(
        [
            "GOV-M1",
            "Name the board",
            "Board meets quarterly",
            "2020/21: 3 meetings",
            "Jo Okafor",
            "Council",
            "April 2021",
            "March 2022",
            "Met in May",
            "G",
        ]
    )
    ws.append(
        [
            None,
            "Borough-wide youth violence summit",
            "Summit held",
            "none held",
            "Sam",
            "Council",
            "01/06/2021",
            "TBC",
            "",
            "Not started",
        ]
    )
    result = plan_import_preview(plan=plan, data=save(wb))
    assert result.errors == []
    changes = {(u["action"], u["field"]): u["new"] for u in result.updated}
    assert changes[("GOV-M1", "outcome")] == "Board meets quarterly"
    assert changes[("GOV-M1", "status")] == "green"
    assert changes[("GOV-M1", "lead_agency")] == "Council"
    assert [c["title"] for c in result.created] == ["Borough-wide youth violence summit"]


def test_unknown_sheet_name_is_reported(plan):
    wb = Workbook()
    wb.active.title = "Finance"
    wb.active.append(["Action", "Status"])
    wb.active.append(["Something", "Red"])
    result = plan_import_preview(plan=plan, data=save(wb))
    assert result.errors[0]["sheet"] == "Finance" and "does not match a theme" in result.errors[0]["message"]


def _zip(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buffer.getvalue()


TYPES = '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        pytest.param(b"hello, world", "plan.xlsx", "not an Excel workbook", id="text"),
        pytest.param(b"%PDF-1.4", "plan.pdf", "not an Excel workbook", id="pdf"),
        pytest.param(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "plan.xlsx", "password-protected", id="ole2"),
        pytest.param(
            _zip({"[Content_Types].xml": TYPES, "xl/workbook.xml": "x"}), "plan.xlsm", "Macro-enabled", id="xlsm"
        ),
        pytest.param(
            _zip({"[Content_Types].xml": "x", "xl/workbook.xml": "x", "xl/vbaProject.bin": "x"}),
            "plan.xlsx",
            "Macro-enabled",
            id="vba-part",
        ),
        pytest.param(
            _zip(
                {"[Content_Types].xml": TYPES, "xl/workbook.xml": "x", "xl/worksheets/sheet1.xml": b"\0" * (60 << 20)}
            ),
            "plan.xlsx",
            "expands to too much data: 60.0 MB once opened; the limit is 50.0 MB",
            id="inflates",
        ),
        pytest.param(b"PK\x03\x04" + b"\0" * (11 << 20), "plan.xlsx", "larger than the 10 MB limit", id="too-large"),
        pytest.param(
            _zip({"[Content_Types].xml": TYPES, "xl/workbook.xml": "not xml", "xl/_rels/workbook.xml.rels": "<x/>"}),
            "plan.xlsx",
            "The workbook is damaged",
            id="not-xml",
        ),
        pytest.param(
            _zip({"[Content_Types].xml": TYPES, "xl/workbook.xml": "<x/>"}), "plan.xlsx", "has no part", id="no-rels"
        ),
    ],
)
def test_hostile_files_are_refused_calmly(plan, data, name, message):
    with pytest.raises(WorkbookRefused, match=message):
        plan_import_preview(plan=plan, data=data, name=name)


def test_check_file_accepts_a_real_workbook(plan):
    check_file(plan_workbook_bytes(plan=plan), "plan.xlsx")


def run(*args) -> tuple[str, int]:
    out = StringIO()
    try:
        call_command(*args, stdout=out, stderr=StringIO())
    except CommandError as exc:
        return out.getvalue(), exc.returncode
    return out.getvalue(), 0


def test_commands_round_trip_with_json(plan, tmp_path):
    path = tmp_path / "plan.xlsx"
    out, code = run("export_plan", "--area", "E09000016", "--year", "2021", "--out", str(path))
    assert code == 0 and path.exists()
    wb = load_workbook(path)
    ws = wb["1 Governance"]
    ws.cell(rows_by_code(ws)["GOV-M1"], 14).value = "Board met in May"
    wb.save(path)
    out, code = run("import_plan", str(path), "--area", "E09000016", "--year", "2021", "--dry-run", "--json")
    payload = json.loads(out)
    assert code == 0 and payload["errors"] == [] and payload["created"] == []
    assert payload["updated"] == [{"action": "GOV-M1", "field": "progress", "old": "", "new": "Board met in May"}]
    assert plan.actions.get(code="GOV-M1").progress == ""
    out, code = run("import_plan", str(path), "--area", "E09000016", "--year", "2021", "--json")
    assert code == 0 and plan.actions.get(code="GOV-M1").progress == "Board met in May"


def test_import_command_fails_with_errors_and_saves_nothing(plan, tmp_path):
    path = tmp_path / "plan.xlsx"
    run("export_plan", "--area", "E09000016", "--year", "2021", "--out", str(path))
    wb = load_workbook(path)
    ws = wb["1 Governance"]
    rows = rows_by_code(ws)
    ws.cell(rows["GOV-M1"], 14).value = "Would be saved"
    ws.cell(rows["GOV-M2"], 16).value = "Purple"
    wb.save(path)
    out, code = run("import_plan", str(path), "--area", "E09000016", "--year", "2021", "--json")
    payload = json.loads(out)
    assert code != 0
    assert payload["errors"][0] | {"message": ""} == {
        "sheet": "1 Governance",
        "row": rows["GOV-M2"],
        "column": "P (Status)",
        "message": "",
    }
    assert plan.actions.get(code="GOV-M1").progress == ""
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a workbook")
    out, code = run("import_plan", str(bad), "--area", "E09000016", "--year", "2021", "--json")
    assert code != 0 and "not an Excel workbook" in json.loads(out)["errors"][0]["message"]
