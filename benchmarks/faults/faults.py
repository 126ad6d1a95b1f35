"""Fault runs against gunicorn with the production settings on PostgreSQL (issue 9).

Run by benchmarks/faults/run_faults.sh, which builds the database (demo data and
benchmarks/load/setup_data.py) and sets the production environment; this driver starts and stops
gunicorn (`make serve`) itself. Scenarios, each bounded in time, each checking the database after:

  kill-import  kill -9 the gunicorn worker in the middle of saving an imported workbook
               (/plans/<pk>/import/confirm/): once at a moment picked by watching PostgreSQL (the
               worker's transaction has started writing), once deterministically after every action
               but the last has been saved (another connection holds the last action's row lock); then
               the same confirmation again must save everything.
  kill-sign    kill -9 the worker in the middle of a sign-off (/plans/<pk>/sign/, as
               havering.chiefexec after a backup code): the Signature row is written and the request
               waits to write its audit entry (another connection holds a SHARE lock on the audit
               table); then signing again must work.
  pg-restart   `pg_ctl restart -m fast` while locust runs the load mix; errors before, during and after,
               and whether gunicorn's processes survived (they must: no restart of the app).
  disk-full    uploads of supporting documents when the disk is full: a 2 MB tmpfs as MEDIA_ROOT
               (the file is written there on save) and as TMPDIR (Django's temporary upload files).

    faults.py SETUP.json all | kill-import | kill-sign | pg-restart | disk-full
"""

# ruff: noqa: S603, S607 - the driver runs fixed local tools (make, ss, mount, runuser, pg_ctl, locust)

import http.client
import io
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vrhub.settings.production")

import django  # noqa: E402

django.setup()

import psycopg  # noqa: E402
from django.db import connection  # noqa: E402
from proxy_client import ProxyClient, csrf_token  # noqa: E402

from vrhub.core.models import AuditEntry  # noqa: E402
from vrhub.cycle.models import Signature  # noqa: E402
from vrhub.plans.content import plan_content_hash  # noqa: E402
from vrhub.plans.models import Plan, PlanAction, SupportingDocument  # noqa: E402

SETUP = json.loads(Path(sys.argv[1]).read_text())
WORK = Path(os.environ["VRHUB_WORK"])
URL = os.environ["VRHUB_URL"]
HOST = urllib.parse.urlsplit(URL).netloc
PASSWORD = SETUP["password"]
RESULTS: list[str] = []


def say(text: str) -> None:
    print(text, flush=True)


def result(text: str) -> None:
    RESULTS.append(text)
    say("   => " + text)


# HTTP ------------------------------------------------------------------------------------------


class Client(ProxyClient):
    """scripts/proxy_client.py's client, answering in text unless asked for bytes; signatories use a backup code."""

    def __init__(self, timeout: float = 60) -> None:
        super().__init__(URL, timeout=timeout)

    def request(self, method, path, fields=None, files=None, headers=None, binary=False):
        status, hdrs, content = super().request(method, path, fields, files, headers)
        return status, hdrs, content if binary else content.decode("utf-8", "replace")

    def csrf(self, page: str) -> str:
        return csrf_token(page)

    def sign_in(self, username: str) -> str:
        return super().sign_in(username, PASSWORD, second_factor=lambda: SETUP["signatory"]["backup_codes"].pop(0))


