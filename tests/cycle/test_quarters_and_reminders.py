import datetime as dt
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command

from vrhub.cycle import services
from vrhub.cycle.selectors import theme_status_trend
from vrhub.plans.content import plan_content_hash

pytestmark = pytest.mark.django_db


def test_four_financial_quarters_idempotent(quarters, template_2021):
    assert [q.label for q in quarters] == ["Q1 2021/22", "Q2 2021/22", "Q3 2021/22", "Q4 2021/22"]
    assert quarters[0].starts_on == dt.date(2021, 4, 1) and quarters[3].ends_on == dt.date(2022, 3, 31)
    assert services.quarters_create(template=template_2021) == quarters


def test_update_is_audited_and_does_not_void_signatures(plan, quarters, editor):
    action = plan.actions.get(code="GOV-M1")
    before = plan_content_hash(plan)
    update = services.quarterly_update_save(
        action=action,
        quarter=quarters[0],
        user=editor,
        progress="Board met",
        status="amber",
        measured_value=Decimal("12"),
    )
    services.quarterly_update_save(
        action=action,
        quarter=quarters[0],
        user=editor,
        progress="Board met twice",
        status="green",
        measured_value=Decimal("12"),
        expected_version=update.version,
    )
    update.refresh_from_db()
    assert (update.status, update.version) == ("green", 2)
    assert plan_content_hash(plan) == before
    from vrhub.core.models import AuditEntry

    assert AuditEntry.objects.filter(
        object_type="cycle.quarterlyupdate", field="status", old="amber", new="green", action_id=action.pk
    ).exists()


def test_closed_quarter_refuses_changes(plan, quarters, editor, reviewer):
    action = plan.actions.first()
    services.quarter_close(quarter=quarters[0], user=reviewer)
    with pytest.raises(ValidationError, match="closed"):
        services.quarterly_update_save(action=action, quarter=quarters[0], user=editor, progress="x", status="red")


def test_update_needs_progress_and_status(plan, quarters, editor):
    with pytest.raises(ValidationError) as exc:
        services.quarterly_update_save(
            action=plan.actions.first(), quarter=quarters[0], user=editor, progress=" ", status="purple"
        )
    assert set(exc.value.message_dict) == {"progress", "status"}


def test_theme_trend_counts_statuses_per_quarter(plan, quarters, editor):
    for action, status in zip(plan.actions.filter(theme__code="GOV")[:3], ["red", "red", "green"], strict=True):
        services.quarterly_update_save(action=action, quarter=quarters[1], user=editor, progress="p", status=status)
    gov = next(t for t in theme_status_trend(plan=plan) if t["theme"].code == "GOV")
    q2 = dict((s.value, n) for s, n in gov["quarters"][1]["counts"])
    assert q2["red"] == 2 and q2["green"] == 1 and gov["quarters"][0]["total"] == 0


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_send_reminders_json_and_once_a_day(plan, quarters, editor):
    services.quarterly_update_save(
        action=plan.actions.first(), quarter=quarters[0], user=editor, progress="p", status="green"
    )
    dry = json.loads(run("send_reminders", "--dry-run", "--json", "--today", "2021-07-10"))
    assert dry == [
        {
            "user": editor.username,
            "area": "E09000016",
            "quarter": "Q1 2021/22",
            "due": "2021-07-14",
            "overdue": False,
            "actions_missing": plan.actions.count() - 1,
        }
    ]
    assert mail.outbox == []
    sent = json.loads(run("send_reminders", "--json", "--today", "2021-07-10"))
    assert sent == dry and len(mail.outbox) == 1 and mail.outbox[0].to == [editor.email]
    assert json.loads(run("send_reminders", "--json", "--today", "2021-07-10")) == []
    assert len(mail.outbox) == 1
    overdue = json.loads(run("send_reminders", "--json", "--today", "2021-07-20"))
    assert overdue[0]["overdue"] is True and len(mail.outbox) == 2


def test_no_reminder_before_the_window_or_for_closed_quarters(plan, quarters, reviewer):
    assert json.loads(run("send_reminders", "--dry-run", "--json", "--today", "2021-06-01")) == []
    services.quarter_close(quarter=quarters[0], user=reviewer)
    assert json.loads(run("send_reminders", "--dry-run", "--json", "--today", "2021-07-20")) == []


def test_send_reminders_rejects_a_bad_date(db):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="--today"):
        run("send_reminders", "--today", "10/07/2021")


def test_plan_status_command(complete_plan, signatories, editor, reviewer):
    from tests.cycle.test_signoff_and_review import sign_all

    sign_all(complete_plan, signatories)
    services.plan_submit(plan=complete_plan, user=editor)
    services.review_comment_add(plan=complete_plan, user=reviewer, body="Looks good")
    result = json.loads(run("plan_status", "--area", "E09000016", "--year", "2021", "--json"))
    assert set(result) == {"state", "signatures", "submitted_at", "late", "review_comments"}
    assert result["state"] == "submitted" and result["review_comments"] == 1 and result["late"] is False
    assert sorted(s["office"] for s in result["signatures"]) == ["bcu_commander", "chief_executive", "leader"]
    assert all(s["valid"] for s in result["signatures"]) and result["submitted_at"]
