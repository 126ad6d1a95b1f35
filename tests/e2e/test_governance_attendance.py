"""A meeting's attendance in the browser: the PRG's clerk imports the attendance list of a meeting where the
remote community member dropped out after item 2; a file with an unknown name is refused first, naming its
line; the quorum page then shows items 3 on inquorate with the reason. Axe on each page."""

import datetime as dt
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.pages import Session
from tests.e2e.pages_governance_attendance import AttendancePage, QuorumPage
from tests.governance import factories as f
from vrhub.governance.catalogue import Office, QuorumRole, Sector
from vrhub.governance.models import AttendanceRecord
from vrhub.organisations.models import Organisation

pytestmark = pytest.mark.e2e
SCREENSHOTS = Path(os.environ.get("VRHUB_SCREENSHOTS", "/tmp/vrhub-screenshots"))
MEMBERS = [
    ("Chair of the Group", Office.CHAIR, Sector.LOCAL_GOVERNMENT, QuorumRole.CHAIR, "present", ""),
    ("Assistant Commissioner", Office.MEMBER, Sector.POLICE, QuorumRole.POLICE, "present", ""),
    ("London Councils Lead", Office.MEMBER, Sector.LONDON_COUNCILS, QuorumRole.LONDON_COUNCILS, "present", ""),
    ("Health Lead", Office.MEMBER, Sector.HEALTH, QuorumRole.HEALTH, "present", ""),
    ("Community Representative", Office.MEMBER, Sector.COMMUNITY, QuorumRole.COMMUNITY, "remote", "2"),
    ("Youth Adviser", Office.ADVISER, Sector.YOUTH, "", "apologies", ""),
]


@pytest.fixture
def prg_meeting(e2e_data):
    london = Organisation.objects.get(code="VRU-LDN")
    group = f.GroupFactory(
        owner=london,
        vru=london,
        slug="e2e-prg",
        name="E2E Partnership Reference Group",
        required_roles=list(f.PRG_ROLES),
    )
    for name, office, sector, role, _attendance, _left in MEMBERS:
        f.MemberFactory(group=group, name=name, office=office, sector=sector, quorum_role=role)
    return f.meeting_with_items(group=group, date=dt.date(2019, 3, 6), items=5)


def test_the_clerk_imports_attendance_and_sees_items_after_the_dropout_inquorate(page, prg_meeting, tmp_path):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    Session(page).as_user("vru.admin")
    sheet = AttendancePage(page).open("e2e-prg", prg_meeting.pk)
    sheet.check_accessibility()
    page.screenshot(path=str(SCREENSHOTS / "governance-attendance-sheet.png"), full_page=True)

    # A first file with a name that is not a member: refused, naming the line, nothing saved.
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("name,attendance,left_after_item\nChair of the Group,present,\nA Stranger,present,\n")
    importing = sheet.import_from_spreadsheet()
    importing.check_accessibility()
    importing.upload(wrong)
    expect(importing.problems()).to_have_count(1)
    expect(importing.problems().first).to_contain_text("Line 3, column 1 (name): A Stranger is not a member")
    importing.check_accessibility()
    page.screenshot(path=str(SCREENSHOTS / "governance-attendance-import-refused.png"), full_page=True)
    assert AttendanceRecord.objects.filter(meeting=prg_meeting).count() == 0

    # The right file: previewed, then saved.
    good = tmp_path / "attendance.csv"
    good.write_text(
        "name,attendance,left_after_item\n" + "".join(f"{m[0]},{m[4]},{m[5]}\n" for m in MEMBERS), encoding="utf-8"
    )
    importing.upload(good)
    expect(importing.preview_rows()).to_have_count(6)
    assert importing.summary() == "Saving records the attendance of all 6 members in office."
    importing.check_accessibility()
    page.screenshot(path=str(SCREENSHOTS / "governance-attendance-import-preview.png"), full_page=True)
    quorum = importing.save()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Attendance of 6 members saved.")
    assert AttendanceRecord.objects.filter(meeting=prg_meeting).count() == 6

    # Six members, five counted at the opening (3 needed); the community member left after item 2.
    assert "5 members counted of 6 members in office; 3 needed." in quorum.opening()
    for number in (1, 2):
        assert quorum.verdict(number).endswith("Quorate") and "Not" not in quorum.verdict(number)
    for number in (3, 4, 5):
        assert quorum.verdict(number).endswith("Not quorate")
        assert "A community representative must be present, and none is counted." in quorum.reasons(number)
        assert (
            f"Community Representative (remote) left after item 2 and is not counted for item {number}."
            in quorum.reasons(number)
        )
    quorum.check_accessibility()
    page.screenshot(path=str(SCREENSHOTS / "governance-quorum.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 900})  # a phone: the tables scroll, the page does not
    quorum.check_accessibility()
    page.screenshot(path=str(SCREENSHOTS / "governance-quorum-narrow.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})

    # The sheet now shows what was imported, ready to correct by hand.
    sheet = AttendancePage(page).open("e2e-prg", prg_meeting.pk)
    expect(sheet.attendance_of("Community Representative")).to_have_value("remote")
    expect(sheet.left_after("Community Representative")).to_have_value("2")
    page.screenshot(path=str(SCREENSHOTS / "governance-attendance-sheet-filled.png"), full_page=True)

    # MOPAC sees the quorum, cannot import.
    Session(page).as_user("mopac.officer")
    QuorumPage(page).open("e2e-prg", prg_meeting.pk).check_accessibility()
    expect(page.get_by_role("link", name="Import the attendance from a spreadsheet")).to_have_count(0)
