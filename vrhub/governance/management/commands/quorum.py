import json

from django.core.management.base import BaseCommand, CommandError

from vrhub.core.exceptions import NotFound
from vrhub.governance.selectors import access
from vrhub.governance.selectors.attendance import role_labels
from vrhub.governance.selectors.quorum import meeting_quorum


class Command(BaseCommand):
    help = (
        "Is a meeting quorate, at its opening or for one agenda item? --json prints "
        '{"meeting", "members", "needed", "present", "quorate", "missing_roles", "reasons"} '
        '(and "synthetic": true for demo data). Exits 0 whether quorate or not; non-zero for an unknown '
        "meeting or item."
    )

    def add_arguments(self, parser):
        parser.add_argument("--meeting", required=True, type=int, help="The meeting's id.")
        parser.add_argument("--item", type=int, help="An agenda item's number (default: the opening).")
        parser.add_argument("--json", action="store_true", help="Print the check as JSON.")

    def handle(self, *args, meeting: int, item: int | None = None, **options):
        try:
            found = access.meeting_get_for_command(pk=meeting)
            result = meeting_quorum(meeting=found, item=item)
        except NotFound as exc:
            raise CommandError(str(exc)) from exc
        synthetic = found.group.synthetic
        if options["json"]:
            data = result.as_json(meeting=found.pk)
            if synthetic:
                data["synthetic"] = True
            self.stdout.write(json.dumps(data, indent=2))
            return
        label = " (SYNTHETIC demo data)" if synthetic else ""
        when = f"item {item}" if item is not None else "the opening"
        verdict = "quorate" if result.quorate else "NOT quorate"
        self.stdout.write(f"{found}{label}, meeting {found.pk}: {verdict} at {when}")
        self.stdout.write(f"  {result.present} counted of {result.members} members in office; {result.needed} needed")
        if result.missing_roles:
            self.stdout.write(f"  missing: {'; '.join(role_labels(result.missing_roles))}")
        for reason in result.reasons:
            self.stdout.write(f"  - {reason}")
