"""Write synthetic data.police.uk street-level files for one force (every file and this output say SYNTHETIC)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from vrhub.core import geo
from vrhub.evidence import store
from vrhub.evidence.loaders.police_uk import FIRST_MONTH
from vrhub.evidence.synthetic import POLICE_SYNTHETIC_TAG, lsoas_of_districts, write_police_uk_force

MAX_MONTHS = 120
POPULATION = Path(settings.BASE_DIR) / "data" / "population" / "census2021-lsoa21-usual-residents.csv"
FORCE_OUTLINES = Path(settings.BASE_DIR) / "data" / "boundaries" / "police-force-areas-2023-ew.topojson"
CSP_OUTLINES = Path(settings.BASE_DIR) / "data" / "boundaries" / "community-safety-partnerships-2023-ew.topojson"


class Command(BaseCommand):
    help = (
        "Write SYNTHETIC data.police.uk street-level files (the exact public format) for the LSOAs of a police "
        "force's CSPs (in its force area, from data/boundaries), one file a month under --out "
        "(YYYY-MM/YYYY-MM-<force>-synthetic-street.csv). "
        "Load them with `load_police_uk --synthetic`."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", required=True, help='The force as data.police.uk names it ("West Midlands Police")'
        )
        parser.add_argument("--out", required=True, help="The folder to write the monthly files under")
        parser.add_argument("--months", type=int, default=12, help=f"Months of data, 1 to {MAX_MONTHS} (default 12)")
        parser.add_argument("--start", help="First month, YYYY-MM (default: the months up to last month)")
        parser.add_argument("--seed", type=int, default=1, help="The same seed writes the same files")
        parser.add_argument("--replace", action="store_true", help="Write over files that exist")

    def handle(self, *args, **options):
        force = options["force"]
        code = store.POLICE_FORCES.get(force)
        if code is None:
            raise CommandError(
                f"--force: {force[:60]!r} is not a police force of England and Wales as data.police.uk names it"
            )
        if not 1 <= options["months"] <= MAX_MONTHS:
            raise CommandError(f"--months is 1 to {MAX_MONTHS}, not {options['months']}")
        this_month = dt.date.today().replace(day=1)
        if options["start"]:
            try:
                start = dt.datetime.strptime(options["start"], "%Y-%m").date()
            except ValueError as exc:
                raise CommandError(f"--start is YYYY-MM, not {options['start'][:20]!r}") from exc
        else:
            index = this_month.year * 12 + this_month.month - 1 - options["months"]
            start = dt.date(index // 12, index % 12 + 1, 1)
        # Only months data.police.uk can have: its loader refuses any other month's rows.
        if not FIRST_MONTH <= start <= this_month:
            raise CommandError(
                f"--start {start:%Y-%m} is not a data.police.uk month: from {FIRST_MONTH:%B %Y} to this month "
                f"({this_month:%Y-%m})"
            )
        last = start.year * 12 + start.month - 1 + options["months"] - 1
        if last > this_month.year * 12 + this_month.month - 1:
            raise CommandError(
                f"--months {options['months']} from {start:%Y-%m} runs past this month ({this_month:%Y-%m}): "
                "data.police.uk has no months that have not happened"
            )
        if not options["out"].strip():
            raise CommandError("--out: give the folder to write the monthly files under")
        out = Path(options["out"])
        if out.exists() and not out.is_dir():
            raise CommandError(f"--out {out} is not a folder (it is a file): give a folder to write the files under")
        # The force's CSPs: those whose interior point lies in the force area (both from the shipped ONS files).
        force_area = next(
            f["geometry"]
            for f in geo.topojson_features(json.loads(FORCE_OUTLINES.read_text(encoding="utf-8")))
            if f["properties"].get("AREACD") == code
        )
        outlines = {
            f["properties"]["AREANM"]: f["geometry"]
            for f in geo.topojson_features(json.loads(CSP_OUTLINES.read_text(encoding="utf-8")))
            if geo.contains(force_area, *geo.interior_point(f["geometry"]))
        }
        districts = sorted(outlines)
        lsoas = lsoas_of_districts(districts, path=POPULATION)
        if not lsoas:
            raise CommandError(f"No LSOA in {POPULATION.name} is named after {force}'s CSPs ({', '.join(districts)})")
        existing = sorted(out.glob(f"*/*-{POLICE_SYNTHETIC_TAG}-street.csv")) if out.is_dir() else []
        if existing and not options["replace"]:
            self.stdout.write(f"{out} has synthetic files already: nothing written (--replace to write them again)")
            return
        for path in existing:
            path.unlink()
        files = write_police_uk_force(
            out_dir=out,
            force=force,
            lsoas=lsoas,
            outlines=outlines,
            start=start,
            months=options["months"],
            seed=options["seed"],
        )
        rows = sum(sum(1 for _ in path.open(encoding="utf-8")) - 1 for path in files)
        self.stdout.write(
            f"SYNTHETIC data (not real crimes): wrote {len(files)} data.police.uk street-level files, {rows:,} rows, "
            f"for {force} ({len(lsoas):,} LSOAs of {', '.join(districts)}), {options['months']} months from "
            f"{start:%Y-%m}, seed {options['seed']}, under {out}. Load them with: "
            f"manage.py load_police_uk --synthetic {out}"
        )
