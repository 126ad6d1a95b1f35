"""Meetings' services: arranging a meeting, agenda items and papers, minutes with votes, dissent and
interests, publication. Validation names the field and the limit; a refusal writes nothing; every change is
audited; a stale form is refused."""

import datetime as dt
import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from tests.factories import UserFactory
from tests.governance import factories as f
from vrhub.accounts.models import User
from vrhub.core.models import AuditEntry
from vrhub.governance.catalogue import Attendance, DecisionMode, QuorumRole, Sector
from vrhub.governance.models import ITEMS_MAX, AgendaItem, Dissent, Interest, Meeting
from vrhub.governance.selectors.meetings import agenda_problems, publication_words
from vrhub.governance.services import meetings

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DAY = dt.date(2026, 3, 6)


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'wordprocessingml.document.main+xml"/></Types>',
        )
        z.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def entries(obj, action=None):
    qs = AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
    return qs.filter(action=action) if action else qs


@pytest.fixture
def meeting(havering_board):
    return f.meeting_with_items(group=havering_board, date=DAY)


def fresh(meeting: Meeting) -> Meeting:
    return Meeting.objects.get(pk=meeting.pk)


# Arranging a meeting -----------------------------------------------------------------------------------


def test_a_meeting_is_arranged_with_numbered_items_and_audited(havering_board, editor):
    made = meetings.meeting_create(group=havering_board, user=editor, date=DAY, items=3, place="Town Hall")
    assert [(i.number, i.title) for i in made.items.order_by("number")] == [(n, f"Item {n}") for n in (1, 2, 3)]
    assert made.place == "Town Hall"
    assert entries(made, AuditEntry.Action.CREATE).filter(field="date", new="2026-03-06", actor=editor).exists()
    for item in made.items.all():
        assert entries(item, AuditEntry.Action.CREATE).filter(actor=editor).exists()


def test_the_standard_opening_items_come_first(havering_board, editor):
    made = meetings.meeting_create(group=havering_board, user=editor, date=DAY, items=6, standard_items=True)
    titles = list(made.items.order_by("number").values_list("title", flat=True))
    assert titles == [*meetings.STANDARD_ITEMS, "Item 5", "Item 6"]


def test_two_meetings_of_a_group_on_one_day_are_refused_and_nothing_is_written(havering_board, editor, meeting):
    before = (Meeting.objects.count(), AgendaItem.objects.count(), AuditEntry.objects.count())
    with pytest.raises(ValidationError) as exc:
        meetings.meeting_create(group=havering_board, user=editor, date=DAY, items=2)
    assert "already has a meeting on 6 March 2026" in exc.value.message_dict["date"][0]
    assert (Meeting.objects.count(), AgendaItem.objects.count(), AuditEntry.objects.count()) == before


@pytest.mark.parametrize("items", [0, ITEMS_MAX + 1, -1])
def test_the_number_of_items_is_bounded_and_the_limit_named(havering_board, editor, items):
    with pytest.raises(ValidationError) as exc:
        meetings.meeting_create(group=havering_board, user=editor, date=DAY, items=items)
    assert f"from 1 to {ITEMS_MAX}" in exc.value.message_dict["items"][0]
    assert not Meeting.objects.exists()


def test_a_date_far_off_is_refused(havering_board, editor):
    with pytest.raises(ValidationError) as exc:
        meetings.meeting_create(group=havering_board, user=editor, date=dt.date(1999, 1, 1), items=1)
    assert "between 1 January 2000" in exc.value.message_dict["date"][0]


def test_a_viewer_cannot_arrange_a_meeting(havering_board, havering):
    viewer = UserFactory(organisation=havering, role=User.Role.BOROUGH_VIEWER)
    with pytest.raises(PermissionDenied):
        meetings.meeting_create(group=havering_board, user=viewer, date=DAY, items=1)
    assert not Meeting.objects.exists()


# Agenda items ------------------------------------------------------------------------------------------


