"""The needs assessment data pack: how long making it takes against the evidence reads it is made from.

Run on its own:  .venv/bin/python benchmarks/bench_sna_pack.py

Builds a throwaway SQLite database (London's organisations) and evidence store (the shipped MPS dashboard,
homicide and LSOA files, IMD 2025, Census 2021 population, a synthetic ISTV extract) in a temp dir. Then, for
Havering, times (median of runs, after one cold run each):

* baseline: the underlying evidence reads, each called once as the workbench's own pages call them
  (each measure's series and 12-month trend with comparisons, the headline measures, hotspots, the ISTV
  profile, the population);
* the pack's data (``datapack_data``), the PDF and the DOCX (data + rendering);

and prints each as a ratio to the baseline. Results go in docs/benchmarks.md.
"""

import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TMP = tempfile.mkdtemp(prefix="vrhub-bench-")
os.environ["DJANGO_SETTINGS_MODULE"] = "vrhub.settings.local"
os.environ["DATABASE_URL"] = f"sqlite:///{TMP}/bench.sqlite3"
os.environ["EVIDENCE_DUCKDB"] = f"{TMP}/evidence.duckdb"
os.environ["DEBUG"] = "false"
os.environ.setdefault("STATIC_ROOT", TMP)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

RUNS = 5
AREA = "E09000016"
DATA = ROOT / "data"


def timed(fn) -> tuple[float, float]:
    """(cold ms, median warm ms)."""
    start = time.perf_counter()
    fn()
    cold = (time.perf_counter() - start) * 1000
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return cold, statistics.median(times)


def build() -> None:
    from vrhub.evidence.loaders.imd import load_imd
    from vrhub.evidence.loaders.istv import load_istv
    from vrhub.evidence.loaders.mps import load_mps
    from vrhub.evidence.loaders.population import load_population
    from vrhub.evidence.synthetic import istv_site_lsoas, write_istv
    from vrhub.organisations.services import london_load

    call_command("migrate", verbosity=0)
    london_load()
    mps = DATA / "mps"
    load_mps(
        paths=[mps / "monthly-crime-dashboard.parquet", mps / "homicide.parquet", mps / "recorded-crime-lsoa.parquet"]
    )
    load_imd(paths=[DATA / "imd" / "imd2025_england_lsoa21.csv"])
    load_population(paths=[DATA / "population" / "census2021-lsoa21-usual-residents.csv"])
    istv = write_istv(
        path=Path(TMP) / "istv.csv",
        site_code="RF4QH",
        lsoas=istv_site_lsoas(["RF4QH"]),
        start=dt.date(2024, 3, 1),
        months=24,
        per_month=40,
    )
    load_istv(paths=[istv])


def main() -> None:
    started = time.perf_counter()
    build()
    print(f"store and database built in {time.perf_counter() - started:.1f} s ({TMP})")
    from vrhub.duty import datapack_render
    from vrhub.duty.selectors.datapack import datapack_data
    from vrhub.duty.selectors.evidence import offences_in_scope
    from vrhub.evidence import selectors as evidence
    from vrhub.organisations.models import Organisation

    org = Organisation.objects.get(code=AREA)

    def reads():
        area = evidence.area_get(code=AREA)
        for scoped in offences_in_scope(area_code=AREA, offence_types=None):
            for measure in scoped.measures:
                series = evidence.trend_series(area=area, measure=measure)
                covered = [r["month"] for r in series["series"] if r["value"] is not None]
                if not covered:  # no data for the area: the pack says so, no trend to read
                    continue
                last = covered[-1]
                end = dt.date.fromisoformat(last + "-01")
                evidence.trend_compare(
                    area=area,
                    measure=measure,
                    period=f"{shift(end, -11)}:{shift(end, 0)}",
                    baseline=f"{shift(end, -23)}:{shift(end, -12)}",
                )
        evidence.headline_trends(code=AREA)
        evidence.hotspots(code=AREA)
        evidence.istv_profile(area=AREA)
        evidence.population(area=area)

    base_cold, base = timed(reads)
    data_cold, data = timed(lambda: datapack_data(area=org))
    pdf_cold, pdf = timed(lambda: datapack_render.render(fmt="pdf", data=datapack_data(area=org)))
    docx_cold, docx = timed(lambda: datapack_render.render(fmt="docx", data=datapack_data(area=org)))
    pack = datapack_data(area=org)
    sizes = {fmt: len(datapack_render.render(fmt=fmt, data=pack)) for fmt in ("pdf", "docx")}
    print(f"Havering ({AREA}), medians of {RUNS} warm runs after one cold run; SQLite, DuckDB store")
    print(f"{'step':<44}{'cold ms':>10}{'warm ms':>10}{'ratio':>8}")
    for name, cold, warm in (
        ("baseline: the underlying evidence reads", base_cold, base),
        ("pack data (datapack_data)", data_cold, data),
        (f"PDF: data + render ({sizes['pdf'] / 1024:,.0f} KB)", pdf_cold, pdf),
        (f"DOCX: data + render ({sizes['docx'] / 1024:,.0f} KB)", docx_cold, docx),
    ):
        print(f"{name:<44}{cold:>10.0f}{warm:>10.0f}{warm / base:>7.1f}×")


def shift(month: dt.date, n: int) -> str:
    """``month`` moved by ``n`` months, as YYYY-MM."""
    i = month.year * 12 + month.month - 1 + n
    return f"{i // 12:04d}-{i % 12 + 1:02d}"


if __name__ == "__main__":
    main()
