"""The evidence workbench in the browser: load real open data, see a trend and the need map."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.e2e.axe import assert_no_axe_violations
from tests.e2e.pages import EvidenceProfilePage, EvidenceTrendPage, LoginPage, NeedPage

pytestmark = pytest.mark.e2e
DATA = Path(__file__).resolve().parents[2] / "data"
SCREENSHOTS = "/tmp"


@pytest.fixture
def evidence(settings, tmp_path, e2e_data):
    settings.EVIDENCE_DUCKDB = str(tmp_path / "evidence.duckdb")
    call_command(
        "load_boundaries",
        str(DATA / "boundaries" / "london-wards-2025.geojson"),
        str(DATA / "boundaries" / "london-lsoa21" / "E09000016.geojson"),
        "--quiet",
    )
    call_command("load_imd", str(DATA / "imd" / "imd2025_england_lsoa21.csv"), "--quiet")
    call_command("load_police_uk", str(DATA / "police-uk"), "--quiet")


def test_analyst_sees_trends_and_the_need_map(page, evidence):
    LoginPage(page).open().sign_in("havering.editor")
    with page.expect_navigation():
        page.get_by_role("link", name="Evidence").first.click()
    assert_no_axe_violations(page)
    page.goto("/evidence/need/?within=E09000016&level=lsoa")
    expect(page.locator("table").first).to_contain_text("Havering")
    expect(page.locator(".leaflet-container")).to_be_visible()
    assert_no_axe_violations(page)
    page.goto("/evidence/trends/?area=E23000001")
    expect(page.locator("main")).to_be_visible()
    assert_no_axe_violations(page)


@pytest.fixture
def london_need(settings, tmp_path, e2e_data):
    """London's boroughs: MPS borough and dashboard files, LSOA boundaries, Census 2021 population, synthetic ISTV."""
    settings.EVIDENCE_DUCKDB = str(tmp_path / "evidence.duckdb")
    call_command(
        "load_boundaries",
        str(DATA / "boundaries" / "london-wards-2025.geojson"),
        str(DATA / "boundaries" / "london-lsoa21"),
        str(DATA / "boundaries" / "local-authority-districts-2024-uk.topojson"),
        "--quiet",
    )
    call_command(
        "load_mps",
        str(DATA / "mps" / "recorded-crime-borough.parquet"),
        str(DATA / "mps" / "monthly-crime-dashboard.parquet"),
        "--quiet",
    )
    call_command("load_population", str(DATA / "population"), "--quiet")
    istv = tmp_path / "istv.csv"
    call_command("generate_istv", "--out", str(istv), "--months", "24", "--seed", "1", stdout=StringIO())
    call_command("load_istv", str(istv), "--vru", "VRU-LDN", "--quiet", stdout=StringIO())


def test_need_ranks_rates_and_says_what_has_no_data(page, london_need):
    LoginPage(page).open().sign_in("havering.editor")
    need = NeedPage(page).open(within="E12000007", level="borough")
    expect(need.labels()).to_contain_text(
        "Violence against the person: offences per 1,000 residents per year, Mar 2025 – Feb 2026, MPS"
    )
    # The City of London: no data for the MPS indicators (not 0), not ranked; the reasons are listed.
    expect(need.row("E09000001")).to_contain_text("No data")
    expect(need.row("E09000001").locator("td").first).to_have_text("–")
    expect(page.get_by_test_id("left-out-violence")).to_contain_text("City of London")
    expect(need.row("E09000033")).to_contain_text("poor denominator")
    expect(page.get_by_test_id("synthetic-note")).to_contain_text("synthetic")
    expect(need.map()).to_be_visible()
    expect(page.locator(".leaflet-interactive").first).to_be_visible()
    need.check_accessibility()
    page.screenshot(path="/tmp/vrhub-need-london-boroughs.png", full_page=True)
    need.rank_as("Counts")
    expect(need.labels()).to_contain_text("offences (count)")
    expect(need.row("E09000033")).not_to_contain_text("poor denominator")
    need.check_accessibility()
    need.open(within="E12000007", level="ward")
    expect(page.get_by_test_id("ranking-pages")).to_contain_text("Rows 1 to 200 of")
    page.get_by_role("link", name="Next page").click()
    expect(page.get_by_test_id("ranking-pages")).to_contain_text("Rows 201 to 400 of")
    expect(need.map()).to_be_visible()
    need.check_accessibility()
    page.screenshot(path="/tmp/vrhub-need-london-wards.png", full_page=False)


def test_admin_loads_a_file_and_sees_its_progress(page, settings, tmp_path, e2e_data):
    settings.EVIDENCE_DUCKDB = str(tmp_path / "evidence.duckdb")
    LoginPage(page).open().sign_in("vru.admin")
    page.goto("/evidence/load/")
    assert_no_axe_violations(page)
    page.get_by_label("data.police.uk street-level crime (CSV)").check()
    page.get_by_label("File").set_input_files(
        str(DATA / "police-uk" / "city-of-london-2023" / "2023-01-city-of-london-street.csv")
    )
    page.get_by_role("button", name="Load file").click()
    expect(page.locator("h1")).to_have_text("Evidence load")
    expect(page.locator("[data-job=state]")).to_have_text("Finished")
    expect(page.locator("[data-job=summary]")).to_contain_text("2023-01-city-of-london-street.csv:")
    expect(page.locator("[data-job=facts]")).to_contain_text("Loaded")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Go to the evidence workbench").click()
    expect(page.locator("main")).to_contain_text("police")


