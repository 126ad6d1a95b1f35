import json

from django.core.management.base import BaseCommand, CommandError

from vrhub.core.exceptions import NotFound
from vrhub.plans.completeness import plan_completeness
from vrhub.plans.selectors import current_plan_get


class Command(BaseCommand):
    help = "Check a borough plan against the explanatory notes' pointers. Exits 0 even when incomplete."

    def add_arguments(self, parser):
        parser.add_argument("--area", required=True, help="ONS code of the area, e.g. E09000016")
        parser.add_argument("--year", required=True, type=int, help="Template year, e.g. 2021")
        parser.add_argument("--json", action="store_true", help="Print the result as JSON")

    def handle(self, *args, area: str, year: int, **options):
        try:
            plan = current_plan_get(area=area, year=year)
        except NotFound as exc:
            raise CommandError(str(exc)) from exc
        org = plan.area
        check = plan_completeness(plan)
        result = {
            "area": org.code,
            "year": year,
            "actions": check.actions,
            "themes": {code: {"actions": t.actions, "complete": t.complete} for code, t in check.themes.items()},
            "problems": [p.as_dict() for p in check.problems],
            "complete": check.complete,
        }
        if options["json"]:
            self.stdout.write(json.dumps(result, indent=2))
            return
        self.stdout.write(f"{org.name} {year} plan: {check.complete_actions} of {check.actions} actions complete")
        for code, t in check.themes.items():
            self.stdout.write(f"  {code:6} {t.complete}/{t.actions}  {t.title}")
        for p in check.problems:
            self.stdout.write(f"  - {p.action} {p.field}: {p.message}")
        self.stdout.write("Complete." if check.complete else f"{len(check.problems)} problems to fix.")
