"""Benchmark: the police.uk load against a bare DuckDB read_csv + GROUP BY of the same files.

    .venv/bin/python benchmarks/bench_evidence_load.py [--rows 6000000] [--dir /tmp/vrhub-bench-police-uk]

1. Makes police.uk-format files for England and Wales for a year with the project's generator
   (``vrhub.evidence.synthetic.write_police_uk``; kept in --dir and reused).
2. Times, each in its own process (so peak memory is that step's own): DuckDB alone (typed
   read_csv + GROUP BY month, LSOA, crime type); the full load (validation, rejects, the Crime-ID
   rule, aggregation, and storage of the counts and of every kept row with its coordinates in
   ``police_points``, into a fresh store); and pandas read_csv + groupby as a reference.
   ``--repeat N`` runs DuckDB alone and the full load N times, alternately, and reports each ratio
   and the median (the machine may be shared: alternating keeps both under the same load).
3. Prints a table and a JSON line; checks the target (full load <= 4x DuckDB alone, <= 2 GB).

Not a test: it takes minutes, mostly generating the data.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def step_duckdb(files: list[str]) -> dict:
    import duckdb

    from vrhub.evidence.loaders.police_uk import COLUMN_TYPES

    con = duckdb.connect()
    start, cpu = time.perf_counter(), time.process_time()
    n = con.execute(
        'SELECT count(*) FROM (SELECT "Month", "LSOA code", "Crime type", count(*) FROM read_csv($f, header = true, '
        "columns = $c, dateformat = '%Y-%m', ignore_errors = true) GROUP BY ALL)",
        {"f": files, "c": COLUMN_TYPES},
    ).fetchone()[0]
    return {"seconds": time.perf_counter() - start, "cpu_seconds": time.process_time() - cpu, "groups": n}


def step_load(files: list[str]) -> dict:
    store_path = Path(tempfile.mkdtemp(prefix="vrhub-bench-")) / "evidence.duckdb"
    os.environ["EVIDENCE_DUCKDB"] = str(store_path)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vrhub.settings.local")
    import django

    django.setup()
    from vrhub.evidence import store
    from vrhub.evidence.loaders.police_uk import load_police_uk

    start, cpu = time.perf_counter(), time.process_time()
    summary = load_police_uk(paths=files)
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
    with store.connect() as con:
        points = store.rows(con, "SELECT count(*) AS kept, count(lon) AS placed FROM police_points")[0]
    store_mb = store_path.stat().st_size / 1e6
    shutil.rmtree(store_path.parent, ignore_errors=True)  # 200 MB per run: not left behind
    return {
        "points": int(points["kept"]),
        "points_placed": int(points["placed"]),
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "rows": summary.rows,
        "loaded": summary.loaded,
        "duplicates": summary.duplicates,
        "unlocated": summary.unlocated,
        "rejected": len(summary.rejected),
        "store_mb": store_mb,
    }


def step_pandas(files: list[str]) -> dict:
    import pandas as pd

    start = time.perf_counter()
    frames = [pd.read_csv(f, usecols=["Month", "LSOA code", "Crime type"]) for f in files]
    df = pd.concat(frames, ignore_index=True)
    groups = df.groupby(["Month", "LSOA code", "Crime type"], dropna=False).size()
    return {"seconds": time.perf_counter() - start, "groups": len(groups)}


STEPS = {"duckdb": step_duckdb, "load": step_load, "pandas": step_pandas}


def run_step(name: str, listing: Path) -> dict:
    out = subprocess.run(  # noqa: S603 - our own script, fixed arguments
        [sys.executable, __file__, "--step", name, "--listing", str(listing)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=6_000_000)
    parser.add_argument("--dir", default=str(Path(tempfile.gettempdir()) / "vrhub-bench-police-uk"))
    parser.add_argument("--step", choices=list(STEPS))
    parser.add_argument("--listing")
    parser.add_argument("--skip-pandas", action="store_true")
    parser.add_argument("--repeat", type=int, default=1, help="alternate DuckDB alone and the load N times")
    args = parser.parse_args()
    if args.step:
        files = Path(args.listing).read_text().split("\n")
        result = STEPS[args.step](files)
        result["peak_mb"] = _peak_mb()
        print(json.dumps(result))
        return

    from vrhub.evidence.synthetic import write_police_uk

    data = Path(args.dir)
    files = sorted(str(p) for p in data.rglob("*-street.csv"))
    if not files:
        start = time.perf_counter()
        files = sorted(str(p) for p in write_police_uk(out_dir=data, rows=args.rows))
        print(f"generated {len(files)} files in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    size = sum(Path(f).stat().st_size for f in files)
    listing = Path(tempfile.mkstemp(prefix="vrhub-bench-files-", suffix=".txt")[1])
    listing.write_text("\n".join(files))
    # Warm the page cache so every step reads from memory, as the first would not.
    for f in files:
        Path(f).read_bytes()
    results: dict = {"files": len(files), "bytes": size, "cpus": os.cpu_count(), "load_average": os.getloadavg()}
    ratios: list[float] = []
    cpu_ratios: list[float] = []  # CPU time (all threads): less swayed by other work on a shared machine
    for _ in range(max(1, args.repeat)):
        for name in ["duckdb", "load"]:
            results[name] = run_step(name, listing)
            print(f"{name}: {results[name]}", file=sys.stderr)
        ratios.append(results["load"]["seconds"] / results["duckdb"]["seconds"])
        cpu_ratios.append(results["load"]["cpu_seconds"] / results["duckdb"]["cpu_seconds"])
    if not args.skip_pandas:
        results["pandas"] = run_step("pandas", listing)
        print(f"pandas: {results['pandas']}", file=sys.stderr)
    ratio = sorted(ratios)[len(ratios) // 2]
    results["ratios"] = [round(r, 2) for r in ratios]
    results["ratio"] = ratio
    results["cpu_ratios"] = [round(r, 2) for r in cpu_ratios]
    results["cpu_ratio"] = sorted(cpu_ratios)[len(cpu_ratios) // 2]
    results["target_met"] = ratio <= 4 and results["load"]["peak_mb"] <= 2048
    print(f"\n{len(files)} files, {size / 1e9:.2f} GB, {results['load']['rows']:,} rows, {os.cpu_count()} CPUs")
    print(f"{'step':<40}{'seconds':>10}{'peak MB':>10}")
    labels = {
        "duckdb": "DuckDB alone (read_csv + GROUP BY)",
        "load": "full load (vrhub load_police_uk)",
        "pandas": "pandas read_csv + groupby (reference)",
    }
    for key, label in labels.items():
        if key in results:
            print(f"{label:<40}{results[key]['seconds']:>10.2f}{results[key]['peak_mb']:>10.0f}")
    verdict = "met" if results["target_met"] else "NOT met"
    print(f"full load / DuckDB alone = {ratio:.2f}x (target <= 4x, <= 2048 MB): {verdict}")
    if len(ratios) > 1:
        print(f"ratios of the {len(ratios)} alternating runs: {', '.join(f'{r:.2f}x' for r in ratios)} (median above)")
    print(
        f"CPU time (all threads) full load / DuckDB alone = {results['cpu_ratio']:.2f}x "
        f"(runs: {', '.join(f'{r:.2f}x' for r in cpu_ratios)}; the load also hashes every file)"
    )
    print(f"points kept: {results['load']['points']:,} ({results['load']['points_placed']:,} with coordinates)")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
