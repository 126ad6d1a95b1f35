"""The VRU's London view, the library, similar work, reports and the public page, in the browser."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.axe import assert_no_axe_violations
from tests.e2e.pages import LoginPage, Session
from vrhub.plans.models import Plan

pytestmark = pytest.mark.e2e


def test_reviewer_uses_the_london_view_and_library(page, e2e_data):
    LoginPage(page).open().sign_in("vru.reviewer")
    expect(page.locator("h1")).to_contain_text("All boroughs' 2021/22 plans")
    assert_no_axe_violations(page)
    rows = page.get_by_test_id("borough-table").locator("tbody tr")
    expect(rows).to_have_count(32)
    # A wide data page: it uses the screen's width, and its wide tables scroll in their own regions
    # rather than widening the page (their visually hidden cell text included).
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") == width
    region = page.get_by_role("region", name="Boroughs: state, signatures and completeness")
    assert region.bounding_box()["width"] > 960

    page.get_by_label("Police BCU").select_option(label="East Area BCU")
    page.get_by_role("button", name="Apply filters").click()
    expect(rows).to_have_count(3)
    page.get_by_role("link", name="Completeness").click()
    expect(page.get_by_test_id("borough-table").locator("th[aria-sort=ascending]")).to_have_text("Completeness")
    assert_no_axe_violations(page)
    heat = page.get_by_test_id("heatmap").get_by_role("link", name=re.compile("^Havering, Governance"))
    expect(heat).to_be_visible()

    page.get_by_role("button", name="Prepare the London summary (PDF)").click()
    expect(page.locator("h1")).to_have_text("London summary report")
    expect(page.locator("[data-job=state]")).to_have_text("Finished")
    assert_no_axe_violations(page)
    with page.expect_download() as download:
        page.locator("[data-job=output]").click()
    assert download.value.suggested_filename.endswith(".pdf")
    page.go_back()

    page.get_by_role("link", name="Library").click()
    page.get_by_label("Search").fill("knife")
    page.get_by_role("button", name="Search").click()
    results = page.get_by_test_id("library-results").locator("li")
    expect(results.first).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("link", name=re.compile("^Similar work in other boroughs")).first.click()
    expect(page.locator("h1")).to_have_text("Similar work in other boroughs")
    page.get_by_label(re.compile("Why should other boroughs look at")).fill("Clear outcome and strong progress.")
    page.get_by_role("button", name="Flag as good practice").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("good-practice library")
    assert_no_axe_violations(page)

    page.goto("/london/2021/emerging/?quarter=2")
    expect(page.get_by_test_id("emerging").locator("tbody tr").first).to_be_visible()
    assert_no_axe_violations(page)


def test_admin_publishes_and_the_public_sees_no_names(page, e2e_data):
    plan = Plan.objects.get(area__code="E09000016", template__year=2021)
    Plan.objects.filter(pk=plan.pk).update(state="accepted")
    lead_names = set(plan.actions.exclude(lead_name="").values_list("lead_name", flat=True))
    session = Session(page)
    session.as_user("vru.admin")
    page.get_by_role("button", name="Check and publish accepted plan summaries").click()
    page.get_by_label("I have checked what will become public").check()
    page.get_by_role("button", name="Publish these plans").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("now public")
    page.get_by_role("button", name="Sign out").click()

    page.goto("/public/VRU-LDN/2021/")
    expect(page.locator("h1")).to_contain_text("Violence and Vulnerability Reduction Action Plans 2021/22")
    page.get_by_text("Havering", exact=True).click()
    body = page.locator("main").inner_text()
    assert "Synthetic demo data" in body
    assert not any(name in body for name in lead_names)
    assert_no_axe_violations(page)
    response = page.request.get("/api/v1/plans")
    assert response.status == 401
