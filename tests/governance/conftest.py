import datetime as dt

import pytest

from tests.factories import UserFactory
from tests.governance import factories as f
from vrhub.accounts.models import User
from vrhub.governance.catalogue import Office, QuorumRole, Sector
from vrhub.organisations.models import Organisation


@pytest.fixture
def lambeth(london):
    return Organisation.objects.get(code="E09000022")


@pytest.fixture
def mopac_officer(london):
    return UserFactory(
        username="mopac.officer", organisation=Organisation.objects.get(code="MOPAC"), role=User.Role.POLICING_BODY
    )


@pytest.fixture
def vru_clerk(london):
    return UserFactory(username="vru.clerk", organisation=london, role=User.Role.VRU_ADMIN)


@pytest.fixture
def prg(london):
    """The Partnership Reference Group, London's VRU's, with a small membership covering every required role."""
    group = f.GroupFactory(
        owner=london, vru=london, slug="prg", name="Partnership Reference Group", required_roles=list(f.PRG_ROLES)
    )
    for name, office, sector, role in [
        ("Chair Person", Office.CHAIR, Sector.LOCAL_GOVERNMENT, QuorumRole.CHAIR),
        ("Deputy Person", Office.DEPUTY_CHAIR, Sector.POLICE, QuorumRole.DEPUTY_CHAIR),
        ("Police Person", Office.MEMBER, Sector.POLICE, QuorumRole.POLICE),
        ("Councils Person", Office.MEMBER, Sector.LONDON_COUNCILS, QuorumRole.LONDON_COUNCILS),
        ("Health Person", Office.MEMBER, Sector.HEALTH, QuorumRole.HEALTH),
        ("Community Person", Office.MEMBER, Sector.COMMUNITY, QuorumRole.COMMUNITY),
    ]:
        f.MemberFactory(group=group, name=name, office=office, sector=sector, quorum_role=role)
    return group


@pytest.fixture
def havering_board(havering):
    """Havering's community safety board (a borough's group)."""
    return f.GroupFactory(owner=havering, slug="havering-csp", name="Havering Community Safety Partnership Board")


@pytest.fixture
def lambeth_board(lambeth):
    return f.GroupFactory(owner=lambeth, slug="lambeth-csp", name="Safer Lambeth Partnership Board")


@pytest.fixture
def governance_world(prg, havering_board, lambeth_board):
    """Groups of the VRU, Havering and Lambeth, each with a member, a meeting of three items and an action."""
    world = {}
    for key, group in (("prg", prg), ("havering", havering_board), ("lambeth", lambeth_board)):
        member = group.members.first() or f.MemberFactory(group=group)
        meeting = f.meeting_with_items(group=group, date=dt.date(2026, 3, 6))
        world[key] = {
            "group": group,
            "member": member,
            "meeting": meeting,
            "item": meeting.items.get(number=1),
            "action": f.ActionFactory(meeting=meeting, item=meeting.items.get(number=1)),
            "attendance": f.AttendanceFactory(meeting=meeting, member=member),
        }
    return world
