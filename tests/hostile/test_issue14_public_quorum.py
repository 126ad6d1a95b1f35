"""Break-it pass on issue 14: the public pages (unpublished, exempt, names, dissent) and the quorum rule."""
# ruff: noqa: F811

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from tests.governance import factories as f
from tests.governance.conftest import havering_board, lambeth, lambeth_board, prg, vru_clerk  # noqa: F401
from vrhub.governance.catalogue import Attendance, QuorumRole
from vrhub.governance.models import Dissent, Meeting
from vrhub.governance.selectors.quorum import meeting_quorum

pytestmark = pytest.mark.django_db

SECRET_NAME = "Zebedee Quatermass"
SECRET_MAIL = "zebedee@example.org"


@pytest.fixture
def published(havering_board):
    """Havering's meeting, agenda published last week: item 1 open with a paper and a dissent by name, item 2
    exempt with a paper; minutes written but not approved."""
    today = timezone.localdate()
    member = f.MemberFactory(group=havering_board, name=SECRET_NAME, email=SECRET_MAIL, title="", organisation="")
    meeting = f.meeting_with_items(group=havering_board, date=today - dt.timedelta(days=3))
    one, two = meeting.items.get(number=1), meeting.items.get(number=2)
    one.paper_title = "Open paper"
    one.paper.save("open.pdf", ContentFile(b"%PDF-1.4 open"), save=False)
    one.minutes = "MINUTES-TEXT-ONE"
    one.save()
    two.title = "SECRET-EXEMPT-TITLE"
    two.exempt = True
    two.exemption = "Section 43"
    two.paper_title = "SECRET-PAPER"
    two.paper.save("secret.pdf", ContentFile(b"%PDF-1.4 secret"), save=False)
    two.minutes = "SECRET-MINUTES"
    two.save()
    Dissent.objects.create(item=one, member=member, text="DISSENT-TEXT")
    f.ActionFactory(meeting=meeting, item=two, text="SECRET-ACTION")
    Meeting.objects.filter(pk=meeting.pk).update(agenda_published_on=today - dt.timedelta(days=10))
    meeting.refresh_from_db()
    return meeting


def _url(name, meeting, *extra, code="VRU-LDN", slug=None):
    return reverse(f"transparency:{name}", args=[code, slug or meeting.group.slug, meeting.date.isoformat(), *extra])


def _body(client, url):
    response = client.get(url)
    return response.status_code, response.content.decode("utf-8", "replace") if response.status_code == 200 else ""


def test_unapproved_minutes_exempt_items_and_names_never_shown(client, published):
    for url in (
        _url("governance_meeting", published),
        reverse("transparency:governance_group", args=["VRU-LDN", published.group.slug]),
        reverse("transparency:governance_groups", args=["VRU-LDN"]),
    ):
        status, body = _body(client, url)
        assert status == 200, url
        for secret in (SECRET_NAME, SECRET_MAIL, "SECRET-", "MINUTES-TEXT-ONE", "DISSENT-TEXT"):
            assert secret not in body, (url, secret)


def test_approved_minutes_show_dissent_by_post_never_by_name(client, published):
    today = timezone.localdate()
    Meeting.objects.filter(pk=published.pk).update(minutes_approved_on=today, minutes_published_on=today)
    status, body = _body(client, _url("governance_meeting", published))
    assert status == 200 and "MINUTES-TEXT-ONE" in body and "DISSENT-TEXT" in body
    assert SECRET_NAME not in body and SECRET_MAIL not in body and "SECRET-" not in body
    status, body = _body(client, _url("governance_actions", published))
    assert status in (200, 404) and "SECRET-" not in body


def test_exempt_papers_and_crafted_item_numbers_are_404(client, published):
    assert client.get(_url("governance_paper", published, 1)).status_code == 200
    for number in (2, 3, 0, 99, 2**31, 2**63):
        assert client.get(_url("governance_paper", published, number)).status_code == 404, number


def test_other_vru_codes_dates_and_unpublished_meetings_are_404(client, published, lambeth_board):
    from tests.factories import VruFactory

    VruFactory(code="VRU-X")
    future = f.meeting_with_items(group=published.group, date=published.date + dt.timedelta(days=30))
    Meeting.objects.filter(pk=future.pk).update(agenda_published_on=timezone.localdate() + dt.timedelta(days=1))
    future.refresh_from_db()
    never = f.meeting_with_items(group=published.group, date=published.date + dt.timedelta(days=60))
    cases = [
        _url("governance_meeting", published, code="VRU-X"),
        _url("governance_meeting", published, code="E09000016"),  # a borough's code, not a VRU's
        _url("governance_meeting", published, code="VRU-LDN\x00"),
        _url("governance_meeting", published, slug="lambeth-csp"),
        _url("governance_meeting", future),
        _url("governance_actions", future),
        _url("governance_paper", future, 1),
        _url("governance_meeting", never),
        _url("governance_actions", never),
        reverse("transparency:governance_meeting", args=["VRU-LDN", "havering-csp", "2026-02-31"]),
        reverse("transparency:governance_meeting", args=["VRU-LDN", "havering-csp", str(published.pk)]),
        reverse("transparency:governance_meeting", args=["VRU-LDN", "havering-csp", "+2026-01-01"]),
        reverse("transparency:governance_group", args=["VRU-LDN", "x" * 500]),
    ]
    for url in cases:
        assert client.get(url).status_code == 404, url


def test_public_pages_never_500_on_crafted_input(client, published):
    for url in (
        "/public/VRU-LDN/partnership-groups/havering-csp/meetings/2026-13-01/",
        "/public/VRU-LDN/partnership-groups/havering-csp/meetings/9999-12-31/actions-arising/",
        "/public/VRU-LDN/partnership-groups/havering%00csp/",
        "/public/%00/partnership-groups/",
        "/public/" + "V" * 5000 + "/partnership-groups/",
    ):
        assert client.get(url).status_code == 404, url


