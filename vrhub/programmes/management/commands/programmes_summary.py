import json
import sys
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError

from vrhub.core.exceptions import NotFound
from vrhub.programmes.catalogue import year_label
from vrhub.programmes.models import Budget, Programme
from vrhub.programmes.selectors import access
from vrhub.programmes.selectors.budgets import money_text
from vrhub.programmes.selectors.figures import budget_totals, programme_amounts, reach

HELP = """A VRU's funded programmes for one financial year: its OWN budget (owner = the VRU) and its programmes.

--json prints exactly these keys:
  {"vru": CODE, "year": 2020,
   "income": {source: amount}, "expenditure": {category: amount}, "total": amount,
   "programmes": n, "reached": {"direct": n | null, "indirect": n | null}}
Amounts are pounds as JSON numbers with a decimal point, to the penny (7600000.0, 12500.5): the budget's
lines, "total" the sum of its income lines (not the published total). "programmes" counts the VRU's
programmes (any owner within the VRU) with an amount for the year; "reached" is the people their
monitoring returns for the year report (null when no return reported the count, never 0).
When any figure is synthetic (demo data), a note "synthetic" goes to stderr (the JSON keys stay exact); the
table says "synthetic" beside the figures.

An unknown VRU, a year outside 2000-2100, or no budget of the VRU for the year: one line on stderr, exit
status 1."""


def _pounds(amount: Decimal) -> float:
    return float(amount)


class Command(BaseCommand):
    help = HELP

    def create_parser(self, prog_name, subcommand, **kwargs):
        from argparse import RawDescriptionHelpFormatter

        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.formatter_class = RawDescriptionHelpFormatter
        return parser

    def add_arguments(self, parser):
        parser.add_argument("--vru", required=True, help="The VRU's code (VRU-LDN) or name (london).")
        parser.add_argument("--year", required=True, help="The financial year, by the year it starts: 2020.")
        parser.add_argument("--json", action="store_true", help="Print JSON (shape above).")

    def handle(self, *args, vru: str, year: str, **options):
        try:
            found = access.vru_get_for_command(code=vru)
            number = access.checked_year(year)
        except NotFound as exc:
            raise CommandError(f"{exc} (--vru {vru!r} --year {year!r})") from exc
        budget = Budget.objects.filter(owner=found, year=number).first()
        if budget is None:
            raise CommandError(f"{found.name} has no budget of its own for {year_label(number)}")
        totals = budget_totals(budget=budget)
        programmes = list(Programme.objects.filter(vru=found))
        amounts = programme_amounts(programmes=programmes, year=number)
        counted = [p for p in programmes if p.pk in amounts]
        reached = reach(programmes=counted, year=number)
        synthetic = budget.synthetic or any(p.synthetic for p in counted)
        summary = {
            "vru": found.code,
            "year": number,
            "income": {line.name: _pounds(line.amount) for line in totals.income},
            "expenditure": {line.name: _pounds(line.amount) for line in totals.spend},
            "total": _pounds(totals.income_total),
            "programmes": len(counted),
            "reached": {"direct": reached.direct, "indirect": reached.indirect},
        }
        if synthetic:
            sys.stderr.write("synthetic: some figures are synthetic demo data\n")
        if options["json"]:
            self.stdout.write(json.dumps(summary, ensure_ascii=False))
            return
        self._table(found, number, totals, summary, synthetic=synthetic, budget_synthetic=budget.synthetic)

    def _table(self, vru, year, totals, summary, *, synthetic: bool, budget_synthetic: bool) -> None:
        write = self.stdout.write
        tag = " (synthetic)" if budget_synthetic else ""
        write(f"{vru.name} ({vru.code}): financial year {year_label(year)}{tag}")
        write("")
        width = max([len(line.name) for line in totals.income + totals.spend] + [30])
        write("Income by source (£)")
        for line in totals.income:
            write(f"  {line.name:<{width}}  {money_text(line.amount):>20}")
        write(f"  {'Total (sum of the lines)':<{width}}  {money_text(totals.income_total):>20}")
        write("Expenditure by category (£)")
        for line in totals.spend:
            write(f"  {line.name:<{width}}  {money_text(line.amount):>20}")
        write(f"  {'Total (sum of the lines)':<{width}}  {money_text(totals.spend_total):>20}")
        write("")
        note = " (some synthetic)" if synthetic and not budget_synthetic else ""
        write(f"Programmes with an amount in {year_label(year)}: {summary['programmes']}{note}")
        for key in ("direct", "indirect"):
            value = summary["reached"][key]
            write(f"People reached {key}ly: {'Not reported' if value is None else f'{value:,}'}")
