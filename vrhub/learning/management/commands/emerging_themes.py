import json

from django.core.management.base import BaseCommand, CommandError

from vrhub.learning.selectors import emerging_context, emerging_themes
from vrhub.organisations.models import Organisation
from vrhub.plans.models import PlanTemplate


class Command(BaseCommand):
    help = (
        "Phrases boroughs wrote themselves in quarterly progress updates that rose against the previous quarter "
        "(template wording and boilerplate set aside), with their boroughs and example sentences."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--quarter", required=True, type=int, choices=[1, 2, 3, 4])
        parser.add_argument("--vru", default="VRU-LDN")
        parser.add_argument("--limit", type=int, default=20)
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, year: int, quarter: int, vru: str, limit: int, **options):
        org = Organisation.objects.filter(code=vru, kind=Organisation.Kind.VRU).first()
        if org is None:
            raise CommandError(f"Unknown VRU {vru!r}")
        if limit < 1 or limit > 100:
            raise CommandError("--limit must be between 1 and 100")
        if not PlanTemplate.objects.filter(vru=org, year=year).exists():
            raise CommandError(f"{org.name} has no template for {year}.")
        rows = emerging_themes(vru=org, year=year, quarter=quarter, limit=limit)
        context = emerging_context(vru=org, year=year, quarter=quarter)
        current, previous = context["current"], context["previous"]
        if options["json"]:
            # The contract (kept stable for scripts): a list of {"term", "count", "previous", "boroughs",
            # "examples": [action ids]}, each also saying whether it rests on synthetic data, with its quotes.
            self.stdout.write(json.dumps(rows, indent=2))
            return
        if context["synthetic"]:
            self.stdout.write("SYNTHETIC demo data: these plans and updates are made up for testing.")
        if current is None:
            self.stdout.write(f"No reporting quarter Q{quarter} in {year}: nothing to compare.")
            return
        before = previous.label if previous else "no earlier quarter"
        self.stdout.write(f"Rising phrases in {current.label} against {before} (boroughs before -> now):")
        for r in rows:
            self.stdout.write(
                f"{r['term']:30} {r['previous']:3} -> {r['count']:3} boroughs  {', '.join(r['boroughs'][:6])}"
            )
        if not rows:
            self.stdout.write("No phrase of boroughs' own rose in enough boroughs.")
