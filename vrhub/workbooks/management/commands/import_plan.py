import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from vrhub.core.exceptions import NotFound
from vrhub.core.limits import size_text, upload_max_bytes
from vrhub.plans.selectors import current_plan_get
from vrhub.workbooks.importer import WorkbookRefused, plan_import_apply, plan_import_preview


class Command(BaseCommand):
    help = "Import an edited plan workbook: all changes or none. Exit status is non-zero on any error."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--area", required=True)
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--dry-run", action="store_true", help="Report the changes without saving them")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, file: str, area: str, year: int, **options):
        try:
            plan = current_plan_get(area=area, year=year)
        except NotFound as exc:
            raise CommandError(str(exc)) from exc
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        if path.stat().st_size > upload_max_bytes():
            raise CommandError(f"{path.name}: the file is larger than the {size_text(upload_max_bytes())} limit.")
        try:
            result = plan_import_preview(plan=plan, data=path.read_bytes(), name=path.name)
        except WorkbookRefused as exc:
            result = None
            error = {"sheet": None, "row": None, "column": None, "message": str(exc)}
        if result is not None and result.ok and not options["dry_run"]:
            # plan_import_apply locks the plan and refuses one that cannot change (plan_lock_editable).
            try:
                plan_import_apply(plan=plan, user=None, result=result)
            except ValidationError as exc:
                result.error("(plan)", None, None, "; ".join(exc.messages))
        payload = result.as_dict() if result is not None else {"created": [], "updated": [], "errors": [error]}
        if options["json"]:
            self.stdout.write(json.dumps(payload, indent=2, default=str))
        else:
            for e in payload["errors"]:
                where = ", ".join(str(x) for x in (e["sheet"], e["row"] and f"row {e['row']}", e["column"]) if x)
                self.stderr.write(f"{where}: {e['message']}" if where else e["message"])
            for c in payload["created"]:
                self.stdout.write(f"+ {c['action'] or 'new local action'}: {c['title']}")
            for u in payload["updated"]:
                self.stdout.write(f"~ {u['action']} {u['field']}: {u['old']!r} -> {u['new']!r}")
            state = "would be saved (dry run)" if options["dry_run"] else "saved"
            if not payload["errors"]:
                self.stdout.write(f"{len(payload['created'])} created, {len(payload['updated'])} changes {state}.")
        if payload["errors"]:
            raise CommandError(f"{len(payload['errors'])} error(s); nothing was saved.", returncode=2)
