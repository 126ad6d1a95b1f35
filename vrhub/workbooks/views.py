import uuid
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from vrhub.plans import selectors as plan_selectors
from vrhub.workbooks.export import plan_workbook_bytes
from vrhub.workbooks.importer import WorkbookRefused, plan_import_apply, plan_import_preview

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SESSION_KEY = "workbook_imports"


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Upload the plan workbook",
        help_text="An Excel workbook (.xlsx), up to 10 MB.",
        error_messages={"required": "Select the workbook to upload"},
    )


def download(request, pk: int):
    plan = plan_selectors.plan_get_for_user(user=request.user, pk=pk)
    response = HttpResponse(plan_workbook_bytes(plan=plan), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{plan.area.code}-{plan.template.year}-plan.xlsx"'
    return response


def _editable_plan(request, pk: int):
    plan = plan_selectors.plan_get_for_user(user=request.user, pk=pk, edit=True)
    if not plan.is_editable:
        raise PermissionDenied(f"This plan is {plan.get_state_display().lower()}, so it cannot be changed.")
    return plan


def _pending_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


@require_http_methods(["GET", "POST"])
def upload(request, pk: int):
    plan = _editable_plan(request, pk)
    form = UploadForm(request.POST or None, request.FILES or None)
    result = None
    token = None
    if getattr(request, "upload_too_large", False):
        form.is_valid()
        form.add_error("file", "The selected file must be smaller than 10 MB")
    elif request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        try:
            result = plan_import_preview(plan=plan, data=data, name=upload.name)
        except WorkbookRefused as exc:
            form.add_error("file", str(exc))
        else:
            if result.ok and result.has_changes:
                token = uuid.uuid4().hex
                (_pending_dir() / f"{token}.xlsx").write_bytes(data)
                pending = request.session.get(SESSION_KEY, {})
                pending[token] = {"plan": plan.pk, "name": upload.name}
                request.session[SESSION_KEY] = pending
    return render(request, "workbooks/upload.html", {"plan": plan, "form": form, "result": result, "token": token})


@require_POST
def confirm(request, pk: int):
    plan = _editable_plan(request, pk)
    token = request.POST.get("token", "")
    pending = request.session.get(SESSION_KEY, {})
    entry = pending.get(token)
    path = _pending_dir() / f"{token}.xlsx"
    if not entry or entry["plan"] != plan.pk or not token.isalnum() or not path.exists():
        messages.error(request, "That upload has expired: upload the workbook again.")
        return redirect("workbooks:upload", pk=plan.pk)
    try:
        result = plan_import_preview(plan=plan, data=path.read_bytes(), name=entry["name"])
        if result.plan_hash != request.POST.get("plan_hash"):
            raise ValidationError(
                "The plan has changed since you checked this workbook: upload it again to see "
                "the changes against the current plan."
            )
        plan_import_apply(plan=plan, user=request.user, result=result)
    except (ValidationError, WorkbookRefused) as exc:
        messages.error(request, "; ".join(getattr(exc, "messages", [str(exc)])) + " Nothing was saved.")
        return redirect("workbooks:upload", pk=plan.pk)
    finally:
        path.unlink(missing_ok=True)
        pending.pop(token, None)
        request.session[SESSION_KEY] = pending
    messages.success(
        request, f"Workbook imported: {len(result.created)} actions added, {len(result.updated)} changes saved."
    )
    return redirect("plans:detail", pk=plan.pk)
