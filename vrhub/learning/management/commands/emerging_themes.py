import json

from django.core.management.base import BaseCommand, CommandError

from vrhub.learning.selectors import emerging_themes
from vrhub.organisations.models import Organisation
from vrhub.plans.models import PlanTemplate


class Command(BaseCommand):
    help = "Terms whose use across boroughs' progress updates rose most against the previous quarter."

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
        if options["json"]:
            self.stdout.write(json.dumps(rows, indent=2))
            return
        for r in rows:
            self.stdout.write(
                f"{r['term']:30} {r['previous']:3} -> {r['count']:3} boroughs  {', '.join(r['boroughs'][:6])}"
            )
