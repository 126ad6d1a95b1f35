"""A new VRU takes its areas in the browser: all CSPs of England and Wales loaded with load_areas, the West
Midlands VRP's admin opens the areas page from their account, filters to a police force area, takes all its
unassigned CSPs, sees them without a BCU, gives one back, and is told when nothing is selected. Axe on every
state; screenshots in VRHUB_SCREENSHOTS."""

import json
import os
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.e2e.pages import LoginPage
from tests.e2e.pages_areas import AreasPage
from tests.factories import UserFactory
from vrhub.accounts.models import User
from vrhub.organisations.models import Organisation

pytestmark = pytest.mark.e2e
SCREENSHOTS = Path(os.environ.get("VRHUB_SCREENSHOTS", "/tmp/vrhub-screenshots"))
CSP_FILE = (
    Path(__file__).resolve().parents[2] / "data" / "boundaries" / "community-safety-partnerships-2023-ew.topojson"
)


@pytest.fixture
def areas_world(transactional_db):
    from vrhub.organisations.services import london_load, west_midlands_load

    london_load()
    vru = west_midlands_load()
    call_command("load_areas", "--json", stdout=StringIO())
    UserFactory(username="wm.admin", organisation=vru, role=User.Role.VRU_ADMIN)
    return vru


def test_a_vru_admin_takes_the_csps_of_a_force_and_gives_one_back(page, areas_world):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    # Staffordshire's CSPs, independently: the ONS file's areas that the load placed in that force area.
    (layer,) = json.loads(CSP_FILE.read_text(encoding="utf-8"))["objects"].values()
    in_file = {g["properties"]["AREACD"] for g in layer["geometries"]}
    staffs = sorted(
        Organisation.objects.filter(code__in=in_file, police_force__name="Staffordshire").values_list("code", flat=True)
    )
    assert len(staffs) == 9  # Staffordshire's eight districts and Stoke-on-Trent

    LoginPage(page).open().sign_in("wm.admin", "pw")
    areas = AreasPage(page).open_from_account()
    expect(page.get_by_role("heading", name="Your VRU's areas")).to_be_visible()
    assert len(areas.own_codes()) == 7
    areas.check_accessibility()
    page.screenshot(path=str(SCREENSHOTS / "areas-all.png"), full_page=False)

    areas.show_force("Staffordshire (9)")
    assert areas.force_groups() == ["E23000015"]
    assert areas.offered_codes() == staffs
    areas.check_accessibility()

    areas.take_all("Staffordshire")
    assert areas.banner().startswith("9 areas assigned to West Midlands Violence Reduction Partnership: ")
    assert areas.own_codes() == sorted(
        [*staffs, *Organisation.objects.filter(bcu__code__startswith="WMP-").values_list("code", flat=True)]
    )
    assert areas.bcu_of(staffs[0]) == "No BCU set"
    assert areas.bcu_of("E22000335") == "Birmingham Local Policing Area"
    areas.check_accessibility()
    page.screenshot(path=str(SCREENSHOTS / "areas-taken.png"), full_page=True)

    name = Organisation.objects.get(code=staffs[0]).name
    areas.give_back(name)
    assert areas.banner() == f"{name} is no longer one of West Midlands Violence Reduction Partnership's areas."
    assert staffs[0] not in areas.own_codes()
    assert Organisation.objects.get(code=staffs[0]).vru is None

    areas.assign_selected()
    assert "Select at least one area to assign." in areas.error_summary()
    areas.check_accessibility()
    page.screenshot(path=str(SCREENSHOTS / "areas-error.png"), full_page=False)
