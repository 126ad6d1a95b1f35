"""Who is a member of a group on a given day (the quorum's denominator and the community share's)."""

import datetime as dt

from django.db.models import Q, QuerySet

from vrhub.governance.models import Group, Member


def members_in_office(*, group: Group, on: dt.date) -> QuerySet[Member]:
    """Members whose term covers ``on`` (an open start or end counts as covering it)."""
    return group.members.filter(
        Q(term_start__isnull=True) | Q(term_start__lte=on), Q(term_end__isnull=True) | Q(term_end__gte=on)
    )
