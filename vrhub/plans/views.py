from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from vrhub.core.forms import apply_validation_errors
from vrhub.core.limits import upload_too_large_message
from vrhub.core.words import count_noun
from vrhub.organisations.selectors import areas_editable_by, areas_visible_to
from vrhub.plans import selectors, services
from vrhub.plans.completeness import action_problems, plans_completeness
from vrhub.plans.forms import (
    AdoptOptionalActionsForm,
    DocumentForm,
    LocalActionForm,
    PlanActionForm,
    StartPlanForm,
    VoidConfirmForm,
)
from vrhub.plans.models import Status
from vrhub.plans.pages import (
    home_page_context,
    names_joined,
    plan_page_context,
    signatures_a_change_voids,
    theme_page_context,
)

SAVED_NOTE = "theme_saved_note"


def _plan_for_change(request, pk: int):
    """The plan, if this user may change it now; 403 with the reason otherwise."""
    plan = selectors.plan_get_for_user(user=request.user, pk=pk, edit=True)
    if reason := plan.not_editable_reason:
        raise PermissionDenied(reason)
    return plan


def home(request):
    user = request.user
    if user.is_vru_user and selectors.plans_visible_to(user=user).exists():
        return redirect("dashboard:latest")
    plans = list(
        selectors.plans_visible_to(user=user)
        .filter(is_current=True, area__in=areas_visible_to(user=user))
        .order_by("area__name", "-template__year")
    )
    checks = plans_completeness(plans=plans)
    rows = [{"plan": plan, "check": checks[plan.pk]} for plan in plans]
    areas = areas_visible_to(user=user)
    can_start = (
        areas_editable_by(user=user).exists()
        and selectors.templates_available_to(user=user).exclude(plans__area__in=areas).exists()
    )
    return render(
        request,
        "plans/home.html",
        {"rows": rows, "can_start": can_start, "area_count": areas.count(), **home_page_context(user=user)},
    )


@require_http_methods(["GET", "POST"])
def plan_start(request):
    area = areas_editable_by(user=request.user).first()
    if area is None:
        raise Http404("You do not edit a borough's plans")
    templates = list(selectors.templates_available_to(user=request.user).exclude(plans__area=area))
    form = StartPlanForm(request.POST or None, templates=templates)
    if request.method == "POST" and form.is_valid():
        template = form.templates[form.cleaned_data["template"]]
        copy_from = (
            selectors.previous_plan(area=area, year=template.year) if form.cleaned_data["copy_previous"] else None
        )
        if form.cleaned_data["copy_previous"] and copy_from is None:
            form.add_error("copy_previous", "There is no earlier plan to start from")
        else:
            try:
                result = services.plan_create(area=area, template=template, user=request.user, copy_from=copy_from)
            except ValidationError as exc:
                apply_validation_errors(form, exc)
            else:
                text = f"Your {template.year} plan has been started."
                if copy_from:
                    text += f" {count_noun(len(result.copied), 'action')} carried over from {copy_from.year}."
                    if result.not_carried:
                        text += f" Not carried over (retired from the template): {', '.join(result.not_carried)}."
                messages.success(request, text)
                return redirect("plans:detail", pk=result.plan.pk)
    return render(request, "plans/start.html", {"form": form, "area": area, "templates": templates})


def plan_detail(request, pk: int):
    plan = selectors.plan_get_for_user(user=request.user, pk=pk)
    return render(
        request,
        "plans/detail.html",
        {
            "plan": plan,
            "statuses": list(Status),
            **selectors.plan_overview(plan=plan),
            **selectors.plan_permissions(user=request.user, plan=plan),
            **plan_page_context(plan=plan, user=request.user),
            "missing_void_form": VoidConfirmForm(voids=signatures_a_change_voids(plan=plan), prefix="missing"),
        },
    )


