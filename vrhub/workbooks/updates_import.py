"""Reading a quarter's update sheet back (see ``updates_export``), with the plan workbook's machinery:
the same file checks and limits (``importer.check_file``, ``reader``), heading rules, formula refusal
and status words. Every change is listed for confirmation; nothing is saved unless the whole sheet is
valid, and then everything is saved in one transaction through ``cycle.services.quarterly_update_save``.

What an import reports (``UpdatesResult.as_dict()``, also printed by ``import_updates --json``)::

    {"updated": [{"action": "GOV-M1", "title": "...", "theme": "GOV", "row": 2,
                  "status": "green", "status_label": "Green",
                  "previous_status": "amber" | null, "previous_status_label": "Amber" | null,
                  "progress": "...", "previous_progress": "..." | null,
                  "measured_value": "4.00" | null, "previous_measured_value": "3.00" | null,
                  "new": true | false, "synthetic": true | false}],
     "errors": [{"sheet": "Updates Q3 2021-22" | null, "row": 5 | null,
                 "column": "H (Status)" | null, "message": "..."}]}

``synthetic`` is true when the plan holds synthetic demo data. ``updated`` lists only the actions
whose update will change (or, once saved, did); an action left blank, or identical to what vrhub holds, is not listed.
"""

import hashlib
import io
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction

from vrhub.core.audit import audit_text
from vrhub.cycle import services as cycle_services
from vrhub.cycle.models import QuarterlyUpdate, ReportingQuarter
from vrhub.plans.models import Plan, PlanAction, Status
from vrhub.workbooks import limits
from vrhub.workbooks.columns import (
    UPDATE_COLUMNS,
    UPDATE_REQUIRED,
    UPDATES_README_SHEET,
    heading_map,
    update_version_parse,
    updates_sheet_name,
)
from vrhub.workbooks.importer import WorkbookRefused, cell_value, check_file, find_header, heading_label
from vrhub.workbooks.parsing import ParseError, parse_status, shown
from vrhub.workbooks.reader import Sheet, XlsxWorkbook, open_workbook

MEASURE_LIMIT = Decimal("1e12")  # QuarterlyUpdate.measured_value: 14 digits, 2 after the point
REQUIRED_NAMES = "Action code, Action, Status and Progress this quarter"

__all__ = ["UpdatesResult", "WorkbookRefused", "updates_import_apply", "updates_import_preview"]


@dataclass
class PlannedUpdate:
    row: int
    action: PlanAction
    status: str
    progress: str
    measured_value: Decimal | None
    version: int  # the update's version the change was worked out against (0: no update yet)


@dataclass
class UpdatesResult:
    updated: list[dict] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    planned: list[PlannedUpdate] = field(default_factory=list)
    updates_hash: str = ""  # the quarter's updates of the plan when the sheet was checked

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def has_changes(self) -> bool:
        return bool(self.planned)

    def as_dict(self) -> dict:
        return {"updated": self.updated, "errors": self.errors}

    def error(self, sheet: str | None, row: int | None, column: str | None, message: str) -> None:
        self.errors.append({"sheet": sheet, "row": row, "column": column, "message": message})


def quarter_updates_hash(*, plan: Plan, quarter: ReportingQuarter) -> str:
    """A fingerprint of the plan's updates for the quarter: it changes whenever any of them does."""
    rows = QuarterlyUpdate.objects.filter(action__plan=plan, quarter=quarter).order_by("action_id")
    text = ";".join(f"{a}:{v}" for a, v in rows.values_list("action_id", "version"))
    return hashlib.sha256(f"{plan.pk}/{quarter.pk}/{text}".encode()).hexdigest()


def _refused_quarter(plan: Plan, quarter: ReportingQuarter) -> str | None:
    if quarter.template_id != plan.template_id:
        return f"{quarter.label} is not a quarter of this plan's year."
    if quarter.is_closed:
        return f"{quarter.label} has been closed by the VRU: its updates can no longer be changed."
    if not plan.is_current:
        return "This is an earlier version of the plan: updates go on the current version."
    return None


def updates_import_preview(*, plan: Plan, quarter: ReportingQuarter, data: bytes, name: str = "") -> UpdatesResult:
    """Read the update sheet and work out every change, without saving anything.

    Raises ``WorkbookRefused`` for a file that is not a workbook within the limits; everything else
    wrong is an error in the result, naming the sheet, row and column.
    """
    if reason := _refused_quarter(plan, quarter):
        result = UpdatesResult()
        result.error(None, None, None, reason)
        return result
    check_file(data, name)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return _preview(plan, quarter, open_workbook(archive))


