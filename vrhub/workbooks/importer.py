"""Reading a plan workbook back: every change is listed for confirmation; nothing is saved unless
the whole workbook is valid, and then it is saved in one transaction through the plan services."""

import io
import zipfile
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from vrhub.core.audit import audit_text
from vrhub.plans import services as plan_services
from vrhub.plans.content import plan_content_hash
from vrhub.plans.models import Plan, PlanAction, TemplateAction, Theme
from vrhub.workbooks.columns import (
    INSTRUCTIONS_SHEET,
    OPTIONAL_COLUMNS,
    OPTIONAL_SHEET,
    SIGNOFF_SHEET,
    THEME_COLUMNS,
    heading_map,
    normalise,
    theme_sheet_name,
)
from vrhub.workbooks.parsing import (
    ParseError,
    looks_like_formula,
    parse_date,
    parse_status,
    parse_tick,
    unneutralise,
)

MAX_BYTES = 10 * 1024 * 1024
MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_MEMBERS = 5000
TEXT_FIELDS = {"title", "outcome", "baseline", "lead_name", "lead_role", "lead_agency", "progress", "comments"}
FIELD_LIMITS = {"title": 300, "lead_name": 150, "lead_role": 150, "lead_agency": 150}


class WorkbookRefused(Exception):
    """The file is not a workbook we will open; the message says why, for the person."""


@dataclass
class PlannedAction:
    sheet: str
    row: int
    theme: Theme
    action: PlanAction | None  # None: a new local action
    template_action: TemplateAction | None = None  # an optional action adopted from a theme sheet row
    data: dict[str, Any] = field(default_factory=dict)
    columns: dict[str, str] = field(default_factory=dict)  # field -> column label, for errors


@dataclass
class ImportResult:
    created: list[dict] = field(default_factory=list)
    updated: list[dict] = field(default_factory=list)
    adopted: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    plan_hash: str = ""
    planned: list[PlannedAction] = field(default_factory=list)
    adoption: dict[int, set[int]] = field(default_factory=dict)  # theme id -> wanted optional template action ids

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def has_changes(self) -> bool:
        return bool(self.created or self.updated or self.adopted or self.dropped)

    def as_dict(self) -> dict:
        return {"created": self.created, "updated": self.updated, "errors": self.errors}

    def error(self, sheet: str, row: int | None, column: str | None, message: str) -> None:
        self.errors.append({"sheet": sheet, "row": row, "column": column, "message": message})


