import json

from django.core.management.base import BaseCommand, CommandError

from vrhub.learning.selectors import similar_actions
from vrhub.plans.models import PlanAction


class Command(BaseCommand):
    help = (
        "The actions in other boroughs whose own text (template wording and copied sentences set aside) is most "
        "similar to one action's, with the key terms they share."
    )

    def add_arguments(self, parser):
        parser.add_argument("--action", required=True, type=int, help="The action's id")
        parser.add_argument("--limit", type=int, default=5)
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, action: int, limit: int, **options):
        if limit < 1 or limit > 100:
            raise CommandError("--limit must be between 1 and 100")
        source = PlanAction.objects.select_related("plan__area", "plan__template").filter(pk=action).first()
        if source is None:
            raise CommandError(f"No action with id {action}")
        rows = [
            {
                "action": r["action"].pk,
                "area": r["action"].plan.area.code,
                "title": r["action"].title,
                "score": r["score"],
                "shared_terms": r["shared_terms"],
                "synthetic": r["action"].plan.synthetic,
            }
            for r in similar_actions(action=source, limit=limit)
        ]
        if options["json"]:
            self.stdout.write(json.dumps(rows, indent=2))
            return
        if source.plan.synthetic or any(r["synthetic"] for r in rows):
            self.stdout.write("SYNTHETIC demo data: these plans are made up for testing.")
        if not rows:
            self.stdout.write(f"No similar work: {source.code} has no text of its own, or no other action shares it.")
        for r in rows:
            self.stdout.write(
                f"{r['score']:.3f}  {r['area']}  #{r['action']} {r['title']}  [{', '.join(r['shared_terms'])}]"
            )
