"""Export and import of a 120-action plan, against bare openpyxl writing/reading the same cells.

Run on its own:  .venv/bin/python benchmarks/bench_workbook.py
It builds a throwaway SQLite database, so it touches nothing else. Timings are medians of
several runs; the ratio compares vrhub's full work (queries, validation, audit) with openpyxl alone.

With ``--hostile`` it instead times hostile files (issue 9), each in its own process so that its
peak memory (VmHWM) can be read: ``import_plan --dry-run`` on an exported plan with one cell at row
1,048,576, on one with a merged range 20,000 rows deep, on tiny hand-written files claiming the same,
and the supporting-document check on a 97 KB .xlsx that inflates to 95 MB.
"""

import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TMP = tempfile.mkdtemp(prefix="vrhub-bench-")
os.environ["DJANGO_SETTINGS_MODULE"] = "vrhub.settings.local"
os.environ["DATABASE_URL"] = f"sqlite:///{TMP}/bench.sqlite3"
os.environ["MEDIA_ROOT"] = TMP

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from openpyxl import Workbook, load_workbook  # noqa: E402

RUNS = 5


def median_time(fn, runs=RUNS) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def build_plan():
    from datetime import date

    from vrhub.organisations.models import Organisation
    from vrhub.organisations.services import london_load
    from vrhub.plans import services
    from vrhub.plans.models import TemplateAction
    from vrhub.plans.templates import london_template

    vru = london_load()
    template = services.template_create_from_content(
        vru=vru, year=2021, title="bench", themes=london_template().themes_2021, published=True
    )
    plan = services.plan_create(area=Organisation.objects.get(code="E09000016"), template=template, user=None).plan
    for theme in template.themes.all():
        services.plan_set_optional_actions(
            plan=plan,
            theme=theme,
            user=None,
            adopted=list(theme.template_actions.filter(kind=TemplateAction.Kind.OPTIONAL)),
        )
    themes = list(template.themes.all())
    i = 0
    while plan.actions.count() < 120:
        services.plan_add_local_action(plan=plan, theme=themes[i % len(themes)], user=None, title=f"Local action {i}")
        i += 1
    for n, action in enumerate(plan.actions.all()):
        services.plan_action_update(
            action=action,
            user=None,
            data={
                "outcome": f"Outcome {n}: fewer violent incidents",
                "baseline": "2020/21: 120 offences",
                "lead_name": "Synthetic Lead",
                "lead_role": "Manager",
                "lead_agency": "Council",
                "start_date": date(2021, 4, 1),
                "end_date": date(2022, 3, 31),
                "progress": "Under way",
                "status": "green",
            },
        )
    return plan


def main() -> None:
    call_command("migrate", verbosity=0)
    from vrhub.workbooks.export import plan_workbook_bytes
    from vrhub.workbooks.importer import plan_import_apply, plan_import_preview

    plan = build_plan()
    n_actions = plan.actions.count()
    exported = plan_workbook_bytes(plan=plan)

    wb = load_workbook(io.BytesIO(exported))
    changed = 0
    for ws in wb.worksheets[1:-2]:
        for row in range(2, ws.max_row + 1):
            if ws.cell(row, 1).value:
                ws.cell(row, 14).value = f"Updated progress {row}"
                ws.cell(row, 16).value = "A"
                changed += 1
    buffer = io.BytesIO()
    wb.save(buffer)
    edited = buffer.getvalue()

    rows = [[f"cell {r}-{c}" for c in range(16)] for r in range(n_actions)]

    def bare_write():
        out = Workbook()
        ws = out.active
        for row in rows:
            ws.append(row)
        out.save(io.BytesIO())

    def bare_read():
        book = load_workbook(io.BytesIO(edited))
        for ws in book.worksheets:
            for _ in ws.iter_rows(values_only=True):
                pass

    def vrhub_export():
        plan_workbook_bytes(plan=plan)

    def vrhub_import():
        with transaction.atomic():
            result = plan_import_preview(plan=plan, data=edited, name="plan.xlsx")
            assert result.ok and len(result.updated) == 2 * changed, result.errors[:3]
            plan_import_apply(plan=plan, user=None, result=result)
            transaction.set_rollback(True)

    t_bare_w, t_export = median_time(bare_write), median_time(vrhub_export)
    t_bare_r, t_import = median_time(bare_read), median_time(vrhub_import)
    print(f"plan: {n_actions} actions; import changes {changed} actions x 2 fields; medians of {RUNS} runs")
    print(
        f"export  vrhub {t_export * 1000:8.1f} ms   bare openpyxl write {t_bare_w * 1000:7.1f} ms   "
        f"ratio {t_export / t_bare_w:5.1f}x   limit 2000 ms: {'ok' if t_export < 2 else 'OVER'}"
    )
    print(
        f"import  vrhub {t_import * 1000:8.1f} ms   bare openpyxl read  {t_bare_r * 1000:7.1f} ms   "
        f"ratio {t_import / t_bare_r:5.1f}x   limit 2000 ms: {'ok' if t_import < 2 else 'OVER'}"
    )


