"""Providers' monitoring returns: a programme's returns and the year's reach, entering one quarter's return,
and the spreadsheet import (template, upload, preview, confirm).

Objects come through ``selectors.access``; every rule about a return's values is in ``services.returns``."""

import io
from decimal import Decimal

import openpyxl
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from openpyxl.styles import Font

from vrhub.core.exceptions import NotFound
from vrhub.core.spreadsheet import neutralise
from vrhub.core.words import count_noun, date_words
from vrhub.programmes.catalogue import YEAR_MAX, YEAR_MIN, AgeBand, year_label, year_of
from vrhub.programmes.forms_returns import ReturnForm, ReturnsUploadForm
from vrhub.programmes.models import MonitoringReturn
from vrhub.programmes.returns_rules import LABELS, quarter_outside, quarter_words
from vrhub.programmes.selectors import access
from vrhub.programmes.selectors.returns import return_version, return_years, year_amount
from vrhub.programmes.services import returns_import
from vrhub.programmes.services.returns import return_save
from vrhub.workbooks.previews import import_preview_delete, import_preview_read, import_preview_store

SESSION_KEY = "programmes_return_imports"
NOT_REPORTED = "Not reported"
AGE_BANDS = AgeBand.choices
MISSING_YEARS_MAX = 10


def money(value: Decimal | None) -> str:
    return NOT_REPORTED if value is None else f"£{value:,.2f}"


def people(value: int | None) -> str:
    return NOT_REPORTED if value is None else f"{value:,}"


def ages(by_age: dict | None) -> list[tuple[str, str]]:
    """The age bands reported, in the catalogue's order, as (label, count)."""
    by_age = by_age or {}
    return [(label, f"{int(by_age[code]):,}") for code, label in AGE_BANDS if code in by_age]


def _checked_quarter(quarter) -> int:
    try:
        value = int(quarter)
    except (TypeError, ValueError) as exc:
        raise NotFound("No such quarter") from exc
    if value not in (1, 2, 3, 4):
        raise NotFound("No such quarter")
    return value


@require_GET
def returns(request, pk: int):
    programme = access.programme_get_for_user(user=request.user, pk=pk)
    years = []
    for found in return_years(programme=programme):
        years.append(
            {
                "year": found.year,
                "label": year_label(found.year),
                "rows": [
                    {
                        "quarter": r.quarter,
                        "direct": people(r.reached_direct),
                        "indirect": people(r.reached_indirect),
                        "ages": ages(r.reached_by_age),
                        "outputs": r.outputs,
                        "spend": money(r.spend_to_date),
                        "over": found.amount is not None
                        and r.spend_to_date is not None
                        and r.spend_to_date > found.amount,
                    }
                    for r in found.returns
                ],
                "direct": people(found.reach.direct),
                "indirect": people(found.reach.indirect),
                "ages": ages(found.reach.by_age),
                "complete": found.reach.complete,
                "returns": found.reach.returns,
                "amount": "No amount set" if found.amount is None else money(found.amount),
                "spend": money(found.spend_to_date),
                "over": found.over_amount,
            }
        )
    can_edit = access.user_can_edit_programme(user=request.user, programme=programme)
    return render(
        request,
        "programmes/return_list.html",
        {
            "programme": programme,
            "years": years,
            "can_edit": can_edit,
            "missing": _missing_quarters(programme) if can_edit else [],
        },
    )


def _missing_quarters(programme) -> list[dict]:
    """The quarters within the programme's dates that have no return yet, for editors to enter."""
    years = set(programme.amounts.values_list("year", flat=True))
    if programme.start_date and programme.end_date:
        years |= set(range(year_of(programme.start_date), year_of(programme.end_date) + 1))
    done = set(programme.returns.values_list("year", "quarter"))
    found = []
    for year in sorted(y for y in years if YEAR_MIN <= y <= YEAR_MAX)[:MISSING_YEARS_MAX]:
        for quarter in (1, 2, 3, 4):
            if (year, quarter) not in done and quarter_outside(programme=programme, year=year, quarter=quarter) is None:
                found.append({"year": year, "quarter": quarter, "label": f"Q{quarter} {year_label(year)}"})
    return found


def _form_errors(form: ReturnForm, exc: ValidationError) -> None:
    if not hasattr(exc, "error_dict"):
        for message in exc.messages:
            form.add_error(None, message)
        return
    for name, errors in exc.message_dict.items():
        target = form.service_field(name)
        for message in errors:
            form.add_error(None if target == "__all__" else target, message)


