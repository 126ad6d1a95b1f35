from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render

from vrhub.core.db_router import replica_reads
from vrhub.dashboard.selectors import DRILL_KINDS, HEAT_SORTS, borough_attention, london_overview
from vrhub.plans.models import PlanTemplate, Status
from vrhub.transparency.models import Publication


def _vru_for(user):
    if not user.is_vru_user or not user.organisation:
        raise PermissionDenied("The London view is for VRU staff.")
    return user.organisation


@replica_reads
def overview_latest(request):
    vru = _vru_for(request.user)
    template = PlanTemplate.objects.filter(vru=vru, plans__isnull=False).order_by("-year").first()
    if template is None:
        raise Http404("No plans yet")
    return redirect("dashboard:overview", year=template.year)


@replica_reads
def overview(request, year: int):
    vru = _vru_for(request.user)
    # PostgreSQL cannot compare text with a NUL character (it answered 500): no BCU or theme code holds one.
    nul = [name for name in ("bcu", "theme", "sort", "dir", "hsort") if "\x00" in request.GET.get(name, "")]
    if nul:
        return HttpResponseBadRequest(
            f"The London view's {' and '.join(nul)} filter cannot contain a NUL character (%00).",
            content_type="text/plain; charset=utf-8",
        )
    sort = request.GET.get("sort", "name")
    descending = request.GET.get("dir") == "desc"
    data = london_overview(
        vru=vru,
        year=year,
        bcu=request.GET.get("bcu", ""),
        theme=request.GET.get("theme", ""),
        sort=sort,
        descending=descending,
        heat_sort=request.GET.get("hsort", "name"),
    )
    if data["template"] is None:
        raise Http404("No template for that year")
    params = request.GET.copy()
    columns = []
    for key, label in [
        ("name", "Borough"),
        ("bcu", "BCU"),
        ("state", "State"),
        ("signed", "Signatures"),
        ("late", "Late"),
        ("completeness", "Completeness"),
    ]:
        params["sort"] = key
        params["dir"] = "asc" if sort != key or descending else "desc"
        columns.append(
            {
                "key": key,
                "label": label,
                "query": params.urlencode(),
                "aria": ("descending" if descending else "ascending") if sort == key else "none",
            }
        )
    heat_sorts = []
    for key, label in zip(HEAT_SORTS, ["Borough name", "Share red", "Share overdue"], strict=True):
        params = request.GET.copy()
        params["hsort"] = key
        heat_sorts.append(
            {"key": key, "label": label, "query": params.urlencode(), "current": key == data["heat_sort"]}
        )
    return render(
        request,
        "dashboard/overview.html",
        data
        | {
            "vru": vru,
            "columns": columns,
            "heat_sorts": heat_sorts,
            "statuses": list(Status),
            "filters": request.GET,
            "selected_bcu": request.GET.get("bcu", ""),
            "selected_theme": request.GET.get("theme", ""),
            "published": Publication.objects.filter(vru=vru, year=year).exists(),
        },
    )


DRILL_PAGE_SIZE = 50
CODE_LIMIT = 20  # borough (E09000016) and theme (VAWG) codes are far shorter


@replica_reads
def borough(request, year: int, area: str):
    """One borough's overdue actions or mandatory actions not started (``?show=``), 50 to a page."""
    vru = _vru_for(request.user)
    show = request.GET.get("show", "overdue")
    if show not in DRILL_KINDS:
        return HttpResponseBadRequest(
            f"show must be one of: {', '.join(DRILL_KINDS)}.", content_type="text/plain; charset=utf-8"
        )
    theme = request.GET.get("theme", "")
    if "\x00" in theme or len(theme) > CODE_LIMIT:
        return HttpResponseBadRequest(
            f"The theme filter must be a theme code of at most {CODE_LIMIT} characters, without a NUL character.",
            content_type="text/plain; charset=utf-8",
        )
    if len(area) > CODE_LIMIT:
        raise Http404("No such borough")
    data = borough_attention(vru=vru, year=year, area_code=area, theme=theme)
    items = data["overdue"] if show == "overdue" else data["not_started"]
    page = Paginator(items, DRILL_PAGE_SIZE).get_page(request.GET.get("page"))
    tabs = []
    for key, label in DRILL_KINDS.items():
        params = request.GET.copy()
        params["show"] = key
        params.pop("page", None)
        tabs.append(
            {"key": key, "label": label, "count": len(data[key.replace("-", "_")]), "query": params.urlencode()}
        )
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "dashboard/borough.html",
        data
        | {
            "show": show,
            "heading": DRILL_KINDS[show],
            "tabs": tabs,
            "page": page,
            "page_query": params.urlencode(),
            "selected_theme": theme,
        },
    )
