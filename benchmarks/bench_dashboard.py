"""The London dashboard over 32 plans x 80 actions with 8 quarters of updates (two plan years).

Run on its own:  .venv/bin/python benchmarks/bench_dashboard.py
Builds a throwaway SQLite database. Reports the server time of GET /london/2021/ (median of runs)
and its SQL query count at two data sizes, against a baseline measured in the same run: reading
every action row of the year with one bare query (the least work any dashboard must do).
"""

import os
import random
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
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

RUNS = 7
ACTIONS = 80


def build(n_areas: int) -> None:
    from vrhub.cycle.models import QuarterlyUpdate
    from vrhub.cycle.services import quarters_create
    from vrhub.organisations.models import Organisation
    from vrhub.plans.models import Plan, PlanAction, PlanTemplate, Status, TemplateAction
    from vrhub.plans.templates import london_template

    rng = random.Random(1)
    vru = Organisation.objects.get(code="VRU-LDN")
    statuses = [s.value for s in Status]
    for year in (2021, 2022):
        template = PlanTemplate.objects.filter(vru=vru, year=year).first()
        if template is None:
            from vrhub.plans.services import template_create_from_content

            template = template_create_from_content(
                vru=vru, year=year, title=str(year), themes=london_template().themes_2021, published=True
            )
        quarters = quarters_create(template=template)
        tas = list(TemplateAction.objects.filter(theme__template=template).select_related("theme"))
        themes = list(template.themes.all())
        for area in Organisation.objects.filter(kind="area", vru=vru).order_by("code")[:n_areas]:
            if Plan.objects.filter(area=area, template=template).exists():
                continue
            plan = Plan.objects.create(area=area, template=template, synthetic=True)
            actions = []
            for i in range(ACTIONS):
                ta = tas[i] if i < len(tas) else None
                actions.append(
                    PlanAction(
                        plan=plan,
                        theme=ta.theme if ta else themes[i % len(themes)],
                        template_action=ta,
                        source=("mandatory" if ta.kind == "mandatory" else "optional") if ta else "local",
                        code=ta.code if ta else f"L-{i}",
                        title=ta.title if ta else f"Local action {i}",
                        outcome="Fewer injuries",
                        baseline="2020/21: 100",
                        lead_name="Synthetic Lead",
                        lead_agency="Council",
                        progress="Under way",
                        status=rng.choice(statuses),
                    )
                )
            PlanAction.objects.bulk_create(actions)
            QuarterlyUpdate.objects.bulk_create(
                QuarterlyUpdate(action=a, quarter=q, progress="Quarterly progress", status=rng.choice(statuses))
                for a in plan.actions.all()
                for q in quarters
            )


def measure(client) -> tuple[float, int]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/london/2021/", HTTP_HOST="127.0.0.1")
    assert response.status_code == 200
    queries = len(ctx.captured_queries)
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        client.get("/london/2021/", HTTP_HOST="127.0.0.1")
        times.append(time.perf_counter() - start)
    return statistics.median(times), queries


def main() -> None:
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections, reset_queries

    from vrhub.accounts.models import User
    from vrhub.organisations.services import london_load
    from vrhub.plans.models import PlanAction

    # Keep one connection and its query log for the whole run (as the test client does in tests).
    request_started.disconnect(reset_queries)
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    call_command("migrate", verbosity=0)
    vru = london_load()
    reviewer = User.objects.create(username="bench", organisation=vru, role=User.Role.VRU_REVIEWER)
    client = Client()
    client.force_login(reviewer)

    build(8)
    small_time, small_queries = measure(client)
    build(32)
    big_time, big_queries = measure(client)

    def baseline():
        return list(
            PlanAction.objects.filter(plan__template__year=2021).values_list(
                "plan_id", "theme_id", "status", "outcome", "progress"
            )
        )

    base_times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        rows = baseline()
        base_times.append(time.perf_counter() - start)
    base = statistics.median(base_times)
    from vrhub.cycle.models import QuarterlyUpdate

    print(
        f"data: 32 boroughs x {ACTIONS} actions x 2 years; {len(rows)} actions in 2021; "
        f"{QuarterlyUpdate.objects.count()} quarterly updates (8 quarters)"
    )
    print(
        f"queries: {small_queries} with 8 plans, {big_queries} with 32 plans "
        f"({'constant' if small_queries == big_queries else 'GROWS'})"
    )
    print(
        f"dashboard server time: {big_time * 1000:.0f} ms (8 plans: {small_time * 1000:.0f} ms); "
        f"baseline bare read of the year's actions {base * 1000:.1f} ms; ratio {big_time / base:.1f}x; "
        f"limit 300 ms: {'ok' if big_time < 0.3 else 'OVER'}"
    )


if __name__ == "__main__":
    main()
