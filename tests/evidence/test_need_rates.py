# ruff: noqa: S608 - SQL text here is built from this file's own constants (file paths, month columns).
"""The need ranking's rates, coverage and labels, checked against the shipped raw files (issue 11).

The store is built once for the module from ``data/`` (MPS, London LSOA and ward boundaries, Census 2021
population, synthetic ISTV); each expected figure is computed here with DuckDB straight from the raw
parquet/CSV files, never copied from the ranking's output.
"""

import csv
import json
import math
from io import StringIO
from pathlib import Path

import duckdb
import pytest
from django.core.management import call_command
from django.test import override_settings

from tests.evidence.london_codes import BOROUGH_CODES
from vrhub.evidence import selectors, store
from vrhub.evidence.loaders.boundaries import load_boundaries
from vrhub.evidence.loaders.istv import load_istv
from vrhub.evidence.loaders.mps import load_mps
from vrhub.evidence.loaders.population import load_population

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
LSOA_FILE = DATA / "mps" / "recorded-crime-lsoa.parquet"
BOROUGH_FILE = DATA / "mps" / "recorded-crime-borough.parquet"
DASHBOARD_FILE = DATA / "mps" / "monthly-crime-dashboard.parquet"
POPULATION_FILE = DATA / "population" / "census2021-lsoa21-usual-residents.csv"
CITY = "E09000001"
WESTMINSTER = "E09000033"
WINDOW = ("2025-03-01", "2026-02-01")  # the latest 12 months of the shipped MPS files
# A&E site code → the borough it sits in (the London type 1 A&E sites), written out for this test.
AE_SITE_BOROUGH = {
    "R1H12": "E09000030",
    "R1H13": "E09000031",
    "R1HKH": "E09000025",
    "RJ122": "E09000022",
    "RJZ01": "E09000028",
    "RJZ30": "E09000006",
    "RJ224": "E09000023",
    "RJ231": "E09000011",
    "RJ701": "E09000032",
    "RJ611": "E09000008",
    "RVR05": "E09000029",
    "RAX01": "E09000021",
    "RYJ01": "E09000013",
    "RYJ02": "E09000033",
    "RQM01": "E09000020",
    "RQM91": "E09000018",
    "R1K01": "E09000015",
    "R1K02": "E09000009",
    "RAS01": "E09000017",
    "RRV03": "E09000007",
    "RAL01": "E09000007",
    "RAL26": "E09000003",
    "RAPNM": "E09000010",
    "RKEQ4": "E09000019",
    "RQXM1": "E09000012",
    "RF4QH": "E09000016",
    "RF4DG": "E09000026",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("need-rates")
    path = str(folder / "evidence.duckdb")
    with override_settings(EVIDENCE_DUCKDB=path):
        load_boundaries(
            paths=[
                DATA / "boundaries" / "london-lsoa21",
                DATA / "boundaries" / "london-wards-2025.geojson",
                DATA / "boundaries" / "community-safety-partnerships-2023-ew.topojson",
                DATA / "boundaries" / "local-authority-districts-2024-uk.topojson",
            ]
        )
        load_mps(paths=[LSOA_FILE, BOROUGH_FILE, DASHBOARD_FILE])
        load_population(paths=[DATA / "population"])
        istv = folder / "istv.csv"
        call_command("generate_istv", "--out", str(istv), "--months", "24", "--seed", "1", stdout=StringIO())
        load_istv(paths=[istv])
    return path


@pytest.fixture(scope="module")
def istv_csv(built):
    """The CSV the module fixture generated (next to its store)."""
    return Path(built).parent / "istv.csv"


@pytest.fixture
def demo(built, settings):
    settings.EVIDENCE_DUCKDB = built
    return built


def _raw(sql: str, params: dict | None = None) -> list[tuple]:
    return duckdb.connect().execute(sql, params or {}).fetchall()


def _window_columns() -> str:
    """The sum of the raw wide files' month columns in the window (202503 … 202602)."""
    months = [f"{y}{m:02d}" for y, m in [(2025, m) for m in range(3, 13)] + [(2026, 1), (2026, 2)]]
    return " + ".join(f'coalesce("{m}", 0)' for m in months)


def _population() -> dict[str, int]:
    with POPULATION_FILE.open(newline="", encoding="utf-8-sig") as fh:
        # The ONS file ends with notes (rows without an LSOA code).
        return {r["LSOA21CD"]: int(r["Population"]) for r in csv.DictReader(fh) if r["LSOA21CD"].startswith("E01")}


def _lsoas_by_borough() -> dict[str, list[str]]:
    """LSOA → borough from the boundary files (one GeoJSON per borough, named by its code)."""
    return {
        p.stem: [
            f["properties"].get("LSOA21CD") or f["properties"].get("code")
            for f in json.loads(p.read_text())["features"]
        ]
        for p in sorted((DATA / "boundaries" / "london-lsoa21").glob("E09*.geojson"))
    }


def _borough_residents() -> dict[str, int]:
    population = _population()
    return {code: sum(population[lsoa] for lsoa in lsoas) for code, lsoas in _lsoas_by_borough().items()}


def _raw_borough_violence() -> dict[str, int]:
    """Borough code → violence against the person in the window, from the raw borough file."""
    counts = dict(
        _raw(
            f"""SELECT boroughname, sum({_window_columns()}) FROM read_parquet('{BOROUGH_FILE}')
                WHERE majortext = 'VIOLENCE AGAINST THE PERSON' GROUP BY 1"""
        )
    )
    return {code: counts[name] for name, code in BOROUGH_CODES.items()}


def _raw_violence_rates() -> dict[str, float]:
    """All 32 MPS boroughs' violence rates per 1,000 residents, from the raw files only."""
    residents = _borough_residents()
    return {code: 1000 * n / residents[code] for code, n in _raw_borough_violence().items()}


def test_borough_violence_rates_match_the_raw_files(demo):
    ranking = selectors.need_ranking(within="E12000007", level="borough", weights={"imd": 0, "knife": 0, "istv": 0})
    by_area = {r["area"]: r for r in ranking["rows"]}
    counts = _raw_borough_violence()
    residents = _borough_residents()
    rates = _raw_violence_rates()
    assert len(rates) == 32
    for code, expected in rates.items():
        row = by_area[code]
        assert row["population"] == residents[code]
        assert row["components"]["violence"]["count"] == counts[code]
        assert row["components"]["violence"]["value"] == pytest.approx(expected, abs=1e-3)
    # Knife crime per borough: the dashboard's Borough rows, Knife Crime offences only.
    knife = dict(
        _raw(
            f"""SELECT area_code, sum(count) FROM read_parquet('{DASHBOARD_FILE}')
                WHERE area_type = 'Borough' AND crime_type = 'Knife Crime'
                AND crime_subtype = 'Knife Crime' AND measure = 'Offences'
                AND month_year BETWEEN $a AND $b GROUP BY 1""",
            {"a": WINDOW[0], "b": WINDOW[1]},
        )
    )
    with_knife = selectors.need_ranking(within="E12000007", level="borough", weights={"imd": 0, "istv": 0})
    knife_rows = {r["area"]: r for r in with_knife["rows"]}
    for code in BOROUGH_CODES.values():
        component = knife_rows[code]["components"]["knife"]
        assert component["count"] == knife.get(code, 0)
        assert component["value"] == pytest.approx(1000 * knife.get(code, 0) / residents[code], abs=1e-3)
    label = ranking["indicators"]["violence"]["label"]
    assert label == "Violence against the person: offences per 1,000 residents per year, Mar 2025 – Feb 2026, MPS"
    assert "per LSOA" not in label


def test_ward_rates_match_the_raw_lsoa_file_summed_over_the_stores_ward_lookup(demo):
    ranking = selectors.need_ranking(within="E09000016", level="ward", weights={"imd": 0, "istv": 0})
    with store.connect() as con:
        lookup = store.rows(con, "SELECT lsoa_code, ward_code FROM lsoa_ward WHERE lad_code = 'E09000016'")
    ward_of = {r["lsoa_code"]: r["ward_code"] for r in lookup}
    raw = _raw(
        f"""SELECT lsoa_code, sum({_window_columns()}) FROM read_parquet('{LSOA_FILE}')
            WHERE major_category = 'VIOLENCE AGAINST THE PERSON' AND borough = 'E09000016' GROUP BY 1"""
    )
    population = _population()
    counts: dict[str, int] = {}
    residents: dict[str, int] = {}
    for lsoa, ward in ward_of.items():
        residents[ward] = residents.get(ward, 0) + population[lsoa]
    for lsoa, n in raw:
        counts[ward_of[lsoa]] = counts.get(ward_of[lsoa], 0) + n
    knife = dict(
        _raw(
            f"""SELECT area_code, sum(count) FROM read_parquet('{DASHBOARD_FILE}')
                WHERE area_type = 'Safer Neighbourhood Teams' AND crime_type = 'Knife Crime'
                AND crime_subtype = 'Knife Crime' AND measure = 'Offences'
                AND month_year BETWEEN $a AND $b GROUP BY 1""",
            {"a": WINDOW[0], "b": WINDOW[1]},
        )
    )
    rows = ranking["rows"]
    assert len(rows) == len(residents) > 10
    for row in rows:  # every Havering ward
        ward = row["area"]
        assert row["population"] == residents[ward]
        assert row["components"]["violence"]["count"] == counts.get(ward, 0)
        assert row["components"]["violence"]["value"] == pytest.approx(
            1000 * counts.get(ward, 0) / residents[ward], abs=1e-3
        )
        # Knife crime: the dashboard's Knife Crime offences series only (no outcomes or victims summed in).
        assert row["components"]["knife"]["count"] == knife.get(ward, 0)
        assert row["components"]["knife"]["value"] == pytest.approx(
            1000 * knife.get(ward, 0) / residents[ward], abs=1e-3
        )
    assert "per 1,000 residents" in ranking["indicators"]["knife"]["label"]


def test_city_of_london_has_no_data_for_mps_and_is_left_out_of_the_zscores(demo):
    ranking = selectors.need_ranking(within="E12000007", level="borough", weights={"imd": 0, "knife": 0, "istv": 0})
    by_area = {r["area"]: r for r in ranking["rows"]}
    city = by_area[CITY]["components"]["violence"]
    assert city["value"] is None and city["z"] is None and city["count"] is None
    assert "City of London" in city["no_data"] and by_area[CITY]["rank"] is None and by_area[CITY]["score"] is None
    assert [e["area"] for e in ranking["indicators"]["violence"]["excluded"]] == [CITY]
    # z-scores over the 32 covered boroughs only: mean and sd from the rates computed from the raw files.
    values = _raw_violence_rates()
    assert len(values) == 32 and CITY not in values
    assert {code for code, r in by_area.items() if r["components"]["violence"]["z"] is not None} == set(values)
    mean = sum(values.values()) / 32
    sd = math.sqrt(sum((v - mean) ** 2 for v in values.values()) / 32)
    for code, value in values.items():
        assert by_area[code]["components"]["violence"]["z"] == pytest.approx((value - mean) / sd, abs=2e-3)
    # The City's LSOAs too: no data, not 0, at LSOA level.
    lsoas = selectors.need_ranking(within=CITY, level="lsoa", weights={"imd": 0})
    assert lsoas["rows"] and all(r["components"]["violence"]["value"] is None for r in lsoas["rows"])
    assert all(r["rank"] is None for r in lsoas["rows"])


def test_counts_choice_and_caveats(demo):
    counts = selectors.need_ranking(within="E12000007", level="borough", measure_type="count", weights={"imd": 0})
    rates = selectors.need_ranking(within="E12000007", level="borough", weights={"imd": 0})
    westminster_count = next(r for r in counts["rows"] if r["area"] == WESTMINSTER)
    westminster_rate = next(r for r in rates["rows"] if r["area"] == WESTMINSTER)
    assert counts["indicators"]["violence"]["label"].startswith("Violence against the person: offences (count)")
    assert westminster_count["components"]["violence"]["value"] == _raw_borough_violence()[WESTMINSTER]
    assert "poor denominator" in westminster_rate["caveat"] and westminster_count["caveat"] is None
    havering = next(r for r in rates["rows"] if r["area"] == "E09000016")
    assert havering["caveat"] is None
    with pytest.raises(selectors.EvidenceError, match="rate or count"):
        selectors.need_ranking(within="E12000007", level="borough", measure_type="per-lsoa")


def test_istv_rates_match_the_generated_csv(demo, istv_csv):
    """ISTV per borough: attendances at its mapped A&E sites over the CSV's latest 12 months, per 1,000 residents."""
    with duckdb.connect() as con:
        con.execute(
            'CREATE TABLE a AS SELECT "Site code" AS site, date_trunc(\'month\', "Arrival date"::DATE) AS month '
            "FROM read_csv($p, skip = 1, header = true, all_varchar = true)",
            {"p": str(istv_csv)},
        )
        per_site = con.execute(
            "SELECT site, count(*) FROM a WHERE month > (SELECT max(month) FROM a) - INTERVAL 12 MONTH GROUP BY 1"
        ).fetchall()
        (months,) = con.execute("SELECT count(DISTINCT month) FROM a").fetchone()
    assert months >= 12  # 24 months generated: a full year, not annualised
    attendances: dict[str, int] = {}
    for site, n in per_site:
        if site in AE_SITE_BOROUGH:
            attendances[AE_SITE_BOROUGH[site]] = attendances.get(AE_SITE_BOROUGH[site], 0) + n
    assert attendances
    residents = _borough_residents()
    ranking = selectors.need_ranking(within="E12000007", level="borough", weights={"imd": 0})
    by_area = {r["area"]: r for r in ranking["rows"]}
    assert len(by_area) == 33
    for code, n in attendances.items():
        component = by_area[code]["components"]["istv"]
        assert component["count"] == n
        assert component["value"] == pytest.approx(1000 * n / residents[code], abs=1e-3)
    without = {code for code, r in by_area.items() if r["components"]["istv"]["value"] is None}
    assert without == set(by_area) - set(AE_SITE_BOROUGH.values())


def test_istv_synthetic_flags_in_json_and_text(demo):
    out = StringIO()
    call_command("need_ranking", "--within", "E12000007", "--level", "borough", "--json", stdout=out)
    rows = json.loads(out.getvalue())
    assert isinstance(rows, list) and len(rows) == 33
    used = [r for r in rows if r["components"]["istv"]["value"] is not None]
    assert used and all(r["components"]["istv"]["synthetic"] is True and r["synthetic"] is True for r in used)
    # A borough without a mapped A&E site uses no synthetic figure: no data for ISTV, not 0.
    unused = [r for r in rows if r["components"]["istv"]["value"] is None]
    assert unused and all(r["synthetic"] is False for r in unused)
    text = StringIO()
    call_command("need_ranking", "--within", "E12000007", "--level", "borough", stdout=text)
    lines = text.getvalue().splitlines()
    assert lines[0].startswith("SYNTHETIC: istv data are synthetic")
    assert any("ISTV" in line and "SYNTHETIC" in line for line in lines if line.startswith("# istv"))
    # Without ISTV nothing is synthetic.
    plain = StringIO()
    call_command("need_ranking", "--within", "E09000016", "--level", "ward", "--json", stdout=plain)
    plain_rows = json.loads(plain.getvalue())
    assert plain_rows and all(r["components"]["istv"]["value"] is None and r["synthetic"] is False for r in plain_rows)


def test_the_map_says_when_its_ranking_uses_synthetic_data(client, editor, demo):
    """The map's GeoJSON carries the synthetic flag, on the collection and on each area whose score used ISTV."""
    client.force_login(editor)
    body = client.get("/evidence/need/map.geojson?within=E12000007&level=borough").json()
    assert body["synthetic"] is True
    flagged = {f["properties"]["code"] for f in body["features"] if f["properties"]["synthetic"]}
    out = StringIO()
    call_command("need_ranking", "--within", "E12000007", "--level", "borough", "--json", stdout=out)
    with_istv = {r["area"] for r in json.loads(out.getvalue()) if r["components"]["istv"]["value"] is not None}
    assert flagged == with_istv and CITY not in flagged
    # Without ISTV in the ranking nothing on the map is synthetic.
    plain = client.get("/evidence/need/map.geojson?within=E12000007&level=borough&w_istv=0").json()
    assert plain["synthetic"] is False and plain["features"]
    assert not [f for f in plain["features"] if f["properties"]["synthetic"]]


@pytest.mark.parametrize("code", ["W06000015", "E06000001"])
def test_areas_outside_london_are_refused_with_the_reason(demo, code):
    with pytest.raises(selectors.EvidenceError, match=r"Rank within a London borough or London: .*outside"):
        selectors.need_ranking(within=code, level="borough")


def test_ranking_and_shapes_computed_once_per_store_version(demo, monkeypatch):
    calls = []
    original = selectors._need_ranking

    def counting(**kwargs):
        calls.append(kwargs["level"])
        return original(**kwargs)

    monkeypatch.setattr(selectors, "_need_ranking", counting)
    first = selectors.need_map(within="E09000016", level="lsoa")
    second = selectors.need_map(within="E09000016", level="lsoa")
    assert first == second and calls == ["lsoa"]
    # A caller changing its copy does not change the cached ranking.
    ranking = selectors.need_ranking(within="E09000016", level="lsoa")
    ranking["rows"][0]["components"]["violence"]["value"] = -1
    assert selectors.need_ranking(within="E09000016", level="lsoa")["rows"][0]["components"]["violence"]["value"] != -1
    features = json.loads(first)["features"]
    assert len(features) == len(ranking["rows"]) and all(f["properties"]["quintile"] in range(1, 6) for f in features)


def test_need_page_says_no_data_and_pages_the_table_and_the_map_has_every_area(client, editor, demo):
    from django.urls import reverse

    client.force_login(editor)
    page = client.get(reverse("evidence:need"), {"within": "E12000007", "level": "borough"})
    body = page.content.decode()
    city = body[body.index('data-area="E09000001"') :].split("</tr>")[0]
    assert city.count("No data") == 4 and ">–<" in city  # violence, knife, ISTV, IMD (not loaded here); not ranked
    westminster = body[body.index('data-area="E09000033"') :].split("</tr>")[0]
    assert "poor denominator" in westminster and "Synthetic" in westminster
    assert "offences per 1,000 residents per year, Mar 2025 – Feb 2026, MPS" in body
    lsoas = client.get(reverse("evidence:need"), {"within": "E12000007", "level": "lsoa"}).content.decode()
    assert lsoas.count('<tr class="govuk-table__row" data-area=') == 200 and "Rows 1 to 200 of 4994" in lsoas
    geo = client.get(reverse("evidence:need_geojson"), {"within": "E12000007", "level": "lsoa"})
    assert geo["Content-Type"] == "application/json"
    features = geo.json()["features"]
    with store.connect() as con:
        shapes = store.scalar(con, "SELECT count(*) FROM geometries WHERE level = 'lsoa'")
    assert len(features) == shapes == 4994
    ranked = [f for f in features if f["properties"]["rank"]]
    city_lsoas = [f for f in features if f["properties"]["name"].startswith("City of London")]
    assert city_lsoas and all(f["properties"]["rank"] is None for f in city_lsoas)
    assert len(ranked) == len(features) - len(city_lsoas)
