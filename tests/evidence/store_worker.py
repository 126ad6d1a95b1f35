"""Run in other processes by test_store_concurrency.py: reads the evidence store over and over.

    python tests/evidence/store_worker.py read STOP_FILE OUT_JSON

Set DJANGO_SETTINGS_MODULE and EVIDENCE_DUCKDB in the environment. Prints "ready" after the first
read; reads until STOP_FILE exists, then writes every observation, error and latency to OUT_JSON.
Each observation is taken in one connection (one version of the store): the number of files loaded,
the sum of every count, and what the evidence index page's selector reports.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def read(stop: Path, out: Path) -> None:
    import django

    django.setup()
    from vrhub.evidence import selectors, store

    observations, errors, latencies = [], [], []
    ready = False
    while not stop.exists():
        started = time.time()
        t0 = time.perf_counter()
        try:
            with store.connect() as con:
                files = store.scalar(con, "SELECT count(*) FROM loads")
                total = store.scalar(con, "SELECT coalesce(sum(n), 0) FROM facts")
                index_rows = sum(int(r["rows"]) for r in selectors.loads_by_kind())
                london = selectors.trend_series(
                    area=selectors.area_get(code="E12000007"), measure=selectors.measure_get(name="mps:ROBBERY")
                )
            observations.append([started, int(files), int(total), index_rows, len(london["series"])])
        except Exception as exc:  # noqa: BLE001 - every failure is reported to the test
            errors.append(f"{type(exc).__name__}: {exc}")
        latencies.append(time.perf_counter() - t0)
        if not ready:
            print("ready", flush=True)
            ready = True
    out.write_text(json.dumps({"observations": observations, "errors": errors, "latencies": latencies}))


if __name__ == "__main__":
    if sys.argv[1] == "read":
        read(Path(sys.argv[2]), Path(sys.argv[3]))
    else:
        raise SystemExit(f"unknown mode {sys.argv[1]!r}")
