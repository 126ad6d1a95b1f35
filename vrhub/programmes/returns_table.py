"""Reading the monitoring-returns spreadsheet (CSV, or the first worksheet of an XLSX workbook), safely.

The first non-empty row is the header: it names the columns (any order; case, spaces and hyphens do not
matter, so "Reached direct" and "10-14" are taken). Every column of the import must be there and no other.
Cells keep their type from a workbook (a number stays a number, a date a date, so that a date typed where
a year belongs is told apart); CSV cells are text. Each cell knows its place for messages: "sheet Returns,
row 4, column D (reached_direct)" in a workbook, "line 4, column 4 (reached_direct)" in a CSV.

Refused, with every reason: a file over the upload limit, empty, neither CSV nor XLSX, with NUL bytes or not
UTF-8 (CSV), a workbook the plan workbook's streaming reader refuses (macros, entities, zip bombs, too many
rows or cells: ``vrhub.workbooks``), a wrong header, more than ``max_rows`` rows, a cell holding a formula or
text that a spreadsheet would run as one (``vrhub.core.spreadsheet.looks_like_formula``), a cell longer than
``CELL_MAX``, a cell under no heading.

(The governance app has a reader for its clerks' tables that is generic enough to serve here too; apps of one
layer may not import each other, so it should move to ``vrhub.core`` and this one be folded into it.)
"""

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from vrhub.core.limits import size_text, upload_max_bytes
from vrhub.core.spreadsheet import looks_like_formula
from vrhub.workbooks.importer import check_file
from vrhub.workbooks.reader import WorkbookRefused, column_letter, open_workbook

CELL_MAX = 2_000
ERRORS_MAX = 100


