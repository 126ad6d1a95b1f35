"""No N+1: the plan list, the reports and the London view read the same number of queries whatever the
number of plans and actions. Each test measures with a few plans, adds more, and measures again."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import AreaFactory, UserFactory
from tests.plans.conftest import complete_content
from vrhub.accounts.models import User
from vrhub.cycle.services import quarterly_update_save, quarters_create
from vrhub.dashboard.selectors import london_overview
from vrhub.organisations.models import Organisation
from vrhub.plans.models import Plan, PlanAction
from vrhub.plans.services import (
    plan_action_update,
    plan_add_local_action,
    plan_create,
    plan_set_optional_actions,
    template_create_from_content,
)
from vrhub.plans.templates import london_template
from vrhub.reports.selectors import london_summary_data, scrutiny_report_data

pytestmark = pytest.mark.django_db

# The South West BCU's four boroughs.
SW_AREAS = ["E09000021", "E09000024", "E09000027", "E09000032"]


def queries(call) -> int:
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured.captured_queries)


def grow(plan: Plan, user=None) -> None:
    """Make the plan bigger in every way a report reads: adopted optional actions, a local action,
    filled-in entries with statuses, quarterly updates."""
    for theme in plan.template.themes.all():
        plan_set_optional_actions(
            plan=plan, theme=theme, user=user, adopted=list(theme.template_actions.filter(kind="optional"))
        )
    theme = plan.template.themes.first()
    plan_add_local_action(plan=plan, theme=theme, user=user, title="A local action", description="Local")
    for action in plan.actions.all()[:6]:
        plan_action_update(action=action, user=user, data=complete_content(status="amber"))
    for quarter in quarters_create(template=plan.template)[:2]:
        for action in plan.actions.all()[:4]:
            quarterly_update_save(action=action, quarter=quarter, user=user, progress="On track", status="green")


@pytest.fixture
def two_years(london, template_2021):
    template_2022 = template_create_from_content(
        vru=london, year=2022, title="2022 template", themes=london_template().themes_2021, published=True
    )
    return template_2021, template_2022


def more_areas(vru: Organisation, count: int = 3) -> list[Organisation]:
    """New boroughs of the VRU, each with its own BCU, so a query per area (or per BCU) shows."""
    return [AreaFactory(vru=vru, bcu__vru=vru) for _ in range(count)]


# Ceilings, measured: a query per area or per plan goes far past them (32 boroughs).
LONDON_VIEW_MAX = 14
LONDON_SELECTOR_MAX = 9
LONDON_SUMMARY_MAX = 10


def start_plans(templates, codes) -> list[Plan]:
    plans = []
    for code in codes:
        for template in templates:
            plans.append(plan_create(area=Organisation.objects.get(code=code), template=template, user=None).plan)
    return plans


def test_plan_list_queries_do_not_grow_with_plans_or_actions(client, two_years):
    commander = UserFactory(
        organisation=Organisation.objects.get(code="MPS-SW"), role=User.Role.SIGNATORY, office=User.Office.BCU_COMMANDER
    )
    client.force_login(commander)
    start_plans(two_years, SW_AREAS[:1])

    def home():
        response = client.get(reverse("home"))
        assert response.status_code == 200
        return response

    home()  # warm the session and caches
    small = queries(home)
    plans = start_plans(two_years, SW_AREAS[1:3])
    grow(plans[0])
    large = queries(home)
    assert Plan.objects.filter(area__code__in=SW_AREAS).count() == 6
    content = home().content.decode()
    for one in Plan.objects.filter(area__code__in=SW_AREAS):
        assert f'href="{reverse("plans:detail", args=[one.pk])}"' in content
    assert large == small


def test_scrutiny_report_queries_do_not_grow_with_actions(plan, editor):
    small = queries(lambda: scrutiny_report_data(plan=plan))
    grow(plan, editor)
    assert PlanAction.objects.filter(plan=plan, source="optional").exists()
    large = queries(lambda: scrutiny_report_data(plan=plan))
    assert large == small


def test_london_summary_report_queries_do_not_grow_with_plans(london, template_2021):
    start_plans([template_2021], SW_AREAS[:2])
    small = queries(lambda: london_summary_data(vru=london, year=2021))
    more = start_plans([template_2021], [*SW_AREAS[2:], "E09000016", "E09000022"])
    grow(more[0])
    extra = more_areas(london)
    start_plans([template_2021], [extra[0].code])
    large = queries(lambda: london_summary_data(vru=london, year=2021))
    rows = london_summary_data(vru=london, year=2021)["rows"]
    assert len(rows) == 35
    assert len([r for r in rows if r["has_plan"]]) == 7
    assert large == small
    assert large <= LONDON_SUMMARY_MAX


def test_london_view_queries_do_not_grow_with_plans(client, london, template_2021):
    start_plans([template_2021], SW_AREAS[:2])
    client.force_login(UserFactory(organisation=london, role=User.Role.VRU_REVIEWER))

    def page():
        assert client.get(reverse("dashboard:overview", args=[2021])).status_code == 200

    page()
    small = queries(page)
    selector_small = queries(lambda: london_overview(vru=london, year=2021))
    more = start_plans([template_2021], [*SW_AREAS[2:], "E09000016", "E09000022"])
    grow(more[0])
    extra = more_areas(london)
    start_plans([template_2021], [extra[0].code])
    large = queries(page)
    selector_large = queries(lambda: london_overview(vru=london, year=2021))
    rows = london_overview(vru=london, year=2021)["rows"]
    assert len(rows) == 35
    assert len([r for r in rows if r.plan]) == 7
    assert large == small
    assert selector_large == selector_small
    assert large <= LONDON_VIEW_MAX
    assert selector_large <= LONDON_SELECTOR_MAX


def test_a_plans_actions_are_read_without_joining_the_plan_its_area_or_its_template(plan):
    sql = str(plan.actions.all().query)
    assert '"plans_plan"' not in sql and '"organisations_organisation"' not in sql and "plans_plantemplate" not in sql
    # ... and still come in theme order, then the action's order and code, not in the order they were made:
    # a local action added last to the first theme, and the first theme's first action moved to its end.
    themes = list(plan.template.themes.order_by("order"))
    first, second = themes[0], themes[1]
    local = plan_add_local_action(plan=plan, theme=first, user=None, title="Late local", description="Local")
    moved = plan.actions.filter(theme=first).exclude(pk=local.pk).order_by("order", "code").first()
    PlanAction.objects.filter(pk=moved.pk).update(order=999)
    assert plan.actions.order_by("pk").last() == local  # made last ...
    actions = list(plan.actions.select_related("theme"))
    first_theme = [a for a in actions if a.theme_id == first.pk]
    assert actions[: len(first_theme)] == first_theme  # ... yet read with its theme,
    assert local in first_theme and first_theme[-1] == moved  # and the moved action at its theme's end,
    assert actions[len(first_theme)].theme_id == second.pk  # before the next theme.
    assert actions == sorted(actions, key=lambda a: (a.theme.order, a.order, a.code))
    assert len({a.theme_id for a in actions}) > 1
