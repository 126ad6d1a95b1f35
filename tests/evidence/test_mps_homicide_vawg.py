"""The MPS homicide and VAWG files: loaded by load_mps, checked against the raw Parquet files.

Every expected figure is computed here, straight from data/mps/*.parquet with DuckDB, not copied from
the loader's output.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from io import StringIO
from pathlib import Path

import duckdb
import pytest
from django.core.management import call_command

from tests.evidence.london_codes import BOROUGH_CODES as LONDON
from vrhub.evidence import store
from vrhub.evidence.loaders.mps import load_mps
from vrhub.evidence.models import EvidenceLoad

DATA = Path(__file__).resolve().parents[2] / "data" / "mps"
HOMICIDE = DATA / "homicide.parquet"
VAWG = DATA / "vawg-offences.parquet"
MONTHS = {m: i for i, m in enumerate(("jan feb mar apr may jun jul aug sep oct nov dec").split(), start=1)}


def key(name: str | None) -> str | None:
    """A borough name compared loosely: lower case, '&' as 'and'."""
    return None if name is None else " ".join(name.lower().replace("&", " and ").split())


CODES = {key(name): code for name, code in LONDON.items()}


def raw(sql: str, path: Path) -> list[tuple]:
    with duckdb.connect() as con:
        return con.execute(sql.replace("FILE", "read_parquet($p)"), {"p": str(path)}).fetchall()


def facts(source: str) -> list[dict]:
    with store.connect() as con:
        return store.rows(con, "SELECT * FROM facts WHERE source = $s", {"s": source})


def per_year(source: str) -> dict[int, int]:
    """The loaded facts' total per calendar year."""
    got: Counter = Counter()
    for f in facts(source):
        got[f["month"].year] += f["n"]
    return dict(got)


def expected_homicide() -> Counter:
    """(borough key, year, subcategory) → people proceeded against, from the raw file, counted in Python."""
    out: Counter = Counter()
    for borough, offence, outcome, date, n in raw(
        "SELECT borough, offence_type, charged_summonsed, proceedings_date, count_of_ppa FROM FILE", HOMICIDE
    ):
        if outcome == "Recording Error":
            continue
        year = 2000 + int(date.split("-")[1])
        sub = offence + (" (accused deceased)" if outcome == "Accused is Deceased" else "")
        out[(key(borough), year, sub)] += n
    return out


def recording_errors() -> int:
    """Rows of the raw homicide file the loader must reject: charged_summonsed = 'Recording Error'."""
    (n,) = raw("SELECT count(*) FROM FILE WHERE charged_summonsed = 'Recording Error'", HOMICIDE)[0]
    return n


@pytest.fixture
def loaded():
    return load_mps(paths=[HOMICIDE, VAWG])


def test_homicide_by_borough_year_and_offence_type_equals_the_raw_file(loaded):
    got: Counter = Counter()
    for f in facts("mps_homicide"):
        got[(key(f["borough_name"]), f["month"].year, f["subcategory"])] += f["n"]
    assert got == expected_homicide()
    assert {(f["level"], f["category"], f["force_code"], f["synthetic"]) for f in facts("mps_homicide")} == {
        ("borough", "Homicide", store.MET_CODE, False)
    }


def test_homicide_rows_carry_the_boroughs_ons_code_and_the_unplaced_are_unlocated(loaded):
    rows = facts("mps_homicide")
    for f in rows:
        assert f["borough_code"] == f["area_code"] == CODES.get(key(f["borough_name"]))
        assert f["unlocated"] == (f["n"] if f["borough_code"] is None else 0)
        assert f["month"].day == 1
    unplaced = {f["borough_name"] for f in rows if f["borough_code"] is None}
    raw_unplaced = {b for (b,) in raw("SELECT DISTINCT borough FROM FILE", HOMICIDE) if key(b) not in CODES}
    assert unplaced == raw_unplaced == {"Heathrow"}  # checked with DuckDB on the shipped file
    placed = {f["borough_code"] for f in rows if f["borough_code"] is not None}
    assert placed == set(LONDON.values()) and len(placed) == 32


