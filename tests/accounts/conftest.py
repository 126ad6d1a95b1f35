import pytest
from django_otp.oath import totp

from tests.factories import AreaFactory, UserFactory, VruFactory
from vrhub.accounts.models import User
from vrhub.organisations.models import Organisation


@pytest.fixture
def otp_on(settings):
    """Two-factor authentication as in production (the test settings switch it off for other tests)."""
    settings.OTP_REQUIRED_ROLES = ["vru_admin", "signatory"]
    settings.OTP_REQUIRED_FOR_STAFF = True
    settings.DEBUG = False
    settings.VRHUB_DEMO_SKIP_2FA = False
    return settings


@pytest.fixture
def vru_admin(london):
    return UserFactory(
        username="ldn.admin", organisation=london, role=User.Role.VRU_ADMIN, is_staff=True, is_superuser=True
    )


@pytest.fixture
def reviewer(london):
    return UserFactory(username="ldn.reviewer", organisation=london, role=User.Role.VRU_REVIEWER)


@pytest.fixture
def signatory(havering):
    return UserFactory(
        username="hav.ceo", organisation=havering, role=User.Role.SIGNATORY, office=User.Office.CHIEF_EXECUTIVE
    )


@pytest.fixture
def bcu_user(london):
    """A user of a BCU that works with the London VRU."""
    return UserFactory(
        username="ea.cmd",
        organisation=Organisation.objects.get(code="MPS-EA"),
        role=User.Role.SIGNATORY,
        office=User.Office.BCU_COMMANDER,
    )


@pytest.fixture
def other_vru(db):
    return VruFactory(code="VRU-WM", name="West Midlands VRU")


@pytest.fixture
def other_vru_admin(other_vru):
    return UserFactory(username="wm.admin", organisation=other_vru, role=User.Role.VRU_ADMIN)


@pytest.fixture
def other_vru_editor(other_vru):
    return UserFactory(username="wm.editor", organisation=AreaFactory(vru=other_vru), role=User.Role.BOROUGH_EDITOR)


def code_for(device, drift: int = 0) -> str:
    """The code an authenticator app with this device's key shows now (``drift`` steps away)."""
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift)
    return f"{value:0{device.digits}d}"
