"""Monitoring returns in the browser: a Havering editor downloads the template, fills it in, uploads it with a
mistake, sees the mistake named by sheet/row/column, fixes it, previews, confirms, and sees the returns and the
year's reach (checked against the workbook's own rows). Axe on every page; screenshots in VRHUB_SCREENSHOTS."""

import datetime as dt
import os
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import expect

from tests.e2e.pages import Session
from tests.e2e.pages_programmes_returns import ReturnsImportPage, ReturnsPage
from vrhub.organisations.models import Organisation
from vrhub.programmes.models import MonitoringReturn, Programme, ProgrammeAmount, Recipient

pytestmark = pytest.mark.e2e
SCREENSHOTS = Path(os.environ.get("VRHUB_SCREENSHOTS", "/tmp/vrhub-screenshots"))
REFERENCE = "E2E-RET-1"
# reference, year, quarter, direct, indirect, under_10, 10_14, 15_17, 18_24, 25_plus, unknown, outputs, spend
ROWS = [
    [REFERENCE, "2020/21", "Q1", 40, 120, None, 15, 25, None, None, None, "12 mentoring sessions a week", 12000.5],
    [REFERENCE, "2020/21", "Q2", 55, None, None, 20, 30, None, None, 5, "Mentoring and family workshops", 27500],
    [REFERENCE, "2020", "3", 61, 150, 2, 20, 30, 9, None, None, "Mentoring and a summer camp", 41000],
]


@pytest.fixture
def returns_world(e2e_data):
    havering = Organisation.objects.get(code="E09000016")
    recipient = Recipient.objects.create(vru=havering.owning_vru, name="E2E Returns Youth Trust")
    programme = Programme.objects.create(
        vru=havering.owning_vru,
        owner=havering,
        reference=REFERENCE,
        title="E2E returns mentoring",
        recipient=recipient,
        start_date=dt.date(2020, 4, 1),
        end_date=dt.date(2021, 3, 31),
        synthetic=True,
    )
    programme.areas.set([havering])
    ProgrammeAmount.objects.create(programme=programme, year=2020, amount=Decimal("40000.00"))
    return programme


def _fill(template: Path, out: Path, rows) -> str:
    book = openpyxl.load_workbook(template)
    sheet = book["Returns"]
    sheet.delete_rows(2, sheet.max_row)
    for row in rows:
        sheet.append(row)
    book.save(out)
    return str(out)


def test_havering_editor_imports_returns_from_the_template(page, returns_world, tmp_path):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    Session(page).as_user("havering.editor")
    importing = ReturnsImportPage(page).open()
    importing.check_accessibility()
    page.screenshot(path=str(SCREENSHOTS / "programmes-returns-import.png"), full_page=True)

    template = importing.download_template(tmp_path)
    book = openpyxl.load_workbook(template)
    listed = [row[0] for row in book["Programmes"].iter_rows(min_row=2, values_only=True)]
    assert REFERENCE in listed
    header = [c.value for c in book["Returns"][1]]
    assert header[:3] == ["reference", "year", "quarter"]

    # A mistake: a decimal count in Q2's direct column (row 3, column D).
    bad = [list(r) for r in ROWS]
    bad[1][3] = 55.5
    importing.upload(_fill(template, tmp_path / "bad.xlsx", bad))
    assert importing.problems() == [
        "Sheet Returns, row 3, column D (reached_direct): The number of people reached directly must be a whole "
        "number (no decimals)."
    ]
    importing.check_accessibility()
    page.screenshot(path=str(SCREENSHOTS / "programmes-returns-import-errors.png"), full_page=True)
    assert not MonitoringReturn.objects.filter(programme=returns_world).exists()

    importing.upload(_fill(template, tmp_path / "good.xlsx", ROWS))
    assert importing.summary() == "3 new returns, 0 returns to change, 0 returns unchanged."
    assert [row[2] for row in importing.rows()] == ["Q1 2020/21", "Q2 2020/21", "Q3 2020/21"]
    importing.check_accessibility()
    page.screenshot(path=str(SCREENSHOTS / "programmes-returns-import-preview.png"), full_page=True)

    returns = importing.save()
    expect(page.get_by_text("Returns imported: 3 new returns, 0 returns changed.")).to_be_visible()
    returns.check_accessibility()
    # The year's reach, from the workbook's rows (blank indirect in Q2: not reported, so the sum is of Q1 and Q3).
    direct = sum(r[3] for r in ROWS)
    indirect = sum(r[4] for r in ROWS if r[4] is not None)
    assert returns.reach_direct(2020) == f"{direct:,} people"
    assert returns.reach_indirect(2020) == f"{indirect:,} people"
    assert returns.incomplete(2020)
    assert returns.spend(2020) == f"£{max(r[12] for r in ROWS):,.2f} of £40,000.00 Above the year's amount"
    assert returns.quarters(2020) == ["Q1", "Q2", "Q3"]
    page.screenshot(path=str(SCREENSHOTS / "programmes-returns.png"), full_page=True)

    form = returns.change("Q2 2020/21")
    expect(page.get_by_role("heading", name="Change the return for Q2 2020/21")).to_be_visible()
    form.check_accessibility()
    page.get_by_label("People reached indirectly").fill("130")
    with page.expect_navigation():
        page.get_by_role("button", name="Save the return").click()
    expect(page.get_by_text("Return for Q2 2020/21 updated.")).to_be_visible()
    returns = ReturnsPage(page)
    assert returns.reach_indirect(2020) == f"{indirect + 130:,} people"
    assert not returns.incomplete(2020)
    page.get_by_role("link", name="Change the return for Q2 2020/21").click()
    page.get_by_label("People reached directly (optional)", exact=True).fill("-1")
    with page.expect_navigation():
        page.get_by_role("button", name="Save the return").click()
    expect(page.get_by_role("link", name="The number of people reached directly cannot be negative")).to_be_visible()
    form.check_accessibility()
    page.screenshot(path=str(SCREENSHOTS / "programmes-return-form.png"), full_page=True)
