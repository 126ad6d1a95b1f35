"""The strategy in the browser: an editor starts it, writes the required contents, is told what stops publication,
links actions of the borough's action plan, publishes; the public page then shows it, without leads' names."""

import datetime as dt
import os

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.duty.factories import complete_partnership, without_demo_records
from tests.e2e.pages import Session
from tests.e2e.pages_duty_strategy import (
    PublicStrategiesPage,
    ReviewsPage,
    StrategyEditPage,
    StrategyPage,
    VersionsPage,
)
from vrhub.accounts.models import User
from vrhub.duty.catalogue import STRATEGY_CONTENTS
from vrhub.duty.models import AnnualReview, SpecifiedAuthority
from vrhub.duty.services.strategy import strategy_publish, strategy_start, strategy_update
from vrhub.organisations.models import Organisation
from vrhub.plans.models import Plan

pytestmark = pytest.mark.e2e
SHOTS = os.environ.get("VRHUB_SCREENSHOTS", "/tmp/duty-strategy-shots")
TITLE = "Havering serious violence strategy 2026 to 2029"


def shot(page, name: str) -> None:
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def test_editor_writes_links_and_publishes_and_the_public_page_shows_it(page, e2e_data):
    havering = Organisation.objects.get(code="E09000016")
    without_demo_records(havering.code)
    partnership = complete_partnership(area=havering, vru=havering.vru, synthetic=True)
    plan = Plan.objects.filter(area=havering, is_current=True).order_by("-template__year").first()
    actions = list(plan.actions.order_by("theme__order", "order", "code")[:2])
    Plan.objects.filter(pk=plan.pk).update(state=Plan.State.ACCEPTED)  # public pages show accepted plans' actions
    session = Session(page)
    session.as_user("havering.editor")

    strategy_page = StrategyPage(page).open("E09000016").check_accessibility()
    edit = strategy_page.start(TITLE)
    expect(page.locator("h1")).to_have_text("Edit the serious violence strategy")
    edit.check_accessibility()
    edit.fill(**{label: f"{label}: what Havering will do." for _name, label, _m in STRATEGY_CONTENTS})
    edit.fill(**{"How it applies the public health approach": "A defined population: under-25s in two wards."})
    strategy_page = edit.save()
    expect(strategy_page.success()).to_contain_text("0 plan actions linked")
    # Not publishable yet, and the page says why, from the readiness rule.
    expect(strategy_page.blockers()).to_contain_text("Link the strategy to the actions of the borough's action plan")
    assert "Publish the strategy" in strategy_page.missing()
    publish = strategy_page.open_publish(1)
    expect(publish.blockers()).to_contain_text("Link the strategy to the actions")
    publish.check_accessibility()

    strategy_page = StrategyPage(page).open("E09000016")
    edit = strategy_page.edit()
    for action in actions:
        edit.link(f"{action.code} {action.title}")
    strategy_page = edit.save()
    expect(strategy_page.success()).to_contain_text("2 plan actions linked")
    assert strategy_page.linked_codes() == [a.code for a in sorted(actions, key=lambda a: a.code)]
    expect(strategy_page.blockers()).to_have_text("Version 1 can be published.")
    strategy_page.check_accessibility()
    shot(page, "strategy-draft")

    publish = strategy_page.open_publish(1)
    publish.check_accessibility()
    shot(page, "strategy-publish")
    strategy_page = publish.publish()
    expect(strategy_page.success()).to_contain_text("Version 1 is published on")
    assert strategy_page.version_text() == "Version 1: Published"
    expect(page.get_by_test_id("strategy-readiness")).to_contain_text("Every element of the strategy is in place")
    strategy_page.check_accessibility()
    shot(page, "strategy-published")

    # The public, signed out.
    page.get_by_role("button", name="Sign out").click()
    listing = PublicStrategiesPage(page).open()
    expect(page.get_by_test_id("synthetic")).to_contain_text("synthetic demo data")
    listing.check_accessibility()
    shot(page, "public-strategies")
    public = listing.open_strategy(TITLE)
    public.check_accessibility()
    shot(page, "public-strategy")
    text = public.text()
    assert "synthetic demo data" in text
    for _name, label, _m in STRATEGY_CONTENTS:
        assert f"{label}: what Havering will do." in text
    rows = public.action_rows()
    assert [r.split("\t")[0] for r in rows] == sorted(a.code for a in actions)
    for authority in SpecifiedAuthority.objects.filter(partnership=partnership):
        assert authority.organisation in text
        assert authority.lead_name not in text


