import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from vrhub.core.exceptions import NotFound
from vrhub.plans.selectors import current_plan_get
from vrhub.workbooks.export import plan_workbook_bytes


class Command(BaseCommand):
    help = "Export a borough's plan as an Excel workbook that can be edited and imported again."

    def add_arguments(self, parser):
        parser.add_argument("--area", required=True)
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--out", required=True, help="Path of the .xlsx file to write")

    def handle(self, *args, area: str, year: int, out: str, **options):
        try:
            plan = current_plan_get(area=area, year=year)
        except NotFound as exc:
            raise CommandError(str(exc)) from exc
        target = Path(out)
        if target.suffix.lower() != ".xlsx":
            raise CommandError(f"--out must end in .xlsx, not {target.name!r}")
        if not target.parent.exists():
            raise CommandError(f"The folder {target.parent} does not exist")
        data = plan_workbook_bytes(plan=plan)
        fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".xlsx.part")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, target)
        self.stdout.write(f"Wrote {target} ({plan.actions.count()} actions, {len(data):,} bytes)")
