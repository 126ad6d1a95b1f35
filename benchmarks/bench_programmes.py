"""Funded programmes at scale: the report page, the logic model and the 360Giving export.

Run on its own:  .venv/bin/python benchmarks/bench_programmes.py [N]
Builds a throwaway SQLite database with London's 32 areas, the 8/4/3 logic model and N (default 3,000)
published programmes of the VRU (about ten times the London VRU's 126, i.e. a national VRU's grants book),
each with a 2020/21 amount, 1-3 areas served, 1-2 objectives and four quarterly returns. Reports the time
(median of runs) and SQL query counts of:

* GET /programmes/reports/?year=2020 and GET /programmes/logic-model/?year=2020 (Django test client), against a
  baseline measured in the same run: a bare read of every row the pages need (programmes, amounts, returns,
  areas and objectives served), the least work any such page must do;
* building the year's 360Giving package (mapping, validation against the schema), against a baseline of
  dumping the same rows to JSON without mapping or validation.
The query counts are printed for N/10 programmes too: they must not grow with N.
"""

import datetime as dt
import json
import os
import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal
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

RUNS = 5
PAGES = ("/programmes/reports/?year=2020", "/programmes/logic-model/?year=2020")


def timed(fn) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def build(n: int, *, start: int) -> None:
    """Add programmes ``start``..``start + n - 1`` to London's VRU."""
    from vrhub.organisations.models import Organisation
    from vrhub.programmes import models as m

    rng = random.Random(start)
    vru = Organisation.objects.get(code="VRU-LDN")
    areas = list(Organisation.objects.filter(kind="area", vru=vru))
    objectives = list(m.LogicNode.objects.filter(vru=vru, level="objective"))
    recipients = m.Recipient.objects.bulk_create(
        [
            m.Recipient(vru=vru, name=f"Bench charity {i}", charity_number=str(1_000_000 + i))
            for i in range(start, start + n)
        ]
    )
    programmes = m.Programme.objects.bulk_create(
        [
            m.Programme(
                vru=vru,
                owner=vru,
                reference=f"B{i}",
                title=f"Bench programme {i}",
                description="Mentoring for young people at risk of exclusion.",
                recipient=recipient,
                funding_source="Home Office",
                spend_category="VCS/Community",
                award_date=dt.date(2020, 4, 15),
                start_date=dt.date(2020, 5, 1),
                end_date=dt.date(2021, 3, 31),
                published=True,
            )
            for i, recipient in zip(range(start, start + n), recipients, strict=True)
        ]
    )
    m.ProgrammeAmount.objects.bulk_create(
        [m.ProgrammeAmount(programme=p, year=2020, amount=Decimal(rng.randint(5_000, 500_000))) for p in programmes]
    )
    m.MonitoringReturn.objects.bulk_create(
        [
            m.MonitoringReturn(
                programme=p,
                year=2020,
                quarter=q,
                reached_direct=rng.randint(0, 80),
                reached_indirect=rng.randint(0, 300),
                reached_by_age={"15_17": rng.randint(0, 20)},
                spend_to_date=Decimal(1000 * q),
            )
            for p in programmes
            for q in (1, 2, 3, 4)
        ]
    )
    Areas = m.Programme.areas.through
    Objectives = m.Programme.objectives.through
    Areas.objects.bulk_create(
        [
            Areas(programme_id=p.pk, organisation_id=a.pk)
            for p in programmes
            for a in rng.sample(areas, rng.randint(1, 3))
        ]
    )
    Objectives.objects.bulk_create(
        [
            Objectives(programme_id=p.pk, logicnode_id=o.pk)
            for p in programmes
            for o in rng.sample(objectives, rng.randint(1, 2))
        ]
    )


def bare() -> list:
    from vrhub.programmes import models as m

    rows = [
        list(m.Programme.objects.values_list("pk", "title", "reference", "funding_source", "spend_category")),
        list(m.ProgrammeAmount.objects.filter(year=2020).values_list("programme_id", "amount")),
        list(
            m.MonitoringReturn.objects.filter(year=2020).values_list(
                "programme_id", "reached_direct", "reached_indirect"
            )
        ),
        list(m.Programme.areas.through.objects.values_list("programme_id", "organisation_id")),
        list(m.Programme.objectives.through.objects.values_list("programme_id", "logicnode_id")),
    ]
    return rows


class Counter:
    """Counts SQL statements (CaptureQueriesContext's log keeps only the last 9,000)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def counted(fn) -> int:
    counter = Counter()
    with connection.execute_wrapper(counter):
        fn()
    return counter.count


def measure(client) -> dict:
    from vrhub.organisations.models import Organisation
    from vrhub.programmes.selectors.open_data import grants_package

    vru = Organisation.objects.get(code="VRU-LDN")
    found = {}
    for url in PAGES:
        response = client.get(url, HTTP_HOST="127.0.0.1")
        assert response.status_code == 200, (url, response.status_code)
        queries = counted(lambda u=url: client.get(u, HTTP_HOST="127.0.0.1"))
        found[url] = (timed(lambda u=url: client.get(u, HTTP_HOST="127.0.0.1")), queries)
    queries = counted(lambda: grants_package(vru=vru, year=2020))
    found["360giving"] = (timed(lambda: grants_package(vru=vru, year=2020)), queries)
    found["grants"] = len(grants_package(vru=vru, year=2020)["grants"])
    found["bare"] = timed(bare)
    found["dump"] = timed(lambda: json.dumps(bare(), default=str))
    return found


def main() -> None:
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections, reset_queries

    from vrhub.accounts.models import User
    from vrhub.demo.programmes import logic_model_load
    from vrhub.organisations.models import Organisation
    from vrhub.organisations.services import london_load
    from vrhub.programmes.models import FunderProfile

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    request_started.disconnect(reset_queries)
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    call_command("migrate", verbosity=0)
    vru = london_load()
    logic_model_load(vru=vru)
    FunderProfile.objects.create(
        vru=vru, org_identifier="GB-GOR-PC390", funder_name="London VRU", grant_prefix="360G-bench", synthetic=True
    )
    user = User.objects.create_user(username="bench", organisation=vru, role=User.Role.VRU_REVIEWER)
    client = Client()
    client.force_login(user)

    small = n // 10
    build(small, start=0)
    few = measure(client)
    build(n - small, start=small)
    many = measure(client)
    areas = Organisation.objects.filter(kind="area", vru=vru).count()
    print(f"data: {areas} areas, {many['grants']} published programmes with 4 returns each (synthetic, benchmark only)")
    for key in (*PAGES, "360giving"):
        t_few, q_few = few[key]
        t, q = many[key]
        print(f"{key}: {t * 1000:.0f} ms, {q} queries ({small} programmes: {t_few * 1000:.0f} ms, {q_few} queries)")
    print(
        f"baseline bare read of the rows: {many['bare'] * 1000:.0f} ms; JSON dump of them: {many['dump'] * 1000:.0f} ms"
    )
    for url in PAGES:
        print(f"ratio {url} / bare read: {many[url][0] / many['bare']:.1f}x")
    print(f"ratio 360Giving package / JSON dump: {many['360giving'][0] / many['dump']:.1f}x")


if __name__ == "__main__":
    main()
