"""Census 2021 populations by LSOA, loaded and checked against the raw file read by pandas."""

import io
import json
from pathlib import Path

import pandas as pd
import pytest
from django.core.management import call_command

from vrhub.evidence import store
from vrhub.evidence.loaders.population import load_population
from vrhub.evidence.models import EvidenceLoad

SHIPPED = Path(__file__).resolve().parents[2] / "data" / "population" / "census2021-lsoa21-usual-residents.csv"
HEADER = "2021 super output area - lower layer,LSOA21CD,Population"


def loaded() -> dict[str, int]:
    with store.connect() as con:
        return {r["lsoa_code"]: r["residents"] for r in store.rows(con, "SELECT lsoa_code, residents FROM population")}


def test_the_shipped_census_file_loads_every_lsoa_with_its_residents():
    raw = pd.read_csv(SHIPPED, dtype=str)
    lsoas = raw[raw["LSOA21CD"].fillna("").str.fullmatch(r"[EW]01\d{6}")]
    summary = load_population(paths=[SHIPPED])
    assert (summary.loaded, summary.rejected) == (len(lsoas), [])
    assert summary.notes[1].startswith(f"{SHIPPED.name}: {len(raw) - len(lsoas)} lines without a population")
    got = loaded()
    assert len(got) == len(lsoas) == lsoas["LSOA21CD"].nunique()
    assert sum(got.values()) == lsoas["Population"].astype(int).sum()
    havering = lsoas[lsoas["2021 super output area - lower layer"].str.startswith("Havering ")]
    assert sum(got[c] for c in havering["LSOA21CD"]) == havering["Population"].astype(int).sum()
    assert load_population(paths=[SHIPPED]).already_loaded == [str(SHIPPED)]


def test_bad_rows_are_rejected_by_line_and_the_rest_load(write):
    path = write(
        "pop.csv",
        "\n".join(
            [
                HEADER,
                "Havering 001A,E01002233,1500",
                "Havering 001B,E01002234,lots",
                "Havering 001C,E01002233,1600",
                "Nowhere,X123,100",
                "Havering 001D,E01002235,-4",
                "Havering 001E,E01002236,250000",
                "Havering 001F,E01002237,",
                "Havering 001G,E01002238,1.5",
                "Havering 001H,E01002239,0x10",
                "Havering 001I,E01ABCDEF,100",
                "Havering 001J,E01002240,1e3",
                ",,",
                ',"Records have been swapped between areas",',
            ]
        )
        + "\n",
    )
    load_population(paths=[write("first.csv", f"{HEADER}\nHavering 001A,E01002233,1400\n")])
    summary = load_population(paths=[path])
    assert [(r.line, r.reason) for r in summary.rejected] == [
        (3, "Population is not a whole number: lots"),
        (4, "LSOA E01002233 is given again (first on line 2)"),
        (5, "LSOA21CD is missing or not a 2021 LSOA code"),
        (6, "Population -4 is outside 0 to 100000"),
        (7, "Population 250000 is outside 0 to 100000"),
        (8, "Population is not a whole number: (empty)"),
        (9, "Population is not a whole number: 1.5"),
        (10, "Population is not a whole number: 0x10"),
        (11, "LSOA21CD is missing or not a 2021 LSOA code"),
        (12, "Population is not a whole number: 1e3"),
    ]
    # Populations replace each other whole: a file with bad rows changes nothing, and says so.
    assert summary.loaded == 0
    assert loaded() == {"E01002233": 1400}
    assert summary.notes[0] == (
        f"{path.name}: nothing was loaded and the populations are unchanged: 10 rows were rejected; "
        "correct them and load the file again."
    )
    assert (
        summary.notes[1] == f"{path.name}: 2 lines without a population or an LSOA code (blank lines or the "
        "file's footnotes) are not data and were not loaded."
    )


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        ("LSOA21CD,Population,COPY (SELECT 1) TO '/tmp/x'", "unknown column 3 \"COPY (SELECT 1) TO '/tmp/x'\""),
        ("LSOA21CD,Residents", "unknown column 2 'Residents'"),
        ("LSOA21CD,lsoa21_code,Population", "column 2 'lsoa21_code' repeats column 1 'LSOA21CD'"),
        ("2021 super output area - lower layer,Population", "no LSOA21CD column"),
    ],
)
def test_a_file_with_other_columns_is_refused_whole_and_changes_nothing(write, header, reason):
    load_population(paths=[write("first.csv", f"{HEADER}\nHavering 001A,E01002233,1500\n")])
    summary = load_population(paths=[write("bad.csv", f"{header}\nE01002233,9,9\n")])
    assert [r.reason for r in summary.rejected] == [
        f"Not a Census 2021 LSOA population file (LSOA21CD and Population columns): {reason}"
    ]
    assert loaded() == {"E01002233": 1500}


def test_a_truncated_file_does_not_replace_the_national_populations(write):
    load_population(paths=[SHIPPED])
    before = loaded()
    summary = load_population(paths=[write("typo.csv", f"{HEADER}\nTypo row,E01000001,12\n")])
    assert summary.loaded == 0
    assert loaded() == before
    assert summary.notes[0].startswith(
        f"typo.csv: nothing was loaded and the populations are unchanged: it has 1 LSOAs, fewer than 95% of the "
        f"{len(before):,} loaded now"
    )


def test_a_file_without_one_good_row_keeps_the_populations_loaded_before(write):
    load_population(paths=[write("first.csv", f"{HEADER}\nHavering 001A,E01002233,1500\n")])
    summary = load_population(paths=[write("second.csv", f"{HEADER}\nHavering 001A,E01002233,many\n")])
    assert summary.loaded == 0
    assert loaded() == {"E01002233": 1500}


@pytest.mark.django_db
def test_the_command_prints_the_summary_as_json_and_records_the_load(write):
    path = write("pop.csv", f"{HEADER}\nHavering 001A,E01002233,1500\nHavering 001B,E01002234,1400\n")
    out = io.StringIO()
    call_command("load_population", str(path), "--json", "--quiet", stdout=out)
    summary = json.loads(out.getvalue())
    assert (summary["files"], summary["rows"], summary["loaded"], summary["rejected"]) == (1, 2, 2, [])
    record = EvidenceLoad.objects.get()
    assert (record.kind, record.loaded, record.via) == ("population", 2, EvidenceLoad.Via.COMMAND)
