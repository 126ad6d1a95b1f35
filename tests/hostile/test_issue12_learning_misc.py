"""Issue 12 break-it: learning pages with nasty input and other boroughs' drafts; template next-year double submit."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory, VruFactory
from vrhub.accounts.models import User
from vrhub.organisations.models import Organisation
from vrhub.plans import services
from vrhub.plans.models import PlanTemplate

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(london):
    return UserFactory(organisation=london, role=User.Role.VRU_ADMIN)


@pytest.fixture
def lambeth_draft(template_2021):
    lambeth = Organisation.objects.get(code="E09000022")
    ed = UserFactory(organisation=lambeth, role=User.Role.BOROUGH_EDITOR)
    plan = services.plan_create(area=lambeth, template=template_2021, user=ed).plan
    plan.actions.filter(code="GOV-M1").update(outcome="Zombie knives amnesty secret draft", progress="Zombie knives")
    return plan


@pytest.mark.parametrize("q", ["x" * 100_000, "a\x00b", "' OR 1=1 --", "zombie knives", "\u202e", "*" * 500])
def test_library_search_nasty_queries_never_500_and_no_other_drafts(client, editor, lambeth_draft, q):
    client.force_login(editor)
    r = client.get(reverse("learning:library"), {"q": q})
    assert r.status_code in (200, 400)
    assert "secret draft" not in r.content.decode()


def test_similar_work_never_shows_another_boroughs_draft(client, plan, editor, lambeth_draft):
    action = plan.actions.get(code="GOV-M1")
    services.plan_action_update(action=action, user=editor, data={"outcome": "Zombie knives amnesty in the borough"})
    client.force_login(editor)
    r = client.get(reverse("learning:similar", args=[plan.pk, action.pk]))
    assert r.status_code == 200
    assert "Lambeth" not in r.content.decode()


def test_similar_work_of_another_boroughs_action_is_404(client, plan, editor, lambeth_draft):
    client.force_login(editor)
    foreign = lambeth_draft.actions.first()
    assert client.get(reverse("learning:similar", args=[lambeth_draft.pk, foreign.pk])).status_code == 404
    assert client.get(reverse("learning:similar", args=[plan.pk, foreign.pk])).status_code == 404


@pytest.mark.parametrize("query", ["", "?quarter=9", "?quarter=-1", "?quarter=%00", "?quarter=" + "9" * 40])
def test_emerging_themes_nasty_params_and_roles(client, plan, editor, admin, query):
    url = reverse("learning:emerging", args=[2021]) + query
    client.force_login(editor)
    assert client.get(url).status_code in (403, 404)
    client.force_login(admin)
    assert client.get(url).status_code in (200, 400, 404)
    client.force_login(UserFactory(organisation=VruFactory(), role=User.Role.VRU_ADMIN))
    r = client.get(url)
    assert r.status_code in (200, 400, 403, 404)
    assert "Havering" not in r.content.decode()


def test_start_next_year_twice_makes_one_template(client, template_2021, admin):
    client.force_login(admin)
    for _ in range(2):
        client.post(reverse("templates:next"), {"source": template_2021.pk})
    assert PlanTemplate.objects.filter(vru=template_2021.vru, year=2022).count() == 1


@pytest.mark.parametrize("source", ["", "abc", "99999999", "1 OR 1=1", "9" * 30])
def test_start_next_year_forged_source(client, template_2021, admin, source):
    client.force_login(admin)
    r = client.post(reverse("templates:next"), {"source": source})
    assert r.status_code in (302, 404)
    assert not PlanTemplate.objects.filter(year=2022).exists()


def test_start_next_year_from_another_vrus_template_is_404(client, template_2021):
    client.force_login(UserFactory(organisation=VruFactory(), role=User.Role.VRU_ADMIN))
    r = client.post(reverse("templates:next"), {"source": template_2021.pk})
    assert r.status_code == 404
    assert not PlanTemplate.objects.filter(year=2022).exists()
