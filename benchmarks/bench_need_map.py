"""Benchmark: the multiple-need ranking and map for London (issue 11), server time.

    .venv/bin/python benchmarks/bench_need_map.py [--runs 5] [--store PATH]

1. Builds a store from the shipped data as ``make run`` does (boundaries, MPS, IMD 2025, Census 2021
   population, 24 months of synthetic ISTV) in a temporary folder (or reuses ``--store`` if it exists).
2. Baseline, in the same run: DuckDB alone reading the London LSOA geometries' GeoJSON text from the
   same file (a fresh read-only connection, ``fetchall``): the least any map of those shapes costs.
3. For London by LSOA, ward and borough, the two requests the need page makes: the page
   (``views.need``, ranking + template) and its map (``views.need_geojson``, ranking + shapes as GeoJSON),
   called through Django's request handling with a signed-in member (no network, no browser).
   "Cold" is the first request after the store changed (a new store version: nothing cached),
   "warm" the median of ``--runs`` repeats. The process is warmed first (imports, templates).
   Prints each time and its ratio to the baseline.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vrhub.settings.local")


def build(path: Path) -> None:
    from io import StringIO

    from django.core.management import call_command

    from vrhub.evidence.loaders.boundaries import load_boundaries
    from vrhub.evidence.loaders.imd import load_imd
    from vrhub.evidence.loaders.istv import load_istv
    from vrhub.evidence.loaders.mps import load_mps
    from vrhub.evidence.loaders.population import load_population

    data = ROOT / "data"
    load_boundaries(paths=[data / "boundaries"])
    load_mps(paths=[data / "mps"])
    load_imd(paths=[data / "imd" / "imd2025_england_lsoa21.csv", data / "imd" / "imd2019_england_lsoa11.csv"])
    load_population(paths=[data / "population"])
    istv = path.with_name("istv-synthetic.csv")
    call_command("generate_istv", "--out", str(istv), "--months", "24", "--seed", "1", stdout=StringIO())
    load_istv(paths=[istv])


def baseline(path: Path) -> float:
    import duckdb

    from vrhub.evidence import store

    started = time.perf_counter()
    con = duckdb.connect(str(path), read_only=True)
    found = con.execute(
        "SELECT code, name, geojson FROM geometries WHERE level = 'lsoa' AND list_contains($b, parent_code)",
        {"b": list(store.LONDON_BOROUGHS)},
    ).fetchall()
    con.close()
    assert len(found) > 4000
    return time.perf_counter() - started


def request(path: str, level: str):
    from django.test import RequestFactory

    req = RequestFactory().get(path, {"within": "E12000007", "level": level})
    req.user = SimpleNamespace(
        organisation_id=1,
        organisation=SimpleNamespace(code="VRU-LDN"),
        role="editor",
        username="bench",
        is_authenticated=True,
        is_anonymous=False,
        is_vru_admin=False,
        is_vru_user=True,
        get_full_name=lambda: "Benchmark",
    )
    req.session = {}
    return req


def timed(view, path: str, level: str) -> tuple[float, int]:
    started = time.perf_counter()
    response = view(request(path, level))
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, response.status_code
    return elapsed, len(response.content)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--store", type=Path, help="an existing store to reuse (built there if missing)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="vrhub-bench-need-"))
    path = (args.store or folder / "evidence.duckdb").absolute()
    os.environ["EVIDENCE_DUCKDB"] = str(path)
    import django

    django.setup()
    from vrhub.evidence import views

    if not path.exists():
        started = time.perf_counter()
        build(path)
        print(f"store built from data/ in {time.perf_counter() - started:.1f} s: {path}")
    base = statistics.median(baseline(path) for _ in range(args.runs))
    print(f"baseline: DuckDB alone reads London's LSOA geometries in {base * 1000:.0f} ms (median of {args.runs})")
    # Warm the process (imports, template compilation, URL resolver): "cold" below is a new store version.
    timed(views.need, "/evidence/need/", "borough")
    timed(views.need_geojson, "/evidence/need/map.geojson", "borough")
    print(f"{'request':34} {'cold':>9} {'warm':>9} {'size':>9}  cold/baseline  warm/baseline")
    for level in ("lsoa", "ward", "borough"):
        os.utime(path)  # a new version of the store: nothing cached from before
        for name, view, url in (
            ("page", views.need, "/evidence/need/"),
            ("map.geojson", views.need_geojson, "/evidence/need/map.geojson"),
        ):
            cold, size = timed(view, url, level)
            warm = statistics.median(timed(view, url, level)[0] for _ in range(args.runs))
            label = f"London {level} {name}"
            print(
                f"{label:34} {cold * 1000:7.0f}ms {warm * 1000:7.0f}ms {size / 1e6:7.2f}MB"
                f"  {cold / base:12.1f}×  {warm / base:12.1f}×"
            )
    print("limit: each request under 1 s server time (the page and its map are two requests)")


if __name__ == "__main__":
    main()
