"""Issue 16, hostile: two ``load_areas`` at once (PostgreSQL) — the second waits for the first and then finds
every area there; neither fails on the other's new rows."""

import threading
import time

import pytest
from django.db import connection, connections, transaction

from tests.organisations.areas_files import good_files
from vrhub.organisations.models import Organisation
from vrhub.organisations.services import areas_load

pg_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="two transactions at once need PostgreSQL; SQLite locks the whole database file instead",
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


@pg_only
@pytest.mark.django_db(transaction=True)
def test_two_load_areas_at_once_the_second_waits_then_finds_them_all(tmp_path):
    csp, forces = good_files(tmp_path)
    outcome: dict = {}
    pid: list[int] = []

    def second_load():
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                pid.append(cursor.fetchone()[0])
            outcome["result"] = areas_load(csp_path=csp, force_path=forces)
        except BaseException as exc:  # noqa: BLE001  (reported to the test)
            outcome["result"] = exc
        finally:
            connection.close()

    other = threading.Thread(target=second_load, daemon=True)
    with transaction.atomic():
        first = areas_load(csp_path=csp, force_path=forces)
        other.start()
        while not pid and other.is_alive():
            other.join(0.05)
        assert _waits_for_a_lock(pid[0]), "the second load should wait for the first"
    other.join(60)
    second = outcome["result"]
    assert isinstance(second, dict), repr(second)
    assert first["csp"]["created"] == first["csp"]["total"] > 0
    assert second["csp"] == {"created": 0, "existing": first["csp"]["total"], "total": first["csp"]["total"]}
    assert second["police_force"]["created"] == 0
    assert Organisation.objects.filter(kind=Organisation.Kind.AREA).count() == first["csp"]["total"]
