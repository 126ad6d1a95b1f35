"""Street-level hotspots: points kept by the police.uk load, binned in hexagons, checked against the raw CSVs.

The expected figures are computed here from data/police-uk with pandas and numpy: the Crime-ID rule
applied by sorting, and each point's hexagon found as the nearest hexagon centre (a different method
from the loader's cube rounding in SQL).
"""

import json
import math
import re
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from django.urls import reverse

from vrhub.evidence import hexbin, selectors, store
from vrhub.evidence.loaders.boundaries import load_boundaries
from vrhub.evidence.loaders.police_uk import load_police_uk

ROOT = Path(__file__).resolve().parents[2]
CITY = ROOT / "data" / "police-uk" / "city-of-london-2023"
CITY_LSOAS = ROOT / "data" / "boundaries" / "london-lsoa21" / "E09000001.geojson"
FORCES = ROOT / "data" / "boundaries" / "police-force-areas-2023-ew.topojson"
UNSETTLED = {"", "Status update unavailable", "Under investigation"}


@pytest.fixture
def city():
    load_boundaries(paths=[CITY_LSOAS, FORCES])
    load_police_uk(paths=[CITY])


def raw_kept(months: list[str] | None = None) -> pd.DataFrame:
    """The rows the Crime-ID rule keeps, from the raw files: each Crime ID's first row by month, settled
    outcome first, file name, crime type, LSOA, longitude, latitude, force; every row without an ID."""
    frames = []
    for path in sorted(CITY.glob("*-street.csv")):
        if months is not None and path.name[:7] not in months:
            continue
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
        df["file"] = path.name
        frames.append(df)
    df = pd.concat(frames, ignore_index=True)
    df["lon"] = pd.to_numeric(df["Longitude"].replace("", np.nan))
    df["lat"] = pd.to_numeric(df["Latitude"].replace("", np.nan))
    df["unsettled"] = df["Last outcome category"].isin(UNSETTLED)
    df["lsoa"] = df["LSOA code"].replace("", np.nan)
    with_id = df[df["Crime ID"] != ""].sort_values(
        ["Month", "unsettled", "file", "Crime type", "lsoa", "lon", "lat", "Falls within"],
        na_position="last",
        kind="stable",
    )
    kept = pd.concat([with_id.drop_duplicates("Crime ID", keep="first"), df[df["Crime ID"] == ""]])
    return kept


def nearest_hex(x: float, y: float, cell_m: float) -> tuple[int, int]:
    """The hexagon whose centre is nearest (pointy-top grid, centres cell_m apart): brute force."""
    size = cell_m / math.sqrt(3)
    r0 = round(y / (1.5 * size))
    best = None
    for r in range(r0 - 2, r0 + 3):
        q0 = round(x / (math.sqrt(3) * size) - r / 2)
        for q in range(q0 - 2, q0 + 3):
            cx, cy = math.sqrt(3) * size * (q + r / 2), 1.5 * size * r
            d = (x - cx) ** 2 + (y - cy) ** 2
            if best is None or d < best[0]:
                best = (d, q, r)
    return best[1], best[2]


def expected_hexes(df: pd.DataFrame, lon0: float, lat0: float, cell_m: int) -> Counter:
    metres_per_degree = 6_371_008.8 * math.pi / 180
    kx = metres_per_degree * math.cos(math.radians(lat0))
    placed = df.dropna(subset=["lon"])
    return Counter(
        nearest_hex((lon - lon0) * kx, (lat - lat0) * metres_per_degree, cell_m)
        for lon, lat in zip(placed["lon"], placed["lat"], strict=True)
    )


def _bbox(coords) -> tuple[float, float, float, float]:
    lons, lats = [c[0] for c in coords], [c[1] for c in coords]
    return min(lons), min(lats), max(lons), max(lats)


