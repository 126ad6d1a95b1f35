"""The plan as an Excel workbook that officers can edit and upload again."""

import io

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from vrhub.core.spreadsheet import neutralise
from vrhub.plans.models import Plan, TemplateAction
from vrhub.workbooks.columns import (
    ID,
    INSTRUCTIONS_SHEET,
    OPTIONAL_COLUMNS,
    OPTIONAL_SHEET,
    SIGNOFF_SHEET,
    STATUS_CHOICES,
    THEME_COLUMNS,
    theme_sheet_name,
)

HEADER_FILL = PatternFill("solid", fgColor="1D70B8")
HEADER_FONT = Font(bold=True, color="FFFFFF")
WRAP = Alignment(wrap_text=True, vertical="top")
MAX_ROWS_VALIDATED = 500


def _text(cell, value) -> None:
    """Write text that Excel will never evaluate."""
    cell.value = neutralise(value) if isinstance(value, str) else value
    if isinstance(value, str):
        cell.data_type = "s"


def _header(ws, columns) -> None:
    for i, col in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=i, value=col.heading)
        cell.fill, cell.font, cell.alignment = HEADER_FILL, HEADER_FONT, Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[get_column_letter(i)].width = col.width
    ws.column_dimensions["A"].hidden = True
    ws.freeze_panes = "C2"
    ws.row_dimensions[1].height = 32


def plan_workbook(*, plan: Plan) -> Workbook:
    from vrhub.cycle.services import signatures_status

    wb = Workbook()
    instructions = wb.active
    instructions.title = INSTRUCTIONS_SHEET
    _instructions(instructions, plan)
    status_label = {value: label for value, label in plan.actions.model.status.field.choices}
    status_col = get_column_letter(len(THEME_COLUMNS))
    yes_no = {"start_estimated", "end_estimated"}
    actions = list(plan.actions.select_related("theme").order_by("theme__order", "source", "order", "code"))
    for theme in plan.template.themes.order_by("order"):
        ws = wb.create_sheet(theme_sheet_name(theme.order, theme.title))
        _header(ws, THEME_COLUMNS)
        row = 2
        for action in (a for a in actions if a.theme_id == theme.pk):
            for i, col in enumerate(THEME_COLUMNS, start=1):
                cell = ws.cell(row=row, column=i)
                if col.key == "id":
                    value = action.pk
                elif col.key == "source":
                    value = action.get_source_display().split(" ")[0]
                elif col.key == "status":
                    value = status_label.get(action.status, "")
                elif col.key in yes_no:
                    value = "Yes" if getattr(action, col.key) else ""
                elif col.key in ("start_date", "end_date"):
                    value = getattr(action, col.key) or getattr(action, col.key.replace("_date", "_note")) or None
                    if hasattr(value, "year"):
                        cell.number_format = "DD/MM/YYYY"
                else:
                    value = getattr(action, col.key)
                _text(cell, value)
                cell.alignment = WRAP
            row += 1
        status_dv = DataValidation(
            type="list",
            formula1='"' + ",".join(STATUS_CHOICES) + '"',
            allow_blank=True,
            errorTitle="Status",
            error="Choose a status from the list",
            showErrorMessage=True,
        )
        status_dv.add(f"{status_col}2:{status_col}{MAX_ROWS_VALIDATED}")
        ws.add_data_validation(status_dv)
        est = DataValidation(type="list", formula1='"Yes,No"', allow_blank=True)
        for key in yes_no:
            letter = get_column_letter(next(i for i, c in enumerate(THEME_COLUMNS, 1) if c.key == key))
            est.add(f"{letter}2:{letter}{MAX_ROWS_VALIDATED}")
        ws.add_data_validation(est)
        ws.auto_filter.ref = f"A1:{status_col}{max(row - 1, 1)}"

    ws = wb.create_sheet(OPTIONAL_SHEET)
    _header(ws, OPTIONAL_COLUMNS)
    adopted = {a.template_action_id for a in actions if a.template_action_id}
    menu = (
        TemplateAction.objects.filter(theme__template=plan.template, kind=TemplateAction.Kind.OPTIONAL)
        .select_related("theme")
        .order_by("theme__order", "order")
    )
    for row, ta in enumerate(menu, start=2):
        values = [ta.pk, ta.theme.title, ta.code, ta.title, ta.guidance, "Yes" if ta.pk in adopted else ""]
        for i, value in enumerate(values, start=1):
            _text(ws.cell(row=row, column=i), value)
            ws.cell(row=row, column=i).alignment = WRAP
    adopt_dv = DataValidation(type="list", formula1='"Yes,No"', allow_blank=True)
    adopt_dv.add(f"F2:F{MAX_ROWS_VALIDATED}")
    ws.add_data_validation(adopt_dv)

    ws = wb.create_sheet(SIGNOFF_SHEET)
    ws.append(["Office", "Name", "Signed", "Signature"])
    for cell in ws[1]:
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
    for s in signatures_status(plan=plan):
        sig = s["signature"]
        ws.append(
            [
                s["label"],
                neutralise(sig.name) if sig else "",
                timezone.localtime(sig.signed_at).strftime("%d/%m/%Y %H:%M") if sig else "",
                "Valid" if s["valid"] else ("Void: must sign again" if sig else "Not signed"),
            ]
        )
    ws.append([])
    ws.append(["Signatures are given in vrhub, not in this workbook; any change to the plan voids them."])
    for letter, width in zip("ABCD", (40, 28, 18, 24), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    return wb


def _instructions(ws, plan: Plan) -> None:
    lines = [
        (
            f"{plan.area.name} {plan.template.year}/{str(plan.template.year + 1)[-2:]} "
            "Violence and Vulnerability Reduction Action Plan",
            Font(bold=True, size=14),
        ),
        (f"Exported from vrhub on {timezone.localtime():%d/%m/%Y %H:%M}. Area {plan.area.code}.", None),
        ("", None),
        ("How to use this workbook", Font(bold=True)),
        (
            "Each theme has its own sheet. Fill in every column for every action: outcome(s) with a baseline, "
            "a named lead (person, role and agency), start and end dates (tick 'estimated' where needed, or write "
            "Ongoing or TBC), progress to date, comments (including why an action will not be undertaken) and a "
            "status.",
            None,
        ),
        (
            "Status: Red, Amber, Green, Not started, Complete or Not being undertaken (R, A and G are understood too).",
            None,
        ),
        ("To adopt an optional action, put Yes (or a tick) in the Adopt column of the 'Optional actions' sheet.", None),
        ("To add a local action, add a row at the bottom of the theme's sheet with at least the Action column.", None),
        (
            "Do not change the hidden first column: it links each row to its action in vrhub. Rows may be reordered.",
            None,
        ),
        ("Upload the workbook on the plan page in vrhub; you will see every change before it is saved.", None),
    ]
    if plan.synthetic:
        lines.insert(2, ("This plan contains synthetic demo data.", Font(bold=True, color="D4351C")))
    for text, font in lines:
        ws.append([neutralise(text)])  # the title starts with the area's name
        if font:
            ws.cell(row=ws.max_row, column=1).font = font
        ws.cell(row=ws.max_row, column=1).alignment = Alignment(wrap_text=True, vertical="top")
    ws.column_dimensions["A"].width = 120


def plan_workbook_bytes(*, plan: Plan) -> bytes:
    buffer = io.BytesIO()
    plan_workbook(plan=plan).save(buffer)
    return buffer.getvalue()


__all__ = ["ID", "plan_workbook", "plan_workbook_bytes"]
