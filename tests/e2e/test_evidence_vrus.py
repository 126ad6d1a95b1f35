"""A West Midlands reviewer's evidence workbench in the browser: their areas, their ISTV only, synthetic
data.police.uk figures checked against the files, no London map; axe on every page (issue 16)."""

import csv
import datetime as dt
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.e2e.pages import DEMO_PASSWORD, LoginPage
from tests.e2e.pages_evidence_vrus import WorkbenchPage
from tests.factories import UserFactory
from vrhub.accounts.models import User
from vrhub.evidence.synthetic import write_istv
from vrhub.organisations.models import Organisation
from vrhub.organisations.services import london_load, west_midlands_load

pytestmark = pytest.mark.e2e
SHOTS = Path("/tmp")


@pytest.fixture
def two_vrus(settings, tmp_path, transactional_db):
    settings.EVIDENCE_DUCKDB = str(tmp_path / "evidence.duckdb")
    london_load()
    west_midlands_load()
    user = UserFactory(
        username="wm.reviewer", organisation=Organisation.objects.get(code="VRU-WMD"), role=User.Role.VRU_REVIEWER
    )
    user.set_password(DEMO_PASSWORD)
    user.save()
    out = StringIO()
    police = tmp_path / "wmp"
    call_command(
        "generate_police_uk", "--force", "West Midlands Police", "--months", "2", "--start", "2024-01",
        "--seed", "1", "--out", str(police), stdout=out,
    )  # fmt: skip
    call_command("load_police_uk", "--synthetic", str(police), "--quiet", stdout=out)
    start = dt.date(2024, 1, 1)
    ldn = write_istv(path=tmp_path / "l.csv", site_code="RJ122", lsoas=[], start=start, months=2, seed=1)
    wm = write_istv(path=tmp_path / "w.csv", site_code="RRK15", lsoas=[], start=start, months=2, per_month=20, seed=2)
    call_command("load_istv", str(ldn), "--vru", "VRU-LDN", "--quiet", stdout=out)
    call_command("load_istv", str(wm), "--vru", "VRU-WMD", "--quiet", stdout=out)
    return {"police": sorted(police.rglob("*.csv")), "wm_istv": wm}


def test_west_midlands_reviewer_works_on_west_midlands_evidence(page, two_vrus):
    LoginPage(page).open().sign_in("wm.reviewer")
    bench = WorkbenchPage(page).open().check_accessibility()
    page.screenshot(path=str(SHOTS / "evidence-vrus-index.png"), full_page=True)
    expect(page.get_by_test_id("workbench-scope")).to_contain_text("West Midlands Police force area")
    wm_rows = sum(1 for _ in two_vrus["wm_istv"].open()) - 2  # marker and header lines
    assert bench.loads_row("istv")[1:5] == ["1", str(wm_rows), str(wm_rows), "0"]
    assert "Synthetic" in bench.loads_row("police_uk")[0]
    # Trends: the West Midlands' areas only; Solihull's burglaries in February 2024 counted from the files.
    bench.open("/evidence/trends/")
    assert bench.area_options()[:2] == ["West Midlands Police (force area)", "Birmingham"]
    assert "Havering" not in bench.area_options()
    bench.trend(area="Solihull", measure="police.uk:Burglary", period="2024-02:2024-02", baseline="2024-01:2024-01")
    expected = {
        month: sum(
            1
            for path in two_vrus["police"]
            for row in csv.DictReader(path.open(encoding="utf-8"))
            if row["LSOA name"].startswith("Solihull ") and row["Crime type"] == "Burglary" and row["Month"] == month
        )
        for month in ("2024-01", "2024-02")
    }
    expect(page.get_by_test_id("headline")).to_contain_text(
        f"{expected['2024-02']:,} offences in February 2024 against {expected['2024-01']:,} in January 2024"
    )
    expect(page.locator("main")).to_contain_text("Synthetic")
    expect(page.get_by_test_id("lsoa-method")).to_contain_text("Birmingham 001A")
    bench.check_accessibility()
    page.screenshot(path=str(SHOTS / "evidence-vrus-trend.png"), full_page=True)
    # ISTV: the West Midlands' own extract (every site), never London's.
    bench.open("/evidence/istv/").check_accessibility()
    expect(page.get_by_test_id("istv-total")).to_have_text(f"{wm_rows} A&E attendances after assault")
    # Site names and codes are not listed for "every site": the count of sites is what London's extract would change.
    sites = {
        row["Site code"] for row in csv.DictReader(two_vrus["wm_istv"].read_text(encoding="utf-8").splitlines()[1:])
    }
    expect(page.get_by_test_id("istv-facts")).to_contain_text(f"({len(sites)} with attendances in the period)")
    page.screenshot(path=str(SHOTS / "evidence-vrus-istv.png"), full_page=True)
    # Hotspots of the force area: synthetic, and no map drawn without the area's boundaries.
    bench.open("/evidence/hotspots/")
    page.screenshot(path=str(SHOTS / "evidence-vrus-hotspots.png"), full_page=True)
    bench.check_accessibility()
    expect(page.get_by_test_id("source")).to_contain_text("Synthetic data")
    expect(page.get_by_test_id("no-boundaries")).to_contain_text("no ward, LSOA or area boundaries of Birmingham")
