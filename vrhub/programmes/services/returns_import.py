"""Importing providers' monitoring returns from a spreadsheet (CSV or XLSX): preview, then all or nothing.

One row per programme per quarter, under a header naming these columns (any order; see ``COLUMNS``):

* ``reference``: the programme's reference (a programme the person importing may change);
* ``year``: the financial year, as 2020/21 or 2020 (the year it starts);
* ``quarter``: Q1 (April-June), Q2, Q3 or Q4 (January-March), or 1 to 4;
* ``reached_direct``, ``reached_indirect``: people reached in the quarter, whole numbers; blank = not reported;
* ``under_10``, ``10_14``, ``15_17``, ``18_24``, ``25_plus``, ``unknown``: people reached directly by age
  band, blank where not known; together no more than ``reached_direct``;
* ``outputs``: what was delivered, in words;
* ``spend_to_date``: pounds and pence spent in the financial year up to the quarter's end; blank = not reported.

A row replaces that quarter's return (a blank cell clears its figure: not reported). Every row is checked by
the same rule as the form (``returns_rules.return_check``), against the returns as they will be after the
import (a file may give a year's quarters together). ``returns_import_preview`` reads and checks everything
and changes nothing; ``returns_import_save`` saves a preview in one transaction, locking the programmes, only
if their returns, dates and amounts are still what the preview was made against. Any problem refuses the
whole file, each error naming the sheet, row and column.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from vrhub.programmes.catalogue import AgeBand, year_label
from vrhub.programmes.models import MonitoringReturn, Programme, ProgrammeAmount
from vrhub.programmes.returns_rules import AGE_WORDS, FIELDS, parse_quarter, parse_year, return_check
from vrhub.programmes.returns_table import SheetRefused, SheetRow, capital, read_sheet
from vrhub.programmes.selectors import access
from vrhub.programmes.selectors.returns import returns_fingerprint
from vrhub.programmes.services.returns import write_return

AGE_COLUMNS = tuple(code for code, _label in AgeBand.choices)
COLUMNS = (
    "reference",
    "year",
    "quarter",
    "reached_direct",
    "reached_indirect",
    *AGE_COLUMNS,
    "outputs",
    "spend_to_date",
)
COLUMN_HELP = {
    "reference": "The programme's reference, e.g. HAV-1 (see the Programmes sheet of the template)",
    "year": "The financial year: 2020/21, or 2020 (the year it starts)",
    "quarter": "Q1 (April to June), Q2 (July to September), Q3 (October to December) or Q4 (January to March); "
    "1 to 4 also work",
    "reached_direct": "People reached directly in the quarter: a whole number; blank if not reported",
    "reached_indirect": "People reached indirectly in the quarter: a whole number; blank if not reported",
    **{
        code: f"People reached directly {AGE_WORDS[code]}: a whole number; blank if not known"
        for code, _label in AgeBand.choices
    },
    "outputs": "What was delivered in the quarter, in words (up to 2,000 characters)",
    "spend_to_date": "Pounds and pence spent in the financial year up to the quarter's end, e.g. 12000.50; "
    "blank if not reported",
}
ROWS_MAX = 1_000
EXAMPLE_REFERENCE = "EXAMPLE"
COLUMN_OF = {"reached_by_age": "under_10", "year": "year", "quarter": "quarter"}


class ImportRefused(Exception):
    """The file was not imported; ``errors`` names every problem and where it is."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("; ".join(errors))


@dataclass
class PreviewRow:
    number: int
    programme: Programme
    year: int
    quarter: int
    values: dict[str, Any]
    action: str  # "create", "change" or "unchanged"
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def period(self) -> str:
        return f"Q{self.quarter} {year_label(self.year)}"


