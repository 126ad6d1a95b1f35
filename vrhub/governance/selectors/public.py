"""What the public pages of partnership governance may show, and nothing else.

* A VRU's groups (its own and its boroughs' boards) with their terms of reference and membership **by office,
  title, organisation and sector**: never a member's name or e-mail address (personal data).
* A meeting only once its agenda is published (``agenda_published_on`` on or before today): its non-exempt
  agenda items with their papers; an exempt item shows only its number and the Freedom of Information Act
  exemption relied on: no title, presenter, paper, minutes or action.
* Its minutes only once approved and published (and if the group publishes minutes): minutes, decisions and
  votes per non-exempt item, dissent attributed by the member's title and organisation, never by name.
* Its actions arising report (owners as the clerk wrote them), with the meeting's agenda.

Anything else is ``NotFound``, whatever the address: the views never read a model themselves.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import QuerySet

from vrhub.core.exceptions import NotFound
from vrhub.core.words import count_noun
from vrhub.governance.catalogue import DecisionMode
from vrhub.governance.models import Action, AgendaItem, Group, Meeting, Member
from vrhub.governance.quorum import Rule
from vrhub.governance.selectors.access import checked_slug
from vrhub.governance.selectors.actions import NO_ITEM, actions_arising
from vrhub.governance.selectors.members import CommunityShare, community_share
from vrhub.governance.selectors.membership import members_in_office
from vrhub.governance.selectors.quorum import meeting_quorum
from vrhub.organisations.models import Organisation

CODE_MAX = 20
FOI = "Exempt under the Freedom of Information Act 2000"


def public_vru_get(*, vru_code: str) -> Organisation:
    code = vru_code.strip() if isinstance(vru_code, str) else ""
    if not code or len(code) > CODE_MAX or "\x00" in code:
        raise NotFound("No such VRU")
    try:
        return Organisation.objects.get(code=code, kind=Organisation.Kind.VRU)
    except Organisation.DoesNotExist as exc:
        raise NotFound("No such VRU") from exc


def public_group_vrus() -> list[Organisation]:
    """VRUs with at least one partnership group (the public index links to each)."""
    return list(Organisation.objects.filter(kind=Organisation.Kind.VRU, pk__in=Group.objects.values("vru")))


def _published_meetings(*, group: Group, today: dt.date) -> QuerySet[Meeting]:
    return group.meetings.filter(agenda_published_on__isnull=False, agenda_published_on__lte=today)


def minutes_public(*, meeting: Meeting, today: dt.date) -> bool:
    """Are the meeting's minutes on the public pages: approved, published on or before today, and the group
    publishes its minutes (and the agenda is published)."""
    return bool(
        meeting.group.minutes_published
        and meeting.agenda_published_on is not None
        and meeting.agenda_published_on <= today
        and meeting.minutes_approved_on is not None
        and meeting.minutes_published_on is not None
        and meeting.minutes_published_on <= today
    )


@dataclass(frozen=True)
class GroupRow:
    group: Group
    owner: str
    members: int
    meetings: int


def public_groups(*, vru: Organisation, today: dt.date) -> list[GroupRow]:
    """The VRU's groups, its own first, then the boroughs' boards by name, with how many members are in office
    today and how many meetings have a published agenda."""
    rows = [
        GroupRow(
            group=g,
            owner=g.owner.name,
            members=members_in_office(group=g, on=today).count(),
            meetings=_published_meetings(group=g, today=today).count(),
        )
        for g in Group.objects.filter(vru=vru).select_related("owner")
    ]
    return sorted(rows, key=lambda r: (r.group.owner_id != vru.pk, r.group.name))


def public_group_get(*, vru: Organisation, slug: str) -> Group:
    try:
        return Group.objects.select_related("owner", "vru").get(vru=vru, slug=checked_slug(slug))
    except Group.DoesNotExist as exc:
        raise NotFound("No such group") from exc


@dataclass(frozen=True)
class PublicMember:
    """A member as the public pages show them: no name, no e-mail address."""

    office: str
    title: str
    organisation: str
    sector: str


@dataclass(frozen=True)
class MeetingRow:
    meeting: Meeting
    minutes: bool


@dataclass
class GroupPage:
    group: Group
    quorum_words: str
    required_roles: list[str]
    members: list[PublicMember]
    share: CommunityShare
    meetings: list[MeetingRow]
    transparency: list[str] = field(default_factory=list)


def public_member(member: Member) -> PublicMember:
    return PublicMember(
        office=member.get_office_display(),
        title=member.title,
        organisation=member.organisation,
        sector=member.get_sector_display(),
    )


def public_group_page(*, group: Group, today: dt.date) -> GroupPage:
    """The group's terms of reference in words, its members in office today (by office, title, organisation
    and sector), and its meetings whose agenda is published, newest first."""
    members = list(members_in_office(group=group, on=today).order_by("office", "title", "organisation", "pk"))
    order = {"chair": 0, "deputy_chair": 1, "member": 2, "adviser": 3}
    members.sort(key=lambda m: order.get(m.office, 9))
    rule = Rule.of(group)
    transparency = [
        f"Agendas and non-exempt papers are published at least {count_noun(group.agenda_days_before, 'day')} "
        "before each meeting, unless exempt under the Freedom of Information Act 2000."
    ]
    transparency.append(
        "Minutes are published once approved." if group.minutes_published else "Minutes are not published."
    )
    if group.equality_statement_required:
        transparency.append("Every report says how equality issues were considered.")
    if group.dissent_recorded:
        transparency.append("A member may have their dissent recorded in the minutes.")
    return GroupPage(
        group=group,
        quorum_words=rule.words(),
        required_roles=group.required_role_labels,
        members=[public_member(m) for m in members],
        share=community_share(group=group, on=today),
        meetings=[
            MeetingRow(meeting=m, minutes=minutes_public(meeting=m, today=today))
            for m in _published_meetings(group=group, today=today).order_by("-date")
        ],
        transparency=transparency,
    )


def public_meeting_get(*, group: Group, date: str, today: dt.date) -> Meeting:
    """The group's meeting on ``date`` (YYYY-MM-DD), only if its agenda is published."""
    try:
        day = dt.date.fromisoformat(date) if isinstance(date, str) and len(date) == 10 else None
    except ValueError:
        day = None
    if day is None:
        raise NotFound("No such meeting")
    try:
        return _published_meetings(group=group, today=today).select_related("group").get(date=day)
    except Meeting.DoesNotExist as exc:
        raise NotFound("No such meeting") from exc


