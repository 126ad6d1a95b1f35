"""Data sharing in the browser: MOPAC asks Havering for information under s.17 and the borough answers;
an editor adds an information-sharing agreement whose review is overdue and sees the warning. Axe on each page."""

import datetime as dt
import os
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.duty import factories as f
from tests.e2e.pages import DEMO_PASSWORD, Session
from tests.e2e.pages_duty_sharing import RequestsPage, SharingPage
from vrhub.accounts.models import User
from vrhub.duty.catalogue import AuthorityKind
from vrhub.duty.models import InformationRequest, SharingAgreement
from vrhub.organisations.models import Organisation

pytestmark = pytest.mark.e2e
SCREENSHOTS = Path(os.environ.get("VRHUB_SCREENSHOTS", "/tmp/vrhub-screenshots"))
HAVERING = "E09000016"


def words(d: dt.date) -> str:
    return f"{d.day} {d:%B %Y}"


@pytest.fixture
def sharing_world(e2e_data):
    london = Organisation.objects.get(code="VRU-LDN")
    f.without_demo_records(HAVERING)
    partnership = f.PartnershipFactory(area=Organisation.objects.get(code=HAVERING), vru=london)
    f.SpecifiedAuthorityFactory(
        partnership=partnership, kind=AuthorityKind.LOCAL_AUTHORITY, organisation="Havering Council"
    )
    # The demo's local policing body officer (vrhub/demo) signs in with the demo password.
    officer = User.objects.get(username="mopac.officer")
    assert officer.role == User.Role.POLICING_BODY and officer.check_password(DEMO_PASSWORD)
    return partnership


def test_mopac_asks_the_borough_answers_and_an_overdue_review_is_flagged(page, sharing_world):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    today = timezone.localdate()
    asked_on = today - dt.timedelta(days=2)
    session = Session(page)

    # MOPAC makes a request of Havering's local authority, leaving the due date to its default.
    session.as_user("mopac.officer")
    sharing = SharingPage(page).open(HAVERING)
    sharing.check_accessibility()
    form = sharing.make_request()
    form.check_accessibility()
    request_page = form.fill(
        requested_on=asked_on.isoformat(),
        authority="Havering Council (Local authority)",
        asked="Counts of knife-injury attendances by ward, last 12 months",
    ).send()
    due = asked_on + dt.timedelta(days=28)
    expect(page.locator(".govuk-notification-banner")).to_contain_text(f"due by {words(due)}")
    assert request_page.status() == f"Awaiting a response, due by {words(due)}"
    expect(request_page.answer_button()).to_have_count(0)  # MOPAC cannot answer its own request
    request_page.check_accessibility()
    page.screenshot(path=str(SCREENSHOTS / "duty-sharing-request-mopac.png"), full_page=True)
    made = InformationRequest.objects.get(partnership=sharing_world)
    assert (made.state, made.due_on, made.addressed_to) == ("open", due, "Havering Council (Local authority)")

    requests = RequestsPage(page).open()
    assert requests.counts().startswith("1 request across the areas you monitor: 1 awaiting a response (0 overdue)")
    expect(requests.rows()).to_have_count(1)
    expect(requests.rows().first).to_contain_text("Havering")
    requests.check_accessibility()
    page.screenshot(path=str(SCREENSHOTS / "duty-sharing-requests.png"), full_page=True)

    # The borough's editor answers it.
    session.as_user("havering.editor")
    sharing = SharingPage(page).open(HAVERING)
    request_page = sharing.open_request(words(asked_on))
    request_page.check_accessibility()
    page.screenshot(path=str(SCREENSHOTS / "duty-sharing-request-open.png"), full_page=True)
    request_page.answer(responded_on=today.isoformat(), answer="Sent the ward counts to MOPAC's analyst.")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Answer recorded")
    assert request_page.status() == f"Answered on {words(today)}"
    assert request_page.state() == "Answered"
    expect(request_page.answer_button()).to_have_count(0)
    request_page.check_accessibility()
    made.refresh_from_db()
    assert (made.state, made.responded_on) == ("answered", today)

    # The editor adds an agreement; a first try with nothing filled in names the missing fields.
    sharing = SharingPage(page).open(HAVERING)
    form = sharing.add_agreement()
    form.add()
    expect(form.error_summary()).to_contain_text("Enter the title")
    expect(form.error_summary()).to_contain_text("Enter the review date")
    form.check_accessibility()
    page.screenshot(path=str(SCREENSHOTS / "duty-sharing-agreement-errors.png"), full_page=True)
    overdue_on = today - dt.timedelta(days=10)
    form.fill(
        **{
            "Title": "Knife-injury data from A&E",
            "Parties": "Barking, Havering and Redbridge University Hospitals NHS Trust\nHavering Council",
            "Purpose": "Target youth work at the wards with most injuries.",
            "Datasets": "Monthly A&E knife-injury attendances by ward",
            "Review date": overdue_on.isoformat(),
        }
    ).choose_basis("UK GDPR Article 6(1)(e): public task").add()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("added to the register")
    expect(page.get_by_test_id("agreement-warning")).to_contain_text(
        f"Review overdue: it was due on {words(overdue_on)} (10 days ago)"
    )
    SharingPage(page).check_accessibility()
    assert SharingAgreement.objects.get(partnership=sharing_world).review_on == overdue_on

    sharing = SharingPage(page).open(HAVERING)
    expect(sharing.warning()).to_contain_text("1 agreement overdue for review")
    expect(sharing.agreement_reviews().first).to_contain_text("Overdue")
    expect(sharing.request_states().first).to_contain_text(f"Answered on {words(today)}")
    sharing.check_accessibility()
    page.screenshot(path=str(SCREENSHOTS / "duty-sharing-registers.png"), full_page=True)
