"""Files that are not what they claim: rejected with a reason and the right line, never a crash."""

from __future__ import annotations

import datetime
import json

import duckdb
import pytest

from vrhub.evidence import store
from vrhub.evidence.loaders import mps_homicide_vawg
from vrhub.evidence.loaders.boundaries import load_boundaries
from vrhub.evidence.loaders.imd import load_imd
from vrhub.evidence.loaders.istv import load_istv
from vrhub.evidence.loaders.mps import load_mps

SQUARE = [[[0.0, 51.0], [0.1, 51.0], [0.1, 51.1], [0.0, 51.1], [0.0, 51.0]]]


def feature(geometry, code="E09000016"):
    return {"type": "Feature", "properties": {"LAD24CD": code, "LAD24NM": "Havering"}, "geometry": geometry}


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("[1, 2]", "Not GeoJSON or TopoJSON: 'list' object has no attribute 'get'"),
        ('{"type": "FeatureCollection", "features": "none"}', "Not GeoJSON or TopoJSON: its features are not a list"),
        ('{"type": "FeatureCollection", "features": [1]}', "Not GeoJSON or TopoJSON: its features are not a list"),
        ('{"type": "Topology", "arcs": 3, "objects": {}}', "Not GeoJSON or TopoJSON: 'int' object is not iterable"),
    ],
    ids=["list", "features-string", "features-numbers", "topology-arcs"],
)
def test_a_file_of_the_wrong_shape_is_rejected_whole(write, content, reason):
    summary = load_boundaries(paths=[write("b.geojson", content)])
    assert [(r.line, r.reason[: len(reason)]) for r in summary.rejected] == [(1, reason)]
    assert summary.loaded == 0
    with store.connect() as con:
        assert store.scalar(con, "SELECT count(*) FROM geometries") == 0
        assert store.scalar(con, "SELECT count(*) FROM rejects WHERE kind = 'boundaries'") == 1


@pytest.mark.parametrize(
    "geometry",
    [
        {"type": "Polygon", "coordinates": []},
        {"type": "Polygon", "coordinates": [[["a", "b"], [1, 2]]]},
        {"type": "MultiPolygon", "coordinates": [[]]},
        {"type": "Polygon"},
        "a string",
    ],
    ids=["empty", "text", "empty-polygon", "no-coordinates", "string"],
)
def test_a_malformed_geometry_rejects_its_feature_only(write, geometry):
    data = {
        "type": "FeatureCollection",
        "features": [feature(geometry), feature({"type": "Polygon", "coordinates": SQUARE}, "E09000017")],
    }
    summary = load_boundaries(paths=[write("b.geojson", json.dumps(data))])
    assert [(r.line, r.reason) for r in summary.rejected] == [(1, "Feature 1 (E09000016): not a well-formed polygon")]
    assert summary.loaded == 1
    with store.connect() as con:
        assert store.rows(con, "SELECT code FROM geometries") == [{"code": "E09000017"}]


def test_a_degenerate_island_in_a_multipolygon_is_kept(write):
    island = [[[1.0, 52.0], [1.0, 52.0]]]  # a tiny island generalised to two points, as ONS files have
    data = {
        "type": "FeatureCollection",
        "features": [feature({"type": "MultiPolygon", "coordinates": [island, SQUARE]})],
    }
    summary = load_boundaries(paths=[write("b.geojson", json.dumps(data))])
    assert summary.loaded == 1 and summary.rejected == []


ISTV_HEADER = (
    "Site code,Reporting period,Arrival date,Arrival time,Assault date,Assault time,Assault method,"
    "Assault location type,Assault location description\r\n"
)


