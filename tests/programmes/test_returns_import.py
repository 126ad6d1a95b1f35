"""The monitoring-returns import: preview, all-or-nothing save, every error naming sheet/row/column, crafted
cells refused with nothing saved, and the year's reach checked against pandas over the imported file."""

import csv
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from django.core.exceptions import ValidationError

from tests.programmes import factories as f
from vrhub.core.models import AuditEntry
from vrhub.programmes.models import MonitoringReturn
from vrhub.programmes.selectors.figures import reach
from vrhub.programmes.services.returns import return_save
from vrhub.programmes.services.returns_import import (
    COLUMNS,
    ImportRefused,
    returns_import_preview,
    returns_import_save,
)

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data"
HEADER = ",".join(COLUMNS)


@pytest.fixture
def world(programmes_world, havering):
    second = f.ProgrammeFactory(owner=havering, reference="HAV-2", title="Havering sports")
    f.ProgrammeAmountFactory(programme=second, year=2020, amount=Decimal("20000.00"))
    return {**programmes_world, "second": second}


def _csv(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def _xlsx(rows, title="Returns") -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _refused(user, content: bytes, filename="returns.csv") -> list[str]:
    before = list(MonitoringReturn.objects.order_by("pk").values())
    with pytest.raises(ImportRefused) as caught:
        returns_import_preview(user=user, filename=filename, content=content)
    assert list(MonitoringReturn.objects.order_by("pk").values()) == before
    return caught.value.errors


ROW = "HAV-1,2020/21,Q2,10,20,,5,5,,,,Sessions,15000"


@pytest.mark.parametrize("name", ["returns_havering.csv", "returns_havering.xlsx"])
def test_the_sample_file_previews_then_saves_all(world, editor, name):
    content = (DATA / name).read_bytes()
    preview = returns_import_preview(user=editor, filename=name, content=content)
    assert [(r.programme.reference, r.year, r.quarter, r.action) for r in preview.rows] == [
        ("HAV-1", 2020, 1, "change"),
        ("HAV-1", 2020, 2, "create"),
        ("HAV-1", 2020, 3, "create"),
        ("HAV-2", 2020, 1, "create"),
        ("HAV-2", 2020, 2, "create"),
    ]
    # Q1 was saved with "12 mentoring sessions a week." (the world's factory); only its outputs change.
    assert preview.rows[0].changes == {"outputs": ("12 mentoring sessions a week.", "12 mentoring sessions a week")}
    assert MonitoringReturn.objects.filter(programme__reference__startswith="HAV").count() == 1  # nothing yet
    returns_import_save(preview=preview, user=editor)
    q3 = MonitoringReturn.objects.get(programme=world["havering_programme"], year=2020, quarter=3)
    assert q3.reached_direct is None
    assert q3.reached_indirect == 200
    assert q3.spend_to_date == Decimal("41000.00")
    q2 = MonitoringReturn.objects.get(programme=world["havering_programme"], year=2020, quarter=2)
    assert q2.reached_by_age == {"10_14": 20, "15_17": 30, "unknown": 5}
    assert q2.spend_to_date == Decimal("27500.50")
    assert AuditEntry.objects.filter(object_type="programmes.monitoringreturn", actor=editor).count() >= 5


def test_reach_after_the_import_matches_pandas_over_the_file(world, editor):
    content = (DATA / "returns_havering.csv").read_bytes()
    returns_import_save(preview=returns_import_preview(user=editor, filename="r.csv", content=content), user=editor)
    frame = pd.read_csv(io.BytesIO(content), dtype={"year": str, "quarter": str})
    for reference, programme in (("HAV-1", world["havering_programme"]), ("HAV-2", world["second"])):
        rows = frame[frame["reference"] == reference]
        found = reach(programmes=[programme], year=2020)
        assert found.returns == len(rows)
        assert found.direct == int(rows["reached_direct"].sum())  # pandas skips the blank (NaN) cells
        assert found.indirect == int(rows["reached_indirect"].sum())
        assert found.complete == bool(rows[["reached_direct", "reached_indirect"]].notna().all().all())
        for band in ("under_10", "10_14", "15_17", "unknown"):
            expected = rows[band].sum()
            assert found.by_age.get(band, 0) == int(expected)
    assert reach(programmes=[world["havering_programme"]], year=2020).complete is False  # Q2 and Q3 left blanks


def test_year_and_quarter_forms_are_taken(world, editor):
    preview = returns_import_preview(
        user=editor,
        filename="r.csv",
        content=_csv(
            "HAV-2,2020,1,1,1,,,,,,,,1",
            "hav-2,2020-21,q2,1,1,,,,,,,,2",
            "HAV-2,2020/2021,Q 3,1,1,,,,,,,,3",
        ),
    )
    assert [(r.programme.reference, r.year, r.quarter) for r in preview.rows] == [
        ("HAV-2", 2020, 1),
        ("HAV-2", 2020, 2),
        ("HAV-2", 2020, 3),
    ]


def test_errors_name_the_line_and_column_in_a_csv(world, editor):
    errors = _refused(editor, _csv(ROW, "HAV-1,2020/21,Q3,-4,20,,,,,,,Sessions,16000"))
    assert errors == ["Line 3, column 4 (reached_direct): The number of people reached directly cannot be negative."]


def test_errors_name_the_sheet_row_and_column_in_a_workbook(world, editor):
    rows = [
        ["HAV-1", "2020/21", "Q2", 10, 20, None, 5, 5, None, None, None, "x", 15000],
        ["HAV-1", "2020/21", "Q3", 2.5],
    ]
    errors = _refused(editor, _xlsx(rows, title="Q3 returns"), filename="r.xlsx")
    assert errors == [
        "Sheet Q3 returns, row 3, column D (reached_direct): The number of people reached directly must be a whole "
        "number (no decimals)."
    ]


def test_someone_elses_programme_is_named_without_revealing_it(world, editor):
    # LDN-1 is the VRU's (Havering sees it but cannot change it); LAM-1 is Lambeth's; NOPE-9 does not exist.
    errors = _refused(
        editor,
        _csv(
            "LDN-1,2020/21,Q2,1,1,,,,,,,,",
            "LAM-1,2020/21,Q2,1,1,,,,,,,,",
            "NOPE-9,2020/21,Q2,1,1,,,,,,,,",
        ),
    )
    assert errors == [
        f"Line {n}, column 1 (reference): {ref!r} is not a programme you can enter returns for: check the reference "
        "(the template lists yours)."
        for n, ref in ((2, "LDN-1"), (3, "LAM-1"), (4, "NOPE-9"))
    ]
    assert not any("Programme LAM-1" in e for e in errors)


def test_the_template_example_row_is_refused(world, editor):
    errors = _refused(editor, _csv("EXAMPLE,2020/21,Q1,40,120,,15,25,,,,x,12000.5"))
    assert errors == [
        "Line 2, column 1 (reference): this is the template's example row: replace it with a return of yours or "
        "delete it."
    ]


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            'HAV-1,2020/21,Q2,1,1,,,,,,,"=HYPERLINK(""http://evil.example"",""click"")",1',
            "Line 2, column 12 (outputs) looks like a formula: type the value instead.",
        ),
        ("HAV-1,2020/21,Q2,@SUM(A1),1,,,,,,,,1", "Line 2, column 4 (reached_direct) looks like a formula"),
        (
            "HAV-1,2020/21,Q2,99999999999999999999999,1,,,,,,,,1",
            "Line 2, column 4 (reached_direct): The number of people reached directly must be at most 10,000,000.",
        ),
        (
            "HAV-1,2020/21,Q2,1,1,,,,,,,,1e400",
            "Line 2, column 13 (spend_to_date): Spend to date must be an amount in pounds",
        ),
        ("HAV-1,2020/21,Q2,1,-7,,,,,,,,1", "Line 2, column 5 (reached_indirect): The number of people reached"),
        (
            "HAV-1,2020/21,Q2,1,1,,,,,,,,-100",
            "Line 2, column 13 (spend_to_date): Spend to date must not be negative.",
        ),
        ("HAV-1,2020/21,Q2,3,1,,1.5,,,,,,1", "Line 2, column 7 (10_14): The number of people reached directly aged 10"),
        ("HAV-1,2020/22,Q2,1,1,,,,,,,,1", "Line 2, column 2 (year): '2020/22' is not a financial year"),
        ("HAV-1,1/4/2020,Q2,1,1,,,,,,,,1", "Line 2, column 2 (year): '1/4/2020' is not a financial year"),
        ("HAV-1,2020/21,Q5,1,1,,,,,,,,1", "Line 2, column 3 (quarter): 'Q5' is not a quarter"),
        ("HAV-1,2020/21,Q2,2,1,,2,1,,,,,1", "Line 2, column 6 (under_10): The age bands add up to 3 people"),
        ("HAV-1,2020/21,,1,1,,,,,,,,1", "Line 2, column 3 (quarter): enter the quarter"),
        ("HAV-1,2020/21,Q2,1,1,,,,,,,,11999.99", "Line 2, column 13 (spend_to_date): The spend to date (£11,999.99)"),
        (
            "HAV-1,2021/22,Q1,1,1,,,,,,,,1",
            "Line 2, column 3 (quarter): Q1 2021/22 (1 April 2021 to 30 June 2021) starts",
        ),
    ],
)
def test_crafted_csv_cells_are_refused_with_nothing_saved(world, editor, row, expected):
    errors = _refused(editor, _csv(row))
    assert len(errors) == 1
    assert errors[0].startswith(expected)


