"""Percentiles, errors and the lost-update count of a load run (benchmarks/load/run_load.sh).

    report.py snapshot SETUP.json OUT.json       versions of the Q1 updates before the run (needs the DB)
    report.py check SETUP.json BEFORE.json SAVES.jsonl [SAVES.jsonl...]   lost updates (needs the DB)
    report.py latency MAIN_SAMPLES.csv BASELINE_SAMPLES.csv [FAILURES.csv]   percentile tables

Percentiles are exact (nearest rank) over every request the locustfile recorded, not locust's
rounded histogram buckets. "Steady state" leaves out everything before the last sign-in finished
(50 people signing in within two seconds is a burst of password hashing).
"""

import csv
import json
import math
import os
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MARKER = "load-save"


def pct(values: list[float], p: float) -> float:
    if not values:
        return math.nan
    s = sorted(values)
    return s[max(0, math.ceil(p / 100 * len(s)) - 1)]


def load_samples(path: str) -> list[tuple[float, str, float, int]]:
    with open(path) as fh:
        return [(float(r["t"]), r["name"], float(r["ms"]), int(r["ok"])) for r in csv.DictReader(fh)]


def summarise(samples) -> dict[str, dict]:
    by: dict[str, list] = defaultdict(list)
    for _t, name, ms, ok in samples:
        by[name].append((ms, ok))
        by["ALL (every request)"].append((ms, ok))
    out = {}
    for name, rows in by.items():
        ms = [r[0] for r in rows]
        out[name] = {
            "n": len(rows),
            "errors": sum(1 for r in rows if not r[1]),
            "p50": pct(ms, 50),
            "p95": pct(ms, 95),
            "p99": pct(ms, 99),
            "max": max(ms),
        }
    return out


def fmt(v: float) -> str:
    return "–" if math.isnan(v) else f"{v:,.0f}"


def ratio(a: float, b: float) -> str:
    return "–" if math.isnan(a) or math.isnan(b) or b == 0 else f"{a / b:.1f}×"