def test_london_homicide_per_year_equals_the_raw_file(loaded):
    expected = dict(
        raw(
            "SELECT 2000 + split_part(proceedings_date, '-', 2)::INT AS y, sum(count_of_ppa) FROM FILE "
            "WHERE charged_summonsed <> 'Recording Error' GROUP BY y",
            HOMICIDE,
        )
    )
    assert per_year("mps_homicide") == expected


def test_homicide_month_is_the_proceedings_month(loaded):
    expected: Counter = Counter()
    for date, n, outcome in raw("SELECT proceedings_date, count_of_ppa, charged_summonsed FROM FILE", HOMICIDE):
        if outcome != "Recording Error":
            mon, yy = date.split("-")
            expected[dt.date(2000 + int(yy), MONTHS[mon.lower()], 1)] += n
    got: Counter = Counter()
    for f in facts("mps_homicide"):
        got[f["month"]] += f["n"]
    assert got == expected


def test_recording_errors_are_rejected_with_their_line_and_the_accused_deceased_kept_apart(loaded):
    errors = raw(
        "SELECT line FROM (SELECT row_number() OVER () AS line, * FROM FILE) "
        "WHERE charged_summonsed = 'Recording Error'",
        HOMICIDE,
    )
    assert [(r.file, r.line) for r in loaded.rejected] == [(str(HOMICIDE), line) for (line,) in errors]
    assert all("Recording Error" in r.reason for r in loaded.rejected)
    (deceased,) = raw("SELECT sum(count_of_ppa) FROM FILE WHERE charged_summonsed = 'Accused is Deceased'", HOMICIDE)[0]
    assert sum(f["n"] for f in facts("mps_homicide") if f["subcategory"].endswith("(accused deceased)")) == deceased
    assert any("people proceeded against (accused), not offences" in note for note in loaded.notes)


def test_vawg_by_borough_and_year_equals_the_location_sheet(loaded):
    expected: Counter = Counter()
    for borough, month, n in raw(
        "SELECT borough_name, recorded_date_months, count FROM FILE WHERE sheet = 'Offence count location'", VAWG
    ):
        expected[(key(borough), month.year)] += n
    got: Counter = Counter()
    for f in facts("mps_vawg"):
        got[(key(f["borough_name"]), f["month"].year)] += f["n"]
        assert f["borough_code"] == CODES.get(key(f["borough_name"]))
    assert got == expected
    assert {(f["category"], f["subcategory"], f["level"]) for f in facts("mps_vawg")} == {
        ("VAWG", "VAWG-flagged offences", "borough")
    }


def test_vawg_counts_each_offence_once_not_once_per_sheet(loaded):
    by_sheet = dict(raw("SELECT sheet, sum(count) FROM FILE GROUP BY sheet", VAWG))
    assert by_sheet["Offence count location"] == by_sheet["Offence count classification"]  # two views of one count
    total = sum(f["n"] for f in facts("mps_vawg"))
    assert total == by_sheet["Offence count location"]
    expected = dict(
        raw(
            "SELECT year(recorded_date_months), sum(count) FROM FILE WHERE sheet = 'Offence count location' GROUP BY 1",
            VAWG,
        )
    )
    assert per_year("mps_vawg") == expected


