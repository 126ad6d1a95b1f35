import json

from django.core.management.base import BaseCommand, CommandError

from vrhub.core.exceptions import NotFound
from vrhub.duty.models import Partnership
from vrhub.duty.selectors.readiness import area_readiness, duty_area_get


class Command(BaseCommand):
    help = (
        "How ready an area is under the Serious Violence Duty: partnership, definition, needs assessment, "
        "strategy, and every missing element. Exits 0 whatever the state; non-zero for an unknown area."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--area", required=True, help="ONS code of the CSP area (or the VRU's code), e.g. E09000016"
        )
        parser.add_argument("--json", action="store_true", help="Print the readiness as JSON.")

    def handle(self, *args, area: str, **options):
        try:
            org = duty_area_get(code=area)
        except NotFound as exc:
            raise CommandError(str(exc)) from exc
        readiness = area_readiness(area=org)
        synthetic = Partnership.objects.filter(area=org, synthetic=True).exists()
        if options["json"]:
            data = readiness.as_json()
            data["synthetic"] = synthetic
            self.stdout.write(json.dumps(data, indent=2))
            return
        label = " (SYNTHETIC demo data)" if synthetic else ""
        state = "ready" if readiness.ready else f"not ready: {len(readiness.missing)} missing"
        self.stdout.write(f"{org.name} ({org.code}) Serious Violence Duty{label}: {state}")
        self.stdout.write(
            f"  needs assessment: {readiness.sna_state.replace('_', ' ')}, "
            f"{readiness.sections_complete} of {readiness.sections} sections written"
        )
        published = readiness.published.isoformat() if readiness.published else "not published"
        self.stdout.write(f"  strategy: {readiness.strategy_state.replace('_', ' ')}, {published}")
        for m in readiness.missing:
            self.stdout.write(f"  - {m.message} [{m.element}]")
