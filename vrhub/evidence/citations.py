"""Citing a workbench figure in an action's baseline: the service and its pages."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from vrhub.core.audit import audit_created
from vrhub.evidence import selectors
from vrhub.evidence.models import Citation
from vrhub.plans import selectors as plan_selectors
from vrhub.plans import services as plan_services
from vrhub.plans.models import PlanAction


@transaction.atomic
def citation_add(*, action: PlanAction, user, area_code: str, measure: str, period: str) -> Citation:
    """Work out the figure from the store now, record it for good, and add it to the baseline text."""
    try:
        area = selectors.area_get(code=area_code)
        found = selectors.measure_get(name=measure)
        result = selectors.trend_compare(area=area, measure=found, period=period, baseline=period)
    except selectors.EvidenceError as exc:
        raise ValidationError(str(exc)) from exc
    if not result["months_with_data"]["current"]:
        raise ValidationError(f"There is no {found.label} data for {area.name} in {period}.")
    citation = Citation(
        action=action,
        area_code=area.code,
        area_name=area.name,
        measure=found.qualified,
        period=result["period"],
        value=result["current"],
        source=result["source"] or found.family,
        synthetic=bool(result["synthetic"]),
        cited_by=user,
    )
    stamp = f"[cited from the evidence workbench on {timezone.localdate():%d/%m/%Y}]"
    baseline = "\n".join(t for t in (action.baseline.strip(), f"{citation.text} {stamp}") if t)
    plan_services.plan_action_update(action=action, user=user, data={"baseline": baseline})
    citation.save()
    audit_created(
        actor=user,
        obj=citation,
        fields=["measure", "area_code", "period", "value", "source"],
        plan_id=action.plan_id,
        action_id=action.pk,
    )
    return citation


class CiteForm(forms.Form):
    action = forms.TypedChoiceField(
        label="Which action's baseline?",
        coerce=int,
        error_messages={"required": "Choose the action", "invalid_choice": "Choose an action from the list"},
    )


@require_http_methods(["GET", "POST"])
def cite(request):
    area_code = request.GET.get("area", "")
    measure = request.GET.get("measure", "")
    period = request.GET.get("period", "")
    try:
        area = selectors.area_get(code=area_code)
        found = selectors.measure_get(name=measure)
        figure = selectors.trend_compare(area=area, measure=found, period=period, baseline=period)
    except selectors.EvidenceError as exc:
        return render(request, "evidence/cite.html", {"error": str(exc)}, status=400)
    plans = [
        p
        for p in plan_selectors.plans_visible_to(user=request.user).filter(is_current=True)
        if plan_selectors.user_can_edit_plan(user=request.user, plan=p)
    ]
    actions = (
        PlanAction.objects.filter(plan__in=plans)
        .select_related("plan__area", "plan__template")
        .order_by("plan__template__year", "code")
    )
    form = CiteForm(request.POST or None)
    form.fields["action"].choices = [("", "Choose an action")] + [
        (a.pk, f"{a.plan.area.name} {a.plan.template.year}: {a.code} {a.title[:70]}") for a in actions
    ]
    if request.method == "POST" and form.is_valid():
        action = plan_selectors.plan_action_get_for_user(
            user=request.user,
            plan_pk=actions.get(pk=form.cleaned_data["action"]).plan_id,
            pk=form.cleaned_data["action"],
            edit=True,
        )
        try:
            citation = citation_add(
                action=action, user=request.user, area_code=area.code, measure=found.qualified, period=figure["period"]
            )
        except ValidationError as exc:
            form.add_error("action", exc.messages[0])
        else:
            messages.success(request, f"Cited in {action.code}'s baseline: {citation.text}.")
            return redirect("plans:theme", pk=action.plan_id, theme_code=action.theme.code)
    return render(
        request,
        "evidence/cite.html",
        {
            "form": form,
            "figure": figure,
            "measure": found,
            "area": area,
            "has_actions": bool(form.fields["action"].choices[1:]),
        },
    )


urlpatterns = [path("evidence/cite/", cite, name="evidence_cite")]