def _peak_rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def run_measured(args: list[str], timeout: float) -> tuple[float, float, str]:
    """Wall time, peak resident memory (MB) and the first line of output of a child process."""
    start = time.perf_counter()
    child = subprocess.Popen(  # noqa: S603
        args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=os.environ.copy(), cwd=ROOT
    )
    peak = 0.0
    try:
        while child.poll() is None:
            peak = max(peak, _peak_rss_mb(child.pid))
            if time.perf_counter() - start > timeout:
                child.kill()
                child.wait()
                return time.perf_counter() - start, peak, f"killed after {timeout:.0f} s"
            time.sleep(0.05)
    finally:
        output = child.stdout.read().decode(errors="replace") if child.stdout else ""
    lines = [line for line in output.strip().splitlines() if line.strip()]
    return time.perf_counter() - start, peak, (lines[0] if lines else "")[:150]


DOCUMENT_CHECK = """
import os, sys, django
django.setup()
from django.core.files.uploadedfile import SimpleUploadedFile
from vrhub.plans.documents import validate_upload
data = open(sys.argv[1], "rb").read()
try:
    print(validate_upload(SimpleUploadedFile("evidence.xlsx", data)))
except Exception as exc:
    print(type(exc).__name__, exc)
"""


def hostile(timeout: float) -> None:
    from tests.workbooks import hostile as h
    from vrhub.workbooks.export import plan_workbook_bytes

    call_command("migrate", verbosity=0)
    plan = build_plan()
    exported = plan_workbook_bytes(plan=plan)
    files = {
        "exported plan, unchanged": exported,
        "exported plan + one cell at row 1,048,576": h.with_far_cell(exported),
        "exported plan + merged range 20,000 rows deep": h.with_deep_merge(exported),
        "hand-written: a cell at row 1,048,576": h.tiny_far_cell_xlsx(),
        "hand-written: merged range 20,000 rows deep": h.tiny_deep_merge_xlsx(),
    }
    manage = [sys.executable, str(ROOT / "manage.py"), "import_plan"]
    in_process = []
    print(f"{'file':48} {'size':>8} {'time':>9} {'peak RSS':>10}  outcome")
    for label, data in files.items():
        path = Path(TMP) / f"{label.split(':')[0].replace(' ', '-')}-{len(data)}.xlsx"
        path.write_bytes(data)
        args = [*manage, str(path), "--area", plan.area.code, "--year", str(plan.template.year), "--dry-run"]
        elapsed, peak, outcome = run_measured(args, timeout)
        print(f"{label:48} {len(data) / 1024:6.1f}KB {elapsed:8.2f}s {peak:8.0f}MB  {outcome}")
        if elapsed < timeout:
            in_process.append((label, *preview_in_process(plan, data)))
    bomb = h.inflating_xlsx()
    path = Path(TMP) / "inflating.xlsx"
    path.write_bytes(bomb)
    elapsed, peak, outcome = run_measured([sys.executable, "-c", DOCUMENT_CHECK, str(path)], timeout)
    label = "document check: .xlsx inflating to 95 MB"
    print(f"{label:48} {len(bomb) / 1024:6.1f}KB {elapsed:8.2f}s {peak:8.0f}MB  {outcome}")
    print(f"\nplan_import_preview alone, in this process: median of {RUNS} runs; peak Python allocations (tracemalloc)")
    for label, seconds, peak_mb in in_process:
        print(f"{label:48} {seconds * 1000:9.1f} ms {peak_mb:8.1f} MB")


def preview_in_process(plan, data: bytes) -> tuple[float, float]:
    import tracemalloc

    from vrhub.workbooks.importer import WorkbookRefused, plan_import_preview

    def preview():
        try:
            plan_import_preview(plan=plan, data=data, name="plan.xlsx")
        except WorkbookRefused:
            pass

    elapsed = median_time(preview)
    tracemalloc.start()
    preview()
    peak = tracemalloc.get_traced_memory()[1] / (1024 * 1024)
    tracemalloc.stop()
    return elapsed, peak


if __name__ == "__main__":
    if "--hostile" in sys.argv:
        hostile(timeout=float(os.environ.get("BENCH_TIMEOUT", "300")))
    else:
        main()
