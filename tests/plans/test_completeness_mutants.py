"""Completeness pointers pinned down where mutation testing found them loose (docs/mutation-testing.md).

Most checks build unsaved actions: ``action_problems`` reads only the action's own fields.
"""

import datetime as dt

import pytest

from tests.factories import PlanActionFactory, PlanFactory, TemplateActionFactory, ThemeFactory
from tests.plans.conftest import complete_content
from vrhub.plans.completeness import (
    PlanCompleteness,
    Problem,
    action_problems,
    completeness_from,
    plan_completeness,
    plans_completeness,
)
from vrhub.plans.models import PlanAction, TemplateAction, Theme


def action(**fields) -> PlanAction:
    data = complete_content() | {"code": "X-1", "start_note": "", "end_note": ""}
    return PlanAction(**(data | fields))


def fields_of(problems: list[Problem]) -> list[str]:
    return [p.field for p in problems]


def test_a_complete_action_has_no_problems():
    assert action_problems(action()) == []


def test_an_empty_action_is_told_every_pointer_in_order_with_its_code():
    problems = action_problems(
        action(status="", outcome="", baseline="", lead_name="", lead_agency="", start_date=None, end_date=None)
    )
    assert [p.as_dict() for p in problems] == [
        {"action": "X-1", "field": "status", "message": "Choose a status"},
        {"action": "X-1", "field": "outcome", "message": "Enter the outcome(s) this action aims for"},
        {"action": "X-1", "field": "baseline", "message": "Enter a baseline for the outcome"},
        {"action": "X-1", "field": "lead_name", "message": "Name the lead for this action"},
        {"action": "X-1", "field": "lead_agency", "message": "Enter the lead's agency"},
        {"action": "X-1", "field": "start_date", "message": "Enter a start date (an estimate is allowed)"},
        {"action": "X-1", "field": "end_date", "message": "Enter an end date (an estimate is allowed)"},
    ]


@pytest.mark.parametrize("name", ["outcome", "baseline", "lead_name", "lead_agency", "progress"])
def test_whitespace_is_not_content(name):
    assert fields_of(action_problems(action(**{name: " \n\t "}))) == [name]


@pytest.mark.parametrize("status", ["red", "amber", "green", "complete"])
def test_every_started_status_needs_progress(status):
    assert [p.as_dict() for p in action_problems(action(status=status, progress=""))] == [
        {"action": "X-1", "field": "progress", "message": "Describe progress to date"}
    ]


def test_not_started_and_no_status_do_not_ask_for_progress():
    assert action_problems(action(status="not_started", progress="")) == []
    assert fields_of(action_problems(action(status="", progress=""))) == ["status"]


def test_not_undertaken_needs_a_rationale_and_nothing_else():
    bare = action(
        status="not_undertaken", comments="  ", outcome="", baseline="", lead_name="", start_date=None, progress=""
    )
    assert [p.as_dict() for p in action_problems(bare)] == [
        {
            "action": "X-1",
            "field": "comments",
            "message": "Give the rationale for not undertaking this action in the comments",
        }
    ]
    bare.comments = "Covered by the pan-London programme"
    assert action_problems(bare) == []


@pytest.mark.parametrize("note", ["Ongoing", "  on-going ", "CONTINUOUS", "Business as usual", "BAU"])
def test_an_open_ended_note_stands_in_for_either_date(note):
    assert action_problems(action(start_date=None, start_note=note)) == []
    assert action_problems(action(end_date=None, end_note=note)) == []


@pytest.mark.parametrize("note", ["TBC", "", "ongoing from April", "later"])
def test_other_notes_do_not_stand_in_for_a_date(note):
    assert fields_of(action_problems(action(start_date=None, start_note=note))) == ["start_date"]
    assert fields_of(action_problems(action(end_date=None, end_note=note))) == ["end_date"]


def test_a_note_is_ignored_when_the_date_is_given():
    assert action_problems(action(start_date=dt.date(2021, 4, 1), start_note="TBC")) == []


@pytest.mark.parametrize(
    ("actions", "complete", "percent"),
    [(0, 0, 0), (3, 0, 0), (3, 1, 33), (3, 2, 66), (3, 3, 100), (200, 199, 99), (7, 1, 14)],
)
def test_percent_is_the_whole_share_of_complete_actions_rounded_down(actions, complete, percent):
    check = PlanCompleteness(actions=actions, complete_actions=complete, themes={})
    assert check.percent == percent


