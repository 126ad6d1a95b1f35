import io
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.reports.conftest import LEAD_NAME, assert_not_blank_png, docx_text, first_page_png, pdf_text
from vrhub.reports import render

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("report", *args, stdout=out)
    return out.getvalue()


def test_scrutiny_pdf(reported_plan, tmp_path):
    out = tmp_path / "havering.pdf"
    message = run("--kind", "scrutiny", "--area", "E09000016", "--year", "2021", "--format", "pdf", "--out", str(out))
    assert str(out) in message
    content = out.read_bytes()
    assert content.startswith(b"%PDF-")
    text = pdf_text(content, tmp_path)
    assert "Havering Community Safety Partnership" in text
    assert "Violence and Vulnerability Reduction Action Plan 2021/22" in text
    assert "Report to the scrutiny committee" in text
    for title in ["Governance", "Analysis and Enforcement", "Positive Diversion from Violence"]:
        assert title in text
    n = reported_plan.actions.count()
    assert f"Status of the {n} actions: 1 Red, {n - 1} Green." in text
    assert "Changes since last quarter" in text
    assert "Comparing Q2 2021/22 with Q1 2021/22: 1 action changed status" in text
    assert "GOV-M1" in text and "Newly reported in Q2 2021/22" in text and "No update in Q2 2021/22" in text
    assert "Appendix 1" in text and "Community Safety Manager, Council" in text
    assert "Page 1 of" in text
    assert LEAD_NAME not in text
    assert_not_blank_png(first_page_png(content, tmp_path))


def test_scrutiny_docx(reported_plan, tmp_path):
    from docx import Document

    out = tmp_path / "havering.docx"
    run("--kind", "scrutiny", "--area", "E09000016", "--year", "2021", "--format", "docx", "--out", str(out))
    content = out.read_bytes()
    document = Document(io.BytesIO(content))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "4. Status of actions by theme" in headings
    assert "5. Changes since last quarter" in headings
    assert any(h.startswith("Appendix 1: Havering") for h in headings)
    status_table = next(t for t in document.tables if t.rows[0].cells[0].text == "Theme")
    header = [c.text for c in status_table.rows[0].cells]
    assert header[:3] == ["Theme", "Actions", "Entries complete"] and "Not being undertaken" in header
    assert status_table.rows[0]._tr.trPr is not None  # the header row repeats on each page
    assert status_table.rows[-1].cells[0].text == "Total"
    text = docx_text(content)
    assert "Status of the" in text and "GOV-M1" in text and "Amber" in text
    assert LEAD_NAME not in text
    assert document.core_properties.title == "Havering Violence and Vulnerability Reduction Action Plan 2021/22"


def test_london_pdf(reported_plan, tmp_path):
    out = tmp_path / "london.pdf"
    run("--kind", "london", "--year", "2021", "--format", "pdf", "--out", str(out))
    content = out.read_bytes()
    text = pdf_text(content, tmp_path)
    assert "London Violence Reduction Unit" in text
    assert "Borough action plans 2021/22: London summary" in text
    for expected in ["Havering", "Barking and Dagenham", "Westminster", "No plan", "GOV", "DIV", "100%"]:
        assert expected in text
    assert "R Red" in text and "U No status yet" in text  # the key to the status abbreviations
    assert "London totals by theme" in text
    assert_not_blank_png(first_page_png(content, tmp_path), landscape=True)


def test_london_docx(reported_plan, tmp_path):
    from docx import Document
    from docx.enum.section import WD_ORIENT

    out = tmp_path / "london.docx"
    run("--kind", "london", "--year", "2021", "--format", "docx", "--out", str(out), "--vru", "VRU-LDN")
    document = Document(io.BytesIO(out.read_bytes()))
    assert document.sections[0].orientation == WD_ORIENT.LANDSCAPE
    table = document.tables[0]
    header = [c.text for c in table.rows[0].cells]
    assert header == ["Borough", "State", "Submission", "Complete", "GOV", "ANE", "WPN", "SYP", "COM", "VIC", "DIV"]
    assert len(table.rows) == 33
    havering = next(r for r in table.rows if r.cells[0].text == "Havering")
    assert havering.cells[1].text == "Draft" and havering.cells[3].text.startswith("100%")


def test_format_defaults_to_the_file_extension(plan, tmp_path):
    out = tmp_path / "report.docx"
    run("--kind", "scrutiny", "--area", "e09000016", "--year", "2021", "--out", str(out))
    assert out.read_bytes()[:2] == b"PK"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--kind", "annual", "--area", "E09000016"], "Unknown kind 'annual'"),
        (["--kind", "scrutiny", "--area", "E09999999"], "Unknown area 'E09999999'"),
        (["--kind", "scrutiny", "--area", "E09000016", "--year", "2019"], "has no 2019 plan"),
        (["--kind", "london", "--year", "2019"], "has no 2019 template"),
        (["--kind", "london", "--year", "twenty"], "Unknown year 'twenty'"),
        (["--kind", "london", "--format", "odt"], "Unknown format 'odt'"),
        (["--kind", "scrutiny"], "needs --area"),
        (["--kind", "london", "--vru", "VRU-XYZ"], "Unknown VRU 'VRU-XYZ'"),
        (["--kind", "london", "--out", "/no/such/dir/report.pdf"], "does not exist"),
    ],
)
def test_bad_input_is_a_one_line_command_error(plan, tmp_path, args, message):
    defaults = {"--year": "2021", "--out": str(tmp_path / "r.pdf")}
    for flag, value in defaults.items():
        if flag not in args:
            args = [*args, flag, value]
    with pytest.raises(CommandError, match=message) as excinfo:
        run(*args)
    assert "\n" not in str(excinfo.value)
    assert list(tmp_path.iterdir()) == []


def test_failure_while_rendering_leaves_nothing_partial(plan, tmp_path, monkeypatch):
    out = tmp_path / "r.pdf"
    out.write_bytes(b"previous report")

    def broken(**kwargs):
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr(render, "render", broken)
    with pytest.raises(RuntimeError):
        run("--kind", "scrutiny", "--area", "E09000016", "--year", "2021", "--out", str(out))
    assert out.read_bytes() == b"previous report"
    assert [p.name for p in tmp_path.iterdir()] == ["r.pdf"]


def test_failure_while_writing_removes_the_temporary_file(plan, tmp_path, monkeypatch):
    import os

    out = tmp_path / "r.pdf"

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        run("--kind", "scrutiny", "--area", "E09000016", "--year", "2021", "--out", str(out))
    assert list(tmp_path.iterdir()) == []
