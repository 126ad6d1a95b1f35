"""Recording who took part in a meeting (part C): one save for the whole attendance sheet.

The sheet names every member in office on the meeting's date (``members_in_office``). Each row says how the
member took part (or nothing, when not recorded yet), the substitute's name when a substitute came in their
place, and the agenda item after which they dropped out (``left_after_item``: the quorum check for later items
does not count them). The save is one transaction that locks the meeting, refuses a sheet loaded at an older
version of the meeting, writes every changed row with an audit entry, and bumps the meeting's version.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from vrhub.core.audit import audit_changes, audit_created, audit_deleted, diff_fields
from vrhub.core.words import date_words
from vrhub.governance.catalogue import ATTENDING, Attendance
from vrhub.governance.models import MEMBERS_MAX, AttendanceRecord, Meeting
from vrhub.governance.selectors.attendance import field_name, items_words
from vrhub.governance.selectors.membership import members_in_office

SUBSTITUTE_NAME_MAX = AttendanceRecord._meta.get_field("substitute_name").max_length or 150
STALE = (
    "Someone changed this meeting's attendance after you opened it. Look at the attendance as it is now and "
    "make your changes again."
)


@dataclass(frozen=True)
class Entry:
    """One member's row of the sheet. ``attendance`` "" means not recorded (an existing record is removed)."""

    member: int
    attendance: str
    substitute_name: str = ""
    left_after_item: int | None = None


@dataclass(frozen=True)
class SaveResult:
    recorded: int  # rows made or changed
    removed: int  # records removed (a row set back to "not recorded")
    unchanged: int  # rows of the sheet that were already as given
    version: int  # the meeting's version after the save


def _check_rows(*, meeting: Meeting, rows: Sequence[Entry], members: dict, items: list[int]) -> dict[str, str]:
    errors: dict[str, str] = {}
    if len(rows) > MEMBERS_MAX:
        return {"__all__": f"The sheet has {len(rows):,} rows; the limit is {MEMBERS_MAX:,} (a group's members)."}
    seen: set[int] = set()
    for row in rows:
        member = members.get(row.member)
        if member is None:
            errors.setdefault(
                "__all__",
                f"A row names someone who is not a member of {meeting.group.name} in office on "
                f"{date_words(meeting.date)}.",
            )
            continue
        if row.member in seen:
            errors[field_name("attendance", row.member)] = f"{member.name} is on the sheet twice."
            continue
        seen.add(row.member)
        if row.attendance and row.attendance not in Attendance.values:
            errors[field_name("attendance", row.member)] = f"Choose how {member.name} took part from the list."
            continue
        name = row.substitute_name or ""
        if row.attendance == Attendance.SUBSTITUTE and not name.strip():
            errors[field_name("substitute", row.member)] = f"Enter the name of the substitute for {member.name}."
        elif row.attendance != Attendance.SUBSTITUTE and name.strip():
            errors[field_name("substitute", row.member)] = (
                f"A substitute's name is only for a member represented by a substitute: choose "
                f"“{Attendance.SUBSTITUTE.label}” for {member.name}, or clear the name."
            )
        elif len(name.strip()) > SUBSTITUTE_NAME_MAX:
            errors[field_name("substitute", row.member)] = (
                f"The substitute's name for {member.name} has {len(name.strip()):,} characters; the limit is "
                f"{SUBSTITUTE_NAME_MAX}."
            )
        if row.left_after_item is not None:
            if row.attendance not in ATTENDING:
                errors[field_name("left", row.member)] = (
                    f"{member.name} did not take part, so cannot have left after an item: clear “left after item”."
                )
            elif row.left_after_item not in items:
                errors[field_name("left", row.member)] = (
                    f"{member.name} left after item {row.left_after_item}, which is not an item of this meeting "
                    f"({items_words(items)})."
                )
    return errors


@transaction.atomic
def attendance_save(*, meeting: Meeting, user, rows: Sequence[Entry], version: int) -> SaveResult:
    """Record the attendance sheet of ``meeting`` (members not in ``rows`` are left as they are).

    Refused (``ValidationError`` naming each field, nothing saved) if the meeting changed since ``version``, a
    row names no member in office on the meeting's date, or a value is not allowed."""
    locked = Meeting.objects.select_for_update().select_related("group").get(pk=meeting.pk)
    if locked.version != version:
        raise ValidationError({"version": STALE})
    members = {m.pk: m for m in members_in_office(group=locked.group, on=locked.date)}
    items = sorted(locked.items.values_list("number", flat=True))
    errors = _check_rows(meeting=locked, rows=rows, members=members, items=items)
    if errors:
        raise ValidationError(errors)
    existing = {r.member_id: r for r in locked.attendance.select_for_update().select_related("member")}
    recorded = removed = unchanged = 0
    for row in rows:
        record = existing.get(row.member)
        if not row.attendance:
            if record is None:
                unchanged += 1
                continue
            audit_deleted(actor=user, obj=record)
            record.delete()
            removed += 1
            continue
        data = {
            "attendance": row.attendance,
            "substitute_name": (row.substitute_name or "").strip(),
            "left_after_item": row.left_after_item,
        }
        if record is None:
            record = AttendanceRecord(meeting=locked, member=members[row.member], **data)
            record.full_clean()
            record.save()
            audit_created(actor=user, obj=record, fields=["member", *data])
            recorded += 1
            continue
        changes = diff_fields(record, data)
        if not changes:
            unchanged += 1
            continue
        for key, value in data.items():
            setattr(record, key, value)
        record.full_clean()
        record.save(update_fields=list(changes))
        audit_changes(actor=user, obj=record, changes=changes)
        recorded += 1
    if recorded or removed:
        old = locked.version
        locked.version = old + 1
        locked.save(update_fields=["version"])
        audit_changes(actor=user, obj=locked, changes={"version": (old, locked.version)})
    meeting.version = locked.version
    return SaveResult(recorded=recorded, removed=removed, unchanged=unchanged, version=locked.version)
