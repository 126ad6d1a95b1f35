"""Benchmark: reading data.police.uk counts now that they are a view over the kept rows.

    .venv/bin/python benchmarks/bench_police_reads.py [--dir /tmp/vrhub-bench-police-uk] [--repeat 5]

The load keeps each crime once, in ``police_points``; the monthly counts by force, LSOA and crime type
(``police_facts``) are a view that counts them, so a load writes one copy of the data, not two. This
measures what that costs a reader: the same queries the evidence pages run (through ``all_facts``),
over the view and, as the baseline in the same run, over a table holding the same counts (what the
store held before). Uses the national synthetic files of ``bench_evidence_load.py`` (made there).

Prints per query the median server time of each and the ratio; checks both give the same answer.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUERIES = {
    # selectors._police_months (coverage, cached per store version): from police_force_months
    "coverage: months per force": (
        "SELECT force_code, list(DISTINCT month ORDER BY month) AS months FROM {months} "
        "WHERE force_code IS NOT NULL GROUP BY force_code ORDER BY force_code",
        {},
    ),
    # a trend: one force, one crime type, by month
    "trend: a force's robbery by month": (
        "SELECT month, sum(n) AS n FROM {all_facts} WHERE source = 'police_uk' AND force_code = $f "
        "AND category = 'Robbery' GROUP BY month ORDER BY month",
        {"f": "E23000001"},
    ),
    # a need ranking: every LSOA's violence in a year
    "ranking: violence per LSOA, national": (
        "SELECT area_code, sum(n) AS n FROM {all_facts} WHERE source = 'police_uk' AND level = 'lsoa' "
        "AND category = 'Violence and sexual offences' GROUP BY area_code ORDER BY area_code",
        {},
    ),
    # a borough's profile: ~150 LSOAs, every crime type, by month
    "profile: 150 LSOAs by type and month": (
        "SELECT month, category, sum(n) AS n FROM {all_facts} WHERE source = 'police_uk' "
        "AND list_contains($l, area_code) GROUP BY ALL ORDER BY ALL",
        {"l": None},
    ),
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", default=str(Path(tempfile.gettempdir()) / "vrhub-bench-police-uk"))
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    files = sorted(str(p) for p in Path(args.dir).rglob("*-street.csv"))
    if not files:
        sys.exit(f"No data in {args.dir}: run benchmarks/bench_evidence_load.py first (it makes the files).")
    folder = Path(tempfile.mkdtemp(prefix="vrhub-bench-reads-"))
    os.environ["EVIDENCE_DUCKDB"] = str(folder / "evidence.duckdb")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vrhub.settings.local")
    import django

    django.setup()
    import duckdb

    from vrhub.evidence.loaders.police_uk import load_police_uk

    try:
        load_police_uk(paths=files)
        # The baseline: the same counts as a table, and all_facts over it, in a copy of the store.
        copy = folder / "baseline.duckdb"
        shutil.copyfile(folder / "evidence.duckdb", copy)
        con = duckdb.connect(str(copy))
        con.execute("CREATE TABLE police_facts_table AS SELECT * FROM police_facts")
        view_sql = con.execute("SELECT sql FROM duckdb_views() WHERE view_name = 'all_facts'").fetchone()[0]
        con.execute(
            view_sql.replace("CREATE VIEW all_facts", "CREATE VIEW all_facts_table").replace(
                "FROM police_facts p", "FROM police_facts_table p"
            )
        )
        lsoas = [
            r[0]
            for r in con.execute(
                "SELECT DISTINCT lsoa_code FROM police_points WHERE lsoa_code IS NOT NULL ORDER BY lsoa_code LIMIT 150"
            ).fetchall()
        ]
        con.close()
        con = duckdb.connect(str(copy), read_only=True)
        results = {}
        print(f"{'query':<40}{'table ms':>10}{'view ms':>10}{'ratio':>8}")
        for name, (sql, params) in QUERIES.items():
            params = {k: (lsoas if v is None else v) for k, v in params.items()}
            times: dict[str, list[float]] = {"table": [], "view": []}
            answers = {}
            for _ in range(args.repeat):
                for kind, months, all_facts in (
                    ("table", "police_facts_table", "all_facts_table"),
                    ("view", "police_force_months", "all_facts"),
                ):
                    start = time.perf_counter()
                    answers[kind] = con.execute(sql.format(months=months, all_facts=all_facts), params).fetchall()
                    times[kind].append(time.perf_counter() - start)
            assert answers["table"] == answers["view"], f"{name}: the view and the table disagree"
            table, view = (statistics.median(times[k]) * 1000 for k in ("table", "view"))
            results[name] = {"table_ms": round(table, 1), "view_ms": round(view, 1), "ratio": round(view / table, 2)}
            print(f"{name:<40}{table:>10.1f}{view:>10.1f}{view / table:>7.2f}x")
        con.close()
        print(json.dumps({"files": len(files), "load_average": os.getloadavg(), "queries": results}))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
