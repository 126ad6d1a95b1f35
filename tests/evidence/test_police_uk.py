import csv
import json
from io import StringIO
from pathlib import Path

import pandas as pd
import pytest
from django.core.management import call_command

from vrhub.evidence import selectors, store
from vrhub.evidence.loaders.police_uk import HEADER, load_police_uk

ROOT = Path(__file__).resolve().parents[2]
CITY = ROOT / "data" / "police-uk" / "city-of-london-2023"
JANUARY = CITY / "2023-01-city-of-london-street.csv"
H = ",".join(HEADER)


def facts_total() -> int:
    with store.connect() as con:
        return int(store.scalar(con, "SELECT coalesce(sum(n), 0) FROM all_facts"))


def monthly_counts(paths, crime_type: str) -> dict[str, int]:
    """Offences of a type per month, read from the raw files with pandas: each Crime ID once (its first row,
    the files taken in order), every row without an ID."""
    df = pd.concat([pd.read_csv(p, dtype=str, keep_default_na=False) for p in sorted(paths)], ignore_index=True)
    df = df[~(df["Crime ID"].ne("") & df["Crime ID"].duplicated())]
    df = df[df["Crime type"] == crime_type]
    return {str(month): int(n) for month, n in df.groupby("Month").size().items()}


def test_one_real_month_counts_match_the_file():
    with JANUARY.open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    ids = [r["Crime ID"] for r in rows if r["Crime ID"]]
    expected_duplicates = len(ids) - len(set(ids))
    summary = load_police_uk(paths=[JANUARY])
    assert summary.files == 1
    assert summary.rows == len(rows)
    assert summary.duplicates == expected_duplicates
    assert summary.loaded == len(rows) - expected_duplicates
    assert summary.rejected == []
    # Rows without a location, each Crime ID once (rows without an ID, anti-social behaviour, all count).
    unlocated_ids = {r["Crime ID"] for r in rows if r["Crime ID"] and not r["LSOA code"]}
    unlocated_asb = sum(1 for r in rows if not r["Crime ID"] and not r["LSOA code"])
    assert summary.unlocated == len(unlocated_ids) + unlocated_asb > 0
    assert facts_total() == summary.loaded


def test_loading_the_same_file_twice_changes_nothing():
    first = load_police_uk(paths=[JANUARY])
    total = facts_total()
    second = load_police_uk(paths=[JANUARY])
    assert second.loaded == 0
    assert second.already_loaded == [str(JANUARY)]
    assert facts_total() == total == first.loaded


def test_folder_layout_and_json_command(tmp_path, db):  # the command records the load
    month = tmp_path / "2023-01"
    month.mkdir()
    (month / JANUARY.name).write_bytes(JANUARY.read_bytes())
    (month / "2023-01-city-of-london-outcomes.csv").write_text("not,a,street,file\n")
    out = StringIO()
    call_command("load_police_uk", str(tmp_path), "--json", "--quiet", stdout=out)
    result = json.loads(out.getvalue())
    assert set(result) >= {"files", "rows", "loaded", "duplicates", "unlocated", "rejected"}
    assert result["files"] == 1  # only *-street.csv files are read from a folder
    rows = pd.read_csv(JANUARY, dtype=str, keep_default_na=False)
    with_id = rows["Crime ID"][rows["Crime ID"] != ""]
    assert result["rows"] == len(rows)
    assert result["loaded"] == len(rows) - (len(with_id) - with_id.nunique())
    assert result["rejected"] == []


