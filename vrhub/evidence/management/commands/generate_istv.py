"""Write a synthetic ISTV extract (marked synthetic on its first line, in every row and in this command's output)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from vrhub.evidence.loaders.istv import LONDON_AE_SITES
from vrhub.evidence.synthetic import istv_site_lsoas, write_istv

MAX_MONTHS = 600  # 50 years
MAX_PER_MONTH = 100_000  # attendances a site a month
MAX_SITES = 100


class Command(BaseCommand):
    help = "Write a synthetic ISTV extract for London's A&E sites, unless the file exists (then --force)."

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="The CSV file to write")
        parser.add_argument("--months", type=int, default=12, help="Months of data (default 12)")
        parser.add_argument("--start", help="First month, YYYY-MM (default: the months up to last month)")
        parser.add_argument("--per-month", type=int, default=40, help="Attendances a site a month, on average")
        parser.add_argument("--sites", help="Comma-separated ODS site codes (default: every site in the lookup)")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--force", action="store_true", help="Write even if the file exists")

    def handle(self, *args, **options):
        out = Path(options["out"])
        if out.exists() and not options["force"]:
            self.stdout.write(f"{out} exists: nothing written (use --force to write it again; SYNTHETIC data only)")
            return
        if not 1 <= options["months"] <= MAX_MONTHS:
            raise CommandError(f"--months is 1 to {MAX_MONTHS}, not {options['months']}")
        if not 0 <= options["per_month"] <= MAX_PER_MONTH:
            raise CommandError(f"--per-month is 0 to {MAX_PER_MONTH}, not {options['per_month']}")
        if options["start"]:
            try:
                start = dt.datetime.strptime(options["start"], "%Y-%m").date()
            except ValueError as exc:
                raise CommandError(f"--start is YYYY-MM, not {options['start']!r}") from exc
        else:
            first_of_this_month = dt.date.today().replace(day=1)
            index = first_of_this_month.year * 12 + first_of_this_month.month - 1 - options["months"]
            start = dt.date(index // 12, index % 12 + 1, 1)
        sites = [s.strip().upper() for s in options["sites"].split(",")] if options["sites"] else list(LONDON_AE_SITES)
        bad = [s for s in sites if not re.fullmatch(r"[A-Z0-9]{3,5}", s)]
        if bad or len(sites) > MAX_SITES:
            raise CommandError(
                f"--sites takes up to {MAX_SITES} ODS site codes (3 to 5 letters or digits)"
                + (f": {bad[0][:20]!r} is not one" if bad else f", not {len(sites)}")
            )
        write_istv(
            path=out,
            site_code=sites,
            lsoas=istv_site_lsoas(sites),
            start=start,
            months=options["months"],
            per_month=options["per_month"],
            seed=options["seed"],
        )
        self.stdout.write(
            f"SYNTHETIC data (not real attendances): wrote {out}, a synthetic ISTV extract, {len(sites)} sites, "
            f"{options['months']} months from {start:%Y-%m}, seed {options['seed']}"
        )