@require_http_methods(["GET", "POST"])
def return_edit(request, pk: int, year: int, quarter: int):
    programme = access.programme_get_for_user(user=request.user, pk=pk, edit=True)
    year, quarter = access.checked_year(year), _checked_quarter(quarter)
    current = MonitoringReturn.objects.filter(programme=programme, year=year, quarter=quarter).first()
    form = ReturnForm(request.POST or None, monitoring_return=current)
    if request.method == "POST" and form.is_valid():
        try:
            saved = return_save(
                programme=programme,
                user=request.user,
                year=year,
                quarter=quarter,
                data=form.return_data(),
                version=form.cleaned_data["version"],
            )
        except ValidationError as exc:
            _form_errors(form, exc)
            form.data = form.data.copy()
            latest = MonitoringReturn.objects.filter(programme=programme, year=year, quarter=quarter).first()
            form.data["version"] = return_version(monitoring_return=latest)
        else:
            done = "saved" if saved.created else ("updated" if saved.changes else "unchanged: nothing to save")
            messages.success(request, f"Return for Q{quarter} {year_label(year)} {done}.")
            for warning in saved.warnings:
                messages.warning(request, warning)
            return redirect("programmes:returns", pk=programme.pk)
    amount = year_amount(programme=programme, year=year)
    return render(
        request,
        "programmes/return_form.html",
        {
            "programme": programme,
            "form": form,
            "year": year,
            "quarter": quarter,
            "period": quarter_words(year, quarter),
            "year_label": year_label(year),
            "outside": quarter_outside(programme=programme, year=year, quarter=quarter),
            "amount": None if amount is None else money(amount),
            "current": current,
        },
        status=400 if form.errors else 200,
    )


# The spreadsheet import -------------------------------------------------------------------------------------


def _importer(request):
    """Only a borough's or the VRU's editors import returns (for their own programmes)."""
    if not access.programme_owners_for(user=request.user).exists():
        raise PermissionDenied("Only editors of a borough or of the VRU can import monitoring returns.")


def _shown(name: str, value) -> str:
    if name == "spend_to_date":
        return money(value)
    if name in ("reached_direct", "reached_indirect"):
        return people(value)
    if name == "reached_by_age":
        shown = ages(value)
        return "; ".join(f"{label}: {count}" for label, count in shown) if shown else "None given"
    return value if value else "None given"


def _labelled(preview) -> list[dict]:
    if preview is None:
        return []
    rows = []
    for row in preview.rows:
        rows.append(
            {
                "number": row.number,
                "reference": row.programme.reference,
                "title": row.programme.title,
                "period": row.period,
                "action": {"create": "New return", "change": "Changes the return", "unchanged": "No change"}[
                    row.action
                ],
                "changes": [
                    (
                        LABELS.get(name, "age bands").capitalize() if name != "reached_by_age" else "Age bands",
                        _shown(name, old),
                        _shown(name, new),
                    )
                    for name, (old, new) in row.changes.items()
                ]
                if row.action == "change"
                else [],
                "values": [
                    ("Reached directly", people(row.values["reached_direct"])),
                    ("Reached indirectly", people(row.values["reached_indirect"])),
                    ("Age bands", _shown("reached_by_age", row.values["reached_by_age"])),
                    ("Spend to date", money(row.values["spend_to_date"])),
                ],
                "warnings": row.warnings,
                "synthetic": row.programme.synthetic,
            }
        )
    return rows


def _forget(request) -> None:
    for token in request.session.get(SESSION_KEY, {}):
        import_preview_delete(token=token)
    request.session[SESSION_KEY] = {}


def _editable(request):
    return access.programmes_editable_by(user=request.user).order_by("reference")


@require_http_methods(["GET", "POST"])
def returns_import_page(request):
    _importer(request)
    form = ReturnsUploadForm(request.POST, request.FILES) if request.method == "POST" else ReturnsUploadForm()
    preview = None
    token = None
    problems: list[str] = []
    if request.method == "POST" and getattr(request, "upload_too_large", False):
        form.refuse_too_large()
    elif request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        try:
            preview = returns_import.returns_import_preview(user=request.user, filename=upload.name, content=content)
        except returns_import.ImportRefused as exc:
            problems = exc.errors
            form.add_error(
                "file", f"The returns cannot be imported: {count_noun(len(problems), 'problem')} in the file"
            )
        else:
            _forget(request)
            if preview.has_changes:
                token = import_preview_store(data=content)
                request.session[SESSION_KEY] = {token: {"name": upload.name[:200]}}
    return render(
        request,
        "programmes/return_import.html",
        {
            "form": form,
            "preview": preview,
            "rows": _labelled(preview),
            "token": token,
            "problems": problems,
            "columns": [(c, returns_import.COLUMN_HELP[c]) for c in returns_import.COLUMNS],
            "editable": _editable(request),
            "rows_max": f"{returns_import.ROWS_MAX:,}",
        },
        status=400 if form.errors else 200,
    )


