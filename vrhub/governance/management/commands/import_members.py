import json
import sys
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from vrhub.core.exceptions import NotFound
from vrhub.core.limits import size_text, upload_max_bytes
from vrhub.core.words import count_noun, date_words
from vrhub.governance.selectors.access import group_get_for_command
from vrhub.governance.services.member_import import (
    ImportRefused,
    MembershipPreview,
    member_import_preview,
    member_import_save,
)


class Command(BaseCommand):
    help = (
        "Replace a group's membership with the members listed in a CSV or XLSX file (columns name, office, "
        "sector, and optionally quorum_role, organisation, term_start, term_end, title). Prints the preview: who "
        "is added, changed, and leaves. Saves only with --yes, or after you answer y at a terminal. With --json "
        'prints {"group", "synthetic", "added", "changed", "left", "saved"}, or {"errors": [...]} and exits 2.'
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The membership list (.csv or .xlsx)")
        parser.add_argument("--group", required=True, help="The group's short name, e.g. prg")
        parser.add_argument("--yes", action="store_true", help="Save without asking")
        parser.add_argument("--json", action="store_true", help="Print the preview (and whether saved) as JSON")

    def _refuse(self, errors: list[str], *, as_json: bool) -> None:
        if as_json:
            self.stdout.write(json.dumps({"errors": errors}, indent=2))
        else:
            for error in errors:
                self.stderr.write(error)
        raise CommandError(f"{count_noun(len(errors), 'error')}; nothing was saved.", returncode=2)

    def handle(self, *args, file: str, group: str, **options):
        as_json = options["json"]
        try:
            found = group_get_for_command(slug=group)
        except NotFound as exc:
            raise CommandError(str(exc)) from exc
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        limit = upload_max_bytes()
        with path.open("rb") as handle:
            content = handle.read(limit + 1)
        if len(content) > limit:
            self._refuse([f"{path.name}: the file is larger than the {size_text(limit)} limit."], as_json=as_json)
        try:
            preview = member_import_preview(group=found, filename=path.name, content=content)
        except ImportRefused as exc:
            self._refuse(exc.errors, as_json=as_json)
            return
        if not as_json:
            self._print(preview)
        save = options["yes"]
        if not save and not as_json and preview.has_changes and sys.stdin.isatty():
            save = input("Save these changes? [y/N] ").strip().lower() in ("y", "yes")
        if save and preview.has_changes:
            try:
                member_import_save(preview=preview, user=None)
            except (ValidationError, PermissionDenied) as exc:
                self._refuse(list(getattr(exc, "messages", [str(exc)])), as_json=as_json)
        if as_json:
            self.stdout.write(json.dumps(preview.as_json(), indent=2))
        elif not preview.has_changes:
            self.stdout.write("The file matches the current membership: nothing to save.")
        elif preview.saved:
            self.stdout.write(f"Saved: {self._summary(preview)}.")
        else:
            self.stdout.write("Nothing was saved (run again with --yes to save).")

    @staticmethod
    def _summary(preview: MembershipPreview) -> str:
        return (
            f"{count_noun(len(preview.added), 'member')} added, {count_noun(len(preview.changed), 'member')} "
            f"changed, {count_noun(len(preview.left), 'member')} leaving"
        )

    def _print(self, preview: MembershipPreview) -> None:
        group = preview.group
        label = " (SYNTHETIC demo data)" if group.synthetic else ""
        self.stdout.write(f"{group.name}{label}: membership from the file, checked on {date_words(preview.today)}")
        self.stdout.write(f"  {self._summary(preview)}, {count_noun(len(preview.unchanged), 'member')} unchanged")
        for row in preview.added:
            self.stdout.write(f"  + {row.name} (row {row.number})")
        for change in preview.changed:
            fields = ", ".join(name.replace("_", " ") for name in change.changes)
            self.stdout.write(f"  ~ {change.row.name} (row {change.row.number}): {fields}")
        for leaver in preview.left:
            how = (
                f"term ends {date_words(leaver.term_end)} (the minutes refer to them)"
                if leaver.outcome == "ended"
                else "deleted (never attended a meeting)"
            )
            self.stdout.write(f"  - {leaver.name}: {how}")
        self.stdout.write(f"  Community share now: {preview.share_before.words}")
        self.stdout.write(f"  After the import: {preview.share_after.words}")
