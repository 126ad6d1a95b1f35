"""Hostile requests to the read-only JSON API: a JSON error naming the problem, never a 500, nothing saved.

Generated requests against the OpenAPI description are in tests/transparency/test_schemathesis.py;
these are the hand-picked ones.
"""

import pytest

from tests.hostile.conftest import assert_saved_nothing, snapshot
from vrhub.transparency.services import api_token_issue

pytestmark = pytest.mark.django_db

BIG = "99999999999999999999"
YEAR_ERROR = "year must be a year from 2000 to 2100 in digits, like 2021"
NO_TOKEN = "Authentication required: send 'Authorization: Bearer <token>'"


@pytest.fixture
def keys(world):
    return {
        role: api_token_issue(user=world["users"][role], name="hostile")[1] for role in ("editor", "reviewer", "viewer")
    }


# fmt: off
# id: (token of, path, status, error)
REQUESTS = {
    "plans-year-abc": ("reviewer", "/api/v1/plans?year=abc", 400, YEAR_ERROR),
    "plans-year-superscript-two": ("reviewer", "/api/v1/plans?year=%C2%B2", 400, YEAR_ERROR),
    "plans-year-arabic-indic": ("reviewer", "/api/v1/plans?year=%D9%A2%D9%A0%D9%A2%D9%A1", 400, YEAR_ERROR),
    "plans-year-20-digits": ("reviewer", f"/api/v1/plans?year={BIG}", 400, YEAR_ERROR),
    "plans-year-nul": ("reviewer", "/api/v1/plans?year=2021%00", 400, YEAR_ERROR),
    "plans-year-negative": ("reviewer", "/api/v1/plans?year=-2021", 400, YEAR_ERROR),
    "plans-year-1999": ("reviewer", "/api/v1/plans?year=1999", 400, YEAR_ERROR),
    "plans-year-2101": ("reviewer", "/api/v1/plans?year=2101", 400, YEAR_ERROR),
    "plans-year-float": ("reviewer", "/api/v1/plans?year=2021.0", 400, YEAR_ERROR),
    "plans-year-sql": ("reviewer", "/api/v1/plans?year=2021%20OR%201=1", 400, YEAR_ERROR),
    "plans-year-100k-chars": ("reviewer", "/api/v1/plans?year=" + "9" * 100_000, 400, YEAR_ERROR),
    "plan-20-digits": ("reviewer", f"/api/v1/plans/{BIG}", 404, "No such plan"),
    "plan-of-another-borough": ("editor", "other_plan", 404, "No such plan"),
    "summary-for-a-borough-editor": ("editor", "/api/v1/london/2021/summary", 403, "For VRU staff only"),
    "summary-year-1999": ("reviewer", "/api/v1/london/1999/summary", 404, "There is no template for 1999"),
    "summary-year-20-digits": ("reviewer", f"/api/v1/london/{BIG}/summary", 404,
                               f"There is no template for {BIG}"),
    "public-unpublished": ("reviewer", "/api/v1/public/VRU-LDN/2021/plans", 404,
                           "No plans of 'VRU-LDN' are published for 2021"),
    "public-nul-vru": ("reviewer", "/api/v1/public/%00/2021/plans", 404,
                       "No plans of '\\x00' are published for 2021"),
    "public-script-vru": ("reviewer", "/api/v1/public/%3Cscript%3E/2021/plans", 404,
                          "No plans of '<script>' are published for 2021"),
    "public-sql-vru": ("reviewer", "/api/v1/public/'%20OR%201=1%20--/2021/plans", 404,
                       "No plans of \"' OR 1=1 --\" are published for 2021"),
    "public-20-digit-year": ("reviewer", f"/api/v1/public/VRU-LDN/{BIG}/plans", 404,
                             f"No plans of 'VRU-LDN' are published for {BIG}"),
}
# fmt: on


@pytest.mark.parametrize(("role", "path", "status", "error"), list(REQUESTS.values()), ids=list(REQUESTS))
def test_hostile_api_request_gets_a_json_error(client, world, keys, role, path, status, error):
    if path == "other_plan":
        path = f"/api/v1/plans/{world['other_plan'].pk}"
    before = snapshot()
    response = client.get(path, HTTP_AUTHORIZATION=f"Bearer {keys[role]}")
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"error": error}
    assert_saved_nothing(before)


# fmt: off
# id: Authorization header ("KEY" is replaced by a real key)
HEADERS = {
    "none": None,
    "empty": "",
    "bearer-only": "Bearer",
    "bearer-space": "Bearer ",
    "garbage": "Bearer not-a-token",
    "wrong-prefix": "Bearer abc_KEY",
    "vrh-prefix-only": "Bearer vrh_",
    "one-char-short": "Bearer KEY[:-1]",
    "one-char-more": "Bearer KEYx",
    "basic-scheme": "Basic dXNlcjpwYXNz",
    "token-scheme": "Token KEY",
    "key-without-scheme": "KEY",
    "two-keys": "Bearer KEY KEY",
    "100k-chars": "Bearer vrh_" + "x" * 100_000,
    "nul": "Bearer vrh_\x00",
    "non-ascii": "Bearer vrh_é",
    "sql": "Bearer vrh_' OR 1=1 --",
}
# fmt: on


@pytest.mark.parametrize("header", list(HEADERS.values()), ids=list(HEADERS))
def test_a_bad_authorization_header_gets_401_and_says_how_to_authenticate(client, world, keys, header):
    key = keys["reviewer"]
    extra = {}
    if header is not None:
        header = header.replace("KEY[:-1]", key[:-1]).replace("KEY", key)
        extra["HTTP_AUTHORIZATION"] = header
    before = snapshot()
    response = client.get("/api/v1/plans", **extra)
    assert response.status_code == 401
    assert response.json() == {"error": NO_TOKEN}
    assert response["WWW-Authenticate"] == 'Bearer realm="vrhub"'
    assert_saved_nothing(before)


def test_a_revoked_token_gets_401(client, world):
    from django.utils import timezone

    token, key = api_token_issue(user=world["users"]["reviewer"], name="revoked")
    type(token).objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    before = snapshot()
    response = client.get("/api/v1/plans", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 401
    assert response.json() == {"error": NO_TOKEN}
    assert_saved_nothing(before)
