"""Property-based tests of reading workbooks: whatever is in the cells, the importer answers with a
result or its own clear refusal, never another exception; valid values come back as they went out."""

import io
import zipfile
from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.styles import PatternFill

from tests.workbooks import hostile
from vrhub.plans.models import Status
from vrhub.workbooks import limits
from vrhub.workbooks.columns import THEME_COLUMNS
from vrhub.workbooks.importer import ImportResult, WorkbookRefused, plan_import_preview
from vrhub.workbooks.parsing import (
    ParseError,
    looks_like_formula,
    neutralise,
    parse_status,
    parse_tick,
    status_from_colour,
    unneutralise,
)
from vrhub.workbooks.reader import open_workbook

SETTINGS = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
# Text a spreadsheet can hold: no control characters but tab and newline, no lone surrogates.
CELL_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff")
    | st.sampled_from("\t\n=+-@'"),
    max_size=300,
)
HUGE_TEXT = st.builds(lambda c, n: c * n, st.sampled_from(["a", "+", "=", " ", "é", "'", "1"]), st.integers(0, 40_000))
FORMULAS = st.builds(lambda body: "=" + body, st.text(alphabet="ABC123+*()!:$", max_size=30))
VALUES = st.one_of(
    st.none(),
    CELL_TEXT,
    HUGE_TEXT,
    FORMULAS,
    st.integers(-(2**53), 2**53),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.dates(min_value=date(1900, 3, 1)),
    st.datetimes(min_value=datetime(1900, 3, 1)),
    st.times(),
    st.sampled_from(["Red", "a", "G", "Not started", "Purple", "31/02/2022", "Q4 2021/22", "Ongoing", "✓", "-"]),
)
CELLS = st.dictionaries(st.tuples(st.integers(2, 30), st.integers(1, 20)), VALUES, max_size=40)


def short_message(message: str) -> bool:
    return len(message) < 400


@SETTINGS
@given(value=st.one_of(st.none(), CELL_TEXT, HUGE_TEXT, st.integers(), st.floats(), st.booleans()))
def test_status_is_a_status_or_a_clear_error(value):
    try:
        status = parse_status(value)
    except ParseError as exc:
        assert short_message(str(exc)) and "use Red, Amber, Green" in str(exc)
    else:
        assert status in set(Status.values) | {""}


@SETTINGS
@given(rgb=st.one_of(st.text(max_size=12), st.from_regex(r"\A[0-9A-Fa-f]{6,8}\Z")))
def test_any_fill_colour_maps_to_a_status_or_nothing(rgb):
    assert status_from_colour(rgb) in set(Status.values) | {""}


@SETTINGS
@given(value=st.one_of(st.none(), CELL_TEXT, HUGE_TEXT, st.integers(), st.booleans()))
def test_ticks_are_yes_no_or_a_clear_error(value):
    try:
        assert parse_tick(value) in (True, False)
    except ParseError as exc:
        assert short_message(str(exc))


@SETTINGS
@given(text=st.one_of(CELL_TEXT, HUGE_TEXT))
def test_neutralised_text_round_trips_and_is_never_formula_like(text):
    exported = neutralise(text)
    assert unneutralise(exported) == text
    assert exported[:1] not in ("=", "+", "-", "@")
    if text == text.strip():  # as stored: the importer never mistakes an exported value for a formula
        assert not looks_like_formula(exported.strip())


def write(cells: dict[tuple[int, int], object], fills: set[tuple[int, int]] = frozenset()) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "1 Governance"
    for col, column in enumerate(THEME_COLUMNS, start=1):
        ws.cell(1, col, column.heading)
    for (row, col), value in cells.items():
        ws.cell(row, col).value = value
    for row, col in fills:
        ws.cell(row, col).fill = PatternFill("solid", fgColor="FFFF0000")
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@SETTINGS
@given(cells=CELLS)
def test_the_reader_reads_every_cell_as_openpyxl_does(cells):
    data = write(cells)
    sheet = open_workbook(zipfile.ZipFile(io.BytesIO(data))).sheet("1 Governance")
    theirs = load_workbook(io.BytesIO(data))["1 Governance"]
    for row in theirs.iter_rows():
        for cell in row:
            mine = sheet.cell(cell.row, cell.column)
            assert mine.value == cell.value, cell.coordinate
            if cell.value is not None:  # an empty cell's type is not kept, and not needed
                assert mine.data_type == cell.data_type, cell.coordinate


