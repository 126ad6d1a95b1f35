"""Sign-off that flows, in the browser: the sign page waits for the completeness check, the editor is told
whose signatures a save voids, and each signatory's home page and re-sign page say what they must do."""

import os
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.pages import OptionalActionsPage, Session, SignatoryHomePage, SignPage, ThemePage
from tests.plans.conftest import complete_content
from vrhub.accounts.models import User
from vrhub.plans.completeness import plan_completeness
from vrhub.plans.models import Plan, TemplateAction
from vrhub.plans.services import plan_action_update

pytestmark = pytest.mark.e2e
SHOTS = os.environ.get("VRHUB_SCREENSHOTS", "/tmp/signoff-shots")
SIGNATORIES = ["havering.chiefexec", "havering.leader", "ea.commander"]


def shot(page, name: str, locator=None) -> None:
    """A screenshot to look at: the whole page, or one part of it (a theme page is very long)."""
    os.makedirs(SHOTS, exist_ok=True)
    if locator is not None:
        locator.screenshot(path=f"{SHOTS}/{name}.png")
    else:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def test_sign_off_flows(page, e2e_data):
    plan = Plan.objects.get(area__code="E09000016", template__year=2021)
    editor = User.objects.get(username="havering.editor")
    for action in plan.actions.all():
        blank = {"outcome": "", "baseline": ""} if action.code == "GOV-M1" else {}
        plan_action_update(action=action, user=editor, data=complete_content(**blank))
    assert len(plan_completeness(plan).problems) == 2
    session = Session(page)

    # The Chief Executive's home page and sign page: not ready yet, and why.
    session.as_user("havering.chiefexec")
    home = SignatoryHomePage(page).open()
    expect(home.todo()).to_contain_text("Havering 2021/22 plan: 2 items still to complete")
    home.check_accessibility()
    sign = SignPage(page).open(plan.pk)
    expect(sign.waits()).to_contain_text("Signing waits until the plan is complete: 2 items still to complete")
    expect(sign.problem_rows()).to_have_count(2)
    expect(sign.problem_rows().first).to_contain_text("GOV-M1")
    expect(sign.sign_button()).to_have_count(0)
    sign.check_accessibility()
    shot(page, "sign-page-check")
    sign.problem_rows().first.get_by_role("link").click()
    expect(page).to_have_url(re.compile(rf"/plans/{plan.pk}/themes/GOV/#action-\d+$"))

    # The editor completes GOV-M1 on its own form; the page saves just that action.
    session.as_user("havering.editor")
    page.goto(f"/plans/{plan.pk}/themes/GOV/")
    theme = ThemePage(page)
    expect(theme.void_warning()).to_have_count(0)
    theme.fill_action("GOV-M1", **{"Outcome(s)": "Board reviews the plan quarterly", "Baseline": "2020/21: none"})
    theme.save().expect_saved()
    expect(theme.action("GOV-M1").get_by_test_id("saved-note")).to_have_text("Saved GOV-M1.")

    for username in SIGNATORIES:
        session.as_user(username)
        home = SignatoryHomePage(page).open()
        expect(home.to_sign()).to_have_count(1)
        expect(home.to_sign().first).to_contain_text("Sign the Havering 2021/22 plan")
        home.to_sign().first.get_by_role("link").click()
        sign = SignPage(page)
        expect(page.get_by_test_id("check-passed")).to_be_visible()
        sign.sign()

    # Before saving a change to the signed plan, the editor is told whose signatures it voids.
    session.as_user("havering.editor")
    page.goto(f"/plans/{plan.pk}/themes/GOV/")
    theme = ThemePage(page)
    expect(theme.void_warning()).to_contain_text(
        "Casey Chief (Chief Executive), Lee Leader (Leader of the Council or Elected Mayor) "
        "and Cam Commander (BCU Commander)"
    )
    theme.check_accessibility()
    page.screenshot(path=f"{SHOTS}/theme-void-warning-top.png")
    shot(page, "theme-void-warning-action", theme.action("GOV-M2"))
    theme.fill_action("GOV-M2", Baseline="2020/21: 11 partners attend").save()
    expect(page.locator(".govuk-error-summary")).to_have_text(
        re.compile(r"GOV-M2: Saving this change voids the signatures of Casey Chief .* Nothing has been saved")
    )
    theme.check_accessibility()
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=f"{SHOTS}/theme-void-refused-top.png")
    shot(page, "theme-void-refused-action", theme.action("GOV-M2"))
    theme.fill_action("GOV-M2", Baseline="2020/21: 11 partners attend").confirm_void().save()
    # Said once, beside the action saved (not in a banner as well).
    expect(theme.action("GOV-M2").get_by_test_id("saved-note")).to_have_text(
        re.compile(r"^Saved GOV-M2\. This voided the signatures of Casey Chief \(Chief Executive\)")
    )
    expect(page.locator(".govuk-notification-banner--success")).to_have_count(0)

    # The Chief Executive sees the voided signature, with when and why, and every change since.
    session.as_user("havering.chiefexec")
    home = SignatoryHomePage(page).open()
    expect(home.voided_rows()).to_have_count(1)
    expect(home.voided_rows().first).to_contain_text("The plan changed: GOV-M2 changed")
    home.check_accessibility()
    shot(page, "home-todo")
    home.voided_rows().first.get_by_role("link").click()
    sign = SignPage(page)
    expect(sign.change_tables()).to_have_count(1)
    expect(sign.change_tables().first).to_contain_text("Baseline")
    expect(sign.change_tables().first).to_contain_text("2020/21: 11 partners attend")
    sign.check_accessibility()
    shot(page, "resign-diff")
    sign.sign()

    # Adopting an optional action changes the signed content too: the page names the live signature
    # (only the Chief Executive has signed again) and the change waits for the editor to confirm.
    session.as_user("havering.editor")
    adopted = set(plan.actions.filter(theme__code="DIV").values_list("template_action_id", flat=True))
    optional = (
        TemplateAction.objects.filter(theme__template=plan.template, theme__code="DIV", kind="optional", retired=False)
        .exclude(pk__in=adopted)
        .order_by("order")
        .first()
    )
    page.goto(f"/plans/{plan.pk}/themes/DIV/optional/")
    choose = OptionalActionsPage(page)
    expect(choose.void_warning()).to_contain_text("This plan has been signed by Casey Chief (Chief Executive)")
    choose.check_accessibility()
    shot(page, "optional-void-warning")
    choose.adopt(optional.code).save()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Saving this change voids the signature of Casey Chief (Chief Executive). Nothing has been saved"
    )
    assert not plan.actions.filter(template_action=optional).exists()
    choose.check_accessibility()
    shot(page, "optional-void-refused")
    choose.adopt(optional.code).confirm_void().save()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(f"Adopted {optional.code}")
    assert plan.actions.filter(template_action=optional).exists()
