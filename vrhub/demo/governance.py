"""Demo partnership governance: the VRU's Partnership Reference Group as its 2019 paper trail records it, and
synthetic community safety boards for a few boroughs.

* **The PRG** (slug ``prg``, owner the London VRU) follows seed 003: its interim terms of reference (appendix
  A: purpose 2.1, quorum 7.1/7.2, consensus with dissent 3.2, frequency 6.1, equality 8.1, transparency 9.1),
  its membership **by office** (4.2 a-n; each member's name is the office, never a person's name), the
  meeting of 22 January 2019 (only the item its one outstanding action arose from), the meeting of 6 March
  2019 (items 1-12 of its summary minutes, attendance by office from the minutes' Present and Apologies
  lists, a few minutes lines, its five actions) and the meeting of 1 May 2019 with its published agenda
  (items 1-13), so that the actions arising report for 1 May 2019 reproduces the seed's table. Actions,
  owners, deadlines and updates are as written in the seed. What the seed does not record is made up and
  says so: the fourth community seat's attendance, the term dates and the equality notes carry
  ``(synthetic demo text)``.
* **CSP boards** of Havering, Lambeth and Hackney: synthetic (``Group.synthetic``; every text says so), each
  with members, a past meeting with approved and published minutes and three actions (one overdue, one
  complete, one ongoing), and a next meeting whose agenda is published (with one exempt item).

Written through the models, like ``demo.duty`` (governance's services are written in parallel), audited once
per group. Idempotent: a group whose slug exists is left as it is. Dates of the boards' meetings are counted
from the day the demo is loaded, so the overdue action stays overdue.
"""

import datetime as dt

from django.core.files.base import ContentFile
from django.utils import timezone

from vrhub.core.audit import audit_changes
from vrhub.governance.catalogue import (
    PRG_COMMUNITY_TARGET_PERCENT,
    ActionStatus,
    Attendance,
    DecisionMode,
    Frequency,
    Office,
    QuorumRole,
    RequiredRole,
    Rounding,
    Sector,
)
from vrhub.governance.models import (
    Action,
    ActionUpdate,
    AgendaItem,
    AttendanceRecord,
    Dissent,
    Group,
    Meeting,
    Member,
)
from vrhub.organisations.models import Organisation

TAG = " (synthetic demo text)"
PRG_SLUG = "prg"
PRG_NAME = "Violence Reduction Unit Partnership Reference Group"
CITY_HALL = "City Hall, The Queen's Walk, London, SE1 2AA"

PRG_PURPOSE = (
    "The Reference Group will be guided by, and seek to expand on, the principles set out in the Mayor's Knife "
    "Crime Strategy, to include wider types of violence and look to address the links between violence in the "
    "home and on the street. The Reference Group will work in partnership to improve co-ordination between the "
    "Metropolitan Police, local authorities, youth services, health services, criminal justice agencies and City "
    "Hall, backed up by the VRU. It will also build on the work of partners and specifically drawing on what "
    "works and share best practice."
)

ALL_ROLES = [
    RequiredRole.CHAIR_OR_DEPUTY,
    RequiredRole.POLICE,
    RequiredRole.LONDON_COUNCILS,
    RequiredRole.HEALTH,
    RequiredRole.COMMUNITY,
]