def in_thread(fn, *args, **kwargs):
    """Run a request in a thread; returns (thread, box) where box gets 'result' or 'error'."""
    box: dict = {}

    def run():
        t = time.monotonic()
        try:
            box["result"] = fn(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - the point is to see how the request ended
            box["error"] = f"{type(exc).__name__}: {exc}"
        box["seconds"] = time.monotonic() - t

    th = threading.Thread(target=run, daemon=True)
    th.start()
    return th, box


def ended(box: dict) -> str:
    if "error" in box:
        return f"the client saw {box['error']} after {box['seconds']:.1f} s"
    status = box["result"][0]
    return f"the client got HTTP {status} after {box['seconds']:.1f} s"


# Server and database ---------------------------------------------------------------------------


class Server:
    """`make serve` in the background, with environment overrides."""

    def __init__(self) -> None:
        self.proc = None
        self.pidfile = Path(os.environ["GUNICORN_PIDFILE"])
        self.log = WORK / "faults-server.log"

    def start(self, **env) -> None:
        self.pidfile.unlink(missing_ok=True)
        with open(self.log, "a") as log:
            log.write(f"\n=== make serve {env}\n")
            log.flush()
            self.proc = subprocess.Popen(
                ["make", "--no-print-directory", "serve"],
                cwd=ROOT,
                env=os.environ | env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.healthy() and len(self.workers()) == int(os.environ.get("WEB_CONCURRENCY", "4")):
                return
            if self.proc.poll() is not None:
                raise RuntimeError(f"make serve exited; see {self.log}")
            time.sleep(0.3)
        raise RuntimeError("gunicorn did not start within 90 s")

    def stop(self) -> None:
        if self.proc is None:
            return
        try:
            os.kill(self.master(), signal.SIGTERM)
        except (OSError, ValueError):
            pass
        try:
            self.proc.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)
        self.proc = None

    def master(self) -> int:
        return int(self.pidfile.read_text().strip())

    def workers(self) -> list[int]:
        try:
            m = self.master()
            return [int(p) for p in Path(f"/proc/{m}/task/{m}/children").read_text().split()]
        except (OSError, ValueError):
            return []

    def healthy(self) -> bool:
        try:
            conn = http.client.HTTPConnection(HOST, timeout=3)
            conn.request("GET", "/healthz", headers={"X-Forwarded-Proto": "https"})
            ok = conn.getresponse().status == 200
            conn.close()
            return ok
        except OSError:
            return False

    def wait_workers(self, n: int, timeout: float = 30) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.workers()) == n and self.healthy():
                return True
            time.sleep(0.2)
        return False


def control() -> psycopg.Connection:
    """A connection of the driver's own (not Django's), to watch and to hold locks."""
    return psycopg.connect(os.environ["DATABASE_URL"].replace("postgres://", "postgresql://", 1), autocommit=True)


