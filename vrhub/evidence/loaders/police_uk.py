# ruff: noqa: S608 - SQL text here is built from this module's constants only; file paths and values are parameters.
"""data.police.uk street-level crime CSVs, in their exact public format.

Set-based in DuckDB: one typed ``read_csv`` of every file (structural and type errors go to DuckDB's
own rejects table with their line), SQL predicates for the rest of the validation, de-duplication
on Crime ID, and the kept rows themselves with their coordinates (``police_points``, for street-level
hotspot maps). The monthly counts by force, LSOA and crime type are the view ``police_facts`` over
them: one copy of the data, so counts and points cannot disagree.
Rows without a location are kept and counted as unlocated; they count towards their force's totals
and are in ``police_points`` without coordinates (counted, never placed).

The Crime-ID rule (deterministic whatever the order of the files, the loads or the threads):

* A row without a Crime ID (anti-social behaviour) is one incident: never de-duplicated (loading the
  same file twice is stopped by its fingerprint instead).
* Rows sharing a Crime ID, in one file, several files or several loads, are one crime. The row kept
  is the first by: the earliest month (a crime counts in the month it was first published); then a
  row with a settled outcome (any "Last outcome category" other than empty, "Status update
  unavailable" or "Under investigation") before one without; then the file's name (not its folder);
  then the row's own values (crime type, LSOA code, longitude, latitude, then the force it falls
  within: "Falls within" can differ between two copies of a row), so identical rows are one crime and
  neither the line a row is on nor the order of the files matters. Among rows equal on all of these
  (equal in everything stored) the one loaded earlier stays.
* Values are taken exactly as published: a crime type or force with a stray space ("Robbery ") is
  rejected with its file and line, never trimmed.
* Reject lines are file lines: a quoted value with a line break makes its row span two lines.
* When a later load brings a row that wins over one kept by an earlier load, the earlier row is taken
  out of ``police_points`` (and so out of the counts) and the new row is counted: totals never count a
  crime twice and end the same whichever load came first. (Crime IDs in
  the legacy ``crime_ids`` table, from loads before ``police_points`` existed, are never replaced.)
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from vrhub.evidence import store
from vrhub.evidence.loaders import (
    LoadSummary,
    Progress,
    Reject,
    expand_paths,
    fingerprint,
    load_session,
    physical_lines,
    read_header,
    report,
    shown,
)

HEADER = [
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Crime type",
    "Last outcome category",
    "Context",
]
CRIME_TYPES = store.POLICE_CRIME_TYPES

FORCE_NAMES = [*store.POLICE_FORCES, *store.OTHER_POLICE_UK_FORCES]


def _enum(values: list[str]) -> str:
    return "ENUM(" + ", ".join(store.sql_str(v) for v in values) + ")"


# Typed columns: DuckDB rejects (with the line) a month that is not YYYY-MM, a coordinate that is not
# a number, and a crime type or force that data.police.uk does not publish. ENUMs also make the
# grouping fast.
COLUMN_TYPES = {name: "VARCHAR" for name in HEADER} | {
    "Month": "DATE",
    "Longitude": "DOUBLE",
    "Latitude": "DOUBLE",
    "Crime type": _enum(CRIME_TYPES),
    "Falls within": _enum(FORCE_NAMES),
}

# data.police.uk's first month; a month after the current one is not one either (rows, generate_police_uk).
FIRST_MONTH = dt.date(2010, 12, 1)

# One reason per rejected row: the first predicate it fails.
REASON_SQL = f"""
CASE
    WHEN "Month" IS NULL THEN 'Month is missing'
    WHEN "Month" < DATE '{FIRST_MONTH:%Y-%m-%d}' OR "Month" > current_date
        THEN 'Month: ' || strftime("Month", '%Y-%m') || ' is not a data.police.uk month (YYYY-MM, December 2010 on)'
    WHEN "Falls within" IS NULL THEN 'Falls within (the police force) is missing'
    WHEN "Crime type" IS NULL THEN 'Crime type is missing'
    WHEN ("Longitude" IS NULL) <> ("Latitude" IS NULL) THEN 'Only one of Longitude and Latitude is given'
    WHEN "Longitude" NOT BETWEEN -8.7 AND 2.1 OR "Latitude" NOT BETWEEN 49.8 AND 61.0
        THEN 'Longitude/Latitude outside Great Britain'
    WHEN "LSOA code" IS NOT NULL AND NOT (length("LSOA code") = 9
        AND (starts_with("LSOA code", 'E01') OR starts_with("LSOA code", 'W01')))
        THEN 'LSOA code is not an LSOA code (E01… or W01…)'
