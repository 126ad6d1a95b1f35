# ruff: noqa: S608 - SQL text here is built from this module's constants only; file paths and values are parameters.
"""The Metropolitan Police's London Datastore files.

* Recorded crime by LSOA, by ward and by borough: one row per area and offence (major/minor
  category), one column per month (``YYYYMM``). CSV as published, or Parquet.
* The monthly crime dashboard (long format): knife crime offences and positive outcomes, by
  borough and Safer Neighbourhood Team (ward).
* The homicide (people proceeded against) and VAWG files: told apart by their columns and loaded by
  ``mps_homicide_vawg`` (read its docstring).

Every row belongs to the Metropolitan Police (E23000001), so the force's totals include rows the
MPS could not place in a borough ("Unknown", "Aviation Security (SO18)"). A later file replaces the
same area, month and offence loaded from an earlier one (the historical and current files overlap
by a month), so nothing is counted twice.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

from vrhub.evidence import store
from vrhub.evidence.loaders import (
    LoadError,
    LoadSummary,
    Progress,
    Reject,
    expand_paths,
    files_to_load,
    load_session,
    match_header,
    mps_homicide_vawg,
    read_csv_text,
    read_header,
    report,
    shown,
    store_file_rejects,
)

# The known columns (compared lower case, spaces as underscores) and the role each plays. A file with
# any other column is refused, naming it; month columns are six digits, YYYYMM.
SYNONYMS = {
    "lsoa_code": "lsoa_code",
    "lsoa_name": "lsoa_name",
    "borough": "borough",
    "major_category": "major",
    "majortext": "major",
    "major_text": "major",
    "minor_category": "minor",
    "minortext": "minor",
    "minor_text": "minor",
    "wardcode": "ward_code",
    "ward_code": "ward_code",
    "wardname": "ward_name",
    "ward_name": "ward_name",
    "lookup_boroughname": "borough_name",
    "lookup_borough_name": "borough_name",
    "boroughname": "borough_name",
    "borough_name": "borough_name",
}
# The monthly crime dashboard (long format): the columns it needs, and the others it may have.
DASHBOARD = [
    "month_year",
    "area_type",
    "borough_snt",
    "area_name",
    "area_code",
    "crime_type",
    "crime_subtype",
    "measure",
    "count",
]
DASHBOARD_OTHER = ["financial_year", "fy_fyindex", "refresh_date", "sheet"]
MONTH_COLUMN = re.compile(r"[0-9]{6}")
REFUSED = "Not a recognised MPS file (recorded crime by LSOA, ward or borough, or the monthly crime dashboard)"
# A count is a whole number: digits, optionally with a zero fraction ("4.0", as Parquet doubles print).
WHOLE = r"-?[0-9]+(\.0+)?"


def _normal(name: str) -> str:
    return name.strip().lower().replace(" ", "_")


def _layout(columns: list[str]) -> tuple[str, dict[str, int], list[tuple[int, str]]] | str:
    """(kind, role → column index, [(index, YYYYMM)]), or why the file is refused (naming the column)."""
    dashboard = "month_year" in [_normal(c) for c in columns]
    allowed: dict[str, str | None] = {n: n for n in DASHBOARD + DASHBOARD_OTHER} if dashboard else dict(SYNONYMS)
    months: list[tuple[int, str]] = []
    seen_months: dict[str, int] = {}

    def month(index: int, raw: str, name: str) -> bool | str:
        """Claims a YYYYMM column (not in the dashboard, which is long)."""
        if dashboard or not MONTH_COLUMN.fullmatch(name):
            return False
        if not 1 <= int(name[4:]) <= 12:
            return f"column {index + 1} {shown(raw)} is not a month (YYYYMM)"
        if name in seen_months:
            return f"month column {index + 1} {shown(raw)} repeats column {seen_months[name] + 1}"
        seen_months[name] = index
        months.append((index, name))
        return True

    roles = match_header(columns, known=allowed, refused=REFUSED, normal=_normal, other=month)
    if isinstance(roles, str):
        return roles
    if dashboard:
        missing = [c for c in DASHBOARD if c not in roles]
        return f"{REFUSED}: the dashboard's column {missing[0]!r} is missing" if missing else ("dashboard", roles, [])
    if "major" not in roles or "minor" not in roles:
        return f"{REFUSED}: the major and minor offence category columns are needed"
    kind = next(
        (k for k, role in (("lsoa", "lsoa_code"), ("ward", "ward_code"), ("borough", "borough_name")) if role in roles),
        None,
    )
    if kind is None:
        return f"{REFUSED}: no area column (LSOA code, ward code or borough name)"
    if not months:
        return "No monthly (YYYYMM) columns"
    return kind, roles, months


def load_mps(*, paths: list[str | Path], progress: Progress | None = None, wait: float | None = None) -> LoadSummary:
    files = expand_paths(paths, pattern="*.*")
    summary = LoadSummary(files=len(files))
    with load_session(kind="MPS", files=[p for p in files if p.is_file()], progress=progress, wait=wait) as con:
        seen = {r["fingerprint"] for r in store.rows(con, "SELECT DISTINCT fingerprint FROM loads WHERE kind = 'mps'")}
        whole: list[Reject] = []  # files rejected whole, recorded at the end
        for path, print_ in files_to_load(files, seen=seen, whole=whole, summary=summary, progress=progress):
            columns = _columns(con, path)
            other = mps_homicide_vawg.kind_of(columns) if isinstance(columns, list) else None
            if other is not None and isinstance(columns, list):
                refusal = _load_other(con, path, print_, other, columns, summary)
                if refusal:
                    whole.append(Reject(file=str(path), line=1, reason=refusal))
                else:
                    seen.add(print_)
                continue
            layout = _layout(columns) if isinstance(columns, list) else columns
            if isinstance(layout, str):
                whole.append(Reject(file=str(path), line=1, reason=layout))
                continue
            try:
                structural = _read(con, path, len(columns))
            except (duckdb.Error, LoadError) as exc:
                reason = "Cannot read the file: " + str(exc).splitlines()[0]
                whole.append(Reject(file=str(path), line=1, reason=reason))
                continue
            seen.add(print_)
            _load_one(con, path, print_, layout, structural, summary)
        store_file_rejects(con, kind="mps", rejects=whole)
        summary.rejected = sorted(summary.rejected + whole, key=lambda j: (j.file, j.line))
    if summary.already_loaded:
        summary.notes.append("Files already loaded were skipped: loading them again changes nothing.")
    report(progress, "Done", 1.0)
    return summary


def _load_other(con, path: Path, print_: str, kind: str, columns: list[str], summary: LoadSummary) -> str | None:
    """A homicide or VAWG file (see ``mps_homicide_vawg``): loaded, or the reason it is refused whole."""
    roles = mps_homicide_vawg.layout(kind, columns)
    if isinstance(roles, str):
        return roles
    refusal = mps_homicide_vawg.too_large(kind, path)
    if refusal:
        return refusal
    try:
        structural = _read(con, path, len(columns))
    except (duckdb.Error, LoadError) as exc:
        return "Cannot read the file: " + str(exc).splitlines()[0]
    refusal = mps_homicide_vawg.load_one(
        con, kind=kind, path=path, print_=print_, roles=roles, structural=structural, summary=summary
    )
    con.execute("DROP TABLE IF EXISTS mps_src")
    return refusal


def _is_parquet(path: Path) -> bool:
    return path.suffix.lower() == ".parquet"


def _columns(con, path: Path) -> list[str] | str:
    """The file's column names (data, never SQL), or why it cannot be read."""
    if not _is_parquet(path):
        return read_header(path)
    try:
        return [r["column_name"] for r in store.rows(con, "DESCRIBE SELECT * FROM read_parquet($p)", {"p": str(path)})]
    except duckdb.Error as exc:
        return "Cannot read the file as Parquet: " + str(exc).splitlines()[0]