def test_bad_rows_are_rejected_with_file_line_and_reason(write):
    text = "\n".join(
        [
            H,
            "a1,2023-01,Kent Police,Kent Police,0.5,51.2,On or near X,E01024000,Dover 001A,Robbery,,",  # 2 ok
            "a2,2023-13,Kent Police,Kent Police,0.5,51.2,On or near X,E01024000,Dover 001A,Robbery,,",  # 3 month
            "a3,2023-01,Kent Police,Kent Police,east,51.2,On or near X,E01024000,Dover 001A,Robbery,,",  # 4 lon
            "a4,2023-01,Kent Police,Kent Police,0.5,51.2,On or near X,E01024000,Dover 001A,,,",  # 5 crime type
            "a5,2023-01,Kent Police,Kent Police,0.5,51.2,On or near X,X123,Dover 001A,Robbery,,",  # 6 LSOA code
            "a6,2023-01,Kent Police,Kent Police,0.5,51.2",  # 7 too few columns
            "a7,2023-01,Kent Police,Kent Police,0.5,,On or near X,E01024000,Dover 001A,Robbery,,",  # 8 lat missing
            ",2023-01,Kent Police,Kent Police,,,No Location,,,Anti-social behaviour,,",  # 9 ok, unlocated
            "a1,2023-01,Kent Police,Kent Police,0.5,51.2,On or near X,E01024000,Dover 001A,Robbery,,",  # 10 dup
            "a9,2023-01,Kent Police,,0.5,51.2,On or near X,E01024000,Dover 001A,Robbery,,",  # 11 no force
        ]
    )
    path = write("2023-01-kent-street.csv", text + "\n")
    summary = load_police_uk(paths=[path])
    rejected = {(r.file, r.line): r.reason for r in summary.rejected}
    assert set(rejected) == {(str(path), n) for n in (3, 4, 5, 6, 7, 8, 11)}
    assert "Month" in rejected[(str(path), 3)]
    assert "Longitude" in rejected[(str(path), 4)]
    assert rejected[(str(path), 5)] == "Crime type is missing"
    assert "LSOA code" in rejected[(str(path), 6)]
    assert "olumns" in rejected[(str(path), 7)]
    assert "Only one of Longitude and Latitude" in rejected[(str(path), 8)]
    assert "Falls within" in rejected[(str(path), 11)]
    assert (summary.rows, summary.loaded, summary.duplicates, summary.unlocated) == (10, 2, 1, 1)
    with store.connect() as con:
        stored = store.rows(con, "SELECT file, line, reason FROM rejects ORDER BY line")
    assert [r["line"] for r in stored] == [3, 4, 5, 6, 7, 8, 11]


def test_wrong_header_rejects_the_whole_file(write):
    path = write("2023-01-x-street.csv", "Crime ID,Month\nx,2023-01\n")
    summary = load_police_uk(paths=[path])
    assert summary.loaded == 0
    assert summary.rejected[0].line == 1 and "header" in summary.rejected[0].reason


def test_repeated_crime_ids_across_files_and_loads_count_once(write):
    row = "id1,2023-01,Kent Police,Kent Police,0.5,51.2,On or near X,E01024000,Dover 001A,Robbery,,"
    one = write("a/2023-01-kent-street.csv", f"{H}\n{row}\n")
    two = write(
        "b/2023-02-kent-street.csv", f"{H}\n{row}\nid2,2023-02,Kent Police,Kent Police,,,No Location,,,Drugs,,\n"
    )
    load_police_uk(paths=[one])
    summary = load_police_uk(paths=[two])
    assert (summary.loaded, summary.duplicates, summary.unlocated) == (1, 1, 1)
    assert facts_total() == 2


def test_force_totals_include_rows_not_placed_in_a_borough(write):
    path = write(
        "2023-01-kent-street.csv",
        "\n".join(
            [
                H,
                "a,2023-01,Kent Police,Kent Police,0.5,51.2,On or near X,E01024000,Dover 001A,Robbery,,",
                "b,2023-01,Kent Police,Kent Police,,,No Location,,,Robbery,,",
                "c,2023-01,Kent Police,Kent Police,,,No Location,,,Robbery,,",
            ]
        )
        + "\n",
    )
    load_police_uk(paths=[path])
    measure = selectors.measure_get(name="Robbery")
    force = selectors.trend_series(area=selectors.area_get(code="E23000032"), measure=measure)
    lsoa = selectors.trend_series(area=selectors.area_get(code="E01024000"), measure=measure)
    assert force["series"] == [{"month": "2023-01", "value": 3}]
    assert lsoa["series"] == [{"month": "2023-01", "value": 1}]


@pytest.mark.parametrize("measure", ["Violence and sexual offences", "police.uk:Violence and sexual offences"])
def test_trend_command_json(measure):
    load_police_uk(paths=sorted(CITY.glob("2023-0[1-6]-*.csv")))
    out = StringIO()
    call_command(
        "evidence_trend",
        "--area",
        "E23000034",
        "--measure",
        measure,
        "--period",
        "2023-04:2023-06",
        "--baseline",
        "2023-01:2023-03",
        "--json",
        stdout=out,
    )
    result = json.loads(out.getvalue())
    assert set(result) >= {"area", "measure", "current", "baseline", "change", "pct_change"}
    assert result["area"] == "E23000034"
    # Every row in these files falls within the City of London Police (E23000034).
    by_month = monthly_counts(CITY.glob("2023-0[1-6]-*.csv"), "Violence and sexual offences")
    current = sum(n for m, n in by_month.items() if "2023-04" <= m <= "2023-06")
    baseline = sum(n for m, n in by_month.items() if "2023-01" <= m <= "2023-03")
    assert (result["current"], result["baseline"]) == (current, baseline)
    assert result["change"] == current - baseline
    assert result["pct_change"] == round(100 * (current - baseline) / baseline, 1)
    series = selectors.trend_series(
        area=selectors.area_get(code="E23000034"), measure=selectors.measure_get(name=measure)
    )["series"]
    assert series == [{"month": m, "value": n} for m, n in sorted(by_month.items())]