@require_http_methods(["GET", "POST"])
def theme_edit(request, pk: int, theme_code: str):
    if request.method == "POST":
        plan = _plan_for_change(request, pk)
    else:
        plan = selectors.plan_get_for_user(user=request.user, pk=pk)
    theme = selectors.theme_get_for_plan(plan=plan, code=theme_code)
    can_edit = selectors.user_can_edit_plan(user=request.user, plan=plan)
    actions = selectors.plan_actions_for_theme(plan=plan, theme=theme, user=request.user)
    # Whose signatures a save would void now: each action's form names them and asks to confirm.
    voids = signatures_a_change_voids(plan=plan) if can_edit else []
    if request.method == "POST":
        # Each action has its own form and Save button; a page posting several actions at once (an older
        # page, a script) is saved all or nothing.
        posted = [a for a in actions if f"a{a.pk}-version" in request.POST]
        forms = [
            PlanActionForm(request.POST, action=a, voids=voids)
            if a in posted
            else PlanActionForm(action=a, voids=voids)
            for a in actions
        ]
        bound = [f for f in forms if f.is_bound]
        said = _save_theme(request, bound, voids=voids) if bound else None
        if said is not None:
            target = _after_save(plan=plan, theme=theme, actions=actions, saved=bound, request=request)
            text, changed = said
            if "?saved=" in target:
                # Back on this theme page: say it beside the action saved, once, not in a banner as well.
                request.session[SAVED_NOTE] = {"action": bound[-1].action.pk, "text": text}
            else:
                (messages.success if changed else messages.info)(request, text)
            return HttpResponseRedirect(target)
    else:
        forms = [PlanActionForm(action=a, voids=voids) for a in actions]
    saved = request.GET.get("saved", "")
    # What the last save said, shown once: beside the action saved (see _save_theme).
    note = request.session.pop(SAVED_NOTE, None) if request.method == "GET" else None
    rows = [
        {
            "action": f.action,
            "form": f,
            "problems": action_problems(f.action),
            "just_saved": saved == str(f.action.pk),
            "saved_note": note["text"] if note and saved == str(f.action.pk) == str(note["action"]) else "",
            "next": forms[i + 1].action if i + 1 < len(forms) else None,
        }
        for i, f in enumerate(forms)
    ]
    menu = selectors.optional_menu_for_theme(plan=plan, theme=theme)
    themes = list(plan.template.themes.all())
    later = [t for t in themes if t.order > theme.order]
    return render(
        request,
        "plans/theme.html",
        {
            "plan": plan,
            "theme": theme,
            "rows": rows,
            "can_edit": can_edit,
            "own_plan": selectors.is_own_plan(user=request.user, plan=plan),
            "themes": themes,
            "next_theme": later[0] if later else None,
            "voids": voids,
            "void_names": names_joined([label for _, label in voids]),
            "menu": menu,
            "adopted_count": sum(on for _, on in menu),
            "error_list": _theme_errors(forms) if request.method == "POST" else [],
            **theme_page_context(plan=plan, theme=theme, user=request.user),
        },
    )


def _after_save(*, plan, theme, actions, saved, request) -> str:
    """Where a saved action goes: back to it, or ("Save and continue") to the next action, or after the
    theme's last action to the next theme (or the plan)."""
    url = reverse("plans:theme", args=[plan.pk, theme.code])
    last = saved[-1].action
    if "continue" not in request.POST:
        return f"{url}?saved={last.pk}#action-{last.pk}"
    later = [a for a in actions if actions.index(a) > actions.index(last)]
    if later:
        return f"{url}?saved={last.pk}#action-{later[0].pk}"
    following = plan.template.themes.filter(order__gt=theme.order).order_by("order").first()
    if following is not None:
        return reverse("plans:theme", args=[plan.pk, following.code])
    return reverse("plans:detail", args=[plan.pk])


def _theme_errors(forms: list[PlanActionForm]) -> list[dict]:
    """Error summary entries for a theme page, each naming the action and linking to the field."""
    errors = []
    for form in forms:
        code = form.action.code
        for message in form.non_field_errors():
            errors.append({"href": f"#action-{form.action.pk}-conflict", "message": message})
        for name, field_errors in form.errors.items():
            if name == "__all__":
                continue
            # A hidden field (the version the page was loaded at) has no label: name it rather than print "None".
            label = (form.fields[name].label if name in form.fields else None) or name.replace("_", " ").capitalize()
            href = f"#{form[name].id_for_label}" if name in form.fields else f"#action-{form.action.pk}"
            for message in field_errors:
                # The confirmation's label names the signatories, as its message does: say it once.
                text = f"{code}: {message}" if name == "confirm_void" else f"{code} {label}: {message}"
                errors.append({"href": href, "message": text})
    return errors


