import json

from django.core.management.base import BaseCommand, CommandError

from vrhub.evidence import selectors, store
from vrhub.evidence.management.commands._vru import VRU_HELP, command_vru


class Command(BaseCommand):
    help = (
        "Rank LSOAs, wards or boroughs within a borough (or London) by a weighted composite of indicator z-scores. "
        "Count indicators are rates per 1,000 residents per year unless --measure-type count."
    )

    def add_arguments(self, parser):
        parser.add_argument("--within", required=True, help="Borough code, or E12000007 for London")
        parser.add_argument("--level", choices=["lsoa", "ward", "borough"], default="lsoa")
        parser.add_argument(
            "--measure-type",
            choices=list(selectors.MEASURE_TYPES),
            default="rate",
            help="rate: offences/attendances per 1,000 residents per year (default); count: raw counts",
        )
        parser.add_argument(
            "--weight",
            action="append",
            default=[],
            metavar="INDICATOR=W",
            help=f"Change a weight (0 leaves it out). Indicators: {', '.join(selectors.INDICATORS)}",
        )
        parser.add_argument("--vru", help=VRU_HELP)
        parser.add_argument("--json", action="store_true", help="A list of rows (each with a 'synthetic' flag)")

    def handle(self, *args, **options):
        with store.vru_scope(command_vru(code=options.get("vru"))):
            self._handle(**options)

    def _handle(self, **options):
        weights = {}
        for item in options["weight"]:
            key, _, value = item.partition("=")
            try:
                weights[key.strip()] = float(value)
            except ValueError as exc:
                raise CommandError(f"--weight takes INDICATOR=NUMBER, not {item!r}") from exc
        try:
            result = selectors.need_ranking(
                within=options["within"], level=options["level"], weights=weights, measure_type=options["measure_type"]
            )
        except selectors.EvidenceError as exc:
            raise CommandError(str(exc)) from exc
        if options["json"]:
            self.stdout.write(json.dumps(result["rows"], indent=2))
            return
        if result["synthetic"]:
            synthetic = [k for k, ind in result["indicators"].items() if ind["synthetic"]]
            self.stdout.write(
                f"SYNTHETIC: {', '.join(synthetic)} data are synthetic (not real), for demonstration only; "
                "rows marked SYNTHETIC use them"
            )
        if result["measure_type"] == "rate":
            self.stdout.write(f"# residents: {result['population_source']} (summed over each area's LSOAs)")
        for key, ind in result["indicators"].items():
            self.stdout.write(f"# {key} (weight {ind['weight']:g}): {ind['label']} — {ind['source']}")
            if ind["unavailable"]:
                self.stdout.write(f"#   left out for every area: {ind['unavailable']}")
            for left in ind["excluded"]:
                self.stdout.write(f"#   left out: {left['area']} {left['name']}: {left['reason']}")
        for row in result["rows"]:
            score = "–" if row["score"] is None else f"{row['score']:.3f}"
            marks = (" [SYNTHETIC]" if row["synthetic"] else "") + (f" [{row['caveat']}]" if row["caveat"] else "")
            self.stdout.write(f"{row['rank'] or '–'}\t{row['area']}\t{score}\t{row['name']}{marks}")
