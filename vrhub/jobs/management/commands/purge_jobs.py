from datetime import timedelta

from django.core.management.base import BaseCommand

from vrhub.jobs.services import jobs_purge


class Command(BaseCommand):
    help = "Delete finished background jobs, and the files they made, older than --days (default 30)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=30)

    def handle(self, *args, days: int, **options):
        count = jobs_purge(older_than=timedelta(days=max(days, 0)))
        self.stdout.write(f"Deleted {count} finished job{'s' if count != 1 else ''} older than {days} days.")
