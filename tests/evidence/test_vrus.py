"""Many VRUs on one evidence store: ISTV extracts are the uploading VRU's alone, open data is shared, and a
West Midlands user's workbench is the West Midlands' (issue 16)."""

import csv
import datetime as dt
import html
import re
from collections import Counter
from io import StringIO
from pathlib import Path

import duckdb
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from tests.factories import UserFactory
from vrhub.accounts.models import User
from vrhub.evidence import selectors, store
from vrhub.evidence.loaders.istv import load_istv
from vrhub.evidence.loaders.police_uk import HEADER, load_police_uk
from vrhub.evidence.synthetic import lsoas_of_districts, write_istv, write_police_uk_force
from vrhub.organisations.models import Organisation

ROOT = Path(__file__).resolve().parents[2]
POPULATION = ROOT / "data" / "population" / "census2021-lsoa21-usual-residents.csv"
CITY_JANUARY = ROOT / "data" / "police-uk" / "city-of-london-2023" / "2023-01-city-of-london-street.csv"
WM_FORCE = "E23000014"
LONDON_SITE, WM_SITE = "RJ122", "RRK15"  # St Thomas' (London lookup); a Birmingham hospital (no lookup)
START = dt.date(2024, 1, 1)
BAD_ARRIVAL = "2024-13-45"  # the West Midlands extract's one bad row


def _user(code: str, role=User.Role.VRU_ADMIN):
    return UserFactory(organisation=Organisation.objects.get(code=code), role=role)


def _raw(path: Path) -> list[dict[str, str]]:
    """An extract's rows, read independently (after the synthetic marker line)."""
    with path.open(newline="", encoding="utf-8") as fh:
        lines = fh.read().splitlines()[1:]
    return list(csv.DictReader(lines))


@pytest.fixture
def two_vrus(london, west_midlands, tmp_path):
    """London and the West Midlands each with an ISTV extract of its own (different sizes), and one bad row."""
    ldn = write_istv(
        path=tmp_path / "ldn.csv", site_code=LONDON_SITE, lsoas=[], start=START, months=3, per_month=40, seed=1
    )
    wm = write_istv(path=tmp_path / "wm.csv", site_code=WM_SITE, lsoas=[], start=START, months=2, per_month=25, seed=2)
    with wm.open("a", encoding="utf-8", newline="") as fh:
        fh.write(f"{WM_SITE},2024-01-01,2024-01-31,{BAD_ARRIVAL},10:00,,,Other,Bite,Home,,,yes\r\n")
    out = StringIO()
    call_command("load_istv", str(ldn), "--vru", "VRU-LDN", "--quiet", stdout=out)
    call_command("load_istv", str(wm), "--vru", "VRU-WMD", "--quiet", stdout=out)
    return {"VRU-LDN": ldn, "VRU-WMD": wm}


def test_istv_is_the_uploading_vrus_own_on_every_page(client, two_vrus):
    for vru, other in (("VRU-LDN", "VRU-WMD"), ("VRU-WMD", "VRU-LDN")):
        raw, others = _raw(two_vrus[vru]), _raw(two_vrus[other])
        rows = [r for r in raw if r["Arrival date"] != BAD_ARRIVAL]
        client.force_login(_user(vru))
        index = client.get(reverse("evidence:index")).content.decode()
        istv_row = re.search(r"<th[^>]*>istv.*?</tr>", index, re.S).group(0)
        cells = re.findall(r'numeric">(\d+)<', istv_row)
        # files, rows read, loaded, rejected: this VRU's file only
        assert cells == ["1", str(len(raw)), str(len(rows)), str(len(raw) - len(rows))]
        page = client.get(reverse("evidence:istv")).content.decode()
        total = re.search(r'data-testid="istv-total">(\d+) ', page).group(1)
        assert int(total) == len(rows) != len(others)
        methods = Counter(r["Assault method"] for r in rows)
        for method, n in methods.items():
            assert re.search(rf"{re.escape(method)}</th>\s*<td[^>]*>{n}<", page), method
        # Sites counted: this VRU's extract's sites only (site codes are not shown on these pages, so a count
        # computed from the raw rows is what would change if the other VRU's extract leaked in).
        sites = {r["Site code"] for r in rows}
        assert sites == {LONDON_SITE if vru == "VRU-LDN" else WM_SITE}
        assert f"({len(sites)} with attendances in the period)" in page