def test_unknown_crime_type_and_force_are_rejected_with_their_line(write):
    path = write(
        "2023-01-kent-street.csv",
        f"{H}\n"
        "a,2023-01,Kent Police,Kent Police,0.5,51.2,On or near X,E01024000,Dover 001A,Mugging,,\n"
        "b,2023-01,Kent Police,Kent Constabulary,0.5,51.2,On or near X,E01024000,Dover 001A,Robbery,,\n",
    )
    summary = load_police_uk(paths=[path])
    assert [(r.line, r.reason) for r in summary.rejected] == [
        (2, "Crime type: 'Mugging' is not a data.police.uk crime type"),
        (3, "Falls within: 'Kent Constabulary' is not a data.police.uk police force (Falls within)"),
    ]
    assert summary.loaded == 0 and summary.rows == 2


# --- the Crime-ID rule (module docstring of loaders/police_uk.py) -------------------------------------


def _state() -> tuple[list[tuple], list[tuple]]:
    """What the store counts and places, whichever load each row came from."""
    with store.connect() as con:
        facts = store.rows(
            con,
            "SELECT month, force_name, lsoa_code, crime_type, sum(n) AS n FROM police_facts GROUP BY ALL "
            "HAVING sum(n) > 0 ORDER BY ALL",
        )
        points = store.rows(
            con,
            "SELECT hid, month, force_code, lsoa_code, crime_type, lon, lat FROM police_points ORDER BY ALL",
        )
    return [tuple(r.values()) for r in facts], [tuple(r.values()) for r in points]


def _kent(crime_id: str, month: str, lsoa: str, lon: str, outcome: str = "", crime: str = "Robbery") -> str:
    location = f"{lon},51.2,On or near X,{lsoa},Dover 001A" if lsoa else ",,No Location,,"
    return f"{crime_id},{month},Kent Police,Kent Police,{location},{crime},{outcome},"


RULE_FILES = {
    # x: in January (two rows: the settled outcome wins over "Status update unavailable") and February.
    # y: twice in one file, identical: one crime. z: only in February. Two identical ASB rows: both count.
    "a/2023-02-kent-street.csv": [
        _kent("x", "2023-02", "E01024001", "0.51"),
        _kent("z", "2023-02", "E01024002", "0.52", crime="Drugs"),
        _kent("", "2023-02", "E01024003", "0.53", crime="Anti-social behaviour"),
        _kent("", "2023-02", "E01024003", "0.53", crime="Anti-social behaviour"),
    ],
    "b/2023-01-kent-street.csv": [
        _kent("x", "2023-01", "E01024004", "0.54", outcome="Status update unavailable"),
        _kent("x", "2023-01", "E01024005", "0.55", outcome="Unable to prosecute suspect"),
        _kent("y", "2023-01", "E01024006", "0.56"),
        _kent("y", "2023-01", "E01024006", "0.56"),
        _kent("w", "2023-01", "", ""),
    ],
}


@pytest.fixture
def rule_files(write):
    return {name: write(name, f"{H}\n" + "\n".join(rows) + "\n") for name, rows in RULE_FILES.items()}


def _expected_by_rule() -> list[tuple]:
    """The rule worked out by hand on RULE_FILES: (Crime ID or None, month, LSOA, crime type) per crime."""
    return sorted(
        [
            ("x", "2023-01", "E01024005", "Robbery"),  # earliest month, then the settled outcome
            ("y", "2023-01", "E01024006", "Robbery"),  # identical rows: one
            ("z", "2023-02", "E01024002", "Drugs"),
            ("w", "2023-01", None, "Robbery"),  # counted, not placed
            (None, "2023-02", "E01024003", "Anti-social behaviour"),  # no Crime ID: never de-duplicated
            (None, "2023-02", "E01024003", "Anti-social behaviour"),
        ],
        key=str,
    )


