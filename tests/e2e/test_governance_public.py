"""The public reads the PRG's published agenda of 1 May 2019, downloads its paper and reads the actions
arising report, which reproduces the seed's table; no sign-in, no member's name, every page axe-clean."""

import os

import pytest
from playwright.sync_api import expect

from tests.e2e.pages_governance_public import PublicIndexPage
from vrhub.governance.models import Action, Group

pytestmark = pytest.mark.e2e
SHOTS = os.environ.get("E2E_SHOTS", "/tmp/e2e-governance-public")


def shot(page, name: str) -> None:
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def test_public_reads_the_prg_agenda_and_actions_arising(page, e2e_data):
    prg = Group.objects.get(slug="prg")
    index = PublicIndexPage(page).open().check_accessibility()
    groups = index.open_groups("London Violence Reduction Unit").check_accessibility()
    assert prg.name in groups.group_names()
    shot(page, "1-groups")

    group = groups.open_group(prg.name).check_accessibility()
    rows = group.member_rows()
    assert len(rows) == prg.members.count()
    assert ["Mayor of London", "Chair", "Greater London Authority", "Local government"] in rows
    assert "Half the members, rounded up to the next whole number" in group.quorum()
    # the members are listed by post: no one's name is on the page (a name that is itself a post, such as the
    # demo's "Mayor of London", is the post and is left out)
    posts = {p for m in prg.members.all() for p in (m.title, m.organisation)}
    names = [n for n in prg.members.values_list("name", flat=True) if n not in posts]
    assert names
    for name in names:
        expect(page.locator("body")).not_to_contain_text(name)
    shot(page, "2-prg")

    meeting = group.open_agenda("1 May 2019").check_accessibility()
    may = prg.meetings.get(date="2019-05-01")
    assert meeting.item_headings() == [f"Item {i.number}. {i.title}" for i in may.items.order_by("number")]
    assert meeting.minutes_state() == "Not published yet"
    paper = may.items.get(number=4)
    download = meeting.download_paper(4)
    assert download.suggested_filename == paper.paper_original_name
    with open(download.path(), "rb") as fh:
        assert fh.read() == paper.paper.open("rb").read()
    shot(page, "3-agenda-1-may-2019")

    report = meeting.open_actions_arising().check_accessibility()
    expect(page.locator("h1")).to_have_text("Actions Arising from Previous Meetings")
    march = [
        [f"{a.item.number}. {a.item.title}", a.text, a.owner]
        for a in Action.objects.filter(meeting__group=prg, meeting__date="2019-03-06").order_by("item__number")
    ]
    assert [[r[0], r[1], r[4]] for r in report.section("6 March 2019")] == march
    assert report.section("22 January 2019")[0][2] == "Ongoing"  # no deadline
    assert "Overdue" in report.section("6 March 2019")[1][2]  # the open action due 31 March 2019
    # owners by office, never by name (the demo's members have no e-mail addresses: tests/governance/test_public
    # checks that addresses are never shown)
    for name in names:
        expect(page.locator("body")).not_to_contain_text(name)
    shot(page, "4-actions-arising-1-may-2019")