def _save_theme(request, forms: list[PlanActionForm], *, voids: list[tuple[str, str]]) -> tuple[str, bool] | None:
    """Save the posted actions of a theme page, all or nothing. Returns what to tell the person (and
    whether anything changed) when saved, else None.

    ``voids`` are the signatures the page said a save would void: the service refuses a change that voids
    one the person did not agree to void (also one given after the page was loaded)."""
    if not all(f.is_valid() for f in forms):
        return None
    for form in forms:
        try:
            services.validate_action_data(form.content(), action=form.action)
        except ValidationError as exc:
            apply_validation_errors(form, exc)
    if any(f.errors for f in forms):
        return None
    try:
        with transaction.atomic():
            changed = 0
            for f in forms:
                try:
                    result = services.plan_action_update(
                        action=f.action,
                        user=request.user,
                        data=f.content(),
                        expected_version=f.cleaned_data["version"],
                        confirmed_voids=f.confirmed_voids(),
                    )
                except ValidationError as exc:
                    apply_validation_errors(f, exc)
                    if "confirm_void" in exc.message_dict:
                        # Show the signatures as they are now, and ask again.
                        current = signatures_a_change_voids(plan=f.action.plan)
                        f.data = f.data.copy()
                        f.data[f.add_prefix("void_keys")] = ",".join(key for key, _ in current)
                    raise
                changed += bool(result)
    except ValidationError:
        return None
    except services.ConflictError as exc:
        for f in forms:
            f.action.refresh_from_db()
        form = next(f for f in forms if f.action.pk == exc.action.pk)
        theirs = (
            "; ".join(
                f"{e.actor.display_name if e.actor else 'someone'} set {e.field.replace('_', ' ')} from "
                f"“{e.old or '(blank)'}” to “{e.new or '(blank)'}”"
                for e in exc.changes
            )
            or "no visible fields"
        )
        # Keep this person's input, and move their form to the current version so that saving
        # again deliberately applies it over the other change.
        form.data = form.data.copy()
        form.data[form.add_prefix("version")] = str(exc.action.version)
        form.add_error(
            None,
            f"{exc.action.code} was changed by someone else while you were editing it: {theirs}. "
            "Nothing on this page has been saved. Check your entries and save again to apply them.",
        )
        return None
    what = forms[0].action.code if len(forms) == 1 else f"{changed} action{'s' if changed != 1 else ''}"
    if changed and voids:
        names = names_joined([label for _, label in voids])
        text = f"Saved {what}. This voided the signature{pluralize(len(voids))} of {names}."
    elif changed:
        text = f"Saved {what}."
    else:
        text = f"{forms[0].action.code if len(forms) == 1 else 'These actions'}: there were no changes to save."
    return text, bool(changed)


def _refused(form: VoidConfirmForm, exc: ValidationError) -> None:
    """Put a service's refusal on the page's form; when it was about voiding signatures, ask again for
    the signatures live now."""
    apply_validation_errors(form, exc)
    if "confirm_void" in getattr(exc, "error_dict", {}):
        form.ask_again()


@require_http_methods(["GET", "POST"])
def theme_optional(request, pk: int, theme_code: str):
    plan = _plan_for_change(request, pk)
    theme = selectors.theme_get_for_plan(plan=plan, code=theme_code)
    menu = selectors.optional_menu_for_theme(plan=plan, theme=theme)
    form = AdoptOptionalActionsForm(request.POST or None, menu=menu, voids=signatures_a_change_voids(plan=plan))
    if request.method == "POST" and form.is_valid():
        try:
            added, removed = services.plan_set_optional_actions(
                plan=plan,
                theme=theme,
                user=request.user,
                adopted=form.adopted_actions(),
                confirmed_voids=form.confirmed_voids(),
            )
        except ValidationError as exc:
            _refused(form, exc)
        else:
            parts = []
            if added:
                parts.append(f"Adopted {', '.join(added)}")
            if removed:
                parts.append(f"removed {', '.join(removed)}")
            messages.success(request, (". ".join(parts) + ".") if parts else "No change to the optional actions.")
            return redirect("plans:theme", pk=plan.pk, theme_code=theme.code)
    guidance = {str(ta.pk): ta for ta, _ in menu}
    return render(
        request, "plans/optional.html", {"plan": plan, "theme": theme, "form": form, "guidance": guidance, "menu": menu}
    )


@require_http_methods(["GET", "POST"])
def local_action_new(request, pk: int, theme_code: str):
    plan = _plan_for_change(request, pk)
    theme = selectors.theme_get_for_plan(plan=plan, code=theme_code)
    form = LocalActionForm(request.POST or None, voids=signatures_a_change_voids(plan=plan))
    if request.method == "POST" and form.is_valid():
        try:
            action = services.plan_add_local_action(
                plan=plan, theme=theme, user=request.user, confirmed_voids=form.confirmed_voids(), **form.content()
            )
        except ValidationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, f"Local action {action.code} added. Now complete its details.")
            return redirect(reverse("plans:theme", args=[plan.pk, theme.code]) + f"#action-{action.pk}")
    return render(request, "plans/local_new.html", {"plan": plan, "theme": theme, "form": form})


@require_http_methods(["GET", "POST"])
def action_remove(request, pk: int, action_pk: int):
    plan = _plan_for_change(request, pk)
    action = selectors.plan_action_get_for_user(user=request.user, plan_pk=pk, pk=action_pk, edit=True)
    form = VoidConfirmForm(request.POST or None, voids=signatures_a_change_voids(plan=plan))
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_remove_action(action=action, user=request.user, confirmed_voids=form.confirmed_voids())
        except ValidationError as exc:
            if "confirm_void" in getattr(exc, "error_dict", {}):
                _refused(form, exc)
            else:
                error = exc.messages[0]
        else:
            messages.success(request, f"{action.code} removed from the plan.")
            return redirect("plans:theme", pk=action.plan_id, theme_code=action.theme.code)
    return render(
        request, "plans/action_remove.html", {"plan": action.plan, "action": action, "error": error, "form": form}
    )


