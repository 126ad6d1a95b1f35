import json

from django.core.management.base import BaseCommand, CommandError

from vrhub.dashboard.selectors import london_summary
from vrhub.organisations.models import Organisation
from vrhub.plans.models import PlanTemplate


class Command(BaseCommand):
    help = "Every borough's plan state, completeness and status counts for a year, as the VRU sees it."

    def add_arguments(self, parser):
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--vru", default="VRU-LDN", help="Code of the VRU (default VRU-LDN)")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, year: int, vru: str, **options):
        org = Organisation.objects.filter(code=vru, kind=Organisation.Kind.VRU).first()
        if org is None:
            raise CommandError(f"Unknown VRU {vru!r}.")
        if not PlanTemplate.objects.filter(vru=org, year=year).exists():
            raise CommandError(f"{org.name} has no template for {year}.")
        data = london_summary(vru=org, year=year)
        if options["json"]:
            self.stdout.write(json.dumps(data, indent=2))
            return
        for b in data["boroughs"]:
            self.stdout.write(f"{b['name']:28} {b['state']:12} {b['completeness']:3}%{'  LATE' if b['late'] else ''}")
