import datetime as dt
import json
from io import StringIO
from pathlib import Path

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
    assert lambeth["synthetic"] is False and lambeth["unit"] == "A&E attendances"
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
    assert result["sentence"].startswith("Assaults down 33.3 %, 1 fewer A&E attendances (2 against 3)")
    assert result["synthetic"] is False and result["unit"] == "A&E attendances"
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


# --- every ISB 1594 field; row rejects; whole-file refusals; the generator; CLI labels -------------------

NEW_HEADER = (
    "Site code,Reporting period start date,Reporting period end date,Arrival date,Arrival time,Assault date,"
    "Assault time,Assault method,Assault method other description,Assault location type,"
    "Assault location description,LSOA code\n"
)
NEW_GOOD = """RJ122,2024-03-01,2024-03-31,2024-03-02,01:20,2024-03-01,23:55,Other,Bite,Pub bar or club,Outside,E01003001
RJ122,2024-03-01,2024-03-31,31/03/2024,10:00,31/03/2024,,Knife or sharp object,,Street or public place,Market,
"""


def _istv_rows():
    with store.connect() as con:
        return store.rows(
            con,
            "SELECT line, site_code, period, period_start, period_end, arrival, arrival_time, assault, assault_time, "
            "method, method_other, location_type, location_description, lsoa_code FROM istv ORDER BY line",
        )


def test_every_isb_1594_field_round_trips(write):
    text = NEW_HEADER + NEW_GOOD.replace("Pub bar or club", '"Pub, bar or club"')
    summary = load_istv(paths=[write("new.csv", text)])
    assert summary.rejected == [] and summary.loaded == 2 and not any("Older layout" in n for n in summary.notes)
    first, second = _istv_rows()
    assert first == {
        "line": 2,
        "site_code": "RJ122",
        "period": "2024-03",
        "period_start": dt.date(2024, 3, 1),
        "period_end": dt.date(2024, 3, 31),
        "arrival": dt.datetime(2024, 3, 2, 1, 20),
        "arrival_time": dt.time(1, 20),
        "assault": dt.datetime(2024, 3, 1, 23, 55),
        "assault_time": dt.time(23, 55),
        "method": "Other",
        "method_other": "Bite",
        "location_type": "Pub, bar or club",
        "location_description": "Outside",
        "lsoa_code": "E01003001",
    }
    # A blank assault time is stored as "not recorded" (NULL), not as midnight.
    assert (second["assault_time"], second["method_other"], second["arrival"]) == (
        None,
        None,
        dt.datetime(2024, 3, 31, 10, 0),
    )


