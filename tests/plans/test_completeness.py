import pytest

from tests.plans.conftest import complete_content
from vrhub.plans.completeness import plan_completeness
from vrhub.plans.services import plan_action_update

pytestmark = pytest.mark.django_db


def test_empty_plan_lists_every_pointer_for_every_action(plan):
    check = plan_completeness(plan)
    assert not check.complete
    assert check.complete_actions == 0
    fields = {p.field for p in check.problems_for("GOV-M1")}
    assert fields == {"status", "outcome", "baseline", "lead_name", "lead_agency", "start_date", "end_date"}


def test_complete_action_has_no_problems_and_counts_in_its_theme(plan, editor):
    action = plan.actions.get(code="GOV-M1")
    plan_action_update(action=action, user=editor, data=complete_content())
    check = plan_completeness(plan)
    assert check.problems_for("GOV-M1") == []
    assert check.themes["GOV"].complete == 1
    assert check.complete_actions == 1


def test_started_action_needs_progress_but_not_started_does_not(plan, editor):
    action = plan.actions.get(code="GOV-M1")
    plan_action_update(action=action, user=editor, data=complete_content(progress="", status="amber"))
    assert [p.field for p in plan_completeness(plan).problems_for("GOV-M1")] == ["progress"]
    plan_action_update(action=action, user=editor, data={"status": "not_started"})
    assert plan_completeness(plan).problems_for("GOV-M1") == []


def test_not_undertaken_needs_only_a_rationale(plan, editor):
    action = plan.actions.get(code="GOV-M2")
    plan_action_update(
        action=action, user=editor, data={"status": "not_undertaken", "comments": "Covered by a pan-London programme"}
    )
    assert plan_completeness(plan).problems_for("GOV-M2") == []


def test_whole_plan_complete_when_every_action_is(plan, editor):
    for action in plan.actions.all():
        plan_action_update(action=action, user=editor, data=complete_content())
    check = plan_completeness(plan)
    assert check.complete and check.percent == 100


def test_missing_mandatory_action_is_a_plan_problem(plan):
    plan.actions.filter(code="GOV-M1").delete()
    problems = plan_completeness(plan).problems_for("GOV-M1")
    assert [p.field for p in problems] == ["action"]
