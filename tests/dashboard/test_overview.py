import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import UserFactory
from vrhub.accounts.models import User
from vrhub.dashboard.selectors import london_overview
from vrhub.organisations.models import Organisation
from vrhub.plans.models import PlanAction
from vrhub.plans.services import plan_create, plan_set_optional_actions

pytestmark = pytest.mark.django_db


def make_plans(template, codes):
    plans = []
    for code in codes:
        area = Organisation.objects.get(code=code)
        plan = plan_create(area=area, template=template, user=None).plan
        theme = template.themes.get(code="WPN")
        plan_set_optional_actions(
            plan=plan, theme=theme, user=None, adopted=list(theme.template_actions.filter(kind="optional"))[:1]
        )
        plans.append(plan)
    return plans


def test_query_count_does_not_grow_with_boroughs(template_2021, london):
    make_plans(template_2021, ["E09000016"])
    with CaptureQueriesContext(connection) as small:
        london_overview(vru=london, year=2021)
    make_plans(template_2021, [f"E090000{n:02d}" for n in range(2, 16)])
    PlanAction.objects.filter(plan__area__code="E09000002").update(status="red")
    with CaptureQueriesContext(connection) as large:
        data = london_overview(vru=london, year=2021)
    assert len(large.captured_queries) == len(small.captured_queries) <= 10
    assert len([r for r in data["rows"] if r.plan]) == 15


def test_overview_contents(template_2021, london):
    plans = make_plans(template_2021, ["E09000016", "E09000022"])
    PlanAction.objects.filter(plan=plans[0], code="GOV-M1").update(status="red")
    data = london_overview(vru=london, year=2021)
    havering = next(r for r in data["rows"] if r.area.code == "E09000016")
    assert havering.status["red"] == 1
    assert "R 1" in havering.heat("GOV")["text"]
    rates = {a["action"].code: a["rate"] for a in data["adoption"]}
    assert rates["WPN-O1"] == 100 and rates["GOV-O1"] == 0
    assert havering.not_started == PlanAction.objects.filter(plan=plans[0], source="mandatory", status="").count()
    filtered = london_overview(vru=london, year=2021, bcu="MPS-EA", theme="GOV")
    assert [r.area.name for r in filtered["rows"]] == ["Barking and Dagenham", "Havering", "Redbridge"]
    gov = PlanAction.objects.filter(plan=plans[0], source="mandatory", status="", theme__code="GOV").count()
    assert next(r for r in filtered["rows"] if r.area.code == "E09000016").not_started == gov


def test_sorting(template_2021, london):
    from tests.plans.conftest import complete_content
    from vrhub.plans.services import plan_action_update

    plan = make_plans(template_2021, ["E09000016"])[0]
    plan_action_update(action=plan.actions.get(code="GOV-M1"), user=None, data=complete_content())
    rows = london_overview(vru=london, year=2021, sort="completeness", descending=True)["rows"]
    assert rows[0].area.code == "E09000016"


def test_page_is_for_vru_staff(client, template_2021, london, editor):
    make_plans(template_2021, ["E09000016"])
    reviewer = UserFactory(organisation=london, role=User.Role.VRU_REVIEWER)
    client.force_login(reviewer)
    body = client.get(reverse("dashboard:overview", args=[2021]) + "?sort=completeness&dir=desc").content.decode()
    assert "Havering" in body and 'aria-sort="descending"' in body
    client.force_login(editor)
    assert client.get(reverse("dashboard:overview", args=[2021])).status_code == 403


def test_london_summary_command(template_2021, london):
    make_plans(template_2021, ["E09000016"])
    out = StringIO()
    call_command("london_summary", "--year", "2021", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert set(data) >= {"boroughs", "themes", "optional_adoption"}
    havering = next(b for b in data["boroughs"] if b["area"] == "E09000016")
    assert set(havering) == {"area", "name", "state", "completeness", "status", "late"}
    assert havering["state"] == "draft" and set(havering["status"]) >= {"Red", "Amber", "Green"}
    assert next(b for b in data["boroughs"] if b["area"] == "E09000022")["state"] == "no_plan"
    assert data["optional_adoption"]["WPN-O1"] == 1.0


def test_dashboard_page_query_count_is_constant(client, template_2021, london):
    reviewer = UserFactory(organisation=london, role=User.Role.VRU_REVIEWER)
    client.force_login(reviewer)
    make_plans(template_2021, ["E09000016"])
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("dashboard:overview", args=[2021])).status_code == 200
    make_plans(template_2021, [f"E090000{n:02d}" for n in range(2, 12)])
    with CaptureQueriesContext(connection) as large:
        assert client.get(reverse("dashboard:overview", args=[2021])).status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)
    assert len(large.captured_queries) <= 20