def test_the_older_single_period_column_is_read_as_the_whole_month(write):
    summary = load_istv(paths=[write("old.csv", HEADER + GOOD)])
    assert summary.rejected == [] and summary.loaded == 5
    assert any(n.startswith("Older layout") and "old.csv" in n for n in summary.notes)
    periods = {(r["period"], r["period_start"], r["period_end"]) for r in _istv_rows()}
    assert periods == {
        ("2024-01", dt.date(2024, 1, 1), dt.date(2024, 1, 31)),
        ("2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29)),  # a leap year's February
    }


def test_a_file_with_the_other_method_column_loads(write):
    # Used to be refused whole ("unknown Assault method other description"); old period layout too.
    header = HEADER.rstrip("\n") + ",Assault method other description\n"
    rows = "RJ122,2024-01,2024-01-05,23:10,2024-01-05,22:40,Other,Home,Kitchen,Dog\n"
    summary = load_istv(paths=[write("other.csv", header + rows)])
    assert summary.rejected == [] and summary.loaded == 1
    assert [(r["method"], r["method_other"]) for r in _istv_rows()] == [("Other", "Dog")]


ROW = "RJ122,2024-03-01,2024-03-31,{arrival},{arrival_time},2024-03-02,{assault_time},{method},{other},Home,,{lsoa}\n"


def _row(**changes):
    values = {
        "arrival": "2024-03-02",
        "arrival_time": "23:00",
        "assault_time": "22:00",
        "method": "Blunt object",
        "other": "",
        "lsoa": "",
    }
    return ROW.format(**{**values, **changes})


def test_bad_rows_are_rejected_with_their_line_and_the_good_rows_load(write):
    long_text = "x" * 501
    rows = [
        _row(),  # line 2: good
        _row(arrival="2024-04-01"),  # 3: outside its reporting period
        _row(arrival_time="25:00"),  # 4
        _row(method="Other"),  # 5: Other without its description
        _row(method="Other", other="Bite"),  # 6: good
        _row(method="Poison"),  # 7
        "RJ122,2024-03-31,2024-03-01,2024-03-02,23:00,2024-03-02,22:00,Other,Bite,Home,,\n",  # 8: end before start
        "RJ122,2024-01-01,2025-03-01,2024-03-02,23:00,2024-03-02,22:00,Other,Bite,Home,,\n",  # 9: over a year
        "RJ122,,2024-03-31,2024-03-02,23:00,2024-03-02,22:00,Other,Bite,Home,,\n",  # 10: no start date
        _row(method="Other", other=long_text),  # 11
        _row(assault_time="7pm"),  # 12
        _row(lsoa="E0100"),  # 13
        _row(lsoa="e01000001"),  # 14: good (upper-cased)
    ]
    path = write("rows.csv", NEW_HEADER + "".join(rows))
    summary = load_istv(paths=[path])
    assert [(r.file, r.line, r.reason) for r in summary.rejected] == [
        (str(path), 3, "Arrival date: 2024-04-01 is outside the reporting period (2024-03-01 to 2024-03-31)"),
        (str(path), 4, "Arrival time: 25:00 is not a time (HH:MM)"),
        (str(path), 5, "Assault method is Other but Assault method other description is blank"),
        (str(path), 7, "Assault method: Poison is not a known method"),
        (str(path), 8, "Reporting period: the end date 2024-03-01 is before the start date 2024-03-31"),
        (str(path), 9, "Reporting period: 2024-01-01 to 2025-03-01 is longer than 366 days"),
        (str(path), 10, "Reporting period start date is missing"),
        (str(path), 11, "Assault method other description is longer than 500 characters"),
        (str(path), 12, "Assault time: 7pm is not a time (HH:MM)"),
        (str(path), 13, "LSOA code: E0100 is not an LSOA code (E01… or W01…)"),
    ]
    assert (summary.rows, summary.loaded) == (13, 3)
    assert [(r["line"], r["lsoa_code"]) for r in _istv_rows()] == [(2, None), (6, None), (14, "E01000001")]
    with store.connect() as con:
        assert store.scalar(con, "SELECT count(*) FROM rejects WHERE kind = 'istv'") == 10


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "Not an ISTV extract (ISB 1594 minimum dataset): missing Site code"),  # no header
        (NEW_HEADER.replace("LSOA code", "Postcode").encode(), "unknown 'Postcode'"),
        (NEW_HEADER.replace("\n", ",Site code\n").encode(), "a column is repeated"),
        (NEW_HEADER.replace(",Reporting period end date", "").encode(), "missing Reporting period end date"),
        (
            NEW_HEADER.replace("\n", ",Reporting period\n").encode(),
            "give either Reporting period start date and end date or (older layout) Reporting period",
        ),
        (("Site code,Café\n").encode("latin-1"), "Cannot read the file"),
    ],
)
def test_structural_problems_refuse_the_whole_file(tmp_path, content, reason):
    path = tmp_path / "x.csv"
    path.write_bytes(content + NEW_GOOD.encode())
    summary = load_istv(paths=[path])
    assert summary.loaded == 0 and len(summary.rejected) == 1, summary.rejected
    assert summary.rejected[0].line == 1 and reason in summary.rejected[0].reason
    assert _istv_rows() == []


def test_a_file_over_the_size_limit_is_refused_whole(write, monkeypatch):
    from vrhub.evidence.loaders import istv

    path = write("big.csv", NEW_HEADER + NEW_GOOD)
    monkeypatch.setattr(istv, "MAX_FILE_BYTES", path.stat().st_size - 1)
    summary = load_istv(paths=[path])
    assert summary.loaded == 0 and "over the limit of" in summary.rejected[0].reason
    assert _istv_rows() == []


