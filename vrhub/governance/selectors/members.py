"""A group's membership as its pages show it: members in office, starting later and past; the community
share against the group's target; a fingerprint of the membership (an import's preview is saved only if
the membership is still what the preview was made against).

Who is "in office" is ``selectors.membership.members_in_office`` (the one membership rule): the share is
measured over the same members as the quorum.
"""

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from vrhub.governance.catalogue import Office, Sector
from vrhub.governance.models import Group, Member
from vrhub.governance.selectors.membership import members_in_office

OFFICE_ORDER = {code: n for n, code in enumerate(Office.values)}


def _by_office_then_name(members) -> list[Member]:
    return sorted(members, key=lambda m: (OFFICE_ORDER.get(m.office, len(OFFICE_ORDER)), m.name.casefold()))


@dataclass(frozen=True)
class Membership:
    in_office: list[Member]
    upcoming: list[Member]  # term starts after the day
    past: list[Member]  # term ended before the day

    @property
    def register(self) -> list[tuple[Member, object]]:
        """The register of declared interests of the members in office: (member, interest), by member."""
        return [(m, i) for m in self.in_office for i in m.interests.all() if i.item_id is None]


def membership(*, group: Group, on: dt.date) -> Membership:
    """Every member of the group, by office (Chair, Deputy Chair, Member, Adviser) then name."""
    current_ids = set(members_in_office(group=group, on=on).values_list("pk", flat=True))
    everyone = list(group.members.prefetch_related("substitutes", "interests"))
    return Membership(
        in_office=_by_office_then_name(m for m in everyone if m.pk in current_ids),
        upcoming=_by_office_then_name(
            m for m in everyone if m.pk not in current_ids and m.term_start is not None and m.term_start > on
        ),
        past=_by_office_then_name(
            m for m in everyone if m.pk not in current_ids and not (m.term_start is not None and m.term_start > on)
        ),
    )


def more_needed(*, members: int, community: int, target_percent: int) -> int | None:
    """The smallest n with (community + n) / (members + n) >= target_percent / 100: how many more community
    members reach the target. 0 when it is met; None when no number can (a 100 % target with members from
    other sectors in office). With no members in office, one community member is 100 %."""
    if not 0 <= community <= members or not 0 <= target_percent <= 100:
        raise ValueError("community must be between 0 and members, target_percent between 0 and 100")
    if members and 100 * community >= target_percent * members:
        return 0
    if target_percent == 100:
        return None if community < members else (1 if members == 0 else 0)
    shortfall = target_percent * members - 100 * community
    n = -(-shortfall // (100 - target_percent))
    return max(n, 1 if members == 0 else 0)


def percent_words(numerator: int, denominator: int) -> str:
    """A share as "30.4 %" (one decimal place, truncated so that a share just under a target never reads as
    the target; a whole number without ".0")."""
    tenths = (1000 * numerator) // denominator
    whole, tenth = divmod(tenths, 10)
    return f"{whole} %" if tenth == 0 else f"{whole}.{tenth} %"


@dataclass(frozen=True)
class CommunityShare:
    members: int
    community: int
    target_percent: int | None
    more_needed: int | None  # None: no target, or a target no number of community members can reach
    on: dt.date

    @property
    def share(self) -> str:
        return percent_words(self.community, self.members) if self.members else ""

    @property
    def met(self) -> bool | None:
        if self.target_percent is None:
            return None
        return self.more_needed == 0

    @property
    def counted_words(self) -> str:
        """ "7 of 23 members (30.4 %) are from the voluntary and community sector"."""
        if not self.members:
            return "No members are in office, so there is no community share yet"
        verb = "is" if self.community == 1 else "are"
        return (
            f"{self.community} of {self.members} member{'s' if self.members != 1 else ''} ({self.share}) "
            f"{verb} from the voluntary and community sector"
        )

    @property
    def target_words(self) -> str:
        """ "target 30 %: met" / "target 30 %: 2 more community members needed"."""
        if self.target_percent is None:
            return "the group has set no target"
        target = f"target {self.target_percent} %"
        if self.more_needed is None:
            return f"{target}: cannot be reached while members from other sectors are in office"
        if self.more_needed == 0:
            return f"{target}: met"
        n = self.more_needed
        return f"{target}: {n} more community member{'s' if n != 1 else ''} needed"

    @property
    def words(self) -> str:
        return f"{self.counted_words}; {self.target_words}."


def community_share(*, group: Group, on: dt.date) -> CommunityShare:
    """Members in office on ``on`` from the voluntary and community sector, against the group's target."""
    in_office = members_in_office(group=group, on=on)
    members = in_office.count()
    community = in_office.filter(sector=Sector.COMMUNITY).count()
    target = group.community_target_percent
    needed = None if target is None else more_needed(members=members, community=community, target_percent=target)
    return CommunityShare(members=members, community=community, target_percent=target, more_needed=needed, on=on)


FINGERPRINT_FIELDS = (
    "pk",
    "name",
    "title",
    "organisation",
    "office",
    "sector",
    "quorum_role",
    "term_start",
    "term_end",
)


def membership_fingerprint(*, group: Group) -> str:
    """A digest of every member's row: it changes when anyone is added, changed or removed."""
    rows = list(group.members.order_by("pk").values_list(*FINGERPRINT_FIELDS))
    return hashlib.sha256(json.dumps(rows, default=str).encode()).hexdigest()


def member_fingerprint(*, member: Member) -> str:
    """A digest of one member's row as a form shows it: a save carrying an older digest is refused (the page was
    opened before a colleague's change)."""
    row = [getattr(member, name) for name in FINGERPRINT_FIELDS] + [member.email]
    return hashlib.sha256(json.dumps(row, default=str).encode()).hexdigest()


def member_has_records(*, member: Member) -> bool:
    """Whether the minutes refer to the member (attendance, dissent, or an interest declared at an agenda item):
    then they cannot be deleted, only their term ended."""
    return (
        member.attendance.exists() or member.dissents.exists() or member.interests.filter(item__isnull=False).exists()
    )
