# ruff: noqa: S608 - SQL text here is built from this module's constants only; file paths and values are parameters.
"""The MPS homicide and VAWG files (London Datastore), loaded by ``load_mps`` beside the recorded-crime files.

* **Homicide** (``homicide.parquet``): one row per person proceeded against (the accused) for a homicide,
  since 2003: ``count_of_ppa`` (always 1 as published), ``borough``, ``offence_type`` (Murder,
  Manslaughter, Corporate Manslaughter, Infanticide), ``charged_summonsed`` and ``proceedings_date``
  ("Jan-03"). Loaded as ``source='mps_homicide'``, ``category='Homicide'``, ``subcategory`` = the offence
  type, by borough and month of proceedings. The unit is **people proceeded against**, not offences.
  "Accused is Deceased" rows are kept under their own subcategory ("Murder (accused deceased)"), so the
  default series (the offence type alone) counts people charged or summonsed; "Recording Error" rows are
  not counted and are listed as rejects with their line. The person columns (gender, age group,
  ethnicity) are read past and never stored: only counts by borough, month and offence type are kept.
* **VAWG** (``vawg-offences.parquet``): offences the MPS flags as violence against women and girls, from
  two sheets that count the same offences two ways (their monthly totals are equal): "Offence count
  location" (by borough and ward, no offence type) and "Offence count classification" (by offence type,
  London only, no area). Only the location sheet is loaded (``source='mps_vawg'``, ``category='VAWG'``,
  ``subcategory='VAWG-flagged offences'``, by borough and recorded month): summing both would count every
  offence twice, and the classification sheet has no area. Its rows are counted and skipped, with a note.

Borough names are matched to ONS codes ignoring case, "&" / "and" and repeated spaces; a name that is not
a London borough ("Heathrow", "Other", "Unknown") is kept with no code and counted as unlocated: it counts
towards the Metropolitan Police's total, not any borough's.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import duckdb

from vrhub.evidence import store
from vrhub.evidence.loaders import LoadSummary, Reject, match_header

HOMICIDE = "homicide"
VAWG = "vawg"
# The known columns of each file (lower case, spaces as underscores) → the loader's role; None: read past.
COLUMNS: dict[str, dict[str, str | None]] = {
    HOMICIDE: {
        "count_of_ppa": "count",
        "borough": "borough",
        "offence_type": "offence",
        "charged_summonsed": "outcome",
        "proceedings_date": "month",
        "gender": None,
        "age_group": None,
        "self_classified_ethnicity": None,
    },
    VAWG: {
        "borough_name": "borough",
        "recorded_date_months": "month",
        "count": "count",
        "sheet": "sheet",
        "bcu_location": None,
        "ward_name_clean_2": None,
        "date_committed_from_date_months": None,
        "crimsec_group": None,
        "crimseccodeexpansion": None,
        "crimsec_offences": None,
        "vawg_offence": None,
    },
}
REQUIRED = {
    HOMICIDE: ["count", "borough", "offence", "outcome", "month"],
    VAWG: ["borough", "month", "count", "sheet"],
}
# A column only that file has: it tells the two apart from each other and from recorded crime.
SIGNATURE = {"count_of_ppa": HOMICIDE, "vawg_offence": VAWG, "recorded_date_months": VAWG}
NAMES = {HOMICIDE: "MPS homicide file", VAWG: "MPS VAWG file"}
# Size limits (the shipped files: 15 KB / 4,512 rows and 0.75 MB / 411,341 rows).
MAX_BYTES = 200 * 1024 * 1024
MAX_ROWS = {HOMICIDE: 500_000, VAWG: 10_000_000}
# A count over this in one row rejects the row (published rows are 1 for homicide, in the thousands at most
# for VAWG); with MAX_ROWS it also keeps every sum far inside BIGINT (10,000,000 rows x 1,000,000 < 2^63).
MAX_COUNT = 1_000_000
# A month before this rejects the row: the homicide series starts in 2003 and VAWG in 2014, and a
# two-digit year is read by DuckDB as 19YY for 69-99 ("Jan-69" is 1969) and 20YY for 00-68.
MIN_MONTH = dt.date(2000, 1, 1)
LOCATION_SHEET = "offence count location"
CLASSIFICATION_SHEET = "offence count classification"
VAWG_SUBCATEGORY = "VAWG-flagged offences"
WHOLE = r"-?[0-9]+(\.0+)?"
# A borough name as matched: lower case, "&" as "and", single spaces. Applied to a column named ``borough_text``.
BOROUGH_KEY = "trim(regexp_replace(replace(lower(trim(borough_text)), '&', ' and '), '\\s+', ' ', 'g'))"


def kind_of(columns: list[str]) -> str | None:
    """HOMICIDE or VAWG when the header has a column only that file has, else None."""
    for name in columns:
        kind = SIGNATURE.get(name.strip().lower().replace(" ", "_"))
        if kind:
            return kind
    return None


def layout(kind: str, columns: list[str]) -> dict[str, int] | str:
    """{role: column index} for the file's kind, or why it is refused (naming the column)."""
    return match_header(
        columns,
        known=COLUMNS[kind],
        required=REQUIRED[kind],
        refused=f"Not a recognised {NAMES[kind]}",
        normal=lambda name: name.strip().lower().replace(" ", "_"),
    )


