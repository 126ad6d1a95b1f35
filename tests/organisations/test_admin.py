"""The Django admin for organisations: audited, and held to the same rules as the areas page."""

import pytest

from tests.factories import UserFactory
from vrhub.accounts.models import User
from vrhub.core.models import AuditEntry
from vrhub.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def form_data(org: Organisation, **changes) -> dict:
    data = {
        "kind": org.kind,
        "name": org.name,
        "code": org.code,
        "vru": org.vru_id or "",
        "parent": org.parent_id or "",
        "csp_code": org.csp_code or "",
        "police_force": org.police_force_id or "",
        "bcu": org.bcu_id or "",
    }
    return {**data, **changes}


@pytest.fixture
def superuser(london):
    return UserFactory(organisation=london, role=User.Role.VRU_ADMIN, is_staff=True, is_superuser=True)


def test_moving_an_area_with_a_plan_to_another_vru_in_the_admin_is_refused(client, superuser, plan, west_midlands):
    havering = plan.area
    client.force_login(superuser)
    response = client.post(
        f"/admin/organisations/organisation/{havering.pk}/change/", form_data(havering, vru=west_midlands.pk)
    )
    assert response.status_code == 200
    assert "Havering cannot leave its VRU: it has 1 user, 1 plan." in response.content.decode()
    havering.refresh_from_db()
    assert havering.vru.code == "VRU-LDN"


def test_an_unused_area_moves_in_the_admin_audited_and_a_bad_code_is_refused(client, superuser, unassigned, london):
    medway = unassigned["E22000143"]
    client.force_login(superuser)
    url = f"/admin/organisations/organisation/{medway.pk}/change/"
    assert client.post(url, form_data(medway, vru=london.pk)).status_code == 302
    entry = AuditEntry.objects.get(object_id=str(medway.pk), field="vru", action="update")
    assert (entry.old, entry.new, entry.actor) == ("", str(london.pk), superuser)
    response = client.post(url, form_data(medway, vru=london.pk, csp_code="E09000016"))
    assert "is not an ONS Community Safety Partnership code" in response.content.decode()
    medway.refresh_from_db()
    assert medway.csp_code == "E22000143"
