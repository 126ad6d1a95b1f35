"""A quarter's update sheet: export, edit in openpyxl, import, checked against the database."""

import io
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from vrhub.core.models import AuditEntry
from vrhub.cycle.models import QuarterlyUpdate
from vrhub.cycle.services import quarter_close, quarterly_update_save, quarters_create
from vrhub.plans.models import Status
from vrhub.workbooks.updates_export import updates_workbook_bytes
from vrhub.workbooks.updates_import import updates_import_apply, updates_import_preview

pytestmark = pytest.mark.django_db

SHEET = "Updates Q2 2021-22"


@pytest.fixture
def quarters(template_2021):
    return quarters_create(template=template_2021)


@pytest.fixture
def q1_updates(plan, quarters, editor):
    """Q1 updates on two actions, to appear as 'last quarter' in the Q2 sheet."""
    quarterly_update_save(
        action=plan.actions.get(code="GOV-M1"), quarter=quarters[0], user=editor, progress="Board met", status="amber"
    )
    quarterly_update_save(
        action=plan.actions.get(code="GOV-M2"),
        quarter=quarters[0],
        user=editor,
        progress="Terms agreed",
        status="green",
        measured_value=Decimal("3"),
    )


def save(wb) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def headings(ws) -> dict[str, int]:
    return {ws.cell(1, c).value: c for c in range(1, ws.max_column + 1)}


def rows_by_code(ws) -> dict[str, int]:
    col = headings(ws)["Action code"]
    return {ws.cell(r, col).value: r for r in range(2, ws.max_row + 1) if ws.cell(r, col).value}


def db_updates(plan, quarter) -> dict[str, tuple]:
    return {
        u.action.code: (u.status, u.progress, u.measured_value, u.version)
        for u in QuarterlyUpdate.objects.filter(action__plan=plan, quarter=quarter).select_related("action")
    }


def test_the_sheet_has_one_row_per_action_with_last_quarter_read_only_beside_the_new_columns(
    plan, quarters, q1_updates
):
    wb = load_workbook(io.BytesIO(updates_workbook_bytes(plan=plan, quarter=quarters[1])))
    assert wb.sheetnames == [SHEET, "README"]
    ws = wb[SHEET]
    cols = headings(ws)
    for name in ("Action code", "Theme", "Action", "Last quarter's status", "Last quarter's progress", "Status"):
        assert name in cols
    assert {"Progress this quarter", "Measured value"} <= set(cols)
    assert ws.column_dimensions["A"].hidden and ws.column_dimensions["B"].hidden
    # Every action of the plan, once (checked against the database, not the exporter).
    codes = list(plan.actions.values_list("code", flat=True))
    assert sorted(rows_by_code(ws)) == sorted(codes) and ws.max_row == len(codes) + 1
    gov1, gov2, gov3 = (rows_by_code(ws)[c] for c in ("GOV-M1", "GOV-M2", "GOV-M3"))
    assert ws.cell(gov1, cols["Last quarter's status"]).value == "Amber"
    assert ws.cell(gov1, cols["Last quarter's progress"]).value == "Board met"
    assert ws.cell(gov2, cols["Last quarter's status"]).value == "Green"
    assert ws.cell(gov3, cols["Last quarter's status"]).value == "No update"
    assert ws.cell(gov1, cols["Status"]).value is None, "Q2 has no update yet"
    # Read-only columns are grey and locked; the new ones are unlocked; the sheet is protected.
    assert ws.protection.sheet
    last = ws.cell(gov1, cols["Last quarter's status"])
    assert last.protection.locked and last.fill.fgColor.rgb.endswith("E8E8E8")
    assert not ws.cell(gov1, cols["Status"]).protection.locked
    assert "Read-only" in ws.cell(1, cols["Last quarter's status"]).comment.text
    status_letter = ws.cell(1, cols["Status"]).column_letter
    lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert lists[0].formula1 == '"Red,Amber,Green,Not started,Complete,Not being undertaken"'
    assert str(lists[0].sqref).startswith(f"{status_letter}2:")
    readme = " ".join(str(r[0].value) for r in wb["README"].iter_rows())
    assert "Q2 2021/22" in readme and "read-only" in readme and "14 October 2021" in readme


def test_q1_says_there_is_no_earlier_quarter(plan, quarters):
    ws = load_workbook(io.BytesIO(updates_workbook_bytes(plan=plan, quarter=quarters[0])))["Updates Q1 2021-22"]
    col = headings(ws)["Last quarter's status"]
    assert {ws.cell(r, col).value for r in range(2, ws.max_row + 1)} == {"No earlier quarter"}


