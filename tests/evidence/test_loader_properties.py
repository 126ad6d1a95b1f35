"""Property-based tests of the CSV loaders (police.uk, MPS, IMD, ISTV) with hypothesis.

For random files of valid and hostile rows, and hostile headers:

* a loader returns a summary or raises its own ``LoadError``, nothing else;
* a ``LoadError`` leaves the store exactly as it was; a summary agrees with what the store holds;
* every hostile row is rejected, at its own line, and every valid row is counted: the counts are
  checked against pandas reading the same file (not against the loader's own arithmetic).

Each example gets a fresh store. Runs are kept small (``max_examples`` 30–40) so the suite stays fast.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import hashlib
import io
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vrhub.evidence import store
from vrhub.evidence.loaders import LoadError, LoadSummary
from vrhub.evidence.loaders.imd import load_imd
from vrhub.evidence.loaders.istv import LOCATION_TYPES, LONDON_AE_SITES, METHODS, load_istv
from vrhub.evidence.loaders.mps import load_mps
from vrhub.evidence.loaders.police_uk import CRIME_TYPES, FORCE_NAMES, HEADER, load_police_uk

PROPERTY = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Free text: anything printable or not, but no line breaks (see the police.uk note below) and no NUL.
FREE = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n\x00"), max_size=12)
# Text that is certainly not a number, month, date, time or code (no digits, no "inf"/"nan"/"e").
JUNK = st.text(alphabet="qwz#@!?'\";,", min_size=1, max_size=8)
LSOA = st.integers(0, 999_999).map(lambda i: f"E01{i:06d}")


@contextlib.contextmanager
def fresh_store() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="vrhub-hypothesis-"))
    try:
        with override_settings(EVIDENCE_DUCKDB=str(folder / "evidence.duckdb")):
            yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def state() -> tuple:
    """Every table's rows (as text) and the store file's hash: equal states mean nothing was written."""
    path = store.database_path()
    digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None
    with store.connect() as con:
        tables = [r["table_name"] for r in store.rows(con, "SELECT table_name FROM duckdb_tables() ORDER BY 1")]
        counts = tuple(store.scalar(con, f'SELECT count(*) FROM "{t}"') for t in tables)  # noqa: S608
    return digest, counts


def run(loader: Callable[[], LoadSummary]) -> LoadSummary | None:
    """The loader's summary, or None after a LoadError that changed nothing; any other exception fails."""
    before = state()
    try:
        summary = loader()
    except LoadError as exc:
        assert str(exc)
        assert state() == before
        return None
    with store.connect() as con:
        stored = store.scalar(con, "SELECT count(*) FROM rejects")
    assert stored == len(summary.rejected)
    return summary


LINE_BREAK = re.compile(r"\r\n|\r|\n")  # as a reader counts lines: a lone CR or LF in a quoted field is one


def write_rows(path: Path, header: list[str], rows: list[list[str]], *, first_line: str | None = None) -> list[int]:
    """Write a CSV; returns each data row's first line number in the file."""
    lines = []
    line = 2 + (first_line is not None)
    with path.open("w", newline="", encoding="utf-8") as fh:
        if first_line is not None:
            fh.write(first_line + "\r\n")
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(header)
        for row in rows:
            text = io.StringIO()
            csv.writer(text, lineterminator="\r\n").writerow(row)
            lines.append(line)
            line += len(LINE_BREAK.findall(text.getvalue()))
            writer.writerow(row)
    return lines


def wrong_width(width: int) -> st.SearchStrategy[list[str]]:
    """A row with the wrong number of fields (never a lone empty field, which would be a blank line)."""
    return (
        st.integers(2, width + 3).filter(lambda n: n != width).flatmap(lambda n: st.lists(JUNK, min_size=n, max_size=n))
    )


def pandas_frame(path: Path, skip: int = 0) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, skiprows=skip, encoding="utf-8")


# --- data.police.uk -------------------------------------------------------------------------------

CRIME_IDS = st.sampled_from(["", *[hashlib.sha256(str(i).encode()).hexdigest() for i in range(6)]])


