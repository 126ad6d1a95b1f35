"""Budgets in the browser: a Havering editor sets up a budget, adds lines (one making it not add up, which the
page states in words), corrects the line and sees it add up; a VRU reviewer sees the London VRU's 2020/21 budget
with the £100,000 difference between the published expenditure total and its lines. Axe on every page;
screenshots in VRHUB_SCREENSHOTS."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.pages import Session
from tests.e2e.pages_programmes_budgets import BudgetListPage, BudgetPage

pytestmark = pytest.mark.e2e
SCREENSHOTS = Path(os.environ.get("VRHUB_SCREENSHOTS", "/tmp/vrhub-screenshots"))
YEAR = 2031  # a year no demo budget has: this test's own data


def test_havering_editor_builds_a_budget_that_adds_up(page, e2e_data):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    Session(page).as_user("havering.editor")
    listing = BudgetListPage(page).open()
    listing.check_accessibility()
    with page.expect_navigation():
        page.get_by_role("link", name="Set up a budget").click()
    BudgetListPage(page).check_accessibility()
    page.screenshot(path=str(SCREENSHOTS / "programmes-budget-new.png"), full_page=True)
    budget = listing.open().set_up(YEAR)
    expect(page.get_by_role("heading", name="Budget 2031/32")).to_be_visible()
    budget.check_accessibility()

    budget.add_income("E2E VRU grant", "£12,500.50", **{"Of which labour costs": "10,000"})
    budget.add_spend("E2E Youth work", "12,000")
    assert budget.differences() == [
        "Income (£12,500.50, the sum of its lines) is more than expenditure (£12,000.00, the sum of its lines): "
        "a difference of £500.50."
    ]
    budget.check_accessibility()
    page.screenshot(path=str(SCREENSHOTS / "programmes-budget-difference.png"), full_page=True)

    # A bad amount is refused, naming the field.
    page.get_by_role("link", name="Change E2E Youth work").click()
    page.get_by_label("Amount").fill("12,000.505")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Amount must be in pounds and pence")
    BudgetPage(page).check_accessibility()
    page.screenshot(path=str(SCREENSHOTS / "programmes-budget-line-error.png"), full_page=True)
    page.get_by_label("Amount").fill("12,500.50")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    assert budget.differences() == []
    assert "It adds up: income and expenditure are both £12,500.50" in budget.adds_up()

    # A commitment for the year that differs from its income line is stated with both sources.
    page.get_by_role("link", name="Add a commitment").click()
    page.get_by_label("Funder").fill("E2E funder")
    page.get_by_label("Source").fill("e2e vru grant")
    page.get_by_label("Financial year").fill(str(YEAR))
    page.get_by_label("Amount").fill("10,000")
    BudgetPage(page).check_accessibility()
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    assert budget.commitment_differences() == [
        "Differs: E2E funder committed £10,000.00 of e2e vru grant for 2031/32 (the commitment); the 2031/32 budget "
        "shows £12,500.50 from E2E VRU grant (its income line): a difference of £2,500.50."
    ]
    # Removing a line asks first; then it no longer adds up.
    with page.expect_navigation():
        page.get_by_role("link", name="Remove E2E Youth work").click()
    BudgetPage(page).check_accessibility()
    page.screenshot(path=str(SCREENSHOTS / "programmes-budget-remove.png"), full_page=True)
    with page.expect_navigation():
        page.get_by_role("button", name="Remove").click()
    assert len(budget.differences()) == 1
    BudgetListPage(page).open()
    expect(page.get_by_test_id("budgets")).to_contain_text("No: 1 difference")
    page.screenshot(path=str(SCREENSHOTS / "programmes-budget-list.png"), full_page=True)


def test_vru_reviewer_sees_the_london_budget_with_its_difference(page, e2e_data):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    Session(page).as_user("vru.reviewer")
    budget = BudgetPage(page).open("VRU-LDN", 2020)
    assert (
        "The published expenditure total is £19.7m; the lines add up to £19.6m: a difference of £100,000.00."
        in budget.differences()
    )
    assert any(
        "the 2020/21 budget shows £5.0m from Mayoral Growth Funding" in d for d in budget.commitment_differences()
    )
    budget.check_accessibility()
    page.screenshot(path=str(SCREENSHOTS / "programmes-budget-london.png"), full_page=True)
