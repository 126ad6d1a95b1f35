import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from vrhub.core.exceptions import NotFound
from vrhub.core.limits import size_text, upload_max_bytes
from vrhub.cycle.selectors import quarter_get_for_plan
from vrhub.plans.selectors import current_plan_get
from vrhub.workbooks.updates_import import WorkbookRefused, updates_import_apply, updates_import_preview


class Command(BaseCommand):
    help = (
        "Import a quarter's update sheet: all updates or none; exit status 2 on any error, nothing saved. "
        'With --json prints exactly {"updated": [...], "errors": [...]}; the element shapes are documented in '
        "vrhub/workbooks/updates_import.py."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--area", required=True, help="The borough's area code, e.g. E09000016")
        parser.add_argument("--year", required=True, type=int, help="The plan year, e.g. 2021 for 2021/22")
        parser.add_argument("--quarter", required=True, type=int, choices=[1, 2, 3, 4])
        parser.add_argument("--dry-run", action="store_true", help="Report the changes without saving them")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, file: str, area: str, year: int, quarter: int, **options):
        try:
            plan = current_plan_get(area=area, year=year)
            reporting_quarter = quarter_get_for_plan(plan=plan, number=quarter)
        except NotFound as exc:
            raise CommandError(f"{exc} (area {area}, year {year}, quarter {quarter})") from exc
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        if path.stat().st_size > upload_max_bytes():
            raise CommandError(f"{path.name}: the file is larger than the {size_text(upload_max_bytes())} limit.")
        payload: dict
        try:
            result = updates_import_preview(
                plan=plan, quarter=reporting_quarter, data=path.read_bytes(), name=path.name
            )
        except WorkbookRefused as exc:
            payload = {"updated": [], "errors": [{"sheet": None, "row": None, "column": None, "message": str(exc)}]}
        else:
            if result.ok and not options["dry_run"]:
                try:
                    updates_import_apply(plan=plan, quarter=reporting_quarter, user=None, result=result)
                except ValidationError as exc:
                    result.error(None, None, None, "; ".join(exc.messages))
            payload = result.as_dict()
            if payload["errors"]:
                payload["updated"] = []  # nothing was saved
        if options["json"]:
            self.stdout.write(json.dumps(payload, indent=2, default=str))
        else:
            if plan.synthetic:
                self.stdout.write(f"The {plan.area.name} plan holds synthetic demo data.")
            for e in payload["errors"]:
                where = ", ".join(str(x) for x in (e["sheet"], e["row"] and f"row {e['row']}", e["column"]) if x)
                self.stderr.write(f"{where}: {e['message']}" if where else e["message"])
            for u in payload["updated"]:
                before = u["previous_status_label"] or "no update"
                value = f", measured value {u['measured_value']}" if u["measured_value"] is not None else ""
                self.stdout.write(f"{u['action']}: {before} -> {u['status_label']}{value}: {u['progress'][:80]}")
            if not payload["errors"]:
                n = len(payload["updated"])
                state = "would be saved (dry run)" if options["dry_run"] else "saved"
                self.stdout.write(
                    f"{reporting_quarter.label}: {n} update{'s' if n != 1 else ''} {state} "
                    f"for the {plan.area.name} plan."
                )
        if payload["errors"]:
            n = len(payload["errors"])
            raise CommandError(f"{n} error{'s' if n != 1 else ''}; nothing was saved.", returncode=2)
