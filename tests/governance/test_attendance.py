"""Recording a meeting's attendance (services.attendance, the attendance page): one locked, versioned,
audited save; every refusal names the member and field, and saves nothing."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.governance import factories as f
from tests.governance.attendance_world import prg_meeting
from vrhub.core.models import AuditEntry
from vrhub.governance.catalogue import Attendance
from vrhub.governance.models import AttendanceRecord
from vrhub.governance.services.attendance import Entry, attendance_save

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(prg):
    return prg_meeting(prg)


def _member(meeting, name):
    return meeting.group.members.get(name=name)


def _records(meeting) -> dict[str, tuple]:
    return {
        r.member.name: (r.attendance, r.substitute_name, r.left_after_item)
        for r in AttendanceRecord.objects.filter(meeting=meeting).select_related("member")
    }


def test_save_creates_changes_and_removes_records_each_audited_and_bumps_the_version(meeting, vru_clerk):
    chair, police, health = (_member(meeting, n) for n in ("Chair Person", "Police Person", "Health Person"))
    f.AttendanceFactory(meeting=meeting, member=police, attendance=Attendance.PRESENT)
    f.AttendanceFactory(meeting=meeting, member=health, attendance=Attendance.APOLOGIES)
    result = attendance_save(
        meeting=meeting,
        user=vru_clerk,
        rows=[
            Entry(member=chair.pk, attendance=Attendance.REMOTE, left_after_item=3),
            Entry(member=police.pk, attendance=Attendance.SUBSTITUTE, substitute_name="  Cdr Deputy "),
            Entry(member=health.pk, attendance=""),
        ],
        version=1,
    )
    assert (result.recorded, result.removed, result.unchanged, result.version) == (2, 1, 0, 2)
    assert _records(meeting) == {
        "Chair Person": ("remote", "", 3),
        "Police Person": ("substitute", "Cdr Deputy", None),
    }
    meeting.refresh_from_db()
    assert meeting.version == 2
    entries = AuditEntry.objects.filter(actor=vru_clerk)
    police_record = AttendanceRecord.objects.get(member=police)
    assert set(
        entries.filter(object_type="governance.attendancerecord", object_id=str(police_record.pk)).values_list(
            "field", "old", "new"
        )
    ) == {("attendance", "present", "substitute"), ("substitute_name", "", "Cdr Deputy")}
    assert entries.filter(object_type="governance.attendancerecord", action=AuditEntry.Action.DELETE).count() == 1
    assert entries.filter(object_type="governance.meeting", field="version", old="1", new="2").count() == 1


def test_saving_the_same_sheet_again_changes_nothing_and_keeps_the_version(meeting, vru_clerk):
    chair = _member(meeting, "Chair Person")
    rows = [Entry(member=chair.pk, attendance=Attendance.PRESENT)]
    attendance_save(meeting=meeting, user=vru_clerk, rows=rows, version=1)
    before = AuditEntry.objects.count()
    result = attendance_save(meeting=meeting, user=vru_clerk, rows=rows, version=2)
    assert (result.recorded, result.unchanged, result.version) == (0, 1, 2)
    assert AuditEntry.objects.count() == before


def test_a_stale_sheet_is_refused_and_nothing_saved(meeting, vru_clerk):
    chair = _member(meeting, "Chair Person")
    attendance_save(meeting=meeting, user=vru_clerk, rows=[Entry(member=chair.pk, attendance="present")], version=1)
    with pytest.raises(ValidationError) as caught:
        attendance_save(meeting=meeting, user=vru_clerk, rows=[Entry(member=chair.pk, attendance="absent")], version=1)
    assert "changed this meeting's attendance" in caught.value.message_dict["version"][0]
    assert _records(meeting) == {"Chair Person": ("present", "", None)}


@pytest.mark.parametrize(
    "entry, field, words",
    [
        (lambda m: Entry(member=m.pk, attendance="late"), "attendance", "Choose how Chair Person took part"),
        (lambda m: Entry(member=m.pk, attendance="substitute"), "substitute", "Enter the name of the substitute"),
        (
            lambda m: Entry(member=m.pk, attendance="present", substitute_name="Someone"),
            "substitute",
            "only for a member represented by a substitute",
        ),
        (
            lambda m: Entry(member=m.pk, attendance="substitute", substitute_name="x" * 151),
            "substitute",
            "151 characters; the limit is 150",
        ),
        (
            lambda m: Entry(member=m.pk, attendance="remote", left_after_item=7),
            "left",
            "left after item 7, which is not an item of this meeting (its items are 1 to 6)",
        ),
        (
            lambda m: Entry(member=m.pk, attendance="apologies", left_after_item=2),
            "left",
            "did not take part, so cannot have left",
        ),
    ],
)
def test_bad_rows_are_refused_naming_the_member_and_field_and_nothing_is_saved(meeting, vru_clerk, entry, field, words):
    chair, police = _member(meeting, "Chair Person"), _member(meeting, "Police Person")
    rows = [Entry(member=police.pk, attendance="present"), entry(chair)]
    with pytest.raises(ValidationError) as caught:
        attendance_save(meeting=meeting, user=vru_clerk, rows=rows, version=1)
    assert words in caught.value.message_dict[f"{field}_{chair.pk}"][0]
    assert _records(meeting) == {}
    meeting.refresh_from_db()
    assert meeting.version == 1


def test_someone_not_in_office_or_of_another_group_is_refused(meeting, vru_clerk, havering_board):
    former = _member(meeting, "Former Member")
    stranger = f.MemberFactory(group=havering_board)
    for member in (former, stranger):
        with pytest.raises(ValidationError) as caught:
            attendance_save(
                meeting=meeting, user=vru_clerk, rows=[Entry(member=member.pk, attendance="present")], version=1
            )
        assert "not a member of Partnership Reference Group in office on 6 March 2019" in caught.value.messages[0]
    assert _records(meeting) == {}


def test_a_member_twice_is_refused(meeting, vru_clerk):
    chair = _member(meeting, "Chair Person")
    rows = [Entry(member=chair.pk, attendance="present"), Entry(member=chair.pk, attendance="absent")]
    with pytest.raises(ValidationError, match="Chair Person is on the sheet twice"):
        attendance_save(meeting=meeting, user=vru_clerk, rows=rows, version=1)


# The page ----------------------------------------------------------------------------------------------


def _url(meeting, name="attendance"):
    return reverse(f"governance:{name}", args=[meeting.group.slug, meeting.pk])


def test_the_page_lists_members_in_office_and_offers_registered_substitutes(client, meeting, vru_clerk):
    from vrhub.governance.models import Substitute

    Substitute.objects.create(member=_member(meeting, "Police Person"), name="Commander Stand-In")
    client.force_login(vru_clerk)
    html = client.get(_url(meeting)).content.decode()
    assert "Chair Person" in html and "Member Gamma" in html
    assert "Former Member" not in html  # term ended before the meeting
    assert 'value="Commander Stand-In"' in html and "Registered: Commander Stand-In" in html
    assert "After item 6" in html and "After item 7" not in html
    # labels, never codes: each kind of attendance is offered by its label, no code is shown as text
    for code, label in Attendance.choices:
        assert label in html
        assert f">{code}<" not in html
    assert "Save the attendance" in html  # the clerk has the form (a looker has not: below)


def test_the_form_saves_every_row_in_one_go_and_goes_to_the_quorum(client, meeting, vru_clerk):
    client.force_login(vru_clerk)
    chair, community = _member(meeting, "Chair Person"), _member(meeting, "Community Person")
    response = client.post(
        _url(meeting),
        {
            "version": 1,
            f"attendance_{chair.pk}": "present",
            f"attendance_{community.pk}": "remote",
            f"left_{community.pk}": "2",
        },
    )
    assert response.status_code == 302 and response["Location"] == _url(meeting, "quorum")
    assert _records(meeting) == {"Chair Person": ("present", "", None), "Community Person": ("remote", "", 2)}


def test_the_form_shows_the_services_error_on_the_field(client, meeting, vru_clerk):
    client.force_login(vru_clerk)
    chair = _member(meeting, "Chair Person")
    response = client.post(_url(meeting), {"version": 1, f"attendance_{chair.pk}": "substitute"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter the name of the substitute for Chair Person." in html
    assert f'href="#id_substitute_{chair.pk}"' in html  # the error summary links to the field
    assert _records(meeting) == {}


def test_a_looker_sees_the_attendance_but_no_form(client, meeting, mopac_officer):
    f.AttendanceFactory(
        meeting=meeting, member=_member(meeting, "Community Person"), attendance="remote", left_after_item=2
    )
    client.force_login(mopac_officer)
    html = client.get(_url(meeting)).content.decode()
    assert "Remote (telephone or video), left after item 2" in html
    assert "Save the attendance" not in html
    assert client.post(_url(meeting), {"version": 1}).status_code == 403


def test_a_save_that_fails_part_way_records_nothing(meeting, vru_clerk, monkeypatch):
    """The sheet is saved whole or not at all: the first record is written before the second fails."""
    from vrhub.governance.services import attendance as service

    real, calls = service.audit_created, []

    def fail_on_the_second(**kwargs):
        calls.append(kwargs["obj"].member.name)
        if len(calls) == 2:
            raise RuntimeError("the disk is full")
        return real(**kwargs)

    monkeypatch.setattr(service, "audit_created", fail_on_the_second)
    chair, police = _member(meeting, "Chair Person"), _member(meeting, "Police Person")
    audits = AuditEntry.objects.count()
    with pytest.raises(RuntimeError):
        attendance_save(
            meeting=meeting,
            user=vru_clerk,
            rows=[Entry(member=chair.pk, attendance="present"), Entry(member=police.pk, attendance="present")],
            version=1,
        )
    assert calls == ["Chair Person", "Police Person"]
    assert _records(meeting) == {}
    meeting.refresh_from_db()
    assert meeting.version == 1 and AuditEntry.objects.count() == audits
