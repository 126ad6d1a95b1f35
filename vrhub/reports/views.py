"""Thin views: authorise, ask the selectors for the data, render, return an attachment."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_POST

from vrhub.core.params import int_param, year_param
from vrhub.jobs.services import job_start
from vrhub.organisations.models import Organisation
from vrhub.plans.models import PlanTemplate
from vrhub.plans.selectors import plan_get_for_user
from vrhub.reports import render, selectors

PLAN_ID_MAX = 2**31 - 1  # the largest id a database integer holds


def _format(fmt: str) -> str:
    if fmt not in render.FORMATS:
        raise Http404("Reports come as .pdf or .docx")
    return fmt


def _attachment(*, kind: str, fmt: str, data: dict) -> HttpResponse:
    response = HttpResponse(render.render(kind=kind, fmt=fmt, data=data), content_type=render.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{render.report_filename(data=data, fmt=fmt)}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def scrutiny_report(request, pk: int, fmt: str):
    """A borough's scrutiny committee report, for anyone who may see the plan."""
    fmt = _format(fmt)
    plan = plan_get_for_user(user=request.user, pk=pk)
    return _attachment(kind="scrutiny", fmt=fmt, data=selectors.scrutiny_report_data(plan=plan))


@require_GET
def london_summary(request, year: int, fmt: str):
    """The London summary for the VRU's Partnership Reference Group: VRU staff only, for their own VRU."""
    user = request.user
    org = getattr(user, "organisation", None)
    if not user.is_vru_user or org is None or org.kind != Organisation.Kind.VRU:
        raise PermissionDenied("Only VRU staff can download the London summary.")
    fmt = _format(fmt)
    try:
        data = selectors.london_summary_data(vru=org, year=year)
    except PlanTemplate.DoesNotExist as exc:
        raise Http404(f"There is no {year} template") from exc
    return _attachment(kind="london", fmt=fmt, data=data)


@require_POST
def prepare(request):
    """Start making a report in the background and go to its job page."""
    kind, fmt = request.POST.get("kind", ""), request.POST.get("fmt", "")
    if kind == "scrutiny":
        name, number = "plan", int_param(request.POST.get("plan"), minimum=1, maximum=PLAN_ID_MAX)
    elif kind == "london":
        name, number = "year", year_param(request.POST.get("year"))
    else:
        raise Http404("No such report")
    if number is None:
        raise Http404("No such report")
    params: dict = {"fmt": fmt, name: number}
    try:
        job = job_start(kind=f"reports.{kind}", user=request.user, params=params)
    except ValidationError as exc:
        raise Http404(exc.messages[0]) from exc
    except PermissionDenied as exc:
        if kind == "scrutiny":  # as everywhere: no one can tell that a plan they may not see exists
            raise Http404("No such plan") from exc
        raise
    return redirect("jobs:detail", pk=job.pk)
