"""Benchmark: evidence readers in several processes while a load runs in another (issue 9).

    .venv/bin/python benchmarks/bench_evidence_readers.py [--readers 4] [--rows 200000] [--idle 5]

1. Builds a store from the shipped open data (``data/mps``, IMD 2025, Havering's LSOAs) in a temp dir.
2. Starts ``--readers`` processes, each asking over and over for the data-loaded table (the index
   page's one small query) and Havering's problem profile (``selectors.headline_trends``, the
   heaviest read: 16 queries), timing each.
3. After ``--idle`` seconds, runs ``manage.py load_mps`` on a generated LSOA file of ``--rows`` rows
   (24 months) in another process; readers carry on until it has finished and ``--idle`` seconds more.
4. Prints reader latency (median, 95th percentile, max) before, during and after the load, the number
   of reader errors (must be 0), the load's time and the store's size. Not a test: it takes a minute.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def reader(stop: Path, out: Path) -> None:
    import django

    django.setup()
    from vrhub.evidence import selectors

    samples, errors = [], []
    while not stop.exists():
        started = time.time()
        t0 = time.perf_counter()
        try:
            loads = selectors.loads_by_kind()  # the index page: one small query
            t1 = time.perf_counter()
            profile = selectors.headline_trends(code="E09000016")  # the problem profile: 16 queries
            assert profile["rows"] and loads
        except Exception as exc:  # noqa: BLE001 - counted and shown
            errors.append(f"{type(exc).__name__}: {exc}")
            continue
        samples.append((started, t1 - t0, time.perf_counter() - t1))
    out.write_text(json.dumps({"samples": samples, "errors": errors}))


def write_lsoa_file(path: Path, rows: int) -> None:
    rng = random.Random(1)
    months = [f"{y}{m:02d}" for y in (2022, 2023) for m in range(1, 13)]
    with path.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["LSOA Code", "LSOA Name", "Borough", "Major Category", "Minor Category", *months])
        for i in range(rows):
            writer.writerow(
                [f"E01{i // 4:06d}", f"Area {i}", "E09000016", ["ROBBERY", "BURGLARY"][i % 2], "X"]
                + [rng.randint(0, 5) for _ in months]
            )


def stats(values: list[float]) -> str:
    if not values:
        return "no reads"
    values = sorted(values)
    p95 = values[min(len(values) - 1, int(0.95 * len(values)))]
    return (
        f"{len(values):5d} reads, median {statistics.median(values) * 1000:7.1f} ms, p95 {p95 * 1000:7.1f} ms, "
        f"max {values[-1] * 1000:7.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--readers", type=int, default=4)
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--idle", type=float, default=5.0)
    parser.add_argument("--reader", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.reader:
        reader(Path(args.reader[0]), Path(args.reader[1]))
        return

    folder = Path(tempfile.mkdtemp(prefix="vrhub-bench-readers-"))
    store_path = folder / "evidence.duckdb"
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "vrhub.settings.local",
        "EVIDENCE_DUCKDB": str(store_path),
        "PYTHONPATH": str(ROOT),
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    for command in (
        ["load_boundaries", "data/boundaries/london-lsoa21/E09000016.geojson"],
        ["load_mps", "data/mps"],
        ["load_imd", "data/imd/imd2025_england_lsoa21.csv"],
    ):
        subprocess.run([*manage, *command, "--quiet"], check=True, cwd=ROOT, env=env, capture_output=True)  # noqa: S603
    big = folder / "lsoa-big.csv"
    write_lsoa_file(big, args.rows)
    print(f"store {store_path.stat().st_size / 1e6:.1f} MB before the load; {args.readers} readers", file=sys.stderr)

    stop = folder / "stop"
    outs = [folder / f"reader-{i}.json" for i in range(args.readers)]
    readers = [
        subprocess.Popen([sys.executable, __file__, "--reader", str(stop), str(out)], cwd=ROOT, env=env)  # noqa: S603
        for out in outs
    ]
    time.sleep(args.idle)
    load_start = time.time()
    subprocess.run([*manage, "load_mps", str(big), "--quiet"], check=True, cwd=ROOT, env=env)  # noqa: S603
    load_end = time.time()
    time.sleep(args.idle)
    stop.touch()
    for process in readers:
        process.wait()
    results = [json.loads(out.read_text()) for out in outs]
    samples = [s for r in results for s in r["samples"]]
    errors = [e for r in results for e in r["errors"]]
    print(f"load_mps of {args.rows:,} rows × 24 months: {load_end - load_start:.1f} s")
    print(f"store after: {store_path.stat().st_size / 1e6:.1f} MB")
    for label, pick in (("index page", 1), ("problem profile", 2)):
        before = [s[pick] for s in samples if s[0] < load_start]
        during = [s[pick] for s in samples if load_start <= s[0] <= load_end]
        after = [s[pick] for s in samples if s[0] > load_end]
        print(f"{label}, before the load: {stats(before)}")
        print(f"{label}, during the load: {stats(during)}")
        print(f"{label}, after the load:  {stats(after)}")
    print(f"reader errors: {len(errors)}" + (f" (first: {errors[0]})" if errors else ""))


if __name__ == "__main__":
    main()
