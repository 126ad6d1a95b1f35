"""Writes of actions arising: add, change, remove an action, and report an update on it (part D).

Each write is one transaction that locks the meeting the action arose from (``select_for_update``) and then the
action; a change or an update made from a form loaded at an older ``version`` of the action is refused
(someone else changed it meanwhile), and every write bumps the action's version. Every create, change and
delete is audited (``vrhub.core.audit``). ``user`` is the person acting (``None``: the system, e.g. demo
seeding); a person must be able to change the group's records (``access.user_can_edit_group``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from vrhub.core.audit import audit_changes, audit_created, audit_deleted_with_cascade, diff_fields
from vrhub.core.limits import text_length, text_length_message
from vrhub.core.words import count_noun, date_words
from vrhub.governance.catalogue import ActionStatus
from vrhub.governance.models import Action, ActionUpdate, AgendaItem, Meeting
from vrhub.governance.selectors import access

ACTIONS_PER_MEETING_MAX = 200
UPDATES_PER_ACTION_MAX = 100
EARLIEST = dt.date(2000, 1, 1)
# A deadline at most this long after the meeting (a typing error such as 2091 for 2019 is refused).
DEADLINE_YEARS_MAX = 10

LABELS = {
    "item": "Agenda item",
    "text": "Action",
    "owner": "Owner",
    "deadline": "Deadline",
    "status": "Status",
    "update": "Update",
    "written_on": "Date of the update",
    "completed_on": "Date completed",
    "reported_at": "Meeting reported to",
}
REQUIRED = {
    "text": "Enter the action",
    "owner": "Enter who owns the action: a name, an office, or Clerk",
    "update": "Enter the update",
}
LIMITS = {"text": 2000, "owner": 300, "update": 2000}
ACTION_FIELDS = ("item", "text", "owner", "deadline")
STALE = (
    "Someone else changed this action while you were editing it. Your changes have not been saved: "
    "look at the action as it is now and make them again."
)


def _today() -> dt.date:
    return timezone.localdate()


def _normalised(value: Any) -> Any:
    return value.replace("\r\n", "\n").strip() if isinstance(value, str) else value


def _require_editor(*, user, meeting: Meeting) -> None:
    """Defence in depth behind the pages' fetch-and-authorise helpers (``None``: the system)."""
    if user is not None and not access.user_can_edit_group(user=user, group=meeting.group):
        raise PermissionDenied("You can look at this group's records but not change them.")


def _lock_meeting(meeting_id: int) -> Meeting:
    return Meeting.objects.select_for_update().select_related("group").get(pk=meeting_id)


def _lock_action(action: Action, *, user, version: int | None) -> tuple[Meeting, Action]:
    meeting = _lock_meeting(action.meeting_id)
    _require_editor(user=user, meeting=meeting)
    try:
        locked = Action.objects.select_for_update().get(pk=action.pk)
    except Action.DoesNotExist as exc:
        raise ValidationError("This action has been removed by someone else.") from exc
    if version is not None and version != locked.version:
        raise ValidationError({"version": STALE})
    locked.meeting = meeting
    return meeting, locked


def _text(data: Mapping[str, Any], name: str, errors: dict[str, str]) -> str:
    value = _normalised(data.get(name))
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors[name] = f"{LABELS[name]} must be text"
        return ""
    if text_length(value) > LIMITS[name]:
        errors[name] = text_length_message(label=LABELS[name], limit=LIMITS[name], length=text_length(value))
    elif not value:
        errors[name] = REQUIRED[name]
    return value


def _date(data: Mapping[str, Any], name: str, errors: dict[str, str]) -> dt.date | None:
    value = data.get(name)
    if value in (None, ""):
        return None
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        errors[name] = f"{LABELS[name]} must be a real date"
        return None
    if value < EARLIEST:
        errors[name] = f"{LABELS[name]} must be on or after {date_words(EARLIEST)}, not {date_words(value)}"
        return None
    return value


def _item(data: Mapping[str, Any], meeting: Meeting, errors: dict[str, str]) -> AgendaItem | None:
    item = data.get("item")
    if item in (None, ""):
        return None
    if not isinstance(item, AgendaItem) or item.meeting_id != meeting.pk:
        errors["item"] = f"Choose an agenda item of the meeting of {date_words(meeting.date)}, or none"
        return None
    return item


