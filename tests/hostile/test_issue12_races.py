# ruff: noqa: F811  (fixtures imported from tests.cycle.conftest are parameters here)
"""Issue 12 break-it: two workers at once (sign while an editor saves; two saves of one action).
The threaded cases need PostgreSQL (scripts/with-postgres.sh); the rest run anywhere."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from tests.cycle.conftest import complete_plan, signatories  # noqa: F401  (fixtures)
from tests.cycle.test_review_and_locks import _backend_waits_for_a_lock, pg_only
from vrhub.cycle import services as cycle
from vrhub.cycle.models import Signature
from vrhub.plans.content import plan_content_hash
from vrhub.plans.services import ConflictError, plan_action_update


def test_save_from_a_page_loaded_before_someone_signed_is_refused(complete_plan, signatories, editor, db):  # noqa: F811
    action = complete_plan.actions.order_by("pk").first()
    user = signatories["chief_executive"]
    cycle.plan_sign(plan=complete_plan, user=user, name="C", confirmed=True, seen_hash=plan_content_hash(complete_plan))
    with pytest.raises(ValidationError) as exc:
        plan_action_update(action=action, user=editor, data={"progress": "late"}, confirmed_voids=set())
    assert "confirm_void" in exc.value.message_dict
    assert Signature.objects.filter(plan=complete_plan, voided_at__isnull=True).count() == 1


def test_stale_expected_version_refused(complete_plan, editor, db):  # noqa: F811
    action = complete_plan.actions.order_by("pk").first()
    v = action.version
    plan_action_update(action=action, user=editor, data={"progress": "one"}, expected_version=v, confirmed_voids=set())
    action.refresh_from_db()
    with pytest.raises(ConflictError):
        plan_action_update(
            action=action, user=editor, data={"progress": "two"}, expected_version=v, confirmed_voids=set()
        )
    action.refresh_from_db()
    assert action.progress == "one"


@pg_only
@pytest.mark.django_db(transaction=True)
def test_sign_while_an_editor_saves_waits_then_is_refused(complete_plan, signatories, editor):  # noqa: F811
    action = complete_plan.actions.order_by("pk").first()
    seen = plan_content_hash(complete_plan)
    user = signatories["chief_executive"]
    out: dict = {}
    pid: list[int] = []

    def sign():
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                pid.append(cursor.fetchone()[0])
            cycle.plan_sign(plan=complete_plan, user=user, name="C", confirmed=True, seen_hash=seen)
            out["r"] = "signed"
        except BaseException as exc:  # noqa: BLE001
            out["r"] = exc
        finally:
            connection.close()

    t = threading.Thread(target=sign, daemon=True)
    with transaction.atomic():
        plan_action_update(action=action, user=editor, data={"progress": "while signing"}, confirmed_voids=set())
        t.start()
        while not pid and t.is_alive():
            t.join(0.05)
        assert _backend_waits_for_a_lock(pid[0])
    t.join(30)
    assert isinstance(out["r"], ValidationError), out
    assert not Signature.objects.filter(plan=complete_plan).exists()


@pg_only
@pytest.mark.django_db(transaction=True)
def test_two_saves_of_the_same_action_one_wins(complete_plan, editor):  # noqa: F811
    action = complete_plan.actions.order_by("pk").first()
    v = action.version
    results: list = []
    barrier = threading.Barrier(2)

    def save(text):
        try:
            barrier.wait(5)
            plan_action_update(
                action=type(action).objects.get(pk=action.pk),
                user=editor,
                data={"progress": text},
                expected_version=v,
                confirmed_voids=set(),
            )
            results.append("ok")
        except BaseException as exc:  # noqa: BLE001
            results.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(f"worker {i}",), daemon=True) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert results.count("ok") == 1, results
    assert any(isinstance(r, ConflictError) for r in results), results
    action.refresh_from_db()
    assert action.version == v + 1
