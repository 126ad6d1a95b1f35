import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from vrhub.operations.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Replace everything the service keeps with a backup made by `backup` (checked before anything changes)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="A backup file made by `manage.py backup`")
        parser.add_argument(
            "--yes", action="store_true", help="Do not ask for confirmation (every current row and file is replaced)"
        )

    def handle(self, *args, file: str, yes: bool, **options):
        if not yes:
            if not sys.stdin.isatty():
                raise CommandError("Restoring replaces every row and file: give --yes to confirm.")
            answer = input(f"Replace ALL data of this vrhub with {file}? Type 'yes' to continue: ")
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled; nothing was changed.")
        try:
            summary = backup_restore(path=Path(file))
        except BackupError as exc:
            raise CommandError(f"{exc}. Nothing was changed.") from exc
        self.stdout.write(
            f"Restored {summary.rows:,} database rows, {summary.files:,} uploaded files and "
            f"{'the' if summary.evidence else 'no'} evidence store from {summary.path}. Everyone must sign in again."
        )
