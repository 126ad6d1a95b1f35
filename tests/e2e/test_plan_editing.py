import re

import pytest
from playwright.sync_api import expect

from tests.e2e.pages import LoginPage, ThemePage
from vrhub.plans.models import Plan, PlanAction

pytestmark = pytest.mark.e2e


def test_editor_adopts_completes_and_sees_completeness_change(page, e2e_data):
    login = LoginPage(page).open().check_accessibility()
    home = login.sign_in("havering.editor")
    expect(page.locator("h1")).to_have_text("Violence and Vulnerability Reduction Action Plans")
    home.check_accessibility()

    plan_page = home.open_plan("Havering")
    plan_page.check_accessibility()
    before_total = plan_page.complete_count()
    before_gov = plan_page.theme_complete("GOV")

    theme = plan_page.open_theme("Governance")
    theme.check_accessibility()
    optional = theme.choose_optional_actions()
    optional.check_accessibility()
    plan = Plan.objects.get(area__code="E09000016", template__year=2021)
    menu = plan.template.themes.get(code="GOV").template_actions.filter(kind="optional").order_by("order")
    not_adopted = next(ta for ta in menu if not plan.actions.filter(template_action=ta).exists())
    theme = optional.adopt(not_adopted.code).save()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(f"Adopted {not_adopted.code}")
    expect(theme.action(not_adopted.code)).to_be_visible()
    assert not theme.action_is_complete(not_adopted.code)

    theme.fill_action(
        not_adopted.code,
        **{
            "Status": "Green",
            "Outcome(s)": "Partnership board signs off a joint violence dashboard",
            "Baseline": "2020/21: no shared dashboard",
            "Lead name": "Synthetic Lead",
            "Lead role": "Head of Community Safety",
            "Lead agency": "Council",
            "Start date": "2021-04-01",
            "End date": "2022-03-31",
            "The end date is an estimate": True,
            "Progress to date": "First version shared with partners in June.",
        },
    )
    theme.save().expect_saved()
    assert theme.action_is_complete(not_adopted.code)
    theme.check_accessibility()

    plan_page = theme.back_to_plan()
    assert plan_page.complete_count() == before_total + 1
    assert plan_page.theme_complete("GOV") == before_gov + 1
    plan_page.check_accessibility()
    saved = PlanAction.objects.get(plan=plan, code=not_adopted.code)
    assert saved.end_estimated and saved.lead_agency == "Council"


def test_editor_sees_validation_errors_and_cannot_open_another_boroughs_plan(page, e2e_data):
    LoginPage(page).open().sign_in("havering.editor")
    plan = Plan.objects.get(area__code="E09000016", template__year=2021)
    page.goto(f"/plans/{plan.pk}/themes/GOV/")
    theme_page = ThemePage(page)
    theme_page.fill_action("GOV-M1", **{"Start date": "2022-01-01", "End date": "2021-06-30"})
    theme_page.save()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("GOV-M1 End date: End date must be the same as or after the start date")
    expect(page).to_have_title(re.compile("^Error: "))
    theme_page.check_accessibility()
    summary.get_by_role("link").first.click()
    expect(theme_page.action("GOV-M1").get_by_label(re.compile(r"^End date\s+GOV-M1$"))).to_be_focused()

    lambeth = Plan.objects.get(area__code="E09000022", template__year=2021)
    response = page.goto(f"/plans/{lambeth.pk}/")
    assert response.status == 404
    expect(page.locator("body")).not_to_contain_text("Lambeth")
