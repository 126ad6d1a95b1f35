"""The ISTV profile in the browser: heat table, methods, location types, synthetic banner, no data; axe."""

from pathlib import Path

import pandas as pd
import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.e2e.pages import IstvProfilePage, LoginPage

pytestmark = pytest.mark.e2e
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


@pytest.fixture
def istv_extract(settings, tmp_path, e2e_data):
    settings.EVIDENCE_DUCKDB = str(tmp_path / "evidence.duckdb")
    out = tmp_path / "istv-synthetic.csv"
    call_command("generate_istv", "--out", str(out), "--months", "24", "--start", "2024-01", "--seed", "1")
    call_command("load_istv", str(out), "--vru", "VRU-LDN", "--quiet")
    return out


def test_partner_reads_the_istv_profile(page, istv_extract):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    LoginPage(page).open().sign_in("havering.editor")
    profile = IstvProfilePage(page).open().check_accessibility()
    page.screenshot(path=str(SCREENSHOTS / "istv-london.png"), full_page=True)
    expect(profile.synthetic_banner()).to_contain_text("Synthetic data")
    expect(page.locator("main")).to_contain_text("A&E attendances after assault")
    # Havering (Queen's Hospital, Romford), the latest 12 months by default: checked against pandas.
    profile.show(area="Havering")
    frame = pd.read_csv(istv_extract, skiprows=1, dtype=str, keep_default_na=False)
    frame = frame[(frame["Site code"] == "RF4QH") & (frame["Arrival date"] >= "2025-01-01")]
    when = pd.to_datetime(frame["Assault date"] + " " + frame["Assault time"])
    saturday_23 = int(((when.dt.day_of_week == 5) & (when.dt.hour == 23)).sum())
    expect(page.get_by_test_id("istv-heat")).to_be_visible()
    assert profile.heat_cell(hour=23, day=5).rstrip("*") == str(saturday_23)
    assert profile.total().startswith(f"{len(frame)} ")
    profile.check_accessibility()
    page.screenshot(path=str(SCREENSHOTS / "istv-havering.png"), full_page=True)
    # The City of London has no A&E site: "No data", never 0.
    profile.show(area="City of London")
    expect(profile.no_data()).to_contain_text("No data")
    expect(page.get_by_test_id("istv-heat")).to_have_count(0)
    profile.check_accessibility()
    page.screenshot(path=str(SCREENSHOTS / "istv-city-no-data.png"), full_page=True)
    # A bad period is named in the error summary.
    profile.show(area="London", period="2025-13")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Period")
    profile.check_accessibility()
    page.screenshot(path=str(SCREENSHOTS / "istv-error.png"), full_page=True)
