"""load_areas: the 314 CSP areas and 43 police force areas of England and Wales from the ONS files."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.organisations.areas_files import CSPS, FORCES, good_files, square, topology, write
from vrhub.core.models import AuditEntry
from vrhub.organisations import london as london_data
from vrhub.organisations import west_midlands as wm_data
from vrhub.organisations.area_files import AREA_FILE_MAX_BYTES
from vrhub.organisations.models import Boundary, Organisation

pytestmark = pytest.mark.django_db

BOUNDARIES = Path(__file__).resolve().parents[2] / "data" / "boundaries"
CSP_FILE = BOUNDARIES / "community-safety-partnerships-2023-ew.topojson"
FORCE_FILE = BOUNDARIES / "police-force-areas-2023-ew.topojson"
Kind = Organisation.Kind


def features(path: Path) -> dict[str, str]:
    """``{AREACD: AREANM}`` read straight from an ONS file."""
    (layer,) = json.loads(path.read_text(encoding="utf-8"))["objects"].values()
    return {g["properties"]["AREACD"]: g["properties"]["AREANM"] for g in layer["geometries"]}


def load_json(*args: str) -> dict:
    out = StringIO()
    call_command("load_areas", "--json", *args, stdout=out)
    return json.loads(out.getvalue())


def state() -> tuple:
    return (
        sorted(Organisation.objects.values_list("code", "name", "vru_id", "police_force_id", "csp_code")),
        Boundary.objects.count(),
        AuditEntry.objects.count(),
    )


def test_the_full_files_load_once_every_csp_in_one_force_and_a_second_run_finds_them_all(london, west_midlands):
    csps, forces = features(CSP_FILE), features(FORCE_FILE)
    names_before = dict(Organisation.objects.values_list("code", "name"))
    present_csps = Organisation.objects.filter(csp_code__in=csps).count()
    present_forces = Organisation.objects.filter(code__in=forces).count()
    audit_before = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0

    out = StringIO()
    call_command("load_areas", "--json", stdout=out)
    assert out.getvalue().strip() == json.dumps(
        {
            "csp": {"created": len(csps) - present_csps, "existing": present_csps, "total": len(csps)},
            "police_force": {
                "created": len(forces) - present_forces,
                "existing": present_forces,
                "total": len(forces),
            },
        }
    )

    areas = Organisation.objects.filter(kind=Kind.AREA, csp_code__in=csps)
    assert areas.count() == len(csps) == 314
    assert Organisation.objects.filter(kind=Kind.POLICE_FORCE, code__in=forces).count() == len(forces) == 43
    # Every CSP lies in exactly one force area (a single FK, never null); England's in English forces, Wales's
    # in Welsh ones; London's 32 boroughs in the Met, the City in its own force, the West Midlands' seven in WMP.
    assert not areas.filter(police_force__isnull=True).exists()
    pairs = dict(areas.values_list("csp_code", "police_force__code"))
    assert {(c[0], f[0]) for c, f in pairs.items()} == {("E", "E"), ("W", "W")}
    assert {pairs[london_data.CSP_CODES[code]] for code in london_data.BOROUGHS} == {"E23000001"}
    assert {pairs[code] for code in wm_data.CSPS} == {"E23000014"}
    (city_csp,) = [code for code, name in csps.items() if name == "City of London"]
    (city_force,) = [code for code, name in forces.items() if name == "London, City of"]
    assert pairs[city_csp] == city_force
    # New areas: coded by their CSP code, named as the ONS names them, unassigned; existing ones keep their name.
    new = areas.exclude(code__in=names_before)
    assert all(a.code == a.csp_code and a.name == csps[a.code] and a.vru_id is None for a in new)
    assert dict(Organisation.objects.filter(code__in=names_before).values_list("code", "name")) == names_before
    assert Organisation.objects.get(code="E23000001").name == "Metropolitan Police Service"  # not renamed
    # A boundary for each, naming its ONS file.
    sources = dict(Boundary.objects.values_list("organisation__code", "source"))
    assert len(sources) == 314 + 43
    assert sources["E09000016"].endswith(CSP_FILE.name)
    assert sources["E23000014"].endswith(FORCE_FILE.name)
    # Audited: a creation entry for every organisation and boundary made.
    created = AuditEntry.objects.filter(id__gt=audit_before, action="create")
    made = set(created.filter(object_type="organisations.organisation").values_list("object_id", flat=True))
    assert made == {str(pk) for pk in new.values_list("pk", flat=True)} | {
        str(pk)
        for pk in Organisation.objects.filter(code__in=set(forces) - set(names_before)).values_list("pk", flat=True)
    }
    assert created.filter(object_type="organisations.boundary").values("object_id").distinct().count() == 357

    before = state()
    assert load_json() == {
        "csp": {"created": 0, "existing": 314, "total": 314},
        "police_force": {"created": 0, "existing": 43, "total": 43},
    }
    assert state() == before, "a second run changes nothing and records nothing"


def test_human_output_and_a_changed_boundary_is_updated_and_audited(tmp_path):
    csp, forces = good_files(tmp_path)
    out = StringIO()
    call_command("load_areas", "--csp", str(csp), "--forces", str(forces), stdout=out)
    text = out.getvalue()
    assert "Community Safety Partnership areas: 3 in the file, 3 created, 0 already there" in text
    assert "police force areas: 2 in the file, 2 created, 0 already there" in text
    north = Organisation.objects.get(code="E22000902")
    assert (north.police_force.code, north.vru, north.kind) == ("E23000901", None, Kind.AREA)
    assert Organisation.objects.get(code="E22000903").police_force.code == "E23000902"

    moved = [dict(CSPS[0], ring=square(1, 12)), *CSPS[1:]]
    write(csp, topology(moved))
    last = AuditEntry.objects.order_by("-id").first().id
    assert load_json("--csp", str(csp), "--forces", str(forces))["csp"] == {"created": 0, "existing": 3, "total": 3}
    town = Organisation.objects.get(code="E22000901")
    assert town.boundary.geometry["coordinates"][0][0] == [1, 12]
    (entry,) = AuditEntry.objects.filter(id__gt=last)
    assert (entry.object_type, entry.object_id, entry.field) == (
        "organisations.boundary",
        str(town.boundary.pk),
        "geometry",
    )


def test_an_existing_area_is_matched_by_its_csp_code_and_keeps_its_name(tmp_path, london):
    havering = Organisation.objects.get(code="E09000016")
    csp, forces = good_files(
        tmp_path,
        csps=[{"code": havering.csp_code, "name": "Havering (ONS)", "ring": square(2, 2)}],
        forces=[{"code": "E23000001", "name": "Metropolitan Police", "ring": square(0, 0, 10)}],
    )
    assert load_json("--csp", str(csp), "--forces", str(forces)) == {
        "csp": {"created": 0, "existing": 1, "total": 1},
        "police_force": {"created": 0, "existing": 1, "total": 1},
    }
    havering.refresh_from_db()
    assert (havering.name, havering.vru, havering.boundary.source) == (
        "Havering",
        london,
        "ONS boundary file csp.topojson",
    )


def refused(tmp_path, csp, forces, *expected: str) -> str:
    before = state()
    with pytest.raises(CommandError) as exc:
        call_command("load_areas", "--csp", str(csp), "--forces", str(forces), stdout=StringIO())
    message = str(exc.value)
    for words in expected:
        assert words in message
    assert message.startswith("Nothing was loaded")
    assert state() == before, "nothing partial written"
    return message


BAD_CSPS = {
    "bad_code": (
        [dict(CSPS[0], code="E09000016"), *CSPS[1:]],
        "csp.topojson, feature 1: AREACD “E09000016” is not an ONS Community Safety Partnership code",
    ),
    "force_code_in_csps": (
        [*CSPS[:2], dict(CSPS[2], code="E23000901")],
        "csp.topojson, feature 3: AREACD “E23000901” is not an ONS Community Safety Partnership code",
    ),
    "duplicate": ([*CSPS, dict(CSPS[0], name="Again")], "csp.topojson, feature 4: AREACD E22000901 repeats feature 1"),
    "no_code": (
        [*CSPS, {"properties": {"AREANM": "Nameless"}, "ring": square(3, 3)}],
        "csp.topojson, feature 4: AREACD (the ONS code) is missing",
    ),
    "no_name": (
        [{"properties": {"AREACD": "E22000909"}, "ring": square(3, 3)}],
        "csp.topojson, feature 1: AREANM (the name) is missing",
    ),
    "long_name": ([dict(CSPS[0], name="N" * 151)], "csp.topojson, feature 1: AREANM is 151 characters; 150 at most"),
    "not_polygon": (
        [dict(CSPS[0]), {"code": "E22000909", "name": "Point", "type": "Point", "arcs": None}],
        "csp.topojson, feature 2: type “Point” is not a Polygon or MultiPolygon",
    ),
    "bad_arcs": (
        [dict(CSPS[0]), {"code": "E22000909", "name": "Broken", "arcs": [[99]]}],
        "csp.topojson, feature 2: arcs are not a Polygon's rings",
    ),
    "outside_every_force": (
        [*CSPS, {"code": "E22000909", "name": "Offshore", "ring": square(50, 50)}],
        "csp.topojson, feature 4: E22000909 Offshore lies in no police force area",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_CSPS))
def test_a_bad_csp_file_is_refused_naming_file_feature_and_property(tmp_path, case):
    csps, words = BAD_CSPS[case]
    refused(tmp_path, *good_files(tmp_path, csps=csps), words)


def test_every_problem_is_listed_at_once_across_both_files(tmp_path):
    csp, forces = good_files(
        tmp_path, csps=[dict(CSPS[0], code="X1"), *CSPS[1:]], forces=[dict(FORCES[0], code="W14000001"), FORCES[1]]
    )
    refused(
        tmp_path,
        csp,
        forces,
        "csp.topojson, feature 1: AREACD “X1”",
        "forces.topojson, feature 1: AREACD “W14000001” is not an ONS police force area code (E23 or W15",
    )


def test_not_json_not_topojson_and_a_file_over_the_limit_are_refused(tmp_path):
    csp, forces = good_files(tmp_path)
    write(csp, '{"type": "Topology", "objects": ')
    refused(tmp_path, csp, forces, "csp.topojson: is not JSON (Expecting value at line 1, column 33)")
    write(csp, {"type": "FeatureCollection", "features": []})
    refused(tmp_path, csp, forces, "csp.topojson: is not a TopoJSON topology")
    huge = tmp_path / "huge.topojson"
    with huge.open("wb") as f:  # sparse: as large as the limit allows, and one byte more
        f.truncate(AREA_FILE_MAX_BYTES + 1)
    write(csp, topology(CSPS))
    refused(tmp_path, csp, huge, "huge.topojson: the file is 25 MB; a boundary file must be 25 MB")


def test_a_code_that_another_kind_of_organisation_holds_is_refused(tmp_path, london):
    csp, forces = good_files(tmp_path, forces=[dict(FORCES[0]), dict(FORCES[1])])
    Organisation.objects.filter(code="VRU-LDN").update(code="E23000902")
    refused(
        tmp_path, csp, forces, "forces.topojson, feature 2: AREACD E23000902 is already the code of London Violence"
    )


def test_hostile_files_are_refused_with_a_reason(tmp_path):
    csp, forces = good_files(tmp_path)
    refused(tmp_path, tmp_path, forces, f"{tmp_path.name}: cannot be read")  # a folder
    refused(tmp_path, tmp_path / "nope.topojson", forces, "nope.topojson: cannot be read (No such file or directory)")
    write(csp, "[" * 100_000 + "]" * 100_000)
    refused(tmp_path, csp, forces, "csp.topojson: is not JSON that can be read (nested too deeply)")
    csp.write_bytes(b"\xff\xfe\x00garbage")
    refused(tmp_path, csp, forces, "csp.topojson: is not")
    write(csp, json.dumps(topology(CSPS)).replace("[1, 11]", "[NaN, 11]"))
    refused(tmp_path, csp, forces, "csp.topojson: holds NaN, which is not a number a boundary can have")
