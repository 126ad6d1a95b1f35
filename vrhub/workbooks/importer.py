"""Reading a plan workbook back: every change is listed for confirmation; nothing is saved unless
the whole workbook is valid, and then it is saved in one transaction through the plan services."""

import io
import zipfile
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.core.exceptions import ValidationError
from django.db import transaction

from vrhub.core.audit import audit_text
from vrhub.core.limits import size_text, upload_max_bytes
from vrhub.plans import services as plan_services
from vrhub.plans.content import plan_content_hash
from vrhub.plans.documents import ArchiveRefused, active_content, archive_members, content_types
from vrhub.plans.models import Plan, PlanAction, TemplateAction, Theme
from vrhub.plans.pages import require_void_confirmed
from vrhub.workbooks import limits
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
    is_neutralised,
    looks_like_formula,
    parse_date,
    parse_status,
    parse_tick,
    unneutralise,
)
from vrhub.workbooks.reader import Cell, Sheet, WorkbookRefused, XlsxWorkbook, column_letter, open_workbook

TEXT_FIELDS = {"title", "outcome", "baseline", "lead_name", "lead_role", "lead_agency", "progress", "comments"}
HEADER_ROWS, HEADER_COLUMNS = 15, 60  # where the heading row is looked for
MACROS = "Macro-enabled workbooks cannot be uploaded: save it as an Excel Workbook (.xlsx)."

__all__ = [
    "WorkbookRefused",
    "cell_value",
    "check_file",
    "find_header",
    "heading_label",
    "plan_import_apply",
    "plan_import_preview",
]


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


class ErrorSink(Protocol):
    """What collects an import's errors: the plan workbook's ``ImportResult`` or the update sheet's."""

    def error(self, sheet: str, row: int | None, column: str | None, message: str) -> None: ...


def check_file(data: bytes, name: str = "") -> None:
    """Refuse, calmly and with a reason, anything that is not a plain .xlsx workbook within the limits.
    Judged from the zip directory and [Content_Types].xml only: nothing else is inflated."""
    lowered = (name or "").lower()
    max_bytes = upload_max_bytes()
    if len(data) > max_bytes:
        raise WorkbookRefused(f"The file is larger than the {size_text(max_bytes)} limit.")
    if lowered.endswith((".xlsm", ".xltm", ".xlsb")):
        raise WorkbookRefused(MACROS)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise WorkbookRefused(
            "The file is password-protected or in the old .xls format: remove the password and save it as .xlsx."
        )
    if not data.startswith(b"PK\x03\x04"):
        raise WorkbookRefused("The file is not an Excel workbook (.xlsx).")
    try:
        members = archive_members(
            io.BytesIO(data),
            max_members=limits.MAX_MEMBERS,
            max_uncompressed=limits.MAX_INFLATED_BYTES,
            max_ratio=limits.MAX_COMPRESSION_RATIO,
            ratio_floor=limits.RATIO_FLOOR_BYTES,
        )
        names = [m.filename for m in members]
        if not {"xl/workbook.xml", "[content_types].xml"} <= {n.lower() for n in names}:
            raise WorkbookRefused("The file is not an Excel workbook (.xlsx).")
        found = active_content(names, {})
        if found is None:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                found = active_content(names, content_types(archive, members))
    except ArchiveRefused as exc:
        raise WorkbookRefused(f"The file was not opened: {exc}.") from exc
    except zipfile.BadZipFile as exc:
        raise WorkbookRefused("The file is damaged or not an Excel workbook (.xlsx).") from exc
    if found:
        raise WorkbookRefused(f"{MACROS} This file has {found}.")


def find_header(sheet: Sheet, headings: dict[str, str], required: set[str]) -> tuple[int, dict[str, int]] | None:
    """The first heading row (within the first rows and columns) naming every column in ``required``:
    its number and ``{column key: column number}``; None if there is none."""
    for row in range(1, min(sheet.max_row, HEADER_ROWS) + 1):
        found = {}
        for col in range(1, min(sheet.max_column, HEADER_COLUMNS) + 1):
            cell = sheet.cells.get((row, col))
            key = headings.get(normalise(cell.value if cell else None))
            if key and key not in found:
                found[key] = col
        if required <= set(found):
            return row, found
    return None


def heading_label(sheet: Sheet, row: int, col: int) -> str:
    cell = sheet.cells.get((row, col))
    return f"{column_letter(col)} ({cell.value if cell else None})"


