"""360Giving open data in the browser: the public reads a VRU's grants for a year (totals, downloads; the
JSON valid against the schema offline), and a VRU admin changes the 360Giving prefix and sees it in the
preview; a bad prefix is refused with the error summary. Axe on every page; screenshots in VRHUB_SCREENSHOTS."""

import datetime as dt
import json
import os
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.pages import Session
from tests.e2e.pages_programmes_open_data import OpenDataPage, PublicGrantsPage
from tests.programmes import factories as f
from tests.programmes.open_data_world import offline_validator
from vrhub.organisations.models import Organisation
from vrhub.programmes.models import FunderProfile

pytestmark = pytest.mark.e2e
SCREENSHOTS = Path(os.environ.get("VRHUB_SCREENSHOTS", "/tmp/vrhub-screenshots"))
YEAR = 2031  # a year of its own: no demo programme has an amount in 2031/32
AMOUNTS = {"E2EOD-1": Decimal("12345.67"), "E2EOD-2": Decimal("50000.00")}


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"programmes-open-data-{name}.png"), full_page=True)


@pytest.fixture
def grants(e2e_data):
    london = Organisation.objects.get(code="VRU-LDN")
    havering = Organisation.objects.get(code="E09000016")
    FunderProfile.objects.update_or_create(
        vru=london,
        defaults={
            "org_identifier": "GB-GOR-PB123",
            "funder_name": "London Violence Reduction Unit",
            "grant_prefix": "360G-e2eopendata",
            "synthetic": False,
        },
    )
    dates = {
        "award_date": dt.date(YEAR, 4, 15),
        "start_date": dt.date(YEAR, 5, 1),
        "end_date": dt.date(YEAR + 1, 3, 31),
    }
    first = f.ProgrammeFactory(
        owner=london, reference="E2EOD-1", title="E2E London-wide mentoring", all_areas=True, published=True, **dates
    )
    second = f.ProgrammeFactory(
        owner=london, reference="E2EOD-2", title="E2E Havering youth work", published=True, **dates
    )
    second.areas.set([havering])
    for programme in (first, second):
        f.ProgrammeAmountFactory(programme=programme, year=YEAR, amount=AMOUNTS[programme.reference])
    return london


def test_the_public_reads_the_grants_and_downloads_valid_360giving(page, grants):
    public = PublicGrantsPage(page).open("VRU-LDN").check_accessibility()
    expect(page.locator("h1")).to_have_text("Grants: open data")
    assert public.year_row(YEAR)[:3] == ["2031/32", "2", "£62,345.67"]
    rows = public.grant_rows(YEAR)
    assert [r[2] for r in rows] == ["£12,345.67", "£50,000.00"]
    assert rows[1][3] == "Havering"
    assert rows[0][3] == "32 areas"
    shot(page, "public-grants")
    response = page.request.get(public.json_href(YEAR))
    assert response.ok
    package = json.loads(response.body())
    assert offline_validator().is_valid(package)
    assert sorted(g["id"] for g in package["grants"]) == [
        "360G-e2eopendata-E2EOD-1-2031",
        "360G-e2eopendata-E2EOD-2-2031",
    ]


def test_a_vru_admin_changes_the_prefix_and_sees_it_in_the_preview(page, grants):
    Session(page).as_user("vru.admin")
    open_data = OpenDataPage(page).open(YEAR).check_accessibility()
    assert open_data.validation().split()[0] == "Valid"  # not "Not valid" or "Nothing to publish"
    assert open_data.grant_ids() == ["360G-e2eopendata-E2EOD-1-2031", "360G-e2eopendata-E2EOD-2-2031"]
    shot(page, "signed-in")

    open_data.save_profile(prefix="londonvru")  # no 360G-
    assert "must start 360G-" in open_data.error_summary()
    open_data.check_accessibility()
    shot(page, "signed-in-error")

    open_data.save_profile(prefix="360G-e2e-renamed")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Funder profile saved")
    open_data.check_accessibility()
    assert open_data.grant_ids() == ["360G-e2e-renamed-E2EOD-1-2031", "360G-e2e-renamed-E2EOD-2-2031"]
    assert FunderProfile.objects.get(vru=grants).grant_prefix == "360G-e2e-renamed"
    shot(page, "signed-in-saved")