def test_a_plan_is_complete_only_without_problems():
    assert PlanCompleteness(actions=0, complete_actions=0, themes={}).complete
    problem = Problem("X-1", "status", "Choose a status")
    assert not PlanCompleteness(actions=1, complete_actions=1, themes={}, problems=[problem]).complete


def test_problems_for_keeps_only_that_actions_problems():
    problems = [Problem("A", "status", "m"), Problem("B", "status", "m"), Problem("A", "outcome", "m")]
    check = PlanCompleteness(actions=2, complete_actions=0, themes={}, problems=problems)
    assert check.problems_for("A") == [problems[0], problems[2]]
    assert check.problems_for("C") == []


@pytest.mark.django_db
def test_theme_counts_and_plan_percent_on_a_plan(plan, editor):
    from vrhub.plans.services import plan_action_update

    gov = list(plan.actions.filter(theme__code="GOV").order_by("order", "code"))
    assert len(gov) >= 3
    for a in gov[:2]:
        plan_action_update(action=a, user=editor, data=complete_content())
    check = plan_completeness(plan)
    total = plan.actions.count()
    assert check.actions == total
    assert check.complete_actions == 2
    assert check.percent == int(100 * 2 / total)
    assert (check.themes["GOV"].actions, check.themes["GOV"].complete) == (len(gov), 2)
    assert sum(t.actions for t in check.themes.values()) == total
    assert sum(t.complete for t in check.themes.values()) == 2
    assert check.themes["GOV"].title == plan.template.themes.get(code="GOV").title
    assert not check.complete


@pytest.mark.django_db
def test_only_missing_mandatory_actions_of_this_plans_template_are_problems():
    plan = PlanFactory()
    theme = ThemeFactory(template=plan.template, code="T")
    kept = TemplateActionFactory(theme=theme, code="M-KEPT")
    TemplateActionFactory(theme=theme, code="M-GONE")
    TemplateActionFactory(theme=theme, code="O-NOT-ADOPTED", kind=TemplateAction.Kind.OPTIONAL)
    other_template_theme = ThemeFactory()  # another template (another VRU's or year's)
    TemplateActionFactory(theme=other_template_theme, code="M-ELSEWHERE")
    PlanActionFactory(
        plan=plan,
        theme=theme,
        template_action=kept,
        source=PlanAction.Source.MANDATORY,
        code="M-KEPT",
        **complete_content(),
    )
    PlanActionFactory(plan=plan, theme=theme, code="LOCAL-1", **complete_content())  # no template action
    check = plan_completeness(plan)
    assert [p.as_dict() for p in check.problems] == [
        {"action": "M-GONE", "field": "action", "message": "This mandatory action is missing from the plan"}
    ]
    assert (check.actions, check.complete_actions, check.percent) == (2, 2, 100)
    assert not check.complete


@pytest.mark.django_db
def test_problems_follow_the_plans_layout_theme_by_theme_then_action_order_then_code(plan):
    gov = plan.template.themes.get(code="GOV")
    # Two local actions at the same place in the first theme, added out of alphabetical order.
    PlanActionFactory(plan=plan, theme=gov, code="GOV-L-B", order=0)
    PlanActionFactory(plan=plan, theme=gov, code="GOV-L-A", order=0)
    # And one placed last in the theme although its code sorts first.
    PlanActionFactory(plan=plan, theme=gov, code="GOV-A", order=999)
    actions = list(plan.actions.select_related("theme"))
    expected = [a.code for a in sorted(actions, key=lambda a: (a.theme.order, a.order, a.code))]
    check = plan_completeness(plan)
    seen = list(dict.fromkeys(p.action for p in check.problems))
    assert seen == expected
    assert seen[:2] == ["GOV-L-A", "GOV-L-B"]
    gov_codes = [code for code in seen if code.startswith("GOV-")]
    assert gov_codes[-1] == "GOV-A"
    assert {code: t.code for code, t in check.themes.items()} == {t.code: t.code for t in plan.template.themes.all()}


# The rule from rows already read, and for many plans at once --------------------------------------------


