# ruff: noqa: S608 - SQL text here is built from this module's constants only; file paths and values are parameters.
"""Census 2021 usual residents by 2021 LSOA: the denominator of rates per 1,000 residents.

One row per LSOA: ``2021 super output area - lower layer`` (its name), ``LSOA21CD``, ``Population``
(ONS table TS001). Loading again replaces the populations (one edition, Census 2021); a file with no
valid row leaves those loaded before in place.

The header is matched (ignoring case) against the known columns; a file with any other column is
refused whole, naming it. Columns are read under names of the loader's own (``c0``, ``c1``…).
Bad rows (no LSOA code, a population that is not a whole number, a code given twice) are rejected
with their file line and reason; the rest load.
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
    expand_paths,
    files_to_load,
    load_session,
    match_header,
    read_csv_text,
    read_header,
    report,
    store_file_rejects,
)

SOURCE = "Census 2021 usual residents (ONS, table TS001)"
COLUMNS = {  # lower-cased header → the loader's role for it
    "lsoa21cd": "code",
    "lsoa21_code": "code",
    "population": "residents",
    "2021 super output area - lower layer": "name",
    "lsoa21nm": "name",
}
# The most residents an LSOA holds in Census 2021 is about 10,000; this only catches a misplaced column.
MAX_RESIDENTS = 100_000
# A clean file replaces the loaded populations when it has at least this share of their LSOAs.
REPLACE_SHARE = 0.95
# Blank lines, and the ONS footnotes under the table (prose in the code column), have no population and
# nothing shaped like an ONS code (a letter and eight digits): they are not data. A constant condition.
NOT_DATA = "coalesce(raw, '') = '' AND NOT regexp_full_match(coalesce(code, ''), '[A-Z][0-9]{8}')"
REFUSED = "Not a Census 2021 LSOA population file (LSOA21CD and Population columns)"


def _layout(header: list[str]) -> dict[str, int] | str:
    """{role: column index}, or why the file is refused."""
    return match_header(
        header, known=dict(COLUMNS), refused=REFUSED, required={"code": "LSOA21CD", "residents": "Population"}
    )


def load_population(
    *, paths: list[str | Path], progress: Progress | None = None, wait: float | None = None
) -> LoadSummary:
    files = expand_paths(paths, pattern="*.csv")
    summary = LoadSummary(files=len(files))
    with load_session(kind="population", files=[p for p in files if p.is_file()], progress=progress, wait=wait) as con:
        seen = {
            r["fingerprint"]
            for r in store.rows(con, "SELECT DISTINCT fingerprint FROM loads WHERE kind = 'population' AND loaded > 0")
        }
        whole: list[Reject] = []
        for path, print_ in files_to_load(files, seen=seen, whole=whole, summary=summary, progress=progress):
            header = read_header(path)
            layout = _layout(header) if isinstance(header, list) else header
            if isinstance(layout, str):
                whole.append(Reject(file=str(path), line=1, reason=layout))
                continue
            try:
                read = _read(con, path, len(header), layout)
            except (duckdb.Error, LoadError) as exc:
                whole.append(
                    Reject(file=str(path), line=1, reason="Cannot read the file as CSV: " + str(exc).splitlines()[0])
                )
                continue
            if read is None:
                whole.append(Reject(file=str(path), line=1, reason="The file has a header but no rows"))
                continue
            seen.add(print_)
            rows, bad, notes = read
            summary.rejected.extend(Reject(file=str(path), line=line, reason=reason) for line, reason in bad)
            report(progress, f"Checked {path.name}: {rows - len(bad):,} good rows, {len(bad):,} rejected", 0.5)
            before = store.scalar(con, "SELECT count(*) FROM population") or 0
            good = rows - len(bad)
            # Populations replace each other whole, so only a clean file that covers (nearly) as many LSOAs
            # as those loaded now replaces them: a truncated or partly bad file changes nothing.
            refusal = ""
            if bad:
                refusal = f"{len(bad):,} rows were rejected; correct them and load the file again"
            elif good < REPLACE_SHARE * before:
                refusal = (
                    f"it has {good:,} LSOAs, fewer than {REPLACE_SHARE:.0%} of the {before:,} loaded now; "
                    "a population file replaces the loaded populations whole"
                )
            with store.transaction(con):
                batch = store.scalar(con, "SELECT nextval('batch_seq')")
                if not refusal:
                    con.execute("DELETE FROM population")
                    con.execute(
                        "INSERT INTO population SELECT code, name, residents, $s FROM population_raw",
                        {"s": SOURCE},
                    )
                loaded = 0 if refusal else good
                con.execute(
                    "INSERT INTO loads VALUES ($b, 'population', $f, $p, now(), $r, $l, 0, 0, $j, false)",
                    {"b": batch, "f": str(path), "p": print_, "r": rows, "l": loaded, "j": len(bad)},
                )
                con.execute(
                    "INSERT INTO rejects SELECT $b, 'population', $f, line, reason FROM population_rejected",
                    {"b": batch, "f": str(path)},
                )
            for table in ("population_raw", "population_rejected"):
                con.execute(f"DROP TABLE IF EXISTS {table}")
            if refusal:
                seen.discard(print_)  # not loaded: loading it again (say, with --replace later) is not a repeat
                summary.notes.append(f"{path.name}: nothing was loaded and the populations are unchanged: {refusal}.")
            else:
                summary.notes.append(f"{path.name}: {SOURCE}, 2021 LSOAs; replaced {before:,} with {good:,}.")
            summary.rows += rows
            summary.loaded += loaded
            if notes:
                summary.notes.append(
                    f"{path.name}: {notes} lines without a population or an LSOA code (blank lines or the file's "
                    "footnotes) are not data and were not loaded."
                )
        store_file_rejects(con, kind="population", rejects=whole)
        summary.rejected = sorted(summary.rejected + whole, key=lambda j: (j.file, j.line))
    report(progress, "Done", 1.0)
    return summary


def _read(con, path: Path, width: int, layout: dict[str, int]) -> tuple[int, list[tuple[int, str]], int] | None:
    """Read the file into ``population_raw`` (line, code, name, raw, residents).

    Returns (rows read, [(line, reason)] of the rows rejected, lines that were notes or blank), or None
    when the file has no rows.
    """
    structural = read_csv_text(con, path, width=width, table="population_src")
    count = store.scalar(con, "SELECT count(*) FROM population_src") or 0
    if not count and not structural:
        return None
    name = f"trim(c{layout['name']})" if "name" in layout else "NULL"
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE population_raw AS
        SELECT line, trim(c{layout["code"]}) AS code,
               {name} AS name, trim(c{layout["residents"]}) AS raw,
               NULL::BIGINT AS residents
        FROM population_src
        """
    )
    con.execute("DROP TABLE population_src")
    notes = store.scalar(con, f"SELECT count(*) FROM population_raw WHERE {NOT_DATA}")
    con.execute(f"DELETE FROM population_raw WHERE {NOT_DATA}")
    # One reason per bad row, worked out in SQL (a file may have hundreds of thousands of them).
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE population_rejected AS
        SELECT line, CASE
            WHEN NOT regexp_full_match(coalesce(code, ''), '[EW]01[0-9]{6}')
                THEN 'LSOA21CD is missing or not a 2021 LSOA code'
            WHEN line > first_line THEN 'LSOA ' || code || ' is given again (first on line ' || first_line || ')'
            WHEN NOT regexp_full_match(coalesce(raw, ''), '-?[0-9]{1,9}')
                THEN 'Population is not a whole number: ' || coalesce(nullif(left(raw, 40), ''), '(empty)')
            WHEN CAST(raw AS BIGINT) < 0 OR CAST(raw AS BIGINT) > $most
                THEN 'Population ' || raw || ' is outside 0 to ' || $most::VARCHAR
        END AS reason
        FROM (SELECT *, min(line) OVER (PARTITION BY code) AS first_line FROM population_raw)
        """,
        {"most": MAX_RESIDENTS},
    )
    con.execute("DELETE FROM population_rejected WHERE reason IS NULL")
    con.execute("DELETE FROM population_raw WHERE line IN (SELECT line FROM population_rejected)")
    con.execute("UPDATE population_raw SET residents = CAST(raw AS BIGINT)")
    bad = store.rows(con, "SELECT line, reason FROM population_rejected ORDER BY line")
    if structural:
        con.executemany("INSERT INTO population_rejected VALUES (?, ?)", structural)
    rejected = structural + [(int(r["line"]), r["reason"]) for r in bad]
    return count - (notes or 0) + len(structural), sorted(rejected), int(notes or 0)
