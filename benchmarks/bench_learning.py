"""Emerging themes and similar work over the demo data (32 synthetic plans, two quarters of updates).

Run on its own:  .venv/bin/python benchmarks/bench_learning.py
Builds a throwaway SQLite database with seed_demo's content. Reports medians of runs against a baseline
measured in the same run: one bare query reading the text the step must read (the least work it can do).
"""

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
os.environ["DEBUG"] = "false"
os.environ.setdefault("STATIC_ROOT", TMP)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

RUNS = 5


def median_ms(fn) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    call_command("migrate", verbosity=0)
    from vrhub.cycle.models import QuarterlyUpdate
    from vrhub.demo.seed import demo_load
    from vrhub.learning.selectors import emerging_themes, similar_work
    from vrhub.organisations.models import Organisation
    from vrhub.plans.models import PlanAction

    demo_load()
    vru = Organisation.objects.get(code="VRU-LDN")
    updates = QuarterlyUpdate.objects.filter(quarter__template__year=2021, quarter__number__in=[1, 2]).count()
    actions = PlanAction.objects.filter(plan__template__year=2021, plan__is_current=True)
    local = actions.filter(source=PlanAction.Source.LOCAL).select_related("plan__area", "plan__template").first()

    def read_updates():
        list(
            QuarterlyUpdate.objects.filter(quarter__template__year=2021, quarter__number__in=[1, 2]).values_list(
                "progress", "action__plan__area__name"
            )
        )

    def read_actions():
        list(actions.values_list("title", "description", "outcome", "baseline", "progress", "comments"))

    rows = emerging_themes(vru=vru, year=2021, quarter=2)
    print(f"SYNTHETIC demo data: 32 plans, {actions.count()} actions, {updates} quarterly updates (Q1 and Q2 2021/22)")
    print(f"emerging themes found: {', '.join(r['term'] for r in rows)}")
    for name, step, baseline in [
        ("emerging themes, Q2 vs Q1", lambda: emerging_themes(vru=vru, year=2021, quarter=2), read_updates),
        ("similar work for one local action", lambda: similar_work(action=local, limit=10), read_actions),
    ]:
        took, base = median_ms(step), median_ms(baseline)
        print(f"{name}: {took:.0f} ms; baseline (read the text) {base:.1f} ms; ratio {took / base:.1f}x")


if __name__ == "__main__":
    main()
