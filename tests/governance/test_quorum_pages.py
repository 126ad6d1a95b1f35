"""The quorum page: the rule in words, the opening and every item, each figure checked against a count made
here from the raw attendance file (tests/governance/data/prg_attendance.csv) and the ToR's rule."""

import lxml.html
import pytest
from django.urls import reverse

from tests.governance.attendance_world import ATTENDANCE_CSV, ITEMS, expected_from_file, prg_meeting
from vrhub.governance.selectors.attendance import quorum_report
from vrhub.governance.services.attendance import attendance_save
from vrhub.governance.services.attendance_import import attendance_import_preview

pytestmark = pytest.mark.django_db

LABELS = {
    "chair_or_deputy": "the Chair or Deputy Chair",
    "police": "a police representative",
    "london_councils": "a London Councils representative",
    "health": "a health representative",
    "community": "a community representative",
}


@pytest.fixture
def imported(prg, vru_clerk):
    meeting = prg_meeting(prg)
    preview = attendance_import_preview(meeting=meeting, filename="a.csv", content=ATTENDANCE_CSV.read_bytes())
    attendance_save(meeting=meeting, user=vru_clerk, rows=preview.entries, version=preview.version)
    return meeting


def _page(client, meeting, user):
    client.force_login(user)
    response = client.get(reverse("governance:quorum", args=[meeting.group.slug, meeting.pk]))
    assert response.status_code == 200
    return lxml.html.fromstring(response.content.decode())


def _q(node, testid: str) -> list:
    return node.xpath(f'.//*[@data-testid="{testid}"]')


def _text(node) -> str:
    return " ".join(node.text_content().split())


def test_each_items_row_matches_an_independent_count_from_the_file(client, imported, vru_clerk):
    expected = expected_from_file()
    doc = _page(client, imported, vru_clerk)
    rows = doc.xpath('//*[@data-testid="quorum-table"]/tbody/tr')
    assert len(rows) == ITEMS
    for number, row in enumerate(rows, start=1):
        counted, needed, quorate, missing = expected[number]
        assert int(_text(_q(row, "counted")[0])) == counted, number
        assert int(_text(_q(row, "needed")[0])) == needed, number
        assert _text(_q(row, "verdict")[0]).endswith("Not quorate" if not quorate else "Quorate")
        shown = _text(_q(row, "missing")[0])
        assert shown == ("; ".join(LABELS[m] for m in missing) if missing else "None"), number
    # The seed's story: the remote community member left after item 2, so items 3 on are inquorate.
    assert [n for n in range(1, ITEMS + 1) if not expected[n][2]] == [3, 4, 5, 6]
    reasons = _text(_q(rows[2], "reasons")[0])
    assert "A community representative must be present, and none is counted." in reasons
    assert "Community Person (remote) left after item 2 and is not counted for item 3." in reasons
    assert "Items 3, 4, 5, 6 were not quorate" in _text(doc)


def test_the_opening_and_the_rule_in_words(client, imported, vru_clerk):
    counted, needed, quorate, _missing = expected_from_file()[None]
    doc = _page(client, imported, vru_clerk)
    opening = _text(_q(doc, "opening")[0])
    assert f"{counted} members counted of 9 members in office; {needed} needed." in opening
    assert quorate and "Quorate" in opening and "Not quorate" not in opening
    assert _text(_q(doc, "rule")[0]) == (
        "A quorum is half of 9 members, rounded up to the next whole number, and those counted must include the "
        "Chair or Deputy Chair, a police representative, a London Councils representative, a health representative "
        "and a community representative."
    )


def test_the_report_agrees_with_the_independent_count(imported):
    expected = expected_from_file()
    report = quorum_report(meeting=imported)
    assert (report.opening.result.present, report.opening.result.needed) == expected[None][:2]
    for check in report.items:
        assert (check.result.present, check.result.needed, check.result.quorate) == expected[check.number][:3]
    assert report.recorded == 9 and report.attending == 7


def test_no_attendance_is_said_not_shown_as_zero(client, prg, vru_clerk):
    meeting = prg_meeting(prg)
    doc = _page(client, meeting, vru_clerk)
    assert "No attendance has been recorded for this meeting yet" in _text(doc)
    assert not _q(doc, "quorum-table")
    assert "0 members counted" not in _text(doc)


def test_a_looker_sees_the_quorum_without_links_to_change_it(client, imported, mopac_officer):
    doc = _page(client, imported, mopac_officer)
    assert _q(doc, "quorum-table")
    assert "Import the attendance" not in _text(doc)
