"""Publishing with care and templates managed in the service, in the browser, as the VRU admin and the public."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.pages import (
    PublicPlansPage,
    PublishPreviewPage,
    Session,
    TemplateListPage,
    WithdrawPage,
)
from vrhub.core.models import AuditEntry
from vrhub.organisations.models import Organisation
from vrhub.plans.models import Plan, PlanTemplate, TemplateAction
from vrhub.transparency.models import Publication

pytestmark = pytest.mark.e2e

SHOTS = os.environ.get("E2E_SCREENSHOTS")  # a folder: save screenshots of each page there, to look at


def _shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def test_admin_checks_publishes_and_withdraws_and_the_public_sees_outcomes(page, e2e_data):
    accepted = Plan.objects.filter(area__code__in=["E09000016", "E09000002"], template__year=2021)
    accepted.update(state="accepted")
    havering = Plan.objects.get(area__code="E09000016", template__year=2021)
    action = havering.actions.exclude(outcome="").exclude(baseline="").order_by("code").first()
    lead_names = set(Plan.objects.filter(pk__in=accepted).values_list("actions__lead_name", flat=True)) - {""}
    Session(page).as_user("vru.admin")

    preview = PublishPreviewPage(page).open(2021).check_accessibility()
    assert "accepted plans of 2 boroughs" in preview.summary()
    assert sorted(preview.boroughs_shown()) == ["E09000002", "E09000016"]
    preview.open_borough("Havering").check_accessibility()
    body = page.locator("main").inner_text()
    assert action.outcome in body and action.baseline in body
    assert not any(name in body for name in lead_names)
    assert not Publication.objects.filter(vru__code="VRU-LDN").exists(), "looking changes nothing"
    _shot(page, "publish-preview")
    preview.confirm_and_publish()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("now public")

    page.get_by_role("button", name="Sign out").click()
    public = PublicPlansPage(page).open("VRU-LDN", 2021)
    without = (
        Organisation.objects.filter(kind="area", vru__code="VRU-LDN")
        .exclude(code__in=["E09000016", "E09000002"])
        .count()
    )
    assert public.without_plan_line().startswith(f"No accepted plan yet ({without} boroughs):")
    expect(page.locator("details.govuk-details")).to_have_count(2)
    public.open_borough("Havering")
    row = public.action_row("E09000016", action.code)
    expect(row).to_contain_text(action.outcome)
    expect(row).to_contain_text(action.baseline)
    assert not any(name in page.locator("main").inner_text() for name in lead_names)
    public.check_accessibility()
    # No page-level sideways scroll: wide tables scroll in their own regions.
    assert page.evaluate("document.documentElement.scrollWidth") == page.viewport_size["width"]
    _shot(page, "public-plans")

    Session(page).as_user("vru.admin")
    withdraw = WithdrawPage(page).open(2021).check_accessibility()
    page.get_by_role("button", name="Withdraw from publication").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say why the plans are being withdrawn")
    withdraw.check_accessibility()
    _shot(page, "withdraw-confirm")
    withdraw.withdraw("A borough asked us to correct its baseline")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("no longer public")
    assert not Publication.objects.filter(vru__code="VRU-LDN").exists()
    assert AuditEntry.objects.filter(field="withdrawn_because", new__startswith="A borough asked").exists()


def test_admin_builds_next_years_template_previews_and_publishes_it(page, e2e_data):
    Session(page).as_user("vru.admin")
    listing = TemplateListPage(page).open().check_accessibility()
    _shot(page, "template-list")
    editor = listing.start_next_year_from(2022)
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("2023/24 template has been started")
    draft = PlanTemplate.objects.get(year=2023)
    editor.check_accessibility()

    editor.add_theme("YTH", "Youth voice", "How young people shape the plan.")
    expect(page.locator("[data-testid=template-problems]").first).to_contain_text("Theme YTH")
    editor.add_action("Youth voice", "Mandatory", "Run a youth panel", "Say how often it meets and who attends.")
    expect(editor.action_row("YTH-M1")).to_contain_text("Run a youth panel")
    optional = TemplateAction.objects.filter(theme__template=draft, kind="optional").order_by("code").first()
    editor.retire(optional.code)
    expect(editor.action_row(optional.code)).to_contain_text("Retired")
    editor.check_accessibility()
    _shot(page, "template-editor")

    editor.preview()
    main = page.locator("main")
    expect(main).to_contain_text("YTH-M1: Run a youth panel")
    expect(main).to_contain_text("Say how often it meets and who attends.")
    assert optional.title not in main.inner_text(), "a retired action is not offered"
    editor.check_accessibility()
    _shot(page, "template-preview")
    page.get_by_role("link", name="Back to the template").click()

    editor.publish()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("2023/24 template is published")
    draft.refresh_from_db()
    assert draft.published
    expect(page.locator("main")).to_contain_text("Only the submission deadline, the guidance on each action")
    editor.check_accessibility()
