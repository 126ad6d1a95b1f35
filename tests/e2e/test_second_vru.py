"""A second VRU in the browser (the West Midlands demo beside London's): a Birmingham editor sees only
Birmingham's plan, made from the West Midlands template, and edits an action; the VRP's reviewer sees the
seven West Midlands CSPs and nothing of London on the VRU-wide pages. axe on every page."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.pages_second_vru import SecondVruPlanPage, VruViewPage, sign_in, sign_out
from vrhub.organisations.models import Organisation
from vrhub.plans.models import Plan, PlanAction, TemplateAction, Theme

pytestmark = pytest.mark.e2e


def test_birmingham_edits_its_plan_and_the_vrp_reviewer_sees_only_the_west_midlands(page, e2e_data):
    wm = Organisation.objects.get(code="VRU-WMD")
    wm_areas = sorted(Organisation.objects.filter(kind=Organisation.Kind.AREA, vru=wm).values_list("name", flat=True))
    london_names = list(
        Organisation.objects.filter(kind=Organisation.Kind.AREA, vru__code="VRU-LDN").values_list("name", flat=True)
    )
    plan = Plan.objects.get(area__code="E22000335", is_current=True)
    wm_themes = list(Theme.objects.filter(template=plan.template).order_by("order").values_list("title", flat=True))
    # London's action titles are long and its own: none may show on a West Midlands plan.
    london_actions = set(
        TemplateAction.objects.filter(theme__template__vru__code="VRU-LDN").values_list("title", flat=True)
    )
    assert len(wm_themes) == 5 and len(wm_areas) == 7 and london_actions  # the checks below are not over nothing

    home = sign_in(page, "birmingham.editor")
    home.check_accessibility()
    assert home.plan_areas() == ["Birmingham"]

    home.open_plan("Birmingham")
    plan_page = SecondVruPlanPage(page).check_accessibility()
    assert plan_page.theme_titles() == wm_themes
    body = page.locator("body").inner_text()
    assert [t for t in london_actions if t in body] == []

    theme = plan_page.open_theme(wm_themes[0]).check_accessibility()
    body = page.locator("body").inner_text()
    assert [t for t in london_actions if t in body] == []
    code = "PGV-M1"
    theme.fill_action(code, **{"Progress to date": "Draft agreed with the board's chair in July (browser test)."})
    theme.save().expect_saved()
    theme.check_accessibility()
    action = PlanAction.objects.get(plan=plan, code=code)
    assert action.progress == "Draft agreed with the board's chair in July (browser test)."
    sign_out(page)

    sign_in(page, "wm.reviewer")
    view = VruViewPage(page)
    expect(view.nav_link()).to_have_text("West Midlands view")
    page.goto("/london/")
    expect(page).to_have_title(re.compile("^West Midlands view 2024/25"))
    expect(page.get_by_role("button", name="Prepare the West Midlands summary (PDF)")).to_be_visible()
    view.check_accessibility()
    assert sorted(view.borough_names()) == wm_areas

    pages = {"view": view.text()}
    with page.expect_navigation():
        page.get_by_role("link", name="Plans", exact=True).click()
    pages["plans"] = view.text()
    with page.expect_navigation():
        page.get_by_role("link", name="Library", exact=True).click()
    expect(page.locator("h1")).to_be_visible()
    view.check_accessibility()
    pages["library"] = view.text()
    for name, text in pages.items():
        found = [
            w for w in [*london_names, "London", "Metropolitan", "MOPAC"] if re.search(rf"\b{re.escape(w)}\b", text)
        ]
        assert found == [], name
