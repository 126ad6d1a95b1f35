import pytest

from tests.demo_snapshot import demo_data
from tests.factories import UserFactory
from vrhub.accounts.models import User
from vrhub.organisations.models import Organisation
from vrhub.organisations.services import london_load, west_midlands_load
from vrhub.plans.services import plan_create, template_create_from_content
from vrhub.plans.templates import london_template


@pytest.fixture
def london(db):
    """The London VRU, its partners, BCUs and 32 boroughs."""
    return london_load()


@pytest.fixture
def west_midlands(db):
    """A second VRU: the West Midlands VRP, its PCC, West Midlands Police, its LPAs and seven CSPs."""
    return west_midlands_load()


@pytest.fixture
def template_2021(london):
    return template_create_from_content(
        vru=london, year=2021, title="2021 template", themes=london_template().themes_2021, published=True
    )


@pytest.fixture
def demo(db):
    """The full demo data set (organisations, templates, users, 32 synthetic plans): built by demo_load once
    per run, copied in afterwards (tests/demo_snapshot.py)."""
    return demo_data()


@pytest.fixture
def havering(london):
    return Organisation.objects.get(code="E09000016")


@pytest.fixture
def editor(havering):
    return UserFactory(username="hav.editor", organisation=havering, role=User.Role.BOROUGH_EDITOR)


@pytest.fixture
def plan(template_2021, editor, havering):
    return plan_create(area=havering, template=template_2021, user=editor).plan