def test_completeness_from_counts_each_action_in_its_own_theme_and_lists_missing_mandatory_actions_in_order():
    themes = [Theme(pk=1, code="GOV", title="Governance"), Theme(pk=2, code="DATA", title="Data")]
    mandatory = [
        TemplateAction(pk=10, code="GOV-M1"),
        TemplateAction(pk=11, code="GOV-M2"),
        TemplateAction(pk=12, code="DATA-M1"),
    ]
    actions = [
        action(code="GOV-M1", theme_id=1, template_action_id=10),
        action(code="DATA-L1", theme_id=2, outcome=""),
        action(code="DATA-L2", theme_id=2),
        action(code="DATA-L3", theme_id=2, status=""),
    ]
    check = completeness_from(actions=actions, themes=themes, mandatory=mandatory)
    assert list(check.themes) == ["GOV", "DATA"]
    assert [(t.code, t.title, t.actions, t.complete) for t in check.themes.values()] == [
        ("GOV", "Governance", 1, 1),
        ("DATA", "Data", 3, 1),
    ]
    assert (check.actions, check.complete_actions, check.percent) == (4, 2, 50)
    assert [(p.action, p.field) for p in check.problems] == [
        ("DATA-L1", "outcome"),
        ("DATA-L3", "status"),
        ("GOV-M2", "action"),
        ("DATA-M1", "action"),
    ]
    assert check.problems[-1].message == "This mandatory action is missing from the plan"


def test_completeness_from_accepts_a_generator_of_actions():
    themes = [Theme(pk=1, code="GOV", title="Governance")]
    check = completeness_from(
        actions=(a for a in [action(code="A", theme_id=1), action(code="B", theme_id=1)]), themes=themes, mandatory=[]
    )
    assert (check.actions, check.complete_actions, check.themes["GOV"].actions) == (2, 2, 2)


@pytest.fixture
def three_plans(plan, editor, london):
    """Havering 2021 with two complete actions, Redbridge 2021 without one of its mandatory actions and
    Havering 2022 (another template) as created."""
    from vrhub.organisations.models import Organisation
    from vrhub.plans.services import plan_action_update, plan_create, template_create_from_content
    from vrhub.plans.templates import london_template

    for a in plan.actions.order_by("code")[:2]:
        plan_action_update(action=a, user=editor, data=complete_content())
    redbridge = plan_create(area=Organisation.objects.get(code="E09000026"), template=plan.template, user=None).plan
    redbridge.actions.filter(source=PlanAction.Source.MANDATORY).order_by("code").first().delete()
    template_2022 = template_create_from_content(
        vru=london, year=2022, title="2022", themes=london_template().themes_2021, published=True
    )
    later = plan_create(area=plan.area, template=template_2022, user=None).plan
    return [later, plan, redbridge]


@pytest.mark.django_db
def test_many_plans_are_each_checked_as_alone_in_three_queries(three_plans, django_assert_num_queries):
    with django_assert_num_queries(3):
        result = plans_completeness(plans=iter(three_plans))
    assert result == {p.pk: plan_completeness(p) for p in three_plans}
    for p in three_plans:
        assert list(result[p.pk].themes) == list(p.template.themes.order_by("order").values_list("code", flat=True))
    later, havering, redbridge = (result[p.pk] for p in three_plans)
    assert havering.complete_actions == 2 and later.complete_actions == 0
    assert [p.field for p in redbridge.problems].count("action") == 1
    assert "action" not in [p.field for p in havering.problems + later.problems]


@pytest.mark.django_db
def test_given_actions_are_used_as_they_are_and_a_plan_left_out_has_none(three_plans, django_assert_num_queries):
    later, havering, redbridge = three_plans
    given = {havering.pk: list(havering.actions.order_by("theme__order", "order", "code"))}
    with django_assert_num_queries(2):
        result = plans_completeness(plans=[havering, redbridge], actions_by_plan=given)
    assert list(result) == [havering.pk, redbridge.pk]
    assert result[havering.pk] == plan_completeness(havering)
    mandatory = TemplateAction.objects.filter(
        theme__template=redbridge.template, kind=TemplateAction.Kind.MANDATORY
    ).count()
    assert (result[redbridge.pk].actions, result[redbridge.pk].complete_actions) == (0, 0)
    assert [p.field for p in result[redbridge.pk].problems] == ["action"] * mandatory


@pytest.mark.django_db
def test_no_plans_no_queries(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert plans_completeness(plans=[]) == {}