# Appendix A, 4.2 (a-n), by office: (name = the office, title, organisation, office, sector, quorum role,
# attendance on 6 March 2019, the substitute's post if one attended).
P, R, A, X, S = Attendance.PRESENT, Attendance.REMOTE, Attendance.APOLOGIES, Attendance.ABSENT, Attendance.SUBSTITUTE
PRG_MEMBERS: list[tuple[str, str, str, str, str, str, str, str]] = [
    ("Mayor of London", "Mayor of London", "Greater London Authority", Office.CHAIR, Sector.LOCAL_GOVERNMENT,
     QuorumRole.CHAIR, P, ""),
    ("Deputy Mayor for Policing and Crime", "Deputy Mayor for Policing and Crime",
     "Mayor's Office for Policing and Crime", Office.DEPUTY_CHAIR, Sector.LOCAL_GOVERNMENT,
     QuorumRole.DEPUTY_CHAIR, P, ""),
    ("Deputy Mayor for Social Integration, Social Mobility and Community Engagement",
     "Deputy Mayor for Social Integration, Social Mobility and Community Engagement",
     "Greater London Authority", Office.MEMBER, Sector.LOCAL_GOVERNMENT, "", P, ""),
    ("Deputy Mayor for Education and Childcare", "Deputy Mayor for Education and Childcare",
     "Greater London Authority", Office.MEMBER, Sector.EDUCATION, "", P, ""),
    ("Assistant Commissioner for Frontline Policing", "Assistant Commissioner for Frontline Policing",
     "Metropolitan Police Service", Office.MEMBER, Sector.POLICE, QuorumRole.POLICE, P, ""),
    ("Health representative 1", "Senior representative from the health sector",
     "Londonwide Clinical Commissioning Council", Office.MEMBER, Sector.HEALTH, QuorumRole.HEALTH, P, ""),
    ("Health representative 2", "Senior representative from the health sector", "Public Health England",
     Office.MEMBER, Sector.HEALTH, QuorumRole.HEALTH, S, "Head of Health, GLA"),
    ("Health representative 3", "Senior representative from the health sector", "NHS England (London)",
     Office.MEMBER, Sector.HEALTH, QuorumRole.HEALTH, S,
     "Director of Delivery - Specialised Commissioning, NHS England (London)"),
    ("Education representative", "Senior representative from the education sector",
     "London Borough of Islington", Office.MEMBER, Sector.EDUCATION, "", P, ""),
    ("Scottish VRU representative", "Senior representative from the Scottish VRU",
     "Scottish Violence Reduction Unit", Office.ADVISER, Sector.OTHER, "", X, ""),
    ("Probation representative", "Senior representative from the probation service",
     "National Probation Service (London)", Office.MEMBER, Sector.PROBATION, "", P, ""),
    ("London Funders representative", "Senior representative from London Funders", "London Funders",
     Office.MEMBER, Sector.FUNDERS, "", P, ""),
    ("London Councils representative 1", "Representative of the London Boroughs", "London Councils",
     Office.MEMBER, Sector.LONDON_COUNCILS, QuorumRole.LONDON_COUNCILS, P, ""),
    ("London Councils representative 2", "Representative of the London Boroughs", "London Councils",
     Office.MEMBER, Sector.LONDON_COUNCILS, QuorumRole.LONDON_COUNCILS, P, ""),
    ("London Councils representative 3", "Representative of the London Boroughs", "London Councils",
     Office.MEMBER, Sector.LONDON_COUNCILS, QuorumRole.LONDON_COUNCILS, P, ""),
    ("Community representative 1", "Representative from the community", "Hackney CVS", Office.MEMBER,
     Sector.COMMUNITY, QuorumRole.COMMUNITY, P, ""),
    ("Community representative 2", "Representative from the community", "Juvenis", Office.MEMBER,
     Sector.COMMUNITY, QuorumRole.COMMUNITY, P, ""),
    ("Community representative 3", "Representative from the community", "Emmanuel Church New Cross",
     Office.MEMBER, Sector.COMMUNITY, QuorumRole.COMMUNITY, P, ""),
    # The seed counts "four from VCS organisations" (1 May 2019, footnote 1) but names three at 6 March.
    ("Community representative 4", "Representative from the community" + TAG, "A VCS organisation" + TAG,
     Office.MEMBER, Sector.COMMUNITY, QuorumRole.COMMUNITY, A, ""),
    ("Chief Executive of MOPAC", "Chief Executive of MOPAC", "Mayor's Office for Policing and Crime", Office.MEMBER,
     Sector.LOCAL_GOVERNMENT, "", P, ""),
    ("Chief Officer of the GLA", "Chief Officer of the GLA", "Greater London Authority", Office.MEMBER,
     Sector.LOCAL_GOVERNMENT, "", P, ""),
]  # fmt: skip