@require_http_methods(["GET", "POST"])
def action_documents(request, pk: int, action_pk: int):
    edit = request.method == "POST"
    if edit:
        _plan_for_change(request, pk)
    action = selectors.plan_action_get_for_user(user=request.user, plan_pk=pk, pk=action_pk, edit=edit)
    can_edit = selectors.user_can_edit_plan(user=request.user, plan=action.plan)
    voids = signatures_a_change_voids(plan=action.plan) if can_edit else []
    # A POST whose only field was a file over the limit has no data left: it is still a POST.
    form = (
        DocumentForm(request.POST, request.FILES, voids=voids)
        if request.method == "POST"
        else DocumentForm(voids=voids)
    )
    if request.method == "POST" and getattr(request, "upload_too_large", False):
        form.is_valid()
        form.add_error("file", upload_too_large_message())
    elif request.method == "POST" and form.is_valid():
        if form.cleaned_data.get("file"):
            form.cleaned_data["file"].name = _name_for_disk(form.cleaned_data["file"].name)
        try:
            doc = services.document_add(
                action=action, user=request.user, confirmed_voids=form.confirmed_voids(), **form.content()
            )
        except ValidationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, f"“{doc.title}” added to {action.code}.")
            return redirect("plans:documents", pk=action.plan_id, action_pk=action.pk)
    return render(
        request,
        "plans/documents.html",
        {
            "plan": action.plan,
            "action": action,
            "form": form,
            "can_edit": can_edit,
            "documents": [
                (doc, VoidConfirmForm(voids=voids, prefix=f"d{doc.pk}"))
                for doc in selectors.documents_visible_to(user=request.user, plan=action.plan).filter(action=action)
            ],
        },
    )


def _name_for_disk(name: str, limit: int = 200) -> str:
    """The uploaded file's name, cut to ``limit`` bytes of UTF-8 keeping its extension: a file system
    holds 255 bytes a name, and 255 characters of "é" (Django's limit) used to answer 500."""
    if len(name.encode()) <= limit:
        return name
    stem, dot, ext = name.rpartition(".")
    suffix = f".{ext[:20]}" if dot else ""
    stem = stem if dot else name
    return stem.encode()[: limit - len(suffix.encode())].decode("utf-8", "ignore") + suffix


def document_download(request, pk: int, action_pk: int, doc_pk: int):
    doc = selectors.document_get_for_user(user=request.user, plan_pk=pk, action_pk=action_pk, pk=doc_pk)
    if doc.is_link:
        return HttpResponseRedirect(doc.url)
    response = FileResponse(doc.file.open("rb"), as_attachment=True, filename=doc.original_name or doc.file.name)
    response["Content-Type"] = doc.content_type or "application/octet-stream"
    return response


@require_http_methods(["POST"])
def document_delete(request, pk: int, action_pk: int, doc_pk: int):
    _plan_for_change(request, pk)
    doc = selectors.document_get_for_user(user=request.user, plan_pk=pk, action_pk=action_pk, pk=doc_pk, edit=True)
    form = VoidConfirmForm(request.POST, prefix=f"d{doc.pk}")
    form.is_valid()
    try:
        services.document_delete(document=doc, user=request.user, confirmed_voids=form.confirmed_voids())
    except ValidationError as exc:
        messages.error(request, f"“{doc.title}” was not removed. {' '.join(exc.messages)}")
        return redirect("plans:documents", pk=pk, action_pk=action_pk)
    messages.success(request, f"“{doc.title}” removed.")
    return redirect("plans:documents", pk=pk, action_pk=action_pk)


@require_http_methods(["POST"])
def add_missing_mandatory(request, pk: int):
    plan = _plan_for_change(request, pk)
    form = VoidConfirmForm(request.POST, prefix="missing")
    form.is_valid()
    try:
        added = services.plan_add_missing_mandatory(
            plan=plan, user=request.user, confirmed_voids=form.confirmed_voids()
        )
    except ValidationError as exc:
        messages.error(request, f"The missing mandatory actions were not added. {' '.join(exc.messages)}")
        return redirect("plans:detail", pk=plan.pk)
    if added:
        messages.success(
            request,
            f"Added the mandatory action{'s' if len(added) != 1 else ''} {', '.join(added)}. "
            f"Complete {'them on their theme pages' if len(added) != 1 else 'it on its theme page'}.",
        )
    else:
        messages.info(request, "The plan already has every mandatory action.")
    return redirect("plans:detail", pk=plan.pk)
