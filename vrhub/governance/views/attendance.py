"""Attendance, its import, and the quorum check for a meeting and each item (part C).

Thin: each view fetches through ``governance.selectors.access``, reads through ``selectors.attendance`` and
writes through ``services.attendance`` (the import's preview is ``services.attendance_import``)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vrhub.core.forms import apply_validation_errors
from vrhub.core.words import count_noun
from vrhub.governance.forms_attendance import AttendanceForm, AttendanceImportForm
from vrhub.governance.selectors import access
from vrhub.governance.selectors.attendance import attendance_sheet, quorum_report
from vrhub.governance.services.attendance import attendance_save
from vrhub.governance.services.attendance_import import ImportPreview, attendance_import_preview
from vrhub.governance.tables import TableRefused

SESSION_KEY = "governance_attendance_imports"


def _context(request, meeting, **extra) -> dict:
    return {
        "group": meeting.group,
        "meeting": meeting,
        "can_edit": access.user_can_edit_group(user=request.user, group=meeting.group),
        **extra,
    }


def _saved_words(recorded: int, removed: int) -> str:
    if not recorded and not removed:
        return "Nothing changed: the attendance was already as you gave it."
    parts = []
    if recorded:
        parts.append(f"Attendance of {count_noun(recorded, 'member')} saved")
    if removed:
        parts.append(f"{count_noun(removed, 'record')} of attendance removed")
    return "; ".join(parts) + "."


@require_http_methods(["GET", "POST"])
def attendance(request, slug: str, pk: int):
    meeting = access.meeting_get_for_user(user=request.user, slug=slug, pk=pk, edit=request.method == "POST")
    sheet = attendance_sheet(meeting=meeting)
    items = list(meeting.items.order_by("number").values_list("number", flat=True))
    form = AttendanceForm(request.POST or None, sheet=sheet, items=items, initial={"version": meeting.version})
    if request.method == "POST" and form.is_valid():
        try:
            result = attendance_save(
                meeting=meeting, user=request.user, rows=form.entries(), version=form.cleaned_data["version"]
            )
        except ValidationError as exc:
            apply_validation_errors(form, exc)
        else:
            messages.success(request, _saved_words(result.recorded, result.removed))
            return redirect("governance:quorum", slug=slug, pk=pk)
    return render(request, "governance/attendance/attendance.html", _context(request, meeting, form=form, sheet=sheet))


@require_GET
def quorum(request, slug: str, pk: int):
    meeting = access.meeting_get_for_user(user=request.user, slug=slug, pk=pk)
    return render(
        request, "governance/attendance/quorum.html", _context(request, meeting, report=quorum_report(meeting=meeting))
    )


@require_http_methods(["GET", "POST"])
def attendance_import(request, slug: str, pk: int):
    meeting = access.meeting_get_for_user(user=request.user, slug=slug, pk=pk, edit=True)
    form = AttendanceImportForm(request.POST, request.FILES) if request.method == "POST" else AttendanceImportForm()
    preview = None
    problems: list[str] = []
    if request.method == "POST" and getattr(request, "upload_too_large", False):
        form.refuse_too_large()
    elif request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            preview = attendance_import_preview(meeting=meeting, filename=upload.name, content=upload.read())
        except TableRefused as exc:
            problems = exc.errors
            form.add_error("file", f"The file was not imported: {count_noun(len(problems), 'problem')} to put right")
        else:
            pending = request.session.get(SESSION_KEY, {})
            pending[str(meeting.pk)] = preview.session_data()
            request.session[SESSION_KEY] = pending
    return render(
        request,
        "governance/attendance/import.html",
        _context(request, meeting, form=form, preview=preview, problems=problems),
    )


@require_POST
def attendance_import_confirm(request, slug: str, pk: int):
    """Save a previewed attendance file, or (with ``cancel``) forget it."""
    meeting = access.meeting_get_for_user(user=request.user, slug=slug, pk=pk, edit=True)
    pending = request.session.get(SESSION_KEY, {})
    data = pending.pop(str(meeting.pk), None)
    request.session[SESSION_KEY] = pending
    if "cancel" in request.POST:
        messages.success(request, "Import cancelled: nothing was saved.")
        return redirect("governance:attendance", slug=slug, pk=pk)
    if data is None:
        messages.error(request, "There is no checked attendance file to save: upload the file again.")
        return redirect("governance:attendance_import", slug=slug, pk=pk)
    try:
        result = attendance_save(
            meeting=meeting,
            user=request.user,
            rows=ImportPreview.entries_from_session(data),
            version=int(data["version"]),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages) + " Nothing was saved: upload the file again.")
        return redirect("governance:attendance_import", slug=slug, pk=pk)
    messages.success(request, _saved_words(result.recorded, result.removed))
    return redirect("governance:quorum", slug=slug, pk=pk)


urlpatterns = [
    path("governance/<str:slug>/meetings/<int:pk>/attendance/", attendance, name="attendance"),
    path("governance/<str:slug>/meetings/<int:pk>/attendance/import/", attendance_import, name="attendance_import"),
    path(
        "governance/<str:slug>/meetings/<int:pk>/attendance/import/confirm/",
        attendance_import_confirm,
        name="attendance_import_confirm",
    ),
    path("governance/<str:slug>/meetings/<int:pk>/quorum/", quorum, name="quorum"),
]
