import csv
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import UserFactory
from vrhub.accounts.models import User
from vrhub.core.models import AuditEntry
from vrhub.organisations.models import Organisation
from vrhub.plans.models import Plan, PlanAction
from vrhub.plans.services import document_add, plan_action_update, plan_create
from vrhub.transparency.models import Publication
from vrhub.transparency.services import api_token_issue, publication_publish, publication_withdraw

pytestmark = pytest.mark.django_db

URLS = ("plans", "csv", "api_public_plans")  # the public views of a VRU's published year


@pytest.fixture
def published(template_2021, london):
    admin = UserFactory(organisation=london, role=User.Role.VRU_ADMIN)
    plan = plan_create(area=Organisation.objects.get(code="E09000016"), template=template_2021, user=None).plan
    action = plan.actions.get(code="GOV-M1")
    plan_action_update(
        action=action, user=None, data={"lead_name": "Jo Secretname", "progress": "Board met in May", "status": "green"}
    )
    for n, other in enumerate(plan.actions.exclude(pk=action.pk).order_by("code")[:3]):
        plan_action_update(action=other, user=None, data={"lead_name": f"Lead Person{n}", "progress": f"Work {n}"})
    document_add(action=action, user=None, title="Internal briefing", url="https://example.org/internal", internal=True)
    document_add(action=action, user=None, title="Public strategy", url="https://example.org/strategy")
    Plan.objects.filter(pk=plan.pk).update(state="accepted")
    draft = plan_create(area=Organisation.objects.get(code="E09000022"), template=template_2021, user=None).plan
    plan_action_update(action=draft.actions.get(code="GOV-M1"), user=None, data={"progress": "Draft secret"})
    return {"admin": admin, "plan": plan, "london": london}


def test_nothing_public_until_published(client, published):
    assert client.get(reverse("transparency:plans", args=["VRU-LDN", 2021])).status_code == 404
    assert client.get(reverse("transparency:api_public_plans", args=["VRU-LDN", 2021])).status_code == 404


def lead_names(*plans) -> set[str]:
    names = set(PlanAction.objects.filter(plan__in=plans).exclude(lead_name="").values_list("lead_name", flat=True))
    assert len(names) >= 4, "the fixture gives several actions a lead"
    return names


def public_responses(client) -> dict[str, str]:
    """The three public views of the published plans, as text."""
    return {
        "page": client.get(reverse("transparency:plans", args=["VRU-LDN", 2021])).content.decode(),
        "api": client.get(reverse("transparency:api_public_plans", args=["VRU-LDN", 2021])).content.decode(),
        "csv": client.get(reverse("transparency:csv", args=["VRU-LDN", 2021])).content.decode(),
    }


def test_public_page_without_personal_data_or_internal_documents(client, published):
    publication_publish(vru=published["london"], year=2021, user=published["admin"])
    responses = public_responses(client)
    body = responses["page"]
    assert "Board met in May" in body and "Public strategy" in body
    assert "Internal briefing" not in body and "Draft secret" not in body
    for name in lead_names(*Plan.objects.all()):
        for kind, text in responses.items():
            assert name not in text, f"lead name {name!r} is in the public {kind}"
    api = json.loads(responses["api"])
    havering = next(b for b in api["boroughs"] if b["area"] == "E09000016")
    gov_m1 = next(a for t in havering["themes"] for a in t["actions"] if a["code"] == "GOV-M1")
    # The fields the API always had are unchanged; new fields are only added.
    assert {k: gov_m1[k] for k in ("code", "title", "status", "outcome", "progress", "links")} == {
        "code": "GOV-M1",
        "title": published["plan"].actions.get(code="GOV-M1").title,
        "status": "Green",
        "outcome": "",
        "progress": "Board met in May",
        "links": [{"title": "Public strategy", "url": "https://example.org/strategy"}],
    }
    assert "Internal briefing" not in responses["api"]
    assert next(b for b in api["boroughs"] if b["area"] == "E09000022")["accepted"] is False
    rows = list(csv.reader(io.StringIO(responses["csv"])))
    # The first eight columns are as they were; new ones only follow them.
    assert rows[0][:8] == ["area_code", "area", "theme", "action_code", "action", "status", "outcome", "progress"]
    (gov_m1_row,) = [r for r in rows if r[0] == "E09000016" and r[3] == "GOV-M1"]
    assert gov_m1_row[5:8] == ["Green", "", "Board met in May"]
    assert {r[0] for r in rows[1:]} == {"E09000016"}, "only the accepted plan's actions are listed"


def test_withdrawn_publication_is_no_longer_public_and_is_audited(client, published):
    london, admin = published["london"], published["admin"]
    pub = publication_publish(vru=london, year=2021, user=admin)
    assert {k: client.get(reverse(f"transparency:{k}", args=["VRU-LDN", 2021])).status_code for k in URLS} == {
        k: 200 for k in URLS
    }
    publication_withdraw(vru=london, year=2021, user=admin, reason="A borough asked for a correction")
    assert not Publication.objects.exists()
    assert {k: client.get(reverse(f"transparency:{k}", args=["VRU-LDN", 2021])).status_code for k in URLS} == {
        k: 404 for k in URLS
    }
    assert "VRU-LDN" not in client.get(reverse("transparency:index")).content.decode()
    assert client.get(reverse("transparency:api_index")).json()["publications"] == []
    (entry,) = AuditEntry.objects.filter(object_type="transparency.publication", action=AuditEntry.Action.DELETE)
    assert (entry.object_id, entry.actor, entry.old, entry.new) == (str(pub.pk), admin, str(pub), "")
    (why,) = AuditEntry.objects.filter(object_type="transparency.publication", field="withdrawn_because")
    assert (why.actor, why.new) == (admin, "A borough asked for a correction")
    with pytest.raises(ValidationError, match="not published"):
        publication_withdraw(vru=london, year=2021, user=admin, reason="Again")


def test_withdraw_through_the_page_by_the_vru_admin_only(client, published, editor):
    publication_publish(vru=published["london"], year=2021, user=published["admin"])
    url = reverse("transparency:withdraw", args=[2021])
    client.force_login(editor)
    assert client.post(url, {"reason": "No"}).status_code == 403
    assert Publication.objects.count() == 1
    client.force_login(published["admin"])
    page = client.get(url)
    assert page.status_code == 200 and "Withdraw the 2021/22 plans from publication?" in page.content.decode()
    assert Publication.objects.count() == 1, "asking changes nothing"
    no_reason = client.post(url, {"reason": "  "})
    assert no_reason.status_code == 200
    assert "Say why the plans are being withdrawn from publication" in no_reason.content.decode()
    assert Publication.objects.count() == 1
    assert client.post(url, {"reason": "Wrong year published"}).status_code == 302
    assert not Publication.objects.exists()
    client.logout()
    assert client.get(reverse("transparency:plans", args=["VRU-LDN", 2021])).status_code == 404


def test_only_vru_admin_publishes(client, published, editor):
    client.force_login(editor)
    assert client.post(reverse("transparency:publish", args=[2021])).status_code == 403
    client.force_login(published["admin"])
    url = reverse("transparency:publish", args=[2021])
    ids = str(published["plan"].pk)
    assert client.post(url, {"plans": ids, "confirm": "yes"}).status_code == 302
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
    # Not public: the borough's own editor, with a token, sees each action's lead as the plan records it.
    expected = dict(published["plan"].actions.values_list("code", "lead_name"))
    assert {a["code"]: a["lead"]["name"] for a in detail["actions"]} == expected
    assert expected["GOV-M1"] == "Jo Secretname"
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
