"""Issue 16, hostile: the read replica router. Who is asking (a bearer token, its user, role and organisation)
is read from the primary, as the session's user is: a token revoked, a user deactivated or moved to another
VRU a moment ago must not act on the replica's older copy (replication lag) in the API's marked views."""

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import UserFactory
from vrhub.accounts.models import User
from vrhub.plans.services import plan_create
from vrhub.transparency.services import api_token_issue


@pytest.fixture
def replica_on(settings):
    settings.REPLICA_DATABASE = "replica"
    yield
    connections["replica"].close()


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_a_bearer_token_and_its_user_are_read_from_the_primary(client, replica_on, template_2021, london, havering):
    editor = UserFactory(organisation=havering, role=User.Role.BOROUGH_EDITOR)
    plan = plan_create(area=havering, template=template_2021, user=editor).plan
    _, key = api_token_issue(user=editor, name="lag test")
    with (
        CaptureQueriesContext(connections["default"]) as on_default,
        CaptureQueriesContext(connections["replica"]) as on_replica,
    ):
        response = client.get(reverse("transparency:api_plan", args=[plan.pk]), HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200 and response.json()["id"] == plan.pk
    replica_sql = [q["sql"] for q in on_replica]
    default_sql = [q["sql"] for q in on_default]
    assert not any('"transparency_apitoken"' in sql for sql in replica_sql)
    assert not any('FROM "accounts_user"' in sql for sql in replica_sql)
    assert any('FROM "transparency_apitoken"' in sql for sql in default_sql)
    # The plan itself still comes from the replica (the check above is not "everything on the primary").
    assert any('"plans_plan"' in sql for sql in replica_sql)


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_the_signed_in_users_organisation_is_read_from_the_primary(client, replica_on, template_2021, london):
    """The session's user is read from the primary before a marked view switches, and so must their organisation
    be (which VRU's data they see): read lazily on the replica, a person moved to another VRU a moment ago would
    still see the old VRU's dashboard during the lag. (Regression: the evidence scope middleware loads it.)"""
    reviewer = UserFactory(organisation=london, role=User.Role.VRU_REVIEWER)
    client.force_login(reviewer)
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        response = client.get(reverse("dashboard:overview", args=[2021]))
    assert response.status_code == 200
    own = f'WHERE "organisations_organisation"."id" = {london.pk}'
    assert not any(own in q["sql"] for q in on_replica), [q["sql"] for q in on_replica if own in q["sql"]]
    assert len(on_replica) > 0  # the page's data did come from the replica