@st.composite
def police_valid(draw) -> list[str]:
    located = draw(st.booleans())
    lon = f"{draw(st.floats(-8.6, 2.0)):.6f}" if located else ""
    lat = f"{draw(st.floats(49.9, 60.9)):.6f}" if located else ""
    return [
        draw(CRIME_IDS),
        f"2023-{draw(st.integers(1, 12)):02d}",
        draw(FREE),
        draw(st.sampled_from(FORCE_NAMES)),
        lon,
        lat,
        draw(FREE),
        draw(LSOA) if located else "",
        draw(FREE),
        draw(st.sampled_from(CRIME_TYPES)),
        draw(FREE),
        draw(FREE),
    ]


@st.composite
def police_hostile(draw) -> list[str]:
    if draw(st.integers(0, 5)) == 0:
        return draw(wrong_width(12))
    row = draw(police_valid())
    field, value = draw(
        st.one_of(
            st.tuples(st.just(1), st.sampled_from(["", "2023", "23-01", "January"]) | JUNK),  # Month
            st.tuples(st.just(3), st.just("") | JUNK),  # Falls within
            st.tuples(st.just(9), st.just("") | JUNK),  # Crime type
            st.tuples(st.just(4), JUNK),  # Longitude not a number
            st.tuples(st.just(4), st.sampled_from(["10.5", "-20"])),  # outside Great Britain
            st.tuples(st.just(7), st.sampled_from(["E0212345", "X01234567", "E01"]) | JUNK),  # LSOA code
        )
    )
    row[field] = value
    if field == 4 and not row[5]:
        row[5] = "51.5"
    return row


@PROPERTY
@given(kinds=st.lists(st.booleans(), max_size=25), data=st.data())
def test_police_uk_valid_rows_count_and_hostile_rows_are_rejected_at_their_line(kinds, data):
    drawn = [data.draw(police_valid() if valid else police_hostile()) for valid in kinds]
    with fresh_store() as folder:
        path = folder / "2023-01-x-street.csv"
        lines = write_rows(path, HEADER, drawn)
        summary = run(lambda: load_police_uk(paths=[path]))
        assert summary is not None
        hostile_lines = [line for line, valid in zip(lines, kinds, strict=True) if not valid]
        assert [r.line for r in summary.rejected] == hostile_lines
        assert summary.rows == len(drawn)
        # Independently: pandas reads the valid rows; each Crime ID counts once, rows without one all count.
        frame = pandas_frame(path) if all(kinds) and drawn else None
        valid_rows = [r for r, valid in zip(drawn, kinds, strict=True) if valid]
        if frame is not None:
            assert len(frame) == len(valid_rows)
            ids = frame["Crime ID"]
            expected = int((ids == "").sum()) + ids[ids != ""].nunique()
        else:
            ids = pd.Series([r[0] for r in valid_rows], dtype=str)
            expected = int((ids == "").sum()) + ids[ids != ""].nunique()
        assert summary.loaded == expected
        assert summary.duplicates == len(valid_rows) - expected
        with store.connect() as con:
            assert store.scalar(con, "SELECT coalesce(sum(n), 0) FROM police_facts") == expected


@PROPERTY
@given(column=st.integers(0, 11), name=FREE | JUNK)
def test_police_uk_any_other_header_is_refused_naming_the_column(column, name):
    header = list(HEADER)
    if header[column] == name.strip():
        name += "x"
    header[column] = name
    with fresh_store() as folder:
        path = folder / "2023-01-x-street.csv"
        write_rows(path, header, [["x"] * 12])
        summary = run(lambda: load_police_uk(paths=[path]))
        assert summary is not None and summary.rows == 0 and summary.loaded == 0
        assert [r.line for r in summary.rejected] == [1]
        assert f"column {column + 1} is {repr(name.strip())[:40]}" in summary.rejected[0].reason


# --- Metropolitan Police (London Datastore) -------------------------------------------------------

MPS_MONTHS = ["202301", "202302", "202303"]
MPS_HEADER = ["LSOA Code", "LSOA Name", "Borough", "Major Category", "Minor Category", *MPS_MONTHS]
COUNT = st.integers(0, 500).map(str) | st.just("")


