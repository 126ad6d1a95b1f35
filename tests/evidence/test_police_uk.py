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
