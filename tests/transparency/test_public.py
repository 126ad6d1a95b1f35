import csv
import io

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from vrhub.accounts.models import User
from vrhub.organisations.models import Organisation
from vrhub.plans.models import Plan
from vrhub.plans.services import document_add, plan_action_update, plan_create
from vrhub.transparency.services import api_token_issue, publication_publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(template_2021, london):
    admin = UserFactory(organisation=london, role=User.Role.VRU_ADMIN)
    plan = plan_create(area=Organisation.objects.get(code="E09000016"), template=template_2021, user=None).plan
    action = plan.actions.get(code="GOV-M1")
    plan_action_update(
        action=action, user=None, data={"lead_name": "Jo Secretname", "progress": "Board met in May", "status": "green"}
    )
    document_add(action=action, user=None, title="Internal briefing", url="https://example.org/internal", internal=True)
    document_add(action=action, user=None, title="Public strategy", url="https://example.org/strategy")
    Plan.objects.filter(pk=plan.pk).update(state="accepted")
    draft = plan_create(area=Organisation.objects.get(code="E09000022"), template=template_2021, user=None).plan
    plan_action_update(action=draft.actions.get(code="GOV-M1"), user=None, data={"progress": "Draft secret"})
    return {"admin": admin, "plan": plan, "london": london}


def test_nothing_public_until_published(client, published):
    assert client.get(reverse("transparency:plans", args=["VRU-LDN", 2021])).status_code == 404
    assert client.get(reverse("transparency:api_public_plans", args=["VRU-LDN", 2021])).status_code == 404


def test_public_page_without_personal_data_or_internal_documents(client, published):
    publication_publish(vru=published["london"], year=2021, user=published["admin"])
    body = client.get(reverse("transparency:plans", args=["VRU-LDN", 2021])).content.decode()
    assert "Board met in May" in body and "Public strategy" in body
    assert "Jo Secretname" not in body and "Internal briefing" not in body and "Draft secret" not in body
    api = client.get(reverse("transparency:api_public_plans", args=["VRU-LDN", 2021])).json()
    text = str(api)
    assert "Board met in May" in text and "Jo Secretname" not in text and "Internal briefing" not in text
    assert next(b for b in api["boroughs"] if b["area"] == "E09000022")["accepted"] is False
    rows = list(
        csv.reader(io.StringIO(client.get(reverse("transparency:csv", args=["VRU-LDN", 2021])).content.decode()))
    )
    assert rows[0][:4] == ["area_code", "area", "theme", "action_code"]
    assert any(r[3] == "GOV-M1" and r[7] == "Board met in May" for r in rows)
    assert "Jo Secretname" not in str(rows)


def test_only_vru_admin_publishes(client, published, editor):
    client.force_login(editor)
    assert client.post(reverse("transparency:publish", args=[2021])).status_code == 403
    client.force_login(published["admin"])
    assert client.post(reverse("transparency:publish", args=[2021])).status_code == 302
    assert client.get(reverse("transparency:plans", args=["VRU-LDN", 2021])).status_code == 200


def test_api_needs_a_token_for_non_public_data(client, published, editor):
    assert client.get(reverse("transparency:api_plans")).status_code == 401
    assert client.get(reverse("transparency:api_plans"), HTTP_AUTHORIZATION="Bearer vrh_wrong").status_code == 401
    _token, key = api_token_issue(user=editor, name="BI tool")
    response = client.get(reverse("transparency:api_plans"), HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200
    assert [p["area"] for p in response.json()["plans"]] == ["E09000016"]
    detail = client.get(
        reverse("transparency:api_plan", args=[published["plan"].pk]), HTTP_AUTHORIZATION=f"Bearer {key}"
    ).json()
    assert detail["actions"][0]["lead"]["name"] in ("", "Jo Secretname")
    other = Plan.objects.get(area__code="E09000022")
    assert (
        client.get(reverse("transparency:api_plan", args=[other.pk]), HTTP_AUTHORIZATION=f"Bearer {key}").status_code
        == 404
    )
    assert (
        client.get(
            reverse("transparency:api_london_summary", args=[2021]), HTTP_AUTHORIZATION=f"Bearer {key}"
        ).status_code
        == 403
    )


def test_openapi_schema_is_served(client, db):
    schema = client.get(reverse("transparency:api_openapi")).json()
    assert schema["openapi"].startswith("3.") and "/plans" in schema["paths"]
    assert schema["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