END
"""


def _check_header(path: Path) -> str | None:
    """None if the header is exactly data.police.uk's, else the reason, naming the first wrong column."""
    first = read_header(path)
    if isinstance(first, str):
        return first
    found = [c.strip() for c in first]
    if found == HEADER:
        return None
    expected = "the header must be " + ",".join(HEADER)
    for number, (got, want) in enumerate(zip(found, HEADER, strict=False), start=1):
        if got != want:
            return f"Not a data.police.uk street-level file: column {number} is {shown(got)}, not {want!r}; {expected}"
    if len(found) > len(HEADER):
        return (
            f"Not a data.police.uk street-level file: unknown column {shown(found[len(HEADER)])} "
            f"after {HEADER[-1]!r}; {expected}"
        )
    return f"Not a data.police.uk street-level file: column {HEADER[len(found)]!r} is missing; {expected}"


def _reason(error: dict) -> str:
    """A readable reason for a row DuckDB's CSV reader rejected.

    DuckDB's CAST message can name the wrong column (projection pushdown) and shortens an ENUM to
    ``'ENUM'``, so a CAST error is told apart by its type, and an ENUM error by reading the rejected
    line itself (``csv_line``) and checking its "Falls within" and "Crime type" values. Values are
    compared exactly as published: "Robbery " (a trailing space) is not "Robbery" and is rejected.
    """
    message = error["error_message"] or ""
    if error["error_type"] == "CAST":
        value = re.search(r'string "(.*?)" to', message, re.DOTALL)
        shown = repr(value.group(1)) if value else "the value"
        if "DATE" in message:
            return f"Month: {shown} is not a month (YYYY-MM)"
        if "DOUBLE" in message:
            return f"Longitude/Latitude: {shown} is not a number"
        if "ENUM" in message:
            fields = next(csv.reader(io.StringIO(error.get("csv_line") or "")), [])
            if len(fields) == len(HEADER):
                force, crime_type = fields[HEADER.index("Falls within")], fields[HEADER.index("Crime type")]
                if force and force not in FORCE_NAMES:
                    return f"Falls within: {force!r} is not a data.police.uk police force (Falls within)"
                if crime_type and crime_type not in CRIME_TYPES:
                    return f"Crime type: {crime_type!r} is not a data.police.uk crime type"
            if "ENUM('Metropolitan Police Service'" in message:
                return f"Falls within: {shown} is not a data.police.uk police force (Falls within)"
            return f"Crime type: {shown} is not a data.police.uk crime type"
    prefix = f"{error['column_name']}: " if error["column_name"] and error["error_type"] != "CAST" else ""
    return f"{error['error_type'].capitalize()}: {prefix}{message}"


def _record_lines(path: Path) -> list[int]:
    """The file line each data record starts on (index 0: the first record after the header).

    A quoted value can hold a line break, so records and lines are not the same count.
    """
    starts: list[int] = []
    with path.open(newline="", encoding="utf-8-sig", errors="replace") as fh:
        reader = csv.reader(fh)
        previous = 0
        for number, row in enumerate(reader):
            if number and row:
                starts.append(previous + 1)
            previous = reader.line_num
    return starts


def _true_line(index: int, structural_lines: list[int]) -> int:
    """The file line of the ``index``-th (0-based) row DuckDB returned, skipping rows it rejected."""
    line = index + 2  # line 1 is the header
    for rejected in structural_lines:
        if rejected <= line:
            line += 1
        else:
            break
    return line


SYNTHETIC_NAME = "-synthetic-"  # in the name of every file generate_police_uk writes


