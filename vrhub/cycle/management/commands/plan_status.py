import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from vrhub.core.exceptions import NotFound
from vrhub.cycle.models import ReviewComment
from vrhub.cycle.services import signature_is_valid
from vrhub.plans.content import plan_content_hash
from vrhub.plans.selectors import current_plan_get


def _iso(value):
    return timezone.localtime(value).isoformat() if value else None


class Command(BaseCommand):
    help = "Where a borough's plan is in the cycle: state, signatures, submission, lateness, review comments."

    def add_arguments(self, parser):
        parser.add_argument("--area", required=True, help="ONS code of the area, e.g. E09000016")
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, area: str, year: int, **options):
        try:
            plan = current_plan_get(area=area, year=year)
        except NotFound as exc:
            raise CommandError(str(exc)) from exc
        org = plan.area
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
