"""The logic model and the programmes report in the browser: a VRU officer sees an objective's programmes and
spend in the diagram and in its text alternative, adds a measure, opens the 2020/21 report and downloads its
PDF; a Havering viewer sees the model with only the programmes open to Havering. Axe on every page;
screenshots in VRHUB_SCREENSHOTS.

The test makes its own objectives (numbered from 91, so they cannot collide with a demo model) and programmes
(references starting E2ELOGIC-)."""

import os
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.pages import Session
from tests.e2e.pages_programmes_logic import LogicModelPage, ReportPage
from tests.programmes import factories as f
from vrhub.organisations.models import Organisation
from vrhub.programmes.catalogue import LogicLevel
from vrhub.programmes.models import LogicLink

pytestmark = pytest.mark.e2e
SCREENSHOTS = Path(os.environ.get("VRHUB_SCREENSHOTS", "/tmp/vrhub-screenshots"))
FAMILIES = "E2E supporting stronger families"
SCHOOLS = "E2E prioritising wellbeing in schools"


@pytest.fixture
def logic_world(e2e_data):
    london = Organisation.objects.get(code="VRU-LDN")
    havering = Organisation.objects.get(code="E09000016")
    lambeth = Organisation.objects.get(code="E09000022")
    aim = f.LogicNodeFactory(vru=london, level=LogicLevel.AIM, number=91, title="E2E Londoners feel safer", horizon="")
    outcome = f.LogicNodeFactory(
        vru=london, level=LogicLevel.OUTCOME, number=91, title="E2E young people have skills", horizon="5 years"
    )
    families = f.LogicNodeFactory(vru=london, level=LogicLevel.OBJECTIVE, number=91, title=FAMILIES)
    schools = f.LogicNodeFactory(
        vru=london, level=LogicLevel.OBJECTIVE, number=92, title=SCHOOLS, measures="Exclusions"
    )
    for source, target in ((outcome, aim), (families, outcome), (schools, outcome)):
        LogicLink.objects.create(source=source, target=target)
    made = {}
    for ref, owner, areas, all_areas, objectives, amount in (
        ("E2ELOGIC-1", london, [], True, [families, schools], "250000.00"),
        ("E2ELOGIC-2", london, [lambeth], False, [families], "120000.00"),
        ("E2ELOGIC-3", havering, [havering], False, [schools], "40000.50"),
    ):
        programme = f.ProgrammeFactory(
            owner=owner, reference=ref, title=f"Mentoring {ref}", all_areas=all_areas, synthetic=True
        )
        programme.areas.set(areas)
        programme.objectives.set(objectives)
        f.ProgrammeAmountFactory(programme=programme, year=2020, amount=Decimal(amount))
        f.MonitoringReturnFactory(programme=programme, year=2020, quarter=1, reached_direct=100)
        made[ref] = programme
    return made


def test_vru_officer_reads_the_model_adds_a_measure_and_downloads_the_report(page, logic_world, tmp_path):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    Session(page).as_user("vru.admin")
    model = LogicModelPage(page).open(2020)
    model.check_accessibility()
    # Objective 91: E2ELOGIC-1 (£250,000) and E2ELOGIC-2 (£120,000), in the diagram and in the text.
    diagram = model.diagram_text()
    assert "Objective 91: E2E supporting stronger families" in diagram
    assert "2 programmes, £370,000 in 2020/21" in diagram
    assert "E2ELOGIC-2" in diagram
    assert model.objective_count(FAMILIES) == 2
    assert model.objective_spend(FAMILIES) == "£370,000"
    text = model.objective_programmes(FAMILIES)
    assert "E2ELOGIC-1 Mentoring E2ELOGIC-1: £250,000" in text
    assert "E2ELOGIC-2 Mentoring E2ELOGIC-2: £120,000" in text
    page.screenshot(path=str(SCREENSHOTS / "programmes-logic-model.png"), full_page=True)

    form = model.change_objective("Objective 91")
    form.check_accessibility()
    form.add_measure("Repeat referrals to children's services")
    model = form.save()
    expect(page.get_by_text("Objective 91 saved.")).to_be_visible()
    assert model.objective_measures(FAMILIES) == ["Repeat referrals to children's services"]
    assert "Measures: Repeat referrals to children's services" in model.diagram_text()
    model.check_accessibility()

    report = ReportPage(page).open(2020)
    report.check_accessibility()
    assert report.row("by_objective", FAMILIES) == ["2", "£370,000"]
    page.screenshot(path=str(SCREENSHOTS / "programmes-report.png"), full_page=True)
    download = report.download_pdf()
    assert download.suggested_filename == "programmes-report-vru-ldn-2020.pdf"
    path = tmp_path / "report.pdf"
    download.save_as(path)
    text = subprocess.run(
        [shutil.which("pdftotext") or "pdftotext", "-layout", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "Funded programmes report 2020/21" in text.stdout
    assert "E2ELOGIC-1 Mentoring E2ELOGIC-1 (synthetic)" in text.stdout


def test_havering_viewer_sees_only_its_visible_programmes(page, logic_world):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    Session(page).as_user("havering.viewer")
    model = LogicModelPage(page).open(2020)
    model.check_accessibility()
    expect(page.get_by_test_id("visible-note")).to_contain_text("only the programmes you can see")
    # Havering sees the London-wide E2ELOGIC-1 and its own E2ELOGIC-3, not the VRU's Lambeth-only E2ELOGIC-2.
    assert model.objective_count(FAMILIES) == 1
    assert model.objective_spend(FAMILIES) == "£250,000"
    assert model.objective_count(SCHOOLS) == 2
    assert model.objective_spend(SCHOOLS) == "£290,000.50"
    assert "E2ELOGIC-2" not in model.diagram_text()
    assert "E2ELOGIC-2" not in page.content()
    assert page.get_by_role("link", name="Change Objective 91").count() == 0
    page.screenshot(path=str(SCREENSHOTS / "programmes-logic-model-havering.png"), full_page=True)