class SheetRefused(Exception):
    """The file was not read; ``errors`` lists every reason, each naming its place."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("; ".join(errors))


@dataclass(frozen=True)
class SheetCell:
    value: Any  # str (CSV, workbook text), int/float (workbook numbers), dt.date/dt.datetime, bool, or None
    place: str  # "sheet Returns, row 4, column D (reached_direct)" or "line 4, column 4 (reached_direct)"


@dataclass(frozen=True)
class SheetRow:
    number: int
    cells: dict[str, SheetCell]

    def value(self, column: str) -> Any:
        return self.cells[column].value

    def place(self, column: str) -> str:
        return self.cells[column].place


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def heading_key(heading: str) -> str:
    return "_".join(heading.strip().lower().replace("-", " ").replace("_", " ").split())


def read_sheet(
    *, filename: str, content: bytes, columns: Sequence[str], max_rows: int
) -> tuple[str | None, list[SheetRow]]:
    """(the worksheet's name, or None for a CSV; its rows below the header) of the table in ``content``."""
    limit = upload_max_bytes()
    if len(content) > limit:
        raise SheetRefused([f"The file is larger than the {size_text(limit)} limit."])
    if not content.strip():
        raise SheetRefused(["The file is empty."])
    name = (filename or "").lower()
    if content[:4] == b"PK\x03\x04" or name.endswith((".xlsx", ".xlsm", ".xltm", ".xlsb", ".xls")):
        sheet, grid = _workbook_grid(content, filename)
    elif name.endswith((".csv", ".txt")) or not name:
        sheet, grid = None, _csv_grid(content)
    else:
        raise SheetRefused(["Upload a CSV file (.csv) or an Excel workbook (.xlsx)."])
    return sheet, _rows(grid, sheet=sheet, columns=list(columns), max_rows=max_rows)


def _csv_grid(content: bytes) -> list[tuple[int, list[Any]]]:
    if b"\x00" in content:
        raise SheetRefused(["The file holds NUL characters, so it is not a text CSV file: save it as CSV UTF-8."])
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = content[: exc.start].count(b"\n") + 1
        raise SheetRefused(
            [f"Line {line} is not UTF-8 text: save the file as 'CSV UTF-8 (comma delimited)' and upload it again."]
        ) from exc
    reader = csv.reader(io.StringIO(text, newline=""))
    grid: list[tuple[int, list[Any]]] = []
    try:
        for values in reader:
            grid.append((reader.line_num, list(values)))
    except csv.Error as exc:
        raise SheetRefused([f"Line {reader.line_num} cannot be read as CSV ({exc})."]) from exc
    return grid


def _workbook_grid(content: bytes, filename: str) -> tuple[str, list[tuple[int, list[Any]]]]:
    try:
        check_file(content, filename)
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            book = open_workbook(archive)
            sheet = next((s for s in (book.sheet(t) for t in book.sheetnames) if s is not None), None)
    except WorkbookRefused as exc:
        raise SheetRefused([str(exc)]) from exc
    except zipfile.BadZipFile as exc:
        raise SheetRefused(["The file is damaged or is not an Excel workbook (.xlsx)."]) from exc
    if sheet is None:
        raise SheetRefused(["The workbook has no worksheet."])
    formulas = []
    grid: list[tuple[int, list[Any]]] = []
    for row in range(1, sheet.max_row + 1):
        values: list[Any] = []
        for column in range(1, sheet.max_column + 1):
            cell = sheet.cell(row, column)
            if cell.data_type == "f":
                formulas.append(
                    f"Sheet {sheet.title}, row {row}, column {column_letter(column)} holds a formula: "
                    "type the value instead."
                )
                values.append(None)
            elif cell.data_type == "e":
                formulas.append(
                    f"Sheet {sheet.title}, row {row}, column {column_letter(column)} holds an error value "
                    f"({str(cell.value)[:20]}): type the value instead."
                )
                values.append(None)
            else:
                values.append(cell.value)
        grid.append((row, values))
    if formulas:
        raise SheetRefused(_capped(formulas))
    return sheet.title, grid


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _capped(errors: list[str]) -> list[str]:
    if len(errors) <= ERRORS_MAX:
        return errors
    return [*errors[:ERRORS_MAX], f"… and {len(errors) - ERRORS_MAX:,} more problems."]


def _where(sheet: str | None, number: int, index: int) -> str:
    if sheet is None:
        return f"line {number}, column {index + 1}"
    return f"sheet {sheet}, row {number}, column {column_letter(index + 1)}"


def _rows(grid, *, sheet: str | None, columns: list[str], max_rows: int) -> list[SheetRow]:
    grid = [(number, values) for number, values in grid if not all(_blank(v) for v in values)]
    if not grid:
        raise SheetRefused(["The file has no header row: its first row must name the columns."])
    header_number, header = grid[0]
    header_place = f"sheet {sheet}, row {header_number}" if sheet else f"line {header_number}"
    found: dict[int, str] = {}
    errors: list[str] = []
    for index, heading in enumerate(header):
        if _blank(heading):
            continue
        key = heading_key(str(heading)) if not isinstance(heading, int) else str(heading)
        if key not in columns:
            errors.append(
                f"The header ({header_place}) has a column {str(heading).strip()[:60]!r} this import does not "
                f"take: the columns are {', '.join(columns)}."
            )
        elif key in found.values():
            errors.append(f"The header ({header_place}) names the column {key!r} twice.")
        else:
            found[index] = key
    missing = [c for c in columns if c not in found.values()]
    if missing:
        errors.append(f"The header ({header_place}) has no column {', '.join(repr(m) for m in missing)}.")
    if errors:
        raise SheetRefused(errors)
    body = grid[1:]
    if len(body) > max_rows:
        raise SheetRefused(
            [
                f"The file has {len(body):,} rows below the header; the limit is {max_rows:,}: "
                "split it into smaller files."
            ]
        )
    rows = []
    for number, values in body:
        cells: dict[str, SheetCell] = {}
        for index, key in found.items():
            value = values[index] if index < len(values) else None
            place = f"{_where(sheet, number, index)} ({key})"
            if isinstance(value, str):
                value = value.strip()
                if "\x00" in value:
                    errors.append(f"{capital(place)} holds a NUL character: remove it.")
                    value = None
                elif len(value) > CELL_MAX:
                    errors.append(f"{capital(place)} has {len(value):,} characters; the limit is {CELL_MAX:,}.")
                    value = None
                elif looks_like_formula(value):
                    errors.append(f"{capital(place)} looks like a formula: type the value instead.")
                    value = None
            elif isinstance(value, dt.datetime) and value.time() == dt.time():
                value = value.date()
            cells[key] = SheetCell(value=None if _blank(value) else value, place=place)
        for index, value in enumerate(values):
            if index not in found and not _blank(value):
                errors.append(f"{capital(_where(sheet, number, index))} holds a value under no heading.")
        rows.append(SheetRow(number=number, cells=cells))
    if errors:
        raise SheetRefused(_capped(errors))
    return rows
