"""The Duty monitoring view in the browser: VRU staff and MOPAC open it, filter, sort and open an area; axe finds
nothing; the table fits a 1280px screen without sideways scrolling."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.pages import Session
from tests.e2e.pages_duty_monitoring import MonitoringPage
from vrhub.demo import duty as demo_duty
from vrhub.duty.models import InformationRequest, SharingAgreement
from vrhub.organisations.models import Organisation

pytestmark = pytest.mark.e2e
SHOTS = Path(os.environ.get("VRHUB_SCREENSHOTS", "/tmp/vrhub-screenshots"))


@pytest.mark.parametrize("username", ["vru.reviewer", "mopac.officer"])
def test_monitors_filter_sort_and_open_an_area(page, e2e_data, username):
    SHOTS.mkdir(parents=True, exist_ok=True)
    Session(page).as_user(username)
    view = MonitoringPage(page).open()
    london_areas = set(Organisation.objects.filter(kind="area", vru__code="VRU-LDN").values_list("code", flat=True))
    assert set(view.area_codes()) == london_areas
    assert view.ready_total() == f"{len(demo_duty.COMPLETE)} of 32 ready"
    expect(page.get_by_text("Synthetic demo data").first).to_be_visible()
    assert view.fits_the_width(), "the table scrolls sideways at 1280px"
    view.check_accessibility()
    page.screenshot(path=str(SHOTS / f"duty-monitoring-{username}.png"), full_page=True)

    view.show("Not ready")
    not_ready = view.area_codes()
    assert len(not_ready) == 32 - len(demo_duty.COMPLETE)
    assert set(demo_duty.COMPLETE).isdisjoint(not_ready)
    view.sort_by("Readiness")
    assert sorted(view.area_codes()) == sorted(not_ready)  # still the not-ready areas, now by what is missing
    missing = [int(re.match(r"(\d+) missing", view.cell(c, 7)).group(1)) for c in view.area_codes()]
    assert missing == sorted(missing)
    view.check_accessibility()

    view.show("With overdue items")
    overdue = set(view.area_codes())
    # Independently: areas with an agreement past its review date, an open request past its due date, or the
    # strategy review overdue (Islington, by construction of the demo).
    expected = (
        set(
            SharingAgreement.objects.filter(partnership__vru__code="VRU-LDN", review_on__lt=_today()).values_list(
                "partnership__area__code", flat=True
            )
        )
        | set(
            InformationRequest.objects.filter(
                partnership__vru__code="VRU-LDN", state="open", due_on__lt=_today()
            ).values_list("partnership__area__code", flat=True)
        )
        | {demo_duty.REVIEW_OVERDUE}
    )
    assert overdue == expected
    view.check_accessibility()
    page.screenshot(path=str(SHOTS / f"duty-monitoring-overdue-{username}.png"), full_page=True)

    view.show("Every area")
    view.open_readiness("E09000016")
    expect(page.locator("h1")).to_have_text("Havering")
    expect(page.get_by_text("Not ready")).to_be_visible()
    view.check_accessibility()


def test_a_borough_is_refused(page, e2e_data):
    Session(page).as_user("havering.editor")
    response = page.goto("/duty/monitoring/")
    assert response.status == 403


def _today():
    from django.utils import timezone

    return timezone.localdate()
