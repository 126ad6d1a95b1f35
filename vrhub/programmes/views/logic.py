"""The logic model: the diagram and its text alternative for everyone in the VRU's world, and the editing of
its aims, outcomes and objectives for the VRU's staff.

Thin: each view fetches through ``programmes.selectors.access``, reads through ``selectors.logic`` and writes
through ``services.logic``."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from vrhub.core.exceptions import NotFound
from vrhub.core.forms import apply_validation_errors
from vrhub.programmes.catalogue import LogicLevel, year_label, year_of
from vrhub.programmes.forms_logic import LEVEL_WORDS, LogicNodeForm
from vrhub.programmes.selectors import access
from vrhub.programmes.selectors.logic import (
    logic_diagram,
    logic_model_for,
    model_years,
    next_level_nodes,
    node_fingerprint,
    node_label,
    programmes_using,
)
from vrhub.programmes.services import logic as services


def chosen_year(request, *, vru) -> int:
    """``?year=2020``, or the newest year the VRU's programmes have amounts for (this year when none)."""
    if "year" in request.GET:
        return access.checked_year(request.GET["year"])
    years = model_years(vru=vru)
    return years[0] if years else year_of(timezone.localdate())


@require_GET
def logic_model(request):
    vru = access.logic_model_vru_for(user=request.user)
    year = chosen_year(request, vru=vru)
    model = logic_model_for(user=request.user, year=year)
    years = sorted({*model_years(vru=vru), year}, reverse=True)
    return render(
        request,
        "programmes/logic_model.html",
        {
            "model": model,
            "svg": logic_diagram(model=model),
            "years": [(y, year_label(y)) for y in years],
            "can_edit": access.user_can_edit_logic_model(user=request.user, vru=vru),
            "levels": [
                (level, LEVEL_WORDS[level]) for level in (LogicLevel.AIM, LogicLevel.OUTCOME, LogicLevel.OBJECTIVE)
            ],
        },
    )


def _form_page(request, *, form, vru, level, node=None, status=200):
    return render(
        request,
        "programmes/logic_node_form.html",
        {"form": form, "vru": vru, "level": level, "level_words": LEVEL_WORDS[LogicLevel(level)], "node": node},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def logic_node_new(request, code: str, level: str):
    vru = access.logic_model_vru_for(user=request.user)
    if access.checked_code(code) != vru.code or level not in LogicLevel.values:
        raise NotFound("No such logic model")
    if not access.user_can_edit_logic_model(user=request.user, vru=vru):
        raise PermissionDenied("You can look at the logic model but not change it.")
    targets = next_level_nodes(vru=vru, level=level)
    form = LogicNodeForm(request.POST or None, level=level, targets=targets)
    if request.method == "POST" and form.is_valid():
        try:
            made = services.logic_node_create(vru=vru, user=request.user, data=form.node_data())
        except ValidationError as exc:
            apply_validation_errors(form, exc)
        else:
            messages.success(request, f"{node_label(made)} added to the logic model.")
            return redirect("programmes:logic_model")
    return _form_page(request, form=form, vru=vru, level=level)


@require_http_methods(["GET", "POST"])
def logic_node_edit(request, pk: int):
    node = access.logic_node_get_for_user(user=request.user, pk=pk, edit=True)
    targets = next_level_nodes(vru=node.vru, level=node.level)
    form = LogicNodeForm(request.POST or None, level=node.level, targets=targets, node=node)
    if request.method == "POST" and form.is_valid():
        try:
            services.logic_node_update(
                node=node, user=request.user, data=form.node_data(), loaded=form.cleaned_data.get("loaded") or None
            )
        except ValidationError as exc:
            apply_validation_errors(form, exc)
            # The typed values stay; the page now carries the node as saved, so a second save goes through.
            form.data = form.data.copy()
            form.data["loaded"] = node_fingerprint(node=type(node).objects.get(pk=node.pk))
        else:
            messages.success(request, f"{node_label(node)} saved.")
            return redirect("programmes:logic_model")
    return _form_page(request, form=form, vru=node.vru, level=node.level, node=node)


@require_http_methods(["GET", "POST"])
def logic_node_remove(request, pk: int):
    node = access.logic_node_get_for_user(user=request.user, pk=pk, edit=True)
    using = programmes_using(node=node)
    error = ""
    if request.method == "POST":
        try:
            services.logic_node_remove(node=node, user=request.user)
        except ValidationError as exc:
            error = " ".join(m for messages_ in exc.message_dict.values() for m in messages_)
            using = programmes_using(node=node)
        else:
            messages.success(request, f"{node_label(node)} removed from the logic model.")
            return redirect("programmes:logic_model")
    return render(
        request,
        "programmes/logic_node_remove.html",
        {"node": node, "label": node_label(node), "using": using, "error": error},
        status=400 if error else 200,
    )


urlpatterns = [
    path("programmes/logic-model/", logic_model, name="logic_model"),
    path("programmes/logic-model/<str:code>/new/<str:level>/", logic_node_new, name="logic_node_new"),
    path("programmes/logic-model/<int:pk>/edit/", logic_node_edit, name="logic_node_edit"),
    path("programmes/logic-model/<int:pk>/remove/", logic_node_remove, name="logic_node_remove"),
]
