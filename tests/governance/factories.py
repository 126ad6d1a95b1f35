"""factory_boy factories for partnership governance."""

import datetime as dt

import factory

from tests.factories import AreaFactory
from vrhub.governance import models
from vrhub.governance.catalogue import ActionStatus, Attendance, Office, RequiredRole, Sector

PRG_ROLES = [
    RequiredRole.CHAIR_OR_DEPUTY,
    RequiredRole.POLICE,
    RequiredRole.LONDON_COUNCILS,
    RequiredRole.HEALTH,
    RequiredRole.COMMUNITY,
]


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Group

    owner = factory.SubFactory(AreaFactory)
    vru = factory.LazyAttribute(lambda g: g.owner if g.owner.kind == "vru" else g.owner.owning_vru)
    slug = factory.Sequence(lambda n: f"group-{n}")
    name = factory.Sequence(lambda n: f"Community Safety Partnership Board {n}")
    purpose = "To oversee the partnership's work to reduce violence."
    required_roles = factory.LazyFunction(lambda: [RequiredRole.CHAIR_OR_DEPUTY, RequiredRole.POLICE])
    community_target_percent = 30


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Member

    group = factory.SubFactory(GroupFactory)
    name = factory.Sequence(lambda n: f"Member Person {n}")
    title = "Director"
    organisation = "An organisation"
    office = Office.MEMBER
    sector = Sector.OTHER
    quorum_role = ""
    term_start = dt.date(2018, 1, 1)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Meeting

    group = factory.SubFactory(GroupFactory)
    date = factory.Sequence(lambda n: dt.date(2026, 1, 1) + dt.timedelta(days=7 * n))
    place = "Committee Room 2"


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    number = factory.Sequence(lambda n: n % 50 + 1)
    title = factory.Sequence(lambda n: f"Agenda item {n}")
    presenter = "Director of the VRU"


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.AttendanceRecord

    meeting = factory.SubFactory(MeetingFactory)
    member = factory.SubFactory(MemberFactory)
    attendance = Attendance.PRESENT


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Action

    meeting = factory.SubFactory(MeetingFactory)
    text = factory.Sequence(lambda n: f"To circulate paper {n} to Partners by email.")
    owner = "Clerk"
    deadline = dt.date(2026, 3, 31)
    status = ActionStatus.ONGOING


def meeting_with_items(*, group, date: dt.date, items: int = 3) -> models.Meeting:
    meeting = MeetingFactory(group=group, date=date)
    for number in range(1, items + 1):
        AgendaItemFactory(meeting=meeting, number=number, title=f"Item {number}")
    return meeting
