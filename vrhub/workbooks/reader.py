"""Reading an .xlsx workbook as a stream, within the limits of ``vrhub.workbooks.limits``.

openpyxl's normal mode builds a cell object for every position up to a sheet's last row and column,
so a 32 KB file with one cell at row 1,048,576 grew past 1.5 GB; its read-only mode still scans
each sheet when the workbook is opened and keeps every merged range. This reader parses each part
of the zip with lxml's ``iterparse`` (no entities, no DTD, no network), keeps only the cells that
hold a value or a fill, and stops at the first thing past a limit with ``WorkbookRefused`` naming
the sheet, the place and the limit. openpyxl is used only for its number-format and date helpers.
"""

import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml import etree
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.cell import column_index_from_string, get_column_letter
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel, from_ISO8601

from vrhub.plans.documents import ArchiveRefused, open_member
from vrhub.workbooks import limits

COORDINATE = re.compile(r"^\$?([A-Za-z]{1,3})\$?([1-9][0-9]{0,6})$")
AGAIN = "Open it in Excel, save it as an Excel Workbook (.xlsx) and try again."


class WorkbookRefused(Exception):
    """The file is not a workbook we will open; the message says why, for the person."""


@dataclass(frozen=True, slots=True)
class Cell:
    row: int
    column: int
    value: Any = None
    data_type: str = "n"  # as openpyxl: s(tring), n(umber), b(oolean), d(ate), e(rror), f(ormula)
    fill_rgb: str | None = None  # the fill colour of a solid fill given as RGB


@dataclass
class Sheet:
    """The cells of one worksheet that hold a value or a fill; merged cells read as their top-left cell."""

    title: str
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)
    merged: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)
    max_row: int = 0
    max_column: int = 0

    def cell(self, row: int, column: int) -> Cell:
        anchor = self.merged.get((row, column), (row, column))
        found = self.cells.get(anchor)
        return found if found is not None else Cell(*anchor)


def column_letter(column: int) -> str:
    try:
        return get_column_letter(column)
    except ValueError:
        return f"#{column:,}"


def _local(tag) -> str:
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _text(element) -> str:
    """The text of a shared or inline string without its formatting (plain text, then rich-text runs),
    as openpyxl reads it; phonetic runs are left out."""
    parts = []
    for child in element:
        name = _local(child.tag)
        if name == "t":
            parts.append(child.text or "")
        elif name == "r":
            parts.extend(g.text or "" for g in child if _local(g.tag) == "t")
    return "".join(parts)


def _cast_number(text: str) -> int | float:
    text = text.strip()
    if "." in text or "e" in text.lower():
        return float(text)
    return int(text)


@dataclass
class _Styles:
    fills: list[str | None] = field(default_factory=list)  # by cell format (xf) index
    dates: set[int] = field(default_factory=set)
    timedeltas: set[int] = field(default_factory=set)


