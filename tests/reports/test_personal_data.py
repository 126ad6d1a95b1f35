"""Reports go to public committees: no lead names, no e-mail addresses, no internal documents."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.reports.conftest import docx_text, pdf_text
from vrhub.demo.seed import SYNTHETIC_LEADS
from vrhub.organisations.models import Organisation
from vrhub.plans.models import Plan, PlanAction, SupportingDocument
from vrhub.reports.render import render_docx, render_pdf
from vrhub.reports.selectors import london_summary_data, scrutiny_report_data

pytestmark = pytest.mark.django_db

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")


def test_demo_lead_names_never_reach_a_report(demo, tmp_path):
    plan = Plan.objects.get(area__code="E09000016", template__year=2021, is_current=True)
    leads = set(PlanAction.objects.filter(plan=plan).exclude(lead_name="").values_list("lead_name", flat=True))
    assert leads and leads <= set(SYNTHETIC_LEADS)  # the demo plan does name its leads
    action = plan.actions.exclude(lead_name="").first()
    action.lead_role = "Head of Community Safety"
    action.lead_agency = "Council"
    action.save()
    SupportingDocument.objects.create(
        action=action,
        title="Confidential partnership risk register",
        file=SimpleUploadedFile("risk.pdf", b"%PDF-1.4 test"),
        internal=True,
    )

    data = scrutiny_report_data(plan=plan)
    pdf = pdf_text(render_pdf(kind="scrutiny", data=data), tmp_path)
    docx = docx_text(render_docx(kind="scrutiny", data=data))
    for text in (pdf, docx):
        assert "Havering" in text and "Head of Community Safety, Council" in text
        assert "Synthetic demo data" in text
        for name in SYNTHETIC_LEADS:
            assert name not in text
        assert not EMAIL.search(text)
        assert "Confidential partnership risk register" not in text

    london = london_summary_data(vru=Organisation.objects.get(code="VRU-LDN"), year=2021)
    pdf = pdf_text(render_pdf(kind="london", data=london), tmp_path)
    docx = docx_text(render_docx(kind="london", data=london))
    for text in (pdf, docx):
        assert "Synthetic demo data" in text
        assert not any(name in text for name in SYNTHETIC_LEADS)
        assert not EMAIL.search(text)


def test_real_plans_are_not_labelled_synthetic(plan, tmp_path):
    data = scrutiny_report_data(plan=plan)
    assert "Synthetic" not in pdf_text(render_pdf(kind="scrutiny", data=data), tmp_path)
    assert "Synthetic" not in docx_text(render_docx(kind="scrutiny", data=data))


def test_user_text_cannot_fetch_resources(plan, editor, tmp_path):
    """Entered text is escaped, and the renderer refuses every URL, so no file or network is read."""
    from tests.plans.conftest import complete_content
    from vrhub.plans.services import plan_action_update

    payload = '<img src="file:///etc/passwd"><link rel="stylesheet" href="http://example.invalid/x.css">'
    plan_action_update(action=plan.actions.get(code="GOV-M1"), user=editor, data=complete_content(progress=payload))
    text = pdf_text(render_pdf(kind="scrutiny", data=scrutiny_report_data(plan=plan)), tmp_path)
    assert '<img src="file:///etc/passwd">' in text
    assert "root:" not in text


def test_the_renderer_fetches_nothing(plan, tmp_path, monkeypatch):
    """Even markup that asks for a local file or a web page gets nothing: the fetcher refuses every URL."""
    import shutil
    import subprocess

    from PIL import Image

    from vrhub.reports import render

    image = tmp_path / "secret.png"
    Image.new("RGB", (40, 40), "red").save(image)
    html = f'<p>Report</p><img src="{image.as_uri()}"><img src="http://127.0.0.1:9/x.png">'
    monkeypatch.setattr(render, "render_html", lambda **kwargs: html)
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(render.render_pdf(kind="scrutiny", data={}))
    listing = subprocess.run(
        [shutil.which("pdfimages") or "pdfimages", "-list", str(pdf)], capture_output=True, check=True, text=True
    ).stdout
    assert len(listing.strip().splitlines()) == 2  # the header lines only: no image was embedded