def test_a_malformed_row_after_a_quoted_line_break_is_reported_at_its_own_line(write):
    """DuckDB counts that row's line one short (the quoted break); the loaders count the file's lines."""
    istv = write(
        "istv.csv",
        ISTV_HEADER
        + 'RJ122,2024-01,2024-01-05,23:10,2024-01-05,22:40,Other,Home,"Outside the\nRed Lion"\r\n'  # lines 2-3
        + "\r\n"  # line 4, blank
        + "RJ122,2024-01\r\n"  # line 5: two columns
        + "RJ122,2024-01,2024-01-05,23:10,,,Other,Home,\r\n",  # line 6
    )
    summary = load_istv(paths=[istv])
    assert [r.line for r in summary.rejected] == [5] and summary.loaded == 2
    mps = write(
        "mps.csv",
        'LSOA Code,LSOA Name,Major Category,Minor Category,202301\r\nE01000001,"A\nB",ROBBERY,X,1\r\nE01000002,C\r\n',
    )
    assert [r.line for r in load_mps(paths=[mps]).rejected] == [4]
    imd = write(
        "imd.csv", 'lsoa21_code,lsoa21_name,IMD_score\r\nE01000001,"A\r\nB",1\r\nE01000002\r\nE01000003,C,2\r\n'
    )
    summary = load_imd(paths=[imd])
    assert [r.line for r in summary.rejected] == [4] and summary.loaded == 2


HOMICIDE_HEADER = (
    "count_of_ppa,borough,gender,age_group,self_classified_ethnicity,offence_type,charged_summonsed,proceedings_date\n"
)
HOMICIDE_ROW = "1,Havering,Male,20 to 24,White,Murder,Charge or Summons,Jan-20\n"
VAWG_HEADER = "bcu_location,borough_name,ward_name_clean_2,recorded_date_months,count,sheet\n"


def _mps_facts() -> int:
    with store.connect() as con:
        return store.scalar(con, "SELECT count(*) FROM facts") or 0


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (
            HOMICIDE_HEADER.replace("\n", ",weapon\n") + HOMICIDE_ROW.replace("\n", ",knife\n"),
            "unknown column 9 'weapon'",
        ),
        ("count_of_ppa,borough,offence_type,proceedings_date\n1,Havering,Murder,Jan-20\n", "no outcome column"),
        (
            VAWG_HEADER.replace("\n", ",crime_rate\n")
            + "East,Havering,Gooshays,2024-01-01,3,Offence count location,9\n",
            "unknown column 7 'crime_rate'",
        ),
        (
            "count_of_ppa,borough,borough,offence_type,charged_summonsed,proceedings_date\n",
            "column 3 'borough' repeats column 2 'borough'",
        ),
        (VAWG_HEADER, "The MPS VAWG file has a header but no rows"),
    ],
    ids=[
        "homicide-unknown-column",
        "homicide-missing-column",
        "vawg-unknown-column",
        "homicide-repeated-column",
        "no-rows",
    ],
)
def test_an_mps_homicide_or_vawg_file_with_a_wrong_header_is_refused_whole(write, text, reason):
    path = write("file.csv", text)
    summary = load_mps(paths=[path])
    assert [(r.file, r.line) for r in summary.rejected] == [(str(path), 1)]
    assert summary.rejected[0].reason.endswith(reason)
    assert summary.loaded == 0 and _mps_facts() == 0


