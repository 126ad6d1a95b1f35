"""National scale (issue 16): 20 VRUs, 314 CSPs, five plan years, ~80 actions a plan, four quarterly updates
an action (about 500,000 updates) and their audit trail, on PostgreSQL.

Run on its own:  scripts/with-postgres.sh .venv/bin/python benchmarks/bench_national_scale.py [--scale 1.0]
(``--scale 0.05`` is a quick try: 2 VRUs, 16 CSPs). Needs DATABASE_URL to be PostgreSQL (the script above
starts a throwaway cluster). All the plan data it makes is synthetic (``Plan.synthetic``) and benchmark-only.

Steps: London (the largest VRU, 32 boroughs) is built first and measured as the small scale; then the
other 19 VRUs and their CSPs are added and the same requests are measured again, as the same London VRU
reviewer (Django test client against the real views, API with a bearer token). For each page: p50 and p95
server time over N requests and the SQL query count; the ratio of the national to the small p50 is printed,
and the query counts must be equal. Bulk data goes in with COPY; the data's creation time, the database's
size (pg_database_size) and its biggest tables are reported.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "vrhub.settings.local"
os.environ["DEBUG"] = "false"
os.environ.setdefault("STATIC_ROOT", tempfile.mkdtemp(prefix="vrhub-bench-"))
os.environ.setdefault("EVIDENCE_DUCKDB", str(Path(tempfile.mkdtemp(prefix="vrhub-bench-")) / "evidence.duckdb"))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

YEARS = [2021, 2022, 2023, 2024, 2025]
ACTIONS = 80
QUARTERS = 4
VRUS, CSPS, LONDON_CSPS = 20, 314, 32
YEAR = 2023  # the year the pages are measured for
CSP_FILE = ROOT / "data" / "boundaries" / "community-safety-partnerships-2023-ew.topojson"
WORDS = (
    "knife crime youth outreach mentoring violence against women girls county lines exploitation hospital "
    "navigators school exclusion night time economy drugs alcohol domestic abuse trauma informed sport"
).split()


def copy_rows(model, rows: list[dict]) -> None:
    """COPY ``rows`` (attname -> value; the rest take the field's default) into the model's table."""
    now = datetime.now(UTC)
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(f'"{f.column}"' for f in fields)
    defaults = {}
    for f in fields:
        if f.has_default():
            defaults[f.attname] = f.get_default()
        elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            defaults[f.attname] = now
        elif f.null:
            defaults[f.attname] = None
        else:
            defaults[f.attname] = ""
    names = [f.attname for f in fields]
    raw = connection.connection
    with raw.cursor() as cursor, cursor.copy(f'COPY "{model._meta.db_table}" ({columns}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row([row[n] if n in row else defaults[n] for n in names])


def csp_codes() -> list[tuple[str, str]]:
    """The CSPs of England and Wales not yet in the database (code, name), from the ONS file."""
    import json

    topo = json.loads(CSP_FILE.read_text())
    objects = next(iter(topo["objects"].values()))["geometries"]
    out = [(g["properties"]["AREACD"], g["properties"]["AREANM"]) for g in objects]
    from vrhub.organisations.models import Organisation

    taken = set(Organisation.objects.values_list("csp_code", flat=True)) | set(
        Organisation.objects.values_list("code", flat=True)
    )
    return sorted((c, n) for c, n in out if c not in taken)


class Builder:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.statuses = None

    def vru_templates(self, vru) -> dict:
        from vrhub.cycle.services import quarters_create
        from vrhub.plans.services import template_create_from_content
        from vrhub.plans.templates import london_template

        templates = {}
        for year in YEARS:
            template = template_create_from_content(
                vru=vru, year=year, title=f"{year} template", themes=london_template().themes_2021, published=True
            )
            quarters_create(template=template)
            templates[year] = template
        return templates

    def plans(self, *, areas, templates: dict, actor) -> int:
        """Plans for every area and year, ACTIONS actions each, QUARTERS updates each, and the audit trail."""
        from vrhub.core.models import AuditEntry
        from vrhub.cycle.models import QuarterlyUpdate, ReportingQuarter
        from vrhub.plans.models import Plan, PlanAction, Status, TemplateAction

        rng = self.rng
        statuses = [s.value for s in Status]
        states = [s.value for s in Plan.State]
        plans = Plan.objects.bulk_create(
            Plan(area=a, template=t, synthetic=True, state=rng.choice(states))
            for a in areas
            for t in templates.values()
        )
        by_template = {}
        for t in templates.values():
            tas = list(TemplateAction.objects.filter(theme__template=t).select_related("theme").order_by("pk"))
            by_template[t.pk] = (tas, list(t.themes.order_by("order")))
        action_rows = []
        for plan in plans:
            tas, themes = by_template[plan.template_id]
            for i in range(ACTIONS):
                ta = tas[i] if i < len(tas) else None
                words = " ".join(rng.sample(WORDS, 5))
                action_rows.append(
                    {
                        "plan_id": plan.pk,
                        "theme_id": ta.theme_id if ta else themes[i % len(themes)].pk,
                        "template_action_id": ta.pk if ta else None,
                        "source": ("mandatory" if ta.kind == "mandatory" else "optional") if ta else "local",
                        "code": ta.code if ta else f"L-{i}",
                        "title": ta.title if ta else f"Local action {i}: {words}",
                        "description": f"Synthetic benchmark action: {words}",
                        "outcome": "Fewer injuries",
                        "baseline": "2020/21: 100",
                        "lead_name": "Synthetic Lead",
                        "lead_agency": "Council",
                        "progress": f"Under way: {words}",
                        "status": rng.choice(statuses),
                        "start_date": date(2021, 4, 1),
                        "end_date": date(2026, 3, 31),
                    }
                )
        copy_rows(PlanAction, action_rows)
        plan_ids = [p.pk for p in plans]
        quarters = {}
        for q in ReportingQuarter.objects.filter(template__in=list(templates.values())):
            quarters.setdefault(q.template_id, []).append(q.pk)
        actions = list(
            PlanAction.objects.filter(plan_id__in=plan_ids).values_list("pk", "plan_id", "plan__template_id")
        )
        update_rows, audit_rows = [], []
        actor_id = actor.pk
        for pk, plan_id, template_id in actions:
            audit_rows.append(
                {
                    "actor_id": actor_id,
                    "action": "create",
                    "object_type": "plans.planaction",
                    "object_id": str(pk),
                    "object_repr": "action",
                    "field": "title",
                    "new": "Synthetic",
                    "plan_id": plan_id,
                    "action_id": pk,
                }
            )
            for q in quarters[template_id][:QUARTERS]:
                status = rng.choice(statuses)
                update_rows.append(
                    {
                        "action_id": pk,
                        "quarter_id": q,
                        "progress": "Quarterly progress",
                        "status": status,
                        "updated_by_id": actor_id,
                    }
                )
        copy_rows(QuarterlyUpdate, update_rows)
        # The audit trail a quarterly_update_save writes: one row per field (progress, status, measured value).
        for update_id, action_id, plan_id, status in QuarterlyUpdate.objects.filter(
            action__plan_id__in=plan_ids
        ).values_list("pk", "action_id", "action__plan_id", "status"):
            for field, new in (("progress", "Quarterly progress"), ("status", status), ("measured_value", "")):
                audit_rows.append(
                    {
                        "actor_id": actor_id,
                        "action": "create",
                        "object_type": "cycle.quarterlyupdate",
                        "object_id": str(update_id),
                        "object_repr": "update",
                        "field": field,
                        "new": new,
                        "plan_id": plan_id,
                        "action_id": action_id,
                    }
                )
        copy_rows(AuditEntry, audit_rows)
        return len(update_rows)


def pg_size() -> tuple[int, list[tuple[str, int]]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        total = cursor.fetchone()[0]
        cursor.execute(
            "SELECT relname, pg_total_relation_size(c.oid) FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY 2 DESC LIMIT 6"
        )
        return total, cursor.fetchall()


def mb(n: int) -> str:
    return f"{n / 1024 / 1024:,.0f} MB"


def measure(pages: list[tuple[str, str, Client, dict]], runs: int) -> dict[str, dict]:
    out = {}
    for name, url, client, extra in pages:
        response = client.get(url, **extra)  # warm
        assert response.status_code == 200, (name, url, response.status_code)
        connection.queries_log.clear()  # a full log (9,000 entries) would capture nothing
        with CaptureQueriesContext(connection) as ctx:
            client.get(url, **extra)
        queries = len(ctx.captured_queries)  # now: later requests clear the connection's query log
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            client.get(url, **extra)
            times.append((time.perf_counter() - start) * 1000)
        times.sort()
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        out[name] = {"p50": statistics.median(times), "p95": p95, "queries": queries, "url": url}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--runs", type=int, default=None, help="requests per page (default 30; 10 below scale 0.5)")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("bench_national_scale: run it on PostgreSQL: scripts/with-postgres.sh .venv/bin/python ...")
    runs = args.runs or (30 if args.scale >= 0.5 else 10)
    n_vrus = max(2, round(VRUS * args.scale))
    n_csps = max(n_vrus * 2, round(CSPS * args.scale))
    n_london = max(2, round(LONDON_CSPS * args.scale))
    n_other_csps = n_csps - n_london

    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections, reset_queries

    from vrhub.accounts.models import User
    from vrhub.organisations.models import Organisation
    from vrhub.organisations.services import london_load
    from vrhub.plans.models import Plan
    from vrhub.transparency.models import Publication
    from vrhub.transparency.services import api_token_issue

    request_started.disconnect(reset_queries)
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    rng = random.Random(16)
    builder = Builder(rng)
    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrate_s = time.perf_counter() - t0

    # Small scale: London only.
    t0 = time.perf_counter()
    london = london_load()
    actor = User.objects.create(username="bench.vru", organisation=london, role=User.Role.VRU_REVIEWER)
    templates = builder.vru_templates(london)
    boroughs = list(Organisation.objects.filter(kind="area", vru=london).order_by("code"))
    if "E09000016" not in {b.code for b in boroughs[:n_london]}:
        boroughs = [b for b in boroughs if b.code == "E09000016"] + [b for b in boroughs if b.code != "E09000016"]
    updates = builder.plans(areas=boroughs[:n_london], templates=templates, actor=actor)
    Publication.objects.create(vru=london, year=YEAR, published_by=actor)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    small_build = time.perf_counter() - t0
    small_plans = Plan.objects.count()

    _, key = api_token_issue(user=actor, name="benchmark")
    signed_in = Client()
    signed_in.force_login(actor)
    api = Client()
    anonymous = Client()
    plan = Plan.objects.get(area__code="E09000016", template__year=YEAR)
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    pages = [
        ("dashboard: the VRU's view of the year", f"/london/{YEAR}/", signed_in, {}),
        ("dashboard: a borough's overdue actions", f"/london/{YEAR}/boroughs/E09000016/?show=overdue", signed_in, {}),
        ("a borough's plan page", f"/plans/{plan.pk}/", signed_in, {}),
        ("library search", "/library/?q=knife+crime", signed_in, {}),
        ("library search, one year", f"/library/?q=knife+crime&year={YEAR}", signed_in, {}),
        ("API: plans list", "/api/v1/plans", api, bearer),
        ("API: plans list, one year", f"/api/v1/plans?year={YEAR}", api, bearer),
        ("API: one plan", f"/api/v1/plans/{plan.pk}", api, bearer),
        ("API: the VRU's summary", f"/api/v1/london/{YEAR}/summary", api, bearer),
        ("public index", "/public/", anonymous, {}),
    ]
    for _, _, client, _ in pages:
        client.defaults["HTTP_HOST"] = "127.0.0.1"
    small = measure(pages, runs)
    small_size, _ = pg_size()

    # National scale: the other VRUs and their CSPs.
    t0 = time.perf_counter()
    codes = csp_codes()[:n_other_csps]
    per_vru = [codes[i :: n_vrus - 1] for i in range(n_vrus - 1)]
    total_updates = updates
    for n, vru_codes in enumerate(per_vru, start=1):
        vru = Organisation.objects.create(kind="vru", code=f"VRU-S{n:02d}", name=f"Synthetic VRU {n:02d}")
        areas = Organisation.objects.bulk_create(
            Organisation(kind="area", code=code, csp_code=code, name=name, vru=vru) for code, name in vru_codes
        )
        vru_actor = User.objects.create(username=f"bench.vru{n:02d}", organisation=vru, role=User.Role.VRU_REVIEWER)
        total_updates += builder.plans(areas=areas, templates=builder.vru_templates(vru), actor=vru_actor)
        if n % 2:
            Publication.objects.create(vru=vru, year=YEAR, published_by=vru_actor)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    big_build = time.perf_counter() - t0
    big = measure(pages, runs)
    big_size, tables = pg_size()

    from vrhub.core.models import AuditEntry
    from vrhub.cycle.models import QuarterlyUpdate
    from vrhub.plans.models import PlanAction

    print(
        f"machine: {os.cpu_count()} cores, {os.uname().sysname} {os.uname().release}; PostgreSQL "
        f"{connection.pg_version // 10000}; load average {os.getloadavg()[0]:.1f}; {date.today()}; scale {args.scale}"
    )
    print(
        f"data: {Organisation.objects.filter(kind='vru').count()} VRUs, "
        f"{Organisation.objects.filter(kind='area', plans__isnull=False).distinct().count()} CSPs with plans, "
        f"{len(YEARS)} years, {Plan.objects.count():,} plans, {PlanAction.objects.count():,} actions, "
        f"{QuarterlyUpdate.objects.count():,} quarterly updates ({total_updates:,} made), "
        f"{AuditEntry.objects.count():,} audit rows"
    )
    print(
        f"creation: migrate {migrate_s:.0f} s; London ({small_plans} plans) {small_build:.0f} s; "
        f"the other {n_vrus - 1} VRUs {big_build:.0f} s"
    )
    print(
        f"database: {mb(small_size)} with London only; {mb(big_size)} national; "
        f"{mb((big_size - small_size) / max(1, n_vrus - 1))} per added VRU"
    )
    print("biggest tables: " + "; ".join(f"{name} {mb(size)}" for name, size in tables))
    print(f"\n{runs} requests per page, as the London VRU reviewer (server time, ms)")
    header = f"{'page':44} {'p50 1 VRU':>9} {'p50 all':>8} {'p95 all':>8} {'ratio':>6} {'queries':>9}  verdict"
    print(header)
    bad = 0
    for name in small:
        s, b = small[name], big[name]
        same = s["queries"] == b["queries"]
        ok = same and b["p95"] < 300
        bad += not ok
        print(
            f"{name:44} {s['p50']:9.0f} {b['p50']:8.0f} {b['p95']:8.0f} {b['p50'] / s['p50']:5.2f}x "
            f"{s['queries']:>4}/{b['queries']:<4}  {'ok' if ok else ('COUNT GROWS' if not same else 'p95 OVER 300 ms')}"
        )
    print(f"\n{'all pages ok' if not bad else f'{bad} page(s) not ok'}")


if __name__ == "__main__":
    main()