def boundary_bbox(code: str) -> tuple[float, float, float, float]:
    """The area's boundary box, from the shipped boundary files (the TopoJSON arcs decoded here)."""
    if code.startswith("E23"):
        topo = json.loads(FORCES.read_text())
        (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
        geometry = next(g for g in topo["objects"]["data"]["geometries"] if g["properties"]["AREACD"] == code)
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        coords = []
        for arc_index in (a for polygon in polygons for ring in polygon for a in ring):
            x = y = 0
            for dx, dy in topo["arcs"][arc_index if arc_index >= 0 else ~arc_index]:
                x, y = x + dx, y + dy
                coords.append((x * sx + tx, y * sy + ty))
        return _bbox(coords)
    features = json.loads(CITY_LSOAS.read_text())["features"]
    coords = []
    for feature in features:
        if code.startswith("E09") or feature["properties"]["LSOA21CD"] == code:
            geometry = feature["geometry"]
            polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
            coords += [c for polygon in polygons for ring in polygon for c in ring]
    return _bbox(coords)


def expected_origin(code: str) -> tuple[float, float]:
    """The documented origin: the middle of the area's boundary box, rounded to 0.01 degree."""
    lon_min, lat_min, lon_max, lat_max = boundary_bbox(code)
    return round((lon_min + lon_max) / 2, 2), round((lat_min + lat_max) / 2, 2)


def test_points_round_trip_the_kept_rows(city):
    kept = raw_kept()
    with store.connect() as con:
        points = pd.DataFrame(store.rows(con, "SELECT crime_type, lsoa_code, lon, lat FROM police_points"))
        facts = int(store.scalar(con, "SELECT sum(n) FROM police_facts"))
    assert len(points) == len(kept) == facts
    assert points["lon"].isna().sum() == kept["lon"].isna().sum() > 0  # counted, not placed
    ours = sorted(zip(points["crime_type"], points["lon"].fillna(999), points["lat"].fillna(999), strict=True))
    theirs = sorted(zip(kept["Crime type"], kept["lon"].fillna(999), kept["lat"].fillna(999), strict=True))
    assert ours == theirs


@pytest.mark.parametrize(
    ("code", "crime_type", "cell_m"),
    [
        ("E23000034", "All crime", 250),
        ("E23000034", "Violence and sexual offences", 150),
        ("E09000001", "Robbery", 500),
        ("E01000001", "Theft from the person", 250),
    ],
)
def test_hexagon_counts_match_the_raw_files(city, code, crime_type, cell_m):
    result = selectors.hotspots(code=code, crime_type=crime_type, period="2023-03:2023-11", cell_m=cell_m)
    df = raw_kept()
    df = df[(df["Month"] >= "2023-03") & (df["Month"] <= "2023-11")]
    df = (
        df[df["Crime type"] != "Anti-social behaviour"]
        if crime_type == "All crime"
        else df[df["Crime type"] == crime_type]
    )
    if code == "E09000001":  # the borough: the points in its LSOAs (from the shipped boundaries)
        lsoas = {f["properties"]["LSOA21CD"] for f in json.loads(CITY_LSOAS.read_text())["features"]}
        df = df[df["lsoa"].isin(lsoas)]
    elif code.startswith("E01"):
        df = df[df["lsoa"] == code]
    lon0, lat0 = expected_origin(code)
    assert (result["projection"]["lon0"], result["projection"]["lat0"]) == pytest.approx((lon0, lat0), abs=1e-9)
    expected = expected_hexes(df, lon0, lat0, cell_m)
    got = Counter({(h["q"], h["r"]): h["n"] for h in result["hexes"]})
    assert got == expected and sum(expected.values()) > 0
    assert result["total"] == len(df)
    assert result["placed"] == df["lon"].notna().sum()
    assert [h["n"] for h in result["hexes"]] == sorted(expected.values(), reverse=True)
    assert (result["unit"], result["source"], result["period"]) == (
        "offences",
        "data.police.uk street-level crime",
        "2023-03:2023-11",
    )
    # The top hexagon's centre (lon, lat), projected with this test's own arithmetic, is in that hexagon.
    top = result["hexes"][0]
    metres_per_degree = 6_371_008.8 * math.pi / 180
    x = (top["lon"] - lon0) * metres_per_degree * math.cos(math.radians(lat0))
    y = (top["lat"] - lat0) * metres_per_degree
    assert nearest_hex(x, y, cell_m) == (top["q"], top["r"])


def test_a_borough_the_loaded_forces_do_not_cover_is_no_data_not_an_empty_map(city):
    result = selectors.hotspots(code="E09000007", crime_type="All crime", cell_m=250)  # Camden: the Met
    assert result["coverage"]["inside"] is False
    assert "hexes" not in result and "total" not in result
    assert result["message"].startswith("No data") and "Metropolitan Police Service" in result["message"]


def test_no_data_names_only_the_forces_not_loaded(city):
    # London is the Met and the City: only the City's data are loaded, so only the Met is named.
    result = selectors.hotspots(code="E12000007", crime_type="Violence and sexual offences", period="2023-01:2023-12")
    assert result["coverage"]["inside"] is False
    assert "(Metropolitan Police Service not loaded)" in result["message"]
    assert "City of London Police not loaded" not in result["message"]
    assert "and City of London" not in result["message"]


def test_too_many_hexagons_are_refused_naming_the_count_and_the_limit(city, monkeypatch):
    df = raw_kept()
    df = df[(df["Crime type"] == "Robbery") & df["lon"].notna()]
    lon0, lat0 = expected_origin("E23000034")
    count = len(expected_hexes(df, lon0, lat0, 150))
    assert count > 3
    monkeypatch.setattr(selectors, "HOTSPOT_MAX_HEXES", count - 1)
    with pytest.raises(selectors.EvidenceError) as refused:
        selectors.hotspots(code="E23000034", crime_type="Robbery", period="2023-01:2023-12", cell_m=150)
    assert f"{count:,} hexagons of 150 m are too many" in str(refused.value)
    assert f"the limit is {count - 1:,}" in str(refused.value)
    monkeypatch.setattr(selectors, "HOTSPOT_MAX_HEXES", count)  # at the limit: drawn
    drawn = selectors.hotspots(code="E23000034", crime_type="Robbery", period="2023-01:2023-12", cell_m=150)
    assert len(drawn["hexes"]) == count


def test_anti_social_behaviour_is_counted_in_incidents(city):
    result = selectors.hotspots(code="E23000034", crime_type="Anti-social behaviour", period="2023-01:2023-12")
    df = raw_kept()
    asb = df[df["Crime type"] == "Anti-social behaviour"]
    assert result["unit"] == "incidents"
    assert result["total"] == len(asb) > 0 and result["placed"] == asb["lon"].notna().sum()


def test_a_period_outside_or_across_the_loaded_months(city):
    before = selectors.hotspots(code="E23000034", crime_type="Robbery", period="2022-01:2022-12")
    assert before["coverage"]["inside"] is False and "2023-01 to 2023-12" in before["message"]
    across = selectors.hotspots(code="E23000034", crime_type="Robbery", period="2022-07:2023-06")
    assert across["coverage"]["months_with_data"] == 6 and across["coverage"]["months_asked"] == 12
    assert across["message"].startswith("Only 6 of the 12 months")
    df = raw_kept()
    assert across["total"] == ((df["Crime type"] == "Robbery") & (df["Month"] <= "2023-06")).sum()


def test_a_gap_month_inside_the_period_is_left_out_and_said(write):
    # January, February and April loaded, not March: a gap inside 2023-01:2023-04.
    months = ["2023-01", "2023-02", "2023-04"]
    load_boundaries(paths=[CITY_LSOAS, FORCES])
    load_police_uk(paths=[CITY / f"{m}-city-of-london-street.csv" for m in months])
    result = selectors.hotspots(code="E23000034", crime_type="All crime", period="2023-01:2023-04")
    assert result["coverage"]["months_with_data"] == 3 and result["coverage"]["months_asked"] == 4
    assert result["message"].startswith("Only 3 of the 4 months")
    df = raw_kept(months)  # the rule applied to the loaded files only
    df = df[df["Crime type"] != "Anti-social behaviour"]
    assert result["total"] == len(df) > 0
    assert sum(h["n"] for h in result["hexes"]) == result["placed"] == df["lon"].notna().sum()


def test_default_period_is_the_latest_twelve_months(city):
    assert selectors.hotspots(code="E23000034")["period"] == "2023-01:2023-12"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"code": "E23000034", "crime_type": "Mugging"}, "Unknown crime type 'Mugging'"),
        ({"code": "E23000034", "cell_m": 300}, "Hexagon size must be one of 150, 250, 500"),
        ({"code": "X" * 40}, "An area code"),
        ({"code": "E23000034", "period": "2023-13"}, "A period is YYYY-MM:YYYY-MM"),
    ],
)
def test_bad_choices_are_refused_with_a_reason(city, kwargs, message):
    with pytest.raises(selectors.EvidenceError, match=message.replace("(", r"\(")):
        selectors.hotspots(**kwargs)


