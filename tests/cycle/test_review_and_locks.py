"""Review decisions are one transaction that validates first; every content change locks the plan's row
and re-checks its state (plan_lock_editable); reminders take a fixed number of queries."""

import threading
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.cycle.test_signoff_and_review import sign_all
from tests.factories import UserFactory
from vrhub.accounts.models import User
from vrhub.core.models import AuditEntry
from vrhub.cycle import services
from vrhub.cycle.models import ReviewComment
from vrhub.organisations.models import Organisation
from vrhub.plans.models import Plan, PlanAction
from vrhub.plans.services import plan_action_update, plan_add_local_action, plan_create, plan_lock_editable

TOO_LONG = "x" * 5_001  # ReviewComment.body allows 5,000 characters


@pytest.fixture
def submitted(complete_plan, signatories, editor):
    sign_all(complete_plan, signatories)
    return services.plan_submit(plan=complete_plan, user=editor)


def _decision_left_no_trace(plan) -> None:
    plan.refresh_from_db()
    assert plan.state == Plan.State.SUBMITTED and plan.accepted_at is None
    assert not ReviewComment.objects.filter(plan=plan).exists()
    assert not AuditEntry.objects.filter(object_type="plans.plan", object_id=str(plan.pk), field="state").exclude(
        new=Plan.State.SUBMITTED
    )


# Review decisions -----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("decision", [services.plan_accept, services.plan_return])
def test_a_decision_with_a_comment_over_the_limit_writes_nothing(decision, submitted, reviewer):
    with pytest.raises(ValidationError) as refused:
        decision(plan=submitted, user=reviewer, comment=TOO_LONG)
    assert list(refused.value.message_dict) == ["comment"]
    assert "5,000" in refused.value.message_dict["comment"][0]
    _decision_left_no_trace(submitted)


@pytest.mark.django_db
@pytest.mark.parametrize("decision", [services.plan_accept, services.plan_return])
def test_a_decision_that_fails_after_changing_the_state_is_undone_whole(decision, submitted, reviewer, monkeypatch):
    """The comment is written after the state change; if that step fails, the state change, its audit
    entries and the comment itself are rolled back with it (the decision is one transaction)."""
    real_comment_add = services.review_comment_add

    def comment_then_fail(**kwargs):
        real_comment_add(**kwargs)  # the comment is written, then the step fails
        raise ValidationError("the comment could not be sent")

    monkeypatch.setattr(services, "review_comment_add", comment_then_fail)
    audit_before = AuditEntry.objects.count()
    with pytest.raises(ValidationError, match="the comment could not be sent"):
        decision(plan=submitted, user=reviewer, comment="ok")
    _decision_left_no_trace(submitted)
    assert AuditEntry.objects.count() == audit_before


@pytest.mark.django_db
def test_accepting_with_a_comment_accepts_and_comments_in_one_call(submitted, reviewer):
    plan = services.plan_accept(plan=submitted, user=reviewer, comment="  Well evidenced.  ")
    assert plan.state == Plan.State.ACCEPTED
    assert list(ReviewComment.objects.filter(plan=plan).values_list("body", "author")) == [
        ("Well evidenced.", reviewer.pk)
    ]


@pytest.mark.django_db
def test_accepting_without_a_comment_adds_none(submitted, reviewer):
    services.plan_accept(plan=submitted, user=reviewer, comment="   ")
    assert not ReviewComment.objects.filter(plan=submitted).exists()


@pytest.mark.django_db
def test_the_review_page_refuses_a_long_comment_and_leaves_the_plan_submitted(client, submitted, reviewer):
    client.force_login(reviewer)
    response = client.post(reverse("cycle:review", args=[submitted.pk]), {"decision": "accept", "comment": TOO_LONG})
    assert response.status_code == 200  # the form again, with the error: not a redirect to an accepted plan
    assert "5,000" in response.content.decode()
    _decision_left_no_trace(submitted)


# The one editable guard ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_plan_lock_editable_refuses_a_submitted_plan(submitted):
    with transaction.atomic(), pytest.raises(ValidationError, match="submitted and cannot be changed"):
        plan_lock_editable(plan_id=submitted.pk)


@pytest.mark.django_db(transaction=True)
def test_plan_lock_editable_needs_the_callers_transaction(plan):
    """Outside a transaction the lock would end with its own query: refused, so that no caller relies on it."""
    with pytest.raises(RuntimeError, match="inside the transaction"):
        plan_lock_editable(plan_id=plan.pk)
    with transaction.atomic():
        assert plan_lock_editable(plan_id=plan.pk).pk == plan.pk


@pytest.mark.django_db
def test_a_content_change_checks_the_plan_as_stored_not_as_passed(plan, editor, reviewer):
    """The caller's Plan object still says draft; the row says submitted: the row decides."""
    stale = Plan.objects.get(pk=plan.pk)
    Plan.objects.filter(pk=plan.pk).update(state=Plan.State.SUBMITTED)
    with pytest.raises(ValidationError, match="submitted and cannot be changed"):
        plan_add_local_action(plan=stale, theme=stale.template.themes.first(), user=editor, title="Late addition")
    assert not plan.actions.filter(source=PlanAction.Source.LOCAL).exists()


