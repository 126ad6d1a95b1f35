"""The programmes report (``selectors.reports.Report``) as a PDF (WeasyPrint) or a DOCX (python-docx), with
the reports app's page set-up, tables and no-fetching rule, like the other reports. Both carry the same
tables as the page: each with its unit, source and period, synthetic rows marked."""

from django.template.loader import render_to_string

from vrhub.programmes.selectors.reports import Report
from vrhub.reports import render as report_render

FORMATS = ("pdf", "docx")
CONTENT_TYPES = report_render.CONTENT_TYPES
SYNTHETIC_NOTICE = "Synthetic demo data: rows marked synthetic are made up for demonstration."


def filename(*, report: Report, fmt: str) -> str:
    return f"{report.file_stem}.{fmt}"


def cells(row) -> list[str]:
    """A row's cells as printed: a synthetic row says so in its first cell."""
    first = row.cells[0] + (" (synthetic)" if row.synthetic and "(synthetic)" not in row.cells[0] else "")
    return [first, *row.cells[1:]]


def render_pdf(*, report: Report) -> bytes:
    html = render_to_string("programmes/report_print.html", {"report": report, "notice": SYNTHETIC_NOTICE})
    return report_render.html_to_pdf(html)


def render_docx(*, report: Report) -> bytes:
    from docx import Document

    document = Document()
    report_render.docx_setup(document, title=report.title, synthetic=report.synthetic, landscape=True)
    document.add_heading(report.title, level=0)
    if report.synthetic:
        document.add_paragraph().add_run(SYNTHETIC_NOTICE).bold = True
    document.add_paragraph(f"Produced on {report.generated_on}, from vrhub.")
    for note in report.notes:
        document.add_paragraph(note)
    for number, table in enumerate(report.tables, start=1):
        document.add_heading(f"{number}. {table.title}", level=1)
        document.add_paragraph(f"Unit: {table.unit}. Source: {table.source}. Period: {table.period}.")
        if table.note:
            document.add_paragraph(table.note)
        report_render.docx_table(
            document, table.header, [cells(row) for row in table.rows], size=9, numeric_from=table.numeric_from
        )
    return report_render.docx_bytes(document)


def render(*, fmt: str, report: Report) -> bytes:
    if fmt == "pdf":
        return render_pdf(report=report)
    if fmt == "docx":
        return render_docx(report=report)
    raise ValueError(f"Reports come as .pdf or .docx, not {fmt!r}")
