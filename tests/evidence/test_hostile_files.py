"""Files that are not what they claim: rejected with a reason and the right line, never a crash."""

from __future__ import annotations

import json

import pytest

from vrhub.evidence import store
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