def test_a_reload_does_not_double_count(loaded, tmp_path):
    before = {s: sum(f["n"] for f in facts(s)) for s in ("mps_homicide", "mps_vawg")}
    again = load_mps(paths=[HOMICIDE, VAWG])
    assert again.already_loaded == [str(HOMICIDE), str(VAWG)] and again.loaded == 0
    assert {s: sum(f["n"] for f in facts(s)) for s in ("mps_homicide", "mps_vawg")} == before
    # A different file (a later extract: the rows from 2010 on, one month's counts revised) replaces its
    # months, never adds.
    monthly_before: Counter = Counter()
    for f in facts("mps_homicide"):
        monthly_before[f["month"]] += f["n"]
    (revised,) = raw(
        "SELECT proceedings_date FROM FILE WHERE split_part(proceedings_date, '-', 2)::INT >= 10 "
        "AND charged_summonsed <> 'Recording Error' GROUP BY 1 ORDER BY sum(count_of_ppa) DESC, 1 LIMIT 1",
        HOMICIDE,
    )[0]
    later = tmp_path / "homicide-later.parquet"
    with duckdb.connect() as con:
        bump = f"CASE WHEN proceedings_date = '{revised}' THEN count_of_ppa + 1 ELSE count_of_ppa END"
        con.read_parquet(str(HOMICIDE)).filter("split_part(proceedings_date, '-', 2)::INT >= 10").project(
            f"* REPLACE ({bump} AS count_of_ppa)"
        ).write_parquet(str(later))
        (rows_in_month, new_total) = con.execute(
            "SELECT count(*), sum(count_of_ppa) FROM read_parquet($p) WHERE proceedings_date = $m "
            "AND charged_summonsed <> 'Recording Error'",
            {"m": revised, "p": str(later)},
        ).fetchone()
    summary = load_mps(paths=[later])
    assert summary.loaded > 0 and any("replaced" in note for note in summary.notes)
    mon, yy = revised.split("-")
    month = dt.date(2000 + int(yy), MONTHS[mon.lower()], 1)
    monthly_after: Counter = Counter()
    for f in facts("mps_homicide"):
        monthly_after[f["month"]] += f["n"]
    assert monthly_after[month] == new_total == monthly_before[month] + rows_in_month
    assert {m: n for m, n in monthly_after.items() if m != month} == {
        m: n for m, n in monthly_before.items() if m != month
    }
    assert sum(f["n"] for f in facts("mps_vawg")) == before["mps_vawg"]


def test_load_mps_on_the_folder_loads_both_and_records_the_load(db):
    out = StringIO()
    call_command("load_mps", str(HOMICIDE), str(VAWG), "--quiet", stdout=out)
    load = EvidenceLoad.objects.get()
    (rows,) = raw("SELECT count(*) FROM FILE", HOMICIDE)[0]
    (vawg_rows,) = raw("SELECT count(*) FROM FILE", VAWG)[0]
    assert (load.kind, load.rows, load.rejected) == ("mps", rows + vawg_rows, recording_errors())
    text = out.getvalue()
    assert "people proceeded against (accused), not offences" in text
    assert "VAWG-flagged offences (unit: offences)" in text
    assert "'Offence count classification' were not loaded" in text


def test_the_homicide_file_loads_from_the_upload_page_and_is_recorded(
    client, london, django_capture_on_commit_callbacks
):
    from tests.evidence.test_views import _upload
    from tests.factories import UserFactory
    from vrhub.accounts.models import User
    from vrhub.organisations.models import Organisation

    admin = UserFactory(organisation=Organisation.objects.get(code="VRU-LDN"), role=User.Role.VRU_ADMIN)
    client.force_login(admin)
    job, page = _upload(client, "mps", HOMICIDE.name, HOMICIDE.read_bytes(), django_capture_on_commit_callbacks)
    assert job.state == "succeeded", job.error
    assert "people proceeded against (accused), not offences" in page
    (people,) = raw("SELECT sum(count_of_ppa) FROM FILE WHERE charged_summonsed <> 'Recording Error'", HOMICIDE)[0]
    assert sum(f["n"] for f in facts("mps_homicide")) == people
    load = EvidenceLoad.objects.get()
    assert (load.kind, load.files, load.via, load.loaded_by, load.rejected) == (
        "mps",
        [HOMICIDE.name],
        "upload",
        admin,
        recording_errors(),
    )
