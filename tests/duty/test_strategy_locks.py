"""Two publications of one partnership's strategy at once: the partnership's row lock puts them one after the
other, and the second finds the version already published (PostgreSQL only: SQLite locks the whole file)."""

import datetime as dt
import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction

from tests.duty import factories as f
from vrhub.duty.models import Strategy
from vrhub.duty.services.strategy import strategy_publish, strategy_update

pg_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks (SELECT … FOR UPDATE) need PostgreSQL; SQLite locks the whole database file instead",
)
TODAY = dt.date(2026, 11, 1)


def _waits_for_a_lock(pid: int, timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    with connections["default"].cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid])
            row = cursor.fetchone()
            if row and row[0] == "Lock":
                return True
            time.sleep(0.05)
    return False


def _in_thread(call):
    outcome: dict = {}
    pid: list[int] = []

    def run():
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                pid.append(cursor.fetchone()[0])
            outcome["result"] = call()
        except BaseException as exc:  # noqa: BLE001  (reported to the test)
            outcome["result"] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    while not pid and thread.is_alive():
        thread.join(0.05)
    return thread, pid, outcome


@pytest.fixture
def ready_draft(havering, london, plan):
    partnership = f.complete_partnership(area=havering, vru=london)
    draft = f.StrategyFactory(partnership=partnership, version=1, public_health="All six.")
    draft.plan_actions.add(plan.actions.order_by("pk").first())
    return draft


@pg_only
@pytest.mark.django_db(transaction=True)
def test_two_publications_at_once_publish_once(ready_draft, editor):
    with transaction.atomic():
        strategy_publish(strategy=ready_draft, user=editor, today=TODAY)  # holds the partnership's row
        thread, pid, outcome = _in_thread(
            lambda: strategy_publish(strategy=ready_draft, user=editor, published_on=dt.date(2026, 10, 1), today=TODAY)
        )
        assert _waits_for_a_lock(pid[0]), "the second publication should wait on the partnership's row lock"
    thread.join(30)
    assert isinstance(outcome["result"], ValidationError), outcome
    assert outcome["result"].messages == ["Version 1 is already published."]
    ready_draft.refresh_from_db()
    assert (ready_draft.state, ready_draft.published_on) == (Strategy.State.PUBLISHED, TODAY)
    assert Strategy.objects.filter(state=Strategy.State.PUBLISHED).count() == 1


@pg_only
@pytest.mark.django_db(transaction=True)
def test_an_edit_waiting_on_a_publication_is_then_refused(ready_draft, editor):
    with transaction.atomic():
        strategy_publish(strategy=ready_draft, user=editor, today=TODAY)
        thread, pid, outcome = _in_thread(
            lambda: strategy_update(strategy=ready_draft, user=editor, data={"funding": "Changed meanwhile"})
        )
        assert _waits_for_a_lock(pid[0])
    thread.join(30)
    assert isinstance(outcome["result"], ValidationError), outcome
    assert "is published and cannot be changed" in outcome["result"].messages[0]
    ready_draft.refresh_from_db()
    assert ready_draft.funding == "Home Office serious violence duty grant."
