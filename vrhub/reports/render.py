"""Turn report data (see ``selectors``) into a PDF (WeasyPrint, from Django templates) or a DOCX (python-docx).

Rendering never fetches anything: the templates are self-contained and the URL fetcher refuses every URL,
so user-entered text cannot make the server read a file or call out to the network.
"""

import io

from django.template.loader import render_to_string

KINDS = ("scrutiny", "london")
FORMATS = ("pdf", "docx")
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _no_fetching():
    """A WeasyPrint URL fetcher that refuses every URL (file, http, data...)."""
    from weasyprint import URLFetcher

    class NoFetching(URLFetcher):
        def fetch(self, url, headers=None):
            raise ValueError(f"Reports do not load external resources: {url[:80]}")

    return NoFetching(allowed_protocols=())


def report_filename(*, data: dict, fmt: str) -> str:
    return f"{data['file_stem']}.{fmt}"


def render_html(*, kind: str, data: dict) -> str:
    if kind not in KINDS:
        raise ValueError(f"Unknown report kind {kind!r}")
    return render_to_string(f"reports/{kind}.html", {"data": data, "text": template_text(data)})


def html_to_pdf(html: str) -> bytes:
    """A tagged PDF of self-contained HTML, fetching nothing (shared with other apps' documents)."""
    from weasyprint import HTML

    return HTML(string=html, base_url=None, url_fetcher=_no_fetching()).write_pdf(pdf_tags=True)


def render_pdf(*, kind: str, data: dict) -> bytes:
    return html_to_pdf(render_html(kind=kind, data=data))


# DOCX -------------------------------------------------------------------------------------------

FONT = "Arial"
HEADER_FILL = "E8E8E8"


def _docx_setup(document, *, title: str, synthetic: bool, landscape: bool = False) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt, RGBColor

    styles = document.styles
    normal = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(10)
    for name, size in (("Title", 20), ("Heading 1", 14), ("Heading 2", 12), ("Heading 3", 10.5)):
        style = styles[name]
        style.font.name = FONT
        style.font.size = Pt(size)
        style.font.color.rgb = RGBColor(0, 0, 0)
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Mm(15 if landscape else 20))
    section.top_margin = section.bottom_margin = Mm(18)

    header = section.header.paragraphs[0]
    header.text = title
    header.runs[0].font.size = Pt(8)
    if synthetic:
        run = header.add_run("    Synthetic demo data")
        run.bold = True
        run.font.size = Pt(8)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("Page ")
    _field(footer, "PAGE")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES")
    for run in footer.runs:
        run.font.size = Pt(8)

    props = document.core_properties
    props.title = title
    props.author = "vrhub"
    props.comments = "Synthetic demo data" if synthetic else ""
    props.language = "en-GB"