def check_file(data: bytes, name: str = "") -> None:
    """Refuse, calmly and with a reason, anything that is not a plain .xlsx workbook."""
    lowered = (name or "").lower()
    if len(data) > MAX_BYTES:
        raise WorkbookRefused(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB.")
    if lowered.endswith((".xlsm", ".xltm", ".xlsb")):
        raise WorkbookRefused("Macro-enabled workbooks cannot be uploaded: save it as an Excel Workbook (.xlsx).")
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise WorkbookRefused(
            "The file is password-protected or in the old .xls format: remove the password and save it as .xlsx."
        )
    if not data.startswith(b"PK\x03\x04"):
        raise WorkbookRefused("The file is not an Excel workbook (.xlsx).")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            names = {m.filename.lower() for m in members}
            total = sum(m.file_size for m in members)
            if len(members) > MAX_MEMBERS or total > MAX_UNCOMPRESSED:
                raise WorkbookRefused("The file expands to far more data than a plan can hold, so it was not opened.")
            if "xl/workbook.xml" not in names or "[content_types].xml" not in names:
                raise WorkbookRefused("The file is not an Excel workbook (.xlsx).")
            types = archive.read("[Content_Types].xml")[:500_000].lower()
    except zipfile.BadZipFile as exc:
        raise WorkbookRefused("The file is damaged or not an Excel workbook (.xlsx).") from exc
    if any(n.endswith("vbaproject.bin") for n in names) or b"macroenabled" in types:
        raise WorkbookRefused("Macro-enabled workbooks cannot be uploaded: save it as an Excel Workbook (.xlsx).")


def _open(data: bytes):
    try:
        return load_workbook(io.BytesIO(data), data_only=False)
    except Exception as exc:  # openpyxl raises many types for damaged files
        raise WorkbookRefused(
            "The workbook could not be read: open it in Excel, save it as .xlsx and try again."
        ) from exc


class _Sheet:
    """A worksheet with merged cells filled in from their top-left cell."""

    def __init__(self, ws):
        self.ws = ws
        self.merged: dict[tuple[int, int], Any] = {}
        for rng in ws.merged_cells.ranges:
            top_left = ws.cell(rng.min_row, rng.min_col)
            for row in range(rng.min_row, rng.max_row + 1):
                for col in range(rng.min_col, rng.max_col + 1):
                    self.merged[(row, col)] = top_left

    def cell(self, row: int, col: int):
        return self.merged.get((row, col)) or self.ws.cell(row, col)

    def find_header(self, headings: dict[str, str], required: set[str]) -> tuple[int, dict[str, int]] | None:
        for row in range(1, min(self.ws.max_row, 15) + 1):
            found = {}
            for col in range(1, min(self.ws.max_column, 60) + 1):
                key = headings.get(normalise(self.ws.cell(row, col).value))
                if key and key not in found:
                    found[key] = col
            if required <= set(found):
                return row, found
        return None


def _cell_value(result: ImportResult, sheet: str, cell, label: str):
    """The cell's value, refusing formulae and formula-like text."""
    if cell.data_type == "f" or (isinstance(cell.value, str) and cell.value.startswith("=")):
        result.error(sheet, cell.row, label, "Formulas are not accepted: type the value itself")
        return None
    value = cell.value
    if isinstance(value, str):
        value = value.replace("\r\n", "\n").strip()
        if value[:2] in ("'=", "'+", "'-", "'@"):
            return unneutralise(value)
        if looks_like_formula(value):
            result.error(sheet, cell.row, label, "Text that a spreadsheet would run as a formula is not accepted")
            return None
    return value


def _fill_rgb(cell) -> str | None:
    fill = cell.fill
    if fill is None or fill.fill_type != "solid":
        return None
    rgb = getattr(fill.fgColor, "rgb", None)
    return rgb if isinstance(rgb, str) else None


def _match_theme(title: str, themes: list[Theme]) -> Theme | None:
    name = normalise(title)
    for theme in themes:
        candidates = {
            normalise(theme_sheet_name(theme.order, theme.title)),
            normalise(theme.title),
            normalise(theme.code),
            normalise(f"{theme.order} {theme.title}"),
        }
        if (
            name in candidates
            or name.startswith(normalise(theme.title)[:20])
            or (name.split(" ")[0] in {str(theme.order), theme.code.lower()} and len(name.split(" ")) > 1)
        ):
            return theme
    return None


def plan_import_preview(*, plan: Plan, data: bytes, name: str = "") -> ImportResult:
    """Read the workbook and work out every change, without saving anything."""
    check_file(data, name)
    wb = _open(data)
    result = ImportResult(plan_hash=plan_content_hash(plan))
    themes = list(plan.template.themes.order_by("order"))
    actions = list(plan.actions.select_related("theme", "template_action"))
    by_id = {a.pk: a for a in actions}
    by_code = {a.code.lower(): a for a in actions}
    optional = {
        ta.code.lower(): ta
        for ta in TemplateAction.objects.filter(
            theme__template=plan.template, kind=TemplateAction.Kind.OPTIONAL
        ).select_related("theme")
    }
    adopted_now = {a.template_action_id for a in actions if a.source == PlanAction.Source.OPTIONAL}
    wanted = set(adopted_now)
    seen_actions: set[int] = set()
    headings = heading_map(THEME_COLUMNS)
    seen_themes = set()

    for ws in wb.worksheets:
        if ws.title in (INSTRUCTIONS_SHEET, SIGNOFF_SHEET, OPTIONAL_SHEET):
            continue
        sheet = _Sheet(ws)
        header = sheet.find_header(headings, {"title"})
        theme = _match_theme(ws.title, themes)
        if header is None:
            if theme is not None:
                result.error(ws.title, None, None, "No heading row found: the sheet needs at least an 'Action' column")
            continue
        if theme is None:
            result.error(
                ws.title, None, None, f"The sheet name does not match a theme of the {plan.template.year} template"
            )
            continue
        if theme.pk in seen_themes:
            result.error(ws.title, None, None, f"A second sheet for the theme {theme.title}")
            continue
        seen_themes.add(theme.pk)
        header_row, cols = header
        for row in range(header_row + 1, ws.max_row + 1):
            values, labels = {}, {}
            for key, col in cols.items():
                label = f"{get_column_letter(col)} ({ws.cell(header_row, col).value})"
                labels[key] = label
                values[key] = (_cell_value(result, ws.title, sheet.cell(row, col), label), sheet.cell(row, col))
            if all(v in (None, "") for v, _ in values.values()) and not (
                "status" in values and _fill_rgb(values["status"][1])
            ):
                continue
            _plan_row(
                result, plan, theme, ws.title, row, values, labels, by_id, by_code, optional, wanted, seen_actions
            )

    if OPTIONAL_SHEET in wb.sheetnames:
        _optional_sheet(result, _Sheet(wb[OPTIONAL_SHEET]), optional, wanted, actions)
    if not result.errors and not seen_themes and OPTIONAL_SHEET not in wb.sheetnames:
        result.error(
            "(workbook)",
            None,
            None,
            "No theme sheets found: sheets should be named after the themes, "
            "with the template's column headings (Action, Outcome(s), Status ...)",
        )

    by_template = {a.template_action_id: a for a in actions if a.template_action_id}
    for ta_id in sorted(wanted - adopted_now):
        ta = next(t for t in optional.values() if t.pk == ta_id)
        result.adopted.append(ta.code)
        result.created.append({"action": ta.code, "title": ta.title, "theme": ta.theme.code, "source": "optional"})
    for ta_id in sorted(adopted_now - wanted):
        action = by_template[ta_id]
        if plan_services._has_content(action):
            result.error(
                OPTIONAL_SHEET,
                None,
                "Adopt",
                f"{action.code} already has content: mark it "
                "'Not being undertaken' with a rationale instead of un-adopting it",
            )
        else:
            result.dropped.append(action.code)
    for theme in themes:
        result.adoption[theme.pk] = {ta.pk for ta in optional.values() if ta.theme_id == theme.pk and ta.pk in wanted}
    return result


def _plan_row(result, plan, theme, sheet, row, values, labels, by_id, by_code, optional, wanted, seen) -> None:
    raw_id = values.get("id", (None, None))[0]
    code = str(values.get("code", (None, None))[0] or "").strip()
    title = str(values.get("title", (None, None))[0] or "").strip()
    action = template_action = None
    if raw_id not in (None, ""):
        try:
            action = by_id.get(int(raw_id))
        except (TypeError, ValueError):
            action = None
        if action is None:
            result.error(
                sheet,
                row,
                labels["id"],
                "This row's hidden identifier does not belong to this plan: "
                "copy rows only within the workbook exported for this plan",
            )
            return
    elif code and code.lower() in by_code:
        action = by_code[code.lower()]
    elif code and code.lower() in optional:
        template_action = optional[code.lower()]
        if template_action.theme_id != theme.pk:
            result.error(sheet, row, labels.get("code"), f"{code} belongs to the theme {template_action.theme.title}")
            return
        wanted.add(template_action.pk)
    elif title:
        action = next(
            (a for a in by_id.values() if a.theme_id == theme.pk and normalise(a.title) == normalise(title)), None
        )
    if action is not None:
        if action.pk in seen:
            result.error(sheet, row, labels.get("id") or labels.get("code"), f"{action.code} appears twice")
            return
        seen.add(action.pk)
        if action.theme_id != theme.pk:
            result.error(
                sheet,
                row,
                labels.get("code") or labels.get("id"),
                f"{action.code} belongs to the theme {action.theme.title}: move the row back to its sheet",
            )
            return
    elif template_action is None and not title:
        result.error(sheet, row, labels["title"], "Enter the action for this new row (or delete the row)")
        return

    data, columns = {}, {}
    for key, (value, cell) in values.items():
        label = labels[key]
        try:
            if key in TEXT_FIELDS:
                text = "" if value is None else str(value).strip()
                is_local = action.source == PlanAction.Source.LOCAL if action else template_action is None
                if key == "title" and not is_local:
                    continue
                if key in FIELD_LIMITS and len(text) > FIELD_LIMITS[key]:
                    raise ParseError(f"Must be {FIELD_LIMITS[key]} characters or fewer")
                data[key] = text
            elif key == "status":
                data["status"] = parse_status(value, _fill_rgb(cell))
            elif key in ("start_date", "end_date"):
                parsed = parse_date(value, end=key == "end_date")
                prefix = key.split("_")[0]
                data[key], data[f"{prefix}_note"] = parsed.value, parsed.note
                if parsed.estimated:
                    data[f"{prefix}_estimated"] = True
            elif key in ("start_estimated", "end_estimated"):
                if not data.get(key):
                    data[key] = parse_tick(value)
            else:
                continue
            columns[key] = label
        except ParseError as exc:
            result.error(sheet, row, label, str(exc))
    for key in ("start", "end"):
        if f"{key}_date" in columns:
            columns[f"{key}_note"] = columns[f"{key}_date"]
            if data.get(f"{key}_estimated") and data.get(f"{key}_date") is None:
                data[f"{key}_estimated"] = False
    planned = PlannedAction(
        sheet=sheet, row=row, theme=theme, action=action, template_action=template_action, data=data, columns=columns
    )
    try:
        base = {f: getattr(action, f) for f in PlanAction.EDITABLE_FIELDS} if action else {}
        plan_services.validate_action_data(base | data)
    except ValidationError as exc:
        for f, messages in exc.message_dict.items():
            for message in messages:
                result.error(sheet, row, columns.get(f), message)
        return
    result.planned.append(planned)
    if action is None and template_action is None:
        result.created.append({"action": None, "title": title, "theme": theme.code, "source": "local"})
        for f, new in data.items():
            if f != "title" and new not in ("", None, False):
                result.updated.append({"action": f"new: {title[:40]}", "field": f, "old": "", "new": audit_text(new)})
        return
    label = action.code if action else template_action.code
    for f, new in data.items():
        old = getattr(action, f) if action else ("" if f not in ("start_date", "end_date") else None)
        if isinstance(old, bool) or isinstance(new, bool):
            old, new = bool(old), bool(new)
        if audit_text(old) != audit_text(new):
            result.updated.append({"action": label, "field": f, "old": audit_text(old), "new": audit_text(new)})


def _optional_sheet(result, sheet: _Sheet, optional, wanted, actions) -> None:
    header = sheet.find_header(heading_map(OPTIONAL_COLUMNS), {"adopt"})
    title = sheet.ws.title
    if header is None:
        result.error(title, None, None, "No 'Adopt' column found")
        return
    header_row, cols = header
    by_pk = {ta.pk: ta for ta in optional.values()}
    for row in range(header_row + 1, sheet.ws.max_row + 1):
        label = f"{get_column_letter(cols['adopt'])} (Adopt)"
        raw_id = sheet.cell(row, cols["id"]).value if "id" in cols else None
        code = str(sheet.cell(row, cols["code"]).value or "").strip().lower() if "code" in cols else ""
        ta = None
        if raw_id not in (None, ""):
            try:
                ta = by_pk.get(int(raw_id))
            except (TypeError, ValueError):
                ta = None
        ta = ta or optional.get(code)
        if ta is None:
            if raw_id not in (None, "") or code:
                result.error(title, row, label, "This row is not an optional action of this plan's template")
            continue
        try:
            tick = parse_tick(_cell_value(result, title, sheet.cell(row, cols["adopt"]), label))
        except ParseError as exc:
            result.error(title, row, label, str(exc))
            continue
        (wanted.add if tick else wanted.discard)(ta.pk)


@transaction.atomic
def plan_import_apply(*, plan: Plan, user, result: ImportResult) -> ImportResult:
    """Save a previewed import, all or nothing. Refuses if the plan changed since the preview."""
    if not result.ok:
        raise ValidationError("The workbook has errors; nothing was saved.")
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan_content_hash(plan) != result.plan_hash:
        raise ValidationError(
            "The plan has changed since this workbook was checked: upload it again to see "
            "the changes against the current plan."
        )
    for theme in plan.template.themes.all():
        wanted = result.adoption.get(theme.pk, set())
        current = set(
            plan.actions.filter(theme=theme, source=PlanAction.Source.OPTIONAL).values_list(
                "template_action_id", flat=True
            )
        )
        if wanted != current:
            plan_services.plan_set_optional_actions(
                plan=plan, theme=theme, user=user, adopted=list(TemplateAction.objects.filter(pk__in=wanted))
            )
    for planned in result.planned:
        if planned.action is not None:
            action = PlanAction.objects.get(pk=planned.action.pk)
        elif planned.template_action is not None:
            action = plan.actions.get(template_action=planned.template_action)
        else:
            action = plan_services.plan_add_local_action(
                plan=plan, theme=planned.theme, user=user, title=planned.data.get("title", "")
            )
        data = {k: v for k, v in planned.data.items() if k != "title" or action.source == PlanAction.Source.LOCAL}
        try:
            plan_services.plan_action_update(action=action, user=user, data=data)
        except ValidationError as exc:
            raise ValidationError(f"{planned.sheet} row {planned.row}: {'; '.join(exc.messages)}") from exc
    return result