def is_synthetic_file(path: Path) -> bool:
    """A file written by generate_police_uk (its name says so): loaded as synthetic even without --synthetic."""
    return SYNTHETIC_NAME in path.name


def load_police_uk(
    *, paths: list[str | Path], progress: Progress | None = None, wait: float | None = None, synthetic: bool = False
) -> LoadSummary:
    """Load street-level files (or folders of them, as in the monthly archive) into the store.

    ``synthetic``: the files are synthetic (not real crimes), recorded so on their loads (``loads.synthetic``),
    so that every figure counted from them says so; files named ``…-synthetic-street.csv`` always are."""
    files = expand_paths(paths, pattern="*-street.csv")
    summary = LoadSummary(files=len(files))
    report(progress, f"Checking {len(files)} files", 0.0)
    candidates: list[Path] = []
    for path in files:
        problem = _check_header(path) if path.is_file() else "No such file"
        if problem:
            summary.rejected.append(Reject(file=str(path), line=1, reason=problem))
        else:
            candidates.append(path)
    with ThreadPoolExecutor(max_workers=2) as pool:
        prints = list(pool.map(fingerprint, candidates))
    # Unordered: nothing below relies on the order rows come in (the Crime-ID rule orders by values;
    # rows that fail a check are numbered in their file by ``_predicate_rejects``'s own ordered reader).
    with load_session(kind="police.uk", files=candidates, progress=progress, wait=wait, ordered=False) as con:
        seen = {
            r["fingerprint"] for r in store.rows(con, "SELECT DISTINCT fingerprint FROM loads WHERE kind = 'police_uk'")
        }
        todo = [(p, f) for p, f in zip(candidates, prints, strict=True) if f not in seen]
        for path, print_ in zip(candidates, prints, strict=True):
            if print_ in seen:
                summary.already_loaded.append(str(path))
        if summary.already_loaded:
            summary.notes.append("Files already loaded were skipped: loading them again changes nothing.")
        # The same file named twice in one call is read once.
        unique: dict[str, Path] = {}
        for path, print_ in todo:
            unique.setdefault(print_, path)
        if not unique:
            if summary.rejected:
                with store.transaction(con):
                    _store_rejects(con, store.scalar(con, "SELECT nextval('batch_seq')"), summary)
            report(progress, "Nothing new to load", 1.0)
            return summary
        todo_paths = list(unique.values())
        todo_prints = list(unique.keys())
        _load(con, todo_paths, todo_prints, summary, progress, synthetic)
    report(progress, "Done", 1.0)
    return summary


def _store_rejects(con, batch: int, summary: LoadSummary) -> None:
    if summary.rejected:
        con.executemany(
            "INSERT INTO rejects VALUES (?, 'police_uk', ?, ?, ?)",
            [(batch, j.file, j.line, j.reason) for j in summary.rejected],
        )


def _read_csv(rejects: str) -> str:
    """The typed read of ``$files`` (a list parameter) with columns ``$columns``; ``rejects`` is a constant."""
    return (
        "read_csv($files, header = true, columns = $columns, dateformat = '%Y-%m', delim = ',', quote = '\"', "
        f"escape = '\"', encoding = 'utf-8', store_rejects = true, rejects_table = '{rejects}', "
        f"rejects_scan = '{rejects}_scan')"
    )


def _predicate_rejects(paths: list[Path], files: list[int], by_file: dict[int, list[int]]) -> list[Reject]:
    """Lines of the rows that failed a predicate: read only those files again, in order.

    ``row_number() OVER ()`` follows the scan order (in ``store.file_reader``, which keeps insertion
    order; the load session does not), so with each file's first row it gives every row its place in
    its file; the rows DuckDB itself rejected are skipped in both reads, and their lines (known) are
    added back.
    """
    subset = [str(paths[i]) for i in files]
    with store.file_reader(files=subset) as con:
        found = store.rows(
            con,
            f"""
            WITH numbered AS (
                SELECT file_index AS fi, row_number() OVER () AS rn, {REASON_SQL} AS reason
                FROM {_read_csv("csv_rejects_again")}
            )
            SELECT n.fi, n.rn - f.first_rn AS idx, n.reason
            FROM numbered n JOIN (SELECT fi, min(rn) AS first_rn FROM numbered GROUP BY fi) f USING (fi)
            WHERE n.reason IS NOT NULL ORDER BY n.fi, idx
            """,
            {"files": subset, "columns": COLUMN_TYPES},
        )
    lines: dict[int, list[int]] = {}
    rejects = []
    for r in found:
        fi = files[int(r["fi"])]
        record = _true_line(int(r["idx"]), by_file.get(fi, []))  # DuckDB's count: one line per record
        starts = lines.setdefault(fi, _record_lines(paths[fi]))
        line = starts[record - 2] if 0 <= record - 2 < len(starts) else record
        rejects.append(Reject(file=str(paths[fi]), line=line, reason=r["reason"]))
    return rejects


