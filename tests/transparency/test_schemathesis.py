"""Property-based tests of the read-only API against its own OpenAPI description (schemathesis 4).

The spec is loaded from the running WSGI application at /api/v1/openapi.json and every operation is
called in-process with generated parameters, once with a VRU reviewer's bearer token and once with a
Havering editor's. Every response must be a non-5xx with a status code the spec declares, a declared
content type and a body that matches the declared schema.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.demo_snapshot import demo_data
from vrhub.accounts.models import User
from vrhub.organisations.models import Organisation
from vrhub.transparency.openapi import schema as openapi_schema
from vrhub.transparency.services import api_token_issue, publication_publish

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
OPERATIONS = [(method.upper(), path) for path, item in openapi_schema()["paths"].items() for method in item]
USERS = ["vru.reviewer", "havering.editor"]


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """The demo data (loaded once for the module, rolled back after it), the 2021 plans published so
    that the public operation has data, and a bearer token for each user."""
    with django_db_blocker.unblock(), transaction.atomic():
        demo_data()
        london = Organisation.objects.get(code="VRU-LDN")
        publication_publish(vru=london, year=2021, user=User.objects.get(username="vru.admin"))
        keys = {name: api_token_issue(user=User.objects.get(username=name), name="schemathesis")[1] for name in USERS}
        yield keys
        transaction.set_rollback(True)


@pytest.fixture
def wsgi_app():
    """The real WSGI application, kept from closing the test's database connection after each request
    (as Django's own test client does)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def api(loaded, db, wsgi_app):
    """The schema as the running application serves it."""
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app)


@pytest.mark.parametrize("username", USERS)
@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_api_operation_conforms_to_its_spec(api, loaded, method, path, username):
    key = loaded[username]
    operation = api[path][method]
    statuses: list[int] = []

    @settings(
        max_examples=25,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(case=operation.as_strategy())
    def run(case):
        response = case.call(headers={"Authorization": f"Bearer {key}"})
        statuses.append(response.status_code)
        case.validate_response(response, checks=CHECKS)

    run()
    assert statuses, "schemathesis generated no requests"
    assert all(s < 500 for s in statuses)


@pytest.mark.parametrize("header", ["", "Bearer ", "Bearer vrh_not-a-token", "Basic dXNlcjpwYXNz"])
def test_api_refuses_missing_or_bad_tokens_as_the_spec_says(api, header):
    operation = api["/plans"]["GET"]

    @settings(max_examples=10, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
    @given(case=operation.as_strategy())
    def run(case):
        response = case.call(headers={"Authorization": header} if header else {})
        assert response.status_code == 401, response.text
        assert "Bearer" in response.json()["error"]
        case.validate_response(response, checks=CHECKS)

    run()


KNOWN = {  # path parameters naming real data, so that the 200 responses are checked against their schemas
    "/public/{vru}/{year}/plans": {"vru": "VRU-LDN", "year": 2021},
    "/plans": {},
    "/plans/{id}": {"id": "havering"},
    "/london/{year}/summary": {"year": 2021},
    "/public/national": {},
}


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_api_answers_for_real_data_match_the_response_schemas(api, loaded, method, path):
    from vrhub.plans.models import Plan

    known = dict(KNOWN[path])
    if known.get("id") == "havering":
        known["id"] = Plan.objects.get(area__code="E09000016", is_current=True).pk
    statuses: list[int] = []

    @settings(max_examples=10, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
    @given(case=api[path][method].as_strategy(path_parameters=known))
    def run(case):
        response = case.call(headers={"Authorization": f"Bearer {loaded['vru.reviewer']}"})
        statuses.append(response.status_code)
        case.validate_response(response, checks=CHECKS)

    run()
    assert 200 in statuses, statuses