def test_editor_cites_a_headline_figure_in_a_baseline(page, settings, tmp_path, e2e_data):
    from vrhub.plans.models import Plan

    settings.EVIDENCE_DUCKDB = str(tmp_path / "evidence.duckdb")
    call_command("load_mps", str(DATA / "mps" / "recorded-crime-borough.parquet"), "--quiet")
    plan = Plan.objects.get(area__code="E09000016", template__year=2021)
    LoginPage(page).open().sign_in("havering.editor")
    page.goto(f"/plans/{plan.pk}/")
    expect(page.get_by_test_id("profile-table")).to_be_visible()
    expect(page.get_by_test_id("headline-homicide")).to_contain_text("offences")
    expect(page.get_by_test_id("headline-ae")).to_contain_text("No data")
    page.get_by_test_id("profile-table").screenshot(path=f"{SCREENSHOTS}/vrhub-plan-profile-panel.png")
    assert_no_axe_violations(page)
    page.get_by_test_id("profile-table").get_by_role("link").first.click()
    expect(page.get_by_test_id("figure")).to_contain_text("offences")
    page.screenshot(path=f"{SCREENSHOTS}/vrhub-cite.png", full_page=True)
    assert_no_axe_violations(page)
    action = plan.actions.get(code="ANE-M1")
    page.get_by_label("Which action's baseline?").select_option(value=str(action.pk))
    page.get_by_role("button", name="Cite in the baseline").click()
    expect(page.get_by_test_id("citations").first).to_contain_text("Havering")
    assert_no_axe_violations(page)
    assert action.citations.count() == 1


@pytest.fixture
def knife_data(settings, tmp_path, e2e_data):
    settings.EVIDENCE_DUCKDB = str(tmp_path / "evidence.duckdb")
    call_command("load_mps", str(DATA / "mps" / "monthly-crime-dashboard.parquet"), "--quiet")
    call_command("load_police_uk", str(DATA / "police-uk"), "--quiet")
    call_command("load_population", str(DATA / "population"), "--quiet")
    call_command("load_boundaries", str(DATA / "boundaries" / "london-lsoa21"), "--quiet")


def test_analyst_sees_a_trend_with_rate_significance_and_comparisons(page, knife_data):
    LoginPage(page).open().sign_in("havering.editor")
    trend = EvidenceTrendPage(page).open()
    trend.show(
        area="E09000022", measure="mps:Knife Crime/Knife Crime", period="2025-03:2026-02", baseline="2024-03:2025-02"
    )
    expect(trend.headline()).to_contain_text("offences")
    expect(trend.rate()).to_contain_text("Census 2021")
    expect(trend.significance()).to_contain_text("chance variation")
    expect(trend.comparisons()).to_contain_text("Central South BCU")
    expect(trend.comparisons()).to_contain_text("London")
    expect(trend.comparisons()).to_contain_text("England and Wales")
    page.screenshot(path=f"{SCREENSHOTS}/vrhub-trend-comparisons.png", full_page=True)
    trend.check_accessibility()
    # Outside the source's coverage: "No data" in words, never 0.
    trend.show(area="E09000016", measure="police.uk:Robbery", period="2023-07:2023-12", baseline="2023-01:2023-06")
    expect(trend.no_data()).to_contain_text("No data")
    expect(trend.headline()).to_have_count(0)
    page.screenshot(path=f"{SCREENSHOTS}/vrhub-trend-no-data.png", full_page=True)
    trend.check_accessibility()
    # Unequal periods are refused unless annualised.
    trend.show(
        area="E09000022", measure="mps:Knife Crime/Knife Crime", period="2025-03:2026-02", baseline="2025-01:2025-02"
    )
    expect(page.locator(".govuk-error-summary")).to_contain_text("12 months long")
    trend.check_accessibility()
    trend.show(
        area="E09000022",
        measure="mps:Knife Crime/Knife Crime",
        period="2025-03:2026-02",
        baseline="2025-01:2025-02",
        annualise=True,
    )
    expect(trend.headline()).to_contain_text("annualised")
    trend.check_accessibility()


def test_profile_shows_the_home_office_headline_measures(page, knife_data):
    LoginPage(page).open().sign_in("havering.editor")
    profile = EvidenceProfilePage(page).open("E09000033")
    expect(profile.row("knife")).to_contain_text("chance")
    expect(profile.row("knife_victims")).to_contain_text("victims")
    expect(profile.row("ae")).to_contain_text("No data")
    expect(page.get_by_test_id("profile-caveat")).to_contain_text("Westminster")
    page.screenshot(path=f"{SCREENSHOTS}/vrhub-profile-headline.png", full_page=True)
    profile.check_accessibility()
