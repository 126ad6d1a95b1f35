"""The clerks' table reader (vrhub/governance/tables.py): CSV and XLSX, every refusal naming its place."""

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from vrhub.governance.tables import CELL_MAX, TableRefused, read_table

COLUMNS = dict(required=["name", "attendance"], optional=["left_after_item"], max_rows=5)


def _xlsx(rows, title="Attendance") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _refused(**kwargs) -> list[str]:
    with pytest.raises(TableRefused) as caught:
        read_table(**COLUMNS, **kwargs)
    return caught.value.errors


def test_csv_with_bom_headers_in_any_order_and_case():
    content = "\ufeffAttendance, NAME ,Left after item\r\npresent,Ann Smith,\r\n,,\r\nremote,Bo Li,3\r\n".encode()
    rows = read_table(filename="a.csv", content=content, **COLUMNS)
    assert [r.values for r in rows] == [
        {"name": "Ann Smith", "attendance": "present", "left_after_item": ""},
        {"name": "Bo Li", "attendance": "remote", "left_after_item": "3"},
    ]
    assert [r.number for r in rows] == [2, 4]  # the empty line is skipped, numbers stay the file's
    assert rows[1].where("left_after_item") == "line 4, column 3 (left_after_item)"


def test_xlsx_dates_and_whole_numbers_read_as_text():
    content = _xlsx(
        [["name", "attendance", "left_after_item"], ["Ann", "remote", 2], ["Dt", dt.date(2019, 3, 6), None]]
    )
    rows = read_table(filename="a.xlsx", content=content, **COLUMNS)
    assert rows[0].values["left_after_item"] == "2"
    assert rows[1].values["attendance"] == "2019-03-06"
    assert rows[0].where("attendance") == "sheet Attendance, row 2, column B (attendance)"


def test_header_problems_are_named():
    errors = _refused(filename="a.csv", content=b"name,notes,name\nAnn,x,y\n")
    assert errors == [
        "The header (line 1) has a column 'notes' this import does not take: the columns are name, attendance, "
        "left_after_item.",
        "The header (line 1) names the column 'name' twice.",
        "The header (line 1) has no column 'attendance'.",
    ]


def test_formula_like_and_overlong_cells_are_refused_with_their_place():
    long = "x" * (CELL_MAX + 1)
    errors = _refused(filename="a.csv", content=f"name,attendance\n=HYPERLINK(1),present\nAnn,{long}\n".encode())
    assert errors == [
        "Line 2, column 1 (name) looks like a formula: type the value instead.",
        f"Line 3, column 2 (attendance): {CELL_MAX + 1:,} characters; the limit is {CELL_MAX:,}.",
    ]


def test_a_real_formula_cell_in_a_workbook_is_refused():
    content = _xlsx([["name", "attendance"], ["Ann", "=1+1"]])
    errors = _refused(filename="a.xlsx", content=content)
    assert errors == ["Sheet Attendance, row 2, column B holds a formula: type the value instead."]


def test_value_under_no_heading_and_too_many_rows():
    assert _refused(filename="a.csv", content=b"name,attendance\nAnn,present,extra\n") == [
        "Line 2, column 3 holds a value under no heading."
    ]
    body = "".join(f"P{i},present\n" for i in range(6))
    assert _refused(filename="a.csv", content=f"name,attendance\n{body}".encode()) == [
        "The file has 6 rows below the header; the limit is 5."
    ]


def test_files_that_are_not_tables(settings):
    assert _refused(filename="a.csv", content=b"") == ["The file is empty."]
    assert _refused(filename="a.pdf", content=b"%PDF-1.4") == ["Upload a CSV file (.csv) or an Excel workbook (.xlsx)."]
    assert _refused(filename="a.csv", content=b"name,attendance\n\xff\xfe,x\n")[0].startswith("Line 2 is not UTF-8")
    assert _refused(filename="a.xlsx", content=b"PK\x03\x04 not really") == [
        "The file is damaged or not an Excel workbook (.xlsx)."
    ]
    settings.DOCUMENT_MAX_BYTES = 100
    assert _refused(filename="a.csv", content=b"name,attendance\n" + b"x,present\n" * 20) == [
        "The file is larger than the 100 bytes limit."
    ]