@require_POST
def returns_import_confirm(request):
    """Save a previewed import, or (with ``cancel``) discard it; either way the kept file is deleted."""
    _importer(request)
    token = request.POST.get("token", "")
    pending = request.session.get(SESSION_KEY, {})
    entry = pending.get(token) if isinstance(token, str) else None
    content = import_preview_read(token=token) if entry else None
    if entry:
        import_preview_delete(token=token)
        pending.pop(token, None)
        request.session[SESSION_KEY] = pending
    if "cancel" in request.POST:
        messages.success(request, "Import cancelled: nothing was saved and the uploaded file was deleted.")
        return redirect("programmes:returns_import")
    if content is None or entry is None:
        messages.error(
            request, "That upload has expired or was already used, so nothing was saved: upload the file again."
        )
        return redirect("programmes:returns_import")
    try:
        preview = returns_import.returns_import_preview(user=request.user, filename=entry["name"], content=content)
        if preview.fingerprint != request.POST.get("fingerprint"):
            raise ValidationError(
                "The returns of these programmes changed since you checked the file, so nothing was saved: upload "
                "it again to see the changes against the returns as they are now."
            )
        returns_import.returns_import_save(preview=preview, user=request.user)
    except returns_import.ImportRefused as exc:
        messages.error(request, "; ".join(exc.errors) + " Nothing was saved.")
        return redirect("programmes:returns_import")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("programmes:returns_import")
    messages.success(
        request,
        f"Returns imported: {count_noun(len(preview.created), 'new return')}, "
        f"{count_noun(len(preview.changed), 'return')} changed.",
    )
    programmes = preview.programmes
    if len(programmes) == 1:
        return redirect("programmes:returns", pk=programmes[0].pk)
    return redirect("programmes:returns_import")


@require_GET
def returns_template(request):
    """The import's workbook: the Returns sheet (header and an example row), a Guide to the columns, and the
    programmes the person may enter returns for."""
    _importer(request)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Returns"
    sheet.append(list(returns_import.COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.append(
        [
            returns_import.EXAMPLE_REFERENCE,
            "2020/21",
            "Q1",
            40,
            120,
            None,
            15,
            25,
            None,
            None,
            None,
            "12 mentoring sessions a week",
            12000.50,
        ]
    )
    guide = book.create_sheet("Guide")
    guide.append(["Column", "What to enter"])
    for cell in guide[1]:
        cell.font = Font(bold=True)
    for column in returns_import.COLUMNS:
        guide.append([column, returns_import.COLUMN_HELP[column]])
    guide.append([])
    guide.append(
        [
            "Rows",
            f"One row per programme per quarter, up to {returns_import.ROWS_MAX:,} rows. Replace or delete the "
            "example row (reference EXAMPLE). Type values, not formulas.",
        ]
    )
    listed = book.create_sheet("Programmes")
    listed.append(["reference", "title", "start date", "end date", "synthetic"])
    for cell in listed[1]:
        cell.font = Font(bold=True)
    for programme in _editable(request):
        listed.append(
            [
                neutralise(programme.reference),
                neutralise(programme.title),
                date_words(programme.start_date) if programme.start_date else "Not set",
                date_words(programme.end_date) if programme.end_date else "Not set",
                "synthetic" if programme.synthetic else "",
            ]
        )
    for ws, widths in ((sheet, [14] * 13), (guide, [18, 100]), (listed, [14, 60, 18, 18, 10])):
        for index, width in enumerate(widths):
            ws.column_dimensions[openpyxl.utils.get_column_letter(index + 1)].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="monitoring-returns-template.xlsx"'
    return response


urlpatterns = [
    path("programmes/returns/import/", returns_import_page, name="returns_import"),
    path("programmes/returns/import/confirm/", returns_import_confirm, name="returns_import_confirm"),
    path("programmes/returns/template.xlsx", returns_template, name="returns_template"),
    path("programmes/<int:pk>/returns/", returns, name="returns"),
    path("programmes/<int:pk>/returns/<int:year>/<int:quarter>/", return_edit, name="return_edit"),
]