def latency(main_path: str, base_path: str, failures_path: str | None = None) -> None:
    main, base = load_samples(main_path), load_samples(base_path)
    signins = [t for t, name, _ms, _ok in main if name.startswith("sign-in [POST]")]
    start, end = min(t for t, *_ in main), max(t for t, *_ in main)
    steady_from = max(signins) if signins else start
    sm, ss, sb = summarise(main), summarise([s for s in main if s[0] > steady_from]), summarise(base)
    order = sorted((k for k in sm if not k.startswith("ALL")), key=lambda k: -sm[k]["n"]) + ["ALL (every request)"]
    duration = end - start
    print(
        f"Main run: {len(main)} requests in {duration:.0f} s ({len(main) / duration:.1f} req/s); the last sign-in "
        f"finished {steady_from - start:.1f} s in; steady state after that: "
        f"{ss['ALL (every request)']['n']} requests.\n"
    )
    print(
        "| endpoint | requests | errors | p50 ms | p95 ms | p99 ms | steady p50 / p95 / p99 ms | baseline p50 / p95 ms"
        " (n) | p50 ratio | p95 ratio |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for k in order:
        m, s, b = sm[k], ss.get(k), sb.get(k)
        steady = f"{fmt(s['p50'])} / {fmt(s['p95'])} / {fmt(s['p99'])}" if s else "–"
        basecol = f"{fmt(b['p50'])} / {fmt(b['p95'])} ({b['n']})" if b else "–"
        print(
            f"| {k} | {m['n']} | {m['errors']} | {fmt(m['p50'])} | {fmt(m['p95'])} | {fmt(m['p99'])} | {steady} | "
            f"{basecol} | {ratio(m['p50'], b['p50']) if b else '–'} | {ratio(m['p95'], b['p95']) if b else '–'} |"
        )
    print("\nOver time (by the second each request ended; the sign-ins come first):\n")
    print("| seconds | requests | req/s | p50 ms | p95 ms | errors |")
    print("|---|---|---|---|---|---|")
    step = 10
    for lo in range(0, math.ceil(duration) + 1, step):
        rows = [s for s in main if lo <= s[0] - start < lo + step]
        if rows:
            ms = [r[2] for r in rows]
            print(
                f"| {lo}–{lo + step} | {len(rows)} | {len(rows) / step:.1f} | {fmt(pct(ms, 50))} | {fmt(pct(ms, 95))} "
                f"| {sum(1 for r in rows if not r[3])} |"
            )
    allm = sm["ALL (every request)"]
    print(
        f"\nTarget p95 < 300 ms with 0 errors: overall p95 {fmt(allm['p95'])} ms, steady-state p95 "
        f"{fmt(ss['ALL (every request)']['p95'])} ms, {allm['errors']} errors: "
        f"{'MET' if allm['p95'] < 300 and allm['errors'] == 0 else 'MISSED'}."
    )
    over = [k for k in order[:-1] if sm[k]["p95"] >= 300]
    if over:
        print("Endpoints with p95 >= 300 ms: " + ", ".join(over) + ".")
    if failures_path and os.path.exists(failures_path):
        with open(failures_path) as fh:
            rows = list(csv.DictReader(fh))
        if rows:
            print("\nErrors (locust's failure report):")
            for r in rows:
                print(f"- {r['Occurrences']} × {r['Method']} {r['Name']}: {r['Error'][:300]}")


def _django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vrhub.settings.production")
    import django

    django.setup()


def _updates(setup: dict):
    from vrhub.cycle.models import QuarterlyUpdate

    plans = {e["plan"] for e in setup["editors"]}
    return QuarterlyUpdate.objects.filter(action__plan_id__in=plans, quarter__number=1, action__theme__code="GOV")


def snapshot(setup_path: str, out: str) -> None:
    _django()
    from vrhub.core.models import AuditEntry

    setup = json.loads(Path(setup_path).read_text())
    versions = {str(u.action_id): u.version for u in _updates(setup)}
    last = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    Path(out).write_text(json.dumps({"audit_id": last, "versions": versions}))


def check(setup_path: str, before_path: str, saves_paths: list[str]) -> int:
    """Every save a client saw succeed (302) must be in the database, once, in version order."""
    _django()
    from vrhub.core.models import AuditEntry

    setup = json.loads(Path(setup_path).read_text())
    snap = json.loads(Path(before_path).read_text())
    before = {int(k): v for k, v in snap["versions"].items()}
    saves = [json.loads(line) for p in saves_paths for line in Path(p).read_text().splitlines() if line.strip()]
    outcomes: dict[str, int] = defaultdict(int)
    for s in saves:
        outcomes[s["outcome"]] += 1
    acked = [s for s in saves if s["outcome"] == "saved"]
    entries = list(
        AuditEntry.objects.filter(
            id__gt=snap["audit_id"], object_type="cycle.quarterlyupdate", field="progress", new__startswith=MARKER
        )
        .order_by("id")
        .values("object_id", "object_version", "new", "action", "action_id")
    )
    written = defaultdict(int)
    for e in entries:
        written[e["new"]] += 1
    missing = [s for s in acked if written.get(s["text"], 0) == 0]
    acked_texts = {s["text"] for s in acked}
    unacked = [e for e in entries if e["new"] not in acked_texts]
    dup_versions = defaultdict(int)
    for e in entries:
        if e["action"] == "update":
            dup_versions[(e["object_id"], e["object_version"])] += 1
    clashes = {k: n for k, n in dup_versions.items() if n > 1}
    # Final state: each update's text is its latest audited write, and its version moved by exactly the
    # number of writes (a creation starts at version 1).
    last_text, writes = {}, defaultdict(int)
    for e in entries:
        last_text[e["action_id"]] = e["new"]
        writes[e["action_id"]] += 1
    stale, version_mismatch = [], []
    for u in _updates(setup):
        if u.action_id not in writes:
            continue
        if u.progress != last_text[u.action_id]:
            stale.append(u.action_id)
        expected = before.get(u.action_id, 0) + writes[u.action_id]
        if u.version != expected:
            version_mismatch.append((u.action_id, before.get(u.action_id), u.version, writes[u.action_id]))
    lost = len(missing) + sum(n - 1 for n in clashes.values()) + len(stale)
    print(
        f"Quarterly-update saves: {len(saves)} attempts: {outcomes.get('saved', 0)} saved (302), "
        f"{outcomes.get('conflict', 0)} refused as conflicts (200, 'changed by someone else'), "
        f"{sum(n for k, n in outcomes.items() if k not in {'saved', 'conflict'})} errors"
        + "".join(f"; {n} {k}" for k, n in outcomes.items() if k not in {"saved", "conflict"})
        + "."
    )
    print(
        f"Database: {len(entries)} audited progress writes by the load ({len(acked)} acknowledged to clients); "
        f"acknowledged but not in the database: {len(missing)}; written twice at one version: {len(clashes)}; "
        f"updates whose text is not their last write: {len(stale)}; version arithmetic wrong: "
        f"{len(version_mismatch)}; written but never acknowledged (client cut off): {len(unacked)}."
    )
    print(f"LOST UPDATES: {lost}")
    for s in [s for s in saves if s.get("errors")][:3]:
        print(f"  e.g. {s['outcome']} on changing action {s['action']}: {s['errors']}")
    for s in missing[:5]:
        print(f"  missing: {s}")
    for k in list(clashes)[:5]:
        print(f"  two writes at version {k[1]} of update {k[0]}")
    for v in version_mismatch[:5]:
        print(f"  action {v[0]}: version {v[1]} before, {v[2]} after, {v[3]} writes")
    return lost


if __name__ == "__main__":
    cmd, *args = sys.argv[1:]
    if cmd == "latency":
        latency(*args)
    elif cmd == "snapshot":
        snapshot(*args)
    elif cmd == "check":
        sys.exit(1 if check(args[0], args[1], args[2:]) else 0)
    else:
        sys.exit(__doc__)