def test_hex_grid_helpers_agree_with_the_nearest_centre():
    rng = np.random.default_rng(11)
    for x, y in rng.uniform(-3000, 3000, size=(2000, 2)):
        assert hexbin.hex_of(x, y, 250) == nearest_hex(x, y, 250)

    # The documented rule, worked here: break k (k = 1..CLASSES-1) is the smallest count with more than
    # k/CLASSES of the hexagons at or below it; the largest count closes the last class; breaks are distinct.
    def rule(counts: list[int]) -> list[int]:
        n, breaks = len(counts), set()
        for k in range(1, hexbin.CLASSES):
            breaks.add(min(c for c in counts if sum(x <= c for x in counts) * hexbin.CLASSES > n * k))
        top = max(counts)
        return sorted(b for b in breaks if b < top) + [top]

    for counts in ([1, 1, 1, 1], list(range(1, 11)), [int(v) for v in rng.integers(1, 40, size=137)], [5, 1, 1, 9]):
        assert hexbin.class_breaks(counts) == rule(counts)
    assert hexbin.class_breaks([]) == []


def test_hotspot_page_draws_the_map_and_the_table(client, editor, city):
    client.force_login(editor)
    response = client.get(reverse("evidence:hotspots"), {"area": "E23000034", "crime_type": "All crime", "cell": "250"})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="hotspot-map"' in body and 'data-testid="hotspot-table"' in body
    assert (
        "Unit: offences. Source: data.police.uk street-level crime (City of London Police), "
        "January 2023 to December 2023" in body
    )
    assert "anonymises locations" in body and "<script" not in body.split("<main")[1].split("</main>")[0]
    # The figures, independently: the raw rows binned here, over the latest twelve months.
    df = raw_kept()
    df = df[(df["Crime type"] != "Anti-social behaviour") & df["Month"].between("2023-01", "2023-12")]
    lon0, lat0 = expected_origin("E23000034")
    expected = expected_hexes(df, lon0, lat0, 250)
    top_row = re.search(r'<tr class="govuk-table__row" data-rank="1">(.*?)</tr>', body, re.DOTALL)
    assert top_row is not None
    cells = re.findall(r"<td[^>]*>(.*?)</td>", top_row.group(1), re.DOTALL)
    assert cells[0].strip() == "1" and int(cells[-1].strip()) == max(expected.values())
    # Every hexagon in the map's frame is drawn with its count; the rest are said to lie outside.
    drawn = [int(n) for n in re.findall(r'class="app-hotspots__hex [^"]*" data-rank="\d+" data-n="(\d+)"', body)]
    assert len(drawn) > 0 and Counter(drawn) <= Counter(expected.values())
    outside = sum(expected.values()) - sum(drawn)
    if outside:
        assert f"{outside} offences in {len(expected) - len(drawn)} hexagons lie beyond" in body
    else:
        assert "lie beyond" not in body


