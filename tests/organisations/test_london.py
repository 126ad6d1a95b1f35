import pytest

from vrhub.core.models import AuditEntry
from vrhub.organisations.models import Organisation
from vrhub.organisations.services import london_load

pytestmark = pytest.mark.django_db


def test_london_has_32_boroughs_with_ons_codes_and_bcus(london):
    areas = Organisation.objects.filter(kind=Organisation.Kind.AREA, vru=london)
    assert areas.count() == 32
    assert sorted(areas.values_list("code", flat=True)) == [f"E090000{n:02d}" for n in range(2, 34)]
    assert not areas.filter(bcu__isnull=True).exists()
    assert Organisation.objects.get(code="E09000016").name == "Havering"
    assert Organisation.objects.get(code="E09000016").bcu.name == "East Area BCU"


def test_met_police_has_12_bcus_and_london_councils_is_a_partner(london):
    met = Organisation.objects.get(code="E23000001")
    assert met.kind == Organisation.Kind.POLICE_FORCE
    assert met.children.filter(kind=Organisation.Kind.BCU).count() == 12
    assert Organisation.objects.get(name="London Councils").kind == Organisation.Kind.PARTNER


def test_loading_twice_changes_nothing(london):
    before = (Organisation.objects.count(), AuditEntry.objects.count())
    london_load()
    assert (Organisation.objects.count(), AuditEntry.objects.count()) == before


def test_another_vru_is_just_data(london):
    """A second VRU with its own areas is added without any code change."""
    wm = Organisation.objects.create(kind=Organisation.Kind.VRU, code="VRU-WM", name="West Midlands VRU")
    Organisation.objects.create(kind=Organisation.Kind.AREA, code="E08000025", name="Birmingham", vru=wm)
    assert Organisation.objects.filter(kind=Organisation.Kind.AREA, vru=wm).count() == 1
    assert Organisation.objects.filter(kind=Organisation.Kind.AREA, vru=london).count() == 32


def test_database_refuses_an_area_without_a_vru(london):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(kind=Organisation.Kind.AREA, code="E06000001", name="Hartlepool")
