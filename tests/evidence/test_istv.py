import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from vrhub.evidence import selectors, store
from vrhub.evidence.loaders.istv import SYNTHETIC_MARKER, load_istv
from vrhub.evidence.synthetic import write_istv

HEADER = (
    "Site code,Reporting period,Arrival date,Arrival time,Assault date,Assault time,Assault method,"
    "Assault location type,Assault location description\n"
)
# RJ122 is St Thomas' (Lambeth), RJZ01 King's College Hospital (Southwark); ZZ999 is in no lookup.
GOOD = """RJ122,2024-01,2024-01-05,23:10,2024-01-05,22:40,Knife or sharp object,Street or public place,High Street
RJ122,2024-01,2024-01-06,01:00,2024-01-05,23:30,Body part (punch/kick),"Pub, bar or club","Outside the
Red Lion"
RJZ01,2024-01,14/01/2024,02:00,14/01/2024,,glass or bottle,Home,
ZZ999,2024-02,2024-02-03,10:00,,,Other,,
RJ122,2024-02,2024-02-03,10:00,2024-02-03,09:00,,Work,
"""
BAD = """RJ122,2024-01,2024-13-45,23:10,2024-01-05,22:40,Other,Home,
RJ122,2024-01,2024-01-05,08:00,2024-01-05,09:30,Other,Home,

,2024-01,2024-01-05,08:00,2024-01-05,07:30,Other,Home,
RJ122,2024-01,2024-01-05,08:00,2024-01-05,07:30,Poison,Home,
RJ122,2024-01,2024-01-05
RJ122,2024-01,2024-01-05,08:00,2024-01-05,07:30,Other,Home,ok
"""


def _istv_facts():
    with store.connect() as con:
        return store.rows(
            con,
            "SELECT month, borough_code, area_code, subcategory, n, unlocated, synthetic FROM facts "
            "WHERE source = 'istv' ORDER BY month, area_code, subcategory",
        )


def test_rejects_with_their_lines(write):
    path = write("bad.csv", HEADER + BAD)
    summary = load_istv(paths=[path])
    assert [(r.line, r.reason) for r in summary.rejected] == [
        (2, "Arrival date: 2024-13-45 is not a date (YYYY-MM-DD or DD/MM/YYYY)"),
        (3, "The assault is after the arrival at A&E"),
        (5, "Site code is missing"),
        (6, "Assault method: Poison is not a known method"),
        (7, "Missing columns: Expected Number of Columns: 9 Found: 3"),
    ]
    assert (summary.rows, summary.loaded, summary.synthetic) == (6, 1, 0)
    with store.connect() as con:
        assert store.scalar(con, "SELECT count(*) FROM rejects WHERE kind = 'istv'") == 5
        assert store.rows(con, "SELECT line, method, synthetic FROM istv") == [
            {"line": 8, "method": "Other", "synthetic": False}
        ]


def test_counts_by_site_and_borough_and_unknown_sites_are_kept(write):
    # Headers are matched ignoring case and spacing.
    header = HEADER.replace("Site code", " SITE  CODE ").replace("Assault method", "assault method")
    summary = load_istv(paths=[write("good.csv", header + GOOD)])
    assert summary.rejected == [] and (summary.rows, summary.loaded, summary.unlocated) == (5, 5, 1)
    assert any("ZZ999" in note for note in summary.notes)
    facts = _istv_facts()
    assert {(f["area_code"], f["borough_code"], f["subcategory"], f["n"]) for f in facts} == {
        ("RJ122", "E09000022", "Knife or sharp object", 1),
        ("RJ122", "E09000022", "Body part (punch/kick)", 1),
        ("RJZ01", "E09000028", "Glass or bottle", 1),
        ("ZZ999", None, "Other", 1),
        ("RJ122", "E09000022", "Not known", 1),  # a blank method is "Not known"
    }
    assert not any(f["synthetic"] for f in facts)
    measure = selectors.measure_get(name="istv:assaults")
    london = selectors.trend_series(area=selectors.area_get(code="E12000007"), measure=measure)
    lambeth = selectors.trend_series(area=selectors.area_get(code="E09000022"), measure=measure)
    assert london["series"] == [{"month": "2024-01", "value": 3}, {"month": "2024-02", "value": 2}]
    assert lambeth["series"] == [{"month": "2024-01", "value": 2}, {"month": "2024-02", "value": 1}]
    assert lambeth["synthetic"] is False and lambeth["unit"] == "attendances"
    with pytest.raises(selectors.EvidenceError, match="not by LSOA"):
        selectors.trend_series(area=selectors.Area("E01000001", "x", "lsoa"), measure=measure)


def test_loading_twice_changes_nothing_and_a_later_extract_replaces_its_months(write):
    path = write("good.csv", HEADER + GOOD)
    load_istv(paths=[path])
    before = _istv_facts()
    again = load_istv(paths=[path, path])
    assert again.loaded == 0 and again.already_loaded == [str(path), str(path)]
    assert _istv_facts() == before
    # A re-issued extract for RJ122, January: replaces those counts, nothing counted twice.
    reissue = write("reissue.csv", HEADER + GOOD.splitlines()[0] + "\n")
    summary = load_istv(paths=[reissue])
    assert summary.loaded == 1 and any("Replaced 2 attendances" in n for n in summary.notes)
    january = [f for f in _istv_facts() if f["area_code"] == "RJ122" and f["month"] == dt.date(2024, 1, 1)]
    assert [(f["subcategory"], f["n"]) for f in january] == [("Knife or sharp object", 1)]


