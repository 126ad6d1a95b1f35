"""The needs assessment data pack in the browser: a Havering editor starts the job from the data pack page,
the job page offers the PDF and the Word file, each downloads and reads back; another borough cannot; axe."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.duty.factories import without_demo_records
from tests.e2e.pages import LoginPage
from tests.e2e.pages_duty_datapack import DataPackPage, JobPage
from tests.reports.conftest import pdf_text

pytestmark = pytest.mark.e2e
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
DASHBOARD = Path(__file__).resolve().parents[2] / "data" / "mps" / "monthly-crime-dashboard.parquet"


@pytest.fixture
def evidence(settings, tmp_path, e2e_data):
    without_demo_records("E09000016")  # no local definition: the pack uses the guidance's defaults
    settings.EVIDENCE_DUCKDB = str(tmp_path / "evidence.duckdb")
    out = tmp_path / "istv-synthetic.csv"
    call_command("generate_istv", "--out", str(out), "--months", "24", "--start", "2024-01", "--seed", "1")
    call_command("load_istv", str(out), "--vru", "VRU-LDN", "--quiet")
    call_command("load_mps", str(DASHBOARD), "--quiet")
    return out


def test_editor_generates_and_downloads_the_data_pack(page, evidence, tmp_path):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    LoginPage(page).open().sign_in("havering.editor")
    pack_page = DataPackPage(page).open("E09000016")
    expect(page.locator("h1")).to_have_text("Needs assessment data pack")
    expect(pack_page.scope()).to_contain_text("guidance's defaults")
    pack_page.check_accessibility()
    page.screenshot(path=str(SCREENSHOTS / "duty-datapack-page.png"), full_page=True)

    job = pack_page.generate("PDF").expect_ready()
    assert "SYNTHETIC" in job.summary()
    job.check_accessibility()
    page.screenshot(path=str(SCREENSHOTS / "duty-datapack-job.png"), full_page=True)
    pdf = job.download()
    path = tmp_path / pdf.suggested_filename
    pdf.save_as(path)
    assert path.name.startswith("sna-data-pack-E09000016-") and path.suffix == ".pdf"
    text = pdf_text(path.read_bytes(), tmp_path)
    assert "Serious violence needs assessment data pack: Havering" in text
    assert "Metropolitan Police monthly crime dashboard (London Datastore)" in text

    DataPackPage(page).open("E09000016").generate("Word").expect_ready()
    word = JobPage(page).download()
    assert word.suggested_filename.endswith(".docx")
    from docx import Document

    document = Document(io.BytesIO(Path(word.path()).read_bytes()))
    assert document.paragraphs[0].text == "Serious violence needs assessment data pack: Havering"


def test_another_borough_cannot_open_havering_data_pack(page, evidence):
    LoginPage(page).open().sign_in("havering.editor")
    response = page.goto("/duty/E09000022/needs-assessment/data-pack/")
    assert response is not None and response.status == 404