def too_large(kind: str, path: Path) -> str | None:
    size = path.stat().st_size
    if size > MAX_BYTES:
        return f"The {NAMES[kind]} is {size:,} bytes, over the limit of {MAX_BYTES:,} bytes"
    return None


def load_one(
    con: duckdb.DuckDBPyConnection,
    *,
    kind: str,
    path: Path,
    print_: str,
    roles: dict[str, int],
    structural: list[tuple[int, str]],
    summary: LoadSummary,
) -> str | None:
    """Load ``mps_src`` (read by ``mps._read``) as the homicide or VAWG series.

    Returns why the file is refused whole (nothing written), or None once it is loaded.
    """
    rows = (store.scalar(con, "SELECT count(*) FROM mps_src") or 0) + len(structural)
    if not rows:
        return f"The {NAMES[kind]} has a header but no rows"
    if rows > MAX_ROWS[kind]:
        return f"The {NAMES[kind]} has {rows:,} rows, over the limit of {MAX_ROWS[kind]:,} rows"

    def col(role: str) -> str:
        return f"c{roles[role]}"

    count = f"""CASE WHEN regexp_full_match(trim({col("count")}), $whole)
                     THEN TRY_CAST(regexp_replace(trim({col("count")}), '\\.0+$', '') AS BIGINT) END"""
    if kind == HOMICIDE:
        checked = f"""
            SELECT line, month, borough_text, n, skip,
                   offence || CASE WHEN lower(outcome) = 'accused is deceased' THEN ' (accused deceased)' ELSE '' END
                       AS subcategory,
                   CASE
                       WHEN month IS NULL THEN 'proceedings_date is not a month (Mon-YY, as Jan-03): '
                                               || coalesce(nullif(left(raw_month, 40), ''), '(empty)')
                       WHEN month < $min_month
                           THEN 'proceedings_date ' || raw_month || ' is read as ' || strftime(month, '%b %Y')
                                || ', before ' || strftime($min_month, '%b %Y') || ', the earliest month accepted'
                       WHEN month > current_date THEN 'proceedings_date ' || raw_month || ' is in the future'
                       WHEN coalesce(offence, '') = '' THEN 'offence_type is missing'
                       WHEN NOT whole THEN 'count_of_ppa is not a whole number: '
                                           || coalesce(nullif(left(raw_n, 40), ''), '(empty)')
                       WHEN n < 0 OR (n IS NULL AND starts_with(trim(raw_n), '-')) THEN 'count_of_ppa is negative'
                       WHEN n IS NULL OR n > $max_count
                           THEN 'count_of_ppa ' || left(trim(raw_n), 40) || ' is over the limit of '
                                || format('{{:,}}', $max_count) || ' in one row'
                       WHEN lower(outcome) = 'recording error'
                           THEN 'charged_summonsed is "Recording Error": the MPS marks it an error, not counted'
                       WHEN lower(coalesce(outcome, '')) NOT IN ('charge or summons', 'accused is deceased')
                           THEN 'charged_summonsed is not "Charge or Summons" or "Accused is Deceased": '
                                || coalesce(nullif(left(outcome, 40), ''), '(empty)')
                   END AS reason
            FROM (
                SELECT line, TRY_STRPTIME(trim({col("month")}), '%b-%y')::DATE AS month,
                       trim({col("month")}) AS raw_month,
                       trim({col("borough")}) AS borough_text, trim({col("offence")}) AS offence,
                       trim({col("outcome")}) AS outcome, {count} AS n, {col("count")} AS raw_n,
                       coalesce(regexp_full_match(trim({col("count")}), $whole), false) AS whole, false AS skip
                FROM mps_src
            )
        """
    else:
        checked = f"""
            SELECT line, month, borough_text, n, skip, $vawg AS subcategory,
                   CASE
                       WHEN NOT skip AND lower(coalesce(sheet, '')) <> $location
                           THEN 'sheet is not "Offence count location" or "Offence count classification": '
                                || coalesce(nullif(left(sheet, 40), ''), '(empty)')
                       WHEN skip THEN NULL
                       WHEN month IS NULL THEN 'recorded_date_months is not a date: '
                                               || coalesce(nullif(left(raw_month, 40), ''), '(empty)')
                       WHEN day(month) <> 1 THEN 'recorded_date_months is not the first day of a month: ' || raw_month
                       WHEN month < $min_month
                           THEN 'recorded_date_months ' || raw_month || ' is before '
                                || strftime($min_month, '%b %Y') || ', the earliest month accepted'
                       WHEN month > current_date THEN 'recorded_date_months ' || raw_month || ' is in the future'
                       WHEN NOT whole THEN 'count is not a whole number: '
                                           || coalesce(nullif(left(raw_n, 40), ''), '(empty)')
                       WHEN n < 0 OR (n IS NULL AND starts_with(trim(raw_n), '-')) THEN 'count is negative'
                       WHEN n IS NULL OR n > $max_count
                           THEN 'count ' || left(trim(raw_n), 40) || ' is over the limit of '
                                || format('{{:,}}', $max_count) || ' in one row'
                   END AS reason
            FROM (
                SELECT line, coalesce(TRY_CAST(trim({col("month")}) AS DATE),
                                      TRY_CAST(TRY_CAST(trim({col("month")}) AS TIMESTAMP) AS DATE)) AS month,
                       trim({col("month")}) AS raw_month, trim({col("borough")}) AS borough_text,
                       trim({col("sheet")}) AS sheet, {count} AS n, {col("count")} AS raw_n,
                       coalesce(regexp_full_match(trim({col("count")}), $whole), false) AS whole,
                       lower(coalesce(trim({col("sheet")}), '')) = $classification AS skip
                FROM mps_src
            )
        """
    params: dict[str, Any] = {"whole": WHOLE, "max_count": MAX_COUNT, "min_month": MIN_MONTH}
    if kind == VAWG:
        params |= {"vawg": VAWG_SUBCATEGORY, "location": LOCATION_SHEET, "classification": CLASSIFICATION_SHEET}
    con.execute(f"CREATE OR REPLACE TEMP TABLE mx_checked AS {checked}", params)
    rejected_lines: dict[int, str] = dict(structural)
    for r in store.rows(con, "SELECT line, reason FROM mx_checked WHERE reason IS NOT NULL ORDER BY line"):
        rejected_lines.setdefault(int(r["line"]), r["reason"])
    skipped = store.scalar(con, "SELECT count(*) FROM mx_checked WHERE skip") or 0
    keys = [(_key(name), code, name) for code, name in store.LONDON_BOROUGHS.items()]
    source = f"mps_{kind}"
    category = "Homicide" if kind == HOMICIDE else "VAWG"
    with store.transaction(con):
        batch = store.scalar(con, "SELECT nextval('batch_seq')")
        con.execute(
            f"""
            CREATE OR REPLACE TEMP TABLE mx_new AS
            SELECT $batch AS batch_id, $source AS source, 'borough' AS level, c.month, $met AS force_code,
                   'Metropolitan Police Service' AS force_name, b.code AS borough_code,
                   coalesce(b.name, c.borough_text) AS borough_name, b.code AS area_code,
                   coalesce(b.name, c.borough_text) AS area_name, $category AS category, c.subcategory,
                   sum(c.n)::BIGINT AS n, CASE WHEN b.code IS NULL THEN sum(c.n) ELSE 0 END::BIGINT AS unlocated,
                   false AS synthetic
            FROM (SELECT *, {BOROUGH_KEY} AS key FROM mx_checked WHERE reason IS NULL AND NOT skip) c
            LEFT JOIN (SELECT unnest($keys) AS key, unnest($codes) AS code, unnest($names) AS name) b USING (key)
            WHERE c.n <> 0
            GROUP BY c.month, b.code, coalesce(b.name, c.borough_text), c.subcategory
            """,
            {
                "batch": batch,
                "source": source,
                "met": store.MET_CODE,
                "category": category,
                "keys": [k for k, _, _ in keys],
                "codes": [c for _, c, _ in keys],
                "names": [n for _, _, n in keys],
            },
        )
        # A later file replaces whole months of the same source (as the recorded-crime files do).
        months = "SELECT DISTINCT source, level, month FROM mx_new"
        replaced = store.scalar(
            con, f"SELECT count(*) FROM facts f SEMI JOIN ({months}) m USING (source, level, month)"
        )
        if replaced:
            con.execute(
                f"DELETE FROM facts f USING ({months}) m "
                "WHERE f.source = m.source AND f.level = m.level AND f.month = m.month"
            )
        con.execute("INSERT INTO facts SELECT * FROM mx_new")
        loaded = rows - len(rejected_lines) - skipped
        total = store.scalar(con, "SELECT coalesce(sum(n), 0) FROM mx_new") or 0
        unplaced = store.rows(
            con,
            "SELECT borough_name AS name, sum(n) AS n FROM mx_new WHERE borough_code IS NULL GROUP BY ALL ORDER BY ALL",
        )
        unlocated = (
            store.scalar(
                con,
                f"SELECT count(*) FROM mx_checked WHERE reason IS NULL AND NOT skip AND n <> 0 "
                f"AND NOT coalesce(list_contains($keys, {BOROUGH_KEY}), false)",
                {"keys": [k for k, _, _ in keys]},
            )
            or 0
        )
        con.execute(
            "INSERT INTO loads VALUES ($b, 'mps', $f, $p, now(), $r, $l, 0, $u, $j, false)",
            {"b": batch, "f": str(path), "p": print_, "r": rows, "l": loaded, "u": unlocated, "j": len(rejected_lines)},
        )
        if rejected_lines:
            con.executemany(
                "INSERT INTO rejects VALUES (?, 'mps', ?, ?, ?)",
                [(batch, str(path), line, reason) for line, reason in sorted(rejected_lines.items())],
            )
        span = store.rows(con, "SELECT min(month) AS first, max(month) AS last FROM mx_new")[0]
    summary.rows += rows
    summary.loaded += loaded
    summary.unlocated += unlocated
    summary.rejected.extend(Reject(file=str(path), line=line, reason=r) for line, r in sorted(rejected_lines.items()))
    period = f"{span['first']:%b %Y} to {span['last']:%b %Y}" if span["first"] else "no months"
    if kind == HOMICIDE:
        summary.notes.append(
            f"{path.name}: homicide, counted as people proceeded against (accused), not offences: {total:,} people, "
            f"{period}, by borough and month of proceedings (source: MPS, London Datastore). People whose accused "
            "is deceased are kept apart (subcategory '… (accused deceased)'); gender, age group and ethnicity are "
            "not stored."
        )
    else:
        summary.notes.append(
            f"{path.name}: VAWG-flagged offences (unit: offences), {total:,}, {period}, by borough and recorded month "
            f"(source: MPS, London Datastore). {skipped:,} rows of the sheet 'Offence count classification' were not "
            "loaded: they count the same offences by type, London-wide, and adding them would count each twice."
        )
    if unplaced:
        where = ", ".join(f"{r['name'] or '(no borough)'} {int(r['n']):,}" for r in unplaced)
        unit = "people" if kind == HOMICIDE else "offences"
        summary.notes.append(
            f"{path.name}: {sum(int(r['n']) for r in unplaced):,} {unit} ({unlocated:,} rows) not placed in a "
            f"London borough ({where}); they count towards the Metropolitan Police's totals only."
        )
    if replaced:
        summary.notes.append(
            f"{path.name}: replaced {replaced} counts for the same months loaded from an earlier file."
        )
    for table in ("mx_checked", "mx_new"):
        con.execute(f"DROP TABLE IF EXISTS {table}")
    return None


def _key(name: str) -> str:
    """A borough name as BOROUGH_KEY makes it (in Python, for the London list)."""
    return " ".join(name.lower().replace("&", " and ").split())
