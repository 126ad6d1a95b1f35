import csv
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from vrhub.core.db_router import replica_reads
from vrhub.core.exceptions import NotFound
from vrhub.core.forms import apply_validation_errors
from vrhub.core.params import YEAR_MAX, YEAR_MIN, year_param
from vrhub.core.spreadsheet import neutralise
from vrhub.cycle.models import QuarterlyUpdate
from vrhub.dashboard.selectors import london_summary
from vrhub.duty.selectors import strategy as duty_strategy_selectors
from vrhub.governance.selectors import public as governance_public
from vrhub.plans import selectors as plan_selectors
from vrhub.plans.completeness import plan_completeness
from vrhub.plans.models import Plan, PlanTemplate
from vrhub.programmes.selectors import open_data as open_data_selectors
from vrhub.transparency import selectors, services
from vrhub.transparency.forms import WithdrawForm
from vrhub.transparency.models import Publication
from vrhub.transparency.openapi import schema

# Public pages --------------------------------------------------------------------------------


def _published_vru(*, vru_code: str, year: int):
    """The VRU whose plans for ``year`` are published; 404 otherwise. A code with a NUL character is
    no VRU's (PostgreSQL cannot compare such text: it answered 500)."""
    if "\x00" in vru_code:
        raise NotFound("Not published")
    return selectors.published_vru(vru_code=vru_code, year=year)


@login_not_required
@require_GET
def public_index(request):
    pubs = Publication.objects.select_related("vru").order_by("vru__name", "-year")
    return render(
        request,
        "transparency/index.html",
        {
            "publications": pubs,
            "strategy_vrus": duty_strategy_selectors.public_strategy_vrus(),
            "group_vrus": governance_public.public_group_vrus(),
            "grant_vrus": open_data_selectors.public_grant_vrus(),
        },
    )


@login_not_required
@require_GET
def public_plans(request, vru_code: str, year: int):
    vru = _published_vru(vru_code=vru_code, year=year)
    boroughs = _public_content(vru=vru, year=year)
    return render(
        request,
        "transparency/plans.html",
        {
            "vru": vru,
            "year": year,
            "boroughs": boroughs,
            "without": [b["name"] for b in boroughs if not b["accepted"]],
        },
    )


def _update_columns(update: dict | None) -> tuple[str, str, str]:
    if not update:
        return ("", "", "")
    return (f"{update['quarter']} ({update['period']})", update["status"], update["progress"])


@login_not_required
@require_GET
def public_csv(request, vru_code: str, year: int):
    vru = _published_vru(vru_code=vru_code, year=year)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{vru_code}-{year}-plans.csv"'
    writer = csv.writer(response)
    # The first eight columns are as they always were; later ones are added at the end only.
    writer.writerow(
        [
            "area_code",
            "area",
            "theme",
            "action_code",
            "action",
            "status",
            "outcome",
            "progress",
            "baseline",
            "start",
            "end",
            "latest_update_quarter",
            "latest_update_status",
            "latest_update_progress",
        ]
    )
    for b in _public_content(vru=vru, year=year):
        for t in b["themes"]:
            for a in t["actions"]:
                writer.writerow(
                    [
                        neutralise(text)
                        for text in (
                            b["area"],
                            b["name"],
                            t["title"],
                            a["code"],
                            a["title"],
                            a["status"],
                            a["outcome"],
                            a["progress"],
                            a["baseline"],
                            a["start"],
                            a["end"],
                            *_update_columns(a["latest_update"]),
                        )
                    ]
                )
    return response


def _quarter_period(starts_on, ends_on) -> str:
    """ "April to June 2021"; "January to March 2022"."""
    if starts_on.year == ends_on.year:
        return f"{starts_on:%B} to {ends_on:%B %Y}"
    return f"{starts_on:%B %Y} to {ends_on:%B %Y}"