@dataclass
class ReturnsPreview:
    sheet: str | None
    rows: list[PreviewRow]
    fingerprint: str
    saved: bool = False

    @property
    def programmes(self) -> list[Programme]:
        return list({r.programme.pk: r.programme for r in self.rows}.values())

    @property
    def created(self) -> list[PreviewRow]:
        return [r for r in self.rows if r.action == "create"]

    @property
    def changed(self) -> list[PreviewRow]:
        return [r for r in self.rows if r.action == "change"]

    @property
    def unchanged(self) -> list[PreviewRow]:
        return [r for r in self.rows if r.action == "unchanged"]

    @property
    def has_changes(self) -> bool:
        return bool(self.created or self.changed)


def _data(row: SheetRow) -> dict[str, Any]:
    return {
        "reached_direct": row.value("reached_direct"),
        "reached_indirect": row.value("reached_indirect"),
        "reached_by_age": {code: row.value(code) for code in AGE_COLUMNS if row.value(code) is not None},
        "outputs": "" if row.value("outputs") is None else str(row.value("outputs")),
        "spend_to_date": row.value("spend_to_date"),
    }


def _message_place(row: SheetRow, name: str) -> str:
    column = name if name in row.cells else COLUMN_OF.get(name, "reference")
    return capital(row.place(column))