# Reminders ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_reminders_take_the_same_queries_for_one_borough_as_for_three(template_2021, london):
    services.quarters_create(template=template_2021)
    areas = list(Organisation.objects.filter(kind="area", vru=london).order_by("code")[:3])
    today = date(2021, 8, 1)

    def add_borough(area):
        editor = UserFactory(organisation=area, role=User.Role.BOROUGH_EDITOR)
        plan_create(area=area, template=template_2021, user=editor)

    add_borough(areas[0])
    with CaptureQueriesContext(connection) as one:
        rows_one = services.reminders_due(today=today)
    add_borough(areas[1])
    add_borough(areas[2])
    UserFactory(organisation=areas[2], role=User.Role.BOROUGH_EDITOR)  # two editors in one borough
    with CaptureQueriesContext(connection) as three:
        rows_three = services.reminders_due(today=today)
    assert len(one.captured_queries) == len(three.captured_queries) == 5
    # Q1 is overdue on 1 August 2021; Q2 is not yet within the reminder window.
    assert {(r["area"], r["quarter"]) for r in rows_one} == {(areas[0].code, "Q1 2021/22")}
    assert sorted(r["area"] for r in rows_three) == sorted([areas[0].code, areas[1].code, areas[2].code, areas[2].code])
    assert all(r["actions_missing"] == rows_one[0]["actions_missing"] > 0 for r in rows_three)


# Concurrency (PostgreSQL) ---------------------------------------------------------------------------


def _backend_waits_for_a_lock(pid: int, timeout: float = 20.0) -> bool:
    import time

    deadline = time.monotonic() + timeout
    with connections["default"].cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid])
            row = cursor.fetchone()
            if row and row[0] == "Lock":
                return True
            time.sleep(0.05)
    return False


class _Editor(threading.Thread):
    """Edits an action's content on its own database connection; reports its backend pid first."""

    def __init__(self, *, action, user):
        super().__init__(daemon=True)
        self.action, self.user = action, user
        self.pid: int | None = None
        self.started_query = threading.Event()
        self.error: BaseException | None = None

    def run(self):
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                self.pid = cursor.fetchone()[0]
            self.started_query.set()
            plan_action_update(action=self.action, user=self.user, data={"outcome": "Changed during submission"})
        except BaseException as exc:  # noqa: BLE001  (reported to the test)
            self.error = exc
        finally:
            self.started_query.set()
            connection.close()


pg_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks (SELECT … FOR UPDATE) need PostgreSQL; SQLite locks the whole database file instead",
)


@pg_only
@pytest.mark.django_db(transaction=True)
def test_an_edit_cannot_land_after_submission(complete_plan, signatories, editor):
    """The submission holds the plan's row; the edit, started meanwhile, waits on it and is then refused."""
    sign_all(complete_plan, signatories)
    action = complete_plan.actions.order_by("pk").first()
    before = action.outcome
    edit = _Editor(action=action, user=editor)
    with transaction.atomic():
        services.plan_submit(plan=complete_plan, user=editor)  # locks the plan's row until this block ends
        edit.start()
        assert edit.started_query.wait(10)
        assert _backend_waits_for_a_lock(edit.pid), "the edit should be waiting on the plan's row lock"
        assert edit.is_alive()
    edit.join(30)
    assert not edit.is_alive()
    assert isinstance(edit.error, ValidationError), edit.error
    assert "submitted and cannot be changed" in edit.error.messages[0]
    action.refresh_from_db()
    complete_plan.refresh_from_db()
    assert complete_plan.state == Plan.State.SUBMITTED and action.outcome == before


@pg_only
@pytest.mark.django_db(transaction=True)
def test_a_submission_waits_for_an_edit_in_progress_and_then_sees_it(complete_plan, signatories, editor):
    """The other order: the edit holds the row; the submission waits, then finds the signatures voided."""
    sign_all(complete_plan, signatories)
    action = complete_plan.actions.order_by("pk").first()
    outcome: dict = {}
    submitted_pid: list[int] = []

    def submit():
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                submitted_pid.append(cursor.fetchone()[0])
            services.plan_submit(plan=complete_plan, user=editor)
            outcome["result"] = "submitted"
        except BaseException as exc:  # noqa: BLE001
            outcome["result"] = exc
        finally:
            connection.close()

    submitter = threading.Thread(target=submit, daemon=True)
    with transaction.atomic():
        plan_action_update(action=action, user=editor, data={"outcome": "Changed before submission"})
        submitter.start()
        while not submitted_pid and submitter.is_alive():
            submitter.join(0.05)
        assert _backend_waits_for_a_lock(submitted_pid[0]), "the submission should wait on the plan's row lock"
    submitter.join(30)
    assert isinstance(outcome["result"], ValidationError), outcome
    assert "valid signatures" in outcome["result"].messages[0]
    complete_plan.refresh_from_db()
    action.refresh_from_db()
    assert complete_plan.state == Plan.State.DRAFT and action.outcome == "Changed before submission"
