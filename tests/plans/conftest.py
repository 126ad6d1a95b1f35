import pytest

from tests.factories import UserFactory
from vrhub.accounts.models import User
from vrhub.organisations.models import Organisation
from vrhub.plans.services import plan_create


@pytest.fixture
def havering(london):
    return Organisation.objects.get(code="E09000016")


@pytest.fixture
def editor(havering):
    return UserFactory(username="hav.editor", organisation=havering, role=User.Role.BOROUGH_EDITOR)


@pytest.fixture
def plan(template_2021, editor, havering):
    return plan_create(area=havering, template=template_2021, user=editor).plan


def complete_content(**overrides):
    from datetime import date

    data = {
        "outcome": "Fewer knife injuries among under-25s",
        "baseline": "2020/21: 120 offences",
        "lead_name": "Sam Patel",
        "lead_role": "Community Safety Manager",
        "lead_agency": "Council",
        "start_date": date(2021, 4, 1),
        "start_estimated": False,
        "end_date": date(2022, 3, 31),
        "end_estimated": True,
        "progress": "Under way",
        "comments": "",
        "status": "green",
    }
    return data | overrides
