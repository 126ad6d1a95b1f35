import json
import os
import tempfile
from decimal import Decimal
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from vrhub.core.exceptions import NotFound
from vrhub.programmes.catalogue import year_label
from vrhub.programmes.giving360 import PackageInvalid
from vrhub.programmes.selectors import open_data
from vrhub.programmes.selectors.access import vru_get_for_command

HELP = """Write a VRU's grants for one financial year as a 360Giving JSON package ({"grants": [...]}, schema
1.4.3): each published programme of the VRU with an amount for the year is one grant with that year's amount
(the same file as the public page's). The package is validated against the 360Giving package schema first:
an invalid one is never written. --out FILE writes it whole or not at all; --out - prints it. An unknown VRU,
a VRU without a funder profile, or a year with no grant: one line on stderr, exit status 1."""


class Command(BaseCommand):
    help = HELP

    def add_arguments(self, parser):
        parser.add_argument("--vru", required=True, help="The VRU's code or name, e.g. london or VRU-LDN.")
        parser.add_argument("--year", required=True, type=int, help="The financial year: 2020 is 2020/21.")
        parser.add_argument("--out", required=True, help="The file to write, or - for standard output.")

    def handle(self, *args, vru: str, year: int, out: str, **options):
        try:
            found = vru_get_for_command(code=vru)
            package = open_data.grants_package(vru=found, year=year)
        except NotFound as exc:
            raise CommandError(str(exc)) from exc
        except PackageInvalid as exc:
            raise CommandError(f"Not written: {exc}") from exc
        text = json.dumps(package, ensure_ascii=False, indent=2) + "\n"
        if out == "-":
            self.stdout.write(text, ending="")
            return
        path = Path(out)
        if path.is_dir():
            raise CommandError(f"Cannot write {path}: it is a folder; give a file name")
        _write(path, text.encode("utf-8"))
        demo = " (SYNTHETIC demo data)" if package["title"].startswith("SYNTHETIC") else ""
        total = sum((Decimal(str(g["amountAwarded"])) for g in package["grants"]), Decimal("0"))
        self.stderr.write(
            f"{found.name}{demo}: {len(package['grants'])} grants for {year_label(year)}, "
            f"£{total:,.2f} awarded for the year, valid 360Giving, written to {path}"
        )


def _write(path: Path, content: bytes) -> None:
    """Write ``content`` to ``path`` whole or not at all (a temporary file renamed into place). A path that
    exists and is not a regular file (a device such as /dev/stdout or /dev/full, a pipe) is written to, never
    replaced."""
    if path.exists() and not path.is_file():
        try:
            with open(path, "wb") as f:
                f.write(content)
        except OSError as exc:
            raise CommandError(f"Cannot write {path}: {exc.strerror}") from exc
        return
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise CommandError(f"Cannot write {path}: the folder {directory} does not exist")
    try:
        handle, temp = tempfile.mkstemp(dir=directory, prefix=".360giving-", suffix=path.suffix)
    except OSError as exc:
        raise CommandError(f"Cannot write {path}: {exc.strerror}") from exc
    try:
        with os.fdopen(handle, "wb") as f:
            f.write(content)
        os.replace(temp, path)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise CommandError(f"Cannot write {path}: {exc.strerror}") from exc
