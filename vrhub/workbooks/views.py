from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from vrhub.core.exceptions import NotFound
from vrhub.core.forms import apply_validation_errors
from vrhub.core.limits import size_text, upload_max_bytes
from vrhub.core.words import count_noun
from vrhub.cycle import selectors as cycle_selectors
from vrhub.plans import selectors as plan_selectors
from vrhub.plans.forms import VoidConfirmForm
from vrhub.plans.pages import signatures_a_change_voids
from vrhub.workbooks.export import plan_workbook_bytes
from vrhub.workbooks.importer import WorkbookRefused, plan_import_apply, plan_import_preview
from vrhub.workbooks.previews import import_preview_delete, import_preview_read, import_preview_store
from vrhub.workbooks.updates_export import updates_file_name, updates_workbook_bytes
from vrhub.workbooks.updates_import import updates_import_apply, updates_import_preview

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
    # The signatures saving the import would void: the preview names them and the confirm form asks.
    void_form = VoidConfirmForm(voids=signatures_a_change_voids(plan=plan))
    context = {"plan": plan, "form": form, "result": result, "token": token, "void_form": void_form}
    return render(request, "workbooks/upload.html", context)


def _forget_preview(request, token: str, pending: dict) -> None:
    import_preview_delete(token=token)
    pending.pop(token, None)
    request.session[SESSION_KEY] = pending


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
    void_form = VoidConfirmForm(request.POST)
    void_form.is_valid()
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
        plan_import_apply(plan=plan, user=request.user, result=result, confirmed_voids=void_form.confirmed_voids())
    except ValidationError as exc:
        if "confirm_void" not in getattr(exc, "error_dict", {}):
            _forget_preview(request, token, pending)
            messages.error(request, "; ".join(exc.messages) + " Nothing was saved.")
            return redirect("workbooks:upload", pk=plan.pk)
        # Signatures to void that the preview did not name (or the box left unticked): show the preview
        # again, naming the signatures live now, and keep the upload for the next try.
        void_form.set_voids(signatures_a_change_voids(plan=plan))
        apply_validation_errors(void_form, exc)
        void_form.ask_again()
        context = {"plan": plan, "form": UploadForm(), "result": result, "token": token, "void_form": void_form}
        return render(request, "workbooks/upload.html", context)
    except WorkbookRefused as exc:
        _forget_preview(request, token, pending)
        messages.error(request, f"{exc} Nothing was saved.")
        return redirect("workbooks:upload", pk=plan.pk)
    _forget_preview(request, token, pending)
    messages.success(
        request,
        f"Workbook imported: {count_noun(len(result.created), 'action')} added, "
        f"{count_noun(len(result.updated), 'change')} saved.",
    )
    return redirect("plans:detail", pk=plan.pk)


# A quarter's update sheet ----------------------------------------------------------------------

UPDATES_SESSION_KEY = "update_sheet_imports"


class UpdatesUploadForm(UploadForm):
    def __init__(self, *args, quarter_label: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].label = f"Upload the {quarter_label} update sheet"
        self.fields["file"].error_messages["required"] = "Select the update sheet to upload"


def _updates_plan_quarter(request, pk: int, number: int):
    """The plan and quarter, for the borough's own editors: its VRU and its other people get 403, and
    another borough (even one that may read an accepted plan) cannot tell that the sheet exists (404)."""
    plan = plan_selectors.plan_get_for_user(user=request.user, pk=pk)
    if not plan_selectors.user_can_edit_area(user=request.user, plan=plan):
        if not plan_selectors.is_own_plan(user=request.user, plan=plan):
            raise NotFound("No such update sheet")
        raise PermissionDenied("Only the borough's editors download and upload its quarterly update sheets.")
    return plan, cycle_selectors.quarter_get_for_plan(plan=plan, number=number)


