# ruff: noqa: S608 - SQL text here is built from constants and sql_str()-quoted file paths; values are parameters.
"""The English Indices of Deprivation: 2025 by 2021 LSOA, 2019 by 2011 LSOA.

One row per LSOA with ``<Domain>_score``, ``<Domain>_rank`` and ``<Domain>_decile`` columns (the
2019 file has ranks and deciles only). Loading an edition again replaces it.
"""

from __future__ import annotations

import re
from pathlib import Path

from vrhub.evidence import store
from vrhub.evidence.loaders import LoadSummary, Progress, Reject, fingerprint, report

MEASURE = re.compile(r"^(?P<indicator>.+)_(?P<kind>score|rank|decile)$", re.IGNORECASE)


def load_imd(*, paths: list[str | Path], edition: str = "", progress: Progress | None = None) -> LoadSummary:
    summary = LoadSummary(files=len(paths))
    with store.connect() as con:
        seen = {r["fingerprint"] for r in store.rows(con, "SELECT DISTINCT fingerprint FROM loads WHERE kind = 'imd'")}
        for number, raw in enumerate(paths):
            path = Path(raw)
            report(progress, f"Loading {path.name}", number / max(len(paths), 1))
            if not path.is_file():
                summary.rejected.append(Reject(file=str(path), line=1, reason="No such file"))
                continue
            print_ = fingerprint(path)
            if print_ in seen:
                summary.already_loaded.append(str(path))
                continue
            seen.add(print_)
            rel = f"read_csv({store.sql_str(str(path))}, header = true, all_varchar = true)"
            columns = [d[0] for d in con.execute(f"SELECT * FROM {rel} LIMIT 0").description]
            code_col = next((c for c in columns if c.lower() in {"lsoa21_code", "lsoa11_code", "lsoa_code"}), None)
            measures = [(c, MEASURE.match(c)) for c in columns]
            measures = [(c, m["indicator"], m["kind"].lower()) for c, m in measures if m]
            if code_col is None or not measures:
                summary.rejected.append(
                    Reject(
                        file=str(path),
                        line=1,
                        reason="Not an IMD file: needs an LSOA code column and *_score/*_rank/*_decile columns",
                    )
                )
                continue
            this_edition = edition or ("2019" if "11" in code_col else "2025")
            unions = " UNION ALL ".join(
                f"SELECT line, code, {store.sql_str(ind)} AS indicator, {store.sql_str(kind)} AS kind, "
                f'"{col}" AS raw FROM src'
                for col, ind, kind in measures
            )
            con.execute(
                f"""
                CREATE OR REPLACE TEMP TABLE imd_long AS
                WITH src AS (SELECT row_number() OVER () + 1 AS line, trim("{code_col}") AS code, * FROM {rel})
                SELECT *, TRY_CAST(raw AS DOUBLE) AS value FROM ({unions})
                """
            )
            bad = store.rows(
                con,
                """
                SELECT line, min(CASE
                    WHEN code IS NULL OR length(code) <> 9 OR NOT (starts_with(code, 'E01') OR starts_with(code, 'W01'))
                        THEN 'LSOA code is missing or not an LSOA code'
                    WHEN raw IS NOT NULL AND trim(raw) NOT IN ('', 'NA') AND value IS NULL
                        THEN indicator || '_' || kind || ' is not a number: ' || raw
                END) AS reason
                FROM imd_long GROUP BY line HAVING reason IS NOT NULL ORDER BY line
                """,
            )
            bad_lines = [int(r["line"]) for r in bad]
            for r in bad:
                summary.rejected.append(Reject(file=str(path), line=int(r["line"]), reason=r["reason"]))
            rows = store.scalar(con, "SELECT count(DISTINCT line) FROM imd_long") or 0
            with store.transaction(con):
                batch = store.scalar(con, "SELECT nextval('batch_seq')")
                con.execute("DELETE FROM imd WHERE edition = $e", {"e": this_edition})
                con.execute(
                    """
                    INSERT INTO imd
                    SELECT $e, code, indicator, max(value) FILTER (WHERE kind = 'score'),
                           max(value) FILTER (WHERE kind = 'rank'), max(value) FILTER (WHERE kind = 'decile')
                    FROM imd_long WHERE line NOT IN (SELECT unnest($bad::BIGINT[]))
                    GROUP BY code, indicator
                    """,
                    {"e": this_edition, "bad": bad_lines},
                )
                con.execute(
                    "INSERT INTO loads VALUES ($b, 'imd', $f, $p, now(), $r, $l, 0, 0, $j, false)",
                    {"b": batch, "f": str(path), "p": print_, "r": rows, "l": rows - len(bad_lines), "j": len(bad)},
                )
                if bad:
                    con.executemany(
                        "INSERT INTO rejects VALUES (?, 'imd', ?, ?, ?)",
                        [(batch, str(path), int(r["line"]), r["reason"]) for r in bad],
                    )
            con.execute("DROP TABLE IF EXISTS imd_long")
            summary.rows += rows
            summary.loaded += rows - len(bad_lines)
            summary.notes.append(
                f"{path.name}: IMD {this_edition} ({'2011' if this_edition == '2019' else '2021'} LSOAs)."
            )
    report(progress, "Done", 1.0)
    return summary