def test_an_unchanged_sheet_changes_nothing(plan, quarters, q1_updates):
    result = updates_import_preview(
        plan=plan, quarter=quarters[0], data=updates_workbook_bytes(plan=plan, quarter=quarters[0])
    )
    assert result.ok and not result.has_changes and result.as_dict() == {"updated": [], "errors": []}


def test_round_trip_export_edit_import_is_saved_as_typed_and_audited(plan, quarters, q1_updates, editor):
    before_q1 = db_updates(plan, quarters[0])
    wb = load_workbook(io.BytesIO(updates_workbook_bytes(plan=plan, quarter=quarters[1])))
    ws = wb[SHEET]
    cols, rows = headings(ws), rows_by_code(ws)
    edits = {
        "GOV-M1": (" green ", "Board met twice", 4),  # the lower-case word
        "GOV-M2": ("AMBER", "Chair left", "2.5"),  # capitals; a number typed as text
        "GOV-M3": ("not_started", "Not yet", None),  # the stored code
    }
    for code, (status, progress, value) in edits.items():
        ws.cell(rows[code], cols["Status"]).value = status
        ws.cell(rows[code], cols["Progress this quarter"]).value = progress
        ws.cell(rows[code], cols["Measured value"]).value = value
    ws.cell(rows["GOV-M1"], cols["Last quarter's status"]).value = "Red"  # read-only: ignored
    result = updates_import_preview(plan=plan, quarter=quarters[1], data=save(wb))
    assert result.ok, result.errors
    by_code = {u["action"]: u for u in result.updated}
    assert set(by_code) == set(edits)
    assert by_code["GOV-M1"]["status_label"] == "Green" and by_code["GOV-M1"]["previous_status"] is None
    assert by_code["GOV-M2"]["measured_value"] == "2.50" and by_code["GOV-M3"]["status"] == "not_started"
    assert db_updates(plan, quarters[1]) == {}, "a preview saves nothing"
    updates_import_apply(plan=plan, quarter=quarters[1], user=editor, result=result)
    saved = db_updates(plan, quarters[1])
    assert saved == {
        "GOV-M1": (Status.GREEN, "Board met twice", Decimal("4.00"), 1),
        "GOV-M2": (Status.AMBER, "Chair left", Decimal("2.50"), 1),
        "GOV-M3": (Status.NOT_STARTED, "Not yet", None, 1),
    }
    assert db_updates(plan, quarters[0]) == before_q1, "last quarter's updates are untouched"
    q2 = QuarterlyUpdate.objects.filter(quarter=quarters[1])
    created = AuditEntry.objects.filter(object_type="cycle.quarterlyupdate", actor=editor, action="create")
    assert set(created.values_list("object_id", flat=True)) >= {str(pk) for pk in q2.values_list("pk", flat=True)}
    assert created.filter(object_id=str(q2.get(action__code="GOV-M1").pk), field="status").get().new == "green"

    # The sheet exported now holds the saved values; changing one row updates only that one.
    wb = load_workbook(io.BytesIO(updates_workbook_bytes(plan=plan, quarter=quarters[1])))
    ws = wb[SHEET]
    assert ws.cell(rows_by_code(ws)["GOV-M2"], cols["Status"]).value == "Amber"
    ws.cell(rows_by_code(ws)["GOV-M2"], cols["Status"]).value = "Red"
    result = updates_import_preview(plan=plan, quarter=quarters[1], data=save(wb))
    assert [(u["action"], u["previous_status_label"], u["status_label"]) for u in result.updated] == [
        ("GOV-M2", "Amber", "Red")
    ]
    updates_import_apply(plan=plan, quarter=quarters[1], user=editor, result=result)
    assert db_updates(plan, quarters[1])["GOV-M2"] == (Status.RED, "Chair left", Decimal("2.50"), 2)


def test_a_partners_own_sheet_columns_in_any_order_extra_columns_and_blank_rows(plan, quarters, editor):
    wb = Workbook()
    ws = wb.active
    ws.title = "From partners"
    ws.append(["Notes", "PROGRESS", "status", "Title", "Code", "Who sent it"])
    ws.append(["x", "Patrols started", "Green", "whatever", "wpn-m1", "Police"])
    ws.append([None, None, None, None, None, None])
    ws.append(["", "", "", "", "", ""])
    ws.append([None, "Awaiting funding", "a", "t", "GOV-M1", None])
    result = updates_import_preview(plan=plan, quarter=quarters[0], data=save(wb))
    assert result.ok, result.errors
    assert {(u["action"], u["status"], u["row"]) for u in result.updated} == {
        ("WPN-M1", "green", 2),
        ("GOV-M1", "amber", 5),
    }
    updates_import_apply(plan=plan, quarter=quarters[0], user=editor, result=result)
    assert {c: v[:2] for c, v in db_updates(plan, quarters[0]).items()} == {
        "WPN-M1": ("green", "Patrols started"),
        "GOV-M1": ("amber", "Awaiting funding"),
    }