def test_editor_revises_compares_versions_and_records_the_annual_review(page, e2e_data):
    havering = Organisation.objects.get(code="E09000016")
    without_demo_records(havering.code)
    partnership = complete_partnership(area=havering, vru=havering.vru, synthetic=True)
    plan = Plan.objects.filter(area=havering, is_current=True).order_by("-template__year").first()
    first, second = plan.actions.order_by("theme__order", "order", "code")[:2]
    editor = User.objects.get(username="havering.editor")
    strategy = strategy_start(partnership=partnership, user=editor, title=TITLE)
    strategy_update(
        strategy=strategy,
        user=editor,
        data={name: f"Version 1 {label}" for name, label, _m in STRATEGY_CONTENTS} | {"public_health": "All six."},
        plan_action_ids=[first.pk],
    )
    # Published a year ago less a month: the annual review is due soon.
    published_on = timezone.localdate() - dt.timedelta(days=335)
    strategy_publish(strategy=strategy, user=editor, published_on=published_on)
    session = Session(page)
    session.as_user("havering.editor")

    strategy_page = StrategyPage(page).open("E09000016")
    expect(page.get_by_test_id("review-banner")).to_contain_text("Annual review due soon")
    strategy_page.check_accessibility()
    shot(page, "strategy-review-due")
    page.get_by_role("button", name="Revise the strategy").click()
    edit = StrategyEditPage(page)
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Version 2 is a new draft")
    edit.fill(**{"Funding streams and resources": "Version 2 funding: a three-year grant."})
    page.get_by_label(f"{first.code} {first.title}", exact=True).uncheck()
    edit.link(f"{second.code} {second.title}")
    strategy_page = edit.save()
    expect(page.locator(".govuk-inset-text").first).to_contain_text("synthetic demo data")
    assert strategy_page.version_text() == "Version 2: Draft"

    versions = VersionsPage(page).open("E09000016").check_accessibility()
    compare = versions.compare()
    expect(page.locator("h1")).to_have_text("What changed from version 1 to version 2")
    assert compare.changed_fields() == ["funding", "published_on", "next_review"]
    expect(compare.linked()).to_have_text(f"{second.code} {second.title}")
    expect(compare.unlinked()).to_have_text(f"{first.code} {first.title}")
    compare.check_accessibility()
    shot(page, "strategy-compare")

    reviews = ReviewsPage(page).open("E09000016").check_accessibility()
    year = str(timezone.localdate().year)
    fields = {
        "Year of the review": year,
        "Date of the review": timezone.localdate().isoformat(),
        "What changed in the problem": "Robbery rose in the town centre.",
        "Progress against outcome measures": "Two of three measures on track.",
        "Decisions": "Revise the strategy: add robbery prevention.",
        "The strategy version the review revised or confirmed": f"Version 2: {TITLE} (draft)",
    }
    reviews.record(**fields)
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(f"The {year} review is recorded")
    assert reviews.years() == [year]
    reviews.check_accessibility()
    shot(page, "reviews")
    # A second review for the same year is refused, with the reason next to the field.
    reviews.record(**fields)
    expect(reviews.error_summary()).to_contain_text(f"The {year} review of Havering's strategy is already recorded")
    reviews.check_accessibility()
    assert AnnualReview.objects.filter(partnership=partnership).count() == 1