def _find_sheet(wb: XlsxWorkbook, quarter: ReportingQuarter, result: UpdatesResult):
    """The sheet with the update columns: the one named for this quarter, else the first with the headings."""
    wanted = updates_sheet_name(quarter.label)
    headings = heading_map(UPDATE_COLUMNS)
    titles = [t for t in wb.sheetnames if t != UPDATES_README_SHEET]
    titles.sort(key=lambda t: t != wanted)
    for title in titles:
        other = title.lower().startswith("updates q") and title != wanted
        sheet = wb.sheet(title)
        if sheet is None:
            continue
        header = find_header(sheet, headings, UPDATE_REQUIRED)
        if header is None:
            continue
        if other:
            result.error(
                title,
                None,
                None,
                f"This sheet was exported for another quarter ({title[8:].replace('-', '/')}), not {quarter.label}: "
                f"upload it on that quarter's page, or export the {quarter.label} sheet",
            )
            return None
        return sheet, header
    result.error(
        "(workbook)",
        None,
        None,
        f"No sheet has a heading row naming the columns {REQUIRED_NAMES} "
        f"(looked for in the first rows of {', '.join(repr(t) for t in titles[:5]) or 'no sheet'})",
    )
    return None


def _preview(plan: Plan, quarter: ReportingQuarter, wb: XlsxWorkbook) -> UpdatesResult:
    result = UpdatesResult(updates_hash=quarter_updates_hash(plan=plan, quarter=quarter))
    found = _find_sheet(wb, quarter, result)
    if found is None:
        return result
    sheet, (header_row, cols) = found
    actions = list(plan.actions.select_related("theme"))
    by_id = {a.pk: a for a in actions}
    by_code = {a.code.lower(): a for a in actions}
    current = {u.action_id: u for u in QuarterlyUpdate.objects.filter(action__plan=plan, quarter=quarter)}
    labels = {key: heading_label(sheet, header_row, col) for key, col in cols.items()}
    seen: dict[int, int] = {}
    for row in range(header_row + 1, sheet.max_row + 1):
        before = len(result.errors)
        values = {
            key: cell_value(result, sheet.title, row, sheet.cell(row, col), labels[key]) for key, col in cols.items()
        }
        if all(v in (None, "") for v in values.values()):
            continue  # a blank row
        action = _row_action(result, sheet, row, values, labels, by_id, by_code, plan)
        if action is None:
            continue
        if action.pk in seen:
            result.error(
                sheet.title,
                row,
                labels["code"],
                f"{action.code} appears twice (rows {seen[action.pk]} and {row}): keep one row per action",
            )
            continue
        seen[action.pk] = row
        if len(result.errors) > before:
            continue  # a formula in the row: said once, not again as a missing value
        _row_update(result, sheet, row, values, labels, action, current.get(action.pk), quarter)
    return result


def _row_action(result, sheet: Sheet, row, values, labels, by_id, by_code, plan: Plan) -> PlanAction | None:
    raw_id = values.get("id")
    code = str(values.get("code") or "").strip()
    if raw_id not in (None, ""):
        try:
            action = by_id.get(int(raw_id))
        except (TypeError, ValueError):
            action = None
        if action is None:
            result.error(
                sheet.title,
                row,
                labels["id"],
                "This row's hidden identifier does not belong to this plan: use the sheet exported for this plan",
            )
            return None
        if code and code.lower() != action.code.lower():
            result.error(
                sheet.title,
                row,
                labels["code"],
                f"The action code {shown(code)} does not match the row's action ({action.code}): "
                "do not change the codes",
            )
            return None
        return action
    if not code:
        result.error(sheet.title, row, labels["code"], "Enter the action code of this row (or delete the row)")
        return None
    action = by_code.get(code.lower())
    if action is None:
        result.error(
            sheet.title,
            row,
            labels["code"],
            f"{shown(code)} is not an action of the {plan.area.name} {plan.template.year} plan",
        )
    return action


def _measured(value) -> Decimal | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        raise ParseError(f"“{value}” is not a number: type a number, like 42 or 12.5")
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation as exc:
        raise ParseError(f"“{shown(value)}” is not a number: type a number, like 42 or 12.5") from exc
    if not number.is_finite() or abs(number) >= MEASURE_LIMIT:
        raise ParseError(f"“{shown(value)}” is out of range: the limit is under 1,000,000,000,000")
    return number.quantize(Decimal("0.01"))


