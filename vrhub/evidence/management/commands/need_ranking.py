import json

from django.core.management.base import BaseCommand, CommandError

from vrhub.evidence import selectors


class Command(BaseCommand):
    help = "Rank LSOAs, wards or boroughs within a borough (or London) by a weighted composite of indicator z-scores."

    def add_arguments(self, parser):
        parser.add_argument("--within", required=True, help="Borough code, or E12000007 for London")
        parser.add_argument("--level", choices=["lsoa", "ward", "borough"], default="lsoa")
        parser.add_argument(
            "--weight",
            action="append",
            default=[],
            metavar="INDICATOR=W",
            help=f"Change a weight (0 leaves it out). Indicators: {', '.join(selectors.INDICATORS)}",
        )
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        weights = {}
        for item in options["weight"]:
            key, _, value = item.partition("=")
            try:
                weights[key.strip()] = float(value)
            except ValueError as exc:
                raise CommandError(f"--weight takes INDICATOR=NUMBER, not {item!r}") from exc
        try:
            result = selectors.need_ranking(within=options["within"], level=options["level"], weights=weights)
        except selectors.EvidenceError as exc:
            raise CommandError(str(exc)) from exc
        if options["json"]:
            self.stdout.write(json.dumps(result["rows"], indent=2))
            return
        for key, ind in result["indicators"].items():
            self.stdout.write(f"# {key} (weight {ind['weight']:g}): {ind['label']} — {ind['source']}")
        for row in result["rows"]:
            score = "–" if row["score"] is None else f"{row['score']:.3f}"
            self.stdout.write(f"{row['rank'] or '–'}\t{row['area']}\t{score}\t{row['name']}")