def test_a_date_typed_in_the_year_column_of_a_workbook(world, editor):
    rows = [["HAV-1", dt.datetime(2020, 4, 1), "Q2", 1, 1, None, None, None, None, None, None, "x", 1]]
    errors = _refused(editor, _xlsx(rows), filename="r.xlsx")
    assert errors[0].startswith("Sheet Returns, row 2, column B (year): 01/04/2020 is a date, not a financial year")


def test_a_formula_cell_in_a_workbook_is_refused(world, editor):
    rows = [["HAV-1", "2020/21", "Q2", "=1+1", 1, None, None, None, None, None, None, '=HYPERLINK("http://x","y")', 1]]
    errors = _refused(editor, _xlsx(rows), filename="r.xlsx")
    assert errors == [
        "Sheet Returns, row 2, column D holds a formula: type the value instead.",
        "Sheet Returns, row 2, column L holds a formula: type the value instead.",
    ]


def test_duplicate_rows_for_one_quarter_are_refused(world, editor):
    errors = _refused(editor, _csv(ROW, ROW.replace("15000", "15001")))
    assert errors == [
        "Line 3, column 3 (quarter): HAV-1 Q2 2020/21 is given twice (also row 2): give each quarter once."
    ]


def test_a_file_whose_quarters_go_down_is_refused(world, editor):
    errors = _refused(editor, _csv(ROW, "HAV-1,2020/21,Q3,1,1,,,,,,,,14000"))
    assert errors == [
        "Line 3, column 13 (spend_to_date): The spend to date (£14,000.00) is less than Q2's (£15,000.00): it is the "
        "year's spend so far, so it cannot go down."
    ]


