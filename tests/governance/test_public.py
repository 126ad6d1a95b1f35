"""The public pages of partnership governance: what is published is there, nothing else is reachable, and no
member's name or e-mail address ever appears."""

import datetime as dt
import re

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from tests.factories import VruFactory
from tests.governance import factories as f
from vrhub.governance.catalogue import ActionStatus, DecisionMode, Office, Sector
from vrhub.governance.models import Action

pytestmark = pytest.mark.django_db

SECRET_NAMES = ["Zara Secretname", "Quentin Hiddenperson"]
SECRET_EMAILS = ["zara.secret@example.org", "quentin.hidden@example.org"]


def url(name, *args):
    return reverse(f"transparency:{name}", args=["VRU-LDN", *args])


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def board(havering_board, today):
    """Havering's board: two named members with e-mails; a published meeting with minutes approved and
    published, an exempt item and a paper; a meeting whose agenda is not published; one published later."""
    g = havering_board
    g.decision_mode = DecisionMode.VOTE
    g.save()
    chair = f.MemberFactory(
        group=g,
        name=SECRET_NAMES[0],
        email=SECRET_EMAILS[0],
        title="Cabinet Member for Community Safety",
        organisation="London Borough of Havering",
        office=Office.CHAIR,
        sector=Sector.LOCAL_GOVERNMENT,
    )
    vcs = f.MemberFactory(
        group=g,
        name=SECRET_NAMES[1],
        email=SECRET_EMAILS[1],
        title="Chief Executive",
        organisation="Havering CVS",
        sector=Sector.COMMUNITY,
    )
    past = f.MeetingFactory(
        group=g,
        date=today - dt.timedelta(days=30),
        agenda_published_on=today - dt.timedelta(days=40),
        minutes_approved_on=today - dt.timedelta(days=5),
        minutes_published_on=today - dt.timedelta(days=4),
    )
    open_item = f.AgendaItemFactory(
        meeting=past,
        number=1,
        title="Knife crime: the last quarter",
        minutes="Partners discussed the figures by ward.",
        decision="Agreed the plan.",
        votes_for=5,
        votes_against=2,
        paper_title="Quarterly figures",
        paper_original_name="figures.txt",
        paper_content_type="text/plain",
    )
    open_item.paper.save("figures.txt", ContentFile(b"ward,count\nA,3\n"), save=True)
    secret = f.AgendaItemFactory(
        meeting=past,
        number=2,
        title="Case review of a named young person",
        presenter="Head of Youth Justice",
        exempt=True,
        exemption="Section 40 (personal information)",
        minutes="The review found the named young person had been missed.",
        paper_original_name="case.txt",
        paper_content_type="text/plain",
    )
    secret.paper.save("case.txt", ContentFile(b"confidential case file"), save=True)
    f.AgendaItemFactory(meeting=past, number=3, title="Any other business")
    from vrhub.governance.models import Dissent

    Dissent.objects.create(item=open_item, member=vcs, text="The voluntary sector was not consulted.")
    hidden = f.MeetingFactory(group=g, date=today + dt.timedelta(days=10), agenda_published_on=None)
    f.AgendaItemFactory(meeting=hidden, number=1, title="Unpublished draft agenda item")
    later = f.MeetingFactory(
        group=g, date=today + dt.timedelta(days=40), agenda_published_on=today + dt.timedelta(days=30)
    )
    f.AgendaItemFactory(meeting=later, number=1, title="Agenda to be published next month")
    return {"group": g, "past": past, "hidden": hidden, "later": later, "chair": chair, "vcs": vcs}


def day(meeting):
    return meeting.date.isoformat()


def text_of(response) -> str:
    return response.content.decode()


def assert_no_personal_data(body: str) -> None:
    for secret in [*SECRET_NAMES, *SECRET_EMAILS]:
        assert secret not in body


def test_groups_page_lists_the_vrus_groups_only(client, board, prg):
    other_vru = VruFactory(code="VRU-X")
    f.GroupFactory(owner=other_vru, vru=other_vru, slug="elsewhere", name="Elsewhere Reference Group")
    response = client.get(url("governance_groups"))
    assert response.status_code == 200
    body = text_of(response)
    assert "Havering Community Safety Partnership Board" in body and "Partnership Reference Group" in body
    assert "Elsewhere Reference Group" not in body
    assert client.get(reverse("transparency:governance_group", args=["VRU-LDN", "elsewhere"])).status_code == 404
    assert client.get(reverse("transparency:governance_group", args=["VRU-X", "elsewhere"])).status_code == 200


