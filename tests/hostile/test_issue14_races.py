"""Break-it pass on issue 14: two workers at once (PostgreSQL, scripts/with-postgres.sh): two attendance saves,
two action updates, two membership imports confirmed together. Exactly one wins; the other is refused."""
# ruff: noqa: F811

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from tests.governance import factories as f
from tests.governance.conftest import prg, vru_clerk  # noqa: F401
from vrhub.governance.models import Action, ActionUpdate, AttendanceRecord
from vrhub.governance.services.actions import action_report_update, action_update
from vrhub.governance.services.attendance import Entry, attendance_save
from vrhub.governance.services.member_import import member_import_preview, member_import_save

pg_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")


def _together(*calls):
    """Run the calls in threads released together; each result is "ok" or the exception raised."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait(10)
            call()
            results[i] = "ok"
        except BaseException as exc:  # noqa: BLE001
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c), daemon=True) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


@pg_only
@pytest.mark.django_db(transaction=True)
def test_two_attendance_saves_from_one_version(prg, vru_clerk):
    meeting = f.meeting_with_items(group=prg, date=dt.date(2026, 3, 6))
    members = list(prg.members.all())
    version = meeting.version
    one = [Entry(member=m.pk, attendance="present") for m in members]
    two = [Entry(member=m.pk, attendance="apologies") for m in members]
    results = _together(
        lambda: attendance_save(meeting=meeting, user=vru_clerk, rows=one, version=version),
        lambda: attendance_save(meeting=meeting, user=vru_clerk, rows=two, version=version),
    )
    assert sorted(r == "ok" for r in results) == [False, True], results
    assert all(isinstance(r, ValidationError) for r in results if r != "ok"), results
    kinds = set(AttendanceRecord.objects.filter(meeting=meeting).values_list("attendance", flat=True))
    assert len(kinds) == 1 and AttendanceRecord.objects.filter(meeting=meeting).count() == len(members)


@pg_only
@pytest.mark.django_db(transaction=True)
def test_two_action_updates_from_one_version(prg, vru_clerk):
    meeting = f.meeting_with_items(group=prg, date=dt.date(2026, 3, 6))
    action = f.ActionFactory(meeting=meeting)
    version = action.version
    results = _together(
        lambda: action_update(
            action=action,
            user=vru_clerk,
            version=version,
            data={"item": None, "text": "A", "owner": "Clerk", "deadline": None},
        ),
        lambda: action_update(
            action=action,
            user=vru_clerk,
            version=version,
            data={"item": None, "text": "B", "owner": "Clerk", "deadline": None},
        ),
    )
    assert sorted(r == "ok" for r in results) == [False, True], results
    results = _together(
        lambda: action_report_update(
            action=Action.objects.get(pk=action.pk),
            user=vru_clerk,
            version=Action.objects.get(pk=action.pk).version,
            data={"update": "U1", "status": "ongoing"},
        ),
        lambda: action_report_update(
            action=Action.objects.get(pk=action.pk),
            user=vru_clerk,
            version=Action.objects.get(pk=action.pk).version,
            data={"update": "U2", "status": "complete"},
        ),
    )
    assert sum(r == "ok" for r in results) >= 1, results
    # whatever happened, the action and its history agree
    action.refresh_from_db()
    latest = ActionUpdate.objects.filter(action=action).order_by("-pk").first()
    assert latest is not None and action.latest_update == latest.text and action.status == latest.status


@pg_only
@pytest.mark.django_db(transaction=True)
def test_two_imports_confirmed_together(prg, vru_clerk):
    first = member_import_preview(
        group=prg,
        filename="a.csv",
        content=b"name,office,sector\nChair Person,chair,local_government\nOne,member,other\n",
    )
    second = member_import_preview(
        group=prg,
        filename="b.csv",
        content=b"name,office,sector\nChair Person,chair,local_government\nTwo,member,other\n",
    )
    results = _together(
        lambda: member_import_save(preview=first, user=vru_clerk),
        lambda: member_import_save(preview=second, user=vru_clerk),
    )
    assert sorted(r == "ok" for r in results) == [False, True], results
    names = set(prg.members.values_list("name", flat=True))
    assert ("One" in names) != ("Two" in names)


def _waits_for_a_lock(pid: int, timeout: float = 20.0) -> bool:
    import time

    from django.db import connections

    deadline = time.monotonic() + timeout
    with connections["default"].cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid])
            row = cursor.fetchone()
            if row and row[0] == "Lock":
                return True
            time.sleep(0.05)
    return False


@pg_only
@pytest.mark.django_db(transaction=True)
def test_attendance_saved_while_the_member_is_removed_is_refused_cleanly(prg, vru_clerk):
    """A clerk removes a member (no records yet: deleted) while another saves the attendance sheet naming them:
    the save must be refused with a message (ValidationError), never a database error (a 500)."""
    from django.db import transaction

    from vrhub.governance.services.members import member_remove

    meeting = f.meeting_with_items(group=prg, date=dt.date(2026, 3, 6))
    leaving = f.MemberFactory(group=prg, name="Leaving Person")
    rows = [Entry(member=m.pk, attendance="present") for m in prg.members.all()]
    out: dict = {}
    pid: list[int] = []

    def save():
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                pid.append(cursor.fetchone()[0])
            attendance_save(meeting=meeting, user=vru_clerk, rows=rows, version=meeting.version)
            out["r"] = "ok"
        except BaseException as exc:  # noqa: BLE001
            out["r"] = exc
        finally:
            connection.close()

    other = threading.Thread(target=save, daemon=True)
    with transaction.atomic():
        assert member_remove(member=leaving, user=vru_clerk) == "deleted"
        other.start()
        while not pid and other.is_alive():
            other.join(0.05)
        waited = _waits_for_a_lock(pid[0], timeout=5)
    other.join(30)
    assert out.get("r") == "ok" or isinstance(out.get("r"), ValidationError), (waited, repr(out.get("r")))
    assert not AttendanceRecord.objects.filter(member_id=leaving.pk).exists()
