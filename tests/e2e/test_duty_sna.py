"""The strategic needs assessment in the browser: an editor starts the year's assessment, writes its sections,
cites a workbench figure (checked against the raw parquet), is refused agreement while sections are empty,
then agrees it. Every page passes axe; screenshots in test-results/ to look at."""

import re
from pathlib import Path

import duckdb
import pytest
from django.test import override_settings
from playwright.sync_api import expect

from tests.e2e.pages import Session
from tests.e2e.pages_duty_sna import AssessmentsPage, SectionPage
from vrhub.duty.catalogue import SnaSectionKey
from vrhub.duty.models import Definition, NeedsAssessment, Partnership, SnaFigure
from vrhub.organisations.models import Organisation

pytestmark = pytest.mark.e2e
DATA = Path(__file__).resolve().parents[2] / "data" / "mps"
DASHBOARD = DATA / "monthly-crime-dashboard.parquet"
SHOTS = Path("test-results")


def _knife_offences_havering(first: str, last: str) -> int:
    return int(
        duckdb.sql(
            f"SELECT sum(count) FROM '{DASHBOARD}' WHERE area_type = 'Borough' AND area_code = 'E09000016' "  # noqa: S608
            "AND crime_subtype = 'Knife Crime' AND measure = 'Offences' "
            f"AND strftime(month_year, '%Y-%m') BETWEEN '{first}' AND '{last}'"
        ).fetchall()[0][0]
    )


def _shot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"duty-sna-{name}.png"), full_page=True)


@pytest.fixture
def sna_store(settings, tmp_path):
    from vrhub.evidence.loaders.mps import load_mps

    path = str(tmp_path / "evidence.duckdb")
    with override_settings(EVIDENCE_DUCKDB=path):
        load_mps(paths=[DASHBOARD, DATA / "homicide.parquet"])
    settings.EVIDENCE_DUCKDB = path
    return path


def test_editor_starts_writes_cites_and_agrees(page, e2e_data, sna_store):
    havering = Organisation.objects.get(code="E09000016")
    partnership = Partnership.objects.get(area=havering)  # the demo's (synthetic)
    Definition.objects.update_or_create(
        partnership=partnership, defaults={"offence_types": ["homicide", "weapons", "county_lines"]}
    )
    Session(page).as_user("havering.editor")

    listing = AssessmentsPage(page).open("E09000016")
    expect(page.locator("main")).to_contain_text("Synthetic demo data")
    listing.check_accessibility()
    assessment = listing.start(2025)
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("8 sections to write")
    expect(assessment.written()).to_contain_text("0 of 8")
    assessment.check_accessibility()

    # A second 2025 assessment is refused, naming the year.
    listing = AssessmentsPage(page).open("E09000016")
    listing.start(2025)
    expect(listing.errors()).to_contain_text("Havering already has a 2025 needs assessment")
    listing.check_accessibility()
    found = NeedsAssessment.objects.get(partnership=partnership, year=2025)

    page.goto(f"/duty/E09000016/needs-assessment/{found.pk}/")
    section = assessment.edit_section("problem")
    expect(page.get_by_test_id("uncounted")).to_contain_text("County lines")
    section.check_accessibility()
    section.cite(measure="Knife Crime (offences", area="Havering", period="2025-03:2026-02")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("March 2025 to February 2026")
    expected = _knife_offences_havering("2025-03", "2026-02")
    expect(section.figures().first.get_by_test_id("figure-value")).to_contain_text(f"{expected:,} offences")
    assert SnaFigure.objects.get().value == expected

    # No data: refused with the evidence message, nothing stored.
    section.cite(measure="Knife Crime (offences", area="Havering", period="2019-01:2019-12")
    expect(section.errors()).to_contain_text("There is no Knife Crime")
    section.check_accessibility()
    _shot(page, "section-refused")
    assert SnaFigure.objects.count() == 1
    page.goto(f"/duty/E09000016/needs-assessment/{found.pk}/problem/")
    section = SectionPage(page)
    section.cite(measure="Homicide", area="London (for comparison)")
    expect(section.figures()).to_have_count(2)
    _shot(page, "section")

    assessment = section.write("Knife crime is concentrated in Romford town centre on Friday nights.").save()
    # Agreeing with empty sections is refused, naming them.
    assessment.agree()
    expect(assessment.error()).to_contain_text("7 sections are empty")
    assessment.check_accessibility()
    for key in SnaSectionKey:
        if key == SnaSectionKey.PROBLEM:
            continue
        assessment.edit_section(key.value).write(f"{key.label}: written for the test.").save()
    expect(assessment.written()).to_contain_text("8 of 8")
    assessment.agree()
    expect(assessment.state()).to_contain_text("Agreed")
    assessment.check_accessibility()
    _shot(page, "assessment-agreed")
    found.refresh_from_db()
    assert found.state == "agreed" and found.agreed_on is not None
    listing = AssessmentsPage(page).open("E09000016")
    expect(page.get_by_role("row", name=re.compile("assessment 2025"))).to_contain_text("Agreed")
    _shot(page, "assessments")
