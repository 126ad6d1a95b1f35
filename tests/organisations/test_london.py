import json
from pathlib import Path

import pytest

from vrhub.core.models import AuditEntry
from vrhub.organisations.models import Organisation
from vrhub.organisations.services import london_load

pytestmark = pytest.mark.django_db

BOUNDARIES = Path(__file__).resolve().parents[2] / "data" / "boundaries"


def ons_areas(name: str) -> dict[str, str]:
    """``{code: name}`` of every area in one of the shipped ONS boundary files (see data/SOURCES.md)."""
    data = json.loads((BOUNDARIES / name).read_text(encoding="utf-8"))
    (layer,) = data["objects"].values()
    return {g["properties"]["AREACD"]: g["properties"]["AREANM"] for g in layer["geometries"]}


def ons_london_boroughs() -> dict[str, str]:
    """London's local authorities (ONS E09) less the City of London, which the City of London Police
    polices, not the Met; the London VRU's plans are the 32 boroughs'."""
    lads = ons_areas("local-authority-districts-2024-uk.topojson")
    london = {code: name for code, name in lads.items() if code.startswith("E09")}
    assert len(london) == 33 and london.pop("E09000001") == "City of London"
    return london


def test_london_has_32_boroughs_with_ons_codes_and_bcus(london):
    expected = ons_london_boroughs()
    areas = Organisation.objects.filter(kind=Organisation.Kind.AREA, vru=london)
    assert dict(areas.values_list("code", "name")) == expected
    assert len(expected) == 32
    # Each borough is a Community Safety Partnership of its own name in the ONS list.
    csps = set(ons_areas("community-safety-partnerships-2023-ew.topojson").values())
    assert set(expected.values()) <= csps
    assert not areas.filter(bcu__isnull=True).exists()
    assert Organisation.objects.get(code="E09000016").bcu.name == "East Area BCU"


def test_met_police_has_12_bcus_covering_every_borough_once_and_london_councils_is_a_partner(london):
    forces = ons_areas("police-force-areas-2023-ew.topojson")
    met = Organisation.objects.get(code="E23000001")
    assert forces["E23000001"] == "Metropolitan Police" and met.kind == Organisation.Kind.POLICE_FORCE
    assert "E23000034" not in set(Organisation.objects.values_list("code", flat=True)), "the City's force"
    bcus = met.children.filter(kind=Organisation.Kind.BCU)
    assert bcus.count() == 12 and not Organisation.objects.filter(kind=Organisation.Kind.BCU).exclude(parent=met)
    covered = sorted(Organisation.objects.filter(bcu__in=bcus).values_list("code", flat=True))
    assert covered == sorted(ons_london_boroughs()), "each borough in exactly one of the Met's BCUs"
    assert Organisation.objects.get(name="London Councils").kind == Organisation.Kind.PARTNER


def snapshot() -> list[tuple]:
    return list(
        Organisation.objects.order_by("code").values_list(
            "code", "kind", "name", "vru__code", "bcu__code", "parent__code"
        )
    )


def test_loading_twice_changes_nothing(london):
    before = (snapshot(), AuditEntry.objects.count())
    assert london_load() == london
    assert (snapshot(), AuditEntry.objects.count()) == before


def test_loading_again_restores_a_changed_borough_and_audits_it(london):
    before = snapshot()
    Organisation.objects.filter(code="E09000016").update(name="Havering (renamed)")
    last = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()
    london_load()
    assert snapshot() == before
    (entry,) = AuditEntry.objects.filter(id__gt=last)
    assert (entry.object_id, entry.field, entry.old, entry.new) == (
        str(Organisation.objects.get(code="E09000016").pk),
        "name",
        "Havering (renamed)",
        ons_london_boroughs()["E09000016"],
    )


def test_another_vru_is_just_data(london):
    """A second VRU with its own areas is added without any code change."""
    wm = Organisation.objects.create(kind=Organisation.Kind.VRU, code="VRU-WM", name="West Midlands VRU")
    Organisation.objects.create(kind=Organisation.Kind.AREA, code="E08000025", name="Birmingham", vru=wm)
    assert Organisation.objects.filter(kind=Organisation.Kind.AREA, vru=wm).count() == 1
    assert Organisation.objects.filter(kind=Organisation.Kind.AREA, vru=london).count() == 32


def test_database_refuses_a_csp_code_on_anything_but_an_area(london):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(kind=Organisation.Kind.PARTNER, code="P1", name="Partner", csp_code="E22000001")


def test_an_area_may_be_unassigned_until_a_vru_takes_it(london):
    area = Organisation.objects.create(kind=Organisation.Kind.AREA, code="E22000001", name="Bath and NE Somerset")
    assert area.vru is None and area.owning_vru is None