@pytest.mark.parametrize(
    "order",
    [
        [["a/2023-02-kent-street.csv", "b/2023-01-kent-street.csv"]],
        [["b/2023-01-kent-street.csv", "a/2023-02-kent-street.csv"]],
        [["a/2023-02-kent-street.csv"], ["b/2023-01-kent-street.csv"]],  # two loads, the later month first
        [["b/2023-01-kent-street.csv"], ["a/2023-02-kent-street.csv"]],
    ],
)
def test_crime_id_rule_gives_the_same_store_whatever_the_order(rule_files, order):
    summaries = [load_police_uk(paths=[rule_files[n] for n in names]) for names in order]
    facts, points = _state()
    # The points, read back with the Crime IDs hashed as the loader does, are the rule's choice.
    import duckdb

    con = duckdb.connect()
    hashes = {cid: con.execute("SELECT md5_number($c)", {"c": cid}).fetchall()[0][0] for cid in "xyzw"}
    con.close()
    back = {v: k for k, v in hashes.items()}
    got = sorted(
        [(back.get(hid), month.strftime("%Y-%m"), lsoa, crime) for hid, month, _f, lsoa, crime, _x, _y in points],
        key=str,
    )
    assert got == _expected_by_rule()
    assert all(f == "E23000032" for _h, _m, f, *_ in points)
    placed = {(lsoa, lon) for _h, _m, _f, lsoa, _c, lon, _y in points}
    assert (None, None) in placed and ("E01024005", 0.55) in placed
    # The counts agree with the points, and the totals add up over the loads.
    counted = sorted(((m.strftime("%Y-%m"), lsoa, crime, n) for m, _f, lsoa, crime, n in facts), key=str)
    expected_counts: dict[tuple, int] = {}
    for _cid, month, lsoa, crime in _expected_by_rule():
        expected_counts[(month, lsoa, crime)] = expected_counts.get((month, lsoa, crime), 0) + 1
    assert counted == sorted(((*k, n) for k, n in expected_counts.items()), key=str)
    assert facts_total() == len(_expected_by_rule())
    # Each load's "loaded" counts its kept rows; a crime moved to a later load's row is counted once overall.
    moved = sum("now counted from this load" in n for s in summaries for n in s.notes)
    assert moved == (order == [["a/2023-02-kent-street.csv"], ["b/2023-01-kent-street.csv"]])
    assert sum(s.loaded for s in summaries) == len(_expected_by_rule()) + moved


def test_a_later_load_that_wins_replaces_the_earlier_row_and_says_so(rule_files):
    load_police_uk(paths=[rule_files["a/2023-02-kent-street.csv"]])
    before = facts_total()
    summary = load_police_uk(paths=[rule_files["b/2023-01-kent-street.csv"]])
    assert any("1 crimes loaded before are now counted from this load" in n for n in summary.notes)
    # x moved from February to January (no more crimes); y (two identical rows) and w are new: 2 more.
    assert facts_total() == before + 2
    with store.connect() as con:
        assert store.scalar(con, "SELECT count(*) FROM police_facts WHERE n <= 0") == 0


def test_reloading_a_file_or_a_copy_with_one_more_row_counts_nothing_twice(rule_files, write):
    path = rule_files["a/2023-02-kent-street.csv"]
    load_police_uk(paths=[path])
    facts, points = _state()
    again = load_police_uk(paths=[path])
    assert again.loaded == 0 and _state() == (facts, points)
    # The same rows in another folder with one new crime: only the new crime is counted. (The ASB rows,
    # having no ID, would count again: that is what the file fingerprint is for.)
    crimes = [r for r in RULE_FILES["a/2023-02-kent-street.csv"] if not r.startswith(",")]
    extra = write("c/2023-02-kent-street.csv", f"{H}\n" + "\n".join([*crimes, _kent("v", "2023-02", "", "")]) + "\n")
    summary = load_police_uk(paths=[extra])
    assert (summary.loaded, summary.duplicates) == (1, len(crimes))
    assert facts_total() == len(points) + 1


# --- break-it pass ------------------------------------------------------------------------------------


def _city(crime_id: str, month: str = "2023-01", lon: str = "-0.1", lat: str = "51.51", location: str = "On or near X",
          crime: str = "Robbery", extra: str = "") -> str:  # fmt: skip
    return (
        f"{crime_id},{month},City of London Police,City of London Police,{lon},{lat},{location},E01000001,"
        f"City of London 001A,{crime},,{extra}"
    )


