import pytest

from tests.factories import UserFactory
from vrhub.accounts.models import User
from vrhub.core.models import AuditEntry
from vrhub.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def test_admin_change_is_audited_old_and_new(client, london):
    admin = UserFactory(organisation=london, role=User.Role.VRU_ADMIN, is_staff=True, is_superuser=True)
    client.force_login(admin)
    havering = Organisation.objects.get(code="E09000016")
    response = client.post(
        f"/admin/organisations/organisation/{havering.pk}/change/",
        {
            "kind": "area",
            "name": "London Borough of Havering",
            "code": "E09000016",
            "vru": london.pk,
            "parent": "",
            "bcu": havering.bcu_id,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = AuditEntry.objects.get(
        object_type="organisations.organisation", object_id=str(havering.pk), field="name", action="update"
    )
    assert (entry.old, entry.new, entry.actor) == ("Havering", "London Borough of Havering", admin)


def test_security_headers(client, db):
    response = client.get("/accounts/login/")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