def test_an_item_is_added_at_the_end_and_the_meeting_version_bumped(meeting, editor):
    item = meetings.item_add(meeting=meeting, user=editor, version=meeting.version, data={"title": "Budget"})
    assert item.number == 4
    assert fresh(meeting).version == meeting.version + 1


def test_a_stale_form_is_refused_and_nothing_changes(meeting, editor):
    item = meeting.items.get(number=1)
    meetings.item_update(item=item, user=editor, version=meeting.version, data={"title": "First"})
    with pytest.raises(ValidationError) as exc:
        meetings.item_update(item=item, user=editor, version=meeting.version, data={"title": "Second"})
    assert "Someone else changed this meeting" in exc.value.message_dict["version"][0]
    assert AgendaItem.objects.get(pk=item.pk).title == "First"


def test_an_exempt_item_needs_its_exemption(meeting, editor):
    item = meeting.items.get(number=2)
    with pytest.raises(ValidationError) as exc:
        meetings.item_update(item=item, user=editor, version=meeting.version, data={"title": "X", "exempt": True})
    assert "Freedom of Information Act exemption" in exc.value.message_dict["exemption"][0]
    assert AgendaItem.objects.get(pk=item.pk).exempt is False


def test_an_item_change_is_audited_old_to_new(meeting, editor):
    item = meeting.items.get(number=2)
    meetings.item_update(
        item=item,
        user=editor,
        version=meeting.version,
        data={"title": "Item 2", "exempt": True, "exemption": "Section 43 (commercial interests)"},
    )
    entry = entries(item).get(field="exemption")
    assert (entry.old, entry.new, entry.actor) == ("", "Section 43 (commercial interests)", editor)


def test_a_title_over_its_limit_is_refused_naming_the_limit(meeting, editor):
    item = meeting.items.get(number=1)
    with pytest.raises(ValidationError) as exc:
        meetings.item_update(item=item, user=editor, version=meeting.version, data={"title": "x" * 301})
    assert "300" in exc.value.message_dict["title"][0]


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [("paper.pdf", PDF, "application/pdf"), ("paper.docx", docx_bytes(), "wordprocessingml")],
    ids=["pdf", "docx"],  # a zip's bytes carry the time it was made: no test id from them (pytest-xdist)
)
def test_a_paper_is_stored_with_its_name_type_and_size(meeting, editor, name, content, kind):
    item = meeting.items.get(number=1)
    meetings.item_update(
        item=item,
        user=editor,
        version=meeting.version,
        data={"title": "Item 1", "paper_title": "The report"},
        paper=SimpleUploadedFile(name, content),
    )
    item.refresh_from_db()
    assert kind in item.paper_content_type
    assert (item.paper_original_name, item.paper_size) == (name, len(content))
    with item.paper.open("rb") as stored:
        assert stored.read() == content
    assert entries(item).filter(field="paper_original_name", new=name).exists()


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("paper.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20, "must be a PDF, DOCX, ODT file"),
        ("paper.pdf", b"not a pdf at all", "not a real PDF"),
        ("paper.pdf", b"", "empty"),
    ],
)
def test_a_paper_of_the_wrong_kind_is_refused_and_nothing_stored(meeting, editor, name, content, words):
    item = meeting.items.get(number=1)
    with pytest.raises(ValidationError) as exc:
        meetings.item_update(
            item=item,
            user=editor,
            version=meeting.version,
            data={"title": "Item 1", "paper_title": "The report"},
            paper=SimpleUploadedFile(name, content),
        )
    assert words in exc.value.message_dict["paper"][0]
    assert not AgendaItem.objects.get(pk=item.pk).paper


@override_settings(DOCUMENT_MAX_BYTES=20)
def test_a_paper_over_the_upload_limit_is_refused_naming_the_limit(meeting, editor):
    item = meeting.items.get(number=1)
    with pytest.raises(ValidationError) as exc:
        meetings.item_update(
            item=item,
            user=editor,
            version=meeting.version,
            data={"title": "Item 1", "paper_title": "The report"},
            paper=SimpleUploadedFile("paper.pdf", PDF),
        )
    assert "smaller than 20 bytes" in exc.value.message_dict["paper"][0]