def edited(plan, quarter, changes: dict[str, dict[str, object]]) -> bytes:
    wb = load_workbook(io.BytesIO(updates_workbook_bytes(plan=plan, quarter=quarter)))
    ws = wb.worksheets[0]
    cols, rows = headings(ws), rows_by_code(ws)
    for code, values in changes.items():
        for heading, value in values.items():
            ws.cell(rows[code], cols[heading]).value = value
    return save(wb)


def test_an_update_changed_in_vrhub_after_the_export_is_named_and_nothing_is_saved(plan, quarters, editor):
    data = edited(
        plan,
        quarters[0],
        {
            "GOV-M1": {"Status": "Green", "Progress this quarter": "From the sheet"},
            "GOV-M2": {"Status": "Red", "Progress this quarter": "Also from the sheet"},
        },
    )
    quarterly_update_save(
        action=plan.actions.get(code="GOV-M2"),
        quarter=quarters[0],
        user=editor,
        progress="Typed on screen",
        status="amber",
    )
    result = updates_import_preview(plan=plan, quarter=quarters[0], data=data)
    assert len(result.errors) == 1
    error = result.errors[0]
    assert error["sheet"] == "Updates Q1 2021-22" and error["column"].endswith("(Action code)")
    assert "GOV-M2" in error["message"] and "after this sheet was exported" in error["message"]
    assert error["row"] == rows_by_code(load_workbook(io.BytesIO(data)).worksheets[0])["GOV-M2"]
    with pytest.raises(ValidationError):
        updates_import_apply(plan=plan, quarter=quarters[0], user=editor, result=result)
    assert db_updates(plan, quarters[0]) == {"GOV-M2": ("amber", "Typed on screen", None, 1)}


def test_a_change_between_the_preview_and_the_save_refuses_all_of_it(plan, quarters, editor):
    data = edited(
        plan,
        quarters[0],
        {
            "GOV-M1": {"Status": "Green", "Progress this quarter": "From the sheet"},
            "GOV-M2": {"Status": "Red", "Progress this quarter": "Also from the sheet"},
        },
    )
    result = updates_import_preview(plan=plan, quarter=quarters[0], data=data)
    assert result.ok
    quarterly_update_save(
        action=plan.actions.get(code="GOV-M2"), quarter=quarters[0], user=editor, progress="On screen", status="amber"
    )
    with pytest.raises(ValidationError, match="GOV-M2"):
        updates_import_apply(plan=plan, quarter=quarters[0], user=editor, result=result)
    assert db_updates(plan, quarters[0]) == {"GOV-M2": ("amber", "On screen", None, 1)}, "GOV-M1 not saved either"


def test_a_save_that_fails_part_way_keeps_none_of_the_rows_already_saved(plan, quarters, editor, monkeypatch):
    """All or nothing: the first row is written, the second row's save is refused; the first must roll back."""
    from vrhub.cycle import services as cycle_services

    data = edited(
        plan,
        quarters[0],
        {
            "GOV-M1": {"Status": "Green", "Progress this quarter": "From the sheet"},
            "GOV-M2": {"Status": "Red", "Progress this quarter": "Also from the sheet"},
        },
    )
    result = updates_import_preview(plan=plan, quarter=quarters[0], data=data)
    assert result.ok and len(result.planned) == 2
    real, calls = cycle_services.quarterly_update_save, []

    def save_then_refuse(**kwargs):
        calls.append(kwargs["action"].code)
        if len(calls) == 2:
            raise ValidationError("refused on the second row")
        return real(**kwargs)

    monkeypatch.setattr(cycle_services, "quarterly_update_save", save_then_refuse)
    with pytest.raises(ValidationError, match="refused on the second row"):
        updates_import_apply(plan=plan, quarter=quarters[0], user=editor, result=result)
    assert len(calls) == 2, "the first row was saved before the second was refused"
    assert db_updates(plan, quarters[0]) == {}, "the first row's update was rolled back with the second"


