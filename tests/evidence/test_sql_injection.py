# ruff: noqa: S608 - the hostile headers here are SQL on purpose; the store dump reads catalogue names.
"""Crafted headers, file names and query values never reach SQL as SQL (issue 9).

Each hostile input tries to read a file (``read_text``) into the store and to write one (``COPY … TO``).
The tests check the outcome that matters: the secret is nowhere in the store, no file was written,
the file is refused with a reason that names the bad column, and nothing was loaded.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import duckdb
import pytest

from vrhub.evidence import selectors, store
from vrhub.evidence.loaders.imd import load_imd
from vrhub.evidence.loaders.istv import load_istv
from vrhub.evidence.loaders.mps import load_mps
from vrhub.evidence.loaders.police_uk import HEADER as POLICE_HEADER
from vrhub.evidence.loaders.police_uk import load_police_uk

from .test_mps_imd_need import IMD_CSV, LSOA_CSV

SECRET = "SECRET-CANARY-7f3a"


@pytest.fixture
def canary(tmp_path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text(SECRET)
    return path


@pytest.fixture
def target(tmp_path) -> Path:
    return tmp_path / "pwned.csv"


def csv_text(*rows: list[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def everything_in_the_store() -> str:
    """Every value of every table, as text (to look for the secret anywhere)."""
    with store.connect() as con:
        tables = [r["table_name"] for r in store.rows(con, "SELECT table_name FROM duckdb_tables()")]
        return "\n".join(str(store.rows(con, f'SELECT * FROM "{t}"')) for t in tables)


def hostile_headers(canary: Path, target: Path) -> dict[str, str]:
    """Column names that break out of a double-quoted identifier (the IMD loader's old bug did exactly this)."""
    return {
        # Read the secret into the rejects table: the reason quoted the value ("is not a number: …").
        "read_text": f"IMD_score\" AS raw FROM src UNION ALL SELECT 2, 'E01000001', 'IMD', 'score', "
        f"(SELECT content FROM read_text('{canary}')) || \"x_score",
        # Write a file with a second statement.
        "copy_to": f"IMD_score\" AS raw FROM src); COPY (SELECT 1) TO '{target}'; --x_score",
        # The brief's example, and /etc/passwd.
        "brief": f"\"); COPY (SELECT 1) TO '{target}'; --",
        "passwd": "x\" || (SELECT content FROM read_text('/etc/passwd')) || \"_score",
    }


@pytest.mark.parametrize("attack", ["read_text", "copy_to", "brief", "passwd"])
def test_imd_header_injection_is_refused_by_name(write, canary, target, attack):
    evil = hostile_headers(canary, target)[attack]
    path = write("imd.csv", csv_text(["lsoa21_code", "IMD_score", "x_score", evil], ["E01000002", "1", "2", "3"]))
    summary = load_imd(paths=[path])
    assert summary.loaded == 0 and summary.rows == 0
    assert len(summary.rejected) == 1 and summary.rejected[0].line == 1
    # x_score comes first and is not an IMD column: the reason names it (and its position).
    assert summary.rejected[0].reason.endswith("unknown column 3 'x_score'")
    assert not target.exists()
    dump = everything_in_the_store()
    assert SECRET not in dump and "root:" not in dump
    with store.connect() as con:
        assert store.scalar(con, "SELECT count(*) FROM imd") == 0


def test_imd_hostile_column_alone_is_named_in_the_reason(write, canary, target):
    evil = hostile_headers(canary, target)["copy_to"]
    path = write("imd.csv", csv_text(["lsoa21_code", "IMD_score", evil], ["E01000002", "1", "3"]))
    summary = load_imd(paths=[path])
    # Named as repr() shows it, cut to 60 characters.
    assert [(r.line, r.reason) for r in summary.rejected] == [
        (
            1,
            "Not an IMD file (an LSOA code column and <Domain>_score/_rank/_decile columns): unknown column 3 "
            + repr(evil)[:59]
            + "…",
        )
    ]
    assert not target.exists()


def test_imd_file_with_only_known_columns_still_loads(write):
    summary = load_imd(paths=[write("imd.csv", IMD_CSV)])
    assert summary.loaded == 4 and [r.line for r in summary.rejected] == [6]


@pytest.mark.parametrize("attack", ["read_text", "copy_to", "brief", "passwd"])
def test_mps_header_injection_is_refused_by_name(write, canary, target, attack):
    evil = hostile_headers(canary, target)[attack]
    header = ["LSOA Code", "LSOA Name", "Borough", "Major Category", "Minor Category", "202301", evil]
    path = write("mps.csv", csv_text(header, ["E01002243", "Havering 013A", "E09000016", "ROBBERY", "X", "1", "2"]))
    summary = load_mps(paths=[path])
    assert summary.loaded == 0
    assert len(summary.rejected) == 1 and summary.rejected[0].line == 1
    assert "unknown column 7 " in summary.rejected[0].reason
    assert repr(evil)[:40] in summary.rejected[0].reason
    assert not target.exists() and SECRET not in everything_in_the_store()


def test_mps_month_column_lookalikes_are_refused(write):
    # "２０２３０１" is six (full-width) digits to str.isdigit(); only ASCII YYYYMM is a month column.
    path = write("mps.csv", "LSOA Code,Major Category,Minor Category,２０２３０１\nE01002243,ROBBERY,X,1\n")
    summary = load_mps(paths=[path])
    assert [(r.line, r.reason) for r in summary.rejected] == [
        (
            1,
            "Not a recognised MPS file (recorded crime by LSOA, ward or borough, or the monthly crime dashboard): "
            "unknown column 4 '２０２３０１'",
        )
    ]


def test_mps_repeated_column_is_refused_naming_both(write):
    path = write("mps.csv", "LSOA Code,Major Category,MajorText,Minor Category,202301\nE01002243,A,B,C,1\n")
    summary = load_mps(paths=[path])
    assert summary.rejected[0].reason.endswith("column 3 'MajorText' repeats column 2 'Major Category'")


@pytest.mark.parametrize("attack", ["read_text", "copy_to", "brief"])
def test_istv_and_police_uk_headers_are_refused_by_name(write, canary, target, attack):
    evil = hostile_headers(canary, target)[attack]
    istv = write(
        "istv.csv",
        csv_text(
            [
                "Site code",
                "Reporting period",
                "Arrival date",
                "Arrival time",
                "Assault date",
                "Assault time",
                "Assault method",
                "Assault location type",
                "Assault location description",
                evil,
            ],
            ["RJ122", "2024-01", "2024-01-05", "23:10", "", "", "Other", "Home", "", "x"],
        ),
    )
    police = write("2023-01-x-street.csv", csv_text([*POLICE_HEADER[:-1], evil], ["x"] * 12))
    istv_summary = load_istv(paths=[istv])
    police_summary = load_police_uk(paths=[police])
    assert istv_summary.loaded == police_summary.loaded == 0
    assert "unknown " + repr(evil)[:40] in istv_summary.rejected[0].reason
    assert police_summary.rejected[0].reason.startswith(
        f"Not a data.police.uk street-level file: column 12 is {repr(evil)[:40]}"
    )
    assert not target.exists() and SECRET not in everything_in_the_store()


def test_file_paths_with_quotes_are_parameters_not_sql(tmp_path, target):
    """A file (or folder) name is data: quotes and SQL in it change nothing."""
    folder = tmp_path / f"it's'); COPY (SELECT 1) TO '{target.name}'; --"
    folder.mkdir()
    lsoa = folder / "lsoa's.csv"
    lsoa.write_text(LSOA_CSV)
    summary = load_mps(paths=[lsoa])
    assert summary.loaded == 4 and summary.rejected[0].line == 6
    with store.connect() as con:
        assert store.scalar(con, "SELECT file FROM loads") == str(lsoa)
    assert not target.exists() and not Path(target.name).exists()


@pytest.mark.parametrize(
    "code", ["E01' OR 1--", "x'); DROP", "E01\x00", "') UNION ALL"], ids=["or", "drop", "nul", "union"]
)
def test_area_codes_with_sql_are_unknown_areas(write, code):
    load_mps(paths=[write("lsoa.csv", LSOA_CSV)])
    with pytest.raises(selectors.EvidenceError, match="Unknown area"):
        selectors.area_get(code=code)


def test_measure_names_and_periods_with_sql_are_refused(write):
    load_mps(paths=[write("lsoa.csv", LSOA_CSV)])
    with pytest.raises(selectors.EvidenceError, match="Unknown measure"):
        selectors.measure_get(name="mps:ROBBERY' OR '1'='1")
    with pytest.raises(selectors.EvidenceError, match="A period is YYYY-MM:YYYY-MM"):
        selectors.parse_period("2023-01'--")


def test_a_load_session_can_read_only_its_own_input_files(write, canary, target):
    allowed = write("lsoa.csv", LSOA_CSV)
    with pytest.raises(duckdb.PermissionException, match="file system operations are disabled"):
        with store.load_session(files=[allowed]) as con:
            assert store.scalar(con, "SELECT count(*) FROM read_csv($p, header = true)", {"p": str(allowed)}) == 5
            con.execute("SELECT * FROM read_text($p)", {"p": str(canary)})
    with pytest.raises(duckdb.PermissionException, match="file system operations are disabled"):
        with store.load_session(files=[allowed]) as con:
            con.execute("COPY (SELECT 1) TO $p", {"p": str(target)})
    assert not target.exists()