def _latest_updates(*, vru, year: int) -> dict[int, dict]:
    """Each accepted plan action's latest quarterly update, in public form (no names)."""
    updates = (
        QuarterlyUpdate.objects.filter(
            action__plan__area__vru=vru, action__plan__template__year=year, action__plan__state=Plan.State.ACCEPTED
        )
        .select_related("quarter")
        .order_by("action_id", "quarter__number")
    )
    return {
        u.action_id: {
            "quarter": f"Quarter {u.quarter.number}",
            "period": _quarter_period(u.quarter.starts_on, u.quarter.ends_on),
            "status": u.get_status_display(),
            "progress": u.progress,
        }
        for u in updates
    }


def _public_content(*, vru, year: int) -> list[dict]:
    """What the public pages, CSV and API show for the year: the same for the preview before publishing."""
    return selectors.public_plans(vru=vru, year=year, latest_updates=_latest_updates(vru=vru, year=year))


def _admin_vru(request):
    user = request.user
    if not user.organisation or not user.is_vru_admin:
        raise PermissionDenied("Only the VRU's admins publish plans.")
    return user.organisation


@require_http_methods(["GET", "POST"])
def publish(request, year: int):
    """GET: exactly what publishing would make public, and a confirmation. POST: publish, if the preview
    the person confirmed still matches the accepted plans."""
    vru = _admin_vru(request)
    if not PlanTemplate.objects.filter(vru=vru, year=year).exists():
        raise NotFound(f"There is no template for {year}")
    published = Publication.objects.filter(vru=vru, year=year).exists()
    if request.method == "POST":
        if published:
            messages.error(request, f"The {year} plans are already published.")
            return redirect("dashboard:overview", year=year)
        expected = [int(p) for p in request.POST.get("plans", "").split(",") if p.strip().isdigit()][:1000]
        if request.POST.get("confirm") != "yes":
            messages.error(request, "Confirm that you have checked what will become public.")
            return redirect("transparency:publish", year=year)
        try:
            services.publication_publish(vru=vru, year=year, user=request.user, expected_plan_ids=expected)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
            return redirect("transparency:publish", year=year)
        messages.success(request, f"The {year}/{str(year + 1)[-2:]} plans' summaries are now public.")
        return redirect("dashboard:overview", year=year)
    boroughs = _public_content(vru=vru, year=year)
    accepted = [b for b in boroughs if b["accepted"]]
    return render(
        request,
        "transparency/publish.html",
        {
            "vru": vru,
            "year": year,
            "published": published,
            "accepted": accepted,
            "without": [b["name"] for b in boroughs if not b["accepted"]],
            "action_count": sum(len(t["actions"]) for b in accepted for t in b["themes"]),
            "plan_ids": ",".join(str(p) for p in selectors.public_plan_ids(vru=vru, year=year)),
        },
    )