# The summary minutes of 6 March 2019: (number, title, presenter, minutes by office).
MARCH_ITEMS: list[tuple[int, str, str, str]] = [
    (1, "Apologies for Absence and Chair's Announcements", "Chair",
     "The Chair welcomed Partners and attendees to the meeting and noted apologies. The Chair shared that the "
     "Scottish VRU would continue to be involved in the VRU and would send a letter of thanks after the "
     "meeting."),
    (2, "Declarations of Interest", "Chair", "There were no declarations of interest."),
    (3, "Actions Arising", "Clerk",
     "The updates on the actions arising from the last meeting, held on 22 January 2019, were noted."),
    (4, "Violence in Numbers", "Assistant Commissioner for Frontline Policing",
     "The Assistant Commissioner presented the latest data on violent crime and policing activity. Partners "
     "discussed the need for additional crime data."),
    (5, "Understanding School Exclusions and Opportunities for Interventions",
     "Deputy Mayor for Education and Childcare",
     "The Deputy Mayor for Education and Childcare presented the GLA's current understanding of school "
     "exclusions in London and the opportunities for VRU interventions."),
    (6, "Presentation: Ofsted Safeguarding Knife Crime Thematic Review", "London Director, Ofsted",
     "Ofsted's London Director outlined the interim draft findings of the Safeguarding Knife Crime Thematic "
     "Review."),
    (7, "Community and Youth Involvement: Update",
     "Deputy Mayor for Social Integration, Social Mobility and Community Engagement",
     "Partners noted the proposals to establish a Youth Action Group and a Community Planning Group."),
    (8, "VRU Progress Update", "Director of the Violence Reduction Unit",
     "Updates on the delivery model (8a), commissioning principles and priorities (8b) and the evidence "
     "informing the VRU (8c)."),
    (9, "Forward Plan", "Clerk",
     "Partners noted the items on the Forward Plan and agreed to provide any additional future agenda items by "
     "email to the clerk."),
    (10, "Date of next meeting", "Chair", "The next meeting was confirmed as 2pm on Wednesday 1 May 2019."),
    (11, "Any other business the Chair considers urgent", "Chair", "There was none."),
    (12, "Close", "Chair", "The meeting closed at 3:55pm."),
]  # fmt: skip

# Seed 003, "Actions Arising from the Meeting of 6 March 2019": (item, action, deadline, status, update, owner).
# Owners by office, not by name (personal data stays off the public pages): the seed's "Lib Peck" is the
# Director of the VRU, "Jake Ferguson" the Chief Executive of Hackney CVS (both so described in the seed).
MARCH_ACTIONS: list[tuple[int, str, dt.date | None, str, str, str]] = [
    (1, "The Mayor to send a letter of thanks to the Scottish VRU for its continued involvement and support.",
     dt.date(2019, 3, 31), ActionStatus.COMPLETE, "The letter has been sent.", "Clerk"),
    (3, "To discuss the possibility of a future paper on systematic challenges outside the meeting.",
     dt.date(2019, 3, 31), ActionStatus.ONGOING, "Verbal update to be provided.",
     "Director of the VRU and Chief Executive, Hackney CVS"),
    (4, "To consider the VRU's overall data requirements before seeking further data from the Metropolitan "
     "Police Service.", dt.date(2019, 4, 30), ActionStatus.COMPLETE,
     "To be discussed as part of Items 5 (Violence in Numbers) and 8 (Programme Update).", "Director of the VRU"),
    (6, "To discuss a more diverse curriculum that educated all children on their histories and importance in "
     "society.", dt.date(2019, 4, 30), ActionStatus.COMPLETE,
     "This area forms part of a much wider discussion across GLA, MOPAC and VRU priorities. The GLA will "
     "shortly publish citizenship materials that encourage diversity in history curriculums.", "Director of the VRU"),
    (9, "To circulate details of the roundtable discussion on disproportionality in the criminal justice "
     "system to Partners by email.", dt.date(2019, 4, 30), ActionStatus.COMPLETE, "Attached at Appendix A.",
     "Clerk"),
]  # fmt: skip

