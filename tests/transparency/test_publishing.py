"""Publishing with care: a preview of exactly what becomes public, a confirmation, stale previews refused,
withdrawal asked and its reason audited; the public page shows each action's public fields."""

import re
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import UserFactory
from vrhub.accounts.models import User
from vrhub.core.models import AuditEntry
from vrhub.cycle.models import QuarterlyUpdate
from vrhub.cycle.services import quarterly_update_save, quarters_create
from vrhub.organisations.models import Organisation
from vrhub.plans.models import Plan, PlanAction
from vrhub.plans.services import plan_action_update, plan_create
from vrhub.transparency.models import Publication
from vrhub.transparency.services import WITHDRAW_REASON_MAX, publication_publish, publication_withdraw

pytestmark = pytest.mark.django_db

HAVERING, BARNET, ISLINGTON = "E09000016", "E09000003", "E09000019"


@pytest.fixture
def world(template_2021, london):
    admin = UserFactory(organisation=london, role=User.Role.VRU_ADMIN)
    havering = plan_create(area=Organisation.objects.get(code=HAVERING), template=template_2021, user=None).plan
    gov = havering.actions.get(code="GOV-M1")
    plan_action_update(
        action=gov,
        user=None,
        data={
            "outcome": "A board that meets every quarter",
            "baseline": "2020/21: 2 meetings",
            "lead_name": "Jo Secretname",
            "start_date": date(2021, 4, 1),
            "end_date": date(2022, 3, 31),
            "end_estimated": True,
            "status": "amber",
        },
    )
    plan_action_update(action=havering.actions.get(code="GOV-M2"), user=None, data={"start_note": "Ongoing"})
    quarters = quarters_create(template=template_2021)
    quarterly_update_save(action=gov, quarter=quarters[0], user=None, progress="Met in May", status="green")
    quarterly_update_save(action=gov, quarter=quarters[1], user=None, progress="Met in August", status="amber")
    Plan.objects.filter(pk=havering.pk).update(state="accepted")
    barnet = plan_create(area=Organisation.objects.get(code=BARNET), template=template_2021, user=None).plan
    plan_action_update(
        action=barnet.actions.get(code="GOV-M1"), user=None, data={"outcome": "Barnet draft outcome, not public"}
    )
    return {"admin": admin, "london": london, "havering": havering, "barnet": barnet, "gov": gov}


def _preview(client, world):
    client.force_login(world["admin"])
    return client.get(reverse("transparency:publish", args=[2021]))


def _plan_ids(body: str) -> str:
    return re.search(r'name="plans" value="([0-9,]*)"', body).group(1)


def test_the_preview_shows_exactly_the_accepted_plans_public_fields_and_changes_nothing(client, world):
    audit_before = AuditEntry.objects.count()
    response = _preview(client, world)
    body = response.content.decode()
    assert response.status_code == 200
    assert not Publication.objects.exists() and AuditEntry.objects.count() == audit_before, "a GET changes nothing"
    # Every action of the accepted plan is shown, with its public fields read from the database here.
    for action in PlanAction.objects.filter(plan=world["havering"]):
        assert f'data-code="{action.code}"' in body
    gov = PlanAction.objects.get(pk=world["gov"].pk)
    for text in (gov.outcome, gov.baseline, "1 April 2021", "31 March 2022 (estimated)", "Ongoing"):
        assert text in body, text
    latest = QuarterlyUpdate.objects.filter(action=gov).order_by("-quarter__number").first()
    assert f"Quarter {latest.quarter.number} (July to September 2021): Amber." in body
    assert latest.progress in body
    # Not accepted, or not public: never in the preview.
    assert "Barnet draft outcome" not in body and "Jo Secretname" not in body
    assert 'data-area="E09000003"' not in body
    accepted = Plan.objects.filter(area__vru=world["london"], state="accepted").count()
    actions = PlanAction.objects.filter(plan__state="accepted").count()
    assert f"{accepted} borough" in body and f"({actions} actions)" in body
    without = Organisation.objects.filter(kind="area", vru=world["london"]).exclude(plans__state="accepted").count()
    assert f"No accepted plan yet ({without} boroughs):" in body
    assert _plan_ids(body) == str(world["havering"].pk)


def test_publishing_needs_the_confirmation(client, world):
    body = _preview(client, world).content.decode()
    response = client.post(reverse("transparency:publish", args=[2021]), {"plans": _plan_ids(body)}, follow=True)
    assert not Publication.objects.exists()
    assert "Confirm that you have checked what will become public" in response.content.decode()
    response = client.post(
        reverse("transparency:publish", args=[2021]), {"plans": _plan_ids(body), "confirm": "yes"}, follow=True
    )
    pub = Publication.objects.get()
    assert "now public" in response.content.decode()
    (entry,) = AuditEntry.objects.filter(object_type="transparency.publication", object_id=str(pub.pk))
    assert entry.actor == world["admin"]


def test_a_stale_preview_is_refused_naming_the_borough(client, world):
    body = _preview(client, world).content.decode()
    Plan.objects.filter(pk=world["barnet"].pk).update(state="accepted")  # accepted while the admin read the preview
    response = client.post(
        reverse("transparency:publish", args=[2021]), {"plans": _plan_ids(body), "confirm": "yes"}, follow=True
    )
    assert not Publication.objects.exists()
    text = response.content.decode()
    assert "The preview is out of date" in text and "Barnet" in text and "Nothing was published" in text
    fresh = _preview(client, world).content.decode()
    assert "Barnet draft outcome, not public" in fresh, "the new preview shows the newly accepted plan"
    client.post(reverse("transparency:publish", args=[2021]), {"plans": _plan_ids(fresh), "confirm": "yes"})
    assert Publication.objects.count() == 1


