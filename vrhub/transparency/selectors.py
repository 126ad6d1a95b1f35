"""What the public may see: published years, accepted plans, no personal data, no internal documents."""

from django.db.models import Prefetch

from vrhub.core.exceptions import NotFound
from vrhub.organisations.models import Organisation
from vrhub.plans.models import Plan, PlanAction, SupportingDocument
from vrhub.transparency.models import Publication

# The only action fields that ever leave the service publicly. Lead names and e-mails are not here.
PUBLIC_ACTION_FIELDS = ("code", "title", "status", "progress", "outcome")


def published_vru(*, vru_code: str, year: int) -> Organisation:
    pub = Publication.objects.select_related("vru").filter(vru__code=vru_code, year=year).first()
    if pub is None:
        raise NotFound("Not published")
    return pub.vru


def public_plans(*, vru: Organisation, year: int) -> list[dict]:
    """Each borough with its latest accepted plan for the year (or none yet), in public form."""
    areas = list(Organisation.objects.filter(kind=Organisation.Kind.AREA, vru=vru).order_by("name"))
    plans: dict[int, Plan] = {}
    accepted = (
        Plan.objects.filter(area__in=areas, template__year=year, state=Plan.State.ACCEPTED)
        .order_by("area_id", "-version")
        .prefetch_related(
            Prefetch("actions", queryset=PlanAction.objects.select_related("theme").order_by("theme__order", "code")),
            Prefetch("actions__documents", queryset=SupportingDocument.objects.filter(internal=False, file="")),
        )
        .select_related("template")
    )
    for found in accepted:
        plans.setdefault(found.area_id, found)
    result = []
    for area in areas:
        plan = plans.get(area.pk)
        themes: dict = {}
        if plan:
            for a in plan.actions.all():
                themes.setdefault((a.theme.order, a.theme.code, a.theme.title), []).append(
                    {
                        "code": a.code,
                        "title": a.title,
                        "status": a.get_status_display() if a.status else "",
                        "outcome": a.outcome,
                        "progress": a.progress,
                        "links": [{"title": d.title, "url": d.url} for d in a.documents.all()],
                    }
                )
        result.append(
            {
                "area": area.code,
                "name": area.name,
                "accepted": bool(plan),
                "accepted_at": plan.accepted_at.isoformat() if plan and plan.accepted_at else None,
                "version": plan.version if plan else None,
                "synthetic": bool(plan and plan.synthetic),
                "themes": [
                    {"code": code, "title": title, "actions": actions}
                    for (_order, code, title), actions in sorted(themes.items())
                ],
            }
        )
    return result
