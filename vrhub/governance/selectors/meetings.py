"""Reads of a meeting: its agenda with minutes, dissent, interests and actions; what stops its agenda being
published; its publication state in words."""

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from vrhub.core.words import count_noun, date_words
from vrhub.governance import quorum
from vrhub.governance.models import Action, AgendaItem, Dissent, Interest, Meeting, Member
from vrhub.governance.selectors.quorum import meeting_quorum


def meeting_items(*, meeting: Meeting) -> QuerySet[AgendaItem]:
    """The agenda in order, with each item's dissent, declared interests and actions arising."""
    return meeting.items.order_by("number").prefetch_related(
        Prefetch("dissents", queryset=Dissent.objects.select_related("member").order_by("member__name")),
        Prefetch("interests", queryset=Interest.objects.select_related("member").order_by("member__name", "pk")),
        Prefetch("actions", queryset=Action.objects.order_by("pk")),
    )


def agenda_problems(*, meeting: Meeting) -> list[str]:
    """Why the agenda cannot be published yet, one sentence per problem (empty when it can)."""
    items = list(meeting.items.order_by("number"))
    if not items:
        return ["The agenda has no items: add at least one"]
    problems = []
    for item in items:
        if item.exempt and not item.exemption:
            problems.append(f"Item {item.number} ({item.title}) is exempt: give the FOI Act exemption relied on")
        if meeting.group.equality_statement_required and item.paper and not item.equality_considerations.strip():
            problems.append(
                f"Item {item.number} ({item.title}) has a paper: say how equality issues were considered "
                "(the group's terms of reference require it of every report)"
            )
        if item.paper and not item.paper_title:
            problems.append(f"Item {item.number} ({item.title}) has a paper with no title")
    return problems


def publication_words(*, meeting: Meeting) -> list[str]:
    """The meeting's publication state as sentences: "Agenda published 1 May 2019." …"""
    published = meeting.agenda_published_on
    if published is None:
        words = ["Agenda not published yet."]
    else:
        ahead = (meeting.date - published).days
        rule = meeting.group.agenda_days_before
        late = ""
        if ahead < rule:
            when = (
                "after the meeting"
                if ahead < 0
                else "on the day of the meeting"
                if ahead == 0
                else f"{count_noun(ahead, 'day')} before the meeting"
            )
            late = f", {when}: the group's rules ask for {count_noun(rule, 'day')} before it"
        words = [f"Agenda published {date_words(published)}{late}."]
    if meeting.minutes_approved_on:
        approved = f"Minutes approved {date_words(meeting.minutes_approved_on)}"
        if meeting.minutes_published_on:
            words.append(f"{approved}, published {date_words(meeting.minutes_published_on)}.")
        elif meeting.group.minutes_published:
            words.append(f"{approved}, not published yet.")
        else:
            words.append(f"{approved}; this group does not publish its minutes.")
    else:
        words.append("Minutes not approved yet.")
    return words


@dataclass(frozen=True)
class MeetingView:
    meeting: Meeting
    items: list[AgendaItem]
    opening: quorum.Result
    has_attendance: bool
    publication: list[str]
    problems: list[str]
    other_actions: list[Action]  # actions arising from the meeting but from no one item


def meeting_view(*, meeting: Meeting) -> MeetingView:
    """Everything the meeting page shows."""
    return MeetingView(
        meeting=meeting,
        items=list(meeting_items(meeting=meeting)),
        opening=meeting_quorum(meeting=meeting),
        has_attendance=meeting.attendance.exists(),
        publication=publication_words(meeting=meeting),
        problems=[] if meeting.agenda_published_on else agenda_problems(meeting=meeting),
        other_actions=list(meeting.actions.filter(item__isnull=True).order_by("pk")),
    )


def meeting_members(*, meeting: Meeting) -> QuerySet[Member]:
    """The group's members to choose from for dissent and interests at ``meeting`` (every member: one whose
    term has ended since may still be minuted)."""
    return meeting.group.members.order_by("name")
