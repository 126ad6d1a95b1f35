"""Budgets: the list, a budget's page (income with its conditions, spend, totals, every difference, the
owner's commitments) and its editing (totals and notes, income and spend lines, commitments).

Thin: each view fetches through ``programmes.selectors.access`` and writes through
``programmes.services.budgets``."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_http_methods

from vrhub.core.exceptions import NotFound
from vrhub.core.forms import apply_validation_errors
from vrhub.programmes.catalogue import year_label
from vrhub.programmes.forms_budgets import (
    BudgetForm,
    BudgetNewForm,
    CommitmentForm,
    IncomeLineForm,
    RemoveForm,
    SpendLineForm,
)
from vrhub.programmes.models import Budget, Commitment, IncomeLine, SpendLine
from vrhub.programmes.selectors import access
from vrhub.programmes.selectors.budgets import budget_differences, budget_page, commitment_fingerprint, money_short
from vrhub.programmes.selectors.figures import budget_totals
from vrhub.programmes.services import budgets as services


def _detail_url(budget: Budget) -> str:
    return reverse("programmes:budget_detail", args=[budget.owner.code, budget.year])


@require_GET
def budget_list(request):
    budgets = access.budgets_visible_to(user=request.user).select_related("owner").order_by("owner__name", "year")
    rows = []
    for budget in budgets:
        totals = budget_totals(budget=budget)
        rows.append(
            {
                "budget": budget,
                "label": year_label(budget.year),
                "income": money_short(totals.income_total) if totals.income else "No data",
                "spend": money_short(totals.spend_total) if totals.spend else "No data",
                "differences": len(budget_differences(totals)),
                "lines": len(totals.income) + len(totals.spend),
            }
        )
    owner = access.budget_owners_for(user=request.user).first()
    return render(request, "programmes/budget_list.html", {"rows": rows, "owner": owner})


@require_http_methods(["GET", "POST"])
def budget_new(request):
    owner = access.budget_owners_for(user=request.user).first()
    if owner is None:
        raise PermissionDenied("You cannot set up a budget.")
    form = BudgetNewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            budget = services.budget_create(owner=owner, year=form.cleaned_data["year"], user=request.user)
        except ValidationError as exc:
            apply_validation_errors(form, exc)
        else:
            messages.success(request, f"Budget for {year_label(budget.year)} set up. Add its income and spend.")
            return redirect(_detail_url(budget))
    return render(request, "programmes/budget_new.html", {"form": form, "owner": owner})


@require_GET
def budget_detail(request, code: str, year: int):
    budget = access.budget_get_for_user(user=request.user, code=code, year=year)
    page = budget_page(budget=budget)
    return render(
        request,
        "programmes/budget.html",
        {
            "budget": budget,
            "page": page,
            "label": year_label(budget.year),
            "can_edit": access.user_can_edit_budget(user=request.user, budget=budget),
            "income_total": money_short(page.totals.income_total),
            "spend_total": money_short(page.totals.spend_total),
        },
    )


@require_http_methods(["GET", "POST"])
def budget_edit(request, code: str, year: int):
    budget = access.budget_get_for_user(user=request.user, code=code, year=year, edit=True)
    form = BudgetForm(request.POST or None, budget=budget)
    if request.method == "POST" and form.is_valid():
        try:
            services.budget_update(
                budget=budget, user=request.user, data=form.cleaned_data, version=form.cleaned_data.get("version") or 0
            )
        except ValidationError as exc:
            apply_validation_errors(form, exc)
            budget.refresh_from_db()
            form.set_version(budget.version)
        else:
            messages.success(request, "Published totals and notes saved.")
            return redirect(_detail_url(budget))
    return render(
        request,
        "programmes/budget_form.html",
        {"form": form, "budget": budget, "label": year_label(budget.year), "heading": "Published totals and notes"},
    )


def _line(model, budget: Budget, pk: int):
    try:
        return model.objects.get(budget=budget, pk=pk)
    except model.DoesNotExist as exc:
        raise NotFound("No such line") from exc


LINES = {
    "income": (IncomeLine, IncomeLineForm, services.income_line_save, "income line", "source"),
    "spend": (SpendLine, SpendLineForm, services.spend_line_save, "spend line", "category"),
}


def _line_form(request, code: str, year: int, kind: str, pk: int | None):
    budget = access.budget_get_for_user(user=request.user, code=code, year=year, edit=True)
    model, form_class, save, noun, name_field = LINES[kind]
    line = _line(model, budget, pk) if pk is not None else None
    form = form_class(request.POST or None, line=line, version=budget.version)
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(
                budget=budget,
                user=request.user,
                data=form.cleaned_data,
                line=line,
                version=form.cleaned_data.get("version") or 0,
            )
        except ValidationError as exc:
            apply_validation_errors(form, exc)
            budget.refresh_from_db()
            form.set_version(budget.version)
        else:
            messages.success(request, f"{getattr(saved, name_field)} saved.")
            return redirect(_detail_url(budget) + f"#{kind}")
    heading = f"Change the {noun}: {getattr(line, name_field)}" if line else f"Add an {noun}"
    if kind == "spend" and not line:
        heading = "Add a spend line"
    return render(
        request,
        "programmes/budget_form.html",
        {"form": form, "budget": budget, "label": year_label(budget.year), "heading": heading},
    )


def _line_remove(request, code: str, year: int, kind: str, pk: int):
    budget = access.budget_get_for_user(user=request.user, code=code, year=year, edit=True)
    model, _form, _save, noun, name_field = LINES[kind]
    line = _line(model, budget, pk)
    form = RemoveForm(request.POST or None, initial={"version": budget.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.line_delete(
                budget=budget, user=request.user, line=line, version=form.cleaned_data.get("version") or 0
            )
        except ValidationError as exc:
            apply_validation_errors(form, exc)
            budget.refresh_from_db()
            form.set_version(budget.version)
        else:
            messages.success(request, f"{getattr(line, name_field)} removed.")
            return redirect(_detail_url(budget) + f"#{kind}")
    return render(
        request,
        "programmes/budget_remove.html",
        {
            "form": form,
            "budget": budget,
            "label": year_label(budget.year),
            "what": f"the {noun} {getattr(line, name_field)} ({money_short(line.amount)})",
        },
    )


@require_http_methods(["GET", "POST"])
def budget_income_new(request, code: str, year: int):
    return _line_form(request, code, year, "income", None)


@require_http_methods(["GET", "POST"])
def budget_income_edit(request, code: str, year: int, pk: int):
    return _line_form(request, code, year, "income", pk)


@require_http_methods(["GET", "POST"])
def budget_income_remove(request, code: str, year: int, pk: int):
    return _line_remove(request, code, year, "income", pk)


@require_http_methods(["GET", "POST"])
def budget_spend_new(request, code: str, year: int):
    return _line_form(request, code, year, "spend", None)


@require_http_methods(["GET", "POST"])
def budget_spend_edit(request, code: str, year: int, pk: int):
    return _line_form(request, code, year, "spend", pk)


@require_http_methods(["GET", "POST"])
def budget_spend_remove(request, code: str, year: int, pk: int):
    return _line_remove(request, code, year, "spend", pk)


def _commitment(budget: Budget, pk: int) -> Commitment:
    try:
        return Commitment.objects.get(owner=budget.owner, pk=pk)
    except Commitment.DoesNotExist as exc:
        raise NotFound("No such commitment") from exc


def _commitment_form(request, code: str, year: int, pk: int | None):
    # Commitments are the owner's; who may change the budget may change them.
    budget = access.budget_get_for_user(user=request.user, code=code, year=year, edit=True)
    commitment = _commitment(budget, pk) if pk is not None else None
    form = CommitmentForm(request.POST or None, commitment=commitment)
    if request.method == "POST" and form.is_valid():
        try:
            services.commitment_save(
                owner=budget.owner,
                user=request.user,
                data=form.cleaned_data,
                commitment=commitment,
                loaded=(form.cleaned_data.get("loaded") or None) if commitment is not None else None,
            )
        except ValidationError as exc:
            apply_validation_errors(form, exc)
            current = Commitment.objects.filter(pk=commitment.pk).first() if commitment is not None else None
            if current is not None:  # the next save is checked against the commitment as it is now
                form.data = form.data.copy()
                form.data["loaded"] = commitment_fingerprint(commitment=current)
        else:
            messages.success(request, "Commitment saved.")
            return redirect(_detail_url(budget) + "#commitments")
    heading = "Change the commitment" if commitment else "Add a commitment"
    return render(
        request,
        "programmes/budget_form.html",
        {"form": form, "budget": budget, "label": year_label(budget.year), "heading": heading},
    )


@require_http_methods(["GET", "POST"])
def budget_commitment_new(request, code: str, year: int):
    return _commitment_form(request, code, year, None)


@require_http_methods(["GET", "POST"])
def budget_commitment_edit(request, code: str, year: int, pk: int):
    return _commitment_form(request, code, year, pk)


@require_http_methods(["GET", "POST"])
def budget_commitment_remove(request, code: str, year: int, pk: int):
    budget = access.budget_get_for_user(user=request.user, code=code, year=year, edit=True)
    commitment = _commitment(budget, pk)
    form = RemoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.commitment_delete(commitment=commitment, user=request.user)
        messages.success(request, "Commitment removed.")
        return redirect(_detail_url(budget) + "#commitments")
    return render(
        request,
        "programmes/budget_remove.html",
        {
            "form": form,
            "budget": budget,
            "label": year_label(budget.year),
            "what": f"the commitment of {commitment.source} for {year_label(commitment.year)} "
            f"({money_short(commitment.amount)})",
        },
    )


_B = "programmes/budgets/<str:code>/<int:year>/"
urlpatterns = [
    path("programmes/budgets/", budget_list, name="budget_list"),
    path("programmes/budgets/new/", budget_new, name="budget_new"),
    path(_B, budget_detail, name="budget_detail"),
    path(_B + "edit/", budget_edit, name="budget_edit"),
    path(_B + "income/new/", budget_income_new, name="budget_income_new"),
    path(_B + "income/<int:pk>/", budget_income_edit, name="budget_income_edit"),
    path(_B + "income/<int:pk>/remove/", budget_income_remove, name="budget_income_remove"),
    path(_B + "spend/new/", budget_spend_new, name="budget_spend_new"),
    path(_B + "spend/<int:pk>/", budget_spend_edit, name="budget_spend_edit"),
    path(_B + "spend/<int:pk>/remove/", budget_spend_remove, name="budget_spend_remove"),
    path(_B + "commitments/new/", budget_commitment_new, name="budget_commitment_new"),
    path(_B + "commitments/<int:pk>/", budget_commitment_edit, name="budget_commitment_edit"),
    path(_B + "commitments/<int:pk>/remove/", budget_commitment_remove, name="budget_commitment_remove"),
]
