"""What a group's page shows at a glance."""

import datetime as dt
from dataclasses import dataclass

from vrhub.governance.catalogue import ActionStatus, Sector
from vrhub.governance.models import Action, Group, Meeting
from vrhub.governance.selectors.members import CommunityShare, community_share
from vrhub.governance.selectors.membership import members_in_office


@dataclass(frozen=True)
class GroupSummary:
    members: int
    community: int
    share: CommunityShare
    next_meeting: Meeting | None
    last_meeting: Meeting | None
    open_actions: int
    overdue_actions: int


def group_summary(*, group: Group, today: dt.date) -> GroupSummary:
    members = members_in_office(group=group, on=today)
    open_actions = Action.objects.filter(meeting__group=group, status=ActionStatus.ONGOING)
    return GroupSummary(
        members=members.count(),
        community=members.filter(sector=Sector.COMMUNITY).count(),
        share=community_share(group=group, on=today),
        next_meeting=group.meetings.filter(date__gte=today).order_by("date").first(),
        last_meeting=group.meetings.filter(date__lt=today).order_by("-date").first(),
        open_actions=open_actions.count(),
        overdue_actions=open_actions.filter(deadline__lt=today).count(),
    )
