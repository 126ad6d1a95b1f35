"""The programmes report of the person's VRU for one financial year: the page, and the same report as a PDF
and a DOCX. Thin: the figures come from ``selectors.reports`` (what the person may see), the documents from
``report_documents``."""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET

from vrhub.programmes import report_documents
from vrhub.programmes.catalogue import year_label, year_of
from vrhub.programmes.selectors import access
from vrhub.programmes.selectors.reports import programme_report, report_years


@require_GET
def reports(request):
    years = report_years(user=request.user)
    if "year" in request.GET:
        year = access.checked_year(request.GET["year"])
    else:
        year = years[0] if years else year_of(timezone.localdate())
    report = programme_report(user=request.user, year=year)
    return render(
        request,
        "programmes/report.html",
        {"report": report, "years": [(y, year_label(y)) for y in sorted({*years, year}, reverse=True)]},
    )


def _document(request, year: int, fmt: str) -> HttpResponse:
    report = programme_report(user=request.user, year=access.checked_year(year))
    response = HttpResponse(
        report_documents.render(fmt=fmt, report=report), content_type=report_documents.CONTENT_TYPES[fmt]
    )
    response["Content-Disposition"] = f'attachment; filename="{report_documents.filename(report=report, fmt=fmt)}"'
    return response


@require_GET
def report_pdf(request, year: int):
    return _document(request, year, "pdf")


@require_GET
def report_docx(request, year: int):
    return _document(request, year, "docx")


urlpatterns = [
    path("programmes/reports/", reports, name="reports"),
    path("programmes/reports/<int:year>.pdf", report_pdf, name="report_pdf"),
    path("programmes/reports/<int:year>.docx", report_docx, name="report_docx"),
]
