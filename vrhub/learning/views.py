from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from vrhub.core.params import year_param
from vrhub.learning import selectors, services
from vrhub.organisations.models import Organisation
from vrhub.organisations.selectors import areas_visible_to
from vrhub.plans import selectors as plan_selectors
from vrhub.plans.models import PlanTemplate, Status, Theme


def library(request):
    user = request.user
    q = request.GET.get("q", "")[:200]
    year = request.GET.get("year", "")
    filters = {
        "q": q,
        "theme": request.GET.get("theme", ""),
        "area": request.GET.get("area", ""),
        "year": year_param(year),
        "status": request.GET.get("status", ""),
        "good_practice_only": request.GET.get("good_practice") == "on",
    }
    # PostgreSQL cannot compare text with a NUL character (it answered 500): no code or word holds one.
    nul = [name for name, value in filters.items() if isinstance(value, str) and "\x00" in value]
    if nul:
        return HttpResponseBadRequest(
            f"The library's {' and '.join(nul)} filter cannot contain a NUL character (%00): nothing was searched.",
            content_type="text/plain; charset=utf-8",
        )
    results = selectors.library_search(user=user, **filters)
    org = user.organisation
    vru = org.owning_vru if org else None
    areas = Organisation.objects.filter(kind=Organisation.Kind.AREA, vru=vru).order_by("name") if vru else []
    themes = Theme.objects.filter(template__vru=vru).values_list("code", "title").distinct().order_by("code")
    return render(
        request,
        "learning/library.html",
        {
            "results": results,
            "filters": filters,
            "areas": areas,
            "themes": themes,
            "statuses": list(Status),
            "years": PlanTemplate.objects.filter(vru=vru).values_list("year", flat=True).order_by("-year"),
            "own_areas": set(areas_visible_to(user=user).values_list("pk", flat=True)),
            "scope": selectors.library_scope(user=user),
        },
    )


def similar(request, pk: int, action_pk: int):
    action = plan_selectors.plan_action_get_for_user(user=request.user, plan_pk=pk, pk=action_pk)
    work = selectors.similar_work(action=action, limit=10, user=request.user)
    return render(
        request,
        "learning/similar.html",
        {"plan": action.plan, "action": action, "rows": work["rows"], "own_sentences": work["own_sentences"]},
    )


@require_POST
def good_practice(request, pk: int, action_pk: int):
    action = plan_selectors.plan_action_get_for_user(user=request.user, plan_pk=pk, pk=action_pk)
    try:
        if request.POST.get("remove"):
            services.good_practice_unflag(action=action, user=request.user)
            messages.success(request, f"{action.code} is no longer flagged as good practice.")
        elif "\x00" in request.POST.get("note", "") and request.user.is_vru_user:
            # PostgreSQL cannot store a NUL character (it answered 500). Others are refused by the service.
            messages.error(request, "Note: Null characters are not allowed.")
        else:
            services.good_practice_flag(action=action, user=request.user, note=request.POST.get("note", ""))
            messages.success(request, f"{action.code} is now in the good-practice library.")
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect("learning:similar", pk=pk, action_pk=action_pk)


def emerging(request, year: int):
    user = request.user
    if not user.is_vru_user:
        raise PermissionDenied("Emerging themes are for VRU staff.")
    if not PlanTemplate.objects.filter(vru=user.organisation, year=year).exists():
        raise Http404(f"There is no {year} template")  # as the London view: not an empty page for any year
    quarter = request.GET.get("quarter", "2")
    quarter = int(quarter) if quarter in {"1", "2", "3", "4"} else 2
    rows = selectors.emerging_themes(vru=user.organisation, year=year, quarter=quarter)
    context = selectors.emerging_context(vru=user.organisation, year=year, quarter=quarter)
    return render(
        request,
        "learning/emerging.html",
        {
            "rows": rows,
            "year": year,
            "quarter": quarter,
            "label": f"Q{quarter} {year}/{str(year + 1)[-2:]}",
            "quarters": selectors.quarter_choices(vru=user.organisation, year=year),
            **context,
        },
    )