def test_hotspot_page_says_no_data_outside_coverage(client, editor, city):
    client.force_login(editor)
    response = client.get(reverse("evidence:hotspots"), {"area": "E09000007", "crime_type": "All crime", "cell": "250"})
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="no-data"' in body and 'data-testid="hotspot-map"' not in body


def test_hotspot_page_refuses_a_bad_cell_size(client, editor, city):
    client.force_login(editor)
    response = client.get(reverse("evidence:hotspots"), {"area": "E23000034", "crime_type": "All crime", "cell": "300"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert "result" not in response.context


def test_a_covered_area_without_such_crimes_is_a_true_zero(client, editor, city):
    df = raw_kept()
    month = df[(df["lsoa"] == "E01000001") & (df["Month"] == "2023-01")]
    missing = sorted({"Robbery", "Drugs", "Public order", "Bicycle theft"} - set(month["Crime type"]))
    assert missing  # the raw file has no such crime in this LSOA that month
    result = selectors.hotspots(code="E01000001", crime_type=missing[0], period="2023-01:2023-01")
    assert result["coverage"]["inside"] is True
    assert (result["total"], result["placed"], result["hexes"]) == (0, 0, [])
    client.force_login(editor)
    body = client.get(
        reverse("evidence:hotspots"),
        {"area": "E23000034", "other_area": "E01000001", "crime_type": missing[0], "period": "2023-01", "cell": "250"},
    ).content.decode()
    assert 'data-testid="zero"' in body and "true zero" in body and 'data-testid="hotspot-map"' not in body


def test_a_store_from_before_the_points_says_so(settings, tmp_path):
    import duckdb

    # A store written by an older version: the counts, no police_points table.
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    con.execute(store.SCHEMA.split("-- data.police.uk rows kept after the Crime-ID rule")[0])
    con.close()
    settings.EVIDENCE_DUCKDB = str(path)
    assert selectors.hotspot_crime_types() == ["All crime"]
    with pytest.raises(selectors.EvidenceError, match="No street-level points in the evidence store yet"):
        selectors.hotspots(code="E23000034")
