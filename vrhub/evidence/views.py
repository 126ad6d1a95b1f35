"""Evidence workbench pages: thin views over selectors (reads) and loaders (writes)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from vrhub.evidence import charts, selectors, store
from vrhub.evidence.forms import NeedForm, TrendForm, UploadForm
from vrhub.evidence.loaders.boundaries import load_boundaries
from vrhub.evidence.loaders.imd import load_imd
from vrhub.evidence.loaders.mps import load_mps
from vrhub.evidence.loaders.police_uk import load_police_uk

LOADER_FUNCTIONS = {
    "police_uk": (load_police_uk, ".csv"),
    "mps": (load_mps, None),
    "imd": (load_imd, ".csv"),
    "boundaries": (load_boundaries, None),
}


def _require_organisation(request) -> None:
    if not request.user.organisation_id or not request.user.role:
        raise PermissionDenied("The evidence workbench is for members of a partnership organisation.")


def _require_vru_admin(request) -> None:
    if request.user.role != request.user.Role.VRU_ADMIN:
        raise PermissionDenied("Only VRU admins load data.")


def index(request):
    _require_organisation(request)
    with store.connect() as con:
        loads = store.rows(
            con,
            """SELECT kind, count(*) AS files, sum(rows) AS rows, sum(loaded) AS loaded, sum(rejected) AS rejected,
                      max(loaded_at) AS last FROM loads GROUP BY kind ORDER BY kind""",
        )
    return render(request, "evidence/index.html", {"loads": loads})


def trend(request):
    _require_organisation(request)
    measures = selectors.measures_list()
    form = TrendForm(request.GET or None, measures=measures, initial={"area": store.LONDON_CODE})
    context = {"form": form, "has_data": bool(measures)}
    if request.GET and form.is_valid():
        code = form.cleaned_data["other_area"].strip() or form.cleaned_data["area"]
        try:
            area = selectors.area_get(code=code)
            measure = selectors.measure_get(name=form.cleaned_data["measure"])
            data = selectors.trend_series(area=area, measure=measure)
            if form.cleaned_data["period"]:
                context["compare"] = selectors.trend_compare(
                    area=area,
                    measure=measure,
                    period=form.cleaned_data["period"],
                    baseline=form.cleaned_data["baseline"],
                )
        except selectors.EvidenceError as exc:
            form.add_error("other_area" if "area" in str(exc).lower() else "measure", str(exc))
        else:
            context["data"] = data
            context["chart"] = charts.line_chart(data["series"])
    return render(request, "evidence/trend.html", context)


def _need_form(request) -> NeedForm:
    params = request.GET.copy()
    own = request.user.organisation.code
    params.setdefault("within", own if own in store.LONDON_BOROUGHS else store.LONDON_CODE)
    params.setdefault("level", "ward")
    for key, spec in selectors.INDICATORS.items():
        params.setdefault(f"w_{key}", f"{spec['weight']:g}")
    return NeedForm(params)


def need(request):
    _require_organisation(request)
    form = _need_form(request)
    context = {"form": form}
    if form.is_valid():
        try:
            ranking = selectors.need_ranking(
                within=form.cleaned_data["within"], level=form.cleaned_data["level"], weights=form.weights()
            )
        except selectors.EvidenceError as exc:
            form.add_error(None, str(exc))
        else:
            context["ranking"] = ranking
            context["geojson_query"] = request.GET.urlencode() or form.data.urlencode()
    return render(request, "evidence/need.html", context)


def need_geojson(request):
    """The shapes of the ranked areas with their rank and score (for the map)."""
    _require_organisation(request)
    form = _need_form(request)
    if not form.is_valid():
        return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    try:
        ranking = selectors.need_ranking(
            within=form.cleaned_data["within"], level=form.cleaned_data["level"], weights=form.weights()
        )
        layer = selectors.map_layer(within=form.cleaned_data["within"], level=form.cleaned_data["level"])
    except selectors.EvidenceError as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    ranks = {r["area"]: r for r in ranking["rows"]}
    ranked = sum(1 for r in ranking["rows"] if r["rank"])
    for feature in layer["features"]:
        row = ranks.get(feature["properties"]["code"])
        feature["properties"]["rank"] = row["rank"] if row else None
        feature["properties"]["score"] = row["score"] if row else None
        feature["properties"]["quintile"] = (
            1 + (5 * (row["rank"] - 1)) // ranked if row and row["rank"] and ranked else None
        )
    return JsonResponse(layer)


def profile(request, code: str):
    """A borough's problem profile: headline trends (for the plan page's panel)."""
    _require_organisation(request)
    try:
        data = selectors.headline_trends(code=code)
    except selectors.EvidenceError as exc:
        raise PermissionDenied(str(exc)) from exc
    return render(request, "evidence/profile.html", data)


@require_http_methods(["GET", "POST"])
def upload(request):
    _require_vru_admin(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    summary = None
    if request.method == "POST" and form.is_valid():
        loader, suffix = LOADER_FUNCTIONS[form.cleaned_data["kind"]]
        upload_file = form.cleaned_data["file"]
        name = Path(upload_file.name).name
        with tempfile.TemporaryDirectory(prefix="vrhub-evidence-") as folder:
            path = Path(folder) / (name if suffix is None or name.endswith(suffix) else name + suffix)
            with path.open("wb") as fh:
                for chunk in upload_file.chunks():
                    fh.write(chunk)
            summary = loader(paths=[path]).as_dict()
        for reject in summary["rejected"]:
            reject["file"] = name
        summary["already_loaded"] = [name for _ in summary["already_loaded"]]
        if not summary["rejected"]:
            messages.success(request, f"{name}: {summary['loaded']:,} rows loaded.")
    return render(request, "evidence/upload.html", {"form": form, "summary": summary})
