from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from vrhub.core.exceptions import NotFound
from vrhub.core.files import write_atomically
from vrhub.duty import datapack_render
from vrhub.duty.selectors.datapack import datapack_data
from vrhub.duty.selectors.readiness import duty_area_get
from vrhub.evidence.selectors import EvidenceError

OUT_MAX = 4096  # characters in the --out path


class Command(BaseCommand):
    help = (
        "Write an area's strategic needs assessment data pack (trends with rates and significance, comparison "
        "with London and England, hotspots, A&E time profile, deprivation overlap, the Home Office's headline "
        "measures) as PDF or DOCX. Prints one line naming the file, its size and SYNTHETIC if any data was."
    )

    def add_arguments(self, parser):
        parser.add_argument("--area", required=True, help="ONS code of the CSP area, e.g. E09000016")
        parser.add_argument("--format", dest="fmt", required=True, help="pdf or docx")
        parser.add_argument("--out", required=True, help="File to write (its directory must exist)")

    def handle(self, *args, area: str, fmt: str, out: str, **options):
        fmt = (fmt or "").strip().lower()
        if fmt not in datapack_render.FORMATS:
            raise CommandError(f"--format {fmt[:20]!r} is not known: use --format pdf or --format docx.")
        if not out or len(out) > OUT_MAX:
            raise CommandError(f"--out must be a file path of at most {OUT_MAX} characters.")
        path = Path(out)
        if path.is_dir():
            raise CommandError(f"--out {out} is a directory: give a file name.")
        if not path.parent.is_dir():
            raise CommandError(f"--out {out}: the directory {str(path.parent)!r} does not exist.")
        try:
            org = duty_area_get(code=area)
        except NotFound as exc:
            raise CommandError(f"--area: {exc}") from exc
        try:
            data = datapack_data(area=org)
        except EvidenceError as exc:
            raise CommandError(f"--area {org.code}: the evidence workbench cannot make a data pack: {exc}") from exc
        content = datapack_render.render(fmt=fmt, data=data)
        write_atomically(path, content)
        synthetic = " SYNTHETIC: includes synthetic data." if data["synthetic"] else ""
        self.stdout.write(
            f"Wrote {path} ({fmt.upper()}, {len(content):,} bytes): {org.name} ({org.code}) data pack.{synthetic}"
        )