@dataclass(frozen=True)
class PublicItem:
    number: int
    exempt: bool
    exemption: str = ""
    title: str = ""
    presenter: str = ""
    paper_title: str = ""
    has_paper: bool = False
    paper_size: int | None = None
    equality: str = ""
    minutes: str = ""
    decision: str = ""
    votes: str = ""
    dissents: tuple[str, ...] = ()


def dissenter(member: Member) -> str:
    """Who dissented, by post: "Chief Executive, Havering CVS" (never their name)."""
    post = member.title or member.get_office_display()
    return f"{post}, {member.organisation}" if member.organisation and member.organisation != post else post


def _votes(item: AgendaItem) -> str:
    if item.votes_for is None and item.votes_against is None:
        return ""
    parts = [f"{item.votes_for or 0} for", f"{item.votes_against or 0} against"]
    if item.abstentions:
        parts.append(count_noun(item.abstentions, "abstention"))
    return ", ".join(parts)


def public_items(*, meeting: Meeting, with_minutes: bool) -> list[PublicItem]:
    """The agenda (and, if ``with_minutes``, the minutes) as the public may read it."""
    out = []
    items = meeting.items.order_by("number").prefetch_related("dissents__member")
    for item in items:
        if item.exempt:
            out.append(PublicItem(number=item.number, exempt=True, exemption=item.exemption))
            continue
        minutes = with_minutes
        out.append(
            PublicItem(
                number=item.number,
                exempt=False,
                title=item.title,
                presenter=item.presenter,
                paper_title=item.paper_title,
                has_paper=bool(item.paper),
                paper_size=item.paper_size,
                equality=item.equality_considerations,
                minutes=item.minutes if minutes else "",
                decision=item.decision if minutes else "",
                votes=_votes(item) if minutes and meeting.group.decision_mode == DecisionMode.VOTE else "",
                dissents=tuple(f"{dissenter(d.member)}: {d.text}" for d in item.dissents.all()) if minutes else (),
            )
        )
    return out


@dataclass(frozen=True)
class QuorumLine:
    quorate: bool
    counted: int
    needed: int
    members: int


def public_quorum(*, meeting: Meeting) -> QuorumLine | None:
    """Whether the meeting was quorate at its opening (None when no attendance is recorded). Only the counts:
    the reasons name attendees."""
    if not meeting.attendance.exists():
        return None
    result = meeting_quorum(meeting=meeting)
    return QuorumLine(quorate=result.quorate, counted=result.present, needed=result.needed, members=result.members)


@dataclass(frozen=True)
class ReportRow:
    item: str
    action: str
    deadline: str
    status: str
    owner: str
    overdue: bool


@dataclass(frozen=True)
class ReportSection:
    meeting: Meeting
    rows: list[ReportRow]


@dataclass
class ActionsReport:
    meeting: Meeting
    sections: list[ReportSection]
    withheld: int  # actions on exempt items, not shown


def public_actions_report(*, meeting: Meeting) -> ActionsReport:
    """The actions arising report for ``meeting`` (whose agenda is published), in the layout of the PRG's
    paper: per earlier meeting, newest first, rows of agenda item, action, deadline, status and update (as they
    stood on the meeting's date), owner. The one carry-forward rule is ``selectors.actions.actions_arising``;
    actions on exempt items are withheld (counted)."""
    report = actions_arising(group=meeting.group, meeting=meeting)
    exempt = set(
        Action.objects.filter(pk__in=[row.id for row in report.rows], item__exempt=True).values_list("pk", flat=True)
    )
    sections: list[ReportSection] = []
    withheld = 0
    for section in report.sections:
        rows = []
        for row in section.rows:
            if row.id in exempt:
                withheld += 1
                continue
            rows.append(
                ReportRow(
                    item="" if row.item == NO_ITEM else row.item,
                    action=row.action,
                    deadline=row.deadline_words,
                    status=row.status_and_update,
                    owner=row.owner,
                    overdue=row.overdue,
                )
            )
        if rows:
            sections.append(ReportSection(meeting=section.meeting, rows=rows))
    return ActionsReport(meeting=meeting, sections=sections, withheld=withheld)


def public_paper_get(*, meeting: Meeting, number: int) -> AgendaItem:
    """The paper of item ``number`` of a meeting whose agenda is published: only a non-exempt item's, and only
    if it has one."""
    try:
        item = meeting.items.get(number=number)
    except (AgendaItem.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise NotFound("No such agenda item") from exc
    if item.exempt or not item.paper:
        raise NotFound("No paper for this item")
    return item