def test_weekly_extracts_add_up_and_a_reissue_replaces_only_its_period(write):
    week1 = NEW_HEADER + "RJ122,2024-03-01,2024-03-07,2024-03-02,23:00,2024-03-02,22:00,Blunt object,,Home,,\n"
    week2 = NEW_HEADER + (
        "RJ122,2024-03-08,2024-03-14,2024-03-09,23:00,2024-03-09,22:00,Blunt object,,Home,,\n"
        "RJ122,2024-03-08,2024-03-14,2024-03-10,23:00,2024-03-10,22:00,Blunt object,,Home,,\n"
    )
    load_istv(paths=[write("w1.csv", week1)])
    load_istv(paths=[write("w2.csv", week2)])
    assert [(f["area_code"], f["n"]) for f in _istv_facts()] == [("RJ122", 3)]
    # Week 2 re-issued with one row: week 1 is kept, week 2 replaced.
    reissue = NEW_HEADER + "RJ122,2024-03-08,2024-03-14,2024-03-11,23:00,2024-03-11,22:00,Glass or bottle,,Home,,\n"
    summary = load_istv(paths=[write("w2b.csv", reissue)])
    assert any("Replaced 2 attendances" in n for n in summary.notes)
    assert {(f["subcategory"], f["n"]) for f in _istv_facts()} == {("Blunt object", 1), ("Glass or bottle", 1)}
    with store.connect() as con:
        assert store.scalar(con, "SELECT count(*) FROM istv") == 2


def test_generator_fills_every_field_and_its_patterns_show(tmp_path):
    import pandas as pd

    from vrhub.evidence.synthetic import istv_site_lsoas

    path = tmp_path / "g.csv"
    sites = ["RJ122", "RJZ01"]
    write_istv(
        path=path, site_code=sites, lsoas=istv_site_lsoas(sites), start=dt.date(2023, 1, 1), months=24, per_month=300
    )
    again = write_istv(
        path=tmp_path / "g2.csv",
        site_code=sites,
        lsoas=istv_site_lsoas(sites),
        start=dt.date(2023, 1, 1),
        months=24,
        per_month=300,
    )
    assert path.read_bytes() == again.read_bytes()  # deterministic by seed
    frame = pd.read_csv(path, skiprows=1, dtype=str, keep_default_na=False)
    assert list(frame.columns)[:11] == [
        "Site code",
        "Reporting period start date",
        "Reporting period end date",
        "Arrival date",
        "Arrival time",
        "Assault date",
        "Assault time",
        "Assault method",
        "Assault method other description",
        "Assault location type",
        "Assault location description",
    ]
    other = frame["Assault method"] == "Other"
    assert other.any() and (frame.loc[other, "Assault method other description"] != "").all()
    assert (frame.loc[~other, "Assault method other description"] == "").all()
    assert (frame["Synthetic"] == "yes").all()
    # LSOAs from the site's borough (St Thomas' → Lambeth's LSOAs in the shipped boundaries).
    boundaries = Path(__file__).resolve().parents[2] / "data/boundaries/london-lsoa21/E09000022.geojson"
    lambeth = {f["properties"]["LSOA21CD"] for f in json.loads(boundaries.read_text())["features"]}
    st_thomas = frame[frame["Site code"] == "RJ122"]["LSOA code"]
    assert (st_thomas != "").mean() > 0.8 and set(st_thomas[st_thomas != ""]) <= lambeth
    # Weekend nights (Fri/Sat 20:00-23:59) busier per hour-slot than weekday mornings (Mon-Thu 06:00-11:59).
    when = pd.to_datetime(frame["Assault date"] + " " + frame["Assault time"])
    day, hour = when.dt.day_of_week, when.dt.hour
    weekend_nights = ((day.isin([4, 5])) & (hour >= 20)).sum() / (2 * 4)
    weekday_mornings = ((day.isin([0, 1, 2, 3])) & (hour.between(6, 11))).sum() / (4 * 6)
    assert weekend_nights > 3 * weekday_mornings
    # Summer (June-August) busier than winter (December-February), per month.
    month = when.dt.month
    assert month.isin([6, 7, 8]).sum() > 1.2 * month.isin([12, 1, 2]).sum()
    # Every row's arrival is inside its reporting period, and the file loads without a reject.
    assert (frame["Arrival date"] >= frame["Reporting period start date"]).all()
    assert (frame["Arrival date"] <= frame["Reporting period end date"]).all()
    summary = load_istv(paths=[path])
    assert summary.rejected == [] and summary.loaded == summary.synthetic == len(frame)