def backend_of_request(watch, *, waiting: bool = False, tables: tuple[str, ...] = (), timeout: float = 20):
    """The app's PostgreSQL backend with an open transaction that has written (it has an xid), holds
    RowExclusiveLock (rows inserted/updated) on every one of ``tables``, and, if ``waiting``, waits
    for a lock. ``watch`` must be in autocommit mode: inside a transaction pg_stat_activity keeps
    showing the snapshot it first read."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        rows = watch.execute(
            "SELECT a.pid, a.client_port, a.backend_xid::text, a.wait_event_type, a.state, left(a.query, 100), "
            "  array(SELECT c.relname::text FROM pg_locks l JOIN pg_class c ON c.oid = l.relation AND c.relkind = 'r' "
            "        WHERE l.pid = a.pid AND l.mode = 'RowExclusiveLock' AND l.granted) "
            "FROM pg_stat_activity a WHERE a.datname = current_database() AND a.pid <> pg_backend_pid() "
            "AND a.backend_type = 'client backend' AND a.xact_start IS NOT NULL AND a.backend_xid IS NOT NULL"
        ).fetchall()
        for pid, port, xid, wait, state, query, written in rows:
            if (not waiting or wait == "Lock") and set(tables) <= set(written):
                return {
                    "pid": pid,
                    "port": port,
                    "xid": xid,
                    "wait": wait,
                    "state": state,
                    "query": query,
                    "written": sorted(written),
                }
        time.sleep(0.002)
    return None


def worker_for_port(port: int) -> int | None:
    """The process whose socket has this local port (the gunicorn worker's database connection)."""
    out = subprocess.run(
        ["ss", "-Htnp", "state", "established", f"( sport = :{port} )"], capture_output=True, text=True, check=False
    ).stdout
    m = re.search(r"pid=(\d+)", out)
    return int(m.group(1)) if m else None


def plan_state(plan_pk: int) -> dict:
    connection.close()  # a fresh view of the database each time
    plan = Plan.objects.get(pk=plan_pk)
    actions = PlanAction.objects.filter(plan=plan)
    return {
        "hash": plan_content_hash(plan),
        "state": plan.state,
        "audit": AuditEntry.objects.filter(plan_id=plan_pk).count(),
        "audit_all": AuditEntry.objects.count(),
        "actions": actions.count(),
        "versions": sum(actions.values_list("version", flat=True)),
        "signatures": Signature.objects.filter(plan=plan).count(),
        "live_signatures": Signature.objects.filter(plan=plan, voided_at__isnull=True).count(),
        "documents": SupportingDocument.objects.filter(action__plan=plan).count(),
    }


def diff(before: dict, after: dict) -> str:
    changed = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
    if not changed:
        return "nothing changed"
    return ", ".join(f"{k} {v[0]!s:.12} -> {v[1]!s:.12}" for k, v in changed.items())


def kill_worker_of(watch, server: Server, **how) -> str:
    backend = backend_of_request(watch, **how)
    if backend is None:
        return "NO BACKEND FOUND"
    worker = worker_for_port(backend["port"])
    if worker is None or worker not in server.workers():
        return f"backend {backend} but no gunicorn worker found for its port"
    os.kill(worker, signal.SIGKILL)
    return (
        f"killed worker {worker} while its backend {backend['pid']} had transaction {backend['xid']} open "
        f"({backend['state']}, waiting: {backend['wait'] or 'no'}; rows written in {', '.join(backend['written'])}; "
        f"running {backend['query'][:60]!r})"
    )


# Scenarios -------------------------------------------------------------------------------------


def edited_workbook(data: bytes) -> tuple[bytes, list[int], int]:
    """Every existing action's progress and comments changed; returns the workbook, the ids, and
    how many cells changed."""
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(data))
    ids, cells = [], 0
    stamp = uuid.uuid4().hex[:8]
    for ws in wb.worksheets:
        heads = {str(c.value).strip().lower(): c.column for c in ws[1] if c.value}
        if "vrhub id" not in heads or "progress to date" not in heads:
            continue
        for row in range(2, ws.max_row + 1):
            raw = ws.cell(row, heads["vrhub id"]).value
            if raw in (None, ""):
                continue
            ids.append(int(raw))
            ws.cell(row, heads["progress to date"]).value = f"Fault run {stamp}: progress of action {raw}."
            ws.cell(row, heads["comments"]).value = f"Fault run {stamp}: comment on action {raw}."
            cells += 2
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue(), ids, cells


