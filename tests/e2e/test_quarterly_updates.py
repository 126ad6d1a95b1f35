import os
import re
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.e2e.axe import assert_no_axe_violations
from tests.e2e.pages import LoginPage, QuartersPage
from tests.workbooks.test_updates_roundtrip import headings, rows_by_code
from vrhub.cycle.models import QuarterlyUpdate
from vrhub.plans.models import Plan

pytestmark = pytest.mark.e2e


def test_editor_reports_a_quarter_and_sees_the_trend(page, e2e_data):
    plan = Plan.objects.get(area__code="E09000016", template__year=2021)
    LoginPage(page).open().sign_in("havering.editor")
    page.goto(f"/plans/{plan.pk}/")
    page.get_by_role("link", name="Quarterly updates").click()
    expect(page.locator("svg.app-trend-chart").first).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_text("Report Q3 2021/22 by theme").click()
    page.get_by_role("link", name=re.compile(r"^Governance\s*, Q3 2021.22$")).click()
    section = page.locator('section[data-code="GOV-M1"]')
    section.get_by_label(re.compile("^Status GOV-M1")).select_option(label="Green")
    section.get_by_label(re.compile("^Progress this quarter GOV-M1")).fill("Board met in October.")
    section.get_by_label(re.compile("^Measured value GOV-M1")).fill("4")
    page.get_by_role("button", name=re.compile("^Save Q3")).click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("1 update saved")
    expect(section.get_by_test_id("action-trend")).to_contain_text("Q3 Green (4)")
    assert_no_axe_violations(page)


SCREENSHOTS = Path(os.environ.get("VRHUB_SCREENSHOTS", "/tmp/vrhub-screenshots"))


def test_editor_downloads_the_update_sheet_fills_it_in_excel_and_uploads_it(page, e2e_data, tmp_path):
    plan = Plan.objects.get(area__code="E09000016", template__year=2021)
    third = plan.template.quarters.get(number=3)
    LoginPage(page).open().sign_in("havering.editor")
    quarters = QuartersPage(page).open(plan.pk)
    # The demo's 2021/22 quarters are long past due: Q3 has no updates, so it is overdue, in words.
    assert quarters.state(3) == "Overdue"
    expect(quarters.row(3)).to_contain_text(f"Due {third.due_on:%-d %B %Y}")
    assert_no_axe_violations(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "quarters.png"), full_page=True)

    path = tmp_path / "q3.xlsx"
    quarters.download_sheet("Q3 2021/22", path)
    wb = load_workbook(path)
    ws = wb.worksheets[0]
    cols, rows = headings(ws), rows_by_code(ws)
    ws.cell(rows["GOV-M1"], cols["Status"]).value = "amber"
    ws.cell(rows["GOV-M1"], cols["Progress this quarter"]).value = "Partners reported by e-mail"
    ws.cell(rows["GOV-M1"], cols["Measured value"]).value = 7
    wb.save(path)

    upload = quarters.open_upload("Q3 2021/22")
    assert_no_axe_violations(page)
    upload.check("Q3 2021/22", path)
    expect(upload.change("GOV-M1")).to_contain_text("No update yet → Amber")
    expect(upload.change("GOV-M1")).to_contain_text("Partners reported by e-mail")
    assert_no_axe_violations(page)
    page.screenshot(path=str(SCREENSHOTS / "update-sheet-preview.png"), full_page=True)
    assert not QuarterlyUpdate.objects.filter(quarter=third).exists(), "nothing saved before confirming"

    upload.save()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Q3 2021/22 update sheet imported: 1 update saved."
    )
    update = QuarterlyUpdate.objects.get(quarter=third, action__plan=plan)
    assert (update.action.code, update.status, update.progress, update.measured_value) == (
        "GOV-M1",
        "amber",
        "Partners reported by e-mail",
        Decimal("7.00"),
    )

    # A problem is shown by sheet, row and column, and nothing is saved.
    ws.cell(rows["GOV-M2"], cols["Status"]).value = "Purple"
    ws.cell(rows["GOV-M2"], cols["Progress this quarter"]).value = "x"
    wb.save(path)
    upload = QuartersPage(page).open(plan.pk).open_upload("Q3 2021/22").check("Q3 2021/22", path)
    expect(upload.errors()).to_contain_text("“Purple” is not a status")
    expect(upload.errors()).to_contain_text(str(rows["GOV-M2"]))
    assert_no_axe_violations(page)
    page.screenshot(path=str(SCREENSHOTS / "update-sheet-errors.png"), full_page=True)
    assert QuarterlyUpdate.objects.filter(quarter=third, action__plan=plan).count() == 1
