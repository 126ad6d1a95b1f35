"""Two responses to one s.17 request at once (PostgreSQL): the second waits on the row lock, then is refused."""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction

from tests.duty import factories as f
from vrhub.core.models import AuditEntry
from vrhub.duty.services import sharing

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


@pg_only
@pytest.mark.django_db(transaction=True)
def test_two_responses_at_once_one_wins_and_the_other_is_refused(havering, london, editor):
    asked = f.InformationRequestFactory(partnership=f.PartnershipFactory(area=havering, vru=london))
    outcome: dict = {}
    pid: list[int] = []

    def refuse():
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                pid.append(cursor.fetchone()[0])
            sharing.information_request_refuse(
                info_request=asked,
                user=editor,
                data={"responded_on": asked.requested_on, "refusal_reason": "data_protection", "refusal_detail": "No"},
            )
            outcome["result"] = "refused"
        except BaseException as exc:  # noqa: BLE001  (reported to the test)
            outcome["result"] = exc
        finally:
            connection.close()

    other = threading.Thread(target=refuse, daemon=True)
    with transaction.atomic():
        sharing.information_request_answer(
            info_request=asked, user=editor, data={"responded_on": asked.requested_on, "answer": "Sent"}
        )
        other.start()
        while not pid and other.is_alive():
            other.join(0.05)
        assert _waits_for_a_lock(pid[0]), "the second response should wait on the row lock"
    other.join(30)
    assert isinstance(outcome["result"], ValidationError), outcome
    assert "already answered" in outcome["result"].messages[0]
    asked.refresh_from_db()
    assert (asked.state, asked.answer, asked.refusal_reason, asked.version) == ("answered", "Sent", "", 2)
    states = AuditEntry.objects.filter(object_type="duty.informationrequest", object_id=str(asked.pk), field="state")
    assert list(states.values_list("new", flat=True)) == ["answered"]
