"""Evidence workbench pages: thin views over selectors (reads) and loaders (writes)."""

from __future__ import annotations

import functools
import logging
import shutil
import uuid
from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from vrhub.evidence import charts, hexbin, seasonality, selectors, services, store
from vrhub.evidence import jobs as evidence_jobs
from vrhub.evidence.forms import CiteForm, HotspotForm, IstvForm, NeedForm, TrendForm, UploadForm
from vrhub.jobs.services import job_start
from vrhub.plans import selectors as plan_selectors
from vrhub.plans.pages import signatures_a_change_voids

logger = logging.getLogger(__name__)


def _require_organisation(request) -> None:
    if not request.user.organisation_id or not request.user.role:
        raise PermissionDenied("The evidence workbench is for members of a partnership organisation.")


def _require_vru_admin(request) -> None:
    if not request.user.is_vru_admin:
        raise PermissionDenied("Only VRU admins load data.")


def _store_unavailable(view):
    """A store that cannot be opened (e.g. held for writing by a process outside vrhub) is a 503, not a 500."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except store.StoreError as exc:
            logger.error("Evidence store unavailable: %s", exc)
            return render(request, "evidence/unavailable.html", status=503)

    return wrapped


def _workbench() -> selectors.Workbench:
    """The workbench of the VRU this request reads as (set for every request by EvidenceScopeMiddleware)."""
    return selectors.workbench_for(vru=store.current_vru())


@_store_unavailable
def index(request):
    _require_organisation(request)
    return render(request, "evidence/index.html", {"loads": selectors.loads_by_kind(), "workbench": _workbench()})


@_store_unavailable
def trend(request):
    _require_organisation(request)
    measures = selectors.measures_list()
    workbench = _workbench()
    form = TrendForm(
        request.GET or None, measures=measures, areas=workbench.choices(), initial={"area": workbench.region}
    )
    context = {"form": form, "has_data": bool(measures), "workbench": workbench}
    if request.GET and form.is_valid():
        code = form.cleaned_data["other_area"].strip() or form.cleaned_data["area"]
        try:
            area = selectors.area_get(code=code)
            measure = selectors.measure_get(name=form.cleaned_data["measure"], area=area)
            form.data = form.data.copy()
            form.data["measure"] = measure.qualified  # a name typed in words shows as the measure it resolved to
            data = selectors.trend_series(area=area, measure=measure)
            if form.cleaned_data["period"]:
                context["compare"] = selectors.trend_compare(
                    area=area,
                    measure=measure,
                    period=form.cleaned_data["period"],
                    baseline=form.cleaned_data["baseline"],
                    annualise=form.cleaned_data["annualise"],
                )
        except selectors.EvidenceError as exc:
            field = "other_area" if "area" in str(exc).lower() else "measure"
            form.add_error("baseline" if "baseline" in str(exc) else field, str(exc))
        else:
            context["data"] = data
            # The chart draws the months with data; months outside coverage are "no data" in the table.
            context["chart"] = charts.line_chart([r for r in data["series"] if r["value"] is not None])
            context["seasonality"] = seasonality.month_of_year(series=data["series"])
            if "compare" in context:
                # Like with like: the same calendar months a year earlier, one link away.
                matched = seasonality.matched_baseline(period=context["compare"]["period"])
                if matched != context["compare"]["baseline_period"]:
                    query = request.GET.copy()
                    query["baseline"] = matched
                    query.pop("annualise", None)
                    context["matched"] = {"baseline": matched, "query": query.urlencode()}
    return render(request, "evidence/trend.html", context)


def _need_form(request) -> NeedForm:
    params = request.GET.copy()
    own = request.user.organisation.code
    workbench = _workbench()
    codes = [code for code, _ in workbench.areas]
    if workbench.london:
        params.setdefault("within", own if own in store.LONDON_BOROUGHS else store.LONDON_CODE)
    elif codes:
        params.setdefault("within", own if own in codes else codes[0])
    params.setdefault("level", "ward")
    params.setdefault("measure_type", "rate")
    for key, spec in selectors.INDICATORS.items():
        params.setdefault(f"w_{key}", f"{spec['weight']:g}")
    return NeedForm(params, workbench=workbench)


NEED_TABLE_PAGE = 200  # rows of the ranking table per page


@_store_unavailable
def need(request):
    _require_organisation(request)
    workbench = _workbench()
    if not workbench.london:
        return render(request, "evidence/need.html", {"not_covered": selectors.need_not_covered(workbench=workbench)})
    form = _need_form(request)
    context = {"form": form}
    if form.is_valid():
        try:
            ranking = selectors.need_ranking(**form.ranking_arguments())
        except selectors.EvidenceError as exc:
            form.add_error(None, str(exc))
        else:
            # The table shows NEED_TABLE_PAGE rows a page (London has ≈5,000 LSOAs); the map shows all.
            page = Paginator(ranking["rows"], NEED_TABLE_PAGE).get_page(request.GET.get("page"))
            query = form.data.copy()
            query.pop("page", None)
            context |= {"ranking": ranking, "page": page, "geojson_query": query.urlencode()}
    return render(request, "evidence/need.html", context)


@_store_unavailable
def need_geojson(request):
    """The shapes of the ranked areas with their rank, score and quintile (for the map)."""
    _require_organisation(request)
    workbench = _workbench()
    if not workbench.london:  # no data for the VRU's areas: no shapes, and why (never a map of zeros)
        note = selectors.need_not_covered(workbench=workbench)
        return JsonResponse({"type": "FeatureCollection", "features": [], "note": note})
    form = _need_form(request)
    if not form.is_valid():
        return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    try:
        text = selectors.need_map(**form.ranking_arguments())
    except selectors.EvidenceError as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    return HttpResponse(text, content_type="application/json")


@_store_unavailable
def profile(request, code: str):
    """A borough's problem profile: headline trends (for the plan page's panel)."""
    _require_organisation(request)
    try:
        data = selectors.headline_trends(code=code)
    except selectors.EvidenceError as exc:
        # The only request errors here are about the area in the URL (unknown, too long): not found.
        raise Http404(str(exc)) from exc
    return render(request, "evidence/profile.html", data)


@require_http_methods(["GET", "POST"])
def upload(request):
    """Take one file and load it in the background: the admin follows the load on its job page."""
    _require_vru_admin(request)
    # The upload handler drops a file over the limit (request.upload_too_large): the form says so.
    form = UploadForm(
        request.POST or None, request.FILES or None, upload_too_large=getattr(request, "upload_too_large", False)
    )
    if request.method != "POST" or not form.is_valid():
        return render(request, "evidence/upload.html", {"form": form})
    kind = form.cleaned_data["kind"]
    suffix = evidence_jobs.SUFFIXES[kind]
    upload_file = form.cleaned_data["file"]
    name = Path(upload_file.name).name
    # Kept until the load has run: the worker reads it from here. A name too long for the file system
    # is shortened on disk (the job still shows the name as given).
    folder = evidence_jobs.uploads_root() / uuid.uuid4().hex
    folder.mkdir(parents=True)
    disk_name = name if len(name.encode()) <= 200 else "upload" + Path(name).suffix[:10]
    path = folder / (disk_name if suffix is None or disk_name.endswith(suffix) else disk_name + suffix)
    try:
        with path.open("wb") as fh:
            for chunk in upload_file.chunks():
                fh.write(chunk)
        job = job_start(
            kind="evidence.load",
            user=request.user,
            params={"kind": kind, "file": str(path.relative_to(evidence_jobs.uploads_root())), "name": name[:200]},
        )
    except OSError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        logger.error("Could not keep the evidence upload %s: %s", name, exc)
        form.add_error(
            "file", "The server could not keep this file to load it (it may be out of room): nothing was loaded"
        )
        return render(request, "evidence/upload.html", {"form": form})
    except Exception:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return redirect("jobs:detail", pk=job.pk)


@require_http_methods(["GET", "POST"])
def cite(request):
    """Cite the figure named in the query string in the baseline of one of the user's actions."""
    area_code = request.GET.get("area", "")
    measure = request.GET.get("measure", "")
    period = request.GET.get("period", "")
    try:
        area = selectors.area_get(code=area_code)
        found = selectors.measure_get(name=measure, area=area)
        figure = selectors.trend_figure(area=area, measure=found, period=period)
    except selectors.EvidenceError as exc:
        return render(request, "evidence/cite.html", {"error": str(exc)}, status=400)
    actions = {a.pk: a for a in plan_selectors.actions_editable_by(user=request.user)}
    form = CiteForm(request.POST or None, actions=actions.values())
    if request.method == "POST" and form.is_valid():
        action = plan_selectors.plan_action_get_for_user(
            user=request.user,
            plan_pk=actions[form.cleaned_data["action"]].plan_id,
            pk=form.cleaned_data["action"],
            edit=True,
        )
        # Which plan the figure goes into is known only now: name its live signatures (and ask, if the
        # person has not yet agreed to void exactly those).
        form.set_voids(signatures_a_change_voids(plan=action.plan))
        try:
            citation = services.citation_add(
                action=action,
                user=request.user,
                area_code=area.code,
                measure=found.qualified,
                period=figure["period"],
                confirmed_voids=form.confirmed_voids(),
            )
        except ValidationError as exc:
            if "confirm_void" in getattr(exc, "error_dict", {}):
                form.add_error("confirm_void", exc.message_dict["confirm_void"][0])
                form.ask_again()
            else:
                form.add_error("action", exc.messages[0])
        else:
            messages.success(request, f"Cited in {action.code}'s baseline: {citation.text}.")
            return redirect("plans:theme", pk=action.plan_id, theme_code=action.theme.code)
    return render(
        request,
        "evidence/cite.html",
        {"form": form, "figure": figure, "measure": found, "area": area, "has_actions": form.has_actions},
    )


