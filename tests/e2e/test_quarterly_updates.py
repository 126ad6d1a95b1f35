import re

import pytest
from playwright.sync_api import expect

from tests.e2e.axe import assert_no_axe_violations
from tests.e2e.pages import LoginPage
from vrhub.plans.models import Plan

pytestmark = pytest.mark.e2e


def test_editor_reports_a_quarter_and_sees_the_trend(page, e2e_data):
    plan = Plan.objects.get(area__code="E09000016", template__year=2021)
    LoginPage(page).open().sign_in("havering.editor")
    page.goto(f"/plans/{plan.pk}/")
    page.get_by_role("link", name="Quarterly updates").click()
    expect(page.locator("svg.app-trend-chart").first).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("link", name=re.compile(r"^Governance\s*,\s*Q3")).click()
    section = page.locator('section[data-code="GOV-M1"]')
    section.get_by_label(re.compile("^Status GOV-M1")).select_option(label="Green")
    section.get_by_label(re.compile("^Progress this quarter GOV-M1")).fill("Board met in October.")
    section.get_by_label(re.compile("^Measured value GOV-M1")).fill("4")
    page.get_by_role("button", name=re.compile("^Save Q3")).click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("1 update saved")
    expect(section.get_by_test_id("action-trend")).to_contain_text("Q3 Green (4)")
    assert_no_axe_violations(page)
