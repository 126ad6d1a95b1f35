"""The Duty's front door: the monitoring view for VRU staff and the local policing body, the area page."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone

from vrhub.duty.models import Partnership
from vrhub.duty.readiness import offence_labels
from vrhub.duty.selectors import access
from vrhub.duty.selectors.readiness import area_readiness
from vrhub.duty.selectors.strategy import review_banner, strategy_published

# The parts of an area's Duty record, in the order the area page lists them: (prefix of the readiness
# elements, heading, URL name of the part's page).
PARTS = (
    ("partnership", "The partnership", "duty:partnership"),
    ("consultation", "Consultation of relevant authorities", "duty:partnership"),
    ("definition", "Local definition of serious violence", "duty:definition"),
    ("sna", "Strategic needs assessment", "duty:assessments"),
    ("strategy", "Strategy", "duty:strategy"),
)


def index(request):
    """VRU staff and the local policing body see every area (monitoring); a borough its own area."""
    if access.monitoring_vru(user=request.user) is not None:
        return redirect("duty:monitoring")
    areas = list(access.areas_with_duty_visible_to(user=request.user).order_by("name")[:2])
    if len(areas) == 1:
        return redirect("duty:area", code=areas[0].code)
    if not areas:
        raise Http404("No area's Duty records are open to you")
    return render(
        request,
        "duty/choose_area.html",
        {"areas": access.areas_with_duty_visible_to(user=request.user).order_by("name")},
    )


def area(request, code: str):
    org = access.duty_area_get_for_user(user=request.user, code=code)
    partnership = Partnership.objects.filter(area=org, pk__in=access.partnerships_visible_to(user=request.user)).first()
    readiness = area_readiness(area=org)
    parts = [
        {"key": key, "heading": heading, "url": url, "missing": readiness.elements_missing(key)}
        for key, heading, url in PARTS
    ]
    can_edit = partnership is not None and access.user_can_edit_partnership(user=request.user, partnership=partnership)
    can_start = partnership is None and access.user_can_start_partnership(user=request.user, area=org)
    return render(
        request,
        "duty/area.html",
        {
            "area": org,
            "partnership": partnership,
            "readiness": readiness,
            "parts": parts,
            "offence_labels": offence_labels(readiness.offence_types),
            "can_edit": can_edit,
            "can_start": can_start,
            "monitoring": access.monitoring_vru(user=request.user) is not None,
            "review_banner": review_banner(
                strategy=strategy_published(partnership=partnership), today=timezone.localdate()
            )
            if partnership
            else None,
        },
    )


urlpatterns = [
    path("duty/", index, name="index"),
    path("duty/<str:code>/", area, name="area"),
]
