"""A meeting's attendance sheet and its quorum report, for the attendance and quorum pages (part C).

The quorum itself is ``governance.quorum`` (the rule) and ``selectors.quorum`` (applied to a meeting): this
module only arranges their results for people.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Case, IntegerField, QuerySet, Value, When

from vrhub.governance import quorum
from vrhub.governance.catalogue import ATTENDING, Office, RequiredRole
from vrhub.governance.models import AttendanceRecord, Meeting, Member
from vrhub.governance.selectors.membership import members_in_office
from vrhub.governance.selectors.quorum import meeting_quorum, meeting_quorum_by_item


def field_name(kind: str, member: int) -> str:
    """The attendance sheet's field for one member's value: ``attendance_12``, ``substitute_12``, ``left_12``."""
    return f"{kind}_{member}"


def items_words(numbers: Sequence[int]) -> str:
    """The item numbers of a meeting, for messages: "its items are 1 to 8"."""
    numbers = list(numbers)
    if not numbers:
        return "the meeting has no agenda items"
    if len(numbers) > 1 and numbers == list(range(numbers[0], numbers[-1] + 1)):
        return f"its items are {numbers[0]} to {numbers[-1]}"
    if len(numbers) == 1:
        return f"its only item is {numbers[0]}"
    return f"its items are {', '.join(str(n) for n in numbers)}"


def in_office_order(members: QuerySet[Member]) -> QuerySet[Member]:
    """Members as the membership list reads: the Chair, the Deputy Chair, members, advisers; then by name."""
    rank = Case(
        *(When(office=code, then=Value(n)) for n, code in enumerate(Office.values)),
        default=Value(len(Office.values)),
        output_field=IntegerField(),
    )
    return members.annotate(office_rank=rank).order_by("office_rank", "name")


def and_list(words: Sequence[str]) -> str:
    """ "a, b and c"."""
    words = list(words)
    if len(words) < 2:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"


def role_labels(codes: Sequence[str]) -> list[str]:
    """Required roles' codes as people say them ("a health representative")."""
    return [RequiredRole(code).label if code in RequiredRole.values else code for code in codes]


@dataclass(frozen=True)
class SheetRow:
    member: Member
    record: AttendanceRecord | None
    substitutes: list[str]


def attendance_sheet(*, meeting: Meeting) -> list[SheetRow]:
    """Every member in office on the meeting's date, with their attendance record (None if not recorded) and
    the names of their registered substitutes, in the order of the membership list."""
    members = members_in_office(group=meeting.group, on=meeting.date).prefetch_related("substitutes")
    records = {r.member_id: r for r in meeting.attendance.all()}
    return [
        SheetRow(member=m, record=records.get(m.pk), substitutes=[s.name for s in m.substitutes.all()])
        for m in in_office_order(members)
    ]


@dataclass(frozen=True)
class Check:
    """One line of the quorum table: the opening (``number`` None) or an agenda item."""

    number: int | None
    title: str
    result: quorum.Result
    missing: list[str]  # required roles missing, in words


@dataclass(frozen=True)
class QuorumReport:
    rule_words: str  # "half of 6 members, rounded up to the next whole number"
    required: list[str]  # the required roles, in words
    remote_counts: bool
    members: int
    recorded: int  # attendance records of the meeting
    attending: int  # of which someone took part (present, remote or a substitute)
    opening: Check
    items: list[Check]

    @property
    def required_words(self) -> str:
        return and_list(self.required)

    @property
    def inquorate_items(self) -> list[int]:
        return [c.number for c in self.items if c.number is not None and not c.result.quorate]


def quorum_report(*, meeting: Meeting) -> QuorumReport:
    """The quorum check at the meeting's opening and for each agenda item, with the group's rule in words."""
    opening = meeting_quorum(meeting=meeting)
    rule = quorum.Rule.of(meeting.group)
    records = list(meeting.attendance.values_list("attendance", flat=True))
    return QuorumReport(
        rule_words=rule.words(opening.members),
        required=role_labels(rule.required_roles),
        remote_counts=rule.remote_counts,
        members=opening.members,
        recorded=len(records),
        attending=sum(1 for a in records if a in ATTENDING),
        opening=Check(
            number=None, title="Opening of the meeting", result=opening, missing=role_labels(opening.missing_roles)
        ),
        items=[
            Check(number=number, title=title, result=result, missing=role_labels(result.missing_roles))
            for number, title, result in meeting_quorum_by_item(meeting=meeting)
        ],
    )
