"""Load the Community Safety Partnership areas and police force areas of England and Wales (ONS files)."""

import json
import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from vrhub.core.limits import size_text
from vrhub.organisations.area_files import AREA_FILE_MAX_BYTES
from vrhub.organisations.services import areas_load

BOUNDARIES = settings.BASE_DIR / "data" / "boundaries"
CSP_FILE = BOUNDARIES / "community-safety-partnerships-2023-ew.topojson"
FORCE_FILE = BOUNDARIES / "police-force-areas-2023-ew.topojson"


class Command(BaseCommand):
    help = (
        "Create (idempotently) the CSP areas and police force areas of England and Wales, with their boundaries, "
        f"from ONS TopoJSON files (each at most {size_text(AREA_FILE_MAX_BYTES)}). New areas are unassigned: "
        "a VRU admin assigns them to their VRU."
    )

    def add_arguments(self, parser):
        parser.add_argument("--csp", default=str(CSP_FILE), help="ONS Community Safety Partnerships file (TopoJSON)")
        parser.add_argument("--forces", default=str(FORCE_FILE), help="ONS police force areas file (TopoJSON)")
        parser.add_argument("--json", action="store_true", help="Print the counts as JSON")

    def handle(self, *args, **options):
        started = time.monotonic()
        try:
            counts = areas_load(csp_path=options["csp"], force_path=options["forces"], user=None)
        except ValidationError as exc:
            raise CommandError("Nothing was loaded:\n  " + "\n  ".join(exc.messages)) from exc
        if options["json"]:
            self.stdout.write(json.dumps(counts))
            return
        for kind, label in (("csp", "Community Safety Partnership areas"), ("police_force", "police force areas")):
            c = counts[kind]
            self.stdout.write(
                f"{label}: {c['total']} in the file, {c['created']} created, {c['existing']} already there"
            )
        self.stdout.write(
            f"Boundaries from the ONS files are stored with each area. New areas belong to no VRU yet. "
            f"({time.monotonic() - started:.1f} s)"
        )
