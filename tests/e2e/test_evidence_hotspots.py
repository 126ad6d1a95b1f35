"""Street-level hotspots in the browser: the City of London's data.police.uk points in hexagons."""

import os
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.e2e.pages import HotspotsPage, LoginPage
from tests.evidence.test_hotspots import expected_hexes, expected_origin, raw_kept

pytestmark = pytest.mark.e2e
DATA = Path(__file__).resolve().parents[2] / "data"
SHOTS = Path(os.environ.get("SCREENSHOT_DIR", "/tmp/vrhub-screenshots"))


@pytest.fixture
def police_points(settings, tmp_path, e2e_data):
    settings.EVIDENCE_DUCKDB = str(tmp_path / "evidence.duckdb")
    call_command(
        "load_boundaries",
        str(DATA / "boundaries" / "london-lsoa21" / "E09000001.geojson"),
        str(DATA / "boundaries" / "police-force-areas-2023-ew.topojson"),
        "--quiet",
    )
    call_command("load_police_uk", str(DATA / "police-uk"), "--quiet")


def test_analyst_maps_street_level_hotspots(page, police_points):
    SHOTS.mkdir(parents=True, exist_ok=True)
    LoginPage(page).open().sign_in("havering.editor")
    hotspots = HotspotsPage(page).open()
    # The City of London Police, all crime, 250 m: the default.
    expect(hotspots.map()).to_be_visible()
    expect(page.locator("[data-testid=source]")).to_contain_text(
        "Unit: offences. Source: data.police.uk street-level crime (City of London Police), "
        "January 2023 to December 2023"
    )
    expect(hotspots.table().locator("tbody tr")).to_have_count(20)
    # The top row's count is the busiest hexagon's, binned here from the raw CSVs.
    df = raw_kept()
    df = df[df["Crime type"] != "Anti-social behaviour"]
    top = max(expected_hexes(df, *expected_origin("E23000034"), 250).values())
    top_row = hotspots.table().locator('tbody tr[data-rank="1"]')
    expect(top_row.locator("td").first).to_have_text("1")
    expect(top_row.locator("td").last).to_have_text(str(top))
    expect(page.get_by_role("link", name="Street-level hotspots")).to_have_attribute("aria-current", "page")
    page.screenshot(path=str(SHOTS / "hotspots-city-250.png"), full_page=True)
    hotspots.check_accessibility()
    coarse = hotspots.hexagon_count()
    hotspots.show(crime_type="Violence and sexual offences", cell="150")
    expect(page.locator("h2#result")).to_contain_text("Violence and sexual offences in City of London Police")
    assert hotspots.hexagon_count() > 0
    page.screenshot(path=str(SHOTS / "hotspots-city-violence-150.png"), full_page=True)
    hotspots.check_accessibility()
    hotspots.show(crime_type="All crime", cell="500")
    assert 0 < hotspots.hexagon_count() < coarse
    # Camden is policed by the Met, whose data are not loaded: no data, not an empty map.
    hotspots.show(area="E09000007", cell="250")
    expect(hotspots.no_data()).to_contain_text("No data")
    expect(hotspots.map()).to_have_count(0)
    page.screenshot(path=str(SHOTS / "hotspots-camden-no-data.png"), full_page=True)
    hotspots.check_accessibility()
    # A bad area code is named.
    hotspots.show(area="E23000034", other_area="E99999999")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Unknown area 'E99999999'")
    hotspots.check_accessibility()