@st.composite
def mps_valid(draw) -> list[str]:
    return [
        draw(LSOA),
        draw(FREE),
        draw(st.sampled_from(["E09000016", "E09000022", "Unknown", ""])),
        draw(st.sampled_from(["ROBBERY", "BURGLARY", "VIOLENCE AGAINST THE PERSON"])),
        draw(st.sampled_from(["PERSONAL PROPERTY", "ALL", ""])),
        *[draw(COUNT) for _ in MPS_MONTHS],
    ]


@st.composite
def mps_hostile(draw) -> list[str]:
    if draw(st.integers(0, 4)) == 0:
        return draw(wrong_width(len(MPS_HEADER)))
    row = draw(mps_valid())
    field = draw(st.sampled_from([3, 5, 6, 7]))
    if field == 3:
        row[3] = ""  # no offence category
    else:
        row[field] = draw(st.sampled_from(["1.5", "-1", "1e3", "0x10", "1_000", "½"]) | JUNK)
    return row


@PROPERTY
@given(kinds=st.lists(st.booleans(), max_size=25), data=st.data())
def test_mps_counts_match_pandas_and_hostile_rows_are_rejected(kinds, data):
    drawn = [data.draw(mps_valid() if valid else mps_hostile()) for valid in kinds]
    with fresh_store() as folder:
        path = folder / "lsoa.csv"
        lines = write_rows(path, MPS_HEADER, drawn)
        summary = run(lambda: load_mps(paths=[path]))
        assert summary is not None
        assert [r.line for r in summary.rejected] == [line for line, v in zip(lines, kinds, strict=True) if not v]
        assert summary.rows == len(drawn) and summary.loaded == sum(kinds)
        # Independently: pandas sums the month columns of the valid rows.
        valid = pd.DataFrame([r for r, v in zip(drawn, kinds, strict=True) if v], columns=MPS_HEADER, dtype=str)
        if all(kinds) and drawn:
            valid = pandas_frame(path)
        expected = int(valid[MPS_MONTHS].replace("", "0").astype(int).to_numpy().sum()) if len(valid) else 0
        with store.connect() as con:
            assert store.scalar(con, "SELECT coalesce(sum(n), 0) FROM facts WHERE source = 'mps_lsoa'") == expected


MPS_KNOWN = ["LSOA Code", "LSOA Name", "Borough", "Major Category", "Minor Category"]


@PROPERTY
@given(extra=FREE | JUNK, position=st.integers(0, 6), shuffle=st.randoms(use_true_random=False))
def test_mps_unknown_columns_are_refused_by_name_and_known_ones_load_in_any_order(extra, position, shuffle):
    known = [*MPS_KNOWN, *MPS_MONTHS]
    header = [shuffle.choice([c, c.upper(), c.lower()]) for c in known]
    shuffle.shuffle(header)
    normal = extra.strip().lower().replace(" ", "_")
    is_known = normal in {c.lower().replace(" ", "_") for c in known} | {
        "majortext",
        "major_text",
        "minortext",
        "minor_text",
        "wardcode",
        "ward_code",
        "wardname",
        "ward_name",
        "lookup_boroughname",
        "lookup_borough_name",
        "boroughname",
        "borough_name",
        "lsoa_code",
        "lsoa_name",
    } or (len(normal) == 6 and normal.isascii() and normal.isdigit())
    with_extra = header[:position] + [extra] + header[position:]
    row = {
        "lsoa code": "E01000001",
        "lsoa name": "A",
        "borough": "E09000016",
        "major category": "ROBBERY",
        "minor category": "ALL",
        "202301": "1",
        "202302": "2",
        "202303": "3",
    }
    with fresh_store() as folder:
        plain = folder / "plain.csv"
        write_rows(plain, header, [[row[c.lower()] for c in header]])
        summary = run(lambda: load_mps(paths=[plain]))
        assert summary is not None and summary.loaded == 1 and summary.rejected == []
        if is_known:
            return
        hostile = folder / "hostile.csv"
        write_rows(hostile, with_extra, [["1"] * len(with_extra)])
        summary = run(lambda: load_mps(paths=[hostile]))
        assert summary is not None and summary.loaded == 0
        assert [r.line for r in summary.rejected] == [1]
        assert f"unknown column {position + 1} {repr(extra)[:40]}" in summary.rejected[0].reason


# --- Indices of Deprivation -----------------------------------------------------------------------

