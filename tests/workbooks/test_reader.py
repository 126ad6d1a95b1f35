"""The streaming reader reads what openpyxl reads, for the ways Excel itself writes cells."""

import io
import zipfile
from datetime import date, datetime, time

import pytest
from openpyxl import load_workbook

from tests.workbooks import hostile
from vrhub.workbooks.reader import open_workbook

# As Excel writes them: shared strings (one with rich-text runs and a phonetic run), a date style,
# a solid red fill, a formula with its cached value, booleans, errors, numbers, inline and formula strings.
SHARED = (
    "<si><t>Action</t></si><si><t>Status</t></si>"
    '<si><r><t>Board </t></r><r><rPr><b/></rPr><t xml:space="preserve">meets  </t></r>'
    '<rPh sb="0" eb="1"><t>x</t></rPh></si>'
    "<si><t>Red</t></si><si><t>a_x005F_x000D_b</t></si>"
)
STYLES = (
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts>'
    '<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="FFFF0000"/><bgColor indexed="64"/></patternFill></fill>'
    "</fills>"
    '<cellXfs count="5"><xf numFmtId="0" fillId="0"/><xf numFmtId="164" fillId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fillId="2" applyFill="1"/><xf numFmtId="14" fillId="0"/><xf numFmtId="21" fillId="0"/></cellXfs>'
)
SHEET = (
    '<dimension ref="A1:H4"/><sheetData>'
    '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
    '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" s="2"/><c r="C2" s="1"><v>44651</v></c>'
    '<c r="D2" s="3"><v>44651.5</v></c><c r="E2" s="4"><v>0.75</v></c><c r="F2"><v>1.5</v></c>'
    '<c r="G2"><v>42</v></c><c r="H2" t="b"><v>1</v></c></row>'
    '<row r="3"><c r="A3"><f>1+1</f><v>2</v></c><c r="B3" t="str"><f>"x"&amp;"y"</f><v>xy</v></c>'
    '<c r="C3" t="e"><v>#N/A</v></c><c r="D3" t="inlineStr"><is><t>inline</t></is></c><c r="E3" t="s"><v>4</v></c>'
    '<c r="F3" t="str"><v>plain str</v></c><c r="G3" s="1"><v>99999999</v></c></row>'
    '<row r="4"><c r="A4" t="s"><v>3</v></c></row>'
    '</sheetData><mergeCells count="1"><mergeCell ref="A4:B5"/></mergeCells>'
)


def excel_like(workbook_pr: str = "") -> bytes:
    return hostile.minimal_xlsx({"Governance": SHEET}, shared_strings=SHARED, styles=STYLES, workbook_pr=workbook_pr)


def read(data: bytes):
    archive = zipfile.ZipFile(io.BytesIO(data))
    return open_workbook(archive).sheet("Governance")


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_cells_read_as_openpyxl_reads_them():
    data = excel_like()
    sheet = read(data)
    ws = load_workbook(io.BytesIO(data))["Governance"]
    for row in ws.iter_rows():
        for cell in row:
            if cell.coordinate in ("B5", "A5", "B4"):  # merged: openpyxl gives None, the importer the top-left
                continue
            mine = sheet.cell(cell.row, cell.column)
            assert (mine.value, mine.data_type) == (cell.value, cell.data_type), cell.coordinate
    assert sheet.cell(2, 1).value == "Board meets  "
    assert sheet.cell(2, 3).value == datetime(2022, 3, 31)
    assert sheet.cell(2, 5).value == time(18, 0)
    assert sheet.cell(3, 1).value == "=1+1" and sheet.cell(3, 1).data_type == "f"
    assert (sheet.cell(3, 7).value, sheet.cell(3, 7).data_type) == ("#VALUE!", "e")


def test_fills_merged_cells_and_extent():
    sheet = read(excel_like())
    assert sheet.cell(2, 2).fill_rgb == "FFFF0000" and sheet.cell(2, 2).value is None
    assert sheet.cell(2, 1).fill_rgb is None
    assert sheet.cell(5, 2).value == "Red", "a merged cell reads as its range's top-left cell"
    assert (sheet.max_row, sheet.max_column) == (5, 8)


def test_the_1904_calendar_is_honoured():
    sheet = read(excel_like('<workbookPr date1904="1"/>'))
    assert sheet.cell(2, 3).value == datetime(2026, 4, 1)  # 44651 days after 1 January 1904


def test_an_unchanged_exported_plan_is_read_like_openpyxl(plan):
    from vrhub.workbooks.export import plan_workbook_bytes

    data = plan_workbook_bytes(plan=plan)
    book = open_workbook(zipfile.ZipFile(io.BytesIO(data)))
    theirs = load_workbook(io.BytesIO(data))
    assert book.sheetnames == theirs.sheetnames
    for title in book.sheetnames:
        sheet, ws = book.sheet(title), theirs[title]
        for row in ws.iter_rows():
            for cell in row:
                assert sheet.cell(cell.row, cell.column).value == cell.value, (title, cell.coordinate)


def test_chart_sheets_are_listed_but_not_read():
    data = excel_like()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = {i.filename: archive.read(i) for i in archive.infolist()}
    members["xl/workbook.xml"] = members["xl/workbook.xml"].replace(
        b"</sheets>", b'<sheet name="Chart" sheetId="9" r:id="rIdC"/></sheets>'
    )
    members["xl/_rels/workbook.xml.rels"] = members["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        f'<Relationship Id="rIdC" Target="chartsheets/sheet1.xml" Type="{hostile.REL_NS}/chartsheet"/>'
        "</Relationships>".encode(),
    )
    book = open_workbook(zipfile.ZipFile(io.BytesIO(hostile.zip_bytes(members))))
    assert book.sheetnames == ["Governance", "Chart"]
    assert book.sheet("Chart") is None and book.sheet("Governance").cell(1, 1).value == "Action"


def test_dates_written_by_the_export_come_back_as_dates(plan, editor):
    from vrhub.plans.services import plan_action_update
    from vrhub.workbooks.export import plan_workbook_bytes
    from vrhub.workbooks.importer import plan_import_preview

    plan_action_update(
        action=plan.actions.get(code="GOV-M1"),
        user=editor,
        data={"start_date": date(2021, 4, 1), "end_date": date(2022, 3, 31), "end_estimated": True},
    )
    result = plan_import_preview(plan=plan, data=plan_workbook_bytes(plan=plan))
    assert result.ok and not result.has_changes
