"""The funder profile service: VRU admins only, every field checked (naming the field and its limit), nothing
partial saved, stale forms refused, every change audited."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories import UserFactory
from tests.programmes.open_data_world import profile
from vrhub.accounts.models import User
from vrhub.core.models import AuditEntry
from vrhub.programmes.models import FunderProfile
from vrhub.programmes.selectors.open_data import funder_profile_version
from vrhub.programmes.services.funder import funder_profile_save

pytestmark = pytest.mark.django_db
GOOD = {"org_identifier": "GB-GOR-PB123", "funder_name": "London VRU", "grant_prefix": "360G-londonvru"}


def test_a_vru_admin_sets_up_the_profile_audited(london, vru_officer):
    saved = funder_profile_save(vru=london, user=vru_officer, data=GOOD)
    assert (saved.org_identifier, saved.funder_name, saved.grant_prefix, saved.synthetic) == (
        "GB-GOR-PB123",
        "London VRU",
        "360G-londonvru",
        False,
    )
    entries = AuditEntry.objects.filter(object_type="programmes.funderprofile", object_id=str(saved.pk))
    audited = {e.field: e.new for e in entries}
    assert (audited["grant_prefix"], audited["org_identifier"], audited["funder_name"]) == (
        "360G-londonvru",
        "GB-GOR-PB123",
        "London VRU",
    )
    assert {e.actor_id for e in entries} == {vru_officer.pk}


def test_a_change_is_audited_old_to_new(london, vru_officer):
    existing = profile(london)
    funder_profile_save(
        vru=london,
        user=vru_officer,
        data={**GOOD, "grant_prefix": "360G-ldn", "version": funder_profile_version(existing)},
    )
    existing.refresh_from_db()
    assert existing.grant_prefix == "360G-ldn"
    entry = AuditEntry.objects.get(object_type="programmes.funderprofile", field="grant_prefix")
    assert (entry.old, entry.new, entry.actor_id) == ("360G-londonvru", "360G-ldn", vru_officer.pk)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("org_identifier", "", "Enter the organisation identifier"),
        ("org_identifier", "london vru", "org-id.guide identifier"),
        ("org_identifier", "GB-GOR-" + "X" * 60, "60"),
        ("org_identifier", "GB-GOR-\x00", "NUL"),
        ("funder_name", "", "Enter the name as funder"),
        ("funder_name", "x" * 201, "200"),
        ("grant_prefix", "londonvru", "must start 360G-"),
        ("grant_prefix", "360G-london vru", "must start 360G-"),
        ("grant_prefix", "360G--x", "must start 360G-"),
    ],
)
def test_each_bad_field_is_refused_and_nothing_saved(london, vru_officer, field, value, message):
    with pytest.raises(ValidationError) as caught:
        funder_profile_save(vru=london, user=vru_officer, data={**GOOD, field: value})
    assert message in " ".join(caught.value.message_dict[field])
    assert not FunderProfile.objects.exists()
    assert not AuditEntry.objects.filter(object_type="programmes.funderprofile").exists()


def test_a_stale_form_is_refused(london, vru_officer):
    existing = profile(london)
    loaded = funder_profile_version(existing)
    funder_profile_save(vru=london, user=vru_officer, data={**GOOD, "grant_prefix": "360G-a", "version": loaded})
    with pytest.raises(ValidationError) as caught:
        funder_profile_save(vru=london, user=vru_officer, data={**GOOD, "grant_prefix": "360G-b", "version": loaded})
    assert "version" in caught.value.message_dict
    existing.refresh_from_db()
    assert existing.grant_prefix == "360G-a"


@pytest.mark.parametrize(
    ("code", "role"),
    [
        ("VRU-LDN", User.Role.VRU_REVIEWER),
        ("MOPAC", User.Role.POLICING_BODY),
        ("E09000016", User.Role.BOROUGH_EDITOR),
    ],
)
def test_only_the_vrus_admins_change_it(london, code, role):
    from vrhub.organisations.models import Organisation

    user = UserFactory(organisation=Organisation.objects.get(code=code), role=role)
    with pytest.raises(PermissionDenied):
        funder_profile_save(vru=london, user=user, data=GOOD)
    assert not FunderProfile.objects.exists()


def test_another_vrus_admin_cannot_change_london(london):
    from vrhub.organisations.models import Organisation

    other = Organisation.objects.create(kind=Organisation.Kind.VRU, code="VRU-X", name="Other VRU")
    with pytest.raises(PermissionDenied):
        funder_profile_save(vru=london, user=UserFactory(organisation=other, role=User.Role.VRU_ADMIN), data=GOOD)
