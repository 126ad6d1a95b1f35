"""A quarter's update sheet: every action of the plan, last quarter's status and progress beside the
new columns, for boroughs that collect updates from partners in Excel. Read back by ``updates_import``.

The sheet is protected (no password) so that only the new columns can be typed in; the read-only
columns are grey and their headings carry a note. Two hidden columns tie each row to its action and to
the version of its update when the sheet was exported, so an import can tell what changed since.
"""

import io

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from vrhub.cycle import selectors as cycle_selectors
from vrhub.cycle.models import ReportingQuarter
from vrhub.plans.models import Plan, Status
from vrhub.workbooks.columns import (
    STATUS_CHOICES,
    UPDATE_COLUMNS,
    UPDATE_READ_ONLY,
    UPDATES_README_SHEET,
    update_version_token,
    updates_sheet_name,
)
from vrhub.workbooks.export import HEADER_FILL, HEADER_FONT, WRAP, _text

LOCKED_FILL = PatternFill("solid", fgColor="E8E8E8")
LOCKED_HEADER_FILL = PatternFill("solid", fgColor="505A5F")
LOCKED_FONT = Font(color="505A5F")
NO_EARLIER = "No earlier quarter"
NO_UPDATE = "No update"


def _previous_label(quarter: ReportingQuarter) -> str:
    return f"Q{quarter.number - 1}" if quarter.number > 1 else ""


def updates_workbook(*, plan: Plan, quarter: ReportingQuarter) -> Workbook:
    """The update sheet of ``plan`` for ``quarter`` (which must be one of the plan's quarters)."""
    by_action = cycle_selectors.updates_by_action(plan=plan)
    label = dict(Status.choices)
    previous = quarter.number - 1
    wb = Workbook()
    ws = wb.active
    ws.title = updates_sheet_name(quarter.label)
    keys = [c.key for c in UPDATE_COLUMNS]
    for i, col in enumerate(UPDATE_COLUMNS, start=1):
        cell = ws.cell(row=1, column=i, value=col.heading)
        locked = col.key in UPDATE_READ_ONLY
        cell.fill = LOCKED_HEADER_FILL if locked else HEADER_FILL
        cell.font, cell.alignment = HEADER_FONT, Alignment(wrap_text=True, vertical="center")
        if col.key in ("last_status", "last_progress"):
            what = f"{_previous_label(quarter)} update" if previous else "an earlier quarter (there is none for Q1)"
            cell.comment = Comment(f"Read-only: from the {what} in vrhub. Changes here are ignored.", "vrhub")
        ws.column_dimensions[get_column_letter(i)].width = col.width
    ws.column_dimensions["A"].hidden = ws.column_dimensions["B"].hidden = True
    ws.row_dimensions[1].height = 32
    ws.freeze_panes = "D2"
    actions = list(plan.actions.select_related("theme").order_by("theme__order", "source", "order", "code"))
    for row, action in enumerate(actions, start=2):
        updates = by_action.get(action.pk, {})
        last, now = updates.get(previous), updates.get(quarter.number)
        values = {
            "id": action.pk,
            "version": update_version_token(
                year=quarter.template.year, quarter=quarter.number, version=now.version if now else 0
            ),
            "code": action.code,
            "theme": action.theme.title,
            "title": action.title,
            "last_status": (label[last.status] if last else NO_UPDATE) if previous else NO_EARLIER,
            "last_progress": (last.progress if last else "") if previous else "",
            "status": label[now.status] if now else None,
            "progress": now.progress if now else None,
            "measured_value": now.measured_value if now else None,
        }
        for i, key in enumerate(keys, start=1):
            cell = ws.cell(row=row, column=i)
            _text(cell, values[key])
            cell.alignment = WRAP
            if key in UPDATE_READ_ONLY:
                cell.fill, cell.font = LOCKED_FILL, LOCKED_FONT
            else:
                cell.protection = Protection(locked=False)
            if key == "measured_value":
                cell.number_format = "0.00"
    last_row = max(len(actions) + 1, 2)
    status_col = get_column_letter(keys.index("status") + 1)
    status_dv = DataValidation(
        type="list",
        formula1='"' + ",".join(STATUS_CHOICES) + '"',
        allow_blank=True,
        errorTitle="Status",
        error="Choose a status from the list",
        showErrorMessage=True,
    )
    status_dv.add(f"{status_col}2:{status_col}{last_row}")
    ws.add_data_validation(status_dv)
    value_col = get_column_letter(keys.index("measured_value") + 1)
    number_dv = DataValidation(
        type="decimal",
        operator="between",
        formula1="-999999999999",
        formula2="999999999999",
        allow_blank=True,
        errorTitle="Measured value",
        error="Type a number, like 42 or 12.5",
        showErrorMessage=True,
    )
    number_dv.add(f"{value_col}2:{value_col}{last_row}")
    ws.add_data_validation(number_dv)
    ws.protection.sheet = True  # no password: it stops accidents, not people
    ws.protection.formatRows = ws.protection.formatColumns = False  # rows and columns may still be resized
    ws.protection.autoFilter = ws.protection.sort = False
    ws.auto_filter.ref = f"A1:{get_column_letter(len(keys))}{last_row}"
    _readme(wb.create_sheet(UPDATES_README_SHEET), plan, quarter, len(actions))
    return wb