def test_london_boroughs_carry_their_csp_code_and_police_force(london, west_midlands):
    """Each London borough's and West Midlands CSP's csp_code is the code the ONS CSP file gives its name."""
    import json
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "data/boundaries/community-safety-partnerships-2023-ew.topojson"
    (layer,) = json.loads(path.read_text(encoding="utf-8"))["objects"].values()
    ons = {g["properties"]["AREANM"]: g["properties"]["AREACD"] for g in layer["geometries"]}
    areas = Organisation.objects.filter(kind=Organisation.Kind.AREA, vru__in=[london, west_midlands])
    got = {a.name: (a.csp_code, a.police_force.code) for a in areas.select_related("police_force")}
    assert len(got) == 32 + 7
    force = {n: "E23000001" for n in got} | {
        a.name: "E23000014" for a in areas.filter(vru=west_midlands)
    }  # the Met; West Midlands Police
    assert got == {name: (ons[name], force[name]) for name in got}
    assert Organisation.objects.get(code="E09000016").csp_code == ons["Havering"]


@pytest.mark.parametrize(
    ("kind", "code"),
    [("area", "E23000001"), ("area", "X09000016"), ("area", "E0900001"), ("police_force", "E22000001")],
)
def test_codes_not_of_the_ons_pattern_are_refused_naming_the_field(london, kind, code):
    from django.core.exceptions import ValidationError

    org = Organisation(kind=kind, code=code, name="Somewhere", vru=london)
    with pytest.raises(ValidationError) as caught:
        org.full_clean()
    assert "code" in caught.value.message_dict
    assert "ONS" in caught.value.message_dict["code"][0]


def test_a_second_vru_loads_beside_london_idempotently(london, west_midlands):
    from vrhub.organisations.services import west_midlands_load

    before = Organisation.objects.count()
    assert west_midlands_load() == west_midlands
    assert Organisation.objects.count() == before
    wm_areas = Organisation.objects.filter(kind=Organisation.Kind.AREA, vru=west_midlands)
    assert sorted(wm_areas.values_list("name", flat=True)) == [
        "Birmingham",
        "Coventry",
        "Dudley",
        "Sandwell",
        "Solihull",
        "Walsall",
        "Wolverhampton",
    ]
    assert all(a.code == a.csp_code and a.police_force.code == "E23000014" for a in wm_areas)
    assert not Organisation.objects.filter(kind=Organisation.Kind.AREA, vru=london, code__startswith="E22").exists()


def test_loading_many_validates_each_and_writes_nothing_when_one_is_wrong(london):
    from django.core.exceptions import ValidationError
    from django.db import transaction

    from vrhub.core.models import AuditEntry
    from vrhub.organisations.services import organisations_upsert

    before = (Organisation.objects.count(), AuditEntry.objects.count())
    rows = [
        {"code": "E22000001", "kind": "area", "name": "Bath and North East Somerset", "csp_code": "E22000001"},
        {"code": "E2200000X", "kind": "area", "name": "Crafted"},
    ]
    with pytest.raises(ValidationError) as caught, transaction.atomic():
        organisations_upsert(rows=rows)
    assert "E2200000X" in caught.value.message_dict["code"][0]
    duplicate = [{**rows[0]}, {**rows[0], "name": "Again"}]
    with pytest.raises(ValidationError) as caught, transaction.atomic():
        organisations_upsert(rows=duplicate)
    assert "E22000001" in caught.value.message_dict["code"][0]
    taken = [{"code": "E22000002", "kind": "area", "name": "Havering again", "csp_code": "E22000201"}]
    with pytest.raises(ValidationError) as caught, transaction.atomic():
        organisations_upsert(rows=taken)
    assert "E22000201" in caught.value.message_dict["csp_code"][0]
    assert (Organisation.objects.count(), AuditEntry.objects.count()) == before


def test_loading_many_audits_every_created_field_as_one_at_a_time_would(db):
    from vrhub.core.models import AuditEntry
    from vrhub.organisations.services import london_load

    london_load()
    havering = Organisation.objects.get(code="E09000016")
    entries = {
        e.field: (e.old, e.new, e.action)
        for e in AuditEntry.objects.filter(object_type="organisations.organisation", object_id=str(havering.pk))
    }
    assert entries == {
        "code": ("", "E09000016", "create"),
        "kind": ("", "area", "create"),
        "name": ("", "Havering", "create"),
        "vru": ("", str(havering.vru_id), "create"),
        "bcu": ("", str(havering.bcu_id), "create"),
        "csp_code": ("", "E22000201", "create"),
        "police_force": ("", str(havering.police_force_id), "create"),
    }
