"""The local definition of serious violence: offence types in scope (each with the evidence measures that count
it), local additions, the four factors of s.13(6), the rationale and the date agreed."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods

from vrhub.core.forms import apply_validation_errors
from vrhub.duty.catalogue import DEFAULT_OFFENCE_TYPES, FACTORS
from vrhub.duty.forms_partnership import DefinitionForm
from vrhub.duty.models import Partnership
from vrhub.duty.readiness import offence_labels
from vrhub.duty.selectors import access
from vrhub.duty.selectors import partnership as selectors
from vrhub.duty.selectors.readiness import area_readiness
from vrhub.duty.services.definition import definition_save


@require_http_methods(["GET", "POST"])
def definition(request, code: str):
    area = access.duty_area_get_for_user(user=request.user, code=code)
    if request.method == "POST":
        record = access.partnership_get_for_user(user=request.user, code=code, edit=True)
    else:
        record = Partnership.objects.filter(area=area, pk__in=access.partnerships_visible_to(user=request.user)).first()
    can_edit = record is not None and access.user_can_edit_partnership(user=request.user, partnership=record)
    current = selectors.definition_of(partnership=record)
    form = None
    if can_edit:
        initial = {"version": current.version if current else 0}
        if current is not None:
            initial |= {
                "offence_types": current.offence_types,
                "local_additions": current.local_additions,
                "rationale": current.rationale,
                "agreed_on": current.agreed_on,
                **{name: getattr(current, name) for name, _label in FACTORS},
            }
        else:
            initial["offence_types"] = list(DEFAULT_OFFENCE_TYPES)
        form = DefinitionForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                saved = definition_save(partnership=record, user=request.user, data=form.cleaned_data)
            except ValidationError as exc:
                apply_validation_errors(form, exc)
            else:
                messages.success(request, f"Definition saved (version {saved.version}).")
                return redirect("duty:definition", code=area.code)
    readiness = area_readiness(area=area)
    choices = selectors.offence_choices(area_code=area.code, definition=current)
    checked = set(form["offence_types"].value() or []) if form is not None else {c.code for c in choices if c.in_scope}
    return render(
        request,
        "duty/partnership/definition.html",
        {
            "area": area,
            "partnership": record,
            "definition": current,
            "choices": choices,
            "checked": checked,
            "in_scope": offence_labels(c.code for c in choices if c.in_scope) if current else [],
            "additions": current.local_additions.splitlines() if current and current.local_additions else [],
            "factors": [(label, getattr(current, name) if current else "") for name, label in FACTORS],
            "missing": readiness.elements_missing("definition"),
            "complete": readiness.definition_complete,
            "form": form,
            "can_edit": can_edit,
            "can_start": record is None and access.user_can_start_partnership(user=request.user, area=area),
        },
    )


urlpatterns = [
    path("duty/<str:code>/definition/", definition, name="definition"),
]
