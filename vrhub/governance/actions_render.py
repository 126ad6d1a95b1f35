"""The actions arising report (``selectors.actions.Report``) as a PDF (WeasyPrint) or a DOCX (python-docx), in
the layout of the Partnership Reference Group's paper "Actions Arising from Previous Meetings" (seed 003):
the owner and group's names, the date of the meeting and the title of the report, an executive summary and
the recommendation, then per earlier meeting a numbered heading "Actions Arising from the Meeting of 6 March
2019" and a table Agenda Item | Action | Deadline | Status | Owner.

Both formats come from one outline (``outline``) and use the reports app's page set-up, tables and
no-fetching rule. An overdue action's deadline says so in words ("31 March 2019 (overdue)"); a group's
synthetic demo records are labelled synthetic in the header and at the top of the document.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

from vrhub.core.words import count_noun, date_words
from vrhub.governance.selectors.actions import Report
from vrhub.reports import render as report_render

FORMATS = ("pdf", "docx")
CONTENT_TYPES = report_render.CONTENT_TYPES
HEADER = ["Agenda Item", "Action", "Deadline", "Status", "Owner"]
SYNTHETIC_NOTICE = "Synthetic demo data: these records are made up for demonstration, not a real group's."
# Column widths (mm) on a landscape A4 page, in the proportions of the seed's table.
WIDTHS = (50, 90, 30, 70, 27)


def filename(*, report: Report, fmt: str) -> str:
    return f"{report.file_stem}.{fmt}"


def deadline_cell(row) -> str:
    return f"{row.deadline_words} (overdue)" if row.overdue else row.deadline_words


def table_rows(report: Report) -> list[list[list[str]]]:
    """Each section's rows as the table cells, in HEADER order."""
    return [
        [[r.item, r.action, deadline_cell(r), r.status_and_update, r.owner] for r in section.rows]
        for section in report.sections
    ]


def outline(report: Report) -> dict[str, Any]:
    if report.meeting is not None:
        date_line = ("Date of meeting", date_words(report.meeting.date))
        summary = "This report updates the group on actions arising from its previous meetings."
        recommendation = "The group is asked to note the update on actions arising from previous meetings."
    else:
        date_line = ("Open actions as at", date_words(report.as_at))
        summary = "This report lists the group's actions that are still ongoing, by the meeting they arose from."
        recommendation = "The group is asked to note its open actions."
    n = len(report.rows)
    if n == 0:
        summary += " There are no actions to report."
    else:
        summary += f" It reports {count_noun(n, 'action')}"
        summary += f", {report.overdue} of them overdue." if report.overdue else ", none overdue."
    sections = [
        {"number": i, "heading": s.heading, "rows": rows}
        for i, (s, rows) in enumerate(zip(report.sections, table_rows(report), strict=True), start=3)
    ]
    return {
        "organisation": report.group.owner.name,
        "group": report.group.name,
        "date_line": date_line,
        "title": report.title,
        "summary": summary,
        "recommendation": recommendation,
        "sections": sections,
        "header": HEADER,
        "synthetic": report.synthetic,
        "notice": SYNTHETIC_NOTICE,
    }


def render_pdf(*, report: Report) -> bytes:
    html = render_to_string("governance/actions/report_print.html", {"doc": outline(report)})
    return report_render.html_to_pdf(html)


def render_docx(*, report: Report) -> bytes:
    from docx import Document

    doc = outline(report)
    document = Document()
    report_render.docx_setup(
        document, title=f"{doc['group']}: {doc['title']}", synthetic=doc["synthetic"], landscape=True
    )
    document.add_paragraph().add_run(doc["organisation"].upper()).bold = True
    document.add_heading(doc["group"], level=0)
    if doc["synthetic"]:
        document.add_paragraph().add_run(doc["notice"]).bold = True
    for label, value in (doc["date_line"], ("Title of report", doc["title"])):
        p = document.add_paragraph(f"{label}: ")
        p.add_run(value).bold = True
    document.add_heading("1 Executive Summary", level=1)
    document.add_paragraph(f"1.1 {doc['summary']}")
    document.add_heading("2 Recommendation", level=1)
    document.add_paragraph(f"2.1 {doc['recommendation']}")
    for section in doc["sections"]:
        document.add_heading(f"{section['number']} {section['heading']}", level=1)
        report_render.docx_table(document, doc["header"], section["rows"], widths=WIDTHS, size=9)
    return report_render.docx_bytes(document)


def render(*, fmt: str, report: Report) -> bytes:
    if fmt == "pdf":
        return render_pdf(report=report)
    if fmt == "docx":
        return render_docx(report=report)
    raise ValueError(f"Unknown format {fmt!r}: pdf or docx")
