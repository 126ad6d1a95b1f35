from django.core.management.base import CommandError

from vrhub.organisations.models import Organisation
from vrhub.plans.models import Plan


def plan_for_command(*, area: str, year: int) -> Plan:
    """The current plan of an area and year for a command line tool, or a one-line CommandError."""
    org = Organisation.objects.filter(code=(area or "").strip().upper(), kind=Organisation.Kind.AREA).first()
    if org is None:
        raise CommandError(f"Unknown area {area!r}: give the ONS code of a CSP area, e.g. E09000016.")
    plan = (
        Plan.objects.filter(area=org, template__year=year, is_current=True).select_related("template", "area").first()
    )
    if plan is None:
        raise CommandError(f"{org.name} ({org.code}) has no plan for {year}.")
    return plan
