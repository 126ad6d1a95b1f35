import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from vrhub.core.exceptions import NotFound
from vrhub.cycle.selectors import quarter_get_for_plan
from vrhub.plans.selectors import current_plan_get
from vrhub.workbooks.updates_export import updates_workbook_bytes


class Command(BaseCommand):
    help = (
        "Export a quarter's update sheet for a borough's plan: every action, last quarter's status and progress "
        "beside the new columns, to fill in with partners in Excel and import with import_updates."
    )

    def add_arguments(self, parser):
        parser.add_argument("--area", required=True, help="The borough's area code, e.g. E09000016")
        parser.add_argument("--year", required=True, type=int, help="The plan year, e.g. 2021 for 2021/22")
        parser.add_argument("--quarter", required=True, type=int, choices=[1, 2, 3, 4])
        parser.add_argument("--out", required=True, help="Path of the .xlsx file to write")

    def handle(self, *args, area: str, year: int, quarter: int, out: str, **options):
        try:
            plan = current_plan_get(area=area, year=year)
            reporting_quarter = quarter_get_for_plan(plan=plan, number=quarter)
        except NotFound as exc:
            raise CommandError(f"{exc} (area {area}, year {year}, quarter {quarter})") from exc
        target = Path(out)
        if target.suffix.lower() != ".xlsx":
            raise CommandError(f"--out must end in .xlsx, not {target.name!r}")
        if not target.parent.exists():
            raise CommandError(f"The folder {target.parent} does not exist")
        data = updates_workbook_bytes(plan=plan, quarter=reporting_quarter)
        fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".xlsx.part")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, target)
        synthetic = " It holds synthetic demo data." if plan.synthetic else ""
        count = plan.actions.count()
        self.stdout.write(
            f"Wrote {target}: the {reporting_quarter.label} update sheet of the {plan.area.name} plan "
            f"({count} action{'s' if count != 1 else ''}, {len(data):,} bytes).{synthetic}"
        )