def test_the_service_refuses_a_stale_list_and_a_second_publication(world):
    with pytest.raises(ValidationError, match="out of date"):
        publication_publish(vru=world["london"], year=2021, user=world["admin"], expected_plan_ids=[])
    publication_publish(vru=world["london"], year=2021, user=world["admin"], expected_plan_ids=[world["havering"].pk])
    with pytest.raises(ValidationError, match="already published"):
        publication_publish(vru=world["london"], year=2021, user=world["admin"])


def test_withdrawal_needs_a_reason_within_the_limit(world):
    publication_publish(vru=world["london"], year=2021, user=world["admin"])
    with pytest.raises(ValidationError, match="Say why"):
        publication_withdraw(vru=world["london"], year=2021, user=world["admin"], reason=" ")
    with pytest.raises(ValidationError, match=f"{WITHDRAW_REASON_MAX} characters or fewer"):
        publication_withdraw(
            vru=world["london"], year=2021, user=world["admin"], reason="x" * (WITHDRAW_REASON_MAX + 1)
        )
    assert Publication.objects.count() == 1, "a refused withdrawal changes nothing"
    assert not AuditEntry.objects.filter(field="withdrawn_because").exists()


def test_another_vrus_admin_cannot_publish_or_withdraw(client, world):
    other_vru = Organisation.objects.create(code="VRU-OTH", kind="vru", name="Another VRU")
    stranger = UserFactory(organisation=other_vru, role=User.Role.VRU_ADMIN)
    client.force_login(stranger)
    assert client.get(reverse("transparency:publish", args=[2021])).status_code == 404, "no template of theirs"
    publication_publish(vru=world["london"], year=2021, user=world["admin"])
    client.post(reverse("transparency:withdraw", args=[2021]), {"reason": "Not mine"})
    assert Publication.objects.filter(vru=world["london"]).count() == 1


def test_the_public_page_lists_boroughs_without_a_plan_on_one_line(client, world):
    publication_publish(vru=world["london"], year=2021, user=world["admin"])
    client.logout()
    body = client.get(reverse("transparency:plans", args=["VRU-LDN", 2021])).content.decode()
    areas = Organisation.objects.filter(kind="area", vru=world["london"])
    with_plan = set(Plan.objects.filter(state="accepted").values_list("area__name", flat=True))
    without = sorted(a.name for a in areas if a.name not in with_plan)
    assert f"No accepted plan yet ({len(without)} boroughs):</strong> {', '.join(without)}." in body
    assert body.count('<details class="govuk-details"') == len(with_plan) == 1
    gov = PlanAction.objects.get(pk=world["gov"].pk)
    assert gov.outcome in body and gov.baseline in body and "Met in August" in body
    assert "Jo Secretname" not in body


def test_the_api_adds_the_public_fields_and_the_latest_update(client, world):
    publication_publish(vru=world["london"], year=2021, user=world["admin"])
    data = client.get(reverse("transparency:api_public_plans", args=["VRU-LDN", 2021])).json()
    havering = next(b for b in data["boroughs"] if b["area"] == HAVERING)
    actions = {a["code"]: a for t in havering["themes"] for a in t["actions"]}
    gov = PlanAction.objects.get(pk=world["gov"].pk)
    latest = QuarterlyUpdate.objects.filter(action=gov).order_by("-quarter__number").first()
    assert actions["GOV-M1"]["baseline"] == gov.baseline
    assert (actions["GOV-M1"]["start_date"], actions["GOV-M1"]["end_date"]) == (
        gov.start_date.isoformat(),
        gov.end_date.isoformat(),
    )
    assert actions["GOV-M1"]["latest_update"] == {
        "quarter": f"Quarter {latest.quarter.number}",
        "period": "July to September 2021",
        "status": latest.get_status_display(),
        "progress": latest.progress,
    }
    assert actions["GOV-M2"]["start"] == "Ongoing" and actions["GOV-M2"]["latest_update"] is None
    assert "lead_name" not in actions["GOV-M1"] and "Jo Secretname" not in str(data)


def test_a_reaccepted_new_version_is_what_is_published_not_the_earlier_one(client, world):
    """Both versions are accepted; the public sees only the latest (the earlier one is kept for the record)."""
    from vrhub.plans.services import plan_new_version
    from vrhub.transparency.selectors import public_plan_ids

    old = Plan.objects.get(pk=world["havering"].pk)
    editor = UserFactory(organisation=old.area, role=User.Role.BOROUGH_EDITOR)
    new = plan_new_version(plan=old, user=editor)
    plan_action_update(action=new.actions.get(code="GOV-M1"), user=editor, data={"outcome": "Version two outcome"})
    Plan.objects.filter(pk=new.pk).update(state="accepted")
    assert set(Plan.objects.filter(area=old.area, state="accepted").values_list("version", flat=True)) == {1, 2}
    assert public_plan_ids(vru=world["london"], year=2021) == [new.pk]
    publication_publish(vru=world["london"], year=2021, user=world["admin"], expected_plan_ids=[new.pk])
    client.logout()
    body = client.get(reverse("transparency:plans", args=["VRU-LDN", 2021])).content.decode()
    assert "Version two outcome" in body
    assert "A board that meets every quarter" not in body, "the earlier version's outcome is not shown"
    data = client.get(reverse("transparency:api_public_plans", args=["VRU-LDN", 2021])).json()
    havering = next(b for b in data["boroughs"] if b["area"] == HAVERING)
    (gov,) = [a for t in havering["themes"] for a in t["actions"] if a["code"] == "GOV-M1"]
    assert gov["outcome"] == "Version two outcome"