@pytest.mark.parametrize(
    ("bad_row", "reason"),
    [
        (
            "one,Havering,Male,20 to 24,White,Murder,Charge or Summons,Jan-20\n",
            "count_of_ppa is not a whole number: one",
        ),
        (
            "1,Havering,Male,20 to 24,White,Murder,Charge or Summons,Janvier-20\n",
            "proceedings_date is not a month (Mon-YY, as Jan-03): Janvier-20",
        ),
        (
            "1,Havering,Male,20 to 24,White,Murder,Charge or Summons,Jan-60\n",
            "proceedings_date Jan-60 is in the future",
        ),
        (
            "1,Havering,Male,20 to 24,White,Murder,Charge or Summons,Jan-69\n",
            "proceedings_date Jan-69 is read as Jan 1969, before Jan 2000, the earliest month accepted",
        ),
        ("-1,Havering,Male,20 to 24,White,Murder,Charge or Summons,Jan-20\n", "count_of_ppa is negative"),
        (
            "9223372036854775807,Havering,Male,20 to 24,White,Murder,Charge or Summons,Jan-20\n",
            "count_of_ppa 9223372036854775807 is over the limit of 1,000,000 in one row",
        ),
        (
            "99999999999999999999999,Havering,Male,20 to 24,White,Murder,Charge or Summons,Jan-20\n",
            "count_of_ppa 99999999999999999999999 is over the limit of 1,000,000 in one row",
        ),
        (
            "-99999999999999999999999,Havering,Male,20 to 24,White,Murder,Charge or Summons,Jan-20\n",
            "count_of_ppa is negative",
        ),
        ("1,Havering,Male,20 to 24,White,,Charge or Summons,Jan-20\n", "offence_type is missing"),
        (
            "1,Havering,Male,20 to 24,White,Murder,Acquitted,Jan-20\n",
            'charged_summonsed is not "Charge or Summons" or "Accused is Deceased": Acquitted',
        ),
        ("1,Havering,Male,20 to 24,White,Murder,Charge or Summons\n", "Missing columns"),
    ],
    ids=[
        "count",
        "date",
        "future",
        "two-digit-year-1969",
        "negative",
        "over-the-limit",
        "over-bigint",
        "negative-over-bigint",
        "offence",
        "outcome",
        "short-row",
    ],
)
def test_a_bad_homicide_row_is_rejected_at_its_line_and_the_rest_load(write, bad_row, reason):
    path = write("homicide.csv", HOMICIDE_HEADER + HOMICIDE_ROW + bad_row + HOMICIDE_ROW)
    summary = load_mps(paths=[path])
    assert [(r.file, r.line) for r in summary.rejected] == [(str(path), 3)]
    assert reason.lower() in summary.rejected[0].reason.lower()
    with store.connect() as con:
        assert store.rows(con, "SELECT borough_code, month, subcategory, n FROM facts") == [
            {"borough_code": "E09000016", "month": datetime.date(2020, 1, 1), "subcategory": "Murder", "n": 2}
        ]


@pytest.mark.parametrize(
    ("bad_row", "reason"),
    [
        (
            "East,Havering,Gooshays,2024-13-01,3,Offence count location\n",
            "recorded_date_months is not a date: 2024-13-01",
        ),
        (
            "East,Havering,Gooshays,2024-01-15,3,Offence count location\n",
            "recorded_date_months is not the first day of a month: 2024-01-15",
        ),
        ("East,Havering,Gooshays,2024-01-01,3.5,Offence count location\n", "count is not a whole number: 3.5"),
        (
            "East,Havering,Gooshays,1999-12-01,3,Offence count location\n",
            "recorded_date_months 1999-12-01 is before Jan 2000, the earliest month accepted",
        ),
        (
            "East,Havering,Gooshays,2024-01-01,1000001,Offence count location\n",
            "count 1000001 is over the limit of 1,000,000 in one row",
        ),
        ("East,Havering,Gooshays,2024-01-01,3,Offence count elsewhere\n", 'sheet is not "Offence count location"'),
    ],
    ids=["date", "not-first-day", "count", "before-2000", "over-the-limit", "sheet"],
)
def test_a_bad_vawg_row_is_rejected_at_its_line_and_the_rest_load(write, bad_row, reason):
    good = "East,Havering,Gooshays,2024-01-01,4,Offence count location\n"
    path = write("vawg.csv", VAWG_HEADER + good + bad_row + good)
    summary = load_mps(paths=[path])
    assert [(r.file, r.line) for r in summary.rejected] == [(str(path), 3)]
    assert summary.rejected[0].reason.startswith(reason)
    with store.connect() as con:
        assert store.rows(con, "SELECT borough_code, month, n FROM facts") == [
            {"borough_code": "E09000016", "month": datetime.date(2024, 1, 1), "n": 8}
        ]


@pytest.mark.parametrize(
    ("limit", "value", "reason"),
    [
        ("MAX_ROWS", {"homicide": 2, "vawg": 2}, "has 3 rows, over the limit of 2 rows"),
        ("MAX_BYTES", 100, "bytes, over the limit of 100 bytes"),
    ],
)
def test_an_mps_homicide_file_over_the_size_limit_is_refused_whole_naming_the_limit(
    write, monkeypatch, limit, value, reason
):
    monkeypatch.setattr(mps_homicide_vawg, limit, value)
    path = write("homicide.csv", HOMICIDE_HEADER + HOMICIDE_ROW * 3)
    summary = load_mps(paths=[path])
    assert [(r.line, r.reason.endswith(reason)) for r in summary.rejected] == [(1, True)], summary.rejected
    assert summary.loaded == 0 and _mps_facts() == 0
    with store.connect() as con:
        assert store.scalar(con, "SELECT count(*) FROM loads") == 0