IMD_HEADER = ["lsoa21_code", "IMD_score", "IMD_rank", "IMD_decile", "Income_score"]
NUMBER = st.floats(-1e6, 1e6, allow_nan=False).map(lambda f: f"{f:.3f}") | st.sampled_from(["", "NA"])


@PROPERTY
@given(
    codes=st.lists(st.integers(0, 40), max_size=25),
    hostile=st.lists(st.sampled_from(["value", "code", "width"]), max_size=8),
    data=st.data(),
)
def test_imd_valid_rows_load_and_hostile_rows_are_rejected(codes, hostile, data):
    rows, kinds = [], []
    for code in codes:  # repeated codes: the first is kept, the later ones are rejected
        rows.append([f"E01{code:06d}", *[data.draw(NUMBER) for _ in IMD_HEADER[1:]]])
        kinds.append(f"E01{code:06d}" not in {r[0] for r in rows[:-1]})
    for kind in hostile:
        at = data.draw(st.integers(0, len(rows)))
        if kind == "value":
            row = [f"E01{900000 + at:06d}", data.draw(JUNK), "1", "1", "0.1"]
        elif kind == "code":
            row = [data.draw(st.sampled_from(["", "E0100000", "X01000001"]) | JUNK), "1", "1", "1", "0.1"]
        else:
            row = data.draw(wrong_width(len(IMD_HEADER)))
        if kind == "value" and row[0] in {r[0] for r in rows}:
            continue
        rows.insert(at, row)
        kinds.insert(at, False)
    with fresh_store() as folder:
        path = folder / "imd.csv"
        lines = write_rows(path, IMD_HEADER, rows)
        summary = run(lambda: load_imd(paths=[path]))
        assert summary is not None
        if not rows:
            assert [(r.line, r.reason) for r in summary.rejected] == [(1, "The file has a header but no rows")]
            return
        assert [r.line for r in summary.rejected] == [line for line, ok in zip(lines, kinds, strict=True) if not ok]
        assert summary.rows == len(rows) and summary.loaded == sum(kinds)
        # Independently: pandas reads the file; the first row of each LSOA is kept, with its scores.
        frame = pd.DataFrame([r for r, ok in zip(rows, kinds, strict=True) if ok], columns=IMD_HEADER, dtype=str)
        expected = pd.to_numeric(frame["IMD_score"].replace("NA", ""), errors="coerce").sum()
        with store.connect() as con:
            assert store.scalar(con, "SELECT count(DISTINCT lsoa_code) FROM imd") == sum(kinds)
            stored = store.scalar(con, "SELECT coalesce(sum(score), 0) FROM imd WHERE indicator = 'IMD'")
        assert abs(stored - expected) < 1e-6 * max(1.0, abs(expected))


@PROPERTY
@given(header=st.lists(FREE | JUNK, min_size=1, max_size=6))
def test_imd_hostile_headers_are_refused_or_load_nothing_else(header):
    with fresh_store() as folder:
        path = folder / "imd.csv"
        write_rows(path, header, [["E01000001"] * len(header)])
        summary = run(lambda: load_imd(paths=[path]))
        assert summary is not None
        known = {"lsoa21_code", "lsoa11_code", "lsoa_code", "lsoa21_name", "lsoa11_name", "lsoa_name"}
        if not all(
            h.strip().lower() in known or h.strip().lower().endswith(("_score", "_rank", "_decile")) for h in header
        ):
            assert summary.loaded == 0 and [r.line for r in summary.rejected] == [1]
            assert summary.rejected[0].reason.startswith("Not an IMD file")


# --- ISTV -----------------------------------------------------------------------------------------

ISTV_HEADER = [
    "Site code",
    "Reporting period",
    "Arrival date",
    "Arrival time",
    "Assault date",
    "Assault time",
    "Assault method",
    "Assault location type",
    "Assault location description",
    "LSOA code",
]
# Descriptions may hold anything, line breaks included (ISTV lines are counted with Python's CSV reader).
DESCRIPTION = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=20)