def test_the_command_needs_vru_when_there_are_several_and_knows_them(two_vrus, tmp_path):
    path = write_istv(path=tmp_path / "x.csv", site_code=WM_SITE, lsoas=[], start=START, months=1, seed=3)
    with pytest.raises(CommandError, match=r"--vru is required: this service has 2 VRUs \(VRU-LDN, VRU-WMD\)"):
        call_command("load_istv", str(path), "--quiet", stdout=StringIO())
    with pytest.raises(CommandError, match="'VRU-XXX' is not a VRU on this service"):
        call_command("load_istv", str(path), "--vru", "VRU-XXX", "--quiet", stdout=StringIO())


def test_a_file_one_vru_loaded_is_new_to_another_and_replaces_nothing_of_theirs(two_vrus):
    """The same extract (same site and periods) loaded by the West Midlands leaves London's rows alone."""
    summary = load_istv(paths=[two_vrus["VRU-LDN"]], vru="VRU-WMD")
    assert summary.already_loaded == [] and summary.loaded == len(_raw(two_vrus["VRU-LDN"]))
    assert not any("Replaced" in n for n in summary.notes)
    with store.vru_scope("VRU-LDN"):
        assert selectors.istv_profile()["total"] == len(_raw(two_vrus["VRU-LDN"]))


def test_crafted_istv_header_and_cells_are_refused_with_file_and_line_for_any_vru(west_midlands, write):
    bad_header = write("h.csv", "Site code,=cmd|' /C calc'!A0\nRRK15,x\n")
    bad_cell = write(
        "c.csv",
        "Site code,Reporting period start date,Reporting period end date,Arrival date,Arrival time,Assault date,"
        "Assault time,Assault method,Assault location type,Assault location description\n"
        "RRK15,2024-01-01,2024-01-31,2024-01-05,10:00,,,'; DROP TABLE istv; --,Home,\n",
    )
    summary = load_istv(paths=[bad_header, bad_cell], vru="VRU-WMD")
    found = {(Path(j.file).name, j.line): j.reason for j in summary.rejected}
    assert (
        found[("h.csv", 1)].startswith("Not an ISTV extract")
        and "unknown \"=cmd|' /C calc'!A0\"" in found[("h.csv", 1)]
    )
    assert found[("c.csv", 2)] == "Assault method: '; DROP TABLE istv; -- is not a known method"
    with store.vru_scope("VRU-WMD"), store.connect() as con:
        assert store.scalar(con, "SELECT count(*) FROM rejects WHERE kind = 'istv'") == 2
    with store.vru_scope("VRU-LDN"), store.connect() as con:
        assert store.scalar(con, "SELECT count(*) FROM rejects WHERE kind = 'istv'") == 0


def test_an_older_store_s_istv_data_are_londons(settings, london, tmp_path):
    """A store made before owners were recorded: readers count its ISTV as London's; the next load records it."""
    con = duckdb.connect(settings.EVIDENCE_DUCKDB)
    con.execute(
        store.SCHEMA.replace("ALTER TABLE istv ADD COLUMN IF NOT EXISTS vru VARCHAR;", "").replace(
            "CREATE TABLE IF NOT EXISTS batch_owners (batch_id BIGINT, vru VARCHAR);", ""
        )
    )
    assert "vru" not in [r[0] for r in con.execute("DESCRIBE istv").fetchall()]
    con.execute("INSERT INTO loads (batch_id, kind, file, rows) VALUES (7, 'istv', 'old.csv', 3)")
    con.close()
    for vru, files in (("VRU-LDN", 1), ("VRU-WMD", 0), (store.NO_VRU, 0)):
        with store.vru_scope(vru):
            assert sum(r["files"] for r in selectors.loads_by_kind() if r["kind"] == "istv") == files
    load_police_uk(paths=[CITY_JANUARY])  # any load upgrades the store
    with store.connect() as con:
        assert store.rows(con, "SELECT * FROM batch_owners") == [{"batch_id": 7, "vru": "VRU-LDN"}]