def test_wrong_format_is_rejected_whole(write):
    path = write("other.csv", "Site,Month\nRJ122,2024-01\n")
    summary = load_istv(paths=[path])
    assert len(summary.rejected) == 1 and summary.rejected[0].line == 1
    assert "Not an ISTV extract" in summary.rejected[0].reason and "missing Site code" in summary.rejected[0].reason


def test_a_file_duckdb_cannot_read_is_rejected_whole_and_the_others_load(write):
    good = write("good.csv", HEADER + GOOD)
    mixed = write("mixed.csv", HEADER + GOOD.replace("\n", "\r\n", 2))
    summary = load_istv(paths=[good, mixed])
    assert [(r.file, r.line) for r in summary.rejected] == [(str(mixed), 1)]
    assert summary.rejected[0].reason.startswith("Cannot read the file as CSV")
    assert summary.loaded == 5
    with store.connect() as con:
        assert store.rows(con, "SELECT file FROM loads WHERE kind = 'istv'") == [{"file": str(good)}]


def test_synthetic_files_are_flagged_everywhere(tmp_path):
    path = write_istv(path=tmp_path / "synthetic.csv", site_code="RJ122", lsoas=[], start=dt.date(2024, 1, 1), months=2)
    assert path.read_text().splitlines()[0] == SYNTHETIC_MARKER
    summary = load_istv(paths=[path])
    assert summary.rejected == [] and summary.synthetic == summary.loaded > 50
    assert any(n.startswith("Synthetic data") for n in summary.notes)
    assert all(f["synthetic"] for f in _istv_facts())
    with store.connect() as con:
        assert store.scalar(con, "SELECT bool_and(synthetic) FROM istv") is True
        assert store.scalar(con, "SELECT bool_and(synthetic) FROM loads WHERE kind = 'istv'") is True
    measure = selectors.measure_get(name="istv:Knife or sharp object")
    assert measure.qualified == "istv:Assaults/Knife or sharp object" and measure.label.endswith("Synthetic")


def test_trend_json_with_an_istv_measure(write):
    load_istv(paths=[write("good.csv", HEADER + GOOD)])
    out = StringIO()
    call_command(
        "evidence_trend",
        "--area",
        "E12000007",
        "--measure",
        "istv:assaults",
        "--period",
        "2024-02:2024-02",
        "--baseline",
        "2024-01:2024-01",
        "--json",
        stdout=out,
    )
    result = json.loads(out.getvalue())
    assert result["measure"] == "istv:Assaults" and result["source"] == "ISTV A&E assault attendances"
    assert (result["current"], result["baseline"], result["change"]) == (2, 3, -1)
    assert result["sentence"] == "Assaults down 33.3 %, 1 fewer attendances" and result["synthetic"] is False
    with pytest.raises(CommandError, match="not by police force"):
        call_command("evidence_trend", "--area", "E23000001", "--measure", "istv:assaults", stdout=StringIO())


def test_need_ranking_ranks_boroughs_by_istv(write):
    load_istv(paths=[write("good.csv", HEADER + GOOD)])
    ranking = selectors.need_ranking(
        within="E12000007", level="borough", weights={"imd": 0, "violence": 0}, measure_type="count"
    )
    by_area = {r["area"]: r for r in ranking["rows"]}
    assert len(by_area) == 33 and ranking["rows"][0]["area"] == "E09000022"  # Lambeth: 3 attendances
    assert by_area["E09000022"]["components"]["istv"]["value"] == 3
    assert by_area["E09000028"]["components"]["istv"]["value"] == 1
    # Boroughs without a mapped A&E site have no data (not 0) and are not ranked.
    assert by_area["E09000016"]["components"]["istv"]["value"] is None and by_area["E09000016"]["rank"] is None
    assert ranking["istv_synthetic"] is False
    lsoas = selectors.need_ranking(within="E09000022", level="lsoa")
    assert "ranks boroughs only" in lsoas["indicators"]["istv"]["unavailable"]


def test_generate_istv_command(tmp_path, db):  # load_istv records the load
    out = tmp_path / "istv.csv"
    call_command(
        "generate_istv", "--out", str(out), "--months", "2", "--start", "2024-01", "--seed", "3", stdout=StringIO()
    )
    text = out.read_text()
    call_command("generate_istv", "--out", str(out), "--months", "5", stdout=StringIO())
    assert out.read_text() == text  # an existing file is left alone
    report = StringIO()
    call_command("load_istv", str(out), "--json", "--quiet", stdout=report)
    summary = json.loads(report.getvalue())
    assert summary["rejected"] == [] and summary["loaded"] == summary["synthetic"] == summary["rows"] > 0
