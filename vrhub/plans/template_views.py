"""The template editor: a VRU admin builds next year's template from last year's, previews and publishes it.

Every object is fetched through ``selectors.template_*_get_for_admin`` (anyone but an admin of the template's
VRU gets 404); every change goes through ``services.template_*``, which checks again and audits it.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from vrhub.core.forms import apply_validation_errors
from vrhub.plans import selectors, services
from vrhub.plans.template_forms import TemplateActionForm, TemplateSettingsForm, TemplateThemeForm


def _form_page(request, *, template, form, heading: str, button: str):
    return render(
        request,
        "plans/template_form.html",
        {
            "template": template,
            "form": form,
            "heading": heading,
            "button": button,
            "published_changes": services.PUBLISHED_TEMPLATE_CHANGES,
        },
    )


def _year_label(year: int) -> str:
    return f"{year}/{str(year + 1)[-2:]}"


def template_list(request):
    if not request.user.is_vru_admin:
        raise PermissionDenied("Only the VRU's admins manage templates.")
    templates = list(selectors.templates_managed_by(user=request.user))
    rows = [{"template": t, "can_start_next": selectors.template_can_start_next_year(template=t)} for t in templates]
    return render(request, "plans/template_list.html", {"rows": rows})


@require_POST
def template_next(request):
    if not request.user.is_vru_admin:
        raise PermissionDenied("Only the VRU's admins manage templates.")
    source_pk = request.POST.get("source", "")
    if not source_pk.isdigit():
        messages.error(request, "Choose the template to start from.")
        return redirect("templates:list")
    source = selectors.template_get_for_admin(user=request.user, pk=int(source_pk))
    try:
        new = services.template_start_next_year(source=source, user=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("templates:list")
    messages.success(
        request,
        f"The {_year_label(new.year)} template has been started from {_year_label(source.year)}'s. "
        "It is a draft: boroughs cannot see it until you publish it.",
    )
    return redirect("templates:detail", pk=new.pk)


def template_detail(request, pk: int):
    template = selectors.template_get_for_admin(user=request.user, pk=pk)
    return render(
        request,
        "plans/template_detail.html",
        {
            "template": template,
            "themes": selectors.template_contents(template=template),
            "problems": [] if template.published else selectors.template_rule_problems(template=template),
            "published_changes": services.PUBLISHED_TEMPLATE_CHANGES,
        },
    )


@require_http_methods(["GET", "POST"])
def template_settings(request, pk: int):
    template = selectors.template_get_for_admin(user=request.user, pk=pk)
    initial = {"title": template.title, "submission_deadline": template.submission_deadline}
    form = TemplateSettingsForm(request.POST or None, initial=initial)
    if template.published:
        form.fields["title"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            changes = services.template_settings_update(template=template, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_errors(form, exc)
        else:
            messages.success(request, "Template saved." if changes else "Nothing changed.")
            return redirect("templates:detail", pk=template.pk)
    return _form_page(request, template=template, form=form, heading="Title and deadline", button="Save")


@require_http_methods(["GET", "POST"])
def theme_new(request, pk: int):
    template = selectors.template_get_for_admin(user=request.user, pk=pk)
    form = TemplateThemeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            theme = services.template_theme_add(template=template, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_errors(form, exc)
        else:
            messages.success(request, f"Theme {theme.code} added: now add its actions (it needs a mandatory one).")
            return redirect(f"{template_detail_url(template.pk)}#theme-{theme.code}")
    return _form_page(request, template=template, form=form, heading="Add a theme", button="Add theme")


def template_detail_url(pk: int) -> str:
    return reverse("templates:detail", args=[pk])


@require_http_methods(["GET", "POST"])
def theme_edit(request, pk: int, theme_pk: int):
    theme = selectors.template_theme_get_for_admin(user=request.user, template_pk=pk, pk=theme_pk)
    template = theme.template
    form = TemplateThemeForm(
        request.POST or None, new=False, initial={"title": theme.title, "description": theme.description}
    )
    if template.published:
        form.fields["title"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            changes = services.template_theme_update(theme=theme, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_errors(form, exc)
        else:
            messages.success(request, f"Theme {theme.code} saved." if changes else "Nothing changed.")
            return redirect(f"{template_detail_url(template.pk)}#theme-{theme.code}")
    return _form_page(
        request, template=template, form=form, heading=f"Theme {theme.code}: {theme.title}", button="Save"
    )


@require_http_methods(["GET", "POST"])
def action_new(request, pk: int, theme_pk: int):
    theme = selectors.template_theme_get_for_admin(user=request.user, template_pk=pk, pk=theme_pk)
    template = theme.template
    form = TemplateActionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            action = services.template_action_add(theme=theme, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_errors(form, exc)
        else:
            messages.success(request, f"Action {action.code} added to {theme.title}.")
            return redirect(f"{template_detail_url(template.pk)}#theme-{theme.code}")
    return _form_page(
        request, template=template, form=form, heading=f"Add an action to {theme.title}", button="Add action"
    )


@require_http_methods(["GET", "POST"])
def action_edit(request, pk: int, action_pk: int):
    action = selectors.template_action_get_for_admin(user=request.user, template_pk=pk, pk=action_pk)
    template = action.theme.template
    form = TemplateActionForm(
        request.POST or None, new=False, initial={"title": action.title, "guidance": action.guidance}
    )
    if template.published:
        form.fields["title"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            changes = services.template_action_update(action=action, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_errors(form, exc)
        else:
            messages.success(request, f"Action {action.code} saved." if changes else "Nothing changed.")
            return redirect(f"{template_detail_url(template.pk)}#theme-{action.theme.code}")
    return _form_page(request, template=template, form=form, heading=f"{action.code}: {action.title}", button="Save")


@require_POST
def action_retire(request, pk: int, action_pk: int):
    action = selectors.template_action_get_for_admin(user=request.user, template_pk=pk, pk=action_pk)
    retire = request.POST.get("retired") != "0"
    try:
        changed = services.template_action_retire(action=action, user=request.user, retired=retire)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        if changed:
            messages.success(
                request,
                f"{action.code} retired: new plans will not include it; earlier plans keep it."
                if retire
                else f"{action.code} is back in the template.",
            )
    return redirect(f"{template_detail_url(pk)}#theme-{action.theme.code}")


def template_preview(request, pk: int):
    template = selectors.template_get_for_admin(user=request.user, pk=pk)
    return render(
        request,
        "plans/template_preview.html",
        {"template": template, "themes": selectors.template_contents(template=template)},
    )


@require_http_methods(["GET", "POST"])
def template_publish(request, pk: int):
    template = selectors.template_get_for_admin(user=request.user, pk=pk)
    if request.method == "POST":
        try:
            services.template_publish(template=template, user=request.user)
        except ValidationError as exc:
            for message in exc.messages[:20]:
                messages.error(request, message)
            return redirect("templates:publish", pk=template.pk)
        messages.success(
            request,
            f"The {_year_label(template.year)} template is published: boroughs can now start their plans from it.",
        )
        return redirect("templates:detail", pk=template.pk)
    themes = selectors.template_contents(template=template)
    return render(
        request,
        "plans/template_publish.html",
        {
            "template": template,
            "problems": [] if template.published else selectors.template_rule_problems(template=template),
            "theme_count": len(themes),
            "mandatory_count": sum(len(t["mandatory"]) for t in themes),
            "optional_count": sum(len(t["optional"]) for t in themes),
            "published_changes": services.PUBLISHED_TEMPLATE_CHANGES,
        },
    )
