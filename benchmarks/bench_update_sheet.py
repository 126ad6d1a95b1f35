"""A quarter's update sheet for a 120-action plan: export, and import (preview + save) with every action
updated, against bare openpyxl writing / reading the same cells.

Run on its own:  .venv/bin/python benchmarks/bench_update_sheet.py
It builds a throwaway SQLite database (the plan of ``bench_workbook.build_plan``), so it touches nothing
else. Timings are medians of several runs; the ratio compares vrhub's full work (queries, checks,
validation, audit) with openpyxl alone in the same run.
"""

import io
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_workbook import RUNS, build_plan, median_time  # noqa: E402  (sets up Django)
from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from openpyxl import Workbook, load_workbook  # noqa: E402


def main() -> None:
    call_command("migrate", verbosity=0)
    from vrhub.cycle.services import quarters_create
    from vrhub.workbooks.updates_export import updates_workbook_bytes
    from vrhub.workbooks.updates_import import updates_import_apply, updates_import_preview

    plan = build_plan()
    quarter = quarters_create(template=plan.template)[0]
    n_actions = plan.actions.count()
    exported = updates_workbook_bytes(plan=plan, quarter=quarter)
    wb = load_workbook(io.BytesIO(exported))
    ws = wb.worksheets[0]
    cols = {ws.cell(1, c).value: c for c in range(1, ws.max_column + 1)}
    for row in range(2, ws.max_row + 1):
        ws.cell(row, cols["Status"]).value = "Amber"
        ws.cell(row, cols["Progress this quarter"]).value = f"Partners reported progress {row}"
        ws.cell(row, cols["Measured value"]).value = row
    buffer = io.BytesIO()
    wb.save(buffer)
    edited = buffer.getvalue()
    rows = [[f"cell {r}-{c}" for c in range(10)] for r in range(n_actions)]

    def bare_write():
        out = Workbook()
        sheet = out.active
        for row in rows:
            sheet.append(row)
        out.save(io.BytesIO())

    def bare_read():
        for sheet in load_workbook(io.BytesIO(edited)).worksheets:
            for _ in sheet.iter_rows(values_only=True):
                pass

    def vrhub_export():
        updates_workbook_bytes(plan=plan, quarter=quarter)

    def vrhub_import():
        with transaction.atomic():
            result = updates_import_preview(plan=plan, quarter=quarter, data=edited, name="q1.xlsx")
            assert result.ok and len(result.updated) == n_actions, result.errors[:3]
            updates_import_apply(plan=plan, quarter=quarter, user=None, result=result)
            transaction.set_rollback(True)

    t_bare_w, t_export = median_time(bare_write), median_time(vrhub_export)
    t_bare_r, t_import = median_time(bare_read), median_time(vrhub_import)
    print(f"plan: {n_actions} actions, every one updated by the sheet; medians of {RUNS} runs")
    print(
        f"export  vrhub {t_export * 1000:8.1f} ms   bare openpyxl write {t_bare_w * 1000:7.1f} ms   "
        f"ratio {t_export / t_bare_w:5.1f}x"
    )
    print(
        f"import  vrhub {t_import * 1000:8.1f} ms   bare openpyxl read  {t_bare_r * 1000:7.1f} ms   "
        f"ratio {t_import / t_bare_r:5.1f}x"
    )


if __name__ == "__main__":
    main()
