"""The evidence workbench in the browser: load real open data, see a trend and the need map."""

from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.e2e.axe import assert_no_axe_violations
from tests.e2e.pages import LoginPage

pytestmark = pytest.mark.e2e
DATA = Path(__file__).resolve().parents[2] / "data"


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
    page.get_by_role("link", name="Evidence").first.click()
    assert_no_axe_violations(page)
    page.goto("/evidence/need/?within=E09000016&level=lsoa")
    expect(page.locator("table").first).to_contain_text("Havering")
    expect(page.locator(".leaflet-container")).to_be_visible()
    assert_no_axe_violations(page)
    page.goto("/evidence/trends/?area=E23000001")
    expect(page.locator("main")).to_be_visible()
    assert_no_axe_violations(page)
