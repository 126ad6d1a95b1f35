from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from vrhub.core.files import write_atomically
from vrhub.organisations.models import Organisation
from vrhub.plans.models import Plan, PlanTemplate
from vrhub.reports import render, selectors

DEFAULT_VRU = "VRU-LDN"


class Command(BaseCommand):
    help = (
        "Write a report as PDF or DOCX: a borough's scrutiny committee report (--kind scrutiny --area CODE) "
        "or the VRU's London summary (--kind london)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--kind", required=True, help="scrutiny or london")
        parser.add_argument("--area", help="ONS code of the borough, e.g. E09000016 (needed for scrutiny)")
        parser.add_argument("--year", required=True, help="Template year, e.g. 2021 for 2021/22")
        parser.add_argument("--format", dest="fmt", help="pdf or docx (default: from the --out file's extension)")
        parser.add_argument("--out", required=True, help="File to write; its directory must exist")
        parser.add_argument("--vru", help=f"Code of the VRU (default: the area's VRU, else {DEFAULT_VRU})")

    def handle(self, *args, kind: str, area: str | None, year: str, fmt: str | None, out: str, vru: str | None, **opts):
        kind = (kind or "").strip().lower()
        if kind not in render.KINDS:
            raise CommandError(f"Unknown kind {kind!r}: use scrutiny or london.")
        path = Path(out)
        fmt = (fmt or path.suffix.lstrip(".")).strip().lower()
        if fmt not in render.FORMATS:
            raise CommandError(f"Unknown format {fmt!r}: use --format pdf or --format docx.")
        try:
            year_n = int(year)
        except (TypeError, ValueError):
            raise CommandError(f"Unknown year {year!r}: give the template year, e.g. 2021.") from None
        if path.is_dir():
            raise CommandError(f"--out {out} is a directory: give a file name.")
        if not path.parent.is_dir():
            raise CommandError(f"The directory {str(path.parent)!r} does not exist.")

        area_org = self._area(area) if area else None
        if kind == "scrutiny" and area_org is None:
            raise CommandError("A scrutiny report needs --area, the ONS code of the borough.")
        vru_org = self._vru(vru, area_org)

        if kind == "scrutiny":
            plan = (
                Plan.objects.filter(area=area_org, template__vru=vru_org, template__year=year_n, is_current=True)
                .select_related("area", "template")
                .first()
            )
            if plan is None:
                raise CommandError(f"Unknown year: {area_org.name} ({area_org.code}) has no {year_n} plan.")
            data = selectors.scrutiny_report_data(plan=plan)
        else:
            try:
                data = selectors.london_summary_data(vru=vru_org, year=year_n)
            except PlanTemplate.DoesNotExist:
                raise CommandError(f"Unknown year: {vru_org.name} has no {year_n} template.") from None

        content = render.render(kind=kind, fmt=fmt, data=data)
        write_atomically(path, content)
        self.stdout.write(f"Wrote {path} ({fmt.upper()}, {len(content) // 1024 or 1} KB): {data['title']}")

    def _area(self, code: str) -> Organisation:
        org = Organisation.objects.filter(code=code.strip().upper(), kind=Organisation.Kind.AREA).first()
        if org is None:
            raise CommandError(f"Unknown area {code!r}: give the ONS code of a CSP area, e.g. E09000016.")
        return org

    def _vru(self, code: str | None, area: Organisation | None) -> Organisation:
        if code:
            org = Organisation.objects.filter(code=code.strip().upper(), kind=Organisation.Kind.VRU).first()
            if org is None:
                raise CommandError(f"Unknown VRU {code!r}: give a VRU's code, e.g. {DEFAULT_VRU}.")
            if area is not None and area.vru_id != org.pk:
                raise CommandError(f"{area.name} ({area.code}) does not belong to {org.name}.")
            return org
        if area is not None and area.vru_id:
            return Organisation.objects.get(pk=area.vru_id)
        org = Organisation.objects.filter(code=DEFAULT_VRU, kind=Organisation.Kind.VRU).first()
        if org is None:
            raise CommandError(f"Unknown VRU {DEFAULT_VRU!r}: give --vru CODE.")
        return org
