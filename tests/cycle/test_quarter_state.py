"""One rule decides whether a quarter is open, due soon, overdue, submitted or closed: the pages and the
reminders use it, and they agree."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from vrhub.accounts.models import User
from vrhub.cycle import selectors, services
from vrhub.cycle.selectors import QuarterState
from vrhub.plans.models import PlanAction, Status

pytestmark = pytest.mark.django_db
D = date


def test_the_rule_on_each_side_of_each_boundary(quarters):
    q1 = quarters[0]  # due 14 July 2021

    def state(today, done=0, total=5, days=7):
        return selectors.quarter_state(quarter=q1, done=done, total=total, today=today, due_soon_days=days).state

    assert state(D(2021, 7, 6)) == QuarterState.OPEN
    assert state(D(2021, 7, 7)) == QuarterState.DUE_SOON
    assert state(D(2021, 7, 14)) == QuarterState.DUE_SOON
    assert state(D(2021, 7, 15)) == QuarterState.OVERDUE
    assert state(D(2021, 7, 15), done=5) == QuarterState.SUBMITTED
    assert state(D(2021, 7, 14), days=0) == QuarterState.DUE_SOON
    assert state(D(2021, 7, 13), days=0) == QuarterState.OPEN
    q1.closed_at = q1.due_on  # closed wins over everything
    assert state(D(2021, 7, 20)) == QuarterState.CLOSED


def test_due_soon_uses_the_reminder_setting_by_default(quarters, settings):
    settings.REMINDER_DAYS_BEFORE = 3
    q1 = quarters[0]
    states = [selectors.quarter_state(quarter=q1, done=0, total=1, today=D(2021, 7, d)).state for d in (10, 11)]
    assert states == [QuarterState.OPEN, QuarterState.DUE_SOON]


def test_the_detail_counts_missing_actions_and_days_with_plurals(quarters):
    q1 = quarters[0]
    one = selectors.quarter_state(quarter=q1, done=4, total=5, today=D(2021, 7, 15), due_soon_days=7)
    assert one.detail == "1 day past the due date; 1 action still to update"
    many = selectors.quarter_state(quarter=q1, done=0, total=5, today=D(2021, 7, 12), due_soon_days=7)
    assert many.detail == "Due in 2 days; 5 actions still to update"
    assert many.label == "Due soon" and "not_" not in many.detail


def test_the_counts_leave_out_actions_not_being_undertaken(plan, quarters, editor):
    actions = list(plan.actions.order_by("code"))
    PlanAction.objects.filter(pk=actions[0].pk).update(status=Status.NOT_UNDERTAKEN)
    services.quarterly_update_save(action=actions[1], quarter=quarters[0], user=editor, progress="p", status="green")
    services.quarterly_update_save(action=actions[0], quarter=quarters[0], user=editor, progress="p", status="green")
    progress = selectors.plan_quarter_progress(plan=plan, today=D(2021, 7, 1))
    assert (progress[0].done, progress[0].total) == (1, len(actions) - 1)
    assert [(p.done, p.total) for p in progress[1:]] == [(0, len(actions) - 1)] * 3


def page_states(client, plan) -> dict[str, str]:
    html = client.get(reverse("cycle:quarters", args=[plan.pk])).content.decode()
    cells = re.findall(r'data-quarter="(\d)">.*?data-testid="quarter-state"><strong[^>]*>([^<]+)</strong>', html, re.S)
    return {f"Q{n} 2021/22": label for n, label in cells}


def test_pages_and_reminders_agree_on_every_day_of_the_year(client, plan, quarters, editor, monkeypatch):
    """On each day from April 2021 to May 2022 (with some updates in and one quarter finished), the quarters
    reminded are exactly those the quarters page shows as Due soon or Overdue, and overdue means the same."""
    actions = list(plan.actions.all())
    for action in actions:  # Q2 complete, Q3 partly done
        services.quarterly_update_save(action=action, quarter=quarters[1], user=editor, progress="p", status="green")
    services.quarterly_update_save(action=actions[0], quarter=quarters[2], user=editor, progress="p", status="red")
    client.force_login(editor)
    day = D(2021, 4, 1)
    checked = set()
    while day <= D(2022, 5, 1):
        reminded = {r["quarter"]: r["overdue"] for r in services.reminders_due(today=day)}
        monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, _d=day, **k: _d)
        if day.day in (1, 8, 14, 15, 20):  # the page on a sample of days (it is slower than the selector)
            shown = page_states(client, plan)
            assert len(shown) == len(quarters), (day, shown)  # every quarter's state was read from the page
            assert {q for q, s in shown.items() if s in ("Due soon", "Overdue")} == set(reminded), day
            assert {q for q, s in shown.items() if s == "Overdue"} == {q for q, o in reminded.items() if o}, day
        progress = selectors.plan_quarter_progress(plan=plan, today=day)
        assert {p.quarter.label: p.overdue for p in progress if p.needs_reminder} == reminded, day
        checked |= {p.state for p in progress}
        day += timedelta(days=1)
    assert checked == {QuarterState.OPEN, QuarterState.DUE_SOON, QuarterState.OVERDUE, QuarterState.SUBMITTED}


def test_a_closed_quarter_is_closed_on_the_page_and_never_reminded(client, plan, quarters, editor, london):
    services.quarter_close(quarter=quarters[0], user=UserFactory(organisation=london, role=User.Role.VRU_ADMIN))
    assert [r for r in services.reminders_due(today=D(2021, 8, 1)) if r["quarter"] == "Q1 2021/22"] == []
    client.force_login(editor)
    assert page_states(client, plan)["Q1 2021/22"] == "Closed"


def test_the_theme_page_shows_the_due_date_state_and_each_actions_update(client, plan, quarters, editor, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: D(2021, 7, 16))
    services.quarterly_update_save(
        action=plan.actions.get(code="GOV-M1"), quarter=quarters[0], user=editor, progress="p", status="amber"
    )
    client.force_login(editor)
    html = client.get(reverse("cycle:quarter_theme", args=[plan.pk, 1, "GOV"])).content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert re.search(r"Due 14 July 2021 Overdue 2 days past the due date", text)
    blocks = dict(re.findall(r'data-code="([A-Z]+-[A-Z0-9]+)".*?data-testid="update-in">(.*?)</p>', html, re.S))
    assert "Update in" in blocks["GOV-M1"]
    assert "No update yet: overdue" in blocks["GOV-M2"]


def test_a_reminder_for_one_missing_action_is_singular_and_dated_in_words(plan, quarters, editor):
    from django.core import mail

    actions = list(plan.actions.all())
    for action in actions[1:]:
        services.quarterly_update_save(action=action, quarter=quarters[0], user=editor, progress="p", status="green")
    services.reminders_send(today=D(2021, 7, 15))
    assert [m.subject for m in mail.outbox] == ["vrhub: Havering Q1 2021/22 updates were due on 14 July 2021"]
    assert mail.outbox[0].body.startswith(
        "1 action in the Havering plan has no Q1 2021/22 update yet. Updates were due by 14 July 2021."
    )


def test_the_plan_page_shows_the_first_quarter_still_waiting_with_its_state(
    client, plan, quarters, editor, monkeypatch
):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: D(2021, 10, 10))
    for action in plan.actions.all():  # Q1 done; Q2 (due 14 October) is due soon
        services.quarterly_update_save(action=action, quarter=quarters[0], user=editor, progress="p", status="green")
    client.force_login(editor)
    html = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    waiting = re.search(r'data-testid="quarter-waiting">(.*?)</span>', html, re.S)[1]
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", waiting)).strip()
    total = plan.actions.exclude(status=Status.NOT_UNDERTAKEN).count()
    assert text == f"Q2 2021/22: due 14 October 2021 Due soon 0 of {total} actions updated"
