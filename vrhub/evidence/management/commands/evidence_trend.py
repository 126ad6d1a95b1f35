import json

from django.core.management.base import BaseCommand, CommandError

from vrhub.evidence import selectors


class Command(BaseCommand):
    help = "A measure's trend in an area: a period against a baseline period, or the monthly series."

    def add_arguments(self, parser):
        parser.add_argument("--area", required=True, help="LSOA, ward, borough or police force code, or E12000007")
        parser.add_argument("--measure", required=True, help="[police.uk:|mps:|istv:]category[/subcategory]")
        parser.add_argument("--period", help="YYYY-MM:YYYY-MM")
        parser.add_argument("--baseline", help="YYYY-MM:YYYY-MM")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        try:
            area = selectors.area_get(code=options["area"])
            measure = selectors.measure_get(name=options["measure"])
            if options["period"] and options["baseline"]:
                result = selectors.trend_compare(
                    area=area, measure=measure, period=options["period"], baseline=options["baseline"]
                )
            elif options["period"] or options["baseline"]:
                raise CommandError("Give both --period and --baseline, or neither for the monthly series")
            else:
                result = selectors.trend_series(area=area, measure=measure)
        except selectors.EvidenceError as exc:
            raise CommandError(str(exc)) from exc
        if options["json"]:
            self.stdout.write(json.dumps(result, indent=2))
        elif "sentence" in result:
            self.stdout.write(
                f"{result['area_name']}: {result['sentence']} ({result['period']} against {result['baseline_period']})"
            )
        else:
            for row in result["series"]:
                self.stdout.write(f"{row['month']}\t{row['value']}")
