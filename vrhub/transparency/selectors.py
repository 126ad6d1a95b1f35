"""What the public may see: published years, accepted plans, no personal data, no internal documents."""

from collections.abc import Mapping
from datetime import date

from django.db.models import Prefetch

from vrhub.core.exceptions import NotFound
from vrhub.organisations.models import Organisation
from vrhub.plans.models import Plan, PlanAction, SupportingDocument
from vrhub.transparency.models import Publication

# The only action fields that ever leave the service publicly. Lead names and e-mails are not here.
PUBLIC_ACTION_FIELDS = (
    "code",
    "title",
    "status",
    "progress",
    "outcome",
    "baseline",
    "start_date",
    "end_date",
    "start_note",
    "end_note",
    "start_estimated",
    "end_estimated",
)


def _date_text(day: date | None, *, estimated: bool, note: str) -> str:
    """A start or end as people read it: "1 April 2021", "1 April 2021 (estimated)", "Ongoing", or ""."""
    if day is None:
        return note
    text = f"{day.day} {day:%B %Y}"
    return f"{text} (estimated)" if estimated else text


def _accepted_plans(*, areas, year: int):
    return (
        Plan.objects.filter(area__in=areas, template__year=year, state=Plan.State.ACCEPTED)
        .order_by("area_id", "-version")
        .select_related("template")
    )


def public_plan_ids(*, vru: Organisation, year: int) -> list[int]:
    """The plans publishing would show: each borough's latest accepted plan for the year."""
    areas = Organisation.objects.filter(kind=Organisation.Kind.AREA, vru=vru)
    latest: dict[int, int] = {}
    for area_id, pk in _accepted_plans(areas=areas, year=year).values_list("area_id", "pk"):
        latest.setdefault(area_id, pk)
    return sorted(latest.values())


def published_vru(*, vru_code: str, year: int) -> Organisation:
    pub = Publication.objects.select_related("vru").filter(vru__code=vru_code, year=year).first()
    if pub is None:
        raise NotFound("Not published")
    return pub.vru


def public_plans(*, vru: Organisation, year: int, latest_updates: Mapping[int, dict] | None = None) -> list[dict]:
    """Each borough with its latest accepted plan for the year (or none yet), in public form.

    ``latest_updates`` maps an action's id to its latest quarterly update in public form
    (``{"quarter", "period", "status", "progress"}``); the quarterly cycle, above this layer, supplies it.
    """
    latest_updates = latest_updates or {}
    areas = list(Organisation.objects.filter(kind=Organisation.Kind.AREA, vru=vru).order_by("name"))
    plans: dict[int, Plan] = {}
    accepted = _accepted_plans(areas=areas, year=year).prefetch_related(
        Prefetch("actions", queryset=PlanAction.objects.select_related("theme").order_by("theme__order", "code")),
        Prefetch("actions__documents", queryset=SupportingDocument.objects.filter(internal=False, file="")),
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
                        "baseline": a.baseline,
                        "start_date": a.start_date.isoformat() if a.start_date else None,
                        "end_date": a.end_date.isoformat() if a.end_date else None,
                        "start": _date_text(a.start_date, estimated=a.start_estimated, note=a.start_note),
                        "end": _date_text(a.end_date, estimated=a.end_estimated, note=a.end_note),
                        "latest_update": latest_updates.get(a.pk),
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
