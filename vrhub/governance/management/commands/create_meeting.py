"""Arrange a meeting from the command line: ``create_meeting --group SLUG --date YYYY-MM-DD --items N --json``."""

import datetime as dt
import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from vrhub.core.exceptions import NotFound
from vrhub.core.words import count_noun, date_words
from vrhub.governance.models import ITEMS_MAX
from vrhub.governance.selectors.access import group_get_for_command
from vrhub.governance.services.meetings import meeting_create


class Command(BaseCommand):
    help = (
        "Arrange a meeting of a partnership group with agenda items 1..N titled 'Item 1' … "
        f"(N from 1 to {ITEMS_MAX}). Prints the new meeting's id; nothing is written if an argument is wrong."
    )

    def add_arguments(self, parser):
        parser.add_argument("--group", required=True, help="The group's slug, e.g. prg or havering-csp.")
        parser.add_argument("--date", required=True, help="The meeting's date, YYYY-MM-DD.")
        parser.add_argument("--items", required=True, help=f"How many agenda items to start with, 1 to {ITEMS_MAX}.")
        parser.add_argument(
            "--standard-items", action="store_true", help="Start with the standard opening items (apologies, …)."
        )
        parser.add_argument("--json", action="store_true", help='Print {"meeting": ID} only.')

    def handle(self, *args, group: str, date: str, items: str, **options):
        try:
            found = group_get_for_command(slug=group)
        except NotFound as exc:
            raise CommandError(f"--group: {exc}") from exc
        try:
            day = dt.date.fromisoformat(date)
        except ValueError as exc:
            raise CommandError(f"--date: {date!r} is not a real date written YYYY-MM-DD") from exc
        if not items.strip().isdigit() or not 1 <= int(items) <= ITEMS_MAX:
            raise CommandError(f"--items: {items!r} is not a whole number from 1 to {ITEMS_MAX}")
        try:
            meeting = meeting_create(
                group=found, user=None, date=day, items=int(items), standard_items=options["standard_items"]
            )
        except ValidationError as exc:
            field, messages = next(iter(exc.message_dict.items()))
            raise CommandError(f"--{field}: {messages[0]}") from exc
        if options["json"]:
            self.stdout.write(json.dumps({"meeting": meeting.pk}))
            return
        label = " (SYNTHETIC demo data)" if found.synthetic else ""
        self.stdout.write(
            f"Meeting {meeting.pk} of {found.name}{label} arranged for {date_words(meeting.date)} "
            f"with {count_noun(int(items), 'agenda item')}."
        )
