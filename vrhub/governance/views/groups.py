"""Setting up a group and its terms of reference (part A).

Thin: each view fetches through ``governance.selectors.access`` and writes through
``governance.services.groups``. Those who may only look see the terms of reference read-only."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods

from vrhub.core.forms import apply_validation_errors
from vrhub.governance import quorum
from vrhub.governance.forms_groups import GroupForm
from vrhub.governance.models import Group
from vrhub.governance.selectors import access
from vrhub.governance.services import groups as services


def _rule_words(group: Group) -> dict:
    """The quorum rule in words, from the one rule (``quorum.Rule``)."""
    return {"rule_words": quorum.Rule.of(group).words(), "role_labels": group.required_role_labels}


@require_http_methods(["GET", "POST"])
def group_new(request):
    owners = access.group_owners_for(user=request.user)
    owner = owners.first()
    if owner is None:
        raise PermissionDenied("You cannot set up a group.")
    form = GroupForm(
        request.POST or None,
        initial={
            "frequency": "quarterly",
            "quorum_numerator": 1,
            "quorum_denominator": 2,
            "quorum_rounding": "up",
            "remote_counts": True,
            "decision_mode": "consensus",
            "dissent_recorded": True,
            "agenda_days_before": 5,
            "minutes_published": True,
            "equality_statement_required": True,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            group = services.group_create(owner=owner, user=request.user, data=form.data_for_service())
        except ValidationError as exc:
            apply_validation_errors(form, exc)
        else:
            messages.success(request, f"{group.name} set up. Add its members next.")
            return redirect("governance:members", slug=group.slug)
    return render(request, "governance/groups/form.html", {"form": form, "group": None, "owner": owner})


@require_http_methods(["GET", "POST"])
def group_edit(request, slug: str):
    group = access.group_get_for_user(user=request.user, slug=slug, edit=request.method == "POST")
    can_edit = access.user_can_edit_group(user=request.user, group=group)
    if not can_edit:
        return render(request, "governance/groups/terms.html", {"group": group, **_rule_words(group)})
    form = GroupForm(request.POST or None, group=group)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.group_update(
                group=group,
                user=request.user,
                data=form.data_for_service(),
                version=form.cleaned_data.get("version") or 0,
            )
        except ValidationError as exc:
            apply_validation_errors(form, exc)
            group.refresh_from_db()
            form.set_version(group.version)
        else:
            messages.success(request, f"Terms of reference of {saved.name} saved.")
            return redirect("governance:group_edit", slug=saved.slug)
    return render(
        request,
        "governance/groups/form.html",
        {"form": form, "group": group, "owner": group.owner, **_rule_words(group)},
    )


urlpatterns = [
    path("governance/new/group/", group_new, name="group_new"),
    path("governance/<str:slug>/terms/", group_edit, name="group_edit"),
]