# Outcomes that say nothing settled yet: a row with any other outcome wins a Crime-ID tie.
UNSETTLED_OUTCOMES = ["Status update unavailable", "Under investigation"]

# The Crime-ID rule's order (see the module docstring): the first by this key is kept. ``src`` is 0
# for a row kept by an earlier load, 1 for this load's rows, so an equal row never replaces an old one.
RULE_KEY = (
    "struct_pack(month, unsettled, file, crime_type := crime_type::VARCHAR, lsoa_code, lon, lat, "
    "force := force_name::VARCHAR, src, fi)"
)


def _load(
    con, paths: list[Path], prints: list[str], summary: LoadSummary, progress: Progress | None, synthetic: bool
) -> None:
    report(progress, f"Reading {len(paths)} files", 0.05)
    # One parallel, typed scan of every file. Crime IDs are kept as their 128-bit MD5 (exact
    # enough: a collision among billions of IDs is vanishingly unlikely) to save memory.
    con.execute(
        f"""
        CREATE TEMP TABLE stg AS
        SELECT file_index AS fi,
               CASE WHEN "Crime ID" IS NOT NULL THEN md5_number("Crime ID") END AS hid,
               "Month" AS month,
               "Falls within" AS force_name,
               "LSOA code" AS lsoa_code,
               "LSOA name" AS lsoa_name,
               "Crime type" AS crime_type,
               "Longitude" AS lon,
               "Latitude" AS lat,
               coalesce(list_contains($unsettled, "Last outcome category"), true) AS unsettled,
               {REASON_SQL} AS reason
        FROM {_read_csv("csv_rejects")}
        """,
        {"files": [str(p) for p in paths], "columns": COLUMN_TYPES, "unsettled": UNSETTLED_OUTCOMES},
    )
    report(progress, "Validating", 0.45)
    structural = store.rows(
        con,
        """
        SELECT file_id AS fi, line, min(line_byte_position) AS line_byte_position,
               arg_min(error_type::VARCHAR, column_idx) AS error_type, arg_min(column_name, column_idx) AS column_name,
               arg_min(error_message, column_idx) AS error_message, arg_min(csv_line, column_idx) AS csv_line
        FROM csv_rejects GROUP BY file_id, line ORDER BY file_id, line
        """,
    )
    # DuckDB's "line" counts records (a quoted line break is not counted); the line's byte position
    # gives the file line. ``by_file`` keeps DuckDB's record numbers, to number the predicate rejects.
    by_file: dict[int, list[int]] = {}
    positions: dict[int, list[int]] = {}
    for r in structural:
        fi = int(r["fi"])
        by_file.setdefault(fi, []).append(int(r["line"]))
        if r["line_byte_position"] is not None:
            positions.setdefault(fi, []).append(int(r["line_byte_position"]))
    lines = {fi: physical_lines(paths[fi], found) for fi, found in positions.items()}
    for r in structural:
        fi = int(r["fi"])
        line = int(r["line"])
        if r["line_byte_position"] is not None:
            line = lines[fi][int(r["line_byte_position"])]
        summary.rejected.append(Reject(file=str(paths[fi]), line=line, reason=_reason(r)))
    bad_files = [
        int(r["fi"]) for r in store.rows(con, "SELECT DISTINCT fi FROM stg WHERE reason IS NOT NULL ORDER BY fi")
    ]
    if bad_files:
        summary.rejected.extend(_predicate_rejects(paths, bad_files, by_file))
    summary.rejected.sort(key=lambda j: (j.file, j.line))
    report(progress, "De-duplicating on Crime ID", 0.6)
    con.execute(
        "CREATE TEMP TABLE files AS SELECT unnest($fis) AS fi, unnest($names) AS file",
        {"fis": list(range(len(paths))), "names": [p.name for p in paths]},
    )
    # Crime IDs this load shares with an earlier one (kept points, or the legacy crime_ids table).
    con.execute(
        """
        CREATE TEMP TABLE old AS
        SELECT p.batch_id, p.hid, p.month, p.force_name, p.lsoa_code, p.crime_type, p.lon, p.lat, p.unsettled, p.file
        FROM police_points p SEMI JOIN stg s ON s.hid = p.hid WHERE p.hid IS NOT NULL
        """
    )
    con.execute(
        """
        CREATE TEMP TABLE legacy AS
        SELECT DISTINCT c.hid FROM crime_ids c SEMI JOIN stg s ON s.hid = c.hid ANTI JOIN old o ON o.hid = c.hid
        """
    )
    # Crime IDs contested: seen more than once in this load, or loaded before.
    con.execute(
        """
        CREATE TEMP TABLE contested AS
        SELECT hid FROM stg WHERE reason IS NULL AND hid IS NOT NULL GROUP BY hid HAVING count(*) > 1
        UNION SELECT hid FROM old UNION SELECT hid FROM legacy
        """
    )
    # Each contested Crime ID's winner by the rule (a NULL fi: an earlier load's row stays).
    con.execute(
        f"""
        CREATE TEMP TABLE winners AS
        SELECT hid, arg_min(struct_pack(fi, month, force_name, lsoa_code, crime_type, lon, lat, unsettled), {RULE_KEY})
                   AS keep
        FROM (
            SELECT s.hid, s.fi, s.month, s.force_name, s.lsoa_code, s.crime_type, s.lon, s.lat, s.unsettled,
                   f.file, 1 AS src
            FROM stg s SEMI JOIN contested c ON c.hid = s.hid JOIN files f ON f.fi = s.fi
            WHERE s.reason IS NULL
            UNION ALL
            SELECT hid, NULL, month, force_name, lsoa_code, crime_type, lon, lat, unsettled, file, 0 FROM old
        ) GROUP BY hid
        HAVING hid NOT IN (SELECT hid FROM legacy)
        """
    )
    con.execute(
        """
        CREATE TEMP VIEW kept AS
        SELECT fi, month, force_name, lsoa_code, crime_type, hid, lon, lat, unsettled
        FROM stg s ANTI JOIN contested c ON c.hid = s.hid
        WHERE s.reason IS NULL
        UNION ALL
        SELECT keep.fi, keep.month, keep.force_name, keep.lsoa_code, keep.crime_type, hid, keep.lon, keep.lat,
               keep.unsettled
        FROM winners WHERE keep.fi IS NOT NULL
        """
    )
    # Rows kept by earlier loads that this load's rows win over: taken out.
    con.execute(
        """
        CREATE TEMP TABLE replaced AS
        SELECT o.batch_id, o.hid, o.month, o.force_name, o.lsoa_code, o.crime_type
        FROM old o JOIN winners w ON w.hid = o.hid WHERE w.keep.fi IS NOT NULL
        """
    )
    report(progress, "Aggregating", 0.75)
    # Force codes by force name, joined on the ENUM itself (no text per row).
    con.execute(
        f"CREATE TEMP TABLE fcodes AS SELECT unnest($names)::{_enum(FORCE_NAMES)} AS name, unnest($codes) AS code",
        {"names": list(store.POLICE_FORCES), "codes": list(store.POLICE_FORCES.values())},
    )
    con.execute(
        """
        CREATE TEMP TABLE names AS
        SELECT lsoa_code, min(lsoa_name) AS lsoa_name FROM stg WHERE lsoa_code IS NOT NULL GROUP BY lsoa_code
        """
    )
    per_file = {
        int(r["fi"]): r
        for r in store.rows(
            con,
            """
            SELECT s.fi, s.rows, s.valid, coalesce(k.loaded, 0) AS loaded, coalesce(k.unlocated, 0) AS unlocated
            FROM (SELECT fi, count(*) AS rows, count(*) FILTER (WHERE reason IS NULL) AS valid FROM stg GROUP BY fi) s
            LEFT JOIN (
                SELECT fi, count(*) AS loaded, count(*) FILTER (WHERE lsoa_code IS NULL) AS unlocated
                FROM kept GROUP BY fi
            ) k USING (fi)
            """,
        )
    }
    replaced = int(store.scalar(con, "SELECT count(*) FROM replaced"))
    if replaced:
        summary.notes.append(
            f"{replaced:,} crimes loaded before are now counted from this load's rows instead (same Crime ID, "
            "an earlier month or a settled outcome): totals do not change by them."
        )
    report(progress, "Storing", 0.85)
    rejects_by_file: dict[str, int] = {}
    for j in summary.rejected:
        rejects_by_file[j.file] = rejects_by_file.get(j.file, 0) + 1
    load_rows = []
    for fi, (path, print_) in enumerate(zip(paths, prints, strict=True)):
        stats = per_file.get(fi, {"rows": 0, "valid": 0, "loaded": 0, "unlocated": 0})
        rows = int(stats["rows"]) + len(by_file.get(fi, []))
        loaded, valid, unlocated = int(stats["loaded"]), int(stats["valid"]), int(stats["unlocated"])
        fake = synthetic or is_synthetic_file(path)
        load_rows.append(
            (str(path), print_, rows, loaded, valid - loaded, unlocated, rejects_by_file.get(str(path), 0), fake)
        )
        if fake:
            summary.synthetic = (summary.synthetic or 0) + loaded
        summary.rows += rows
        summary.loaded += loaded
        summary.duplicates += valid - loaded
        summary.unlocated += unlocated
    if summary.synthetic:
        summary.notes.append(f"Synthetic data: {summary.synthetic} crimes loaded are synthetic (not real crimes).")
    with store.transaction(con):
        batch = store.scalar(con, "SELECT nextval('batch_seq')")
        if replaced:  # the counts (the police_facts view) follow the points
            con.execute("DELETE FROM police_points p USING replaced r WHERE p.hid = r.hid AND p.batch_id = r.batch_id")
        con.execute(
            """
            INSERT INTO police_points
            SELECT $batch, k.hid, k.month, f.code, k.force_name, k.lsoa_code, k.crime_type,
                   k.lon, k.lat, k.unsettled, n.file
            FROM kept k JOIN files n ON n.fi = k.fi LEFT JOIN fcodes f ON f.name = k.force_name
            """,
            {"batch": batch},
        )
        con.execute(
            """
            INSERT INTO lsoa_names
            SELECT lsoa_code, lsoa_name, regexp_extract(lsoa_name, '^(.*) [0-9]{3}[A-Z]$', 1)
            FROM names ANTI JOIN lsoa_names USING (lsoa_code)
            """
        )
        con.execute(
            "CREATE OR REPLACE TEMP TABLE new_loads (file VARCHAR, fingerprint VARCHAR, rows BIGINT, loaded BIGINT, "
            "duplicates BIGINT, unlocated BIGINT, rejected BIGINT, synthetic BOOLEAN)"
        )
        con.executemany("INSERT INTO new_loads VALUES (?, ?, ?, ?, ?, ?, ?, ?)", load_rows)
        con.execute(
            "INSERT INTO loads SELECT $b, 'police_uk', file, fingerprint, now(), rows, loaded, duplicates, "
            "unlocated, rejected, synthetic FROM new_loads",
            {"b": batch},
        )
        _store_rejects(con, batch, summary)
    con.execute("DROP VIEW IF EXISTS kept")
    for name in (
        "stg", "files", "old", "legacy", "contested", "winners", "replaced", "fcodes", "names", "new_loads",
        "csv_rejects", "csv_rejects_scan",
    ):  # fmt: skip
        con.execute(f"DROP TABLE IF EXISTS {name}")