def returns_import_preview(*, user, filename: str, content: bytes) -> ReturnsPreview:
    """Read and check the returns; say what each row creates or changes (old -> new). Changes nothing.
    ImportRefused names every problem (and nothing can be saved)."""
    try:
        sheet, records = read_sheet(filename=filename, content=content, columns=COLUMNS, max_rows=ROWS_MAX)
    except SheetRefused as exc:
        raise ImportRefused(list(exc.errors)) from exc
    if not records:
        raise ImportRefused(["The file has no returns: add one row per programme per quarter under the header."])
    editable = access.programmes_editable_by(user=user)
    references = {str(r.value("reference")).strip() for r in records if r.value("reference") is not None}
    programmes = {p.reference.casefold(): p for p in editable.filter(reference__in=references)}
    # Some references may differ only in case from the programme's.
    if len(programmes) < len(references):
        wanted = {ref.casefold() for ref in references}
        for p in editable:
            if p.reference.casefold() in wanted:
                programmes.setdefault(p.reference.casefold(), p)
    errors: list[str] = []
    parsed: list[tuple[SheetRow, Programme, int, int]] = []
    seen: dict[tuple[int, int, int], int] = {}
    for row in records:
        reference = row.value("reference")
        programme = None
        if reference is None:
            errors.append(f"{capital(row.place('reference'))}: enter the programme's reference.")
        elif str(reference).strip().upper() == EXAMPLE_REFERENCE:
            errors.append(
                f"{capital(row.place('reference'))}: this is the template's example row: replace it with a "
                "return of yours or delete it."
            )
        else:
            text = str(reference).strip()
            programme = programmes.get(text.casefold())
            if programme is None:
                errors.append(
                    f"{capital(row.place('reference'))}: {text[:40]!r} is not a programme you can enter returns "
                    "for: check the reference (the template lists yours)."
                )
        year = quarter = None
        try:
            year = parse_year(row.value("year")) if row.value("year") is not None else None
            if year is None:
                errors.append(f"{capital(row.place('year'))}: enter the financial year, as 2020/21 or 2020.")
        except ValueError as exc:
            errors.append(f"{capital(row.place('year'))}: {exc}.")
        try:
            quarter = parse_quarter(row.value("quarter")) if row.value("quarter") is not None else None
            if quarter is None:
                errors.append(f"{capital(row.place('quarter'))}: enter the quarter, as Q1 to Q4.")
        except ValueError as exc:
            errors.append(f"{capital(row.place('quarter'))}: {exc}.")
        if programme is None or year is None or quarter is None:
            continue
        key = (programme.pk, year, quarter)
        if key in seen:
            errors.append(
                f"{capital(row.place('quarter'))}: {programme.reference} Q{quarter} {year_label(year)} is given "
                f"twice (also row {seen[key]}): give each quarter once."
            )
            continue
        seen[key] = row.number
        parsed.append((row, programme, year, quarter))
    pks = [p.pk for _row, p, _y, _q in parsed]
    existing = {(r.programme_id, r.year, r.quarter): r for r in MonitoringReturn.objects.filter(programme__in=pks)}
    amounts = {(a.programme_id, a.year): a.amount for a in ProgrammeAmount.objects.filter(programme__in=pks)}
    # The spend to date of every quarter as it will be after the import (the file's rows over the saved ones).
    spend_after: dict[tuple[int, int], dict[int, Decimal | None]] = {}
    for (pk, year, quarter), r in existing.items():
        spend_after.setdefault((pk, year), {})[quarter] = r.spend_to_date
    checked_rows: list[tuple[SheetRow, Programme, int, int, Any]] = []
    for row, programme, year, quarter in parsed:
        try:
            checked = return_check(
                programme=programme, year=year, quarter=quarter, data=_data(row), others={}, amount=None
            )
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                errors.extend(f"{_message_place(row, name)}: {m}." for m in messages)
            continue
        spend_after.setdefault((programme.pk, year), {})[quarter] = checked.values["spend_to_date"]
        checked_rows.append((row, programme, year, quarter, checked))
    rows: list[PreviewRow] = []
    for row, programme, year, quarter, _checked in checked_rows:
        # Earlier quarters as they will be; later quarters only where the file leaves them (a later row of the
        # file that goes down is reported on that row, once).
        in_file = {q for (_r, p, y, q, _c) in checked_rows if p.pk == programme.pk and y == year}
        others = {
            q: s
            for q, s in spend_after[(programme.pk, year)].items()
            if q < quarter or (q > quarter and q not in in_file)
        }
        try:
            checked = return_check(
                programme=programme,
                year=year,
                quarter=quarter,
                data=_data(row),
                others=others,
                amount=amounts.get((programme.pk, year)),
            )
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                errors.extend(f"{_message_place(row, name)}: {m}." for m in messages)
            continue
        current = existing.get((programme.pk, year, quarter))
        if current is None:
            action, changes = "create", {f: (None, checked.values[f]) for f in FIELDS}
        else:
            changes = {
                f: (getattr(current, f), checked.values[f]) for f in FIELDS if getattr(current, f) != checked.values[f]
            }
            action = "change" if changes else "unchanged"
        rows.append(
            PreviewRow(
                number=row.number,
                programme=programme,
                year=year,
                quarter=quarter,
                values=checked.values,
                action=action,
                changes=changes,
                warnings=list(checked.warnings),
            )
        )
    if errors:
        raise ImportRefused(errors)
    return ReturnsPreview(
        sheet=sheet, rows=rows, fingerprint=returns_fingerprint(programmes=[r.programme for r in rows])
    )


def returns_import_save(*, preview: ReturnsPreview, user) -> ReturnsPreview:
    """Save a preview: every row or none. Refused (nothing saved) if the programmes' returns, dates or amounts
    changed since the preview was made, or if ``user`` may no longer change one of them."""
    if preview.saved:
        raise ValidationError("These returns were already saved.")
    with transaction.atomic():
        pks = sorted(p.pk for p in preview.programmes)
        locked = {p.pk: p for p in Programme.objects.select_for_update().filter(pk__in=pks).order_by("pk")}
        for pk in pks:
            if pk not in locked or (
                user is not None and not access.user_can_edit_programme(user=user, programme=locked[pk])
            ):
                raise PermissionDenied("You can no longer change one of these programmes' returns.")
        if returns_fingerprint(programmes=locked.values()) != preview.fingerprint:
            raise ValidationError(
                "The returns of these programmes changed since the file was checked, so nothing was saved: "
                "upload it again to see the changes against the returns as they are now."
            )
        for row in preview.rows:
            if row.action == "unchanged":
                continue
            write_return(
                programme=locked[row.programme.pk], user=user, year=row.year, quarter=row.quarter, values=row.values
            )
    preview.saved = True
    return preview
