import io
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import UserFactory
from tests.plans.conftest import complete_content
from vrhub.accounts.models import User
from vrhub.cycle.services import quarterly_update_save, quarters_create
from vrhub.organisations.models import Organisation
from vrhub.plans.services import document_add, plan_action_update

LEAD_NAME = "Sam Patel"
INTERNAL_DOC = "Internal risk register not for publication"
PUBLIC_DOC = "Published knife crime strategy"


@pytest.fixture
def reported_plan(plan, editor):
    """Havering's 2021 plan: complete entries with a named lead, two quarters of updates, two documents.

    Q1: GOV-M1 amber, GOV-M2 green, GOV-M3 red. Q2: GOV-M1 green (changed), GOV-M2 green (same),
    GOV-M4 not started (new); GOV-M3 has no Q2 update.
    """
    for action in plan.actions.all():
        plan_action_update(action=action, user=editor, data=complete_content(lead_name=LEAD_NAME))
    plan_action_update(
        action=plan.actions.get(code="ANE-M1"), user=editor, data=complete_content(lead_name=LEAD_NAME, status="red")
    )
    q1, q2, *_ = quarters_create(template=plan.template)
    actions = {a.code: a for a in plan.actions.filter(code__in=["GOV-M1", "GOV-M2", "GOV-M3", "GOV-M4"])}
    for code, quarter, status in [
        ("GOV-M1", q1, "amber"),
        ("GOV-M2", q1, "green"),
        ("GOV-M3", q1, "red"),
        ("GOV-M1", q2, "green"),
        ("GOV-M2", q2, "green"),
        ("GOV-M4", q2, "not_started"),
    ]:
        quarterly_update_save(action=actions[code], quarter=quarter, user=editor, progress="On track", status=status)
    gov_m1 = actions["GOV-M1"]
    document_add(
        action=gov_m1,
        user=editor,
        title=INTERNAL_DOC,
        file=SimpleUploadedFile("r.pdf", b"%PDF-1.4 test", content_type="application/pdf"),
        internal=True,
    )
    document_add(action=gov_m1, user=editor, title=PUBLIC_DOC, url="https://example.org/strategy.pdf")
    plan.refresh_from_db()
    return plan


@pytest.fixture
def lambeth_editor(london):
    return UserFactory(organisation=Organisation.objects.get(code="E09000022"), role=User.Role.BOROUGH_EDITOR)


@pytest.fixture
def vru_reviewer(london):
    return UserFactory(organisation=london, role=User.Role.VRU_REVIEWER)


def pdf_text(content: bytes, tmp_path: Path) -> str:
    """The PDF's text, as ``pdftotext`` reads it, with whitespace runs collapsed to single spaces."""
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    result = subprocess.run(
        [shutil.which("pdftotext") or "pdftotext", "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        check=True,
        timeout=60,
    )
    return " ".join(result.stdout.decode("utf-8").split())


def first_page_png(content: bytes, tmp_path: Path) -> bytes:
    path = tmp_path / "page.pdf"
    path.write_bytes(content)
    subprocess.run(
        [
            shutil.which("pdftoppm") or "pdftoppm",
            "-png",
            "-r",
            "50",
            "-f",
            "1",
            "-l",
            "1",
            str(path),
            str(tmp_path / "p"),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    (png,) = tmp_path.glob("p*.png")
    return png.read_bytes()


def assert_not_blank_png(png: bytes, *, landscape: bool = False) -> None:
    from PIL import Image

    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    image = Image.open(io.BytesIO(png)).convert("L")
    width, height = image.size
    # A4 at 50 dpi is about 413 x 585 pixels.
    assert (width > height) == landscape
    assert abs(min(width, height) - 413) <= 3 and abs(max(width, height) - 585) <= 3
    histogram = image.histogram()
    dark = sum(histogram[:200])
    assert dark > 0.005 * width * height, "the first page is (nearly) blank"


def docx_text(content: bytes) -> str:
    """Every paragraph, table cell, header and footer of a DOCX, as one string."""
    from docx import Document

    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    for section in document.sections:
        parts.extend(p.text for p in section.header.paragraphs)
        parts.extend(p.text for p in section.footer.paragraphs)
    return " ".join(" ".join(parts).split())