@require_http_methods(["GET", "POST"])
def withdraw(request, year: int):
    """Ask before taking a year's plans off the public pages; the reason goes in the audit trail."""
    vru = _admin_vru(request)
    if not Publication.objects.filter(vru=vru, year=year).exists():
        messages.error(request, f"The {year}/{str(year + 1)[-2:]} plans are not published.")
        return redirect("dashboard:overview", year=year)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.publication_withdraw(vru=vru, year=year, user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_validation_errors(form, exc)
        else:
            messages.success(request, f"The {year}/{str(year + 1)[-2:]} plans are no longer public.")
            return redirect("dashboard:overview", year=year)
    return render(request, "transparency/withdraw.html", {"vru": vru, "year": year, "form": form})


# API -----------------------------------------------------------------------------------------


def _api_user(request):
    """Bearer token, or the signed-in session, or None."""
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        return services.api_token_authenticate(header[7:].strip())
    return request.user if request.user.is_authenticated else None


def _unauthorised() -> JsonResponse:
    response = JsonResponse({"error": "Authentication required: send 'Authorization: Bearer <token>'"}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="vrhub"'
    return response


@login_not_required
@require_GET
@replica_reads
def api_index(request):
    return JsonResponse(
        {
            "version": "v1",
            "openapi": request.build_absolute_uri("/api/v1/openapi.json"),
            "publications": [
                {"vru": p.vru.code, "year": p.year}
                for p in Publication.objects.select_related("vru").order_by("vru__code", "year")
            ],
        }
    )


@login_not_required
@require_GET
@replica_reads
def api_openapi(request):
    return JsonResponse(schema())


@login_not_required
@require_GET
@replica_reads
def api_public_plans(request, vru_code: str, year: int):
    try:
        vru = _published_vru(vru_code=vru_code, year=year)
    except NotFound:
        return JsonResponse({"error": f"No plans of {vru_code[:40]!r} are published for {year}"}, status=404)
    return JsonResponse({"vru": vru.code, "year": year, "boroughs": _public_content(vru=vru, year=year)})


@login_not_required
@require_GET
@replica_reads
def api_plans(request):
    user = _api_user(request)
    if user is None:
        return _unauthorised()
    plans = plan_selectors.plans_visible_to(user=user).filter(is_current=True).order_by("area__code", "template__year")
    year = request.GET.get("year")
    if year:
        if year_param(year) is None:
            return JsonResponse(
                {"error": f"year must be a year from {YEAR_MIN} to {YEAR_MAX} in digits, like 2021"}, status=400
            )
        plans = plans.filter(template__year=year_param(year))
    return JsonResponse(
        {
            "plans": [
                {
                    "id": p.pk,
                    "area": p.area.code,
                    "name": p.area.name,
                    "year": p.template.year,
                    "state": p.state,
                    "version": p.version,
                    "late": p.late,
                }
                for p in plans
            ]
        }
    )


@login_not_required
@require_GET
@replica_reads
def api_plan(request, pk: int):
    user = _api_user(request)
    if user is None:
        return _unauthorised()
    try:
        plan = plan_selectors.plan_get_for_user(user=user, pk=pk)
    except NotFound:
        return JsonResponse({"error": "No such plan"}, status=404)
    check = plan_completeness(plan)
    actions = [
        {
            "id": a.pk,
            "code": a.code,
            "theme": a.theme.code,
            "source": a.source,
            "title": a.title,
            "outcome": a.outcome,
            "baseline": a.baseline,
            "lead": {"name": a.lead_name, "role": a.lead_role, "agency": a.lead_agency},
            "start_date": a.start_date.isoformat() if a.start_date else None,
            "start_estimated": a.start_estimated,
            "end_date": a.end_date.isoformat() if a.end_date else None,
            "end_estimated": a.end_estimated,
            "start_note": a.start_note,
            "end_note": a.end_note,
            "progress": a.progress,
            "comments": a.comments,
            "status": a.status,
        }
        for a in plan.actions.select_related("theme").order_by("theme__order", "code")
    ]
    return JsonResponse(
        {
            "id": plan.pk,
            "area": plan.area.code,
            "year": plan.template.year,
            "state": plan.state,
            "version": plan.version,
            "complete": check.complete,
            "completeness": check.percent,
            "actions": actions,
        }
    )


@login_not_required
@require_GET
@replica_reads
def api_london_summary(request, year: int):
    user = _api_user(request)
    if user is None:
        return _unauthorised()
    if not user.is_vru_user:
        return JsonResponse({"error": "For VRU staff only"}, status=403)
    if not PlanTemplate.objects.filter(vru=user.organisation, year=year).exists():
        # As the London view and ``manage.py london_summary``: not 32 boroughs with "no_plan" for any year.
        return JsonResponse({"error": f"There is no template for {year}"}, status=404)
    return JsonResponse(london_summary(vru=user.organisation, year=year), json_dumps_params={"indent": None})


__all__ = ["json"]
