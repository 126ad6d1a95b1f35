"""Actions arising: the one rule for which actions a meeting's "Actions Arising from Previous Meetings" report
carries, and the group's open actions.

The report for a meeting M of a group lists every action from the group's meetings before M that

* was still ongoing on M's date (not complete, or completed after M's date), or
* was completed since the previous meeting (after the date of the group's last meeting before M, up to M's
  date), so that each completion is reported once, at the first meeting after it.

Open actions therefore carry forward to every later meeting's report until they are complete. Sections are
grouped by the meeting the actions arose from, newest first; rows in agenda order. Each row's status and update
are as at M's date: the latest update written on or before it (an action with no recorded update shows its
``latest_update``). An action is **overdue** when it was ongoing on M's date with a deadline before M's date
(for the group's open actions: ongoing now with a deadline before today). Every figure is words for people:
"31 March 2019" or "Ongoing" for the deadline, "Complete: The letter has been sent." for status and update.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q

from vrhub.core.exceptions import NotFound
from vrhub.core.words import date_words
from vrhub.governance.catalogue import ActionStatus
from vrhub.governance.models import Action, Group, Meeting

REPORT_TITLE = "Actions Arising from Previous Meetings"
OPEN_TITLE = "Open Actions Arising"
NO_ITEM = "No agenda item"
NO_DEADLINE = "Ongoing"


@dataclass(frozen=True)
class ActionRow:
    id: int
    item: str  # "3. Actions Arising", or NO_ITEM
    action: str
    deadline: dt.date | None
    deadline_words: str  # "31 March 2019" or "Ongoing"
    status: str  # ActionStatus code, as at the report's date
    status_label: str
    update: str
    status_and_update: str  # "Complete: The letter has been sent."
    owner: str
    overdue: bool
    overdue_words: str  # "Overdue: the deadline was 31 March 2019", or ""

    def as_json(self) -> dict:
        return {
            "id": self.id,
            "item": self.item,
            "action": self.action,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "status": self.status,
            "update": self.update,
            "owner": self.owner,
            "overdue": self.overdue,
        }


@dataclass(frozen=True)
class Section:
    meeting: Meeting  # the meeting the actions arose from
    heading: str  # "Actions Arising from the Meeting of 6 March 2019"
    rows: list[ActionRow]


@dataclass(frozen=True)
class Report:
    group: Group
    meeting: Meeting | None  # the meeting the report is for; None for the group's open actions
    as_at: dt.date
    title: str
    sections: list[Section] = field(default_factory=list)

    @property
    def rows(self) -> list[ActionRow]:
        return [row for section in self.sections for row in section.rows]

    @property
    def overdue(self) -> int:
        return sum(row.overdue for row in self.rows)

    @property
    def synthetic(self) -> bool:
        return self.group.synthetic

    @property
    def file_stem(self) -> str:
        when = self.meeting.date.isoformat() if self.meeting else f"open-{self.as_at.isoformat()}"
        return f"{self.group.slug}-actions-arising-{when}"

    def as_json(self) -> dict:
        """The ``actions_arising --json`` contract (see the command's help)."""
        return {
            "group": self.group.slug,
            "synthetic": self.group.synthetic,
            "meeting": _meeting_json(self.meeting),
            "as_at": self.as_at.isoformat(),
            "title": self.title,
            "sections": [
                {"meeting": _meeting_json(s.meeting), "actions": [r.as_json() for r in s.rows]} for s in self.sections
            ],
        }


def _meeting_json(meeting: Meeting | None) -> dict | None:
    return None if meeting is None else {"id": meeting.pk, "date": meeting.date.isoformat()}


def section_heading(meeting: Meeting) -> str:
    return f"Actions Arising from the Meeting of {date_words(meeting.date)}"


def _status_at(action: Action, day: dt.date) -> str:
    if action.completed_on is not None and action.completed_on <= day:
        return ActionStatus.COMPLETE
    return ActionStatus.ONGOING


def _update_at(action: Action, day: dt.date) -> str:
    updates = list(action.updates.all())  # prefetched, in written order
    if not updates:
        return action.latest_update
    known = [u for u in updates if u.written_on <= day]
    return known[-1].text if known else ""


def _row(action: Action, *, day: dt.date, overdue_before: dt.date) -> ActionRow:
    status = _status_at(action, day)
    label = ActionStatus(status).label
    update = _update_at(action, day)
    overdue = status == ActionStatus.ONGOING and action.deadline is not None and action.deadline < overdue_before
    return ActionRow(
        id=action.pk,
        item=f"{action.item.number}. {action.item.title}" if action.item else NO_ITEM,
        action=action.text,
        deadline=action.deadline,
        deadline_words=date_words(action.deadline) if action.deadline else NO_DEADLINE,
        status=status,
        status_label=label,
        update=update,
        status_and_update=f"{label}: {update}" if update else label,
        owner=action.owner,
        overdue=overdue,
        overdue_words=f"Overdue: the deadline was {date_words(action.deadline)}" if overdue else "",
    )


def _sections(actions, *, day: dt.date, overdue_before: dt.date) -> list[Section]:
    sections: list[Section] = []
    for action in actions:
        if not sections or sections[-1].meeting.pk != action.meeting_id:
            sections.append(Section(meeting=action.meeting, heading=section_heading(action.meeting), rows=[]))
        sections[-1].rows.append(_row(action, day=day, overdue_before=overdue_before))
    return sections


def _ordered(queryset):
    return (
        queryset.select_related("meeting", "item")
        .prefetch_related("updates")
        .order_by("-meeting__date", "item__number", "pk")
    )


def previous_meeting(*, meeting: Meeting) -> Meeting | None:
    return Meeting.objects.filter(group_id=meeting.group_id, date__lt=meeting.date).order_by("-date").first()


def actions_arising(*, group: Group, meeting: Meeting) -> Report:
    """The "Actions Arising from Previous Meetings" report for ``meeting`` (see the module's rule)."""
    if meeting.group_id != group.pk:
        raise NotFound("No such meeting")
    previous = previous_meeting(meeting=meeting)
    if previous is None:
        return Report(group=group, meeting=meeting, as_at=meeting.date, title=REPORT_TITLE)
    day = meeting.date
    carried = Action.objects.filter(meeting__group=group, meeting__date__lt=day).filter(
        # ongoing at the meeting's date, or completed since the previous meeting
        _ongoing_on(day) | _completed_between(previous.date, day)
    )
    return Report(
        group=group,
        meeting=meeting,
        as_at=day,
        title=REPORT_TITLE,
        sections=_sections(_ordered(carried), day=day, overdue_before=day),
    )


def _ongoing_on(day: dt.date) -> Q:
    return Q(completed_on__isnull=True) | Q(completed_on__gt=day)


def _completed_between(after: dt.date, until: dt.date) -> Q:
    return Q(completed_on__gt=after, completed_on__lte=until)


def open_actions(*, group: Group, today: dt.date) -> Report:
    """Every action of the group still ongoing, overdue where its deadline is before ``today``."""
    ongoing = Action.objects.filter(meeting__group=group, status=ActionStatus.ONGOING)
    return Report(
        group=group,
        meeting=None,
        as_at=today,
        title=OPEN_TITLE,
        sections=_sections(_ordered(ongoing), day=today, overdue_before=today),
    )


def next_meeting(*, group: Group, today: dt.date) -> Meeting | None:
    return group.meetings.filter(date__gte=today).order_by("date").first()


def report_meetings(*, group: Group) -> list[Meeting]:
    """Meetings a report can be chosen for: those with an earlier meeting (newest first)."""
    return list(group.meetings.order_by("-date")[:500])


def report_for(*, group: Group, meeting_id: int | None, today: dt.date) -> Report:
    """The report for the group's meeting ``meeting_id`` (NotFound if it is not one of the group's); without
    one, for the group's next meeting; with none arranged, the group's open actions."""
    if meeting_id is not None:
        try:
            meeting = group.meetings.get(pk=meeting_id)
        except (Meeting.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
            raise NotFound(f"{group.name} has no meeting with the id {meeting_id}") from exc
        return actions_arising(group=group, meeting=meeting)
    upcoming = next_meeting(group=group, today=today)
    if upcoming is None:
        return open_actions(group=group, today=today)
    return actions_arising(group=group, meeting=upcoming)


def actions_of_meeting(*, meeting: Meeting) -> list[Action]:
    """The actions arising from ``meeting`` itself, in agenda order."""
    return list(meeting.actions.select_related("item").order_by("item__number", "pk"))


def action_history(*, action: Action) -> list:
    """An action's updates, oldest first, with the meeting each was reported to."""
    return list(action.updates.select_related("meeting", "author").order_by("written_on", "pk"))


def later_meetings(*, action: Action) -> list[Meeting]:
    """The group's meetings after the one an action arose from (an update is reported to one of them)."""
    return list(
        Meeting.objects.filter(group_id=action.meeting.group_id, date__gt=action.meeting.date).order_by("date")[:200]
    )


def action_row(*, action: Action, today: dt.date) -> ActionRow:
    """One action as the open-actions view shows it today (overdue if ongoing past its deadline)."""
    return _row(action, day=today, overdue_before=today)