JANUARY_ACTION = (
    6,
    "Community Engagement Proposals Update",
    "To ensure that the Group's permanent membership included 30% representation from the community and "
    "voluntary sector, and that organisations represented at the Group and seconded from into the VRU were "
    "those trusted by communities.",
    "To be considered at Item 9 (Future of VRU Partnership Reference Group).",
    "VRU Mobilisation Lead, MOPAC",
)

# The agenda of 1 May 2019: (number, title, presenter, paper title).
MAY_ITEMS: list[tuple[int, str, str, str]] = [
    (1, "Apologies for Absence and Chair's Announcements", "Chair", ""),
    (2, "Declarations of Interest", "Chair", ""),
    (3, "Minutes of last meeting", "Clerk", "Minutes of 6 March 2019"),
    (4, "Actions Arising", "Board Secretary", "Actions Arising from Previous Meetings"),
    (5, "MOPAC Update", "Deputy Mayor for Policing and Crime", ""),
    (6, "Violence in Numbers", "Head of Evidence and Insight, MOPAC", ""),
    (7, "Closing the Gaps in Support for People Affected by Violence",
     "Director of Policy and Commissioning, MOPAC", "Closing the Gaps in Support for People Affected by Violence"),
    (8, "VRU Delivery Model and Programme Development", "Director of the Violence Reduction Unit",
     "VRU Delivery Model and Programme Development"),
    (9, "VRU Community and Youth Engagement Proposals",
     "Deputy Mayor for Social Integration, Social Mobility and Community Engagement",
     "VRU Community and Youth Engagement Proposals"),
    (10, "Future of Partnership Reference Group", "Director of the Violence Reduction Unit",
     "Future of Partnership Reference Group"),
    (11, "Any other business the Chair considers urgent", "Chair", ""),
    (12, "Date of next meeting", "Chair", ""),
    (13, "Close", "Chair", ""),
]  # fmt: skip

EQUALITY_NOTE = "The report sets out how equality issues were considered." + TAG

BOARDS = {
    "E09000016": "havering-csp",
    "E09000022": "lambeth-csp",
    "E09000012": "hackney-csp",
}
BOARD_PEOPLE = [
    # (synthetic name, title, organisation (with {borough}), office, sector, quorum role, e-mail user)
    ("Sam Patel", "Cabinet Member for Community Safety", "{council}", Office.CHAIR,
     Sector.LOCAL_GOVERNMENT, QuorumRole.CHAIR),
    ("Jo Okafor", "Borough Commander", "{police}", Office.DEPUTY_CHAIR, Sector.POLICE,
     QuorumRole.POLICE),
    ("Alex Morgan", "Director of Public Health", "{council}", Office.MEMBER, Sector.HEALTH,
     QuorumRole.HEALTH),
    ("Chris Nowak", "Head of Probation Delivery Unit", "{probation}", Office.MEMBER,
     Sector.PROBATION, ""),
    ("Priya Shah", "Chief Executive", "{borough} Council for Voluntary Service", Office.MEMBER, Sector.COMMUNITY,
     QuorumRole.COMMUNITY),
    ("Dan Mensah", "Head of Youth Justice", "{borough} Youth Justice Service", Office.MEMBER, Sector.YOUTH, ""),
    ("Kim Walsh", "Director of Children's Services", "{council}", Office.MEMBER,
     Sector.EDUCATION, ""),
    ("Nadia Hussain", "Community Safety Manager", "{council}", Office.ADVISER,
     Sector.LOCAL_GOVERNMENT, ""),
]  # fmt: skip
# The local bodies BOARD_PEOPLE's organisations name ({council} may name the {borough}).
LONDON_BODIES = {
    "council": "London Borough of {borough}",
    "police": "Metropolitan Police Service",
    "probation": "Probation Service, London region",
}