def scenario_kill_import(server: Server) -> None:
    say("== kill -9 a worker in the middle of a workbook import (/plans/<pk>/import/confirm/)")
    pk = SETUP["havering_plan"]
    editor = Client()
    editor.sign_in(SETUP["havering_editor"])
    _, _, raw = editor.request("GET", f"/plans/{pk}/workbook.xlsx", binary=True)
    editor_xlsx, ids, cells = edited_workbook(raw)
    _, _, page = editor.get(f"/plans/{pk}/import/")
    status, _, page = editor.request(
        "POST",
        f"/plans/{pk}/import/",
        {"csrfmiddlewaretoken": editor.csrf(page)},
        files={"file": ("plan.xlsx", editor_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")},
    )
    token = re.search(r'name="token" value="([0-9a-f]+)"', page)
    plan_hash = re.search(r'name="plan_hash" value="([0-9a-f]+)"', page)
    if status != 200 or not token or not plan_hash:
        result(f"kill-import: the upload was not accepted for confirmation (HTTP {status}); scenario skipped")
        return
    fields = {"csrfmiddlewaretoken": editor.csrf(page), "token": token.group(1), "plan_hash": plan_hash.group(1)}
    imports = Path(os.environ["MEDIA_ROOT"]) / "imports"

    def pending() -> list[str]:  # the stored upload waiting for confirmation (its name carries the token)
        return sorted(p.name for p in imports.glob(f"*{token.group(1)}*"))

    say(f"   workbook: {len(ids)} actions, {cells} changed cells; preview accepted, token {token.group(1)[:8]}…")
    watch, holder = control(), control()
    before = plan_state(pk)
    n = len(server.workers())

    # 1. timed: as soon as the worker's transaction has updated an action and written its audit entry
    t0 = time.monotonic()
    th, box = in_thread(editor.request, "POST", f"/plans/{pk}/import/confirm/", dict(fields))
    how = kill_worker_of(watch, server, tables=("plans_planaction", "core_auditentry"))
    th.join(30)
    say(f"   timed kill {time.monotonic() - t0:.2f} s after the POST: {how}; {ended(box)}")
    server.wait_workers(n)
    after = plan_state(pk)
    result(
        f"kill-import (timed, mid-transaction): {'CONSISTENT' if after == before else 'INCONSISTENT'}: "
        f"{diff(before, after)}; "
        f"gunicorn back to {len(server.workers())} workers; pending upload file left behind: {pending() or 'none'}"
    )

    # 2. deterministic: every action but the last saved, waiting for the last action's row lock
    last = ids[-1]
    holder.execute("BEGIN")
    holder.execute("SELECT id FROM plans_planaction WHERE id = %s FOR UPDATE", [last])
    th, box = in_thread(editor.request, "POST", f"/plans/{pk}/import/confirm/", dict(fields))
    how = kill_worker_of(watch, server, waiting=True, tables=("plans_planaction", "core_auditentry"))
    holder.execute("ROLLBACK")
    th.join(30)
    say(f"   locked kill (all but action {last} saved, waiting for its row lock): {how}; {ended(box)}")
    server.wait_workers(n)
    after = plan_state(pk)
    result(
        f"kill-import (after {len(ids) - 1} of {len(ids)} actions saved): "
        f"{'CONSISTENT' if after == before else 'INCONSISTENT'}: {diff(before, after)}; "
        f"pending upload file left behind: {pending() or 'none'}"
    )

    # 3. the same confirmation again
    status, headers, _ = editor.request("POST", f"/plans/{pk}/import/confirm/", dict(fields))
    _, _, detail = editor.get(headers.get("Location", f"/plans/{pk}/"))
    msg = re.search(r"(Workbook imported[^<]*|That upload has expired[^<]*|[^>]*Nothing was saved[^<]*)", detail)
    after = plan_state(pk)
    connection.close()
    texts_ok = all((a.progress or "").startswith("Fault run") for a in PlanAction.objects.filter(pk__in=ids))
    result(
        f"kill-import re-run: HTTP {status} -> {headers.get('Location')}, "
        f"{msg.group(1).strip() if msg else 'no message'}; {diff(before, after)}; every action's new text saved: "
        f"{texts_ok}; pending upload file left: {pending() or 'none'}"
    )
    watch.close()
    holder.close()


def scenario_kill_sign(server: Server) -> None:
    say("== kill -9 a worker in the middle of a sign-off (/plans/<pk>/sign/ as havering.chiefexec)")
    pk = SETUP["havering_plan"]
    signer = Client()
    signer.sign_in(SETUP["signatory"]["username"])
    status, _, page = signer.get(f"/plans/{pk}/sign/")
    content_hash = re.search(r'name="content_hash" value="([0-9a-f]+)"', page)
    if status != 200 or not content_hash:
        result(f"kill-sign: the sign page answered {status} without a form; scenario skipped")
        return
    fields = {
        "csrfmiddlewaretoken": signer.csrf(page),
        "name": "Casey Chief",
        "confirmed": "on",
        "content_hash": content_hash.group(1),
    }
    watch, holder = control(), control()
    before = plan_state(pk)
    n = len(server.workers())
    holder.execute("BEGIN")
    holder.execute("LOCK TABLE core_auditentry IN SHARE MODE")  # the sign-off's audit insert waits here
    th, box = in_thread(signer.request, "POST", f"/plans/{pk}/sign/", dict(fields))
    how = kill_worker_of(watch, server, waiting=True, tables=("cycle_signature",))
    holder.execute("ROLLBACK")
    th.join(30)
    say(f"   {how}; {ended(box)}")
    server.wait_workers(n)
    after = plan_state(pk)
    result(
        f"kill-sign (Signature row written, audit entry not yet): "
        f"{'CONSISTENT' if after == before else 'INCONSISTENT'}: "
        f"{diff(before, after)}"
    )
    status, headers, _ = signer.request("POST", f"/plans/{pk}/sign/", dict(fields))
    after = plan_state(pk)
    connection.close()
    sig = Signature.objects.filter(plan_id=pk, voided_at__isnull=True, office="chief_executive").first()
    result(
        f"kill-sign re-run: HTTP {status} -> {headers.get('Location')}; {diff(before, after)}; live chief executive "
        f"signature bound to the current content hash: {bool(sig and sig.content_hash == after['hash'])}"
    )
    watch.close()
    holder.close()


def scenario_pg_restart(server: Server) -> None:
    say("== pg_ctl restart -m fast under locust traffic (20 people + probe, 55 s; restart at 25 s, after the sign-ins)")
    master, workers = server.master(), sorted(server.workers())
    samples = WORK / "pg-restart-samples.csv"
    env = os.environ | {
        "VRHUB_SETUP": sys.argv[1],
        "VRHUB_SAMPLES": str(samples),
        "VRHUB_SAVES": str(WORK / "pg-restart-saves.jsonl"),
        "VRHUB_REVIEWERS": "4",
        "VRHUB_WAIT": "0.5,2",
    }
    locust = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/locust"),
            "-f",
            str(ROOT / "benchmarks/load/locustfile.py"),
            "--headless",
            "-H",
            URL,
            "-u",
            "21",
            "-r",
            "21",
            "-t",
            "55s",
            "--stop-timeout",
            "10",
            "--only-summary",
            "--loglevel",
            "WARNING",
            "--csv",
            str(WORK / "pg-restart"),
        ],
        env=env,
        stdout=open(WORK / "pg-restart-locust.txt", "w"),
        stderr=subprocess.STDOUT,  # noqa: SIM115
    )
    time.sleep(25)
    data = os.environ["VRHUB_PG_DATA"]
    pg = [
        os.environ["VRHUB_PG_BIN"] + "/pg_ctl",
        "-D",
        data,
        "-l",
        f"{data}/server.log",
        "-m",
        "fast",
        "-w",
        "-t",
        "30",
        "restart",
    ]
    t_start = time.time()
    # The new postmaster must not inherit a pipe of ours (run() would wait for it to close).
    proc = subprocess.run(
        ["runuser", "-u", "postgres", "--", *pg],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
        timeout=60,
    )
    t_end = time.time()
    say(f"   pg_ctl restart took {t_end - t_start:.2f} s (exit {proc.returncode})")
    try:
        locust.wait(timeout=80)
    except subprocess.TimeoutExpired:
        locust.kill()
    rows = [line.split(",") for line in samples.read_text().splitlines()[1:]]
    rows = [(float(t), name, float(ms), int(ok)) for t, name, ms, ok in rows]
    # a request that was running when the restart began ended at t (the listener runs at the end)
    phases = {"before": [], "during": [], "after": []}
    for t, name, ms, ok in rows:
        started = t - ms / 1000
        phase = "before" if t < t_start else ("during" if started <= t_end + 0.5 else "after")
        phases[phase].append((t, name, ok))
    errs = {k: sum(1 for r in v if not r[2]) for k, v in phases.items()}
    first_ok = min((t for t, _n, ok in phases["after"] + phases["during"] if ok and t > t_end), default=None)
    last_err = max((t for t, _n, ok in phases["during"] + phases["after"] if not ok), default=None)
    after_errs: dict[str, int] = {}
    for _t, name, ok in phases["after"]:
        if not ok:
            after_errs[name] = after_errs.get(name, 0) + 1
    failures = WORK / "pg-restart_failures.csv"
    kinds = failures.read_text().strip().splitlines()[1:] if failures.exists() else []
    same = server.master() == master and sorted(server.workers()) == workers
    saves = [json.loads(x) for x in (WORK / "pg-restart-saves.jsonl").read_text().splitlines() if x.strip()]
    connection.close()
    failed = [s for s in saves if s["outcome"] not in ("saved", "conflict")]
    failed_written = AuditEntry.objects.filter(
        object_type="cycle.quarterlyupdate", field="progress", new__in=[s["text"] for s in failed]
    ).count()
    saved_missing = sum(
        1
        for s in saves
        if s["outcome"] == "saved"
        and not AuditEntry.objects.filter(object_type="cycle.quarterlyupdate", new=s["text"]).exists()
    )
    result(
        f"pg-restart: {len(rows)} requests; errors before {errs['before']}/{len(phases['before'])}, during the restart "
        f"window {errs['during']}/{len(phases['during'])}, after it {errs['after']}/{len(phases['after'])}; first "
        f"success {(first_ok - t_end) if first_ok else float('nan'):.2f} s after pg_ctl returned; gunicorn master and "
        f"workers unchanged: {same}; /healthz now {'200' if server.healthy() else 'failing'}; saves during the run: "
        + ", ".join(f"{sum(1 for s in saves if s['outcome'] == o)} {o}" for o in sorted({s["outcome"] for s in saves}))
        + f"; failed saves that were written anyway: {failed_written}; acknowledged saves missing: {saved_missing}"
    )
    if last_err:
        say(
            f"   last failed request ended {last_err - t_end:+.2f} s from pg_ctl's return; failures after the window: "
            f"{after_errs or 'none'}"
        )
    for k in kinds[:8]:
        say(f"   failure: {k[:220]}")


