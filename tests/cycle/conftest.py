import pytest

from tests.factories import UserFactory
from tests.plans.conftest import complete_content
from vrhub.accounts.models import User
from vrhub.cycle.services import quarters_create
from vrhub.organisations.models import Organisation
from vrhub.plans.services import plan_action_update


@pytest.fixture
def quarters(template_2021):
    return quarters_create(template=template_2021)


@pytest.fixture
def signatories(havering):
    return {
        "chief_executive": UserFactory(
            organisation=havering,
            role=User.Role.SIGNATORY,
            office=User.Office.CHIEF_EXECUTIVE,
            first_name="Casey",
            last_name="Chief",
        ),
        "leader": UserFactory(
            organisation=havering,
            role=User.Role.SIGNATORY,
            office=User.Office.LEADER,
            first_name="Lee",
            last_name="Leader",
        ),
        "bcu_commander": UserFactory(
            organisation=Organisation.objects.get(code="MPS-EA"),
            role=User.Role.SIGNATORY,
            office=User.Office.BCU_COMMANDER,
            first_name="Cam",
            last_name="Commander",
        ),
    }


@pytest.fixture
def reviewer(london):
    return UserFactory(organisation=london, role=User.Role.VRU_REVIEWER, first_name="Robin", last_name="Reviewer")


@pytest.fixture
def complete_plan(plan, editor):
    for action in plan.actions.all():
        plan_action_update(action=action, user=editor, data=complete_content())
    return plan