def _slug_name(text: str) -> str:
    return "".join(c if c.isalnum() else "." for c in text.lower()).strip(".")


def prg_load(*, vru: Organisation) -> Group | None:
    """The PRG with its 2019 paper trail (seed 003). None if it is there already."""
    if Group.objects.filter(slug=PRG_SLUG).exists():
        return None
    group = Group.objects.create(
        owner=vru,
        vru=vru,
        slug=PRG_SLUG,
        name=PRG_NAME,
        purpose=PRG_PURPOSE,
        frequency=Frequency.SIX_WEEKLY,
        quorum_numerator=1,
        quorum_denominator=2,
        quorum_rounding=Rounding.UP,
        required_roles=list(ALL_ROLES),
        remote_counts=True,
        decision_mode=DecisionMode.CONSENSUS,
        dissent_recorded=True,
        agenda_days_before=5,
        minutes_published=True,
        equality_statement_required=True,
        community_target_percent=PRG_COMMUNITY_TARGET_PERCENT,
        synthetic=False,
    )
    members = {}
    attendance = {}
    for name, title, organisation, office, sector, role, came, substitute in PRG_MEMBERS:
        members[name] = Member.objects.create(
            group=group,
            name=name,
            title=title,
            organisation=organisation,
            office=office,
            sector=sector,
            quorum_role=role,
            term_start=dt.date(2018, 9, 19),  # the VRU was announced in September 2018 (synthetic date)
        )
        attendance[name] = (came, substitute)

    january = Meeting.objects.create(group=group, date=dt.date(2019, 1, 22), starts_at=dt.time(14), place=CITY_HALL)
    jan_item = AgendaItem.objects.create(meeting=january, number=JANUARY_ACTION[0], title=JANUARY_ACTION[1])
    Action.objects.create(
        meeting=january,
        item=jan_item,
        text=JANUARY_ACTION[2],
        owner=JANUARY_ACTION[4],
        deadline=None,
        status=ActionStatus.COMPLETE,
        completed_on=dt.date(2019, 4, 23),
        latest_update=JANUARY_ACTION[3],
    )

    march = Meeting.objects.create(
        group=group,
        date=dt.date(2019, 3, 6),
        starts_at=dt.time(14),
        place="Committee Room 1, " + CITY_HALL,
        agenda_published_on=dt.date(2019, 2, 26),
        minutes_approved_on=dt.date(2019, 5, 1),
        minutes_published_on=dt.date(2019, 5, 8),
    )
    items = {}
    for number, title, presenter, minutes in MARCH_ITEMS:
        items[number] = AgendaItem.objects.create(
            meeting=march,
            number=number,
            title=title,
            presenter=presenter,
            minutes=minutes,
            equality_considerations=EQUALITY_NOTE if number in (4, 5, 7, 8) else "",
            decision="Partners agreed to support the VRU by offering qualitative and quantitative data." + TAG
            if number == 8
            else "",
        )
    Dissent.objects.create(
        item=items[5],
        member=members["Community representative 2"],
        text="Asked that the minutes record that exclusion data by ethnicity should have been in the report." + TAG,
    )
    AttendanceRecord.objects.bulk_create(
        [
            AttendanceRecord(meeting=march, member=members[name], attendance=came, substitute_name=substitute)
            for name, (came, substitute) in attendance.items()
        ]
    )

    may = Meeting.objects.create(
        group=group,
        date=dt.date(2019, 5, 1),
        starts_at=dt.time(14),
        place="Committee Room 2, " + CITY_HALL,
        agenda_published_on=dt.date(2019, 4, 23),
    )
    for number, title, presenter, paper_title in MAY_ITEMS:
        item = AgendaItem.objects.create(
            meeting=may,
            number=number,
            title=title,
            presenter=presenter,
            paper_title=paper_title,
            equality_considerations=EQUALITY_NOTE if paper_title and number > 4 else "",
        )
        if number == 4:
            _paper(item, "actions-arising-1-may-2019.txt", _actions_paper())

    for number, text, deadline, status, update, owner in MARCH_ACTIONS:
        action = Action.objects.create(
            meeting=march,
            item=items[number],
            text=text,
            owner=owner,
            deadline=deadline,
            status=status,
            completed_on=dt.date(2019, 4, 23) if status == ActionStatus.COMPLETE else None,
            latest_update=update,
        )
        ActionUpdate.objects.create(
            action=action, meeting=may, text=update, status=status, written_on=dt.date(2019, 4, 23)
        )
    audit_changes(
        actor=None, obj=group, changes={"content": ("", "demo governance records (seed 003) loaded by seed_demo")}
    )
    return group


