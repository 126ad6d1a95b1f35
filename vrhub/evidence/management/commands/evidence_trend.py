import json

from django.core.management.base import BaseCommand, CommandError

from vrhub.evidence import selectors, store
from vrhub.evidence.management.commands._vru import VRU_HELP, command_vru

LEVELS = {"bcu": "BCU", "london": "London", "england_wales": "England and Wales"}


class Command(BaseCommand):
    help = (
        "A measure's trend in an area: a period against a baseline period (with unit, coverage, rate per 1,000 "
        "residents, significance and comparisons), or the monthly series. Outside the source's coverage the "
        "figures are null ('no data') and the command still exits 0; an unknown area or measure exits 1."
    )

    def add_arguments(self, parser):
        parser.add_argument("--area", required=True, help="LSOA, ward, borough or police force code, or E12000007")
        parser.add_argument(
            "--measure",
            required=True,
            help="a name as people say it (Robbery, Knife crime, Violence with injury) or "
            "[police.uk:|mps:|istv:]category[/subcategory]",
        )
        parser.add_argument("--period", help="YYYY-MM:YYYY-MM")
        parser.add_argument("--baseline", help="YYYY-MM:YYYY-MM")
        parser.add_argument(
            "--annualise", action="store_true", help="compare periods of unequal length as 12-month rates"
        )
        parser.add_argument("--vru", help=VRU_HELP)
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        with store.vru_scope(command_vru(code=options.get("vru"))):
            self._handle(**options)

    def _handle(self, **options):
        try:
            area = selectors.area_get(code=options["area"])
            measure = selectors.measure_get(name=options["measure"], area=area)
            if options["period"] and options["baseline"]:
                result = selectors.trend_compare(
                    area=area,
                    measure=measure,
                    period=options["period"],
                    baseline=options["baseline"],
                    annualise=options["annualise"],
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
            self.stdout.write(self._text(result))
        else:
            if result["synthetic"]:
                self.stdout.write("SYNTHETIC data: not real figures")
            self.stdout.write(f"{result['measure_label']}, {result['area_name']}: {result['unit']} by month")
            for row in result["series"]:
                self.stdout.write(f"{row['month']}\t{'no data' if row['value'] is None else row['value']}")

    @staticmethod
    def _text(result) -> str:
        lines = [
            f"{result['area_name']}: {result['sentence']} "
            f"({result['period']} against {result['baseline_period']}; source: {result['source']})"
        ]
        if result["current"] is not None and result["population"]["value"] is None:
            lines.append(f"No rate per 1,000 residents: {result['population']['source']}")
        if result["caveat"]:
            lines.append(result["caveat"])
        for c in result["comparisons"]:
            if c["current"] is None or c["baseline"] is None:
                lines.append(f"  {c['name'] or LEVELS[c['level']]}: no data ({c['reason']})")
            else:
                rate = c["rate_per_1000"]["current"]
                pct = "n/a" if c["pct_change"] is None else f"{c['pct_change']:+g} %"
                lines.append(
                    f"  {c['name']}: {c['current']:,} {result['unit']} against {c['baseline']:,} ({pct})"
                    + (f", {rate:g} per 1,000 residents a year" if rate is not None else "")
                )
        return "\n".join(lines)
