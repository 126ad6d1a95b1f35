"""The membership in the browser: a VRU clerk imports the Partnership Reference Group's membership from an
XLSX workbook, sees the preview and the community share, confirms, and enters a declared interest; a bad
file is refused with its sheet/row/column. Axe on every page; screenshots in VRHUB_SCREENSHOTS."""

import datetime as dt
import os
from fractions import Fraction
from pathlib import Path

import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.pages import BasePage, Session
from tests.e2e.pages_governance_members import MembersPage, TermsPage
from tests.governance import factories as f
from vrhub.governance.models import Group
from vrhub.organisations.models import Organisation

pytestmark = pytest.mark.e2e
SCREENSHOTS = Path(os.environ.get("VRHUB_SCREENSHOTS", "/tmp/vrhub-screenshots"))

# The PRG by office (seed 003: offices, not personal names), as a clerk's workbook would list it.
HEADER = ["name", "office", "sector", "quorum_role", "organisation", "term_start", "term_end"]
PRG = [
    [
        "Deputy Mayor for Policing and Crime",
        "Chair",
        "local_government",
        "chair",
        "MOPAC",
        dt.datetime(2018, 9, 1),
        None,
    ],
    [
        "Director of Public Health",
        "Deputy Chair",
        "health",
        "deputy_chair",
        "Greater London Authority",
        dt.datetime(2018, 9, 1),
        None,
    ],
    [
        "Assistant Commissioner",
        "member",
        "police",
        "police",
        "Metropolitan Police Service",
        dt.datetime(2018, 9, 1),
        None,
    ],
    [
        "Executive Director, London Councils",
        "member",
        "london_councils",
        "london_councils",
        "London Councils",
        dt.datetime(2018, 9, 1),
        None,
    ],
    ["NHS England (London) representative", "member", "health", "health", "NHS England", dt.datetime(2018, 9, 1), None],
    [
        "Community representative (youth)",
        "member",
        "Voluntary and community sector",
        "community",
        "Youth charity",
        dt.datetime(2018, 9, 1),
        None,
    ],
    ["Community representative (faith)", "member", "community", "", "Faith network", dt.datetime(2018, 9, 1), None],
    [
        "London Probation representative",
        "member",
        "probation",
        "",
        "National Probation Service",
        dt.datetime(2018, 9, 1),
        None,
    ],
    ["Schools representative", "member", "education", "", "London schools", dt.datetime(2018, 9, 1), None],
    ["Head of the VRU", "adviser", "local_government", "", "Violence Reduction Unit", dt.datetime(2018, 9, 1), None],
]


def _workbook(path: Path, rows) -> str:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Members"
    for row in rows:
        sheet.append(row)
    book.save(path)
    return str(path)


@pytest.fixture
def prg_world(e2e_data):
    london = Organisation.objects.get(code="VRU-LDN")
    group = Group.objects.filter(slug="prg").first() or f.GroupFactory(
        owner=london, vru=london, slug="prg", name="Partnership Reference Group", required_roles=list(f.PRG_ROLES)
    )
    group.community_target_percent = 30
    group.save()
    return group


def test_clerk_imports_the_prg_membership_from_xlsx(page, prg_world, tmp_path):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    Session(page).as_user("vru.admin")

    terms = TermsPage(page).open("prg")
    terms.check_accessibility()
    assert "half the members, rounded up to the next whole number" in terms.rule()
    page.screenshot(path=str(SCREENSHOTS / "governance-members-terms.png"), full_page=True)

    page.goto("/governance/new/group/")
    expect(page.get_by_role("heading", name="Set up a group")).to_be_visible()
    BasePage(page).check_accessibility()

    members = MembersPage(page).open("prg")
    members.check_accessibility()
    page.get_by_role("link", name="Add a member").click()
    expect(page.get_by_role("heading", name="Add a member")).to_be_visible()
    BasePage(page).check_accessibility()
    members = MembersPage(page).open("prg")
    importing = members.import_membership()
    importing.check_accessibility()

    # A bad workbook first: refused, with the sheet, row and column of the problem; nothing saved.
    bad = _workbook(tmp_path / "bad.xlsx", [HEADER, PRG[0], ["Someone", "member", "spaceship", "", "", None, None]])
    importing.upload(bad)
    assert any(p.startswith("Sheet Members, row 3, column C (sector)") for p in importing.problems())
    importing.check_accessibility()
    page.screenshot(path=str(SCREENSHOTS / "governance-members-import-errors.png"), full_page=True)

    importing.upload(_workbook(tmp_path / "prg.xlsx", [HEADER, *PRG]))
    importing.check_accessibility()
    existing = {m.name for m in prg_world.members.all()}
    assert sorted(importing.added_names()) == sorted(row[0] for row in PRG if row[0] not in existing)
    # The share after the import, counted independently from the workbook's rows.
    community = sum(1 for row in PRG if row[2].lower() in ("community", "voluntary and community sector"))
    needed = next(n for n in range(100) if Fraction(community + n, len(PRG) + n) >= Fraction(30, 100))
    after = importing.share_after()
    assert f"{community} of {len(PRG)} members" in after
    assert (f"Target 30 %: {needed} more community member" in after) if needed else ("Target 30 %: met" in after)
    page.screenshot(path=str(SCREENSHOTS / "governance-members-import-preview.png"), full_page=True)

    members = importing.save()
    expect(page.get_by_text("Membership imported")).to_be_visible()
    members.check_accessibility()
    assert sorted(members.names_in_office()) == sorted(row[0] for row in PRG)
    assert f"{community} of {len(PRG)} members" in members.share_words()
    page.screenshot(path=str(SCREENSHOTS / "governance-members-after-import.png"), full_page=True)

    member = members.open_member("Schools representative")
    member.check_accessibility()
    declared = timezone.localdate() - dt.timedelta(days=3)
    member.add_interest("Governor of a London academy trust", declared.isoformat())
    assert member.interests() == ["Governor of a London academy trust"]
    member.check_accessibility()
    page.screenshot(path=str(SCREENSHOTS / "governance-members-member.png"), full_page=True)


def test_mopac_sees_the_terms_and_members_read_only(page, prg_world):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    Session(page).as_user("mopac.officer")
    terms = TermsPage(page).open("prg")
    terms.check_accessibility()
    assert "half the members, rounded up to the next whole number" in terms.rule()
    assert page.get_by_role("button", name="Save the terms of reference").count() == 0
    expect(page.get_by_text("You can look at these terms of reference but not change them.")).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "governance-members-terms-read-only.png"), full_page=True)
    members = MembersPage(page).open("prg")
    members.check_accessibility()
    assert page.get_by_role("link", name="Add a member").count() == 0