def test_a_paper_needs_a_title(meeting, editor):
    item = meeting.items.get(number=1)
    with pytest.raises(ValidationError) as exc:
        meetings.item_update(
            item=item,
            user=editor,
            version=meeting.version,
            data={"title": "Item 1"},
            paper=SimpleUploadedFile("p.pdf", PDF),
        )
    assert exc.value.message_dict["paper_title"] == ["Enter the paper's title"]


def test_removing_an_item_renumbers_the_later_ones(meeting, editor):
    meetings.item_remove(item=meeting.items.get(number=1), user=editor, version=meeting.version)
    assert list(fresh(meeting).items.order_by("number").values_list("number", "title")) == [
        (1, "Item 2"),
        (2, "Item 3"),
    ]


def test_moving_an_item_up_swaps_it_with_the_one_above(meeting, editor):
    meetings.item_move(item=meeting.items.get(number=3), user=editor, version=meeting.version, up=True)
    assert list(meeting.items.order_by("number").values_list("title", flat=True)) == ["Item 1", "Item 3", "Item 2"]
    with pytest.raises(ValidationError, match="already the first item"):
        meetings.item_move(item=meeting.items.get(number=1), user=editor, version=fresh(meeting).version, up=True)


def test_after_publication_items_are_not_removed_or_moved_but_can_be_corrected(meeting, editor):
    meetings.meeting_publish_agenda(meeting=meeting, user=editor, version=meeting.version)
    version = fresh(meeting).version
    with pytest.raises(ValidationError, match="can no longer be removed"):
        meetings.item_remove(item=meeting.items.get(number=1), user=editor, version=version)
    with pytest.raises(ValidationError, match="can no longer be reordered"):
        meetings.item_move(item=meeting.items.get(number=2), user=editor, version=version, up=True)
    item = meeting.items.get(number=1)
    meetings.item_update(item=item, user=editor, version=version, data={"title": "Corrected title"})
    assert entries(item).filter(field="title", old="Item 1", new="Corrected title").exists()


# Publication -------------------------------------------------------------------------------------------


def _paper(item, editor, *, equality=""):
    return meetings.item_update(
        item=item,
        user=editor,
        version=item.meeting.version,
        data={"title": item.title, "paper_title": "Report", "equality_considerations": equality},
        paper=SimpleUploadedFile("report.pdf", PDF),
    )


def test_the_agenda_is_refused_while_a_paper_lacks_equality_considerations(meeting, editor):
    _paper(meeting.items.get(number=2), editor)
    meeting = fresh(meeting)
    with pytest.raises(ValidationError) as exc:
        meetings.meeting_publish_agenda(meeting=meeting, user=editor, version=meeting.version)
    assert len(exc.value.messages) == 1
    assert "Item 2 (Item 2) has a paper: say how equality issues were considered" in exc.value.messages[0]
    assert fresh(meeting).agenda_published_on is None


def test_a_group_not_requiring_equality_statements_publishes_without_them(meeting, editor, havering_board):
    havering_board.equality_statement_required = False
    havering_board.save()
    _paper(meeting.items.get(number=2), editor)
    assert agenda_problems(meeting=fresh(meeting)) == []


def test_the_agenda_is_published_and_audited(havering_board, editor):
    today = timezone.localdate()
    meeting = f.meeting_with_items(group=havering_board, date=today + dt.timedelta(days=10))
    _paper(meeting.items.get(number=2), editor, equality="Considered for all protected groups.")
    meeting = fresh(meeting)
    done = meetings.meeting_publish_agenda(meeting=meeting, user=editor, version=meeting.version)
    assert done.agenda_published_on == timezone.localdate()
    assert entries(meeting).filter(field="agenda_published_on", actor=editor).exists()
    assert publication_words(meeting=done)[0] == f"Agenda published {timezone.localdate():%-d %B %Y}."


