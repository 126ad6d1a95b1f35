"""The public finds, across two VRUs and areas in none, which areas have published plans and strategies: from
the public index to the national view, filters it to the West Midlands, reads the map's key, sorts, downloads
the CSV and follows an area's links to its published plans and strategy. No sign-in; every page axe-clean."""

import csv
import datetime as dt
import json
import os

import pytest
from playwright.sync_api import expect

from tests.duty import factories as duty_factories
from tests.e2e.pages_national import NationalIndexPage
from tests.factories import PlanFactory, TemplateFactory
from vrhub.core import geo
from vrhub.duty.models import Strategy
from vrhub.organisations.models import Boundary, Organisation
from vrhub.organisations.services import london_load, west_midlands_load
from vrhub.plans.models import Plan
from vrhub.transparency.models import Publication

pytestmark = pytest.mark.e2e
SHOTS = os.environ.get("E2E_SHOTS", "/tmp/e2e-national")
CSP_BOUNDARIES = "data/boundaries/community-safety-partnerships-2023-ew.topojson"


def shot(page, name: str) -> None:
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


@pytest.fixture
def national_world(transactional_db):
    """Two VRUs, the shipped boundaries of the West Midlands' seven CSPs and two unassigned areas; Birmingham's
    and Coventry's 2022 plans accepted and published, Dudley's a draft; Coventry's strategy published,
    Dudley's a draft."""
    london_load()
    wm = west_midlands_load()
    features = {
        f["properties"]["AREACD"]: f for f in geo.topojson_features(json.load(open(CSP_BOUNDARIES, encoding="utf-8")))
    }
    for code in ("E22000290", "E22000031"):  # Adur, Allerdale: in no VRU
        Organisation.objects.create(
            kind=Organisation.Kind.AREA, code=code, csp_code=code, name=features[code]["properties"]["AREANM"]
        )
    for area in Organisation.objects.filter(kind=Organisation.Kind.AREA, csp_code__startswith="E22"):
        Boundary.objects.create(
            organisation=area, geometry=geo.rounded(features[area.csp_code]["geometry"]), source="test"
        )
    template = TemplateFactory(vru=wm, year=2022)
    for code, state in (("E22000335", Plan.State.ACCEPTED), ("E22000336", Plan.State.ACCEPTED), ("E22000337", "draft")):
        PlanFactory(area=Organisation.objects.get(code=code), template=template, state=state)
    Publication.objects.create(vru=wm, year=2022)
    for code, state, title in (
        ("E22000336", Strategy.State.PUBLISHED, "Coventry serious violence strategy"),
        ("E22000337", Strategy.State.DRAFT, "Dudley DRAFT strategy"),
    ):
        dates = (
            {"published_on": dt.date(2025, 4, 1), "next_review": dt.date(2026, 4, 1)} if state == "published" else {}
        )
        partnership = duty_factories.PartnershipFactory(area=Organisation.objects.get(code=code))
        duty_factories.StrategyFactory(partnership=partnership, state=state, title=title, **dates)


def test_public_finds_published_plans_and_strategies_across_vrus(page, national_world):
    national = NationalIndexPage(page).open().check_accessibility().open_national().check_accessibility()
    expect(page.locator("h1")).to_have_text("Published plans and strategies across England and Wales")
    assert national.vru_row("VRU-WMD")[:2] == ["7", "2022/23"]
    assert national.vru_row("VRU-LDN")[1] == "None published"
    total = Organisation.objects.filter(kind=Organisation.Kind.AREA).count()
    assert national.totals() == [
        f"2 of {total} areas have a published plan for 2022/23",
        f"1 of {total} areas has a published Serious Violence Duty strategy",
        f"2 of {total} areas are not in a VRU on vrhub",
    ]
    assert national.area_row("E22000290")[:3] == ["Not in a VRU on vrhub", "Not recorded", "No published plan"]
    expect(page.locator("body")).not_to_contain_text("DRAFT")
    shot(page, "1-national")

    national.filter(vru="West Midlands Violence Reduction Partnership").check_accessibility()
    wm_codes = set(Organisation.objects.filter(vru__code="VRU-WMD", kind="area").values_list("code", flat=True))
    assert set(national.area_codes()) == wm_codes
    assert national.totals()[:2] == [
        "2 of 7 areas have a published plan for 2022/23",
        "1 of 7 areas has a published Serious Violence Duty strategy",
    ]
    drawn = national.map_areas()
    assert set(drawn) == wm_codes
    assert drawn["E22000336"] == "plan-and-strategy" and drawn["E22000335"] == "plan-only"
    assert drawn["E22000337"] == "neither"  # a draft plan and a draft strategy are not published
    assert national.legend()[0].endswith(": 1 area") and national.legend()[3].endswith(": 5 areas")
    shot(page, "2-west-midlands")

    national.sort_by("Latest published plan").sort_by("Latest published plan")  # descending: plans first
    assert set(national.area_codes()[:2]) == {"E22000335", "E22000336"}
    download = national.download_csv()
    with open(download.path(), encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["area_code"] for r in rows] == national.area_codes()
    assert rows[0]["latest_published_plan_year"] == "2022"

    national.open_plan_of("E22000335").check_accessibility()
    expect(page.locator("h1")).to_contain_text("2022/23")
    page.go_back()
    national.open_strategy_of("E22000336").check_accessibility()
    expect(page.locator("h1")).to_contain_text("Coventry serious violence strategy")
    shot(page, "3-strategy")