def _row_update(result, sheet: Sheet, row, values, labels, action, update, quarter) -> None:
    title = sheet.title
    errors = len(result.errors)
    status = progress = measured = None
    try:
        status = parse_status(values.get("status"))
    except ParseError as exc:
        result.error(title, row, labels["status"], str(exc))
    progress = "" if values.get("progress") is None else str(values["progress"]).strip()
    max_length = limits.text_max_length("progress", QuarterlyUpdate)
    if len(progress) > max_length:
        result.error(
            title,
            row,
            labels["progress"],
            f"Must be {max_length:,} characters or fewer: this cell has {len(progress):,}",
        )
    if "measured_value" in values:
        try:
            measured = _measured(values["measured_value"])
        except ParseError as exc:
            result.error(title, row, labels["measured_value"], str(exc))
    if len(result.errors) > errors:
        return
    if not status and not progress and measured is None:
        return  # nothing to report for this action yet: whatever vrhub holds is left as it is
    if not status:
        result.error(title, row, labels["status"], f"Choose a status for {action.code}")
        return
    if not progress:
        result.error(title, row, labels["progress"], f"Describe progress this quarter for {action.code}")
        return
    raw_version = values.get("version")
    exported_for, version = update_version_parse(raw_version) if raw_version not in (None, "") else (None, None)
    this_quarter = f"{quarter.template.year}-Q{quarter.number}"
    if exported_for is not None and exported_for != this_quarter:
        result.error(
            title,
            row,
            labels["code"],  # the hidden column records the quarter: name the column people see
            f"This row was exported for another quarter ({exported_for.replace('-', ' ')}), not {quarter.label}: "
            f"upload the sheet on that quarter's page, or export the {quarter.label} sheet",
        )
        return
    if update is not None and (update.status, update.progress, update.measured_value) == (status, progress, measured):
        return  # no change
    # A change worked out from an older version of the update would overwrite someone's newer one.
    version_now = update.version if update else 0
    if version is not None:
        if version != version_now:
            who = f" by {update.updated_by.display_name}" if update and update.updated_by else ""
            result.error(
                title,
                row,
                labels["code"],  # the version's own column is hidden: name the one people see
                f"{action.code}'s {quarter.label} update was changed in vrhub{who} after this sheet was exported: "
                "export a fresh sheet and enter the update there",
            )
            return
    label = dict(Status.choices)
    result.planned.append(PlannedUpdate(row, action, status, progress, measured, version_now))
    result.updated.append(
        {
            "action": action.code,
            "title": action.title,
            "theme": action.theme.code,
            "row": row,
            "status": status,
            "status_label": label[status],
            "previous_status": update.status if update else None,
            "previous_status_label": label[update.status] if update else None,
            "progress": progress,
            "previous_progress": update.progress if update else None,
            "measured_value": audit_text(measured) if measured is not None else None,
            "previous_measured_value": (
                audit_text(update.measured_value) if update and update.measured_value is not None else None
            ),
            "new": update is None,
            "synthetic": action.plan.synthetic,
        }
    )


def updates_import_apply(*, plan: Plan, quarter: ReportingQuarter, user, result: UpdatesResult) -> UpdatesResult:
    """Save a previewed import, all or nothing, through ``quarterly_update_save`` (which checks the
    person, the quarter and the plan, and audits each change). Refuses if any update of the quarter
    changed since the preview, naming the action."""
    if not result.ok:
        raise ValidationError("The sheet has errors; nothing was saved.")
    with transaction.atomic():
        # The plan's row first, as every cycle write takes it (quarterly_update_save takes it again).
        plan = Plan.objects.select_for_update(of=("self",)).get(pk=plan.pk)
        if reason := _refused_quarter(plan, ReportingQuarter.objects.get(pk=quarter.pk)):
            raise ValidationError(reason)
        if quarter_updates_hash(plan=plan, quarter=quarter) != result.updates_hash:
            changed = _changed_since(plan, quarter, result)
            raise ValidationError(
                f"{quarter.label} updates changed in vrhub since this sheet was checked"
                + (f" ({', '.join(changed)})" if changed else "")
                + ": upload it again to see the changes against the current updates."
            )
        for planned in result.planned:
            try:
                cycle_services.quarterly_update_save(
                    action=planned.action,
                    quarter=quarter,
                    user=user,
                    progress=planned.progress,
                    status=planned.status,
                    measured_value=planned.measured_value,
                    expected_version=planned.version,
                )
            except cycle_services.ConflictError as exc:
                raise ValidationError(
                    f"{planned.action.code}'s {quarter.label} update was changed by someone else since the sheet "
                    "was checked: upload it again."
                ) from exc
            except ValidationError as exc:
                raise ValidationError(f"Row {planned.row} ({planned.action.code}): {'; '.join(exc.messages)}") from exc
    return result


def _changed_since(plan: Plan, quarter: ReportingQuarter, result: UpdatesResult) -> list[str]:
    planned = {p.action.pk: p.version for p in result.planned}
    rows = QuarterlyUpdate.objects.filter(action__plan=plan, quarter=quarter, action_id__in=planned)
    return sorted(u.action.code for u in rows.select_related("action") if u.version != planned[u.action_id])
