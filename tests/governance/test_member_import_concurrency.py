"""A clerk adds a member while another saves an import checked before (PostgreSQL): the import waits on the
group's row lock, then is refused because the membership it was checked against has changed."""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction

from vrhub.governance.models import Member
from vrhub.governance.services import members
from vrhub.governance.services.member_import import member_import_preview, member_import_save

pg_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks (SELECT … FOR UPDATE) need PostgreSQL; SQLite locks the whole database file instead",
)

LIST = b"name,office,sector\nChair Person,chair,local_government\nNew Voice,member,community\n"


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


@pg_only
@pytest.mark.django_db(transaction=True)
def test_import_waits_for_a_member_change_then_is_refused(prg, vru_clerk):
    preview = member_import_preview(group=prg, filename="members.csv", content=LIST)
    outcome: dict = {}
    pid: list[int] = []

    def save():
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                pid.append(cursor.fetchone()[0])
            member_import_save(preview=preview, user=vru_clerk)
            outcome["result"] = "saved"
        except BaseException as exc:  # noqa: BLE001  (reported to the test)
            outcome["result"] = exc
        finally:
            connection.close()

    other = threading.Thread(target=save, daemon=True)
    with transaction.atomic():
        members.member_add(
            group=prg, user=vru_clerk, data={"name": "Late Person", "office": "member", "sector": "other"}
        )
        other.start()
        while not pid and other.is_alive():
            other.join(0.05)
        assert _waits_for_a_lock(pid[0]), "the import should wait on the group's row lock"
    other.join(30)
    assert isinstance(outcome["result"], ValidationError), outcome
    assert "membership changed since this list was checked" in outcome["result"].messages[0]
    names = set(Member.objects.filter(group=prg).values_list("name", flat=True))
    assert "Late Person" in names and "New Voice" not in names and "Health Person" in names
