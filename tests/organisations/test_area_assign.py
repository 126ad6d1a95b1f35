"""areas_assign and area_release: a VRU admin takes unassigned areas and gives back an unused one."""

import threading
import time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections, transaction

from tests.factories import UserFactory
from vrhub.accounts.models import User
from vrhub.core.exceptions import NotFound
from vrhub.core.models import AuditEntry
from vrhub.organisations.models import Organisation
from vrhub.organisations.services import area_release, areas_assign

pytestmark = pytest.mark.django_db


def vru_entries(area):
    return list(
        AuditEntry.objects.filter(
            object_type="organisations.organisation", object_id=str(area.pk), field="vru", action="update"
        )
        .order_by("id")
        .values_list("old", "new", "actor_id")
    )


def test_an_admin_assigns_unassigned_areas_audited_old_to_new(west_midlands, wm_admin, unassigned):
    stoke, medway = unassigned["E22000270"], unassigned["E22000143"]
    assigned = areas_assign(vru=west_midlands, areas=[stoke, medway], user=wm_admin)
    assert sorted(a.code for a in assigned) == ["E22000143", "E22000270"]
    assert set(
        Organisation.objects.filter(kind="area", vru=west_midlands, bcu__isnull=True).values_list("code", flat=True)
    ) == {
        "E22000143",
        "E22000270",
    }
    assert vru_entries(stoke) == [("", str(west_midlands.pk), wm_admin.pk)]
    # Again: already the VRU's, nothing to do and nothing recorded.
    assert areas_assign(vru=west_midlands, areas=[stoke], user=wm_admin) == []
    assert len(vru_entries(stoke)) == 1


def test_another_vrus_area_is_never_taken(west_midlands, wm_admin, london, unassigned):
    havering = Organisation.objects.get(code="E09000016")
    with pytest.raises(NotFound):
        areas_assign(vru=west_midlands, areas=[unassigned["E22000263"], havering], user=wm_admin)
    assert Organisation.objects.get(pk=havering.pk).vru == london
    assert Organisation.objects.get(code="E22000263").vru is None, "nothing of the refused call is written"
    assert not vru_entries(havering)


@pytest.mark.parametrize("role", [User.Role.VRU_REVIEWER, User.Role.BOROUGH_EDITOR])
def test_only_the_vrus_admins_assign(west_midlands, london, unassigned, role):
    org = west_midlands if role == User.Role.VRU_REVIEWER else Organisation.objects.get(code="E22000335")
    with pytest.raises(PermissionDenied):
        areas_assign(vru=west_midlands, areas=[unassigned["E22000270"]], user=UserFactory(organisation=org, role=role))
    london_admin = UserFactory(organisation=london, role=User.Role.VRU_ADMIN)
    with pytest.raises(PermissionDenied):  # an admin of another VRU, for this VRU
        areas_assign(vru=west_midlands, areas=[unassigned["E22000270"]], user=london_admin)
    assert Organisation.objects.get(code="E22000270").vru is None


def test_nothing_selected_is_a_clear_error(west_midlands, wm_admin):
    with pytest.raises(ValidationError, match="Select at least one area"):
        areas_assign(vru=west_midlands, areas=[], user=wm_admin)


def test_an_unused_area_is_given_back_without_its_bcu(west_midlands, wm_admin, unassigned):
    stoke = unassigned["E22000270"]
    areas_assign(vru=west_midlands, areas=[stoke], user=wm_admin)
    Organisation.objects.filter(pk=stoke.pk).update(bcu=Organisation.objects.get(code="WMP-BC"))
    area_release(area=stoke, user=wm_admin)
    stoke.refresh_from_db()
    assert (stoke.vru, stoke.bcu) == (None, None)
    assert vru_entries(stoke)[-1] == (str(west_midlands.pk), "", wm_admin.pk)
    bcu_entry = AuditEntry.objects.get(object_id=str(stoke.pk), field="bcu")
    assert (bcu_entry.old, bcu_entry.new) == (str(Organisation.objects.get(code="WMP-BC").pk), "")


def test_an_area_with_plans_or_users_is_not_given_back(plan, london, unassigned, west_midlands, wm_admin):
    admin = UserFactory(organisation=london, role=User.Role.VRU_ADMIN)
    havering = plan.area
    with pytest.raises(ValidationError) as exc:
        area_release(area=havering, user=admin)
    message = exc.value.messages[0]
    assert message.startswith("Havering cannot be released: it has ")
    assert "1 plan" in message and "1 user" in message  # the plan, and its editor
    havering.refresh_from_db()
    assert havering.vru == london
    # Only users: refused too.
    areas_assign(vru=west_midlands, areas=[unassigned["E22000263"]], user=wm_admin)
    UserFactory(organisation=unassigned["E22000263"], role=User.Role.BOROUGH_VIEWER)
    with pytest.raises(ValidationError, match="Cannock Chase cannot be released: it has 1 user"):
        area_release(area=unassigned["E22000263"], user=wm_admin)


def test_another_vrus_admin_cannot_give_an_area_back(london, west_midlands, wm_admin):
    with pytest.raises(PermissionDenied):
        area_release(area=Organisation.objects.get(code="E09000022"), user=wm_admin)
    assert Organisation.objects.get(code="E09000022").vru == london


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
def test_two_vrus_taking_one_area_at_once_the_second_waits_then_is_refused(london, west_midlands, unassigned):
    stoke = unassigned["E22000270"]
    wm_admin = UserFactory(organisation=west_midlands, role=User.Role.VRU_ADMIN)
    ldn_admin = UserFactory(organisation=london, role=User.Role.VRU_ADMIN)
    outcome: dict = {}
    pid: list[int] = []

    def london_takes():
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                pid.append(cursor.fetchone()[0])
            areas_assign(vru=london, areas=[stoke], user=ldn_admin)
            outcome["result"] = "assigned"
        except BaseException as exc:  # noqa: BLE001  (reported to the test)
            outcome["result"] = exc
        finally:
            connection.close()

    other = threading.Thread(target=london_takes, daemon=True)
    with transaction.atomic():
        areas_assign(vru=west_midlands, areas=[stoke], user=wm_admin)
        other.start()
        while not pid and other.is_alive():
            other.join(0.05)
        assert _waits_for_a_lock(pid[0]), "the second assignment should wait on the row lock"
    other.join(30)
    assert isinstance(outcome["result"], NotFound), outcome
    stoke.refresh_from_db()
    assert stoke.vru == west_midlands
    assert [new for _old, new, _actor in vru_entries(stoke)] == [str(west_midlands.pk)]