def cell_value(result: "ErrorSink", sheet: str, row: int, cell: Cell, label: str):
    """The cell's value, refusing formulae and formula-like text."""
    if cell.data_type == "f" or (isinstance(cell.value, str) and cell.value.startswith("=")):
        result.error(sheet, row, label, "Formulas are not accepted: type the value itself")
        return None
    value = cell.value
    if isinstance(value, str):
        value = value.replace("\r\n", "\n").strip()
        if is_neutralised(value):
            return unneutralise(value)
        if looks_like_formula(value):
            result.error(sheet, row, label, "Text that a spreadsheet would run as a formula is not accepted")
            return None
    return value


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
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return _preview(plan, open_workbook(archive))


def _preview(plan: Plan, wb: XlsxWorkbook) -> ImportResult:
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

    for title in wb.sheetnames:
        if title in (INSTRUCTIONS_SHEET, SIGNOFF_SHEET, OPTIONAL_SHEET):
            continue
        sheet = wb.sheet(title)
        if sheet is None:  # a chart sheet
            continue
        header = find_header(sheet, headings, {"title"})
        theme = _match_theme(title, themes)
        if header is None:
            if theme is not None:
                result.error(title, None, None, "No heading row found: the sheet needs at least an 'Action' column")
            continue
        if theme is None:
            result.error(
                title, None, None, f"The sheet name does not match a theme of the {plan.template.year} template"
            )
            continue
        if theme.pk in seen_themes:
            result.error(title, None, None, f"A second sheet for the theme {theme.title}")
            continue
        seen_themes.add(theme.pk)
        header_row, cols = header
        labels = {key: heading_label(sheet, header_row, col) for key, col in cols.items()}
        for row in range(header_row + 1, sheet.max_row + 1):
            values = {}
            for key, col in cols.items():
                cell = sheet.cell(row, col)
                values[key] = (cell_value(result, title, row, cell, labels[key]), cell)
            if all(v in (None, "") for v, _ in values.values()) and not (
                "status" in values and values["status"][1].fill_rgb
            ):
                continue
            _plan_row(result, plan, theme, title, row, values, labels, by_id, by_code, optional, wanted, seen_actions)

    optional_sheet = wb.sheet(OPTIONAL_SHEET) if OPTIONAL_SHEET in wb.sheetnames else None
    if optional_sheet is not None:
        _optional_sheet(result, optional_sheet, optional, wanted, actions)
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
        if plan_services.action_has_content(action=action):
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
        except (TypeError, ValueError, OverflowError):  # a number cell of inf or NaN is no id
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
                max_length = limits.text_max_length(key)
                if len(text) > max_length:
                    raise ParseError(f"Must be {max_length:,} characters or fewer: this cell has {len(text):,}")
                data[key] = text
            elif key == "status":
                data["status"] = parse_status(value, cell.fill_rgb)
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


def _optional_sheet(result, sheet: Sheet, optional, wanted, actions) -> None:
    header = find_header(sheet, heading_map(OPTIONAL_COLUMNS), {"adopt"})
    title = sheet.title
    if header is None:
        result.error(title, None, None, "No 'Adopt' column found")
        return
    header_row, cols = header
    by_pk = {ta.pk: ta for ta in optional.values()}
    label = f"{column_letter(cols['adopt'])} (Adopt)"
    for row in range(header_row + 1, sheet.max_row + 1):
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
            tick = parse_tick(cell_value(result, title, row, sheet.cell(row, cols["adopt"]), label))
        except ParseError as exc:
            result.error(title, row, label, str(exc))
            continue
        (wanted.add if tick else wanted.discard)(ta.pk)


@transaction.atomic
def plan_import_apply(
    *, plan: Plan, user, result: ImportResult, confirmed_voids: Collection[str] | None = None
) -> ImportResult:
    """Save a previewed import, all or nothing. Refuses if the plan changed since the preview.

    ``confirmed_voids``: the signatures the preview said the import voids and the person agreed to void
    (pages always give it); an import that would void another live signature is refused."""
    if not result.ok:
        raise ValidationError("The workbook has errors; nothing was saved.")
    plan = plan_services.plan_lock_editable(plan_id=plan.pk)
    if plan_content_hash(plan) != result.plan_hash:
        raise ValidationError(
            "The plan has changed since this workbook was checked: upload it again to see "
            "the changes against the current plan."
        )
    if confirmed_voids is not None and result.has_changes:
        require_void_confirmed(plan=plan, confirmed=confirmed_voids)
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