def test_minutes_are_approved_on_or_after_the_meeting_and_then_closed(meeting, editor):
    item = meeting.items.get(number=1)
    with pytest.raises(ValidationError, match="write the minutes before"):
        meetings.meeting_approve_minutes(meeting=meeting, user=editor, version=meeting.version, on=DAY)
    meetings.item_minutes_save(item=item, user=editor, version=meeting.version, data={"minutes": "Discussed."})
    version = fresh(meeting).version
    with pytest.raises(ValidationError) as exc:
        meetings.meeting_approve_minutes(meeting=meeting, user=editor, version=version, on=DAY - dt.timedelta(days=1))
    assert "before the meeting (6 March 2026)" in exc.value.message_dict["on"][0]
    meetings.meeting_approve_minutes(meeting=meeting, user=editor, version=version, on=dt.date(2026, 6, 5))
    with pytest.raises(ValidationError, match="approved on 5 June 2026"):
        meetings.item_minutes_save(item=item, user=editor, version=fresh(meeting).version, data={"minutes": "x"})
    assert publication_words(meeting=fresh(meeting))[1] == "Minutes approved 5 June 2026, not published yet."


def test_only_approved_minutes_are_published_and_only_where_the_group_publishes_them(meeting, editor):
    with pytest.raises(ValidationError, match="must be approved before"):
        meetings.meeting_publish_minutes(meeting=meeting, user=editor, version=meeting.version)
    Meeting.objects.filter(pk=meeting.pk).update(minutes_approved_on=dt.date(2026, 6, 5))
    meeting.group.minutes_published = False
    meeting.group.save()
    with pytest.raises(ValidationError, match="do not publish its minutes"):
        meetings.meeting_publish_minutes(meeting=meeting, user=editor, version=meeting.version)
    meeting.group.minutes_published = True
    meeting.group.save()
    done = meetings.meeting_publish_minutes(meeting=meeting, user=editor, version=meeting.version)
    assert done.minutes_published_on == timezone.localdate()


# Minutes, votes, dissent, interests ---------------------------------------------------------------------


def test_a_consensus_group_records_no_votes(meeting, editor):
    item = meeting.items.get(number=1)
    with pytest.raises(ValidationError) as exc:
        meetings.item_minutes_save(item=item, user=editor, version=meeting.version, data={"votes_for": 3})
    assert "consensus" in exc.value.message_dict["votes_for"][0]


def test_votes_are_not_more_than_the_members_counted_for_the_item(havering_board, editor):
    havering_board.decision_mode = DecisionMode.VOTE
    havering_board.required_roles = []
    havering_board.save()
    meeting = f.meeting_with_items(group=havering_board, date=DAY, items=3)
    # Four present; one remote who dropped out after item 1; one sent apologies.
    rows = [(Attendance.PRESENT, None)] * 4 + [(Attendance.REMOTE, 1), (Attendance.APOLOGIES, None)]
    for attendance, left in rows:
        f.AttendanceFactory(
            meeting=meeting,
            member=f.MemberFactory(group=havering_board),
            attendance=attendance,
            left_after_item=left,
        )
    # Counted independently of the quorum code: attending, and not gone before the item.
    counted = {
        n: sum(1 for a, left in rows if a in ("present", "remote") and (left is None or n <= left)) for n in (1, 2)
    }
    assert counted == {1: 5, 2: 4}
    item1, item2 = meeting.items.get(number=1), meeting.items.get(number=2)
    meetings.item_minutes_save(
        item=item1,
        user=editor,
        version=meeting.version,
        data={"decision": "Agreed", "votes_for": 3, "votes_against": 1, "abstentions": 1},
    )
    item1.refresh_from_db()
    assert (item1.votes_for, item1.votes_against, item1.abstentions) == (3, 1, 1)
    with pytest.raises(ValidationError) as exc:
        meetings.item_minutes_save(
            item=item2,
            user=editor,
            version=fresh(meeting).version,
            data={"votes_for": 3, "votes_against": 1, "abstentions": 1},
        )
    assert f"only {counted[2]} members were counted for item 2" in exc.value.message_dict["votes_for"][0]
    assert AgendaItem.objects.get(pk=item2.pk).votes_for is None


