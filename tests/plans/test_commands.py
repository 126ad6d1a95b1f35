import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.plans.conftest import complete_content
from vrhub.core.models import AuditEntry
from vrhub.plans.models import Plan, PlanAction
from vrhub.plans.services import plan_action_update

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_plan_check_json_shape_and_counts(plan, editor):
    plan_action_update(action=plan.actions.get(code="GOV-M1"), user=editor, data=complete_content())
    result = json.loads(run("plan_check", "--area", "E09000016", "--year", "2021", "--json"))
    assert set(result) == {"area", "year", "actions", "themes", "problems", "complete"}
    assert (result["area"], result["year"], result["complete"]) == ("E09000016", 2021, False)
    assert result["actions"] == plan.actions.count()
    assert result["themes"]["GOV"] == {"actions": plan.actions.filter(theme__code="GOV").count(), "complete": 1}
    assert {"action": "GOV-M2", "field": "outcome", "message": "Enter the outcome(s) this action aims for"} in result[
        "problems"
    ]
    assert not [p for p in result["problems"] if p["action"] == "GOV-M1"]


def test_plan_check_complete_plan(plan, editor):
    for action in plan.actions.all():
        plan_action_update(action=action, user=editor, data=complete_content())
    result = json.loads(run("plan_check", "--area", "E09000016", "--year", "2021", "--json"))
    assert result["complete"] is True and result["problems"] == []


@pytest.mark.parametrize(
    ("area", "year", "message"), [("E09000099", "2021", "Unknown area"), ("E09000016", "1999", "no plan for 1999")]
)
def test_plan_check_unknown_area_or_year_fails(plan, area, year, message):
    with pytest.raises(CommandError, match=message):
        run("plan_check", "--area", area, "--year", year, "--json")


def test_plan_check_exit_status_from_the_shell(transactional_db, plan):
    import subprocess
    import sys

    from django.conf import settings
    from django.db import connection

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        url = f"sqlite:///{connection.settings_dict['NAME']}"
    else:
        url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{connection.settings_dict['NAME']}"
    env = {"DJANGO_SETTINGS_MODULE": "vrhub.settings.local", "PATH": "/usr/bin:/bin", "DATABASE_URL": url}
    command = [sys.executable, "manage.py", "plan_check", "--year", "2021", "--json", "--area"]
    ok = subprocess.run([*command, "E09000016"], capture_output=True, text=True, env=env, cwd=settings.BASE_DIR)
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["complete"] is False
    bad = subprocess.run([*command, "NOPE"], capture_output=True, text=True, env=env, cwd=settings.BASE_DIR)
    assert bad.returncode != 0
    assert bad.stderr.strip().splitlines() == [
        "CommandError: Unknown area 'NOPE': give the ONS code of a CSP area, e.g. E09000016."
    ]


def test_seed_demo_is_idempotent_and_varied(db):
    run("seed_demo", "--force")
    counts = (Plan.objects.count(), PlanAction.objects.count(), AuditEntry.objects.count())
    # London's 32 boroughs and the West Midlands' seven CSPs, one synthetic plan each.
    assert Plan.objects.filter(area__vru__code="VRU-LDN").count() == 32
    assert Plan.objects.filter(area__vru__code="VRU-WMD").count() == 7
    assert counts[0] == 32 + 7
    run("seed_demo", "--force")
    assert (Plan.objects.count(), PlanAction.objects.count(), AuditEntry.objects.count()) == counts
    from vrhub.plans.completeness import plan_completeness

    percents = {plan_completeness(p).percent for p in Plan.objects.all()}
    assert len(percents) > 5
    assert all(p.synthetic for p in Plan.objects.all())
    statuses = set(PlanAction.objects.exclude(status="").values_list("status", flat=True))
    assert statuses == {"red", "amber", "green", "not_started", "complete", "not_undertaken"}


def test_seed_demo_refuses_without_debug(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        run("seed_demo")
