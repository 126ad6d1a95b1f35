"""Recipients: identifiers checked (charity, company, org-id), names unique per VRU, who may add and change
them, and the pages."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tests.factories import UserFactory
from tests.programmes import factories as f
from vrhub.accounts.models import User
from vrhub.core.models import AuditEntry
from vrhub.organisations.models import Organisation
from vrhub.programmes.models import Recipient
from vrhub.programmes.services import recipients as services

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("data", "saved"),
    [
        ({"name": "A", "charity_number": "123456"}, {"charity_number": "123456"}),
        ({"name": "A", "charity_number": "1123456-1"}, {"charity_number": "1123456-1"}),
        ({"name": "A", "charity_number": "11234567"}, {"charity_number": "11234567"}),
        ({"name": "A", "company_number": "sc123456"}, {"company_number": "SC123456"}),
        ({"name": "A", "company_number": "01234567"}, {"company_number": "01234567"}),
        ({"name": "A", "other_identifier": "GB-LAE-HAV"}, {"other_identifier": "GB-LAE-HAV"}),
        ({"name": "A", "postcode": "rm1 3bd"}, {"postcode": "RM1 3BD"}),
    ],
)
def test_good_identifiers_saved(london, editor, data, saved):
    recipient = services.recipient_create(vru=london, user=editor, data=data)
    for name, value in saved.items():
        assert getattr(recipient, name) == value


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "N" * 201}, "name"),
        ({"name": "A\x00"}, "name"),
        ({"name": "A", "charity_number": "12345"}, "charity_number"),
        ({"name": "A", "charity_number": "123456789"}, "charity_number"),
        ({"name": "A", "charity_number": "SC012345"}, "charity_number"),
        ({"name": "A", "company_number": "1234567"}, "company_number"),
        ({"name": "A", "company_number": "ABC12345"}, "company_number"),
        ({"name": "A", "other_identifier": "LAE-HAV"}, "other_identifier"),
        ({"name": "A", "other_identifier": "gb-lae-hav"}, "other_identifier"),
        ({"name": "A", "postcode": "NOWHERE"}, "postcode"),
    ],
)
def test_bad_identifiers_refused_naming_the_field(london, editor, data, field):
    with pytest.raises(ValidationError) as exc:
        services.recipient_create(vru=london, user=editor, data=data)
    assert field in exc.value.message_dict
    assert not Recipient.objects.filter(vru=london).exists()


def test_name_unique_in_the_vru_but_not_across_vrus(london, editor):
    services.recipient_create(vru=london, user=editor, data={"name": "Youth Trust"})
    with pytest.raises(ValidationError) as exc:
        services.recipient_create(vru=london, user=editor, data={"name": "youth trust"})
    assert "already has" in exc.value.message_dict["name"][0]
    other = Organisation.objects.create(kind=Organisation.Kind.VRU, code="VRU-X", name="Other VRU")
    assert services.recipient_create(vru=other, user=None, data={"name": "Youth Trust"}).vru == other


def test_update_audited_and_permission(london, editor):
    recipient = services.recipient_create(vru=london, user=editor, data={"name": "Youth Trust"})
    services.recipient_update(recipient=recipient, user=editor, data={"name": "Youth Trust CIO"})
    entry = AuditEntry.objects.get(
        object_type="programmes.recipient", object_id=str(recipient.pk), field="name", action=AuditEntry.Action.UPDATE
    )
    assert (entry.old, entry.new) == ("Youth Trust", "Youth Trust CIO")
    viewer = UserFactory(organisation=editor.organisation, role=User.Role.BOROUGH_VIEWER)
    with pytest.raises(PermissionDenied):
        services.recipient_update(recipient=recipient, user=viewer, data={"name": "X"})
    other = Organisation.objects.create(kind=Organisation.Kind.VRU, code="VRU-X", name="Other VRU")
    with pytest.raises(PermissionDenied):
        services.recipient_create(vru=other, user=editor, data={"name": "Elsewhere"})


def test_pages(client, london, editor):
    client.force_login(editor)
    response = client.post(reverse("programmes:recipient_new"), {"name": "Romford Youth", "charity_number": "12"})
    assert response.status_code == 200
    assert "Charity number must be" in response.content.decode()
    response = client.post(reverse("programmes:recipient_new"), {"name": "Romford Youth", "charity_number": "1123456"})
    assert response.status_code == 302
    recipient = Recipient.objects.get(name="Romford Youth")
    assert recipient.vru == london
    page = client.get(reverse("programmes:recipients")).content.decode()
    assert "Romford Youth" in page and "1123456" in page
    response = client.post(reverse("programmes:recipient_edit", args=[recipient.pk]), {"name": "Romford Youth CIO"})
    assert response.status_code == 302
    recipient.refresh_from_db()
    assert recipient.name == "Romford Youth CIO"
    assert recipient.charity_number == ""


def test_lookers_see_read_only_and_cannot_post(client, london, havering):
    recipient = f.RecipientFactory(vru=london, name="Readonly Trust")
    viewer = UserFactory(organisation=havering, role=User.Role.BOROUGH_VIEWER)
    client.force_login(viewer)
    page = client.get(reverse("programmes:recipient_edit", args=[recipient.pk])).content.decode()
    assert "Readonly Trust" in page
    assert "<form" not in page.split("<main", 1)[1]
    assert client.post(reverse("programmes:recipient_edit", args=[recipient.pk]), {"name": "X"}).status_code == 403