# --- data.police.uk for the West Midlands: synthetic files -------------------------------------------


def test_generate_police_uk_is_deterministic_in_the_published_format_and_says_synthetic(tmp_path):
    outputs = []
    for folder, seed in (("a", "5"), ("b", "5"), ("c", "6")):
        out = StringIO()
        call_command(
            "generate_police_uk", "--force", "West Midlands Police", "--months", "1", "--start", "2024-03",
            "--seed", seed, "--out", str(tmp_path / folder), stdout=out,
        )  # fmt: skip
        assert out.getvalue().startswith("SYNTHETIC data (not real crimes)")
        outputs.append(sorted((tmp_path / folder).rglob("*-street.csv")))
    (a,), (b,), (c,) = outputs
    assert a.name == "2024-03-west-midlands-police-synthetic-street.csv"
    assert a.read_bytes() == b.read_bytes() != c.read_bytes()
    rows = list(csv.reader(a.open(encoding="utf-8")))
    assert rows[0] == HEADER
    wm = {
        code: name
        for code, name, _ in lsoas_of_districts(
            ["Birmingham", "Coventry", "Dudley", "Sandwell", "Solihull", "Walsall", "Wolverhampton"], path=POPULATION
        )
    }
    assert len(wm) > 1500
    for row in rows[1:]:
        crime_id, month, by, within, lon, lat, _, lsoa, lsoa_name, crime_type, outcome, context = row
        assert month == "2024-03" and by == within == "West Midlands Police" and context == ""
        assert wm[lsoa] == lsoa_name
        assert (crime_id == "" and outcome == "") if crime_type == "Anti-social behaviour" else len(crime_id) == 64
        assert -2.3 < float(lon) < -1.3 and 52.3 < float(lat) < 52.7
    assert {r[7] for r in rows[1:]} <= set(wm) and len({r[7] for r in rows[1:]}) > 1000


@pytest.fixture
def wm_police(west_midlands, tmp_path):
    """Two months of synthetic West Midlands Police files for Solihull and Walsall's LSOAs, loaded."""
    lsoas = lsoas_of_districts(["Solihull", "Walsall"], path=POPULATION)
    files = write_police_uk_force(
        out_dir=tmp_path / "wmp", force="West Midlands Police", lsoas=lsoas, outlines={}, start=START, months=2, seed=3
    )
    out = StringIO()
    call_command("load_police_uk", "--synthetic", str(tmp_path / "wmp"), stdout=out)
    assert "SYNTHETIC data:" in out.getvalue()
    return files


def _count(files, *, district: str, crime_type: str, month: str) -> int:
    n = 0
    for path in files:
        for row in csv.DictReader(path.open(encoding="utf-8")):
            n += (
                row["LSOA name"].startswith(district + " ")
                and row["Crime type"] == crime_type
                and row["Month"] == month
            )
    return n


def test_west_midlands_trends_count_the_csps_lsoas_and_say_synthetic(client, london, wm_police):
    client.force_login(_user("VRU-WMD", role=User.Role.VRU_REVIEWER))
    page = client.get(reverse("evidence:trend")).content.decode()
    options = re.findall(r'<option value="([^"]+)"', page.split('name="measure"')[0])
    assert options == [WM_FORCE, "E22000335", "E22000336", "E22000337", "E22000338", "E22000339", "E22000340",
                       "E22000341"]  # fmt: skip
    assert "E09000" not in page.split('name="measure"')[0] and "LSOA’s district" in page
    for code, district in (("E22000339", "Solihull"), ("E22000340", "Walsall")):
        response = client.get(
            reverse("evidence:trend"),
            {"area": code, "measure": "police.uk:Burglary", "period": "2024-02:2024-02", "baseline": "2024-01:2024-01"},
        )
        body = response.content.decode()
        compare = response.context["compare"]
        assert compare["current"] == _count(wm_police, district=district, crime_type="Burglary", month="2024-02")
        assert compare["baseline"] == _count(wm_police, district=district, crime_type="Burglary", month="2024-01")
        assert compare["current"] > 0 and "Synthetic" in body
        assert [c["level"] for c in compare["comparisons"]] == ["bcu", "england_wales"]  # no London
        assert f"{district} beside its BCU and England and Wales (" in body