def _tree(path: Path) -> set[str]:
    return {str(p.relative_to(path)) for p in path.rglob("*") if p.is_file()} if path.exists() else set()


def _upload(editor: Client, pk: int, action: int, size: int, label: str) -> tuple[int, str]:
    path = f"/plans/{pk}/actions/{action}/documents/"
    _, _, page = editor.get(path)
    data = b"%PDF-1.4\n" + os.urandom(size - 9)  # a PDF by its magic number; incompressible
    status, _, page = editor.request(
        "POST",
        path,
        {"csrfmiddlewaretoken": editor.csrf(page), "title": f"Disk-full test {label}"},
        files={"file": (f"disk-full-{label}.pdf", data, "application/pdf")},
    )
    errors = re.findall(r'<a href="#[^"]*">([^<]+)</a>', page)
    h1 = re.search(r"<h1[^>]*>([^<]+)</h1>", page)
    return status, "; ".join(errors) or (h1.group(1).strip() if h1 else page[:100])


def scenario_disk_full(server: Server) -> None:
    say("== full disk on document upload (2 MB tmpfs as MEDIA_ROOT, then as TMPDIR)")
    pk = SETUP["havering_plan"]
    connection.close()
    action = PlanAction.objects.filter(plan_id=pk).order_by("code").first().pk
    media_small, tmp_small = WORK / "small-media", WORK / "small-tmp"
    normal_media = Path(os.environ["MEDIA_ROOT"])
    mounted = []
    try:
        for d in (media_small, tmp_small):
            d.mkdir(exist_ok=True)
            subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(d)], check=True)
            mounted.append(d)
        (media_small / "filler.bin").write_bytes(b"\0" * (1024 * 1024))  # 1 MB of the 2 used already
        cases = [
            (
                "media",
                {"MEDIA_ROOT": str(media_small)},
                media_small,
                [("1.5MB-in-memory", 1_500_000), ("3MB-temp-file-moved", 3_000_000)],
            ),
            ("tmpdir", {"TMPDIR": str(tmp_small)}, normal_media, [("3MB-temp-file", 3_000_000)]),
        ]
        for where, env, media, uploads in cases:
            server.stop()
            server.start(**env)
            editor = Client()
            editor.sign_in(SETUP["havering_editor"])
            for label, size in uploads:
                before = plan_state(pk)
                files_before, tmp_before = _tree(media), _tree(tmp_small)
                free_before = os.statvfs(media_small if where == "media" else tmp_small)
                free_mb = free_before.f_bavail * free_before.f_frsize / 1e6
                try:
                    status, message = _upload(editor, pk, action, size, label)
                except Exception as exc:  # noqa: BLE001
                    status, message = 0, f"{type(exc).__name__}: {exc}"
                after = plan_state(pk)
                new_files = sorted(
                    f"{f} ({(media / f).stat().st_size:,} of {size:,} bytes)" for f in _tree(media) - files_before
                )
                time.sleep(2)  # a temporary upload file still there now was not cleaned up with the request
                new_tmp = sorted(
                    f"{f} ({(tmp_small / f).stat().st_size:,} bytes)" for f in _tree(tmp_small) - tmp_before
                )
                clean = after == before and not new_files and not new_tmp
                result(
                    f"disk-full ({where} on 2 MB tmpfs, {free_mb:.1f} MB free, upload {label}): HTTP {status} "
                    f"'{message[:120]}'; database: {diff(before, after)}; new files: {new_files or 'none'}; "
                    f"new temp files: {new_tmp or 'none'}; {'NOTHING PARTIAL' if clean else 'PARTIAL STATE LEFT'}"
                )
                for f in _tree(media) - files_before:  # keep the next case's free space as it was
                    (media / f).unlink(missing_ok=True)
            tail = [ln for ln in server.log.read_text().splitlines() if "Error" in ln or "error" in ln][-3:]
            for ln in tail:
                say(f"   server log: {ln[:200]}")
            if where == "tmpdir":  # does a temporary upload file outlive its request? its worker?
                for _ in range(8):
                    editor.get(f"/plans/{pk}/")
                time.sleep(3)
                left = sorted(_tree(tmp_small))
                server.stop()
                result(
                    f"disk-full (tmpdir): temporary files 3 s and 8 requests later: {left or 'none'}; after gunicorn "
                    f"stopped: {sorted(_tree(tmp_small)) or 'none'}"
                )
    finally:
        server.stop()
        for d in mounted:
            subprocess.run(["umount", str(d)], check=False)
        server.start()


def main() -> None:
    which = sys.argv[2] if len(sys.argv) > 2 else "all"
    server = Server()
    server.start()
    say(f"   gunicorn master {server.master()} with {len(server.workers())} workers on {URL}")
    scenarios = {
        "kill-import": scenario_kill_import,
        "kill-sign": scenario_kill_sign,
        "pg-restart": scenario_pg_restart,
        "disk-full": scenario_disk_full,
    }
    try:
        for name, fn in scenarios.items():
            if which in ("all", name):
                t = time.monotonic()
                try:
                    fn(server)
                except Exception as exc:  # noqa: BLE001 - report and go on to the next scenario
                    result(f"{name}: the driver failed: {type(exc).__name__}: {exc}")
                say(f"   ({name} took {time.monotonic() - t:.0f} s)")
    finally:
        server.stop()
    say("\n== fault results")
    for r in RESULTS:
        say("- " + r)


if __name__ == "__main__":
    main()