def test_nul_bytes_refuse_the_csv(world, editor):
    errors = _refused(editor, _csv("HAV-1,2020/21,Q2,1,1,,,,,,,a\x00b,1"))
    assert errors == ["The file holds NUL characters, so it is not a text CSV file: save it as CSV UTF-8."]


def test_ten_thousand_rows_are_refused(world, editor):
    errors = _refused(editor, _csv(*[ROW] * 10_000))
    assert errors == ["The file has 10,000 rows below the header; the limit is 1,000: split it into smaller files."]


def test_ten_thousand_rows_in_a_workbook_are_refused(world, editor):
    rows = [["HAV-1", "2020/21", "Q2", 1]] * 10_000
    errors = _refused(editor, _xlsx(rows), filename="r.xlsx")
    assert len(errors) == 1
    assert "rows" in errors[0]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"reference,year,quarter\nHAV-1,2020,1\n", "has no column 'reached_direct'"),
        (_csv(ROW).replace(b"outputs", b"outputz"), "a column 'outputz' this import does not take"),
        (b"", "The file is empty."),
        (b"reference,\xff\n", "Line 1 is not UTF-8 text"),
    ],
)
def test_bad_headers_and_files_are_refused(world, editor, content, expected):
    errors = _refused(editor, content)
    assert expected in errors[0]


def test_a_file_over_the_upload_limit_is_refused(world, editor, settings):
    settings.DOCUMENT_MAX_BYTES = 100
    errors = _refused(editor, _csv(ROW, ROW.replace("Q2", "Q3")))
    assert errors[0].startswith("The file is larger than the")


def test_save_is_refused_when_the_returns_changed_since_the_preview(world, editor):
    preview = returns_import_preview(user=editor, filename="r.csv", content=_csv(ROW))
    return_save(
        programme=world["havering_programme"],
        user=editor,
        year=2020,
        quarter=4,
        data={"reached_direct": "1", "spend_to_date": "50000"},
    )
    with pytest.raises(ValidationError) as caught:
        returns_import_save(preview=preview, user=editor)
    assert "changed since the file was checked" in " ".join(caught.value.messages)
    assert not MonitoringReturn.objects.filter(programme=world["havering_programme"], quarter=2).exists()


def test_a_preview_is_saved_once(world, editor):
    preview = returns_import_preview(user=editor, filename="r.csv", content=_csv(ROW))
    returns_import_save(preview=preview, user=editor)
    with pytest.raises(ValidationError):
        returns_import_save(preview=preview, user=editor)


def test_one_bad_row_saves_nothing_at_all(world, editor):
    rows = list(csv.reader(io.StringIO((DATA / "returns_havering.csv").read_text())))
    rows[-1][3] = "lots"
    content = "\n".join(",".join(r) for r in rows).encode()
    errors = _refused(editor, content)
    assert errors == [
        "Line 6, column 4 (reached_direct): Enter the number of people reached directly as a whole number, or leave "
        "it blank if not reported."
    ]


def test_a_failure_part_way_through_the_save_saves_nothing(world, editor, monkeypatch):
    """All or nothing: if writing the third of the file's five returns fails, the first two are not kept."""
    from vrhub.programmes.services import returns_import

    content = (DATA / "returns_havering.csv").read_bytes()
    preview = returns_import_preview(user=editor, filename="returns_havering.csv", content=content)
    assert len([r for r in preview.rows if r.action != "unchanged"]) == 5
    before = list(MonitoringReturn.objects.order_by("pk").values())
    audits = AuditEntry.objects.count()
    real, calls = returns_import.write_return, []

    def failing_on_the_third(**kwargs):
        calls.append(kwargs["quarter"])
        if len(calls) == 3:
            raise RuntimeError("the database went away")
        return real(**kwargs)

    monkeypatch.setattr(returns_import, "write_return", failing_on_the_third)
    with pytest.raises(RuntimeError):
        returns_import_save(preview=preview, user=editor)
    assert len(calls) == 3  # two rows were written before the failure...
    assert list(MonitoringReturn.objects.order_by("pk").values()) == before  # ...and neither was kept
    assert AuditEntry.objects.count() == audits