def test_reject_lines_are_file_lines_after_a_quoted_line_break(write):
    rows = [
        _city("id1"),
        _city("id2", lon="999", lat="999"),  # predicate reject, before the line break
        _city("id7", location='"multi\nline"'),  # one row on two lines
        _city("id8", month="2023-13"),  # DuckDB's own reject
        _city("id9", lon="nan", lat="inf"),  # predicate reject
        _city("id10", extra=",EXTRA"),  # too many columns
        _city("", crime="Anti-social behaviour"),
        _city("id11", crime="Robbery "),
        _city("id12", crime="Unicode Crime Tÿpe ☃"),
        _city("id13"),
    ]
    text = f"{H}\n" + "\n".join(rows) + "\n"
    path = write("2023-01-city-of-london-street.csv", text)
    # The expected lines, independently: the line each row starts on, counting the line breaks before it.
    starts, line = {}, 2
    for row in rows:
        starts[row.split(",", 1)[0] or "asb"] = line
        line += row.count("\n") + 1
    summary = load_police_uk(paths=[path])
    got = {r.line: r.reason for r in summary.rejected}
    assert sorted(got) == [starts[k] for k in ("id2", "id8", "id9", "id10", "id11", "id12")] == [3, 6, 7, 8, 10, 11]
    assert got[starts["id11"]] == "Crime type: 'Robbery ' is not a data.police.uk crime type"
    assert got[starts["id12"]] == "Crime type: 'Unicode Crime Tÿpe ☃' is not a data.police.uk crime type"
    assert "Month" in got[starts["id8"]] and "olumns" in got[starts["id10"]]
    assert "Great Britain" in got[starts["id2"]] and "Great Britain" in got[starts["id9"]]
    assert (summary.loaded, summary.rows) == (4, 10)  # id1, id7, the ASB row, id13


def test_a_crime_type_with_a_space_is_rejected_not_trimmed_and_no_cast_text_leaks(write):
    path = write(
        "2023-01-kent-street.csv",
        f"{H}\n"
        "a,2023-01,Kent Police,Kent Police,0.5,51.2,On or near X,E01024000,Dover 001A, Robbery,,\n"
        "b,2023-01,Kent Police,Kent Police ,0.5,51.2,On or near X,E01024000,Dover 001A,Robbery,,\n",
    )
    summary = load_police_uk(paths=[path])
    assert [(r.line, r.reason) for r in summary.rejected] == [
        (2, "Crime type: ' Robbery' is not a data.police.uk crime type"),
        (3, "Falls within: 'Kent Police ' is not a data.police.uk police force (Falls within)"),
    ]
    assert summary.loaded == 0


FORCE_TIE = {
    # The same Crime ID, month, type, LSOA and place, both unsettled, in files of the same name: only the
    # force ("Falls within") differs. The rule's tie-break on the force keeps City of London (C < M).
    "x/2023-01-street.csv": [
        "abc123,2023-01,City of London Police,City of London Police,-0.106220,51.518275,On or near B500,E01000916,"
        "Camden 027B,Violence and sexual offences,Status update unavailable,",
        "onlyx,2023-01,City of London Police,City of London Police,-0.106220,51.518275,On or near B500,E01000916,"
        "Camden 027B,Robbery,,",
    ],
    "y/2023-01-street.csv": [
        "abc123,2023-01,Metropolitan Police Service,Metropolitan Police Service,-0.106220,51.518275,On or near X,"
        "E01000916,Camden 027B,Violence and sexual offences,Under investigation,",
    ],
}


@pytest.mark.parametrize(
    "order",
    [
        [["x/2023-01-street.csv", "y/2023-01-street.csv"]],
        [["y/2023-01-street.csv", "x/2023-01-street.csv"]],
        [["x/2023-01-street.csv"], ["y/2023-01-street.csv"]],
        [["y/2023-01-street.csv"], ["x/2023-01-street.csv"]],
    ],
)
def test_crime_id_rule_breaks_a_tie_on_the_force_whatever_the_order(write, order):
    files = {name: write(name, f"{H}\n" + "\n".join(rows) + "\n") for name, rows in FORCE_TIE.items()}
    for names in order:
        load_police_uk(paths=[files[n] for n in names])
    facts, points = _state()
    forces = sorted((crime, f) for _h, _m, f, _l, crime, _x, _y in points)
    assert forces == [("Robbery", store.CITY_FORCE_CODE), ("Violence and sexual offences", store.CITY_FORCE_CODE)]
    assert sorted((f, c, n) for _m, f, _l, c, n in facts) == [
        ("City of London Police", "Robbery", 1),
        ("City of London Police", "Violence and sexual offences", 1),
    ]