def _action_values(data: Mapping[str, Any], *, meeting: Meeting) -> dict[str, Any]:
    errors: dict[str, str] = {}
    deadline = _date(data, "deadline", errors)
    values: dict[str, Any] = {
        "item": _item(data, meeting, errors),
        "text": _text(data, "text", errors),
        "owner": _text(data, "owner", errors),
        "deadline": deadline,
    }
    if deadline is not None and "deadline" not in errors:
        latest = meeting.date.replace(year=meeting.date.year + DEADLINE_YEARS_MAX)
        if deadline < meeting.date:
            errors["deadline"] = (
                f"Deadline must be on or after the meeting the action arose from ({date_words(meeting.date)}), "
                f"not {date_words(deadline)}"
            )
        elif deadline > latest:
            errors["deadline"] = (
                f"Deadline must be within {DEADLINE_YEARS_MAX} years of the meeting (by {date_words(latest)}), "
                f"not {date_words(deadline)}"
            )
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def action_add(*, meeting: Meeting, user, data: Mapping[str, Any]) -> Action:
    """Record an action arising from ``meeting``: ``data`` has ``item`` (an AgendaItem of the meeting, or
    None), ``text``, ``owner`` and ``deadline`` (a date, or None for an ongoing action with no deadline)."""
    meeting = _lock_meeting(meeting.pk)
    _require_editor(user=user, meeting=meeting)
    values = _action_values(data, meeting=meeting)
    already = meeting.actions.count()
    if already >= ACTIONS_PER_MEETING_MAX:
        raise ValidationError(
            f"The meeting of {date_words(meeting.date)} already has {count_noun(already, 'action')}, the most one "
            f"meeting may have ({ACTIONS_PER_MEETING_MAX})."
        )
    action = Action(meeting=meeting, status=ActionStatus.ONGOING, **values)
    action.full_clean()
    action.save()
    audit_created(actor=user, obj=action, fields=("meeting", *ACTION_FIELDS, "status"))
    return action


@transaction.atomic
def action_update(*, action: Action, user, data: Mapping[str, Any], version: int | None) -> Action:
    """Change an action's item, text, owner and deadline (its status changes by ``action_report_update``).
    Refused if the action is no longer at ``version`` (None: no check, for the system)."""
    meeting, locked = _lock_action(action, user=user, version=version)
    values = _action_values(data, meeting=meeting)
    changes = diff_fields(locked, values)
    if not changes:
        return locked
    for name, value in values.items():
        setattr(locked, name, value)
    locked.version += 1
    locked.full_clean()
    locked.save(update_fields=[*changes, "version"])
    audit_changes(actor=user, obj=locked, changes=changes, object_version=locked.version)
    return locked


@transaction.atomic
def action_remove(*, action: Action, user, version: int | None) -> None:
    """Remove an action (recorded in error) with its updates; audited, each row with its own entry."""
    _meeting, locked = _lock_action(action, user=user, version=version)
    audit_deleted_with_cascade(actor=user, objects=[locked])
    locked.delete()


@transaction.atomic
def action_report_update(*, action: Action, user, data: Mapping[str, Any], version: int | None) -> ActionUpdate:
    """Report an update on an action: ``data`` has ``update`` (the text), ``status`` (ongoing or complete),
    ``written_on`` (default today), ``completed_on`` (for a complete action; default ``written_on``) and
    ``reported_at`` (a later meeting of the group the update is reported to, or None).

    Adds an ActionUpdate and sets the action's ``latest_update``, ``status`` and ``completed_on`` (an action
    set back to ongoing loses its completion date). Refused if the action is no longer at ``version``."""
    meeting, locked = _lock_action(action, user=user, version=version)
    errors: dict[str, str] = {}
    text = _text(data, "update", errors)
    status = data.get("status")
    if status not in ActionStatus.values:
        errors["status"] = "Choose whether the action is ongoing or complete"
    today = _today()
    written_on = _date(data, "written_on", errors) or (None if "written_on" in errors else today)
    completed_on = _date(data, "completed_on", errors)
    for name, day in (("written_on", written_on), ("completed_on", completed_on)):
        if day is None or name in errors:
            continue
        if day < meeting.date:
            errors[name] = (
                f"{LABELS[name]} must be on or after the meeting the action arose from "
                f"({date_words(meeting.date)}), not {date_words(day)}"
            )
        elif day > today:
            errors[name] = f"{LABELS[name]} must be today or in the past, not {date_words(day)}"
    if status == ActionStatus.COMPLETE and completed_on is None and "completed_on" not in errors:
        completed_on = written_on
    if status == ActionStatus.ONGOING:
        completed_on = None
    reported_at = data.get("reported_at")
    if reported_at in (None, ""):
        reported_at = None
    elif (
        not isinstance(reported_at, Meeting)
        or reported_at.group_id != meeting.group_id
        or reported_at.date <= meeting.date
    ):
        errors["reported_at"] = f"Choose a meeting of {meeting.group.name} after {date_words(meeting.date)}, or none"
    count = locked.updates.count()
    if count >= UPDATES_PER_ACTION_MAX:
        errors["update"] = (
            f"This action already has {count_noun(count, 'update')}, the most one action may have "
            f"({UPDATES_PER_ACTION_MAX})."
        )
    if errors or written_on is None:
        raise ValidationError(errors)
    update = ActionUpdate(
        action=locked,
        meeting=reported_at,
        text=text,
        status=str(status),
        written_on=written_on,
        author=user if getattr(user, "pk", None) else None,
    )
    update.full_clean()
    update.save()
    audit_created(actor=user, obj=update, fields=("action", "meeting", "text", "status", "written_on"))
    values = {"latest_update": text, "status": status, "completed_on": completed_on}
    changes = diff_fields(locked, values)
    if changes:  # the same words and status again change nothing on the action (the update is still kept)
        for name, value in values.items():
            setattr(locked, name, value)
        locked.version += 1
        locked.full_clean()
        locked.save(update_fields=[*changes, "version"])
        audit_changes(actor=user, obj=locked, changes=changes, object_version=locked.version)
    return update