def updates_download(request, pk: int, number: int):
    plan, quarter = _updates_plan_quarter(request, pk, number)
    response = HttpResponse(updates_workbook_bytes(plan=plan, quarter=quarter), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{updates_file_name(plan=plan, quarter=quarter)}"'
    return response


def _updates_forget(request, plan_pk: int, quarter_pk: int) -> None:
    pending = request.session.get(UPDATES_SESSION_KEY, {})
    for token in [t for t, e in pending.items() if (e.get("plan"), e.get("quarter")) == (plan_pk, quarter_pk)]:
        import_preview_delete(token=token)
        pending.pop(token)
    request.session[UPDATES_SESSION_KEY] = pending


@require_http_methods(["GET", "POST"])
def updates_upload(request, pk: int, number: int):
    plan, quarter = _updates_plan_quarter(request, pk, number)
    if request.method == "POST" and quarter.is_closed:
        raise PermissionDenied(f"{quarter.label} has been closed by the VRU: its updates can no longer be changed.")
    data = request.POST if request.method == "POST" else None
    form = UpdatesUploadForm(data, request.FILES or None, quarter_label=quarter.label)
    result = token = None
    if request.method == "POST" and getattr(request, "upload_too_large", False):
        form.refuse_too_large()
    elif request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        try:
            result = updates_import_preview(plan=plan, quarter=quarter, data=content, name=upload.name)
        except WorkbookRefused as exc:
            form.add_error("file", str(exc))
        else:
            if result.ok and result.has_changes:
                _updates_forget(request, plan.pk, quarter.pk)
                token = import_preview_store(data=content)
                pending = request.session.get(UPDATES_SESSION_KEY, {})
                pending[token] = {"plan": plan.pk, "quarter": quarter.pk, "name": upload.name}
                request.session[UPDATES_SESSION_KEY] = pending
    return render(
        request,
        "workbooks/updates_upload.html",
        {"plan": plan, "quarter": quarter, "form": form, "result": result, "token": token},
    )


@require_POST
def updates_confirm(request, pk: int, number: int):
    """Save a previewed update sheet, or (with ``cancel``) discard it; either way its preview is deleted."""
    plan, quarter = _updates_plan_quarter(request, pk, number)
    token = request.POST.get("token", "")
    pending = request.session.get(UPDATES_SESSION_KEY, {})
    entry = pending.get(token)
    if entry and (entry["plan"], entry["quarter"]) != (plan.pk, quarter.pk):
        entry = None
    back = redirect("cycle:quarters", pk=plan.pk)
    if "cancel" in request.POST:
        if entry:
            import_preview_delete(token=token)
            pending.pop(token, None)
            request.session[UPDATES_SESSION_KEY] = pending
        messages.success(request, "Import cancelled: nothing was saved and the uploaded sheet was deleted.")
        return back
    content = import_preview_read(token=token) if entry else None
    if content is None:
        messages.error(request, "That upload has expired: upload the update sheet again.")
        return redirect("workbooks:updates_upload", pk=plan.pk, number=quarter.number)
    try:
        result = updates_import_preview(plan=plan, quarter=quarter, data=content, name=entry["name"])
        if not result.ok:
            raise ValidationError("; ".join(e["message"] for e in result.errors[:3]))
        if result.updates_hash != request.POST.get("updates_hash"):
            raise ValidationError(
                f"{quarter.label} updates have changed since you checked this sheet: upload it again to see "
                "the changes against the current updates."
            )
        updates_import_apply(plan=plan, quarter=quarter, user=request.user, result=result)
    except (ValidationError, WorkbookRefused) as exc:
        messages.error(request, "; ".join(getattr(exc, "messages", [str(exc)])) + " Nothing was saved.")
        return redirect("workbooks:updates_upload", pk=plan.pk, number=quarter.number)
    finally:
        import_preview_delete(token=token)
        pending.pop(token, None)
        request.session[UPDATES_SESSION_KEY] = pending
    n = len(result.updated)
    messages.success(request, f"{quarter.label} update sheet imported: {n} update{'s' if n != 1 else ''} saved.")
    return back
