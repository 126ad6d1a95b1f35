# ruff: noqa: S608 - SQL text here is built from constants and sql_str()-quoted file paths; values are parameters.
"""The Metropolitan Police's London Datastore files.

* Recorded crime by LSOA, by ward and by borough: one row per area and offence (major/minor
  category), one column per month (``YYYYMM``). CSV as published, or Parquet.
* The monthly crime dashboard (long format): knife crime offences and positive outcomes, by
  borough and Safer Neighbourhood Team (ward).

Every row belongs to the Metropolitan Police (E23000001), so the force's totals include rows the
MPS could not place in a borough ("Unknown", "Aviation Security (SO18)"). A later file replaces the
same area, month and offence loaded from an earlier one (the historical and current files overlap
by a month), so nothing is counted twice.
"""

from __future__ import annotations

from pathlib import Path

from vrhub.evidence import store
from vrhub.evidence.loaders import LoadSummary, Progress, Reject, expand_paths, fingerprint, report

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


def _normal(name: str) -> str:
    return name.strip().lower().replace(" ", "_")


def _relation(path: Path) -> str:
    if path.suffix.lower() == ".parquet":
        return f"read_parquet({store.sql_str(str(path))})"
    return f"read_csv({store.sql_str(str(path))}, header = true, all_varchar = true)"


def _kind(columns: list[str]) -> str | None:
    names = {_normal(c) for c in columns}
    if {"month_year", "area_type", "area_code", "crime_type", "crime_subtype", "measure", "count"} <= names:
        return "dashboard"
    roles = {SYNONYMS.get(n) for n in names}
    if not {"major", "minor"} <= roles:
        return None
    if "lsoa_code" in roles:
        return "lsoa"
    if "ward_code" in roles:
        return "ward"
    if "borough_name" in roles:
        return "borough"
    return None


def load_mps(*, paths: list[str | Path], progress: Progress | None = None) -> LoadSummary:
    files = expand_paths(paths, pattern="*.*")
    summary = LoadSummary(files=len(files))
    with store.connect() as con:
        seen = {r["fingerprint"] for r in store.rows(con, "SELECT DISTINCT fingerprint FROM loads WHERE kind = 'mps'")}
        for number, path in enumerate(files):
            report(progress, f"Loading {path.name}", number / max(len(files), 1))
            if not path.is_file():
                summary.rejected.append(Reject(file=str(path), line=1, reason="No such file"))
                continue
            print_ = fingerprint(path)
            if print_ in seen:
                summary.already_loaded.append(str(path))
                continue
            seen.add(print_)
            try:
                columns = [d[0] for d in con.execute(f"SELECT * FROM {_relation(path)} LIMIT 0").description]
            except Exception as exc:  # noqa: BLE001 - any unreadable file is rejected whole, with the reason
                summary.rejected.append(Reject(file=str(path), line=1, reason=f"Cannot read the file: {exc}"))
                continue
            kind = _kind(columns)
            if kind is None:
                summary.rejected.append(
                    Reject(
                        file=str(path),
                        line=1,
                        reason="Not a recognised MPS file (recorded crime by LSOA, ward or borough, "
                        "or the monthly crime dashboard)",
                    )
                )
                continue
            _load_one(con, path, print_, kind, columns, summary)
    if summary.already_loaded:
        summary.notes.append("Files already loaded were skipped: loading them again changes nothing.")
    report(progress, "Done", 1.0)
    return summary


def _boroughs_values() -> str:
    return ", ".join(f"({store.sql_str(c)}, {store.sql_str(n)})" for c, n in store.LONDON_BOROUGHS.items())