@_store_unavailable
def istv(request):
    """ISTV profile: A&E assault attendances by hour × day of week, method and location type."""
    _require_organisation(request)
    params = request.GET.copy()
    workbench = _workbench()
    params.setdefault("area", workbench.region)
    form = IstvForm(params, workbench=workbench)
    context: dict = {"form": form}
    if form.is_valid():
        try:
            context["profile"] = selectors.istv_profile(
                area=form.cleaned_data["area"], period=form.cleaned_data["period"]
            )
        except selectors.EvidenceError as exc:
            form.add_error("period" if str(exc).startswith("Period") else "area", str(exc))
    return render(request, "evidence/istv.html", context)


# Which field an error from selectors.hotspots is about (by how its message starts).
HOTSPOT_ERROR_FIELDS = {"Unknown area": "other_area", "An area code": "other_area", "Hotspot maps": "other_area",
                        "Unknown crime type": "crime_type", "Hexagon size": "cell"}  # fmt: skip


@_store_unavailable
def hotspots(request):
    """Street-level hotspots: data.police.uk points in hexagons, drawn as SVG over the boundaries."""
    _require_organisation(request)
    params = request.GET.copy()
    workbench = _workbench()
    # London starts on the City of London Police; elsewhere on the VRU's first area (a whole force area has
    # too many hexagons to draw at the default size).
    first = workbench.areas[0][0] if workbench.areas else workbench.region
    params.setdefault("area", store.CITY_FORCE_CODE if workbench.london else first)
    params.setdefault("crime_type", selectors.HOTSPOT_ALL)
    params.setdefault("cell", "250")
    form = HotspotForm(params, crime_types=selectors.hotspot_crime_types(), areas=workbench.choices())
    context: dict = {"form": form, "workbench": workbench}
    if form.is_valid():
        try:
            result = selectors.hotspots(
                code=form.cleaned_data["other_area"].strip() or form.cleaned_data["area"],
                crime_type=form.cleaned_data["crime_type"],
                period=form.cleaned_data["period"],
                cell_m=form.cleaned_data["cell"],
            )
        except selectors.EvidenceError as exc:
            message = str(exc)
            field = next((f for key, f in HOTSPOT_ERROR_FIELDS.items() if message.startswith(key)), None)
            form.add_error(field, message)
        else:
            context |= {"result": result, "svg": hexbin.hotspot_svg(result, numbered=selectors.HOTSPOT_TOP)}
    return render(request, "evidence/hotspots.html", context)
