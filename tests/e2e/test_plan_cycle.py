"""The whole cycle in the browser: complete, sign ×3, submit, return, change, sign again, resubmit, accept."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.axe import assert_no_axe_violations
from tests.e2e.pages import CyclePlanPage, ReviewedThemePage, Session, ThemePage
from tests.plans.conftest import complete_content
from vrhub.accounts.models import User
from vrhub.plans.models import Plan
from vrhub.plans.services import plan_action_update

pytestmark = pytest.mark.e2e
SIGNATORIES = [
    ("havering.chiefexec", "chief_executive"),
    ("havering.leader", "leader"),
    ("ea.commander", "bcu_commander"),
]


def test_whole_plan_cycle(page, e2e_data):
    plan = Plan.objects.get(area__code="E09000016", template__year=2021)
    editor = User.objects.get(username="havering.editor")
    for action in plan.actions.exclude(code="GOV-M1"):
        plan_action_update(action=action, user=editor, data=complete_content())
    session = Session(page)

    # The editor completes the last action in the browser.
    session.as_user("havering.editor")
    page.goto(f"/plans/{plan.pk}/themes/GOV/")
    theme = ThemePage(page)
    theme.fill_action("GOV-M1", **complete_form_values()).save().expect_saved()
    plan_page = CyclePlanPage(page).open(plan.pk)
    expect(page.get_by_test_id("completeness-summary")).to_contain_text("Plan complete")
    plan_page.check_accessibility()

    # Submitting before anyone has signed is refused with the reason.
    plan_page.submit()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("still to sign")

    for username, office in SIGNATORIES:
        session.as_user(username)
        CyclePlanPage(page).open(plan.pk).sign()
        assert CyclePlanPage(page).signature_state(office) == "Valid"

    session.as_user("havering.editor")
    plan_page = CyclePlanPage(page).open(plan.pk).submit()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("submitted to the VRU")
    assert plan_page.state() == "Submitted"
    plan_page.check_accessibility()

    session.as_user("vru.reviewer")
    reviewer_page = CyclePlanPage(page).open(plan.pk)
    reviewer_page.check_accessibility()
    reviewer_page.review("Return it to the borough for changes", "GOV-M1 needs a baseline with a figure.")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("returned")
    assert reviewer_page.state() == "Returned for changes"

    session.as_user("havering.editor")
    plan_page = CyclePlanPage(page).open(plan.pk)
    expect(page.get_by_test_id("review-thread")).to_contain_text("GOV-M1 needs a baseline with a figure.")
    plan_page.reply("Added: 2020/21 figure from the SNA.")
    expect(page.get_by_test_id("review-thread")).to_contain_text("Added: 2020/21 figure from the SNA.")
    page.goto(f"/plans/{plan.pk}/themes/GOV/")
    theme = ThemePage(page).fill_action("GOV-M1", Baseline="2020/21: 14 board meetings, 9 quorate")
    expect(theme.void_warning()).to_contain_text("Casey Chief (Chief Executive)")
    theme.confirm_void().save().expect_saved()
    plan_page = CyclePlanPage(page).open(plan.pk)
    for _, office in SIGNATORIES:
        assert plan_page.signature_state(office).startswith("Void: must sign again")
    plan_page.check_accessibility()

    for username, _office in SIGNATORIES:
        session.as_user(username)
        CyclePlanPage(page).open(plan.pk).sign()

    session.as_user("havering.editor")
    plan_page = CyclePlanPage(page).open(plan.pk).submit()
    assert plan_page.state() == "Resubmitted"

    session.as_user("vru.reviewer")
    reviewer_page = CyclePlanPage(page).open(plan.pk).review("Accept the plan")
    assert reviewer_page.state() == "Accepted"
    reviewer_page.check_accessibility()

    plan.refresh_from_db()
    assert plan.state == Plan.State.ACCEPTED and plan.submitted_at and plan.accepted_at


def complete_form_values() -> dict:
    return {
        "Status": "Amber",
        "Outcome(s)": "Board reviews the plan quarterly",
        "Baseline": "2020/21: no quarterly review",
        "Lead name": "Synthetic Lead",
        "Lead role": "Director of Community Safety",
        "Lead agency": "Council",
        "Start date": "2021-04-01",
        "End date": "2022-03-31",
        "Progress to date": "Terms of reference agreed.",
    }


SCREENSHOTS = Path(os.environ.get("VRHUB_SCREENSHOTS", "/tmp/vrhub-screenshots"))


def test_a_returned_plan_explains_itself(page, e2e_data):
    """The demo's returned plan (Lambeth): the banner with the VRU's reason and links to each open comment,
    the comment beside its action on the theme page, marked addressed by the editor, reopened by the VRU."""
    from vrhub.cycle.models import ReviewComment

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    plan = Plan.objects.get(area__code="E09000022", template__year=2021, is_current=True)
    reason = ReviewComment.objects.get(plan=plan, is_return_reason=True)
    first = ReviewComment.objects.filter(plan=plan, action__isnull=False, parent=None).order_by("created_at").first()
    session = Session(page)

    session.as_user("lambeth.editor")
    plan_page = CyclePlanPage(page).open(plan.pk)
    banner = plan_page.return_banner()
    expect(banner).to_contain_text("Returned for changes")
    expect(banner.get_by_test_id("return-reason")).to_have_text(reason.body)
    expect(banner).to_contain_text(
        f"{reason.author.display_name} ({reason.author.organisation.name}) returned this plan on"
    )
    expect(banner.get_by_test_id("return-open-comments").get_by_role("link")).to_have_count(
        ReviewComment.objects.filter(plan=plan, parent=None, is_return_reason=False).count()
    )
    plan_page.check_accessibility()
    page.screenshot(path=str(SCREENSHOTS / "returns-banner.png"))

    theme_page = plan_page.follow_open_comment(0)
    theme_page = ReviewedThemePage(page)
    assert page.url.endswith(f"#comment-{first.pk}")
    comment = theme_page.action_comment(first.action.code)
    expect(comment).to_contain_text(first.body)
    expect(comment.get_by_test_id("comment-state")).to_have_text("Open")
    theme_page.check_accessibility()
    comment.scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "returns-theme-comment.png"))

    theme_page.mark_addressed(first.action.code)
    comment = theme_page.action_comment(first.action.code)
    expect(comment.get_by_test_id("comment-state")).to_contain_text("Addressed marked by Lou Lambeth")
    expect(comment.locator("details")).not_to_have_attribute("open", "")  # collapsed, still there to read
    theme_page.check_accessibility()
    comment.scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "returns-theme-addressed.png"))
    first.refresh_from_db()
    assert first.addressed_by.username == "lambeth.editor"

    session.as_user("vru.reviewer")
    page.goto(f"/plans/{plan.pk}/review/")
    expect(page.get_by_test_id("review-comment-summary")).to_contain_text("Addressed by Lou Lambeth")
    # Returned: nothing to decide until the borough resubmits.
    expect(page.get_by_test_id("nothing-to-decide")).to_contain_text("until the borough resubmits it")
    assert_no_axe_violations(page)
    page.screenshot(path=str(SCREENSHOTS / "returns-review-page.png"), full_page=True)

    page.goto(f"/plans/{plan.pk}/themes/{first.theme.code}/")
    ReviewedThemePage(page).reopen(first.action.code)
    first.refresh_from_db()
    assert first.addressed_at is None