def _read(con, path: Path, width: int) -> list[tuple[int, str]]:
    """The file into ``mps_src`` (line, c0, c1, … as text); returns the CSV rows DuckDB could not parse."""
    names = [f"c{i}" for i in range(width)]
    if _is_parquet(path):
        con.execute(
            f"""CREATE OR REPLACE TEMP TABLE mps_src AS
                SELECT row_number() OVER () AS line, {", ".join(f"{n}::VARCHAR AS {n}" for n in names)}
                FROM (SELECT * FROM read_parquet($path)) AS src({", ".join(names)})""",
            {"path": str(path)},
        )
        return []
    return read_csv_text(con, path, width=width, table="mps_src")


def _load_one(con, path: Path, print_: str, layout, structural: list[tuple[int, str]], summary: LoadSummary) -> None:
    kind, roles, months = layout

    def col(role: str, default: str = "NULL") -> str:
        """The loader's own name for a role's column (``c<index>``), or ``default`` when the file has none."""
        return f"c{roles[role]}" if role in roles else default

    if kind == "dashboard":
        source = "mps_dashboard"
        long_sql = f"""
            SELECT line, coalesce(TRY_CAST({col("month_year")} AS DATE),
                                  TRY_CAST(TRY_CAST({col("month_year")} AS TIMESTAMP) AS DATE)) AS month,
                   CASE WHEN trim({col("area_type")}) = 'Borough' THEN 'borough' ELSE 'ward' END AS level,
                   trim({col("area_code")}) AS area_code, trim({col("area_name")}) AS area_name,
                   trim({col("borough_snt")}) AS borough_text,
                   trim({col("crime_type")}) AS category,
                   trim({col("crime_subtype")})
                       || CASE WHEN trim({col("measure")}) = 'Offences' THEN ''
                               ELSE ' (' || lower(trim({col("measure")})) || ')' END AS subcategory,
                   {col("count")} AS raw_n
            FROM mps_src
        """
    else:
        source = f"mps_{kind}"
        code_role = {"lsoa": "lsoa_code", "ward": "ward_code", "borough": "borough_name"}[kind]
        name_role = {"lsoa": "lsoa_name", "ward": "ward_name", "borough": "borough_name"}[kind]
        borough_role = {"lsoa": "borough", "ward": "borough_name", "borough": "borough_name"}[kind]
        # Month columns are read as m<YYYYMM>: six ASCII digits, checked by _layout.
        month_cols = ", ".join(f"c{index} AS m{ym}" for index, ym in months)
        long_sql = f"""
            SELECT line, TRY_STRPTIME(substr(ym, 2), '%Y%m')::DATE AS month, '{kind}' AS level,
                   trim(code) AS area_code, trim(name) AS area_name, trim(borough_text) AS borough_text,
                   trim(major) AS category, trim(minor) AS subcategory, raw_n
            FROM (
                SELECT line, {col(code_role)} AS code, {col(name_role, col(code_role))} AS name,
                       {col(borough_role)}::VARCHAR AS borough_text,
                       {col("major")} AS major, {col("minor")} AS minor, {month_cols}
                FROM mps_src
            ) UNPIVOT INCLUDE NULLS (raw_n FOR ym IN ({", ".join(f"m{ym}" for _, ym in months)}))
        """
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE mps_long AS
            SELECT * EXCLUDE (raw_n), CASE WHEN regexp_full_match(trim(raw_n), $whole)
                                          THEN TRY_CAST(regexp_replace(trim(raw_n), $zero_fraction, '') AS BIGINT)
                                     END AS n, raw_n
            FROM ({long_sql})""",
        {"whole": WHOLE, "zero_fraction": r"\.0+$"},
    )
    code_ok = {
        "dashboard": "area_code IS NOT NULL AND length(area_code) = 9",
        "lsoa": "area_code IS NOT NULL AND length(area_code) = 9 AND starts_with(area_code, 'E01')",
        "ward": "area_code IS NOT NULL AND length(area_code) = 9 AND starts_with(area_code, 'E05')",
        "borough": "area_code IS NOT NULL AND area_code <> ''",
    }[kind]
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE mps_checked AS
        SELECT * REPLACE (CASE WHEN {code_ok} THEN area_code END AS area_code), CASE
            WHEN month IS NULL THEN 'Month is not a valid month'
            WHEN category IS NULL OR category = '' THEN 'Offence category is missing'
            WHEN n IS NULL AND raw_n IS NOT NULL AND trim(raw_n) <> '' THEN 'Count is not a whole number: ' || raw_n
            WHEN n < 0 THEN 'Count is negative'
            WHEN n > $max_count THEN 'Count ' || n || ' is over the limit of ' || $max_text || ' in one row'
        END AS reason
        FROM mps_long
        """,
        {"max_count": mps_homicide_vawg.MAX_COUNT, "max_text": f"{mps_homicide_vawg.MAX_COUNT:,}"},
    )
    rejected = store.rows(
        con, "SELECT line, month, reason FROM mps_checked WHERE reason IS NOT NULL ORDER BY line, month"
    )
    rejected_lines: dict[int, str] = dict(structural)
    for r in rejected:
        rejected_lines.setdefault(int(r["line"]), r["reason"])
    for line, reason in sorted(rejected_lines.items()):
        summary.rejected.append(Reject(file=str(path), line=line, reason=reason))
    rows = (store.scalar(con, "SELECT count(*) FROM mps_src") or 0) + len(structural)
    boroughs = {"bcodes": list(store.LONDON_BOROUGHS), "bnames": list(store.LONDON_BOROUGHS.values())}
    with store.transaction(con):
        batch = store.scalar(con, "SELECT nextval('batch_seq')")
        london = "(SELECT unnest($bcodes) AS code, unnest($bnames) AS name)"
        placed = f"""
            SELECT c.*, coalesce(bc.code, bn.code, bp.code) AS borough_code,
                   coalesce(bc.name, bn.name, bp.name, c.borough_text) AS borough_name,
                   CASE WHEN '{kind}' = 'borough' THEN bn.code ELSE c.area_code END AS code
            FROM mps_checked c
            LEFT JOIN {london} bc ON bc.code = c.borough_text
            LEFT JOIN {london} bn ON bn.name = c.borough_text
            LEFT JOIN {london} bp
                ON c.level = 'ward' AND bc.code IS NULL AND bn.code IS NULL
               AND starts_with(c.borough_text, bp.name || ' ')
            WHERE c.line NOT IN (SELECT line FROM mps_checked WHERE reason IS NOT NULL)
        """
        con.execute(
            f"""
            CREATE OR REPLACE TEMP TABLE mps_new AS
            SELECT $batch AS batch_id, $source AS source, level, month, 'E23000001' AS force_code,
                   'Metropolitan Police Service' AS force_name, borough_code, borough_name, code AS area_code,
                   area_name, category, nullif(subcategory, '') AS subcategory,
                   sum(coalesce(n, 0)) AS n, 0 AS unlocated, false AS synthetic
            FROM ({placed}) WHERE coalesce(n, 0) <> 0
            GROUP BY ALL
            """,
            {"batch": batch, "source": source} | boroughs,
        )
        # The file is also a lookup: every LSOA or ward in it (even with no offences) and its borough.
        if kind in {"lsoa", "ward"}:
            con.execute(
                f"""
                INSERT INTO areas
                SELECT code, any_value(area_name), '{kind}', any_value(borough_code) FROM ({placed})
                WHERE code IS NOT NULL AND code NOT IN (SELECT code FROM areas) GROUP BY code
                """,
                boroughs,
            )
        # A later file replaces whole months of the same source and level (zero counts are not stored).
        keys = "SELECT DISTINCT source, level, month FROM mps_new"
        replaced = store.scalar(con, f"SELECT count(*) FROM facts f SEMI JOIN ({keys}) m USING (source, level, month)")
        if replaced:
            con.execute(
                f"DELETE FROM facts f USING ({keys}) m "
                "WHERE f.source = m.source AND f.level = m.level AND f.month = m.month"
            )
        con.execute("INSERT INTO facts SELECT * FROM mps_new")
        loaded = rows - len(rejected_lines)
        unplaced = store.scalar(con, "SELECT coalesce(sum(n), 0) FROM mps_new WHERE borough_code IS NULL") or 0
        con.execute(
            "INSERT INTO loads VALUES ($b, 'mps', $f, $p, now(), $r, $l, 0, 0, $j, false)",
            {"b": batch, "f": str(path), "p": print_, "r": rows, "l": loaded, "j": len(rejected_lines)},
        )
        if rejected_lines:
            con.executemany(
                "INSERT INTO rejects VALUES (?, 'mps', ?, ?, ?)",
                [(batch, str(path), line, reason) for line, reason in sorted(rejected_lines.items())],
            )
    summary.rows += rows
    summary.loaded += loaded
    if replaced:
        summary.notes.append(
            f"{path.name}: replaced {replaced} counts for the same months loaded from an earlier file."
        )
    if unplaced:
        summary.notes.append(
            f"{path.name}: {unplaced} offences not placed in a borough; they count towards the Metropolitan "
            "Police's totals."
        )
    for name in ("mps_src", "mps_long", "mps_checked", "mps_new", "mps_csv_rejects", "mps_csv_rejects_scan"):
        con.execute(f"DROP TABLE IF EXISTS {name}")