def test_a_closed_quarter_is_refused(plan, quarters, editor, london):
    from tests.factories import UserFactory
    from vrhub.accounts.models import User

    data = edited(plan, quarters[0], {"GOV-M1": {"Status": "Green", "Progress this quarter": "x"}})
    quarter_close(quarter=quarters[0], user=UserFactory(organisation=london, role=User.Role.VRU_ADMIN))
    quarters[0].refresh_from_db()
    result = updates_import_preview(plan=plan, quarter=quarters[0], data=data)
    assert [e["message"] for e in result.errors] == [
        "Q1 2021/22 has been closed by the VRU: its updates can no longer be changed."
    ]
    assert db_updates(plan, quarters[0]) == {}


def test_a_sheet_for_another_quarter_is_refused_naming_both(plan, quarters):
    data = edited(plan, quarters[1], {"GOV-M1": {"Status": "Green", "Progress this quarter": "x"}})
    result = updates_import_preview(plan=plan, quarter=quarters[2], data=data)
    assert len(result.errors) == 1
    assert "Q2 2021/22" in result.errors[0]["message"] and "not Q3 2021/22" in result.errors[0]["message"]


def run_import(plan, tmp_path, data: bytes, *extra) -> tuple[dict, int]:
    path = tmp_path / "updates.xlsx"
    path.write_bytes(data)
    out = StringIO()
    code = 0
    try:
        call_command(
            "import_updates", str(path), "--area", plan.area.code, "--year", "2021", "--quarter", "1", "--json",
            *extra, stdout=out, stderr=StringIO(),
        )  # fmt: skip
    except CommandError as exc:
        code = exc.returncode
    return json.loads(out.getvalue()), code


def test_the_commands_export_and_import_with_json_dry_run_and_exit_status(plan, quarters, tmp_path):
    out = tmp_path / "q1.xlsx"
    text = StringIO()
    call_command(
        "export_updates", "--area", plan.area.code, "--year", "2021", "--quarter", "1", "--out", str(out), stdout=text
    )
    assert "Q1 2021/22 update sheet" in text.getvalue() and out.exists()
    wb = load_workbook(out)
    ws = wb.worksheets[0]
    cols, rows = headings(ws), rows_by_code(ws)
    ws.cell(rows["ANE-M1"], cols["Status"]).value = "Complete"
    ws.cell(rows["ANE-M1"], cols["Progress this quarter"]).value = "Done"
    data = save(wb)

    payload, code = run_import(plan, tmp_path, data, "--dry-run")
    assert code == 0 and set(payload) == {"updated", "errors"} and payload["errors"] == []
    assert [(u["action"], u["status"], u["synthetic"]) for u in payload["updated"]] == [("ANE-M1", "complete", False)]
    assert db_updates(plan, quarters[0]) == {}, "a dry run saves nothing"

    payload, code = run_import(plan, tmp_path, data)
    assert code == 0 and [u["action"] for u in payload["updated"]] == ["ANE-M1"]
    assert db_updates(plan, quarters[0]) == {"ANE-M1": ("complete", "Done", None, 1)}

    ws.cell(rows["GOV-M1"], cols["Status"]).value = "Purple"
    ws.cell(rows["GOV-M1"], cols["Progress this quarter"]).value = "x"
    ws.cell(rows["ANE-M1"], cols["Progress this quarter"]).value = "Changed"
    payload, code = run_import(plan, tmp_path, save(wb))
    assert code == 2 and payload["updated"] == []
    assert payload["errors"][0]["row"] == rows["GOV-M1"] and payload["errors"][0]["column"].endswith("(Status)")
    assert "is not a status" in payload["errors"][0]["message"]
    # The export still said version 0 for ANE-M1, now at version 1: both problems are reported.
    assert any("ANE-M1" in e["message"] for e in payload["errors"])
    assert db_updates(plan, quarters[0]) == {"ANE-M1": ("complete", "Done", None, 1)}, "nothing written"


def test_a_row_left_blank_or_unchanged_is_no_conflict_with_an_update_made_on_screen_since(plan, quarters, editor):
    data = edited(plan, quarters[0], {"GOV-M1": {"Status": "Green", "Progress this quarter": "From the sheet"}})
    # After the export, GOV-M2 (blank in the sheet) and GOV-M1 (to the sheet's very values) are saved on screen.
    quarterly_update_save(
        action=plan.actions.get(code="GOV-M2"), quarter=quarters[0], user=editor, progress="On screen", status="red"
    )
    quarterly_update_save(
        action=plan.actions.get(code="GOV-M1"), quarter=quarters[0], user=editor, progress="From the sheet",
        status="green",
    )  # fmt: skip
    result = updates_import_preview(plan=plan, quarter=quarters[0], data=data)
    assert result.ok and not result.has_changes, result.errors
    assert db_updates(plan, quarters[0]) == {
        "GOV-M1": ("green", "From the sheet", None, 1),
        "GOV-M2": ("red", "On screen", None, 1),
    }
