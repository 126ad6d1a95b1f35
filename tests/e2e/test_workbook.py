"""An officer downloads the plan as Excel, edits it, uploads it, checks the changes and saves them."""

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.e2e.axe import assert_no_axe_violations
from tests.e2e.pages import LoginPage
from tests.workbooks.test_import import rows_by_code
from vrhub.plans.models import Plan, Status

pytestmark = pytest.mark.e2e


def test_download_edit_upload_confirm(page, e2e_data, tmp_path):
    plan = Plan.objects.get(area__code="E09000016", template__year=2021)
    LoginPage(page).open().sign_in("havering.editor")
    page.goto(f"/plans/{plan.pk}/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the plan as an Excel workbook").click()
    path = tmp_path / "plan.xlsx"
    download_info.value.save_as(path)

    wb = load_workbook(path)
    ws = wb["1 Governance"]
    row = rows_by_code(ws)["GOV-M1"]
    ws.cell(row, 14).value = "Board met in May; terms of reference agreed"
    ws.cell(row, 16).value = "R"
    wb.save(path)

    with page.expect_navigation():
        page.get_by_role("link", name="Import an edited workbook").click()
    assert_no_axe_violations(page)
    page.get_by_label("Upload the plan workbook").set_input_files(str(path))
    page.get_by_role("button", name="Check the workbook").click()
    changes = page.get_by_test_id("import-changes")
    expect(changes).to_contain_text("Board met in May; terms of reference agreed")
    # The status change in words (labels), never the stored values ("amber", "red").
    status_row = changes.locator("tbody tr", has_text="Status")
    expect(status_row.locator("td").nth(1)).to_have_text("Status")
    expect(status_row.locator("td").nth(3)).to_have_text(Status.RED.label)
    assert_no_axe_violations(page)
    assert plan.actions.get(code="GOV-M1").progress != "Board met in May; terms of reference agreed"

    page.get_by_role("button", name="Save these changes").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Workbook imported")
    action = plan.actions.get(code="GOV-M1")
    assert (action.progress, action.status) == ("Board met in May; terms of reference agreed", "red")