# --- Quorum -------------------------------------------------------------------------------------------


def _board(prg):
    meeting = f.meeting_with_items(group=prg, date=dt.date(2026, 3, 6), items=3)
    return meeting


def test_a_member_out_of_office_on_the_meetings_date_is_not_counted(prg):
    """A member whose term ended before the meeting (their term end corrected after attendance was taken, or
    ended by an import) has an attendance record: they must not count towards the quorum."""
    meeting = _board(prg)
    for member in prg.members.all():
        f.AttendanceFactory(meeting=meeting, member=member, attendance=Attendance.PRESENT)
    gone = [f.MemberFactory(group=prg, name=f"Gone {n}", term_end=dt.date(2025, 1, 1)) for n in range(10)]
    for member in gone:
        f.AttendanceFactory(meeting=meeting, member=member, attendance=Attendance.PRESENT)
    result = meeting_quorum(meeting=meeting)
    assert result.members == 6
    assert result.present <= result.members, (result.present, result.members)


def test_an_ex_member_cannot_fill_a_required_role(prg):
    """The only health representative left the group last year, but has an attendance record: the health role
    is missing."""
    meeting = _board(prg)
    health = prg.members.get(quorum_role=QuorumRole.HEALTH)
    health.term_end = dt.date(2025, 1, 1)
    health.save()
    for member in prg.members.all():
        f.AttendanceFactory(meeting=meeting, member=member, attendance=Attendance.PRESENT)
    result = meeting_quorum(meeting=meeting)
    assert "health" in result.missing_roles and not result.quorate


def test_remote_members_do_not_count_when_the_rules_say_so_and_leavers_drop_out(prg):
    meeting = _board(prg)
    prg.remote_counts = False
    prg.save()
    for member in prg.members.all():
        f.AttendanceFactory(meeting=meeting, member=member, attendance=Attendance.REMOTE)
    result = meeting_quorum(meeting=meeting)
    assert result.present == 0 and not result.quorate
    prg.remote_counts = True
    prg.save()
    meeting.attendance.filter(member__quorum_role=QuorumRole.COMMUNITY).update(left_after_item=1)
    assert meeting_quorum(meeting=meeting, item=1).quorate
    later = meeting_quorum(meeting=meeting, item=2)
    assert not later.quorate and "community" in later.missing_roles


def test_quorum_of_an_item_that_does_not_exist_is_refused(prg):
    from vrhub.core.exceptions import NotFound

    meeting = _board(prg)
    for item in (0, -1, 4, 2**40):
        with pytest.raises(NotFound):
            meeting_quorum(meeting=meeting, item=item)


def test_a_substitute_for_an_ex_member_does_not_count(prg):
    meeting = _board(prg)
    police = prg.members.get(quorum_role=QuorumRole.POLICE)
    police.term_end = dt.date(2025, 1, 1)
    police.save()
    others = prg.members.exclude(pk=police.pk)
    for member in others:
        f.AttendanceFactory(meeting=meeting, member=member, attendance=Attendance.PRESENT)
    f.AttendanceFactory(meeting=meeting, member=police, attendance=Attendance.SUBSTITUTE, substitute_name="Sub")
    result = meeting_quorum(meeting=meeting)
    assert result.present == 5 and result.members == 5


def test_a_term_end_corrected_after_attendance_makes_quorum_count_an_ex_member(prg, vru_clerk):
    """The realistic path: the clerk records attendance (everyone in office), then corrects the health member's
    term end to before the meeting (they had left). The quorum page must no longer count them, nor let them
    fill the health role."""
    from vrhub.governance.services.attendance import Entry, attendance_save
    from vrhub.governance.services.members import member_update

    meeting = _board(prg)
    rows = [Entry(member=m.pk, attendance=Attendance.PRESENT) for m in prg.members.all()]
    attendance_save(meeting=meeting, user=vru_clerk, rows=rows, version=meeting.version)
    health = prg.members.get(quorum_role=QuorumRole.HEALTH)
    data = {n: getattr(health, n) for n in ("name", "title", "organisation", "office", "sector", "quorum_role")}
    member_update(
        member=health, user=vru_clerk, data={**data, "term_start": None, "term_end": dt.date(2026, 1, 31), "email": ""}
    )
    meeting.refresh_from_db()
    result = meeting_quorum(meeting=meeting)
    assert result.present <= result.members and "health" in result.missing_roles


@pytest.mark.xfail(
    strict=True,
    reason="FAULT (publication rule, arguable by design): vrhub/governance/selectors/public.py:280 "
    "public_actions_report takes every earlier meeting's actions (selectors/actions.py:182) with no check that "
    "the meeting's agenda/minutes were ever published or approved: text of unpublished minutes goes public",
)
def test_actions_from_a_meeting_never_published_stay_off_the_public_report(client, havering_board):
    """A private (never published) meeting agrees an action; the next meeting's agenda is published. The
    public actions arising report must not carry text from the unpublished meeting's minutes."""
    today = timezone.localdate()
    private = f.meeting_with_items(group=havering_board, date=today - dt.timedelta(days=40))
    f.ActionFactory(meeting=private, item=private.items.get(number=1), text="PRIVATE-MEETING-ACTION")
    public = f.meeting_with_items(group=havering_board, date=today - dt.timedelta(days=3))
    Meeting.objects.filter(pk=public.pk).update(agenda_published_on=today - dt.timedelta(days=10))
    status, body = _body(client, _url("governance_actions", public))
    assert status == 200
    assert "PRIVATE-MEETING-ACTION" not in body
