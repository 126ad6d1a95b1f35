"""The meeting pages: arranging a meeting, the meeting page's agenda and minutes, papers downloaded as
uploaded, stale forms refused with what was typed kept, publication refused with its reasons."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from tests.factories import UserFactory
from tests.governance import factories as f
from vrhub.accounts.models import User
from vrhub.governance.models import AgendaItem, Dissent, Meeting
from vrhub.governance.services import meetings

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DAY = dt.date(2026, 3, 6)


@pytest.fixture
def meeting(havering_board):
    return f.meeting_with_items(group=havering_board, date=DAY)


def url(name, meeting, *args):
    return reverse(f"governance:{name}", args=[meeting.group.slug, meeting.pk, *args])


def test_an_editor_arranges_a_meeting_in_the_browser(client, editor, havering_board):
    client.force_login(editor)
    response = client.post(
        reverse("governance:meeting_new", args=["havering-csp"]),
        {"date": "2026-07-02", "starts_at": "14:00", "place": "Town Hall", "items": "4", "standard_items": "on"},
    )
    made = Meeting.objects.get(group=havering_board)
    assert response.status_code == 302 and response["Location"] == url("meeting", made)
    page = client.get(response["Location"]).content.decode()
    assert "Meeting arranged for 2 July 2026." in page
    assert "Meeting of 2 July 2026" in page and "Thursday 2 July 2026, 14:00" in page
    assert "4. Actions arising" in page
    assert "Agenda not published yet." in page


def test_a_second_meeting_on_one_day_is_refused_on_the_form(client, editor, meeting):
    client.force_login(editor)
    response = client.post(
        reverse("governance:meeting_new", args=["havering-csp"]), {"date": "2026-03-06", "items": "2"}
    )
    assert response.status_code == 200
    assert "already has a meeting on 6 March 2026" in response.content.decode()
    assert Meeting.objects.count() == 1


def test_the_meeting_page_shows_items_minutes_dissent_and_actions_in_words(client, havering, meeting, editor):
    item = meeting.items.get(number=1)
    member = f.MemberFactory(group=meeting.group, name="Pat Partner", title="Chief Inspector")
    meetings.item_update(
        item=item,
        user=editor,
        version=meeting.version,
        data={"title": "Budget", "presenter": "Treasurer", "exempt": True, "exemption": "Section 43"},
    )
    meetings.item_minutes_save(
        item=item, user=editor, version=item.meeting.version + 1, data={"minutes": "Discussed.", "decision": "Agreed."}
    )
    Dissent.objects.create(item=item, member=member, text="Wanted more time.")
    f.ActionFactory(meeting=meeting, item=item, text="Circulate the budget.", deadline=None)
    viewer = UserFactory(organisation=havering, role=User.Role.BOROUGH_VIEWER)
    client.force_login(viewer)
    page = client.get(url("meeting", meeting)).content.decode()
    assert "1. Budget" in page and "Treasurer" in page
    assert "Exempt</strong> Section 43" in page
    assert page.count("Not exempt: to be published with the agenda") == 2  # items 2 and 3
    assert "Discussed." in page and "Agreed." in page
    assert "Pat Partner (Chief Inspector): Wanted more time." in page
    assert "Circulate the budget." in page and "Ongoing, no deadline" in page
    assert "No attendance recorded yet" in page
    assert "ongoing" not in page  # the status's label, never its code
    assert "Change the item" not in page and "Publish the agenda" not in page  # a viewer changes nothing


def test_a_paper_uploaded_is_downloaded_as_it_was(client, editor, meeting):
    client.force_login(editor)
    response = client.post(
        url("item_edit", meeting, 2),
        {
            "version": meeting.version,
            "title": "Strategy",
            "paper_title": "Strategy 2026",
            "paper": SimpleUploadedFile("strategy.pdf", PDF, content_type="application/pdf"),
            "equality_considerations": "An equality impact assessment is attached.",
        },
    )
    assert response.status_code == 302
    download = client.get(url("item_paper", meeting, 2))
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert 'filename="strategy.pdf"' in download["Content-Disposition"]
    assert client.get(url("item_paper", meeting, 1)).status_code == 404  # item 1 has no paper


@override_settings(DOCUMENT_MAX_BYTES=10)
def test_a_paper_over_the_limit_is_refused_with_the_limit(client, editor, meeting):
    client.force_login(editor)
    response = client.post(
        url("item_edit", meeting, 2),
        {
            "version": meeting.version,
            "title": "Strategy",
            "paper_title": "S",
            "paper": SimpleUploadedFile("s.pdf", PDF),
        },
    )
    assert response.status_code == 200
    assert "The selected file must be smaller than 10 bytes" in response.content.decode()
    assert not AgendaItem.objects.get(meeting=meeting, number=2).paper


def test_a_stale_form_is_refused_and_keeps_what_was_typed(client, editor, meeting):
    client.force_login(editor)
    stale = meeting.version
    meetings.item_update(item=meeting.items.get(number=1), user=editor, version=stale, data={"title": "Changed"})
    response = client.post(url("item_edit", meeting, 2), {"version": stale, "title": "My typed title"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Someone else changed this meeting" in page
    assert 'value="My typed title"' in page
    assert f'name="version" value="{stale + 1}"' in page  # saving again is a deliberate second choice
    assert AgendaItem.objects.get(meeting=meeting, number=2).title == "Item 2"


def test_publishing_is_refused_with_the_reasons(client, editor, meeting):
    meetings.item_update(
        item=meeting.items.get(number=3),
        user=editor,
        version=meeting.version,
        data={"title": "Item 3", "paper_title": "Report"},
        paper=SimpleUploadedFile("r.pdf", PDF),
    )
    client.force_login(editor)
    response = client.post(url("publish_agenda", meeting), {"version": meeting.version + 1}, follow=True)
    page = response.content.decode()
    assert "The agenda was not published" in page
    assert "Item 3 (Item 3) has a paper: say how equality issues were considered" in page
    assert Meeting.objects.get(pk=meeting.pk).agenda_published_on is None


def test_votes_fields_appear_only_for_a_group_that_votes(client, editor, meeting):
    client.force_login(editor)
    assert "Votes for" not in client.get(url("item_minutes", meeting, 1)).content.decode()
    meeting.group.decision_mode = "vote"
    meeting.group.save()
    assert "Votes for" in client.get(url("item_minutes", meeting, 1)).content.decode()


def test_dissent_and_interest_are_recorded_from_the_minutes_page(client, editor, meeting):
    member = f.MemberFactory(group=meeting.group, name="Sam Member")
    client.force_login(editor)
    response = client.post(
        url("item_dissent", meeting, 1),
        {"dissent-version": meeting.version, "dissent-member": member.pk, "dissent-text": "Against the plan."},
        follow=True,
    )
    assert "Dissent of Sam Member recorded on item 1." in response.content.decode()
    response = client.post(
        url("item_interest", meeting, 1),
        {"interest-version": meeting.version + 1, "interest-member": member.pk, "interest-description": ""},
    )
    assert response.status_code == 200 and "Describe the interest declared" in response.content.decode()
    assert not member.interests.exists()


def test_the_meeting_page_queries_do_not_grow_with_its_items(client, editor, havering_board):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(editor)
    counts = []
    for n, day in ((2, DAY), (12, DAY + dt.timedelta(days=1))):
        meeting = f.meeting_with_items(group=havering_board, date=day, items=n)
        for item in meeting.items.all():
            member = f.MemberFactory(group=havering_board)
            Dissent.objects.create(item=item, member=member, text="No")
            f.ActionFactory(meeting=meeting, item=item)
            f.AttendanceFactory(meeting=meeting, member=member)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url("meeting", meeting)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_editors_meeting_page_has_no_repeated_ids(client, editor, meeting):
    import re

    client.force_login(editor)
    page = client.get(url("meeting", meeting)).content.decode()
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert "Move up" in page and "Publish the agenda" in page  # the editor's forms are there
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)


def test_actions_from_no_one_item_are_listed_for_the_meeting(client, editor, meeting):
    f.ActionFactory(meeting=meeting, item=None, text="Write to the Mayor.", deadline=dt.date(2026, 4, 30))
    f.ActionFactory(meeting=meeting, item=meeting.items.get(number=2), text="Redraft the plan.")
    client.force_login(editor)
    page = client.get(url("meeting", meeting)).content.decode()
    other = page[page.index('data-testid="other-actions"') :]
    assert "Write to the Mayor." in other and "30 April 2026" in other
    assert "Redraft the plan." not in other  # under item 2 instead
    assert "Actions arising from item 2" in page
