"""The read replica router (vrhub/core/db_router.py): which database each kind of request reads.

"replica" is a test mirror of "default" (vrhub/settings/test.py): the same database through a second
connection, so each alias's queries can be captured apart. The router is off in the rest of the suite
(REPLICA_DATABASE is None) and switched on here. Request tests commit (transaction=True) so that the
second connection sees the data."""

import pytest
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import UserFactory
from vrhub.accounts.models import User
from vrhub.core.db_router import STICKY_COOKIE, ReplicaRouter, replica_reads_enabled
from vrhub.plans.models import Plan
from vrhub.plans.services import plan_create
from vrhub.transparency.services import api_token_issue

router = ReplicaRouter()


@pytest.fixture
def replica_on(settings):
    settings.REPLICA_DATABASE = "replica"
    yield
    connections["replica"].close()  # a second SQLite connection left open would lock the next test out


def test_without_a_replica_every_read_is_on_default(settings):
    settings.REPLICA_DATABASE = None
    with replica_reads_enabled():
        assert router.db_for_read(Plan) == "default"


def test_a_configured_alias_that_does_not_exist_is_no_replica(settings):
    settings.REPLICA_DATABASE = "nowhere"
    with replica_reads_enabled():
        assert router.db_for_read(Plan) == "default"


@pytest.mark.django_db
def test_marked_reads_go_to_the_replica_but_not_inside_a_transaction_and_writes_never(replica_on):
    assert router.db_for_read(Plan) == "default"  # not in a marked view
    with replica_reads_enabled():
        assert router.db_for_read(Plan) == "replica"
        assert router.db_for_write(Plan) == "default"
        with transaction.atomic():
            assert router.db_for_read(Plan) == "default"
        assert router.db_for_read(Plan) == "replica"
    assert router.db_for_read(Plan) == "default"
    assert router.allow_migrate("default", "plans") is True
    assert router.allow_migrate("replica", "plans") is False


def captured(client_call):
    """(response, SQL read on default, SQL read on the replica) of one request."""
    with (
        CaptureQueriesContext(connections["default"]) as on_default,
        CaptureQueriesContext(connections["replica"]) as on_replica,
    ):
        response = client_call()
    return response, [q["sql"] for q in on_default], [q["sql"] for q in on_replica]


def reads(sqls, table: str) -> bool:
    return any(f'"{table}"' in sql for sql in sqls)


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_which_database_each_kind_of_request_uses(client, replica_on, template_2021, london, editor, havering):
    plan = plan_create(area=havering, template=template_2021, user=editor).plan
    reviewer = UserFactory(organisation=london, role=User.Role.VRU_REVIEWER)
    client.force_login(reviewer)
    overview = reverse("dashboard:overview", args=[2021])

    # The dashboard: the session and the user from the primary, the page's data from the replica.
    response, on_default, on_replica = captured(lambda: client.get(overview))
    assert response.status_code == 200
    assert reads(on_replica, "plans_plan") and not reads(on_default, "plans_plan")
    assert reads(on_default, "django_session") and not reads(on_replica, "django_session")

    # The API with a token: the plans from the replica; recording the token's use is a write, on the primary.
    _, key = api_token_issue(user=reviewer, name="router test")
    api = client.__class__()
    response, on_default, on_replica = captured(
        lambda: api.get(reverse("transparency:api_plan", args=[plan.pk]), HTTP_AUTHORIZATION=f"Bearer {key}")
    )
    assert response.status_code == 200 and response.json()["id"] == plan.pk
    assert reads(on_replica, "plans_planaction") and not reads(on_default, "plans_planaction")
    assert any(sql.startswith("UPDATE") for sql in on_default) and not any(
        sql.startswith("UPDATE") for sql in on_replica
    )

    # A page that is not marked (the plan page) reads only the primary.
    response, on_default, on_replica = captured(lambda: client.get(reverse("plans:detail", args=[plan.pk])))
    assert response.status_code == 200 and on_replica == [] and reads(on_default, "plans_plan")

    # A POST to a marked view stays on the primary.
    response, on_default, on_replica = captured(lambda: client.post(overview))
    assert on_replica == [] and reads(on_default, "plans_plan")

    # After a write (a new API token), this browser reads its own writes from the primary for a while...
    response, on_default, on_replica = captured(
        lambda: client.post(reverse("accounts:token_new"), {"name": "second", "days": "30"})
    )
    assert response.status_code == 200 and on_replica == []
    assert any(sql.startswith('INSERT INTO "transparency_apitoken"') for sql in on_default)
    assert response.cookies[STICKY_COOKIE]["max-age"] == 15
    response, on_default, on_replica = captured(lambda: client.get(overview))
    assert response.status_code == 200 and on_replica == [] and reads(on_default, "plans_plan")
    # ... and from the replica again once the cookie has expired.
    del client.cookies[STICKY_COOKIE]
    response, on_default, on_replica = captured(lambda: client.get(overview))
    assert response.status_code == 200 and reads(on_replica, "plans_plan")


@pytest.mark.django_db  # only "default": a query to the replica would fail the test
def test_without_a_replica_marked_pages_read_the_primary(client, settings, template_2021, london):
    settings.REPLICA_DATABASE = None
    client.force_login(UserFactory(organisation=london, role=User.Role.VRU_REVIEWER))
    assert client.get(reverse("dashboard:overview", args=[2021])).status_code == 200
    response = client.post(reverse("accounts:token_new"), {"name": "x", "days": "30"})
    assert response.status_code == 200 and "vrh_" in response.content.decode()
    assert STICKY_COOKIE not in response.cookies
