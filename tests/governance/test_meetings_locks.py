"""Two changes to one meeting at once (PostgreSQL): the second waits on the meeting's row lock, then is
refused as stale; two meetings of a group on one day at once: the second waits on the group's row, then is
refused."""

import datetime as dt
import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction

from tests.governance import factories as f
from vrhub.governance.models import AgendaItem, Meeting
from vrhub.governance.services import meetings

pg_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks (SELECT … FOR UPDATE) need PostgreSQL; SQLite locks the whole database file instead",
)


def _waits_for_a_lock(pid: int, timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    with connections["default"].cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid])
            row = cursor.fetchone()
            if row and row[0] == "Lock":
                return True
            time.sleep(0.05)
    return False


def _race(first, second) -> object:
    """Run ``first`` in a transaction; start ``second`` in another thread while it holds its locks."""
    outcome: dict = {}
    pid: list[int] = []

    def other():
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                pid.append(cursor.fetchone()[0])
            outcome["result"] = second()
        except BaseException as exc:  # noqa: BLE001  (reported to the test)
            outcome["result"] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=other, daemon=True)
    with transaction.atomic():
        first()
        thread.start()
        while not pid and thread.is_alive():
            thread.join(0.05)
        assert _waits_for_a_lock(pid[0]), "the second change should wait on the row lock"
    thread.join(30)
    return outcome["result"]


@pg_only
@pytest.mark.django_db(transaction=True)
def test_two_edits_from_one_page_load_one_wins_the_other_is_stale(havering_board, editor):
    meeting = f.meeting_with_items(group=havering_board, date=dt.date(2026, 3, 6))
    item = meeting.items.get(number=1)
    version = meeting.version
    result = _race(
        lambda: meetings.item_update(item=item, user=editor, version=version, data={"title": "First"}),
        lambda: meetings.item_update(item=item, user=editor, version=version, data={"title": "Second"}),
    )
    assert isinstance(result, ValidationError) and "version" in result.message_dict
    assert AgendaItem.objects.get(pk=item.pk).title == "First"
    assert Meeting.objects.get(pk=meeting.pk).version == version + 1


@pg_only
@pytest.mark.django_db(transaction=True)
def test_two_meetings_on_one_day_at_once_one_is_arranged(havering_board, editor):
    day = dt.date(2026, 5, 1)
    result = _race(
        lambda: meetings.meeting_create(group=havering_board, user=editor, date=day, items=2),
        lambda: meetings.meeting_create(group=havering_board, user=editor, date=day, items=3),
    )
    assert isinstance(result, ValidationError) and "already has a meeting" in result.message_dict["date"][0]
    assert Meeting.objects.filter(group=havering_board).count() == 1
    assert AgendaItem.objects.count() == 2