class XlsxWorkbook:
    """An .xlsx opened for streaming: its sheet names at once, each sheet's cells when asked for."""

    def __init__(self, archive: zipfile.ZipFile):
        self.archive = archive
        self.parts = {}
        for info in archive.infolist():
            self.parts.setdefault(info.filename.lower(), info)
        self.epoch = CALENDAR_WINDOWS_1900
        self.sheetnames: list[str] = []
        self._worksheets: dict[str, str] = {}  # title -> part name
        rels = self._relationships("xl/_rels/workbook.xml.rels")
        self._read_workbook(rels)
        shared = next((target for kind, target in rels.values() if kind == "sharedStrings"), None)
        styles = next((target for kind, target in rels.values() if kind == "styles"), None)
        self.shared_strings = self._read_shared_strings(shared) if shared else []
        self.styles = self._read_styles(styles) if styles else _Styles()

    # -- the parts ---------------------------------------------------------------------------------------
    def _part(self, name: str, *, required: bool = True):
        info = self.parts.get(name.lower())
        if info is None and required:
            raise WorkbookRefused(f"The workbook is damaged: it has no part {name}. {AGAIN}")
        return info

    def _elements(self, name: str, *, limit: int, clear_depth: int, label: str) -> Iterator[tuple[str, int, str, Any]]:
        """Each element of a part as (event, depth, local name, element), streamed. Elements no deeper
        than ``clear_depth`` are emptied once the consumer has seen their end, with their earlier
        siblings, so memory stays flat; at most MAX_XML_ELEMENTS elements are read."""
        info = self._part(name)
        count = depth = 0
        try:
            with open_member(self.archive, info, limit=limit) as stream:
                for event, element in etree.iterparse(
                    stream,
                    events=("start", "end"),
                    resolve_entities=False,
                    no_network=True,
                    load_dtd=False,
                    huge_tree=False,
                    remove_comments=True,
                    remove_pis=True,
                ):
                    if event == "start":
                        depth += 1
                        count += 1
                        if count == 1 and element.getroottree().docinfo.doctype:
                            raise WorkbookRefused(f"{label} declares a DTD, which Excel never writes. {AGAIN}")
                        if count > limits.MAX_XML_ELEMENTS:
                            raise WorkbookRefused(
                                f"{label} has more than {limits.MAX_XML_ELEMENTS:,} XML elements, "
                                f"the limit: it is far larger than a plan. {AGAIN}"
                            )
                        yield event, depth, _local(element.tag), element
                        continue
                    yield event, depth, _local(element.tag), element
                    if depth <= clear_depth:
                        element.clear(keep_tail=False)
                        parent = element.getparent()
                        if parent is not None:
                            while element.getprevious() is not None:
                                del parent[0]
                    depth -= 1
        except ArchiveRefused as exc:
            raise WorkbookRefused(f"{label} cannot be read: {exc}") from exc
        except etree.XMLSyntaxError as exc:
            raise WorkbookRefused(f"{label} is damaged ({exc.msg}). {AGAIN}") from exc
        except (zipfile.BadZipFile, EOFError, OSError) as exc:
            raise WorkbookRefused(f"{label} is damaged. {AGAIN}") from exc

    def _relationships(self, name: str) -> dict[str, tuple[str, str]]:
        """Relationship id -> (kind, part name), the kind being the last word of its type."""
        rels: dict[str, tuple[str, str]] = {}
        base = posixpath.dirname(posixpath.dirname(name))  # xl/_rels/workbook.xml.rels -> xl
        for event, depth, tag, element in self._elements(
            name, limit=limits.MAX_METADATA_PART_BYTES, clear_depth=2, label="The workbook's relationships"
        ):
            if event == "end" and depth == 2 and tag == "Relationship":
                if len(rels) >= limits.MAX_MEMBERS:
                    raise WorkbookRefused(
                        f"The workbook lists more than {limits.MAX_MEMBERS:,} relationships, the limit. {AGAIN}"
                    )
                target = element.get("Target") or ""
                if element.get("TargetMode") == "External":
                    continue
                path = target.lstrip("/") if target.startswith("/") else posixpath.join(base, target)
                rels[element.get("Id") or ""] = (
                    (element.get("Type") or "").rpartition("/")[2],
                    posixpath.normpath(path),
                )
        return rels

    def _read_workbook(self, rels: dict[str, tuple[str, str]]) -> None:
        for event, depth, tag, element in self._elements(
            "xl/workbook.xml", limit=limits.MAX_METADATA_PART_BYTES, clear_depth=3, label="The workbook"
        ):
            if event != "end":
                continue
            if tag == "workbookPr" and depth == 2 and element.get("date1904") in ("1", "true"):
                self.epoch = CALENDAR_MAC_1904
            elif tag == "sheet" and depth == 3:
                if len(self.sheetnames) >= limits.MAX_SHEETS:
                    raise WorkbookRefused(
                        f"The workbook has more than {limits.MAX_SHEETS} sheets; the limit is {limits.MAX_SHEETS}"
                    )
                title = element.get("name") or ""
                rid = next((v for k, v in element.attrib.items() if _local(k) == "id"), "")
                self.sheetnames.append(title)
                kind, target = rels.get(rid, ("", ""))
                if kind == "worksheet":
                    self._worksheets[title] = target

    def _read_shared_strings(self, name: str) -> list[str]:
        strings: list[str] = []
        for event, depth, tag, element in self._elements(
            name, limit=limits.MAX_PART_BYTES, clear_depth=2, label="The workbook's text (shared strings)"
        ):
            if event == "end" and depth == 2 and tag == "si":
                if len(strings) >= limits.MAX_SHARED_STRINGS:
                    raise WorkbookRefused(
                        f"The workbook holds more than {limits.MAX_SHARED_STRINGS:,} different texts; "
                        f"the limit is {limits.MAX_SHARED_STRINGS:,}"
                    )
                strings.append(_text(element).replace("x005F_", ""))
        return strings

    def _read_styles(self, name: str) -> _Styles:
        custom: dict[int, str] = {}
        fills: list[str | None] = []
        xfs: list[tuple[int, int]] = []  # (numFmtId, fillId)
        too_many = f"The workbook has more than {limits.MAX_STYLES:,} cell styles; the limit is {limits.MAX_STYLES:,}"
        for event, depth, tag, element in self._elements(
            name, limit=limits.MAX_METADATA_PART_BYTES, clear_depth=3, label="The workbook's styles"
        ):
            if event != "end" or depth != 3:
                continue
            parent = _local(element.getparent().tag)
            if tag == "numFmt" and parent == "numFmts":
                if len(custom) >= limits.MAX_STYLES:
                    raise WorkbookRefused(too_many)
                custom[_int(element.get("numFmtId"), 0)] = element.get("formatCode") or ""
            elif tag == "fill" and parent == "fills":
                if len(fills) >= limits.MAX_STYLES:
                    raise WorkbookRefused(too_many)
                fills.append(_solid_rgb(element))
            elif tag == "xf" and parent == "cellXfs":
                if len(xfs) >= limits.MAX_STYLES:
                    raise WorkbookRefused(too_many)
                xfs.append((_int(element.get("numFmtId"), 0), _int(element.get("fillId"), 0)))
        styles = _Styles()
        for index, (fmt_id, fill_id) in enumerate(xfs):
            fmt = custom.get(fmt_id) or BUILTIN_FORMATS.get(fmt_id) or "General"
            styles.fills.append(fills[fill_id] if 0 <= fill_id < len(fills) else None)
            if is_date_format(fmt):
                styles.dates.add(index)
            if is_timedelta_format(fmt):
                styles.timedeltas.add(index)
        return styles

    # -- a sheet -----------------------------------------------------------------------------------------
    def sheet(self, title: str) -> Sheet | None:
        """The cells of the worksheet ``title`` (None for a chart or other non-worksheet sheet)."""
        path = self._worksheets.get(title)
        if path is None:
            return None
        return _SheetReader(self, title).read(path)


