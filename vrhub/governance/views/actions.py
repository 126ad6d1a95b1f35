"""Actions arising: the carried-forward report, updates, DOCX and PDF (part D).

Thin: each view fetches through ``governance.selectors.access``, reads through ``governance.selectors.actions``
and writes through ``governance.services.actions``."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from vrhub.core.exceptions import NotFound
from vrhub.core.forms import apply_validation_errors
from vrhub.core.words import date_words
from vrhub.governance import actions_render
from vrhub.governance.forms_actions import ActionForm, RemoveForm, UpdateForm
from vrhub.governance.models import Group, Meeting
from vrhub.governance.selectors import access
from vrhub.governance.selectors import actions as selectors
from vrhub.governance.services import actions as services

FORMAT_LABELS = {"pdf": "PDF", "docx": "Word (DOCX)"}


def _meeting_id(request) -> int | None:
    raw = request.GET.get("meeting", "")
    if raw == "":
        return None
    if not raw.isdigit() or len(raw) > 12:
        raise NotFound("No such meeting")
    return int(raw)


def _report(request, group: Group) -> selectors.Report:
    return selectors.report_for(group=group, meeting_id=_meeting_id(request), today=timezone.localdate())


@require_GET
def actions(request, slug: str):
    group = access.group_get_for_user(user=request.user, slug=slug)
    today = timezone.localdate()
    report = _report(request, group)
    return render(
        request,
        "governance/actions/index.html",
        {
            "group": group,
            "report": report,
            "open": selectors.open_actions(group=group, today=today),
            "meetings": selectors.report_meetings(group=group),
            "next_meeting": selectors.next_meeting(group=group, today=today),
            "chosen": request.GET.get("meeting", ""),
            "formats": FORMAT_LABELS,
            "can_edit": access.user_can_edit_group(user=request.user, group=group),
            "today": today,
        },
    )


@require_GET
def actions_download(request, slug: str, fmt: str):
    group = access.group_get_for_user(user=request.user, slug=slug)
    if fmt not in actions_render.FORMATS:
        raise NotFound("No such format")
    report = _report(request, group)
    response = HttpResponse(
        actions_render.render(fmt=fmt, report=report), content_type=actions_render.CONTENT_TYPES[fmt]
    )
    response["Content-Disposition"] = f'attachment; filename="{actions_render.filename(report=report, fmt=fmt)}"'
    return response


@require_GET
def action(request, slug: str, pk: int):
    found = access.action_get_for_user(user=request.user, slug=slug, pk=pk)
    group = found.meeting.group
    row = selectors.action_row(action=found, today=timezone.localdate())
    return render(
        request,
        "governance/actions/detail.html",
        {
            "group": group,
            "action": found,
            "row": row,
            "history": selectors.action_history(action=found),
            "can_edit": access.user_can_edit_group(user=request.user, group=group),
        },
    )


def _default_meeting(group: Group) -> Meeting | None:
    today = timezone.localdate()
    return group.meetings.filter(date__lte=today).order_by("-date").first() or group.meetings.order_by("date").first()


@require_http_methods(["GET", "POST"])
def action_new(request, slug: str):
    group = access.group_get_for_user(user=request.user, slug=slug, edit=True)
    meeting_id = _meeting_id(request)
    if meeting_id is not None:
        meeting = access.meeting_get_for_user(user=request.user, slug=slug, pk=meeting_id, edit=True)
    else:
        meeting = _default_meeting(group)
    form = ActionForm(request.POST or None, meeting=meeting) if meeting else None
    if request.method == "POST" and form is not None and meeting is not None and form.is_valid():
        try:
            made = services.action_add(meeting=meeting, user=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            apply_validation_errors(form, exc)
        else:
            messages.success(request, f"1 action added to the meeting of {date_words(meeting.date)}.")
            return redirect(f"{reverse('governance:actions', args=[slug])}#action-{made.pk}")
    return render(
        request,
        "governance/actions/form.html",
        {
            "group": group,
            "meeting": meeting,
            "meetings": selectors.report_meetings(group=group),
            "form": form,
            "action": None,
        },
    )


@require_http_methods(["GET", "POST"])
def action_edit(request, slug: str, pk: int):
    found = access.action_get_for_user(user=request.user, slug=slug, pk=pk, edit=True)
    form = ActionForm(request.POST or None, meeting=found.meeting, action=found)
    if request.method == "POST" and form.is_valid():
        try:
            services.action_update(
                action=found, user=request.user, data=form.cleaned_data, version=form.cleaned_data["version"]
            )
        except ValidationError as exc:
            apply_validation_errors(form, exc)
        else:
            messages.success(request, "Action saved.")
            return redirect("governance:action", slug=slug, pk=found.pk)
    return render(
        request,
        "governance/actions/form.html",
        {"group": found.meeting.group, "meeting": found.meeting, "form": form, "action": found},
    )


@require_http_methods(["GET", "POST"])
def action_report_update(request, slug: str, pk: int):
    found = access.action_get_for_user(user=request.user, slug=slug, pk=pk, edit=True)
    group = found.meeting.group
    later = selectors.later_meetings(action=found)
    upcoming = selectors.next_meeting(group=group, today=timezone.localdate())
    form = UpdateForm(
        request.POST or None,
        action=found,
        later=later,
        default_meeting=upcoming if upcoming in later else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.action_report_update(
                action=found, user=request.user, data=form.cleaned_data, version=form.cleaned_data["version"]
            )
        except ValidationError as exc:
            apply_validation_errors(form, exc)
        else:
            messages.success(request, "Update recorded.")
            return redirect("governance:action", slug=slug, pk=found.pk)
    return render(request, "governance/actions/update_form.html", {"group": group, "action": found, "form": form})


@require_http_methods(["GET", "POST"])
def action_remove(request, slug: str, pk: int):
    found = access.action_get_for_user(user=request.user, slug=slug, pk=pk, edit=True)
    form = RemoveForm(request.POST or None, initial={"version": found.version})
    problem = ""
    if request.method == "POST" and form.is_valid():
        try:
            services.action_remove(action=found, user=request.user, version=form.cleaned_data["version"])
        except ValidationError as exc:
            problem = exc.messages[0]
            found.refresh_from_db()
            form = RemoveForm(initial={"version": found.version})
        else:
            messages.success(request, "Action removed.")
            return redirect("governance:actions", slug=slug)
    return render(
        request,
        "governance/actions/remove.html",
        {"group": found.meeting.group, "action": found, "form": form, "problem": problem},
    )


urlpatterns = [
    path("governance/<str:slug>/actions/", actions, name="actions"),
    path("governance/<str:slug>/actions/report/<str:fmt>/", actions_download, name="actions_download"),
    path("governance/<str:slug>/actions/new/", action_new, name="action_new"),
    path("governance/<str:slug>/actions/<int:pk>/", action, name="action"),
    path("governance/<str:slug>/actions/<int:pk>/edit/", action_edit, name="action_edit"),
    path("governance/<str:slug>/actions/<int:pk>/update/", action_report_update, name="action_update"),
    path("governance/<str:slug>/actions/<int:pk>/remove/", action_remove, name="action_remove"),
]
