"""Evaluation: a programme's evaluation, and the VRU's prioritisation of interventions for evaluation.

Thin: fetches through ``programmes.selectors.access``, writes through ``programmes.services.evaluation``."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods

from vrhub.core.forms import apply_validation_errors
from vrhub.programmes.forms_programmes import EvaluationForm
from vrhub.programmes.selectors import access
from vrhub.programmes.selectors import evaluation as selectors
from vrhub.programmes.services import evaluation as services


@require_GET
def evaluation_priorities(request):
    context = selectors.evaluation_priorities(user=request.user, sort=request.GET.get("sort", "spend"))
    return render(request, "programmes/evaluation_priorities.html", context)


@require_http_methods(["GET", "POST"])
def programme_evaluation(request, pk: int):
    programme = access.programme_get_for_user(user=request.user, pk=pk, edit=True)
    form = EvaluationForm(request.POST or None, programme=programme)
    if request.method == "POST" and form.is_valid():
        try:
            version = int(form.cleaned_data.get("version") or 0)
            saved = services.programme_evaluation_update(
                programme=programme, user=request.user, data=form.data_for_service(), version=version
            )
        except ValidationError as exc:
            apply_validation_errors(form, exc)
            programme.refresh_from_db()
            form.set_version(programme.version)
        else:
            messages.success(request, f"Evaluation of {saved.title} saved.")
            return redirect("programmes:programme_detail", pk=saved.pk)
    return render(request, "programmes/evaluation_form.html", {"programme": programme, "form": form})


urlpatterns = [
    path("programmes/evaluation/", evaluation_priorities, name="evaluation_priorities"),
    path("programmes/<int:pk>/evaluation/", programme_evaluation, name="programme_evaluation"),
]
