# ruff: noqa: S608 - SQL text here is built from this module's constants only; file paths and values are parameters.
"""The English Indices of Deprivation: 2025 by 2021 LSOA, 2019 by 2011 LSOA.

One row per LSOA with ``<Domain>_score``, ``<Domain>_rank`` and ``<Domain>_decile`` columns (the
2019 file has ranks and deciles only). Loading an edition again replaces it.

The header is matched (ignoring case) against the known columns below; a file with any other column
is refused whole, naming it. The columns are read under names of the loader's own (``c0``, ``c1``…):
nothing from the file's header is ever put into SQL.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from vrhub.evidence import store
from vrhub.evidence.loaders import (
    LoadError,
    LoadSummary,
    Progress,
    Reject,
    files_to_load,
    load_session,
    read_csv_text,
    read_header,
    report,
    shown,
    store_file_rejects,
)

# LSOA code column → the edition it implies (the 2021 LSOAs are IMD 2025's, the 2011 LSOAs IMD 2019's).
CODE_COLUMNS = {"lsoa21_code": "2025", "lsoa11_code": "2019", "lsoa_code": "2025"}
# Columns that may be present and are not loaded.
OTHER_COLUMNS = {"lsoa21_name", "lsoa11_name", "lsoa_name", "lad24_code", "lad24_name", "lad19_code", "lad19_name"}
INDICATORS = [
    "IMD",
    "Income",
    "Employment",
    "Education",
    "Health",
    "Crime",
    "Housing_and_Services",
    "Housing_and_Access",
    "Environment",
    "IDACI",
    "IDAOPI",
]
KINDS = ("score", "rank", "decile")
MEASURE_COLUMNS = {f"{indicator}_{kind}".lower(): (indicator, kind) for indicator in INDICATORS for kind in KINDS}
REFUSED = "Not an IMD file (an LSOA code column and <Domain>_score/_rank/_decile columns)"


def _layout(header: list[str]) -> tuple[int, str, list[tuple[int, str, str]]] | str:
    """(index of the LSOA code column, its name, [(index, indicator, kind)]), or why the file is refused."""
    code: tuple[int, str] | None = None
    measures: list[tuple[int, str, str]] = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(header):
        name = raw.strip().lower()
        if name in seen:
            return f"{REFUSED}: column {index + 1} {shown(raw)} repeats column {seen[name] + 1}"
        seen[name] = index
        if name in CODE_COLUMNS:
            if code is not None:
                return f"{REFUSED}: two LSOA code columns, {shown(header[code[0]])} and {shown(raw)}"
            code = (index, name)
        elif name in MEASURE_COLUMNS:
            measures.append((index, *MEASURE_COLUMNS[name]))
        elif name not in OTHER_COLUMNS:
            return f"{REFUSED}: unknown column {index + 1} {shown(raw)}"
    if code is None:
        return f"{REFUSED}: no LSOA code column (lsoa21_code or lsoa11_code)"
    if not measures:
        return f"{REFUSED}: no _score, _rank or _decile columns"
    return code[0], code[1], measures


def load_imd(
    *, paths: list[str | Path], edition: str = "", progress: Progress | None = None, wait: float | None = None
) -> LoadSummary:
    summary = LoadSummary(files=len(paths))
    files = [Path(raw) for raw in paths]
    with load_session(kind="IMD", files=[p for p in files if p.is_file()], progress=progress, wait=wait) as con:
        seen = {r["fingerprint"] for r in store.rows(con, "SELECT DISTINCT fingerprint FROM loads WHERE kind = 'imd'")}
        whole: list[Reject] = []  # files rejected whole, recorded at the end
        for path, print_ in files_to_load(files, seen=seen, whole=whole, summary=summary, progress=progress):
            header = read_header(path)
            layout = _layout(header) if isinstance(header, list) else header
            if isinstance(layout, str):
                whole.append(Reject(file=str(path), line=1, reason=layout))
                continue
            try:
                read = _read(con, path, len(header), layout[0], layout[2])
            except (duckdb.Error, LoadError) as exc:
                reason = "Cannot read the file as CSV: " + str(exc).splitlines()[0]
                whole.append(Reject(file=str(path), line=1, reason=reason))
                continue
            if read is None:
                whole.append(Reject(file=str(path), line=1, reason="The file has a header but no rows"))
                continue
            seen.add(print_)
            this_edition = edition or CODE_COLUMNS[layout[1]]
            rows, bad = read
            for line, reason in bad:
                summary.rejected.append(Reject(file=str(path), line=line, reason=reason))
            with store.transaction(con):
                batch = store.scalar(con, "SELECT nextval('batch_seq')")
                if rows > len(bad):  # a file with no valid row does not wipe the edition loaded before
                    con.execute("DELETE FROM imd WHERE edition = $e", {"e": this_edition})
                con.execute(
                    """
                    INSERT INTO imd
                    SELECT $e, code, indicator, max(value) FILTER (WHERE kind = 'score'),
                           max(value) FILTER (WHERE kind = 'rank'), max(value) FILTER (WHERE kind = 'decile')
                    FROM imd_long WHERE NOT list_contains($bad::BIGINT[], line)
                    GROUP BY code, indicator
                    """,
                    {"e": this_edition, "bad": [line for line, _ in bad]},
                )
                con.execute(
                    "INSERT INTO loads VALUES ($b, 'imd', $f, $p, now(), $r, $l, 0, 0, $j, false)",
                    {"b": batch, "f": str(path), "p": print_, "r": rows, "l": rows - len(bad), "j": len(bad)},
                )
                if bad:
                    con.executemany(
                        "INSERT INTO rejects VALUES (?, 'imd', ?, ?, ?)",
                        [(batch, str(path), line, reason) for line, reason in bad],
                    )
            con.execute("DROP TABLE IF EXISTS imd_long")
            summary.rows += rows
            summary.loaded += rows - len(bad)
            summary.notes.append(
                f"{path.name}: IMD {this_edition} ({'2011' if this_edition == '2019' else '2021'} LSOAs)."
            )
        store_file_rejects(con, kind="imd", rejects=whole)
        summary.rejected = sorted(summary.rejected + whole, key=lambda j: (j.file, j.line))
    report(progress, "Done", 1.0)
    return summary


def _read(
    con, path: Path, width: int, code_index: int, measures: list[tuple[int, str, str]]
) -> tuple[int, list[tuple[int, str]]] | None:
    """Read the file into ``imd_long`` (line, code, indicator, kind, raw, value).

    Returns (rows read, [(line, reason)] of the rows rejected), or None when the file has no rows.
    """
    structural = read_csv_text(con, path, width=width, table="imd_src")
    count = store.scalar(con, "SELECT count(*) FROM imd_src") or 0
    if not count and not structural:
        return None
    unions = " UNION ALL ".join(
        f"SELECT line, code, {store.sql_str(indicator)} AS indicator, {store.sql_str(kind)} AS kind, c{index} AS raw "
        "FROM src"
        for index, indicator, kind in measures
    )
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE imd_long AS
        WITH src AS (
            SELECT trim(c{code_index}) AS code, * FROM imd_src
        )
        SELECT *, TRY_CAST(raw AS DOUBLE) AS value FROM ({unions})
        """
    )
    con.execute("DROP TABLE imd_src")
    bad = store.rows(
        con,
        """
        SELECT line, min(CASE
            WHEN code IS NULL OR length(code) <> 9 OR NOT (starts_with(code, 'E01') OR starts_with(code, 'W01'))
                THEN 'LSOA code is missing or not an LSOA code'
            WHEN line > first_line THEN 'LSOA code ' || code || ' is repeated (first on line ' || first_line || ')'
            WHEN raw IS NOT NULL AND trim(raw) NOT IN ('', 'NA') AND value IS NULL
                THEN indicator || '_' || kind || ' is not a number: ' || raw
        END) AS reason
        FROM (SELECT *, min(line) OVER (PARTITION BY code) AS first_line FROM imd_long)
        GROUP BY line HAVING reason IS NOT NULL ORDER BY line
        """,
    )
    rejected = structural + [(int(r["line"]), r["reason"]) for r in bad]
    return count + len(structural), sorted(rejected)
