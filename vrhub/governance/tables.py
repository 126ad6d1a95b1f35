"""Reading a clerk's table (a membership list, a meeting's attendance) from CSV or XLSX, safely.

One header row names the columns (any order, any case, spaces or underscores); every later non-empty row is a
record. Everything wrong is collected and refused together, each problem named where a clerk can find it:
"sheet Members, row 4, column C (office)" in a workbook, "line 4, column 3 (office)" in a CSV. The file's size
is limited (the upload limit), as are its rows (``max_rows``) and each cell (``CELL_MAX``); a cell that looks
like a formula is refused, never evaluated. XLSX files go through the plan workbook's streaming reader
(``vrhub.workbooks``: no macros, no entities, zip-bomb limits).
"""

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field

from vrhub.core.limits import size_text, upload_max_bytes
from vrhub.core.spreadsheet import looks_like_formula
from vrhub.workbooks.importer import check_file
from vrhub.workbooks.reader import WorkbookRefused, column_letter, open_workbook

CELL_MAX = 2_000  # characters in one cell
ERRORS_SHOWN = 50


class TableRefused(Exception):
    """The table was not read; ``errors`` says every reason, each naming its place."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("; ".join(errors))


@dataclass(frozen=True)
class TableRow:
    number: int  # the row (XLSX) or line (CSV) number
    values: dict[str, str]
    places: dict[str, str] = field(default_factory=dict)  # column -> where it is, for messages

    def where(self, column: str) -> str:
        return self.places.get(column, f"row {self.number}")


def _key(heading: str) -> str:
    return "_".join(heading.strip().lower().replace("-", " ").split())


def read_table(
    *, filename: str, content: bytes, required: Sequence[str], optional: Sequence[str] = (), max_rows: int
) -> list[TableRow]:
    """The records of the table in ``content`` (CSV or XLSX, told by ``filename`` and the bytes)."""
    limit = upload_max_bytes()
    if len(content) > limit:
        raise TableRefused([f"The file is larger than the {size_text(limit)} limit."])
    if not content.strip():
        raise TableRefused(["The file is empty."])
    lowered = (filename or "").lower()
    if lowered.endswith((".xlsx", ".xlsm", ".xltm", ".xlsb", ".xls")) or content[:4] == b"PK\x03\x04":
        grid, sheet = _xlsx_rows(content, filename)
    elif lowered.endswith((".csv", ".txt")) or not lowered:
        grid, sheet = _csv_rows(content), None
    else:
        raise TableRefused(["Upload a CSV file (.csv) or an Excel workbook (.xlsx)."])
    return _records(grid, sheet=sheet, required=list(required), optional=list(optional), max_rows=max_rows)


def _csv_rows(content: bytes) -> list[tuple[int, list[str]]]:
    if b"\x00" in content:
        raise TableRefused(["The file is not a text CSV file (it holds NUL bytes)."])
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = content[: exc.start].count(b"\n") + 1
        raise TableRefused(
            [f"Line {line} is not UTF-8 text. Save the file as 'CSV UTF-8 (comma delimited)' and try again."]
        ) from exc
    reader = csv.reader(io.StringIO(text, newline=""))
    rows = []
    try:
        for values in reader:
            rows.append((reader.line_num, values))
    except csv.Error as exc:
        raise TableRefused([f"Line {reader.line_num} cannot be read as CSV: {exc}."]) from exc
    return rows


def _xlsx_rows(content: bytes, filename: str) -> tuple[list[tuple[int, list[str]]], str]:
    try:
        check_file(content, filename)
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            book = open_workbook(archive)
            sheet = None
            for title in book.sheetnames:
                sheet = book.sheet(title)
                if sheet is not None:
                    break
    except WorkbookRefused as exc:
        raise TableRefused([str(exc)]) from exc
    except zipfile.BadZipFile as exc:
        raise TableRefused(["The file is damaged or not an Excel workbook (.xlsx)."]) from exc
    if sheet is None:
        raise TableRefused(["The workbook has no worksheet."])
    rows: list[tuple[int, list[str]]] = []
    formulas: list[str] = []
    for row in range(1, sheet.max_row + 1):
        values = []
        for column in range(1, sheet.max_column + 1):
            cell = sheet.cell(row, column)
            if cell.data_type == "f":
                formulas.append(f"sheet {sheet.title}, row {row}, column {column_letter(column)} holds a formula")
            values.append(_cell_text(cell.value))
        rows.append((row, values))
    if formulas:
        raise TableRefused([f"{f[0].upper()}{f[1:]}: type the value instead." for f in formulas[:ERRORS_SHOWN]])
    return rows, sheet.title


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return str(value)


def _place(sheet: str | None, number: int, index: int, column: str) -> str:
    if sheet is None:
        return f"line {number}, column {index + 1} ({column})"
    return f"sheet {sheet}, row {number}, column {column_letter(index + 1)} ({column})"


def _records(grid, *, sheet: str | None, required: list[str], optional: list[str], max_rows: int) -> list[TableRow]:
    grid = [(number, values) for number, values in grid if any(v.strip() for v in values)]
    if not grid:
        raise TableRefused(["The file has no header row: its first row must name the columns."])
    header_number, header = grid[0]
    where_header = f"sheet {sheet}, row {header_number}" if sheet else f"line {header_number}"
    known = required + optional
    columns: dict[int, str] = {}
    errors: list[str] = []
    for index, heading in enumerate(header):
        key = _key(heading)
        if not key:
            continue
        if key not in known:
            errors.append(
                f"The header ({where_header}) has a column {heading.strip()[:60]!r} this import does not take: "
                f"the columns are {', '.join(known)}."
            )
        elif key in columns.values():
            errors.append(f"The header ({where_header}) names the column {key!r} twice.")
        else:
            columns[index] = key
    missing = [c for c in required if c not in columns.values()]
    if missing:
        errors.append(f"The header ({where_header}) has no column {', '.join(repr(m) for m in missing)}.")
    if errors:
        raise TableRefused(errors)
    body = grid[1:]
    if len(body) > max_rows:
        raise TableRefused([f"The file has {len(body):,} rows below the header; the limit is {max_rows:,}."])
    records = []
    for number, values in body:
        row_values = {c: "" for c in known}
        places = {}
        for index, key in columns.items():
            text = values[index].strip() if index < len(values) else ""
            place = _place(sheet, number, index, key)
            places[key] = place
            if len(text) > CELL_MAX:
                errors.append(f"{place[:1].upper()}{place[1:]}: {len(text):,} characters; the limit is {CELL_MAX:,}.")
                continue
            if looks_like_formula(text):
                errors.append(f"{place[:1].upper()}{place[1:]} looks like a formula: type the value instead.")
                continue
            row_values[key] = text
        for index, value in enumerate(values):
            if index not in columns and value.strip():
                where = (
                    f"sheet {sheet}, row {number}, column {column_letter(index + 1)}"
                    if sheet
                    else (f"line {number}, column {index + 1}")
                )
                errors.append(f"{where[:1].upper()}{where[1:]} holds a value under no heading.")
        records.append(TableRow(number=number, values=row_values, places=places))
    if errors:
        raise TableRefused(
            errors[:ERRORS_SHOWN]
            + ([f"… and {len(errors) - ERRORS_SHOWN:,} more."] if len(errors) > ERRORS_SHOWN else [])
        )
    return records