def test_group_page_shows_posts_never_names_or_emails(client, board):
    body = text_of(client.get(url("governance_group", "havering-csp")))
    assert "Cabinet Member for Community Safety" in body and "Havering CVS" in body
    assert "Voluntary and community sector" in body and "Chair" in body
    assert_no_personal_data(body)
    # Only the meeting whose agenda is published today or before is listed.
    assert day(board["past"]) in body
    assert day(board["hidden"]) not in body and day(board["later"]) not in body


def test_published_meeting_shows_agenda_minutes_and_dissent_by_post(client, board):
    response = client.get(url("governance_meeting", "havering-csp", day(board["past"])))
    assert response.status_code == 200
    body = text_of(response)
    assert "Knife crime: the last quarter" in body and "Partners discussed the figures by ward." in body
    assert "Agreed the plan." in body and "5 for, 2 against" in body
    assert "Chief Executive, Havering CVS: The voluntary sector was not consulted." in body
    assert_no_personal_data(body)


def test_exempt_item_shows_only_its_exemption(client, board):
    body = text_of(client.get(url("governance_meeting", "havering-csp", day(board["past"]))))
    assert "Exempt under the Freedom of Information Act 2000: Section 40 (personal information)" in body
    for hidden in ("Case review of a named young person", "Head of Youth Justice", "named young person had"):
        assert hidden not in body
    assert url("governance_paper", "havering-csp", day(board["past"]), 2) not in body
    assert client.get(url("governance_paper", "havering-csp", day(board["past"]), 2)).status_code == 404


def test_paper_of_a_published_non_exempt_item_streams_the_file(client, board):
    response = client.get(url("governance_paper", "havering-csp", day(board["past"]), 1))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"ward,count\nA,3\n"
    assert "attachment" in response["Content-Disposition"] and "figures.txt" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    # An item with no paper, and an item that does not exist.
    assert client.get(url("governance_paper", "havering-csp", day(board["past"]), 3)).status_code == 404
    assert client.get(url("governance_paper", "havering-csp", day(board["past"]), 99)).status_code == 404


def test_unpublished_agendas_are_not_reachable(client, board):
    for meeting in (board["hidden"], board["later"]):
        for name in ("governance_meeting", "governance_actions"):
            assert client.get(url(name, "havering-csp", day(meeting))).status_code == 404
        assert client.get(url("governance_paper", "havering-csp", day(meeting), 1)).status_code == 404


def test_minutes_hidden_until_approved_and_published(client, board):
    past = board["past"]
    for change in (
        {"minutes_published_on": None},
        {"minutes_approved_on": None},
        {"minutes_published_on": timezone.localdate() + dt.timedelta(days=1)},
    ):
        type(past).objects.filter(pk=past.pk).update(
            minutes_approved_on=timezone.localdate() - dt.timedelta(days=5),
            minutes_published_on=timezone.localdate() - dt.timedelta(days=4),
        )
        type(past).objects.filter(pk=past.pk).update(**change)
        body = text_of(client.get(url("governance_meeting", "havering-csp", day(past))))
        assert "Knife crime: the last quarter" in body  # the agenda is still published
        assert "Partners discussed the figures by ward." not in body, change
        assert "The voluntary sector was not consulted." not in body, change
    # A group that does not publish its minutes.
    type(past).objects.filter(pk=past.pk).update(minutes_published_on=timezone.localdate())
    board["group"].minutes_published = False
    board["group"].save()
    body = text_of(client.get(url("governance_meeting", "havering-csp", day(past))))
    assert "Partners discussed the figures by ward." not in body