def _load_one(con, path: Path, print_: str, kind: str, columns: list[str], summary: LoadSummary) -> None:
    rel = _relation(path)
    header_offset = 1 if path.suffix.lower() != ".parquet" else 0  # a CSV's line 1 is its header
    quoted = {SYNONYMS.get(_normal(c), _normal(c)): '"' + c.replace('"', '""') + '"' for c in columns}
    boroughs = _boroughs_values()
    if kind == "dashboard":
        source = "mps_dashboard"
        long_sql = f"""
            SELECT row_number() OVER () + {header_offset} AS line,
                   TRY_CAST({quoted["month_year"]} AS DATE) AS month,
                   CASE WHEN trim({quoted["area_type"]}) = 'Borough' THEN 'borough' ELSE 'ward' END AS level,
                   trim({quoted["area_code"]}) AS area_code, trim({quoted["area_name"]}) AS area_name,
                   trim({quoted["borough_snt"]}) AS borough_text,
                   trim({quoted["crime_type"]}) AS category,
                   trim({quoted["crime_subtype"]})
                       || CASE WHEN trim({quoted["measure"]}) = 'Offences' THEN ''
                               ELSE ' (' || lower(trim({quoted["measure"]})) || ')' END AS subcategory,
                   TRY_CAST({quoted["count"]} AS BIGINT) AS n, {quoted["count"]}::VARCHAR AS raw_n
            FROM {rel}
        """
    else:
        months = [c for c in columns if len(c.strip()) == 6 and c.strip().isdigit()]
        if not months:
            summary.rejected.append(Reject(file=str(path), line=1, reason="No monthly (YYYYMM) columns"))
            return
        source = f"mps_{kind}"
        code_col = {"lsoa": "lsoa_code", "ward": "ward_code", "borough": "borough_name"}[kind]
        name_col = {"lsoa": "lsoa_name", "ward": "ward_name", "borough": "borough_name"}[kind]
        borough_col = {"lsoa": "borough", "ward": "borough_name", "borough": "borough_name"}[kind]
        month_cols = ", ".join('"' + m + '"' for m in months)
        long_sql = f"""
            SELECT line, TRY_STRPTIME(ym, '%Y%m')::DATE AS month, '{kind}' AS level,
                   trim(code) AS area_code, trim(name) AS area_name, trim(borough_text) AS borough_text,
                   trim(major) AS category, trim(minor) AS subcategory,
                   TRY_CAST(raw_n AS BIGINT) AS n, raw_n::VARCHAR AS raw_n
            FROM (
                UNPIVOT (
                    SELECT row_number() OVER () + {header_offset} AS line,
                           {quoted[code_col]} AS code, {quoted.get(name_col, quoted[code_col])} AS name,
                           {quoted[borough_col]} AS borough_text,
                           {quoted["major"]} AS major, {quoted["minor"]} AS minor,
                           COLUMNS({"'^[0-9]{6}$'"})::VARCHAR
                    FROM {rel}
                ) ON {month_cols} INTO NAME ym VALUE raw_n
            )
        """
    con.execute(f"CREATE OR REPLACE TEMP TABLE mps_long AS {long_sql}")
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
        END AS reason
        FROM mps_long
        """
    )
    rejected = store.rows(
        con, "SELECT line, month, reason FROM mps_checked WHERE reason IS NOT NULL ORDER BY line, month"
    )
    rejected_lines: dict[int, str] = {}
    for r in rejected:
        rejected_lines.setdefault(int(r["line"]), r["reason"])
    for line, reason in sorted(rejected_lines.items()):
        summary.rejected.append(Reject(file=str(path), line=line, reason=reason))
    rows = store.scalar(con, "SELECT count(DISTINCT line) FROM mps_long") or 0
    with store.transaction(con):
        batch = store.scalar(con, "SELECT nextval('batch_seq')")
        placed = f"""
            SELECT c.*, coalesce(bc.code, bn.code, bp.code) AS borough_code,
                   coalesce(bc.name, bn.name, bp.name, c.borough_text) AS borough_name,
                   CASE WHEN '{kind}' = 'borough' THEN bn.code ELSE c.area_code END AS code
            FROM mps_checked c
            LEFT JOIN (VALUES {boroughs}) bc(code, name) ON bc.code = c.borough_text
            LEFT JOIN (VALUES {boroughs}) bn(code, name) ON bn.name = c.borough_text
            LEFT JOIN (VALUES {boroughs}) bp(code, name)
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
            {"batch": batch, "source": source},
        )
        # The file is also a lookup: every LSOA or ward in it (even with no offences) and its borough.
        if kind in {"lsoa", "ward"}:
            con.execute(
                f"""
                INSERT INTO areas
                SELECT code, any_value(area_name), '{kind}', any_value(borough_code) FROM ({placed})
                WHERE code IS NOT NULL AND code NOT IN (SELECT code FROM areas) GROUP BY code
                """
            )
        # A later file replaces whole months of the same source and level (zero counts are not stored).
        months = "SELECT DISTINCT source, level, month FROM mps_new"
        replaced = store.scalar(
            con, f"SELECT count(*) FROM facts f SEMI JOIN ({months}) m USING (source, level, month)"
        )
        if replaced:
            con.execute(
                f"DELETE FROM facts f USING ({months}) m "
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
    for name in ("mps_long", "mps_checked", "mps_new"):
        con.execute(f"DROP TABLE IF EXISTS {name}")
