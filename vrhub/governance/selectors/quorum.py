"""A meeting's quorum, from its attendance and the group's rule (``governance.quorum`` is the rule itself)."""

from vrhub.core.exceptions import NotFound
from vrhub.governance import quorum
from vrhub.governance.models import Meeting
from vrhub.governance.selectors.membership import members_in_office


def meeting_quorum(*, meeting: Meeting, item: int | None = None) -> quorum.Result:
    """The quorum check for ``meeting`` at its opening, or for agenda item number ``item`` (NotFound if the
    meeting has no such item). Members are those in office on the meeting's date."""
    if item is not None and not meeting.items.filter(number=item).exists():
        raise NotFound(f"The meeting has no agenda item {item}")
    in_office = members_in_office(group=meeting.group, on=meeting.date)
    members = in_office.count()
    attendees = _attendees(meeting, in_office)
    return quorum.check(rule=quorum.Rule.of(meeting.group), members=members, attendees=attendees, item=item)


def meeting_quorum_by_item(*, meeting: Meeting) -> list[tuple[int, str, quorum.Result]]:
    """The quorum check for every agenda item: (number, title, result), in agenda order."""
    in_office = members_in_office(group=meeting.group, on=meeting.date)
    members = in_office.count()
    attendees = _attendees(meeting, in_office)
    rule = quorum.Rule.of(meeting.group)
    return [
        (it.number, it.title, quorum.check(rule=rule, members=members, attendees=attendees, item=it.number))
        for it in meeting.items.order_by("number")
    ]


def _attendance_in_office(meeting: Meeting, in_office):
    """Attendance of members in office on the meeting's date: someone whose term had ended (or not begun) is
    neither counted among the members nor among those present, and fills no role."""
    return meeting.attendance.filter(member__in=in_office).select_related("member").order_by("member__name")


def _attendees(meeting: Meeting, in_office) -> list[quorum.Attendee]:
    """The meeting's attendance of members in office, as the rule reads it."""
    return [
        quorum.Attendee(
            name=record.member.name,
            attendance=record.attendance,
            quorum_role=record.member.quorum_role,
            left_after_item=record.left_after_item,
            substitute_name=record.substitute_name,
        )
        for record in _attendance_in_office(meeting, in_office)
    ]
