from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from vrhub.core.limits import size_text, upload_max_bytes
from vrhub.core.words import count_noun
from vrhub.plans import selectors as plan_selectors
from vrhub.workbooks.export import plan_workbook_bytes
from vrhub.workbooks.importer import WorkbookRefused, plan_import_apply, plan_import_preview
from vrhub.workbooks.previews import import_preview_delete, import_preview_read, import_preview_store

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SESSION_KEY = "workbook_imports"


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Upload the plan workbook",
        error_messages={"required": "Select the workbook to upload"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = size_text(upload_max_bytes())
        self.fields["file"].help_text = f"An Excel workbook (.xlsx), up to {limit}."

    def refuse_too_large(self) -> None:
        """The upload handler stopped reading the file at the size limit, so there is no file to
        clean: show the limit as the file's only error (whatever else was, or was not, posted)."""
        self.full_clean()
        self.cleaned_data.pop("file", None)
        message = f"The file is larger than the {size_text(upload_max_bytes())} limit"
        self._errors["file"] = self.error_class([message])


def download(request, pk: int):
    plan = plan_selectors.plan_get_for_user(user=request.user, pk=pk)
    response = HttpResponse(plan_workbook_bytes(plan=plan), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{plan.area.code}-{plan.template.year}-plan.xlsx"'
    return response


def _editable_plan(request, pk: int):
    plan = plan_selectors.plan_get_for_user(user=request.user, pk=pk, edit=True)
    if reason := plan.not_editable_reason:
        raise PermissionDenied(reason)
    return plan


def _forget(request, plan_pk: int) -> None:
    """Delete this session's earlier previews for the plan: a new upload replaces them."""
    pending = request.session.get(SESSION_KEY, {})
    for token in [t for t, entry in pending.items() if entry.get("plan") == plan_pk]:
        import_preview_delete(token=token)
        pending.pop(token)
    request.session[SESSION_KEY] = pending


@require_http_methods(["GET", "POST"])
def upload(request, pk: int):
    plan = _editable_plan(request, pk)
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    result = None
    token = None
    if request.method == "POST" and getattr(request, "upload_too_large", False):
        form.refuse_too_large()
    elif request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        try:
            result = plan_import_preview(plan=plan, data=data, name=upload.name)
        except WorkbookRefused as exc:
            form.add_error("file", str(exc))
        else:
            if result.ok and result.has_changes:
                _forget(request, plan.pk)
                token = import_preview_store(data=data)
                pending = request.session.get(SESSION_KEY, {})
                pending[token] = {"plan": plan.pk, "name": upload.name}
                request.session[SESSION_KEY] = pending
    return render(request, "workbooks/upload.html", {"plan": plan, "form": form, "result": result, "token": token})


@require_POST
def confirm(request, pk: int):
    """Save a previewed import, or (with ``cancel``) discard it; either way its preview is deleted."""
    plan = _editable_plan(request, pk)
    token = request.POST.get("token", "")
    pending = request.session.get(SESSION_KEY, {})
    entry = pending.get(token)
    if entry and entry["plan"] != plan.pk:
        entry = None
    if "cancel" in request.POST:
        if entry:
            import_preview_delete(token=token)
            pending.pop(token, None)
            request.session[SESSION_KEY] = pending
        messages.success(request, "Import cancelled: nothing was saved and the uploaded workbook was deleted.")
        return redirect("plans:detail", pk=plan.pk)
    data = import_preview_read(token=token) if entry else None
    if data is None:
        messages.error(request, "That upload has expired: upload the workbook again.")
        return redirect("workbooks:upload", pk=plan.pk)
    try:
        result = plan_import_preview(plan=plan, data=data, name=entry["name"])
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
        import_preview_delete(token=token)
        pending.pop(token, None)
        request.session[SESSION_KEY] = pending
    messages.success(
        request,
        f"Workbook imported: {count_noun(len(result.created), 'action')} added, "
        f"{count_noun(len(result.updated), 'change')} saved.",
    )
    return redirect("plans:detail", pk=plan.pk)
