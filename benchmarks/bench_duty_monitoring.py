"""The Duty monitoring view over the demo data (32 synthetic partnerships at varied readiness).

Run on its own:  .venv/bin/python benchmarks/bench_duty_monitoring.py
Builds a throwaway SQLite database with ``seed_demo``'s data. Reports the server time of GET /duty/monitoring/
and of its CSV (median of runs) and their SQL query counts, against two baselines measured in the same run:
a bare read of every Duty row the view needs (the least work any such page must do), and the naive way of
building the table, ``area_readiness`` called once per area (9 queries each).
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
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

RUNS = 7


def timed(fn) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections, reset_queries

    from vrhub.accounts.models import User
    from vrhub.demo.seed import demo_load
    from vrhub.duty import models as m
    from vrhub.duty.selectors.readiness import area_readiness
    from vrhub.organisations.models import Organisation

    request_started.disconnect(reset_queries)
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    call_command("migrate", verbosity=0)
    demo_load()
    client = Client()
    client.force_login(User.objects.get(username="vru.reviewer"))

    results = {}
    for url in ("/duty/monitoring/", "/duty/monitoring/csv/"):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, HTTP_HOST="127.0.0.1")
            assert response.status_code == 200, response.status_code
        queries = len(ctx.captured_queries)
        results[url] = (timed(lambda u=url: client.get(u, HTTP_HOST="127.0.0.1")), queries)

    def bare():
        for model, fields in (
            (m.Partnership, ("area_id", "synthetic", "lead_body")),
            (m.SpecifiedAuthority, ("partnership_id", "kind", "lead_name")),
            (m.RelevantAuthority, ("partnership_id", "kind")),
            (m.Consultation, ("authority_id",)),
            (m.Definition, ("partnership_id", "offence_types", "rationale")),
            (m.NeedsAssessment, ("partnership_id", "state")),
            (m.SnaSection, ("assessment_id", "text")),
            (m.Strategy, ("partnership_id", "state", "next_review")),
            (m.SharingAgreement, ("partnership_id", "review_on")),
            (m.InformationRequest, ("partnership_id", "state", "due_on")),
        ):
            list(model.objects.values_list(*fields))

    areas = list(Organisation.objects.filter(kind="area", vru__code="VRU-LDN"))

    def naive():
        for area in areas:
            area_readiness(area=area)

    with CaptureQueriesContext(connection) as ctx:
        naive()
        naive_queries = len(ctx.captured_queries)
    base = timed(bare)
    naive_time = timed(naive)
    page, page_q = results["/duty/monitoring/"]
    csv_time, csv_q = results["/duty/monitoring/csv/"]
    print(f"data: {len(areas)} areas, {m.Partnership.objects.count()} synthetic partnerships (seed_demo)")
    print(f"monitoring page: {page * 1000:.1f} ms, {page_q} queries; CSV: {csv_time * 1000:.1f} ms, {csv_q} queries")
    print(f"baseline bare read of the Duty rows: {base * 1000:.1f} ms; page ratio {page / base:.1f}x")
    print(
        f"naive area_readiness per area: {naive_time * 1000:.1f} ms, {naive_queries} queries; "
        f"page / naive ratio {page / naive_time:.2f}x"
    )


if __name__ == "__main__":
    main()