def _field(paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word and LibreOffice fill in when the document is shown."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def fld_char(kind):
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        return el

    run = paragraph.add_run()
    run._r.append(fld_char("begin"))
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    run = paragraph.add_run()
    run._r.append(fld_char("separate"))
    paragraph.add_run("1")
    run = paragraph.add_run()
    run._r.append(fld_char("end"))


def _shade(cell, fill: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shd)


def _table(document, header: list[str], rows: list[list], *, widths=None, size: float = 9, numeric_from: int = 99):
    """A bordered table whose first row is a header repeated on every page."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    head = table.rows[0]
    tr_pr = head._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    tr_pr.append(repeat)
    for i, text in enumerate(header):
        cell = head.cells[i]
        cell.text = ""
        run = cell.paragraphs[0].add_run(str(text))
        run.bold = True
        run.font.size = Pt(size)
        _shade(cell, HEADER_FILL)
        if i >= numeric_from:
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for values in rows:
        cells = table.add_row().cells
        for i, value in enumerate(values):
            cells[i].text = ""
            run = cells[i].paragraphs[0].add_run("" if value is None else str(value))
            run.font.size = Pt(size)
            if i >= numeric_from:
                cells[i].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if widths:
        table.autofit = False
        for row in table.rows:
            for i, width in enumerate(widths):
                row.cells[i].width = Mm(width)
    document.add_paragraph()
    return table


def _key_values(document, pairs: list[tuple[str, str]], *, widths=(55, 115)):
    from docx.shared import Mm, Pt

    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    table.autofit = False
    for label, value in pairs:
        cells = table.add_row().cells
        cells[0].text = ""
        run = cells[0].paragraphs[0].add_run(label)
        run.bold = True
        run.font.size = Pt(9.5)
        _shade(cells[0], "F3F2F1")
        cells[1].text = ""
        cells[1].paragraphs[0].add_run(value or "–").font.size = Pt(9.5)
        cells[0].width, cells[1].width = Mm(widths[0]), Mm(widths[1])
    document.add_paragraph()
    return table


def _synthetic_notice(document) -> None:
    p = document.add_paragraph()
    run = p.add_run("Synthetic demo data: ")
    run.bold = True
    p.add_run("this report was produced from made-up demonstration content, not from a real borough's plan.")


def _docx_scrutiny(document, data: dict) -> None:
    _docx_setup(document, title=data["title"], synthetic=data["synthetic"])
    area = data["area"]
    document.add_paragraph(f"{area['name']} Community Safety Partnership").runs[0].bold = True
    document.add_heading(f"Violence and Vulnerability Reduction Action Plan {data['year_label']}", level=0)
    document.add_paragraph("Report to the scrutiny committee")
    if data["synthetic"]:
        _synthetic_notice(document)
    _key_values(
        document,
        [
            ("Subject", f"Violence and Vulnerability Reduction Action Plan {data['year_label']}: update"),
            ("Borough", f"{area['name']} ({area['code']})"),
            ("Police BCU", area["bcu"] or "Not recorded"),
            ("Plan template", data["template_title"]),
            ("State of the plan", _plan_state(data)),
            ("Submission deadline", data["deadline"] or "None set"),
            ("Submission", _submission_text(data)),
            ("Report produced", f"{data['generated_on']}, from vrhub"),
        ],
    )

    document.add_heading("1. Summary", level=1)
    for text in _summary_paragraphs(data):
        document.add_paragraph(text)
    document.add_heading("2. Recommendation", level=1)
    document.add_paragraph("That the committee notes the contents of this report and the plan in the appendix.")

    document.add_heading("3. The themes", level=1)
    document.add_paragraph(
        f"The plan has {data['counts']['themes']} themes, each with mandatory actions and a menu of optional actions:"
    )
    for theme in data["themes"]:
        p = document.add_paragraph(style="List Number")
        p.add_run(theme["title"]).bold = True
        if theme["description"]:
            p.add_run(f": {theme['description']}")

    document.add_heading("4. Status of actions by theme", level=1)
    document.add_paragraph(data["status_sentence"])
    rows = [[f"{t['order']}. {t['title']}", t["actions"], t["complete"], *t["status_counts"]] for t in data["themes"]]
    rows.append(["Total", data["counts"]["actions"], data["completeness"]["complete_actions"], *data["status_totals"]])
    _table(document, ["Theme", "Actions", "Entries complete", *data["statuses"]], rows, size=8, numeric_from=1)

    document.add_heading("5. Changes since last quarter", level=1)
    changes = data["changes"]
    for text in _changes_paragraphs(changes):
        document.add_paragraph(text)
    if changes["changed"]:
        document.add_heading("Status changed", level=2)
        _table(
            document,
            ["Action", "Theme", changes["previous"], changes["latest"]],
            [[f"{c['code']} {c['title']}", c["theme"], c["old"], c["new"]] for c in changes["changed"]],
            size=8.5,
        )
    if changes["new"]:
        document.add_heading(_new_heading(changes), level=2)
        _table(
            document,
            ["Action", "Theme", f"Status, {changes['latest']}"],
            [[f"{c['code']} {c['title']}", c["theme"], c["new"]] for c in changes["new"]],
            size=8.5,
        )
    if changes["not_updated"]:
        document.add_heading(_not_updated_heading(changes), level=2)
        _table(
            document,
            ["Action", "Theme", f"Status, {changes['previous']}"],
            [[f"{c['code']} {c['title']}", c["theme"], c["old"]] for c in changes["not_updated"]],
            size=8.5,
        )

    document.add_heading("6. Sign-off", level=1)
    document.add_paragraph(
        "The plan is signed by the Chief Executive, the Leader of the Council or Elected Mayor and the BCU "
        "Commander. Any change to the plan voids the signatures."
    )
    _table(
        document,
        ["Office", "Sign-off", "Date"],
        [[s["office"], s["state"], s["signed_on"] or "–"] for s in data["signatures"]],
    )

    document.add_page_break()
    document.add_heading(f"Appendix 1: {data['title']}", level=1)
    document.add_paragraph(_appendix_intro(data))
    for theme in data["themes"]:
        document.add_heading(f"Theme {theme['order']}: {theme['title']}", level=2)
        if not theme["items"]:
            document.add_paragraph("No actions in this theme.")
        for item in theme["items"]:
            document.add_heading(f"{item['code']} {item['title']}", level=3)
            _key_values(document, _action_pairs(item), widths=(40, 130))


def _docx_london(document, data: dict) -> None:
    from docx.shared import Pt

    _docx_setup(document, title=data["title"], synthetic=data["synthetic"], landscape=True)
    document.add_paragraph(data["vru"]).runs[0].bold = True
    document.add_heading(f"Borough action plans {data['year_label']}: {data['place']} summary", level=0)
    document.add_paragraph(f"For the Partnership Reference Group. Produced {data['generated_on']}, from vrhub.")
    if data["synthetic"]:
        _synthetic_notice(document)
    for text in _london_summary_paragraphs(data):
        document.add_paragraph(text)

    document.add_heading("Every borough", level=1)
    document.add_paragraph(_london_key_text(data))
    header = ["Borough", "State", "Submission", "Complete", *[t["code"] for t in data["themes"]]]
    rows = []
    for r in data["rows"]:
        state = r["state"] + (" (synthetic)" if r["synthetic"] else "")
        complete = f"{r['percent']}% ({r['complete_actions']}/{r['actions']})" if r["has_plan"] else "–"
        rows.append([r["area"], state, r["submission"] or "–", complete, *r["cells"]])
    n_themes = len(data["themes"])
    theme_width = max(18, int(180 / max(n_themes, 1)))
    table = _table(document, header, rows, size=7, widths=[34, 22, 22, 22] + [theme_width] * n_themes)
    for row in table.rows:
        for cell in row.cells:
            for p in cell.paragraphs:
                p.paragraph_format.space_after = Pt(0)

    document.add_heading(f"{data['place']} totals by theme", level=1)
    rows = [[f"{t['code']} {t['title']}", t["actions"], *t["counts"]] for t in data["theme_totals"]]
    rows.append(["All themes", data["total_actions"], *data["status_totals"]])
    _table(document, ["Theme", "Actions", *data["statuses"]], rows, size=8, numeric_from=1)


def render_docx(*, kind: str, data: dict) -> bytes:
    from docx import Document

    if kind not in KINDS:
        raise ValueError(f"Unknown report kind {kind!r}")
    document = Document()
    (_docx_scrutiny if kind == "scrutiny" else _docx_london)(document, data)
    return docx_bytes(document)


def docx_bytes(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# Shared with other apps' documents (the Serious Violence Duty's data pack): page set-up with header, footer
# and document properties; bordered tables whose header row repeats on every page.
docx_setup = _docx_setup
docx_table = _table


def render(*, kind: str, fmt: str, data: dict) -> bytes:
    if fmt == "pdf":
        return render_pdf(kind=kind, data=data)
    if fmt == "docx":
        return render_docx(kind=kind, data=data)
    raise ValueError(f"Unknown report format {fmt!r}")


# Wording shared by the DOCX and (through the template context) the PDF ---------------------------


def _plan_state(data: dict) -> str:
    text = data["state"]
    if data["version"] > 1:
        text += f" (version {data['version']})"
    if not data["is_current"]:
        text += "; a newer version of this plan exists"
    return text


def _submission_text(data: dict) -> str:
    parts = []
    if data["submitted_on"]:
        parts.append(f"First submitted {data['submitted_on']}" + (" (late)" if data["submission"] == "Late" else ""))
    else:
        parts.append(data["submission"] or "Not yet submitted")
    if data["accepted_on"]:
        parts.append(f"accepted by the VRU {data['accepted_on']}")
    return "; ".join(parts)


def _summary_paragraphs(data: dict) -> list[str]:
    c, done = data["counts"], data["completeness"]
    return [
        f"The {data['vru']} (VRU) asks every borough's Community Safety Partnership to produce a Violence and "
        f"Vulnerability Reduction Action Plan each year, from a single template that supports a public health "
        f"approach to violence reduction. Progress is reported every quarter.",
        f"{data['area']['name']}'s {data['year_label']} plan has {c['actions']} actions across {c['themes']} themes: "
        f"{c['mandatory']} mandatory, {c['optional']} optional actions adopted from the VRU's menu and "
        f"{c['local']} local actions. The plan's state is: {_plan_state(data)}.",
        f"{done['complete_actions']} of {done['actions']} action entries ({done['percent']}%) are complete against "
        f"the VRU's explanatory notes"
        + (
            "."
            if done["complete"]
            else f"; {done['problems']} item{'s' if done['problems'] != 1 else ''} still to complete."
        ),
        data["status_sentence"],
    ]


def _changes_paragraphs(changes: dict) -> list[str]:
    if not changes["latest"]:
        return ["No quarterly updates have been reported for this plan yet."]
    if not changes["previous"]:
        return [
            f"{changes['latest']} is the first quarter with updates: {len(changes['new'])} actions reported a status."
        ]
    n = len(changes["changed"])
    return [
        f"Comparing {changes['latest']} with {changes['previous']}: {n} action{'s' if n != 1 else ''} changed "
        f"status, {changes['unchanged']} kept the same status, {len(changes['new'])} reported in "
        f"{changes['latest']} but not in {changes['previous']}, and {len(changes['not_updated'])} reported in "
        f"{changes['previous']} but not in {changes['latest']}."
    ]


def _new_heading(changes: dict) -> str:
    if changes["previous"]:
        return f"Newly reported in {changes['latest']}"
    return f"Reported in {changes['latest']}"


def _not_updated_heading(changes: dict) -> str:
    return f"No update in {changes['latest']}"


def _appendix_intro(data: dict) -> str:
    return (
        "The full plan, theme by theme. Leads are shown by role and agency only; documents marked internal "
        "are not listed."
    )


def _action_pairs(item: dict) -> list[tuple[str, str]]:
    pairs = [
        ("Type", item["source"]),
        ("Status", item["status"]),
        ("Lead (role, agency)", item["lead"]),
        ("Dates", item["dates"]),
        ("Outcome(s)", item["outcome"]),
        ("Baseline", item["baseline"]),
        ("Progress to date", item["progress"]),
    ]
    if item["description"]:
        pairs.insert(1, ("Description", item["description"]))
    if item["comments"]:
        pairs.append(("Comments", item["comments"]))
    if item["documents"]:
        pairs.append(("Supporting documents", "; ".join(item["documents"])))
    return pairs


def _london_summary_paragraphs(data: dict) -> list[str]:
    s = data["summary"]
    states = ", ".join(f"{n} {label.lower()}" for label, n in s["by_state"] if label != "No plan")
    text = [
        f"{s['with_plan']} of the {s['areas']} boroughs have a {data['year_label']} plan"
        + (f" ({states})." if states else "."),
        f"Submission deadline: {data['deadline'] or 'none set'}. {s['late']} submitted late; "
        f"{s['overdue']} not yet submitted after the deadline.",
        f"{s['complete']} plan{'s are' if s['complete'] != 1 else ' is'} complete against the explanatory notes; "
        f"on average {s['average_percent']}% of a plan's action entries are complete.",
    ]
    return text


def _london_key_text(data: dict) -> str:
    themes = "; ".join(f"{t['code']} {t['title']}" for t in data["themes"])
    key = ", ".join(f"{abbr} = {label}" for abbr, label in data["status_key"])
    return f"Themes: {themes}. Each theme column counts the borough's actions by status: {key}."


def template_text(data: dict) -> dict:
    """The shared wording, for the HTML templates."""
    if data["kind"] == "scrutiny":
        changes = data["changes"]
        return {
            "plan_state": _plan_state(data),
            "submission": _submission_text(data),
            "summary": _summary_paragraphs(data),
            "changes": _changes_paragraphs(changes),
            "new_heading": _new_heading(changes),
            "not_updated_heading": _not_updated_heading(changes),
            "appendix_intro": _appendix_intro(data),
        }
    return {"summary": _london_summary_paragraphs(data)}