def test_the_commands_say_synthetic(tmp_path, db):
    out = tmp_path / "istv.csv"
    text = StringIO()
    call_command("generate_istv", "--out", str(out), "--months", "1", "--start", "2024-01", stdout=text)
    assert text.getvalue().startswith("SYNTHETIC data")
    text = StringIO()
    call_command("generate_istv", "--out", str(out), stdout=text)  # exists: nothing written
    assert "SYNTHETIC" in text.getvalue()
    text = StringIO()
    call_command("load_istv", str(out), "--quiet", stdout=text)
    assert text.getvalue().startswith("SYNTHETIC data: ")
    # A real (unmarked) extract: no such line.
    real = tmp_path / "real.csv"
    real.write_text(NEW_HEADER + NEW_GOOD)
    text = StringIO()
    call_command("load_istv", str(real), "--quiet", stdout=text)
    assert "SYNTHETIC" not in text.getvalue()
    with pytest.raises(CommandError, match="--sites takes up to 100 ODS site codes"):
        call_command("generate_istv", "--out", str(tmp_path / "y.csv"), "--sites", "RJ122,no!", stdout=StringIO())


def test_dates_before_2000_or_after_today_reject_the_row_naming_the_limit(write):
    """Found by a break-it pass: years 9999 and 0001 loaded, and every "latest 12 months" became 9998-02..9999-01."""
    today = dt.date.today()
    tomorrow = (today + dt.timedelta(days=1)).isoformat()
    start = today.replace(day=1).isoformat()
    rows = [
        _row(),  # line 2: good
        "RJ122,9999-01-01,9999-01-31,9999-01-09,10:00,9999-01-09,09:00,Blunt object,,Home,,\n",  # 3
        "RJ122,0001-01-01,0001-01-31,0001-01-09,10:00,0001-01-09,09:00,Blunt object,,Home,,\n",  # 4
        "RJ122,09/01/1999,31/01/1999,1999-01-09,10:00,,,Blunt object,,Home,,\n",  # 5: DD/MM/YYYY, 1999
        "RJ122,2024-03-01,2024-03-31,2024-03-02,10:00,1999-12-31,09:00,Blunt object,,Home,,\n",  # 6: assault 1999
        f"RJ122,{start},{tomorrow},{today.isoformat()},10:00,,,Blunt object,,Home,,\n",  # 7: period ends tomorrow
    ]
    path = write("dates.csv", NEW_HEADER + "".join(rows))
    summary = load_istv(paths=[path])
    assert [(r.line, r.reason) for r in summary.rejected] == [
        (3, f"Reporting period end date: 9999-01-31 is after today ({today.isoformat()})"),
        (4, "Reporting period start date: 0001-01-01 is before 2000-01-01, the earliest date accepted"),
        (5, "Reporting period start date: 09/01/1999 is before 2000-01-01, the earliest date accepted"),
        (6, "Assault date: 1999-12-31 is before 2000-01-01, the earliest date accepted"),
        (7, f"Reporting period end date: {tomorrow} is after today ({today.isoformat()})"),
    ]
    assert summary.loaded == 1
    assert [f["month"] for f in _istv_facts()] == [dt.date(2024, 3, 1)]
    series = selectors.trend_series(
        area=selectors.area_get(code="E12000007"), measure=selectors.measure_get(name="istv:assaults")
    )["series"]
    assert series == [{"month": "2024-03", "value": 1}]


