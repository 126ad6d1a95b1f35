"""Evidence workbench pages: thin views over selectors (reads) and loaders (writes)."""

from __future__ import annotations

import functools
import logging
import queue
import shutil
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.http import JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.views.decorators.http import require_http_methods

from vrhub.evidence import charts, selectors, store
from vrhub.evidence.forms import NeedForm, TrendForm, UploadForm
from vrhub.evidence.loaders.boundaries import load_boundaries
from vrhub.evidence.loaders.imd import load_imd
from vrhub.evidence.loaders.istv import load_istv
from vrhub.evidence.loaders.mps import load_mps
from vrhub.evidence.loaders.police_uk import load_police_uk

LOADER_FUNCTIONS = {
    "police_uk": (load_police_uk, ".csv"),
    "mps": (load_mps, None),
    "istv": (load_istv, ".csv"),
    "imd": (load_imd, ".csv"),
    "boundaries": (load_boundaries, None),
}


logger = logging.getLogger(__name__)
# An upload waits this long for a load running elsewhere, then says so (gunicorn stops a request at 60 s).
UPLOAD_LOCK_WAIT_SECONDS = 30.0
PROGRESS_MARK = "<!-- evidence-load-progress -->"


def _require_organisation(request) -> None:
    if not request.user.organisation_id or not request.user.role:
        raise PermissionDenied("The evidence workbench is for members of a partnership organisation.")


def _require_vru_admin(request) -> None:
    if request.user.role != request.user.Role.VRU_ADMIN:
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


@_store_unavailable
def index(request):
    _require_organisation(request)
    return render(request, "evidence/index.html", {"loads": selectors.loads_by_kind()})


@_store_unavailable
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


@_store_unavailable
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


@_store_unavailable
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


@_store_unavailable
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
    """Load one file. A valid POST streams the page: its top, one line per progress step, then the summary.

    No script is needed (the CSP allows none inline): the browser shows the page as it arrives. Bad
    form input is answered at once, without streaming, with the usual error summary.
    """
    _require_vru_admin(request)
    # The upload handler drops a file over the limit (request.upload_too_large): the form says so.
    form = UploadForm(
        request.POST or None, request.FILES or None, upload_too_large=getattr(request, "upload_too_large", False)
    )
    if request.method != "POST" or not form.is_valid():
        return render(request, "evidence/upload.html", {"form": form})
    loader, suffix = LOADER_FUNCTIONS[form.cleaned_data["kind"]]
    upload_file = form.cleaned_data["file"]
    name = Path(upload_file.name).name
    # The upload is copied before the response starts: the request's files close when it ends. A name
    # too long for the file system is shortened on disk (the page still shows the name as given).
    folder = Path(tempfile.mkdtemp(prefix="vrhub-evidence-"))
    disk_name = name if len(name.encode()) <= 200 else "upload" + Path(name).suffix[:10]
    path = folder / (disk_name if suffix is None or disk_name.endswith(suffix) else disk_name + suffix)
    with path.open("wb") as fh:
        for chunk in upload_file.chunks():
            fh.write(chunk)
    response = StreamingHttpResponse(
        _stream_load(request, form, loader, path, name, folder), content_type="text/html; charset=utf-8"
    )
    response["Cache-Control"] = "no-store"
    response["X-Accel-Buffering"] = "no"  # a proxy (nginx) passes each part on at once
    return response


def _stream_load(request, form, loader, path: Path, name: str, folder: Path) -> Iterator[str]:
    """The page top, a <li> per progress step (the loader runs in a thread), the summary and the page bottom."""
    page = render_to_string("evidence/upload.html", {"form": form, "streaming": True}, request=request)
    top, _, _ = page.partition(PROGRESS_MARK)
    yield top
    steps: queue.Queue = queue.Queue()
    outcome: dict = {}

    def run() -> None:
        try:
            outcome["summary"] = loader(
                paths=[path], progress=lambda m, f: steps.put((m, f)), wait=UPLOAD_LOCK_WAIT_SECONDS
            ).as_dict()
        except Exception as exc:  # noqa: BLE001 - shown to the admin in the error summary; logged in full
            logger.exception("Evidence upload of %s failed", name)
            outcome["error"] = str(exc) or exc.__class__.__name__
        finally:
            steps.put(None)

    worker = threading.Thread(target=run, name="evidence-upload", daemon=True)
    try:
        worker.start()
        while (step := steps.get()) is not None:
            message, fraction = step
            yield format_html("<li>{}… {} %</li>\n", message, round(fraction * 100))
        worker.join()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    summary = outcome.get("summary")
    errors = []
    if summary is not None:
        for reject in summary["rejected"]:
            reject["file"] = name
        summary["already_loaded"] = [name for _ in summary["already_loaded"]]
        # A file rejected whole (wrong format, unreadable) is an error, not a row-level reject.
        errors = [r["reason"] for r in summary["rejected"] if r["line"] == 1 and not summary["rows"]]
    else:
        errors = [f"The file could not be loaded: {outcome.get('error', 'unknown error')}"]
    context = {"form": form, "streaming": True, "summary": summary, "load_errors": errors, "file_name": name}
    page = render_to_string("evidence/upload.html", context, request=request)
    yield page.partition(PROGRESS_MARK)[2]