def _paper(item: AgendaItem, filename: str, text: str) -> None:
    content = text.encode()
    item.paper.save(filename, ContentFile(content), save=False)
    item.paper_original_name = filename
    item.paper_content_type = "text/plain"
    item.paper_size = len(content)
    item.save()


def _actions_paper() -> str:
    lines = ["Actions Arising from Previous Meetings (1 May 2019)", ""]
    for number, text, deadline, status, update, owner in MARCH_ACTIONS:
        when = f"{deadline:%-d %B %Y}" if deadline else "Ongoing"
        lines.append(f"{number}. {text} | {when} | {ActionStatus(status).label}: {update} | {owner}")
    return "\n".join(lines) + "\n"


def board_load(
    *,
    area: Organisation,
    slug: str,
    today: dt.date,
    bodies: dict[str, str] | None = None,
    vote: bool | None = None,
    agenda_published: bool | None = None,
    name: str = "",
    purpose: str = "",
    place: str = "",
) -> Group | None:
    """A synthetic board owned by ``area`` (a CSP's board, or with ``name`` and ``purpose`` a VRU's own board).
    ``bodies`` names the local council, police and probation (London's by default); ``vote`` and
    ``agenda_published`` default to London's demo (Lambeth votes; Havering's next agenda is out). None if the
    slug is taken."""
    if Group.objects.filter(slug=slug).exists():
        return None
    borough = area.name
    bodies = bodies or LONDON_BODIES
    words = {key: value.format(borough=borough) for key, value in bodies.items()} | {"borough": borough}
    vote = slug == "lambeth-csp" if vote is None else vote
    agenda_published = slug == "havering-csp" if agenda_published is None else agenda_published
    place = (place or f"{borough} Town Hall") + TAG
    group = Group.objects.create(
        owner=area,
        vru=area.vru or area,
        slug=slug,
        name=name or f"Safer {borough} Partnership Board",
        purpose=purpose
        or f"To lead the statutory community safety partnership for {borough} and own its Serious Violence "
        "Duty strategy."
        + TAG,
        frequency=Frequency.QUARTERLY,
        quorum_numerator=1,
        quorum_denominator=2,
        quorum_rounding=Rounding.MORE_THAN,
        required_roles=[RequiredRole.CHAIR_OR_DEPUTY, RequiredRole.POLICE],
        remote_counts=True,
        decision_mode=DecisionMode.VOTE if vote else DecisionMode.CONSENSUS,
        agenda_days_before=7,
        community_target_percent=25,
        synthetic=True,
    )
    members = [
        Member.objects.create(
            group=group,
            name=name,
            title=title,
            organisation=organisation.format(**words),
            office=office,
            sector=sector,
            quorum_role=role,
            term_start=today - dt.timedelta(days=700),
            email=f"{_slug_name(name)}@{slug}.example.org",
        )
        for name, title, organisation, office, sector, role in BOARD_PEOPLE
    ]
    past = Meeting.objects.create(
        group=group,
        date=today - dt.timedelta(days=56),
        starts_at=dt.time(10),
        place=place,
        agenda_published_on=today - dt.timedelta(days=64),
        minutes_approved_on=today - dt.timedelta(days=21),
        minutes_published_on=today - dt.timedelta(days=20),
    )
    titles = [
        ("Apologies and declarations of interest", "", ""),
        ("Serious violence strategy: annual review", "The strategy's first year: progress against each priority.",
         "The board agreed the review and the two new priorities."),
        ("Knife crime with injury: the last quarter", "Figures by ward for the last quarter.", ""),
        ("Any other business", "", ""),
    ]  # fmt: skip
    items = []
    for number, (title, minutes, decision) in enumerate(titles, start=1):
        items.append(
            AgendaItem.objects.create(
                meeting=past,
                number=number,
                title=title,
                presenter="Community Safety Manager" if number > 1 else "Chair",
                minutes=(minutes + TAG) if minutes else "",
                decision=(decision + TAG) if decision else "",
                equality_considerations=EQUALITY_NOTE if number == 2 else "",
                votes_for=6 if decision and group.decision_mode == DecisionMode.VOTE else None,
                votes_against=1 if decision and group.decision_mode == DecisionMode.VOTE else None,
            )
        )
    kinds = [P, P, P, R, P, A, P, X]
    AttendanceRecord.objects.bulk_create(
        [AttendanceRecord(meeting=past, member=m, attendance=k) for m, k in zip(members, kinds, strict=True)]
    )
    Dissent.objects.create(
        item=items[1],
        member=members[4],
        text="Asked that the minutes record that the voluntary sector was not consulted on the new priorities." + TAG,
    )
    Action.objects.create(
        meeting=past,
        item=items[1],
        text="Publish the reviewed strategy on the council's website." + TAG,
        owner="Community Safety Manager",
        deadline=today - dt.timedelta(days=10),  # overdue
        status=ActionStatus.ONGOING,
        latest_update="Waiting for the web team." + TAG,
    )
    Action.objects.create(
        meeting=past,
        item=items[2],
        text="Share the ward figures with the youth justice service." + TAG,
        owner="Borough Commander",
        deadline=today - dt.timedelta(days=30),
        status=ActionStatus.COMPLETE,
        completed_on=today - dt.timedelta(days=35),
        latest_update="Sent." + TAG,
    )
    Action.objects.create(
        meeting=past,
        item=items[2],
        text="Bring a problem profile of robbery of young people to the next meeting." + TAG,
        owner="Clerk",
        deadline=today + dt.timedelta(days=14),
        status=ActionStatus.ONGOING,
    )
    upcoming = Meeting.objects.create(
        group=group,
        date=today + dt.timedelta(days=21),
        starts_at=dt.time(10),
        place=place,
        agenda_published_on=today if agenda_published else None,
    )
    for number, (title, exempt) in enumerate(
        [
            ("Apologies and declarations of interest", ""),
            ("Actions arising", ""),
            ("Robbery of young people: problem profile", ""),
            ("Case review: a serious youth violence incident", "Section 31 (law enforcement)"),
        ],
        start=1,
    ):
        AgendaItem.objects.create(
            meeting=upcoming,
            number=number,
            title=title + (TAG if number > 2 else ""),
            presenter="Community Safety Manager",
            exempt=bool(exempt),
            exemption=exempt,
            equality_considerations=EQUALITY_NOTE if number == 3 else "",
        )
    audit_changes(actor=None, obj=group, changes={"content": ("", "synthetic demo board loaded by seed_demo")})
    return group


def governance_load(*, vru: Organisation, today: dt.date | None = None) -> int:
    """The PRG and the boroughs' boards (those not there yet). Returns how many groups were created."""
    today = today or timezone.localdate()
    created = [prg_load(vru=vru)]
    for code, slug in BOARDS.items():
        area = Organisation.objects.filter(kind=Organisation.Kind.AREA, vru=vru, code=code).first()
        if area is not None:
            created.append(board_load(area=area, slug=slug, today=today))
    return sum(1 for g in created if g is not None)
