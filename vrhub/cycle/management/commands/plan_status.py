import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from vrhub.cycle.models import ReviewComment
from vrhub.cycle.services import signature_is_valid
from vrhub.organisations.models import Organisation
from vrhub.plans.content import plan_content_hash
from vrhub.plans.models import Plan


def _iso(value):
    return timezone.localtime(value).isoformat() if value else None


class Command(BaseCommand):
    help = "Where a borough's plan is in the cycle: state, signatures, submission, lateness, review comments."

    def add_arguments(self, parser):
        parser.add_argument("--area", required=True, help="ONS code of the area, e.g. E09000016")
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, area: str, year: int, **options):
        org = Organisation.objects.filter(code=area.strip().upper(), kind=Organisation.Kind.AREA).first()
        if org is None:
            raise CommandError(f"Unknown area {area!r}: give the ONS code of a CSP area, e.g. E09000016.")
        plan = Plan.objects.filter(area=org, template__year=year, is_current=True).select_related("template").first()
        if plan is None:
            raise CommandError(f"{org.name} ({org.code}) has no plan for {year}.")
        current = plan_content_hash(plan)
        signatures = [
            {
                "office": s.office,
                "name": s.name,
                "signed_at": _iso(s.signed_at),
                "valid": signature_is_valid(s, current),
            }
            for s in plan.signatures.order_by("signed_at", "id")
        ]
        result = {
            "state": plan.state,
            "signatures": signatures,
            "submitted_at": _iso(plan.submitted_at),
            "late": plan.late,
            "review_comments": ReviewComment.objects.filter(plan=plan).count(),
        }
        if options["json"]:
            self.stdout.write(json.dumps(result, indent=2))
            return
        self.stdout.write(f"{org.name} {year} plan (version {plan.version}): {plan.get_state_display()}")
        for s in signatures:
            self.stdout.write(f"  {s['office']}: {s['name']} {s['signed_at']} {'valid' if s['valid'] else 'VOID'}")
        self.stdout.write(f"  submitted: {result['submitted_at'] or 'not yet'}{' (late)' if plan.late else ''}")
        self.stdout.write(f"  review comments: {result['review_comments']}")