def test_an_older_layout_month_after_today_is_rejected_and_the_current_month_loads(write):
    today = dt.date.today()
    next_month = (today.replace(day=28) + dt.timedelta(days=5)).strftime("%Y-%m")
    rows = (
        f"RJ122,{today:%Y-%m},{today.isoformat()},10:00,,,Other,Home,\n"
        f"RJ122,{next_month},{next_month}-01,10:00,,,Other,Home,\n"
        "RJ122,1999-12,1999-12-01,10:00,,,Other,Home,\n"
    )
    summary = load_istv(paths=[write("old.csv", HEADER + rows)])
    assert [(r.line, r.reason) for r in summary.rejected] == [
        (3, f"Reporting period: {next_month} is after today ({today.isoformat()})"),
        (4, "Reporting period start date: 1999-12 is before 2000-01-01, the earliest date accepted"),
    ]
    assert summary.loaded == 1


REISSUE = "".join(
    f"RJ122,2025-05-01,2025-05-31,2025-05-{day:02d},10:00,2025-05-{day:02d},09:00,Blunt object,,Home,x,E01004281\n"
    for day in range(1, 11)
)


def test_reissued_extracts_loaded_together_count_once_as_one_after_the_other(write):
    """Found by a break-it pass: the same 10 rows in two files of one load counted 20, one after the other 10."""
    a = write("a/reissue-a.csv", NEW_HEADER + REISSUE)
    b = write("b/reissue-b.csv", NEW_HEADER + REISSUE + "\n")  # a different file (fingerprint), same rows
    summary = load_istv(paths=[a, b])
    assert summary.rejected == [] and summary.loaded == 20
    assert any("Replaced 10 attendances of an earlier file in this load" in n for n in summary.notes)
    assert [(f["area_code"], f["n"]) for f in _istv_facts()] == [("RJ122", 10)]
    with store.connect() as con:
        assert store.rows(con, "SELECT DISTINCT file FROM istv") == [{"file": str(b)}]


@pytest.mark.parametrize("together", [True, False], ids=["one-load", "one-after-the-other"])
def test_in_one_load_the_later_file_given_wins_and_weekly_files_add_up(write, together):
    week1 = NEW_HEADER + "RJ122,2024-03-01,2024-03-07,2024-03-02,23:00,2024-03-02,22:00,Blunt object,,Home,,\n"
    week2 = NEW_HEADER + (
        "RJ122,2024-03-08,2024-03-14,2024-03-09,23:00,2024-03-09,22:00,Blunt object,,Home,,\n"
        "RJ122,2024-03-08,2024-03-14,2024-03-10,23:00,2024-03-10,22:00,Blunt object,,Home,,\n"
    )
    # Given after week 2 (its name sorts first: the order given counts, not the name).
    reissue = NEW_HEADER + "RJ122,2024-03-08,2024-03-14,2024-03-11,23:00,2024-03-11,22:00,Glass or bottle,,Home,,\n"
    paths = [write("w1.csv", week1), write("w2.csv", week2), write("a-w2-reissued.csv", reissue)]
    if together:
        load_istv(paths=paths)
    else:
        for path in paths:
            load_istv(paths=[path])
    assert {(f["subcategory"], f["n"]) for f in _istv_facts()} == {("Blunt object", 1), ("Glass or bottle", 1)}
    with store.connect() as con:
        assert store.scalar(con, "SELECT count(*) FROM istv") == 2


def test_a_load_whose_only_file_cannot_be_read_rejects_it_whole_and_writes_nothing(write):
    """A file DuckDB cannot sniff (a synthetic marker line ending in LF, the rest in CRLF) is one reject;
    the load neither crashes nor records a load of nothing."""
    path = write("mixed.csv", "")
    path.write_bytes((SYNTHETIC_MARKER + "\n" + HEADER.replace("\n", "\r\n") + GOOD.replace("\n", "\r\n")).encode())
    summary = load_istv(paths=[path])
    assert summary.loaded == 0
    assert [(r.file, r.line) for r in summary.rejected] == [(str(path), 1)]
    assert summary.rejected[0].reason.startswith("Cannot read the file as CSV")
    with store.connect() as con:
        assert store.scalar(con, "SELECT count(*) FROM loads") == 0
        assert store.scalar(con, "SELECT count(*) FROM istv") == 0