@pytest.mark.django_db
@SETTINGS
@given(cells=CELLS, fills=st.sets(st.tuples(st.integers(2, 30), st.integers(14, 16)), max_size=5))
def test_any_cells_give_a_result_or_a_clear_refusal(plan, cells, fills):
    try:
        result = plan_import_preview(plan=plan, data=write(cells, fills), name="plan.xlsx")
    except WorkbookRefused as exc:
        assert short_message(str(exc))
        return
    assert isinstance(result, ImportResult)
    for error in result.errors:
        assert set(error) == {"sheet", "row", "column", "message"} and short_message(error["message"])
        assert error["sheet"] in ("1 Governance", "(workbook)")


RAW_CELLS = st.lists(
    st.tuples(
        st.sampled_from(["s", "n", "b", "e", "str", "inlineStr", "d", "junk", None]),
        st.one_of(st.none(), st.text(alphabet="0123456789.-eE+:TZ#NA/ x", max_size=25)),
        st.one_of(st.none(), st.integers(-2, 5)),
        st.booleans(),  # with a formula
    ),
    max_size=12,
)


@SETTINGS
@given(raw=RAW_CELLS)
def test_any_cell_xml_is_read_or_refused_clearly(raw):
    """Cells Excel would never write: any type, any value text, any style number, with or without formula."""
    row = []
    for i, (kind, text, style, formula) in enumerate(raw, start=1):
        attrs = (
            f' r="{chr(64 + i)}1"' + (f' t="{kind}"' if kind else "") + (f' s="{style}"' if style is not None else "")
        )
        inner = "<f>1+1</f>" if formula else ""
        if kind == "inlineStr":
            inner += f"<is><t>{text or ''}</t></is>"
        elif text is not None:
            inner += f"<v>{text}</v>"
        row.append(f"<c{attrs}>{inner}</c>")
    data = hostile.minimal_xlsx(
        {"Governance": f'<sheetData><row r="1">{"".join(row)}</row></sheetData>'},
        shared_strings="<si><t>one</t></si><si><r><t>two</t></r></si>",
        styles='<cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="46"/></cellXfs>',
    )
    try:
        sheet = open_workbook(zipfile.ZipFile(io.BytesIO(data))).sheet("Governance")
    except WorkbookRefused as exc:
        assert short_message(str(exc)) and "Governance" in str(exc)
        return
    for (row_number, column), cell in sheet.cells.items():
        assert row_number == 1 and 1 <= column <= limits.MAX_COLUMNS
        assert cell.data_type in {"s", "n", "b", "e", "d", "f", "str", "inlineStr", "junk"}
        assert isinstance(cell.value, str | int | float | bool | datetime | date | time | timedelta | None)


# Text as people type it on the plan page (stripped by the form), within each field's limit.
PAGE_TEXT = CELL_TEXT.map(lambda t: t.replace("\r", "").strip())


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    outcome=PAGE_TEXT,
    lead_name=PAGE_TEXT.map(lambda t: t[: limits.text_max_length("lead_name")].strip()),
    progress=st.one_of(PAGE_TEXT, st.sampled_from(["'=x", "=SUM(A1)", "-5% on 2020", "@risk", "''+1", "'"])),
    start=st.one_of(st.none(), st.dates(min_value=date(1900, 3, 1), max_value=date(2099, 12, 31))),
    status=st.sampled_from([""] + list(Status.values)),
)
def test_valid_plan_content_round_trips_through_the_workbook(plan, editor, outcome, lead_name, progress, start, status):
    from vrhub.plans.services import plan_action_update
    from vrhub.workbooks.export import plan_workbook_bytes

    action = plan.actions.get(code="GOV-M1")
    data = {"outcome": outcome, "lead_name": lead_name, "progress": progress, "start_date": start, "status": status}
    data |= {"comments": "Because the board decided so"} if status == Status.NOT_UNDERTAKEN else {}
    plan_action_update(action=action, user=editor, data=data)
    result = plan_import_preview(plan=plan, data=plan_workbook_bytes(plan=plan))
    assert result.ok, result.errors
    assert not result.has_changes, result.updated