@st.composite
def istv_valid(draw) -> list[str]:
    arrival = draw(st.datetimes(dt.datetime(2024, 1, 1), dt.datetime(2024, 12, 31, 23, 59)))
    assault = arrival - draw(st.timedeltas(dt.timedelta(0), dt.timedelta(days=3)))
    same_day = assault.date() == arrival.date()
    date_format = draw(st.sampled_from(["%Y-%m-%d", "%d/%m/%Y"]))
    with_times = draw(st.booleans())
    method = draw(st.sampled_from(["", *METHODS]))
    return [
        draw(st.sampled_from([*LONDON_AE_SITES, "ZZ999", "rj122"])),
        f"{arrival:%Y-%m}",
        arrival.strftime(date_format),
        f"{arrival:%H:%M}" if with_times else "",
        assault.strftime(date_format) if draw(st.booleans()) or not same_day else "",
        f"{assault:%H:%M}" if with_times else "",
        draw(st.sampled_from([method, method.upper(), method.lower()])),
        draw(st.sampled_from(["", *LOCATION_TYPES])),
        draw(DESCRIPTION),
        draw(st.just("") | LSOA),
    ]


@st.composite
def istv_hostile(draw) -> list[str]:
    if draw(st.integers(0, 5)) == 0:
        return draw(wrong_width(len(ISTV_HEADER)))
    row = draw(istv_valid())
    field = draw(st.sampled_from([0, 1, 2, 3, 6, 7, 9]))
    if field == 0:
        row[0] = draw(st.just("") | st.sampled_from(["AB", "ABCDEF", "A-B"]))
    elif field == 6:
        row[6] = draw(JUNK)
    elif field == 9:
        row[9] = draw(st.sampled_from(["E0212345", "X01234567", "E01"]))
    elif field == 2:
        row[2] = draw(st.just("") | JUNK | st.sampled_from(["2024-13-45", "31/02/2024"]))
    else:
        row[field] = draw(JUNK)
    return row


@PROPERTY
@given(kinds=st.lists(st.booleans(), max_size=25), data=st.data())
def test_istv_counts_match_pandas_and_hostile_rows_are_rejected(kinds, data):
    drawn = [data.draw(istv_valid() if valid else istv_hostile()) for valid in kinds]
    with fresh_store() as folder:
        path = folder / "istv.csv"
        lines = write_rows(path, ISTV_HEADER, drawn)
        summary = run(lambda: load_istv(paths=[path]))
        assert summary is not None
        if not drawn:
            assert summary.rows == 0 and summary.rejected == []
            return
        assert [r.line for r in summary.rejected] == [line for line, v in zip(lines, kinds, strict=True) if not v]
        assert summary.rows == len(drawn) and summary.loaded == sum(kinds)
        # Independently: pandas counts attendances by site and month over the valid rows.
        frame = pd.DataFrame([r for r, v in zip(drawn, kinds, strict=True) if v], columns=ISTV_HEADER, dtype=str)
        if all(kinds):
            frame = pandas_frame(path)
        expected = (
            {
                (site.upper(), period): int(n)
                for (site, period), n in frame.groupby(["Site code", "Reporting period"]).size().items()
            }
            if len(frame)
            else {}
        )
        with store.connect() as con:
            stored = {
                (r["area_code"], r["month"].strftime("%Y-%m")): int(r["n"])
                for r in store.rows(
                    con, "SELECT area_code, month, sum(n) AS n FROM facts WHERE source = 'istv' GROUP BY ALL"
                )
            }
        assert stored == {k: v for k, v in _merge_case(expected).items()}


def _merge_case(counts: dict[tuple[str, str], int]) -> dict[tuple[str, str], int]:
    merged: dict[tuple[str, str], int] = {}
    for key, n in counts.items():
        merged[key] = merged.get(key, 0) + n
    return merged


@PROPERTY
@given(content=st.binary(max_size=300), loader=st.sampled_from(["police_uk", "mps", "imd", "istv"]))
def test_any_bytes_at_all_are_a_summary_or_a_load_error(content, loader):
    functions = {"police_uk": load_police_uk, "mps": load_mps, "imd": load_imd, "istv": load_istv}
    with fresh_store() as folder:
        path = folder / ("2023-01-x-street.csv" if loader == "police_uk" else "file.csv")
        path.write_bytes(content)
        summary = run(lambda: functions[loader](paths=[path]))
        if summary is not None:
            assert summary.loaded == 0 or summary.rows > 0
            assert all(r.line >= 1 and r.reason for r in summary.rejected)