def test_huge_homicide_counts_are_rejected_and_cannot_overflow_a_sum(tmp_path):
    """Found by a break-it pass: two rows of 2^63-1 for one borough and month aborted the whole load (INT128)."""
    path = tmp_path / "homicide.parquet"
    rows = [
        (1, "Havering", "Jan-20"),
        (9223372036854775807, "Hackney", "Feb-23"),  # row 2 (a Parquet file's "line" is its row)
        (9223372036854775807, "Hackney", "Feb-23"),  # row 3
        (1_000_000, "Hackney", "Mar-23"),  # the limit itself loads
        (1, "Westminster", "Jan-69"),  # row 5: 1969
        (1, "Westminster", "Jan-68"),  # row 6: 2068
    ]
    with duckdb.connect() as con:
        con.execute(
            "CREATE TABLE h (count_of_ppa BIGINT, borough VARCHAR, gender VARCHAR, age_group VARCHAR, "
            "self_classified_ethnicity VARCHAR, offence_type VARCHAR, charged_summonsed VARCHAR, "
            "proceedings_date VARCHAR)"
        )
        con.executemany(
            "INSERT INTO h VALUES (?, ?, 'Male', '20 to 24', 'White', 'Murder', 'Charge or Summons', ?)", rows
        )
        con.execute("COPY h TO $p (FORMAT parquet)", {"p": str(path)})
    summary = load_mps(paths=[path])
    assert [(r.line, r.reason) for r in summary.rejected] == [
        (2, "count_of_ppa 9223372036854775807 is over the limit of 1,000,000 in one row"),
        (3, "count_of_ppa 9223372036854775807 is over the limit of 1,000,000 in one row"),
        (5, "proceedings_date Jan-69 is read as Jan 1969, before Jan 2000, the earliest month accepted"),
        (6, "proceedings_date Jan-68 is in the future"),
    ]
    assert summary.loaded == 2
    with store.connect() as con:
        assert store.rows(con, "SELECT borough_code, month, n FROM facts ORDER BY month") == [
            {"borough_code": "E09000016", "month": datetime.date(2020, 1, 1), "n": 1},
            {"borough_code": "E09000012", "month": datetime.date(2023, 3, 1), "n": 1_000_000},
        ]


def test_a_huge_recorded_crime_count_rejects_its_row_and_cannot_overflow_a_sum(write):
    """Counts over the one-row limit are rejected at their line; the other rows of the file load."""
    big = 9_223_372_036_854_775_807 // 2  # twice this overflows BIGINT
    text = (
        "MajorText,MinorText,BoroughName,202301\n"
        f"ROBBERY,PERSONAL PROPERTY,Havering,{big}\n"
        f"ROBBERY,PERSONAL PROPERTY,Havering,{big}\n"
        "ROBBERY,PERSONAL PROPERTY,Lambeth,7\n"
    )
    summary = load_mps(paths=[write("borough.csv", text)])
    limit = f"{mps_homicide_vawg.MAX_COUNT:,}"
    assert [(r.line, r.reason) for r in summary.rejected] == [
        (2, f"Count {big} is over the limit of {limit} in one row"),
        (3, f"Count {big} is over the limit of {limit} in one row"),
    ]
    with store.connect() as con:
        rows = store.rows(con, "SELECT area_name, sum(n) AS n FROM facts WHERE source = 'mps_borough' GROUP BY 1")
    assert rows == [{"area_name": "Lambeth", "n": 7}]


def test_an_mps_homicide_file_with_a_header_and_no_rows_is_refused_whole(write):
    path = write("homicide.csv", HOMICIDE_HEADER)
    summary = load_mps(paths=[path])
    assert [(r.file, r.line) for r in summary.rejected] == [(str(path), 1)]
    assert summary.rejected[0].reason.endswith("The MPS homicide file has a header but no rows")
    assert summary.loaded == 0 and _mps_facts() == 0
