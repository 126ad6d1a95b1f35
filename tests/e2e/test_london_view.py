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
    with page.expect_navigation():
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


def test_london_view_fits_the_screen_and_its_heatmap_sorts(page, e2e_data):
    from tests.e2e.pages import LondonViewPage

    LoginPage(page).open().sign_in("vru.reviewer")
    view = LondonViewPage(page)
    for width, height in ((1366, 768), (1920, 1080)):
        page.set_viewport_size({"width": width, "height": height})
        view.open(2021)
        # No sideways scrolling of the page itself: wide tables scroll inside their own regions.
        assert view.page_scroll_width() <= view.window_width() == width
        page.screenshot(path=f"test-results/london-view-{width}.png", full_page=False)
    page.set_viewport_size({"width": 1366, "height": 768})
    view.open(2021)
    view.check_accessibility()

    # The borough column stays in place while the adoption table scrolls sideways.
    region = view.region("Optional action adoption by borough")
    first_cell = region.locator("tbody th[scope=row]").first
    before = first_cell.bounding_box()["x"]
    region.evaluate("el => { el.scrollLeft = 400; }")
    assert region.evaluate("el => el.scrollLeft") > 0
    assert first_cell.bounding_box()["x"] == pytest.approx(before, abs=1)
    expect(region.locator("thead th").filter(has_text="Kensington and Chelsea")).to_have_count(1)

    # Heatmap: shares per status written out; sorted by share red, largest first.
    cell = view.heatmap().get_by_role("link", name=re.compile(r"^Havering, Governance: .*\(of \d+ actions\)$"))
    expect(cell).to_be_visible()
    view.sort_heatmap_by("Share red")
    shares = [float(s.rstrip("%")) for s in view.heatmap().get_by_test_id("red-share").all_inner_texts()]
    assert shares == sorted(shares, reverse=True) and shares[0] > shares[-1]
    expect(view.heatmap().locator("th[aria-sort=descending]")).to_have_text("Share red")
    view.check_accessibility()
    page.screenshot(path="test-results/london-heatmap-sorted.png", full_page=False)

    # Overdue actions: a count per borough, and a drill-down listing them.
    count = int(view.attention_row("E09000016").get_by_test_id("overdue-count").inner_text().split()[0])
    drill = view.open_overdue("E09000016")
    expect(page.locator("h1")).to_have_text("Overdue actions")
    expect(drill.rows()).to_have_count(min(count, 50))
    drill.check_accessibility()
    page.screenshot(path="test-results/london-drill-down.png", full_page=False)
    drill.show("Mandatory actions not started")
    expect(page.locator("h1")).to_have_text("Mandatory actions not started")
    drill.check_accessibility()


def test_quarterly_chart_has_a_pattern_per_status_and_a_table(page, e2e_data):
    plan = Plan.objects.get(area__code="E09000016", template__year=2021, is_current=True)
    LoginPage(page).open().sign_in("vru.reviewer")
    page.goto(f"/plans/{plan.pk}/quarters/")
    chart = page.get_by_role("img", name=re.compile("^Governance: actions by status"))
    expect(chart).to_be_visible()
    # Red and Amber segments are filled from different patterns, each holding its own colour.
    red = chart.locator("rect", has=page.locator("title", has_text="Red")).first
    amber = chart.locator("rect", has=page.locator("title", has_text="Amber")).first
    red_fill, amber_fill = red.get_attribute("fill"), amber.get_attribute("fill")
    assert red_fill != amber_fill
    colour = "el => el.ownerSVGElement.querySelector(el.getAttribute('fill').slice(4, -1)).querySelector('rect')"
    assert red.evaluate(colour + ".getAttribute('fill')") != amber.evaluate(colour + ".getAttribute('fill')")
    expect(page.get_by_role("region", name="Governance: actions by status in each quarter")).to_be_visible()
    assert_no_axe_violations(page)
    page.screenshot(path="test-results/quarterly-chart.png", full_page=True)
    page.goto(f"/plans/{plan.pk}/")
    themes = page.get_by_test_id("themes-table")
    header = themes.get_by_role("columnheader", name="Not being undertaken")
    # The themes table fits its column: its last heading is inside the visible region, not cut off.
    region = page.get_by_role("region", name="Themes: actions, completeness and status")
    assert region.evaluate("el => el.scrollWidth <= el.clientWidth")
    expect(header).to_be_visible()
