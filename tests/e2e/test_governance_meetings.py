"""A Havering board clerk arranges a meeting of four items, uploads a paper, marks an item exempt, publishes
the agenda, writes minutes with a decision and a dissent, approves and publishes them; axe on every page."""

import os

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.pages import Session
from tests.e2e.pages_governance_meetings import MeetingNewPage
from tests.governance import factories as f
from vrhub.core.words import date_words
from vrhub.governance.models import AgendaItem, Meeting
from vrhub.organisations.models import Organisation

pytestmark = pytest.mark.e2e
SHOTS = os.environ.get("VRHUB_SCREENSHOTS", "/tmp/governance-meetings-shots")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def shot(page, name: str) -> None:
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def test_a_clerk_runs_a_meeting_from_agenda_to_published_minutes(page, e2e_data, tmp_path):
    havering = Organisation.objects.get(code="E09000016")
    board = f.GroupFactory(
        owner=havering, vru=havering.owning_vru, slug="havering-board", name="Havering Community Safety Partnership"
    )
    f.MemberFactory(group=board, name="Alex Inspector", title="Borough Commander")
    paper = tmp_path / "strategy-refresh.pdf"
    paper.write_bytes(PDF)
    today = timezone.localdate()

    Session(page).as_user("havering.editor")
    arrange = MeetingNewPage(page).open("havering-board")
    arrange.check_accessibility()
    shot(page, "1-arrange")
    meeting_page = arrange.arrange(date=today.isoformat(), place="Havering Town Hall", items=4, standard=True)
    expect(page.locator(".govuk-notification-banner")).to_contain_text(f"Meeting arranged for {date_words(today)}")
    meeting = Meeting.objects.get(group=board)
    assert list(meeting.items.order_by("number").values_list("title", flat=True))[:2] == [
        "Apologies for absence and Chair's announcements",
        "Declarations of interest",
    ]
    meeting_page.check_accessibility()

    # A paper on item 4, without equality considerations: publication is refused with the reason.
    form = meeting_page.change_item(4)
    form.check_accessibility()
    form.fill(paper_title="Strategy refresh", presenter="Community Safety Manager", paper=str(paper))
    meeting_page = form.save()
    expect(page.get_by_test_id("agenda-problems")).to_contain_text("Item 4 (Actions arising) has a paper")
    meeting_page.publish_agenda()
    expect(page.locator(".govuk-notification-banner").first).to_contain_text("The agenda was not published")

    form = meeting_page.change_item(4)
    form.fill(equality="Considered against each protected characteristic; see section 5.")
    meeting_page = form.save()
    # Item 3 is exempt.
    form = meeting_page.change_item(3)
    form.fill(exempt=True, exemption="Section 40 (personal information)")
    form.check_accessibility()
    shot(page, "2a-item-form")
    meeting_page = form.save()
    assert "Exempt" in meeting_page.exempt_text(3) and "Section 40 (personal information)" in meeting_page.exempt_text(
        3
    )
    meeting_page.publish_agenda()
    expect(page.get_by_test_id("publication")).to_contain_text(
        f"Agenda published {date_words(today)}, on the day of the meeting: the group's rules ask for 5 days before it."
    )
    meeting_page.check_accessibility()
    download = page.get_by_role("link", name="Strategy refresh")
    assert download.count() == 1
    shot(page, "2-agenda-published")

    # Minutes with a decision and a dissent.
    minutes = meeting_page.write_minutes(4)
    minutes.check_accessibility()
    meeting_page = minutes.save_minutes(minutes="The board discussed the refresh.", decision="Refresh agreed.")
    expect(page.get_by_test_id("item-4-decision")).to_contain_text("Refresh agreed.")
    minutes = meeting_page.write_minutes(4)
    minutes.record_dissent(member="Alex Inspector (Borough Commander)", text="Wanted police data included first.")
    expect(page.get_by_test_id("dissents")).to_contain_text("Alex Inspector: Wanted police data included first.")
    minutes.check_accessibility()
    shot(page, "3-minutes")
    meeting_page = minutes.back_to_meeting()
    expect(page.get_by_test_id("item-4-dissent")).to_contain_text("Wanted police data included first.")

    approval = meeting_page.open_approval()
    approval.check_accessibility()
    shot(page, "3a-approve")
    meeting_page = approval.approve(today.isoformat())
    expect(page.get_by_test_id("publication")).to_contain_text(f"Minutes approved {date_words(today)}, not published")
    meeting_page.publish_minutes()
    expect(page.get_by_test_id("publication")).to_contain_text(
        f"Minutes approved {date_words(today)}, published {date_words(today)}."
    )
    meeting_page.check_accessibility()
    shot(page, "4-minutes-published")
    meeting.refresh_from_db()
    assert (meeting.agenda_published_on, meeting.minutes_approved_on, meeting.minutes_published_on) == (
        today,
        today,
        today,
    )
    item = AgendaItem.objects.get(meeting=meeting, number=4)
    with item.paper.open("rb") as stored:
        assert stored.read() == PDF
