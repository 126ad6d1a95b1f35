"""Actions arising in the browser: the PRG's clerk records an update completing an overdue action, sees the
report for the next meeting carry the completion and the still-open action, and downloads the PDF and the
DOCX. Axe on each page; screenshots for looking at."""

import datetime as dt
import io
import os
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.pages import Session
from tests.e2e.pages_governance_actions import ActionFormPage, ActionsPage
from tests.governance import factories as f
from tests.reports.conftest import pdf_text
from vrhub.governance.catalogue import ActionStatus
from vrhub.governance.models import Action
from vrhub.organisations.models import Organisation

pytestmark = pytest.mark.e2e
SCREENSHOTS = Path(os.environ.get("VRHUB_SCREENSHOTS", "/tmp/vrhub-screenshots"))
SLUG = "e2e-prg"  # not the demo's "prg", so that the demo's own records never mix in
LETTER = "The Mayor to send a letter of thanks to the Scottish VRU for its continued involvement and support."
PAPER = "To discuss the possibility of a future paper on systematic challenges outside the meeting."


@pytest.fixture
def prg_world(e2e_data):
    london = Organisation.objects.get(code="VRU-LDN")
    group = f.GroupFactory(owner=london, vru=london, slug=SLUG, name="Partnership Reference Group", synthetic=True)
    march = f.MeetingFactory(group=group, date=dt.date(2019, 3, 6))
    for number, title in ((1, "Apologies for Absence and Chair's Announcements"), (3, "Actions Arising")):
        f.AgendaItemFactory(meeting=march, number=number, title=title)
    nxt = f.meeting_with_items(group=group, date=timezone.localdate() + dt.timedelta(days=14), items=3)
    f.ActionFactory(meeting=march, item=march.items.get(number=1), text=LETTER, deadline=dt.date(2019, 3, 31))
    f.ActionFactory(
        meeting=march,
        item=march.items.get(number=3),
        text=PAPER,
        owner="Director of the VRU",
        deadline=None,
        latest_update="Verbal update to be provided.",
    )
    return {"group": group, "next": nxt}


def test_clerk_completes_an_action_and_downloads_the_report(page, prg_world, tmp_path):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    Session(page).as_user("vru.admin")

    actions = ActionsPage(page).open(SLUG)
    expect(page.locator("h1")).to_have_text("Actions arising")
    letter_row = actions.row_for("open-row", "letter of thanks")
    expect(letter_row).to_contain_text("31 March 2019")
    expect(letter_row.get_by_test_id("overdue")).to_have_text("Overdue")
    expect(actions.open_rows()).to_have_count(2)
    actions.check_accessibility()
    page.screenshot(path=str(SCREENSHOTS / "governance-actions-before.png"), full_page=True)

    action = actions.open_action(LETTER)
    expect(page.get_by_test_id("action-status")).to_have_text("Ongoing")
    action.check_accessibility()
    form = action.record_update()
    form.check_accessibility()
    page.screenshot(path=str(SCREENSHOTS / "governance-actions-update-form.png"), full_page=True)
    action = form.fill(update="The letter has been sent.", status="Complete").save()
    expect(page.get_by_test_id("action-status")).to_contain_text(
        f"Complete, completed {timezone.localdate().day} {timezone.localdate():%B %Y}"
    )
    assert Action.objects.get(text=LETTER, meeting__group__slug=SLUG).status == ActionStatus.COMPLETE

    # The report for the next meeting: the completion reported, the other action carried forward.
    actions = ActionsPage(page).open(SLUG)
    nxt = prg_world["next"].date
    assert f"The report for the meeting of {nxt.day} {nxt:%B %Y}, the group's next meeting" in actions.report_about()
    expect(actions.report_rows()).to_have_count(2)
    expect(actions.row_for("report-row", "letter of thanks").get_by_test_id("status")).to_have_text(
        "Complete: The letter has been sent."
    )
    expect(actions.row_for("report-row", "future paper").get_by_test_id("status")).to_have_text(
        "Ongoing: Verbal update to be provided."
    )
    expect(actions.open_rows()).to_have_count(1)
    actions.check_accessibility()
    page.screenshot(path=str(SCREENSHOTS / "governance-actions-after.png"), full_page=True)

    pdf = actions.download("pdf", tmp_path)
    assert pdf.name == f"{SLUG}-actions-arising-{nxt.isoformat()}.pdf"
    text = pdf_text(pdf.read_bytes(), tmp_path)
    assert "Actions Arising from the Meeting of 6 March 2019" in text
    assert "Complete: The letter has been sent." in text and "Synthetic demo data" in text

    docx = actions.download("docx", tmp_path)
    from docx import Document

    table = Document(io.BytesIO(docx.read_bytes())).tables[0]
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert rows == [
        ["Agenda Item", "Action", "Deadline", "Status", "Owner"],
        [
            "1. Apologies for Absence and Chair's Announcements",
            LETTER,
            "31 March 2019",
            "Complete: The letter has been sent.",
            "Clerk",
        ],
        ["3. Actions Arising", PAPER, "Ongoing", "Ongoing: Verbal update to be provided.", "Director of the VRU"],
    ]


def test_adding_an_action_with_a_deadline_before_the_meeting_is_refused_in_words(page, prg_world):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    Session(page).as_user("vru.admin")
    form = ActionFormPage(page).open_new(SLUG)
    expect(page.locator("h1")).to_have_text("Add an action arising from the meeting of 6 March 2019")
    form.check_accessibility()
    form.fill(text="To write to the boroughs.", owner="Clerk", deadline="2019-03-01").add()
    expect(form.errors()).to_contain_text(
        "Deadline must be on or after the meeting the action arose from (6 March 2019), not 1 March 2019"
    )
    form.check_accessibility()
    page.screenshot(path=str(SCREENSHOTS / "governance-actions-add-error.png"), full_page=True)
    assert not Action.objects.filter(text="To write to the boroughs.", meeting__group__slug=SLUG).exists()
    form.fill(text="To write to the boroughs.", owner="Clerk", deadline="2019-04-30").add()
    expect(page.get_by_text("1 action added to the meeting of 6 March 2019.")).to_be_visible()
    assert Action.objects.get(text="To write to the boroughs.", meeting__group__slug=SLUG).deadline == dt.date(
        2019, 4, 30
    )
