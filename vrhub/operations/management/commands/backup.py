from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from vrhub.operations.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Back up the whole service (database, evidence store, uploaded files) to one .tar.gz file."

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="The backup file to write, e.g. vrhub-2026-11-30.tar.gz")

    def handle(self, *args, out: str, **options):
        try:
            summary = backup_create(out=Path(out))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Backed up {summary.rows:,} database rows, {summary.files:,} uploaded files and "
            f"{'the' if summary.evidence else 'no'} evidence store to {summary.path} ({summary.bytes / 1e6:,.1f} MB). "
            "It holds personal data and password hashes: keep it as safe as the database."
        )
