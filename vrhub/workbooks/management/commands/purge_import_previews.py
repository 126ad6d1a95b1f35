import json
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from vrhub.workbooks.limits import PREVIEW_MAX_AGE
from vrhub.workbooks.previews import import_previews_purge


class Command(BaseCommand):
    help = "Delete import previews (uploaded workbooks never confirmed or cancelled) older than a limit."

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than-minutes",
            type=float,
            default=PREVIEW_MAX_AGE.total_seconds() / 60,
            help=f"Age limit in minutes (default {PREVIEW_MAX_AGE.total_seconds() / 60:g})",
        )
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, older_than_minutes: float, **options):
        if older_than_minutes < 0:
            raise CommandError(f"--older-than-minutes must be 0 or more, not {older_than_minutes:g}")
        deleted = import_previews_purge(older_than=timedelta(minutes=older_than_minutes))
        if options["json"]:
            self.stdout.write(json.dumps({"deleted": deleted, "older_than_minutes": older_than_minutes}))
        else:
            self.stdout.write(f"{deleted} import preview(s) older than {older_than_minutes:g} minutes deleted.")