def test_west_midlands_without_police_uk_files_is_no_data_not_zero(client, west_midlands):
    load_police_uk(paths=[CITY_JANUARY])
    client.force_login(_user("VRU-WMD", role=User.Role.VRU_REVIEWER))
    response = client.get(
        reverse("evidence:trend"),
        {
            "area": "E22000335",
            "measure": "police.uk:Burglary",
            "period": "2023-02:2023-02",
            "baseline": "2023-01:2023-01",
        },
    )
    assert response.context["form"].errors == {}
    compare = response.context["compare"]
    assert compare["current"] is None and compare["complete"] is False
    assert "No data" in response.content.decode()
    hot = client.get(reverse("evidence:hotspots")).content.decode()
    assert "No data" in hot and "West Midlands Police not loaded" in hot


def test_an_upload_is_the_uploaders_vrus(client, london, west_midlands, tmp_path, django_capture_on_commit_callbacks):
    from tests.evidence.test_views import _upload

    path = write_istv(path=tmp_path / "istv.csv", site_code=WM_SITE, lsoas=[], start=START, months=1, seed=4)
    client.force_login(_user("VRU-WMD"))
    job, _ = _upload(client, "istv", "istv.csv", path.read_bytes(), django_capture_on_commit_callbacks)
    assert job.state == "succeeded", job.error
    with store.connect() as con:
        assert store.rows(con, "SELECT DISTINCT vru FROM istv") == [{"vru": "VRU-WMD"}]
    for vru, listed in (("VRU-WMD", True), ("VRU-LDN", False)):
        client.force_login(_user(vru))
        assert ("(your VRU's own)" in client.get(reverse("evidence:index")).content.decode()) is listed


def test_multiple_need_outside_london_is_no_data_with_the_reason_not_an_error(client, london, west_midlands):
    load_police_uk(paths=[CITY_JANUARY])
    client.force_login(_user("VRU-WMD", role=User.Role.VRU_REVIEWER))
    page = client.get(reverse("evidence:need"))
    assert page.status_code == 200
    text = html.unescape(page.content.decode())
    assert "No data: the multiple-need ranking covers London's boroughs only" in text
    assert "West Midlands Police force area" in text and 'class="govuk-error-summary' not in text
    shapes = client.get(reverse("evidence:need_geojson"))
    assert shapes.status_code == 200
    assert shapes.json()["type"] == "FeatureCollection" and shapes.json()["features"] == []
    assert shapes.json()["note"].startswith("No data")
    # London's own staff still get the ranking form (the page is not switched off for everyone).
    client.force_login(_user("VRU-LDN", role=User.Role.VRU_REVIEWER))
    assert "No data: the multiple-need ranking" not in client.get(reverse("evidence:need")).content.decode()


def test_a_store_without_the_istv_table_still_reads_everything_else_in_a_vrus_scope(settings, tmp_path):
    path = tmp_path / "earlier-release.duckdb"
    con = duckdb.connect(str(path))
    con.execute(store.SCHEMA)
    con.execute("DROP TABLE istv")  # a store made before ISTV extracts were kept
    con.execute("INSERT INTO areas VALUES ('E22000335', 'Birmingham', 'csp', NULL)")
    con.close()
    settings.EVIDENCE_DUCKDB = str(path)
    with store.vru_scope("VRU-WMD"), store.connect() as reader:
        assert store.rows(reader, "SELECT code, name FROM areas") == [{"code": "E22000335", "name": "Birmingham"}]
        assert store.scalar(reader, "SELECT count(*) FROM loads") == 0