def test_dissent_is_recorded_for_a_member_of_the_group_only(meeting, editor, lambeth_board):
    item = meeting.items.get(number=1)
    outsider = f.MemberFactory(group=lambeth_board)
    with pytest.raises(ValidationError) as exc:
        meetings.dissent_record(item=item, user=editor, version=meeting.version, member=outsider, text="No")
    assert exc.value.message_dict["member"] == ["Choose a member of the group"]
    member = f.MemberFactory(group=meeting.group, sector=Sector.COMMUNITY, quorum_role=QuorumRole.COMMUNITY)
    made = meetings.dissent_record(item=item, user=editor, version=meeting.version, member=member, text=" Disagreed ")
    assert made.text == "Disagreed"
    assert entries(made, AuditEntry.Action.CREATE).filter(field="text", new="Disagreed").exists()
    with pytest.raises(ValidationError) as exc:
        meetings.dissent_record(item=item, user=editor, version=fresh(meeting).version, member=member, text="Again")
    assert "already recorded" in exc.value.message_dict["member"][0]
    assert Dissent.objects.count() == 1


def test_dissent_is_refused_where_the_group_does_not_record_it(meeting, editor):
    meeting.group.dissent_recorded = False
    meeting.group.save()
    member = f.MemberFactory(group=meeting.group)
    with pytest.raises(ValidationError, match="do not record dissent"):
        meetings.dissent_record(
            item=meeting.items.get(number=1), user=editor, version=meeting.version, member=member, text="No"
        )
    assert not Dissent.objects.exists()


def test_an_interest_declared_at_an_item_is_in_the_members_register(meeting, editor):
    member = f.MemberFactory(group=meeting.group)
    item = meeting.items.get(number=2)
    meetings.interest_declare(
        item=item, user=editor, version=meeting.version, member=member, description="Trustee of a bidding charity"
    )
    registered = Interest.objects.get(member=member)
    assert (registered.description, registered.declared_on, registered.item) == (
        "Trustee of a bidding charity",
        DAY,
        item,
    )
    pk = registered.pk
    meetings.interest_remove(interest=registered, user=editor, version=fresh(meeting).version)
    assert not Interest.objects.exists()
    assert AuditEntry.objects.filter(
        object_type="governance.interest", object_id=str(pk), action=AuditEntry.Action.DELETE, actor=editor
    ).exists()


@pytest.mark.parametrize(
    ("published", "words"),
    [
        (dt.date(2026, 2, 27), "Agenda published 27 February 2026."),
        (dt.date(2026, 3, 1), "Agenda published 1 March 2026."),
        (
            dt.date(2026, 3, 5),
            "Agenda published 5 March 2026, 1 day before the meeting: the group's rules ask for 5 days before it.",
        ),
        (
            dt.date(2026, 3, 9),
            "Agenda published 9 March 2026, after the meeting: the group's rules ask for 5 days before it.",
        ),
    ],
)
def test_an_agenda_published_late_says_so_against_the_groups_rule(meeting, published, words):
    assert meeting.group.agenda_days_before == 5
    meeting.agenda_published_on = published
    assert publication_words(meeting=meeting)[0] == words


def test_a_paper_removed_goes_from_the_item_and_from_storage(meeting, editor, django_capture_on_commit_callbacks):
    item = _paper(meeting.items.get(number=1), editor, equality="Done.")
    stored = item.paper.name
    assert item.paper.storage.exists(stored)
    with django_capture_on_commit_callbacks(execute=True):
        meetings.item_update(
            item=item,
            user=editor,
            version=fresh(meeting).version,
            data={"title": "Item 1"},
            remove_paper=True,
        )
    item.refresh_from_db()
    assert (item.paper.name, item.paper_original_name, item.paper_size) == ("", "", None)
    assert not item.paper.storage.exists(stored)
    assert entries(item).filter(field="paper", old=stored, new="").exists()