def _readme(ws, plan: Plan, quarter: ReportingQuarter, count: int) -> None:
    year = f"{plan.template.year}/{str(plan.template.year + 1)[-2:]}"
    previous = _previous_label(quarter)
    lines = [
        (f"{plan.area.name} {year} plan: {quarter.label} update sheet", Font(bold=True, size=14)),
        (
            f"Exported from vrhub on {timezone.localtime():%d/%m/%Y %H:%M}. Area {plan.area.code}. "
            f"{count} action{'s' if count != 1 else ''}. Updates are due by {quarter.due_on:%-d %B %Y}.",
            None,
        ),
        ("", None),
        ("How to use this sheet", Font(bold=True)),
        (f"The sheet '{updates_sheet_name(quarter.label)}' has one row per action of the plan.", None),
        (
            "Grey columns are read-only: the action code, theme and title, and "
            + (
                f"the status and progress reported for {previous}, for reference."
                if previous
                else "(for Q1, which has no earlier quarter in this plan year) 'No earlier quarter'."
            )
            + " They are ignored when the sheet is uploaded.",
            None,
        ),
        (
            f"Fill in the blue columns for {quarter.label}: Status (Red, Amber, Green, Not started, Complete or "
            "Not being undertaken), Progress this quarter (required with a status), and, if the action measures "
            "something, the Measured value (a number).",
            None,
        ),
        ("Leave all three blank for an action with nothing to report yet: it is left as it is.", None),
        (
            "Do not change the two hidden columns: they link each row to its action and say which version of the "
            "update you started from. If someone changes an update in vrhub after you exported this sheet, the "
            "upload says which and saves nothing: export a fresh sheet.",
            None,
        ),
        (
            "Columns may be reordered and extra columns added (they are ignored); the heading row must keep at "
            "least Action code, Action, Status and Progress this quarter.",
            None,
        ),
        (
            f"Upload it on the plan's Quarterly updates page in vrhub. You will see every change before it is "
            f"saved, and nothing is saved unless the whole sheet is valid. Once the VRU closes {quarter.label}, "
            "uploads are refused.",
            None,
        ),
    ]
    if plan.synthetic:
        lines.insert(2, ("This plan contains synthetic demo data.", Font(bold=True, color="D4351C")))
    for text, font in lines:
        ws.append([text])
        cell = ws.cell(row=ws.max_row, column=1)
        _text(cell, text)
        if font:
            cell.font = font
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.column_dimensions["A"].width = 120


def updates_workbook_bytes(*, plan: Plan, quarter: ReportingQuarter) -> bytes:
    buffer = io.BytesIO()
    updates_workbook(plan=plan, quarter=quarter).save(buffer)
    return buffer.getvalue()


def updates_file_name(*, plan: Plan, quarter: ReportingQuarter) -> str:
    return f"{plan.area.code}-{plan.template.year}-Q{quarter.number}-updates.xlsx"
