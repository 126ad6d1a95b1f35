"""Reports as background jobs: the PDF or Word file is made by the worker and downloaded from the job page."""

from django.core.exceptions import PermissionDenied, ValidationError

from vrhub.core.exceptions import NotFound
from vrhub.jobs.registry import JobContext, job_kind
from vrhub.organisations.models import Organisation
from vrhub.plans.models import PlanTemplate
from vrhub.plans.selectors import plan_get_for_user
from vrhub.reports import render, selectors


def _fmt(params: dict) -> str:
    fmt = params.get("fmt")
    if fmt not in render.FORMATS:
        raise ValidationError({"fmt": "Reports come as pdf or docx"})
    return fmt


def _authorise_scrutiny(*, user, params: dict) -> None:
    _fmt(params)
    if type(params.get("plan")) is not int:  # not bool, which is an int too
        raise ValidationError({"plan": "Give the plan's number"})
    try:
        plan_get_for_user(user=user, pk=params["plan"])
    except NotFound as exc:
        raise PermissionDenied("You cannot see that plan.") from exc


def _london_vru(user) -> Organisation:
    org = getattr(user, "organisation", None)
    if not getattr(user, "is_vru_user", False) or org is None or org.kind != Organisation.Kind.VRU:
        raise PermissionDenied("Only VRU staff can make the London summary.")
    return org


def _authorise_london(*, user, params: dict) -> None:
    _fmt(params)
    _london_vru(user)
    if not isinstance(params.get("year"), int):
        raise ValidationError({"year": "Give the plan year"})


def _finish(context: JobContext, *, kind: str, fmt: str, data: dict) -> dict:
    context.progress(1, 2, "Writing the report")
    content = render.render(kind=kind, fmt=fmt, data=data)
    name = render.report_filename(data=data, fmt=fmt)
    context.set_output(name=name, content_type=render.CONTENT_TYPES[fmt], data=content)
    return {"summary": f"{name} is ready ({len(content) / 1024:,.0f} KB).", "bytes": len(content)}


@job_kind(name="reports.scrutiny", label="Scrutiny committee report", authorise=_authorise_scrutiny)
def scrutiny_report_job(*, context: JobContext, plan: int, fmt: str) -> dict:
    # Authorised again when it runs: the person's access may have changed since they asked.
    try:
        found = plan_get_for_user(user=context.user, pk=plan)
    except NotFound as exc:
        raise PermissionDenied("You can no longer see that plan.") from exc
    context.progress(0, 2, "Gathering the plan")
    return _finish(context, kind="scrutiny", fmt=fmt, data=selectors.scrutiny_report_data(plan=found))


@job_kind(name="reports.london", label="London summary report", authorise=_authorise_london)
def london_summary_job(*, context: JobContext, year: int, fmt: str) -> dict:
    vru = _london_vru(context.user)
    context.progress(0, 2, "Gathering every borough's plan")
    try:
        data = selectors.london_summary_data(vru=vru, year=year)
    except PlanTemplate.DoesNotExist as exc:
        raise ValidationError(f"There is no {year} template.") from exc
    return _finish(context, kind="london", fmt=fmt, data=data)
