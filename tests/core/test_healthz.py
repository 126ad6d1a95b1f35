import json
from unittest import mock

from django.db import OperationalError


def test_healthz_ok_without_signing_in(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok", "database": "ok"}


def test_healthz_reports_unreachable_database(client, db):
    with mock.patch("vrhub.core.views.connection.cursor", side_effect=OperationalError("connection refused")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content) == {"status": "error", "database": "error"}


def test_healthz_rejects_post(client, db):
    assert client.post("/healthz").status_code == 405
