import pytest

from tests.factories import UserFactory
from vrhub.accounts.models import User
from vrhub.organisations.models import Organisation

Kind = Organisation.Kind


@pytest.fixture
def unassigned(db):
    """Two police force areas, unassigned, and four unassigned CSPs: three in Staffordshire, one in Kent."""
    staffs = Organisation.objects.create(kind=Kind.POLICE_FORCE, code="E23000015", name="Staffordshire")
    kent = Organisation.objects.create(kind=Kind.POLICE_FORCE, code="E23000032", name="Kent")
    made = {}
    for code, name, force in (
        ("E22000270", "Stoke-on-Trent", staffs),
        ("E22000263", "Cannock Chase", staffs),
        ("E22000271", "Tamworth", staffs),
        ("E22000143", "Medway", kent),
    ):
        made[code] = Organisation.objects.create(
            kind=Kind.AREA, code=code, csp_code=code, name=name, police_force=force
        )
    return made


@pytest.fixture
def wm_admin(west_midlands):
    return UserFactory(username="wm.admin", organisation=west_midlands, role=User.Role.VRU_ADMIN)


@pytest.fixture
def ldn_admin(london):
    return UserFactory(username="ldn.admin", organisation=london, role=User.Role.VRU_ADMIN)
