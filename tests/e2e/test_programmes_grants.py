"""Programmes and grants in the browser: a VRU officer sets up a programme with amounts by year, the area it
serves, an objective and a plan action, records its evaluation and sorts the prioritisation list; a Havering
viewer sees it on Havering's plan page; a Lambeth editor cannot reach a Havering programme. Axe on every page;
screenshots in VRHUB_SCREENSHOTS."""

import os
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.pages import BasePage, Session
from tests.e2e.pages_programmes_grants import (
    EvaluationPage,
    LinksPage,
    PrioritiesPage,
    ProgrammeFormPage,
    ProgrammePage,
)
from tests.programmes import factories as f
from vrhub.organisations.models import Organisation
from vrhub.plans.models import Plan
from vrhub.programmes.catalogue import LogicLevel
from vrhub.programmes.models import Programme, ProgrammeAmount

pytestmark = pytest.mark.e2e
SCREENSHOTS = Path(os.environ.get("VRHUB_SCREENSHOTS", "/tmp/vrhub-screenshots"))
PREFIX = "E2EG"
AMOUNTS = [(2020, "2,000,000.00", False), (2021, "1,999,999.99", True)]


@pytest.fixture
def grants_world(e2e_data):
    london = Organisation.objects.get(code="VRU-LDN")
    havering = Organisation.objects.get(code="E09000016")
    objective = f.LogicNodeFactory(
        vru=london, level=LogicLevel.OBJECTIVE, number=97, title=f"{PREFIX} objective: safer hospital pathways"
    )
    plan = Plan.objects.filter(area=havering, is_current=True).order_by("-template__year").first()
    action = plan.actions.order_by("code").first()
    # A second programme of its own: cheaper and not yet rated, so the two sorts order them differently.
    cheap = f.ProgrammeFactory(owner=london, reference=f"{PREFIX}-2", title=f"{PREFIX} small grants", all_areas=True)
    f.ProgrammeAmountFactory(programme=cheap, year=2020, amount=Decimal("1000.00"))
    hav = f.ProgrammeFactory(owner=havering, reference=f"{PREFIX}-HAV", title=f"{PREFIX} Havering mentoring")
    hav.areas.set([havering])
    return {"objective": objective, "plan": plan, "action": action, "havering_programme": hav}


def _shot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"programmes-grants-{name}.png"), full_page=True)


def test_vru_officer_sets_up_a_programme_and_havering_sees_it(page, grants_world):
    w = grants_world
    Session(page).as_user("vru.admin")

    page.goto("/programmes/")
    BasePage(page).check_accessibility()
    form = ProgrammeFormPage(page).open_new()
    form.check_accessibility()
    form.fill(**{"Reference": f"{PREFIX}-1", "Title": f"{PREFIX} youth workers in hospitals"})
    page.get_by_label("Start date").fill("2020-04-01")
    page.get_by_label("End date").fill("2022-03-31")
    page.get_by_label("Another funding source").fill("Home Office")
    page.locator("#id_funding_source").select_option(label="Another source (type it below)")
    _shot(page, "new")
    amounts = form.submit()
    expect(page.get_by_role("heading", name="Amounts by financial year")).to_be_visible()
    programme = Programme.objects.get(reference=f"{PREFIX}-1")

    # A year outside the programme's dates is refused, naming the field.
    amounts.add(2023, "10.00")
    assert "2023/24 is outside the programme's dates" in amounts.errors()
    amounts.check_accessibility()
    for year, amount, estimated in AMOUNTS:
        amounts.add(year, amount, estimated=estimated)
    expected_total = sum(Decimal(a.replace(",", "")) for _, a, _ in AMOUNTS)
    assert amounts.total() == f"£{expected_total:,.2f}"
    assert ProgrammeAmount.objects.filter(programme=programme).count() == 2
    expect(page.get_by_text("estimated split")).to_be_visible()
    amounts.check_accessibility()
    _shot(page, "amounts")

    detail = ProgrammePage(page).open(programme.pk)
    detail.go("Change the areas and wards")
    page.get_by_label("Havering").check()
    page.get_by_label("Wards served").fill("Romford Town\nHarold Wood")
    BasePage(page).check_accessibility()
    page.get_by_role("button", name="Save the areas and wards").click()
    assert "Havering" in detail.text("areas")

    detail.go("Change the objectives, plan actions and theme")
    links = LinksPage(page)
    links.check_accessibility()
    links.tick("objectives", w["objective"].pk).tick("plan_actions", w["action"].pk)
    _shot(page, "links")
    detail = links.save("Save what it supports")
    assert "safer hospital pathways" in detail.text("objectives")
    assert w["action"].code in detail.text("plan-actions")

    detail.go("Change the evaluation")
    evaluation = EvaluationPage(page)
    evaluation.check_accessibility()
    evaluation.fill(
        status="Reported",
        findings="Fewer repeat admissions.",
        strength="Level 2: data show change among those reached",
        report="ftp://example.org/report.pdf",
    )
    evaluation.save()
    expect(page.locator(".govuk-error-summary")).to_contain_text("http:// or https://")
    evaluation.check_accessibility()
    page.get_by_label("Link to the report").fill("https://example.org/report.pdf")
    detail = evaluation.save()
    assert detail.text("strength").startswith("Level 2")
    detail.check_accessibility()
    _shot(page, "detail")

    priorities = PrioritiesPage(page).open()
    priorities.check_accessibility()
    priorities.sort_by("Evidence gap")
    # Gap: E2EG-2 and E2EG-HAV are unrated (5), E2EG-1 is level 2 (3); ties by spend, largest first.
    assert priorities.references(PREFIX) == [f"{PREFIX}-2", f"{PREFIX}-HAV", f"{PREFIX}-1"]
    priorities.check_accessibility()
    _shot(page, "priorities-gap")
    priorities.sort_by("Total spend")
    assert priorities.references(PREFIX) == [f"{PREFIX}-1", f"{PREFIX}-2", f"{PREFIX}-HAV"]

    page.goto(f"/programmes/{programme.pk}/publication/")
    BasePage(page).check_accessibility()
    page.goto("/programmes/recipients/new/")
    BasePage(page).check_accessibility()
    page.get_by_label("Name").fill(f"{PREFIX} Hospital Youth Trust")
    page.get_by_label("Charity number").fill("12345")
    page.get_by_role("button", name="Add the organisation").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Charity number must be")
    BasePage(page).check_accessibility()
    page.get_by_label("Charity number").fill("1123456")
    page.get_by_role("button", name="Add the organisation").click()
    expect(page.get_by_role("heading", name="Organisations funded")).to_be_visible()
    BasePage(page).check_accessibility()
    _shot(page, "recipients")

    # Havering's viewer sees it on Havering's plan page.
    Session(page).as_user("havering.viewer")
    page.goto(f"/plans/{w['plan'].pk}/")
    section = page.get_by_test_id("plan-funded-programmes")
    expect(section).to_contain_text(f"{PREFIX} youth workers in hospitals")
    BasePage(page).check_accessibility()
    _shot(page, "plan-page")
    page.goto("/programmes/")
    BasePage(page).check_accessibility()
    _shot(page, "index")

    # Lambeth's editor cannot reach Havering's programme.
    Session(page).as_user("lambeth.editor")
    response = page.goto(f"/programmes/{w['havering_programme'].pk}/")
    assert response.status == 404