@pytest.mark.parametrize(
    "args",
    [
        ("VRU-X", "havering-csp", "DAY"),  # the wrong VRU
        ("VRU-LDN", "lambeth-csp", "DAY"),  # another group, no such meeting
        ("VRU-LDN", "havering-csp", "2019-13-01"),
        ("VRU-LDN", "havering-csp", "yesterday"),
        ("VRU-LDN", "havering-csp", "9" * 400),
        ("VRU-LDN", "h" * 60, "DAY"),
        ("V" * 30, "havering-csp", "DAY"),
    ],
)
def test_crafted_addresses_are_not_found(client, board, lambeth_board, args):
    VruFactory(code="VRU-X")
    vru, slug, date = args
    date = day(board["past"]) if date == "DAY" else date
    for name in ("governance_meeting", "governance_actions"):
        assert client.get(reverse(f"transparency:{name}", args=[vru, slug, date])).status_code == 404
    assert client.get(reverse("transparency:governance_paper", args=[vru, slug, date, 1])).status_code == 404


def test_nul_in_slug_is_not_found(client, board):
    assert client.get("/public/VRU-LDN/partnership-groups/havering%00csp/").status_code == 404


def _report_rows(body: str) -> list[list[str]]:
    rows = re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", body, flags=re.S)
    cells = [re.findall(r"<td class=\"govuk-table__cell\">(.*?)</td>", r, flags=re.S) for r in rows]
    return [[re.sub(r"<[^>]+>", " ", c).split("  ")[0].strip() for c in row] for row in cells if row]


def test_actions_arising_carries_open_actions_forward_once_each_completion(client, havering_board):
    g = havering_board
    jan, mar, may = (f.meeting_with_items(group=g, date=dt.date(2025, m, 10), items=3) for m in (1, 3, 5))
    for m in (jan, mar, may):
        m.agenda_published_on = m.date - dt.timedelta(days=7)
        m.save()
    item = {(m.pk, n): m.items.get(number=n) for m in (jan, mar, may) for n in (1, 2, 3)}
    exempt = item[(mar.pk, 3)]
    exempt.exempt, exempt.exemption = True, "Section 31 (law enforcement)"
    exempt.save()

    def action(meeting, n, text, **kw):
        return Action.objects.create(meeting=meeting, item=item[(meeting.pk, n)], text=text, owner="Clerk", **kw)

    action(jan, 1, "Done long ago", status=ActionStatus.COMPLETE, completed_on=dt.date(2025, 2, 1))
    action(jan, 2, "Still open from January", deadline=dt.date(2025, 2, 28), latest_update="Chasing")
    action(mar, 1, "Done since March", status=ActionStatus.COMPLETE, completed_on=dt.date(2025, 4, 1),
           deadline=dt.date(2025, 4, 30), latest_update="Sent")  # fmt: skip
    action(mar, 2, "Open, not yet due", deadline=dt.date(2025, 6, 30))
    action(mar, 3, "On an exempt item", deadline=dt.date(2025, 6, 30))
    action(may, 1, "Arising at May itself")

    body = text_of(client.get(url("governance_actions", "havering-csp", "2025-05-10")))
    rows = _report_rows(body)
    # Independent expectation: from meetings before 10 May, ongoing, or completed after 10 March; not exempt.
    expected = [
        ["1. Item 1", "Done since March", "30 April 2025", "Complete: Sent", "Clerk"],
        ["2. Item 2", "Open, not yet due", "30 June 2025", "Ongoing", "Clerk"],
        ["2. Item 2", "Still open from January", "28 February 2025", "Ongoing: Chasing", "Clerk"],
    ]
    assert rows == expected
    assert "Done long ago" not in body and "Arising at May itself" not in body and "On an exempt item" not in body
    assert "1 action on items exempt" in body
    # Overdue in words: only January's open action (due 28 February, before 10 May).
    assert body.count(">Overdue<") == 1
    assert body.index("Actions Arising from the Meeting of 10 March 2025") < body.index(
        "Actions Arising from the Meeting of 10 January 2025"
    )
    # At March's meeting, the action completed in February (after January's meeting) is reported once.
    body = text_of(client.get(url("governance_actions", "havering-csp", "2025-03-10")))
    assert "Done long ago" in body and "Still open from January" in body and "Done since March" not in body


def test_index_links_to_the_vrus_groups(client, board):
    body = text_of(client.get(reverse("transparency:index")))
    assert reverse("transparency:governance_groups", args=["VRU-LDN"]) in body
