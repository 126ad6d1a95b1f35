import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from vrhub.core.words import count_noun
from vrhub.cycle.services import reminders_send


class Command(BaseCommand):
    help = "E-mail borough editors whose quarterly updates are due soon or overdue (once a day at most)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List the reminders without sending them")
        parser.add_argument("--json", action="store_true")
        parser.add_argument("--today", help="Run as if today were this date (YYYY-MM-DD)")

    def handle(self, *args, **options):
        today = timezone.localdate()
        if options["today"]:
            try:
                today = date.fromisoformat(options["today"])
            except ValueError as exc:
                raise CommandError(f"--today must be a date like 2022-07-10, not {options['today']!r}") from exc
        rows = reminders_send(today=today, dry_run=options["dry_run"])
        if options["json"]:
            self.stdout.write(json.dumps(rows, indent=2))
            return
        verb = "Would send" if options["dry_run"] else "Sent"
        for r in rows:
            self.stdout.write(
                f"{verb}: {r['user']} {r['area']} {r['quarter']} due {r['due']}"
                f"{' (overdue)' if r['overdue'] else ''}: {count_noun(r['actions_missing'], 'action')} missing"
            )
        self.stdout.write(f"{verb} {len(rows)} reminder{'s' if len(rows) != 1 else ''}.")