class _SheetReader:
    def __init__(self, book: XlsxWorkbook, title: str):
        self.book = book
        self.sheet = Sheet(title=title)
        self.name = f"Sheet '{title}'"
        self.rows = self.row = self.column = self.count = self.merged_ranges = self.merged_cells = 0

    def read(self, path: str) -> Sheet:
        current_row = None
        for event, depth, tag, element in self.book._elements(
            path, limit=limits.MAX_PART_BYTES, clear_depth=4, label=self.name
        ):
            if event == "start":
                if tag == "row" and depth == 3:
                    current_row = element
                    self._start_row(element.get("r"))
            elif tag == "c" and depth == 4 and element.getparent() is current_row:
                self._cell(element)
            elif tag == "mergeCell" and depth == 3:
                self._merge(element.get("ref") or "")
        return self.sheet

    def _refuse(self, message: str):
        raise WorkbookRefused(f"{self.name} {message}")

    def _start_row(self, ref: str | None) -> None:
        self.rows += 1
        self.row = _int(ref, None) if ref else self.row + 1
        self.column = 0
        if self.row is None or self.row < 1:
            self._refuse(f"has a row numbered {ref!r}, which is not a row number. {AGAIN}")
        if self.row > limits.MAX_ROWS:
            self._refuse(
                f"reaches row {self.row:,}; the limit is {limits.MAX_ROWS:,} rows. "
                "Delete the rows below the plan and upload it again."
            )
        if self.rows > limits.MAX_ROWS:
            self._refuse(f"has more than {limits.MAX_ROWS:,} rows; the limit is {limits.MAX_ROWS:,} rows")

    def _place(self, ref: str | None) -> tuple[int, int]:
        if not ref:
            return self.row, self.column + 1
        match = COORDINATE.match(ref)
        if match is None:
            self._refuse(f"row {self.row:,} has a cell with the unreadable reference {ref[:20]!r}. {AGAIN}")
        try:
            column = column_index_from_string(match[1].upper())
        except ValueError:
            column = 10**6
        return int(match[2]), column

    def _check_place(self, row: int, column: int, ref: str) -> None:
        if column > limits.MAX_COLUMNS:
            self._refuse(
                f"has a cell in column {column_letter(column)} (cell {ref}); the limit is {limits.MAX_COLUMNS} "
                f"columns (A to {column_letter(limits.MAX_COLUMNS)}). Delete the columns to the right of the plan "
                "and upload it again."
            )
        if row > limits.MAX_ROWS:
            self._refuse(
                f"reaches row {row:,} (cell {ref}); the limit is {limits.MAX_ROWS:,} rows. "
                "Delete the rows below the plan and upload it again."
            )

    def _cell(self, element) -> None:
        ref = element.get("r")
        row, column = self._place(ref)
        self._check_place(row, column, ref or f"{column_letter(column)}{row}")
        self.column = column
        self.count += 1
        if self.count > limits.MAX_CELLS:
            self._refuse(f"has more than {limits.MAX_CELLS:,} cells; the limit is {limits.MAX_CELLS:,}")
        style = _int(element.get("s"), 0)
        value, data_type = self._value(element, style, ref or f"{column_letter(column)}{row}")
        styles = self.book.styles
        fill = styles.fills[style] if 0 <= style < len(styles.fills) else None
        if value is None and fill is None:
            return
        self.sheet.cells[(row, column)] = Cell(row, column, value, data_type, fill)
        self.sheet.max_row = max(self.sheet.max_row, row)
        self.sheet.max_column = max(self.sheet.max_column, column)

    def _value(self, element, style: int, ref: str) -> tuple[Any, str]:
        data_type = element.get("t") or "n"
        text = formula = inline = None
        for child in element:
            name = _local(child.tag)
            if name == "v":
                text = child.text
            elif name == "f":
                formula = child.text or ""
            elif name == "is":
                inline = _text(child)
        if formula is not None:
            return "=" + formula, "f"
        if data_type == "inlineStr":
            return inline, "s"
        if not text:
            return None, data_type
        if data_type == "s":
            strings = self.book.shared_strings
            index = _int(text, -1)
            if not 0 <= index < len(strings):
                self._refuse(f"cell {ref} refers to text that is not in the workbook. {AGAIN}")
            return strings[index], "s"
        if data_type == "str":
            return text, "s"
        if data_type == "b":
            return text.strip() in ("1", "true"), "b"
        if data_type == "e":
            return text, "e"
        try:
            if data_type == "d":
                return from_ISO8601(text), "d"
            number = _cast_number(text)
            if style in self.book.styles.dates:
                return from_excel(number, self.book.epoch, timedelta=style in self.book.styles.timedeltas), "d"
        except (ValueError, OverflowError, TypeError):
            return "#VALUE!", "e"
        return number, "n"

    def _merge(self, ref: str) -> None:
        self.merged_ranges += 1
        if self.merged_ranges > limits.MAX_MERGED_RANGES:
            self._refuse(
                f"has more than {limits.MAX_MERGED_RANGES:,} merged ranges; the limit is {limits.MAX_MERGED_RANGES:,}"
            )
        first, _, last = ref.partition(":")
        first_match, last_match = COORDINATE.match(first), COORDINATE.match(last or first)
        if first_match is None or last_match is None:
            self._refuse(f"has a merged range with the unreadable reference {ref[:30]!r}. {AGAIN}")
        top, left = self._place(first)
        bottom, right = self._place(last or first)
        top, bottom = sorted((top, bottom))
        left, right = sorted((left, right))
        if bottom > limits.MAX_ROWS:
            self._refuse(
                f"has a merged range {ref} that reaches row {bottom:,}; the limit is {limits.MAX_ROWS:,} rows. "
                "Unmerge the cells below the plan and upload it again."
            )
        if right > limits.MAX_COLUMNS:
            self._refuse(
                f"has a merged range {ref} that reaches column {column_letter(right)}; the limit is "
                f"{limits.MAX_COLUMNS} columns (A to {column_letter(limits.MAX_COLUMNS)})"
            )
        self.merged_cells += (bottom - top + 1) * (right - left + 1)
        if self.merged_cells > limits.MAX_MERGED_CELLS:
            self._refuse(
                f"has merged ranges covering {self.merged_cells:,} cells (up to {ref}); "
                f"the limit is {limits.MAX_MERGED_CELLS:,} merged cells"
            )
        for row in range(top, bottom + 1):
            for column in range(left, right + 1):
                self.sheet.merged[(row, column)] = (top, left)
        self.sheet.max_row = max(self.sheet.max_row, bottom)
        self.sheet.max_column = max(self.sheet.max_column, right)


def _int(text: str | None, default):
    try:
        return int(text) if text is not None and len(text) < 20 else default
    except ValueError:
        return default


def _solid_rgb(fill) -> str | None:
    for pattern in fill:
        if _local(pattern.tag) == "patternFill" and pattern.get("patternType") == "solid":
            for colour in pattern:
                if _local(colour.tag) == "fgColor" and colour.get("rgb"):
                    return colour.get("rgb")
    return None


def open_workbook(archive: zipfile.ZipFile) -> XlsxWorkbook:
    """Open an archive already checked by ``importer.check_file``; raises WorkbookRefused."""
    return XlsxWorkbook(archive)
