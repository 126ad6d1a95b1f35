import json
import sys
from pathlib import Path
from typing import NoReturn

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from vrhub.core.exceptions import NotFound
from vrhub.core.limits import size_text, upload_max_bytes
from vrhub.core.words import count_noun
from vrhub.governance.selectors import access
from vrhub.governance.services.attendance import attendance_save
from vrhub.governance.services.attendance_import import attendance_import_preview
from vrhub.governance.tables import TableRefused


class Command(BaseCommand):
    help = (
        "Import a meeting's attendance from a CSV or XLSX file (columns name, attendance and optionally "
        "left_after_item). Shows what would change; saves all rows or none, with --yes or when you answer y. "
        "Members not in the file are left as they are. --json prints "
        '{"meeting", "recorded", "unchanged", "saved"} or {"errors": [...]} (non-zero exit).'
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The attendance file (.csv or .xlsx).")
        parser.add_argument("--meeting", required=True, type=int, help="The meeting's id.")
        parser.add_argument("--json", action="store_true", help="Print the outcome as JSON.")
        parser.add_argument("--yes", action="store_true", help="Save without asking.")

    def _refuse(self, errors: list[str], *, as_json: bool) -> NoReturn:
        if as_json:
            self.stdout.write(json.dumps({"errors": errors}, indent=2))
        else:
            for error in errors:
                self.stderr.write(f"  - {error}")
        raise CommandError(
            f"The attendance was not imported ({count_noun(len(errors), 'problem')}); nothing was saved."
        )

    def handle(self, *args, file: str, meeting: int, **options):
        as_json = options["json"]
        try:
            found = access.meeting_get_for_command(pk=meeting)
        except NotFound as exc:
            raise CommandError(str(exc)) from exc
        path = Path(file)
        limit = upload_max_bytes()
        if not path.exists():
            self._refuse([f"{file}: cannot be read (no such file)."], as_json=as_json)
        if not path.is_file():  # a directory, a pipe or a device is not a spreadsheet (and a pipe may never end)
            self._refuse([f"{file}: cannot be read (not a regular file)."], as_json=as_json)
        try:
            with path.open("rb") as handle:
                content = handle.read(limit + 1)
        except OSError as exc:
            self._refuse([f"{file}: cannot be read ({exc.strerror or exc})."], as_json=as_json)
        if len(content) > limit:
            self._refuse([f"{path.name}: the file is larger than the {size_text(limit)} limit."], as_json=as_json)
        try:
            preview = attendance_import_preview(meeting=found, filename=path.name, content=content)
        except TableRefused as exc:
            self._refuse(exc.errors, as_json=as_json)
        synthetic = found.group.synthetic
        label = " (SYNTHETIC demo data)" if synthetic else ""
        if not as_json:
            self.stdout.write(f"{found}{label}, meeting {found.pk}: attendance from {path.name}")
            for row in preview.rows:
                change = f"{row.before} -> {row.after}" if row.changed else f"{row.after} (no change)"
                self.stdout.write(f"  row {row.row}: {row.name}: {change}")
            for name in preview.not_in_file:
                self.stdout.write(f"  not in the file, left as it is: {name}")
        save = options["yes"]
        if not save and not as_json and sys.stdin.isatty():
            save = input(f"Save the attendance of {preview.recorded} member(s)? [y/N] ").strip().lower() == "y"
        recorded = preview.recorded
        if save:
            try:
                result = attendance_save(meeting=found, user=None, rows=preview.entries, version=preview.version)
            except ValidationError as exc:
                self._refuse(exc.messages, as_json=as_json)
            recorded = result.recorded
        unchanged = preview.members - recorded
        if as_json:
            data = {"meeting": found.pk, "recorded": recorded, "unchanged": unchanged, "saved": save}
            if synthetic:
                data["synthetic"] = True
            self.stdout.write(json.dumps(data, indent=2))
        elif save:
            self.stdout.write(f"Saved: {recorded} recorded, {unchanged} unchanged.")
        else:
            self.stdout.write(f"Not saved ({recorded} would be recorded, {unchanged} unchanged): run again with --yes.")
