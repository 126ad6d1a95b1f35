import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from vrhub.core.words import date_words
from vrhub.duty.services.reviews import review_reminders_send

STATE_WORDS = {"soon": "due soon", "overdue": "overdue"}


class Command(BaseCommand):
    help = (
        "E-mail each partnership's editors when its published serious violence strategy's annual review is due "
        "soon or overdue: once per person, state and review date (safe to run every day)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Run as if today were this date (YYYY-MM-DD); by default today.")
        parser.add_argument("--dry-run", action="store_true", help="List the reminders without sending them.")
        parser.add_argument("--json", action="store_true", help="Print the reminders as JSON.")

    def handle(self, *args, **options):
        today = timezone.localdate()
        if options["today"]:
            try:
                today = dt.date.fromisoformat(options["today"])
            except ValueError as exc:
                raise CommandError(f"--today {options['today'][:40]!r} is not a date: give YYYY-MM-DD") from exc
        sent = review_reminders_send(today=today, dry_run=options["dry_run"])
        if options["json"]:
            self.stdout.write(
                json.dumps({"today": today.isoformat(), "dry_run": options["dry_run"], "reminders": sent}, indent=2)
            )
            return
        verb = "would be sent" if options["dry_run"] else "sent"
        n = len(sent)
        self.stdout.write(f"{n} strategy review reminder{'s' if n != 1 else ''} {verb} on {date_words(today)}")
        for row in sent:
            label = " (SYNTHETIC demo data)" if row["synthetic"] else ""
            review_on = date_words(dt.date.fromisoformat(row["review_on"]))
            self.stdout.write(
                f"  - {row['area_name']}{label}: {row['user']}, review {STATE_WORDS[row['state']]} ({review_on})"
            )
