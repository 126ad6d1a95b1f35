"""Learning in the browser: emerging themes, the library and similar work on the demo data, with axe."""

import re
from collections import Counter

import pytest
from playwright.sync_api import expect

from tests.e2e.pages import BasePage, LoginPage
from vrhub.plans.models import PlanAction

pytestmark = pytest.mark.e2e


class EmergingPage(BasePage):
    def open(self, year: int, quarter: int) -> "EmergingPage":
        self.page.goto(f"/london/{year}/emerging/?quarter={quarter}")
        return self

    def choose_quarter(self, label: str) -> "EmergingPage":
        self.page.get_by_label("Quarter").select_option(label=label)
        self.follow(self.page.get_by_role("button", name="Show"))
        return self

    def themes(self) -> list[str]:
        return self.page.get_by_test_id("emerging").locator("tbody th").all_inner_texts()

    def theme_section(self, term: str):
        return self.page.get_by_test_id("theme").filter(has=self.page.get_by_role("heading", name=term, exact=True))


class LibraryPage(BasePage):
    def open(self) -> "LibraryPage":
        self.page.goto("/library/")
        return self

    def search(self, words: str) -> "LibraryPage":
        self.page.get_by_label("Search").fill(words)
        self.page.get_by_role("button", name="Search").click()
        return self

    def scope(self) -> str:
        return self.page.get_by_test_id("library-scope").inner_text()

    def results(self):
        return self.page.get_by_test_id("library-results").locator("li")


class SimilarPage(BasePage):
    def open(self, action: PlanAction) -> "SimilarPage":
        self.page.goto(f"/plans/{action.plan_id}/actions/{action.pk}/similar/")
        return self

    def rows(self):
        return self.page.get_by_test_id("similar").locator("tbody tr")


def test_reviewer_reads_emerging_themes_with_their_evidence(page, e2e_data):
    LoginPage(page).open().sign_in("vru.reviewer")
    page.get_by_role("link", name="Emerging themes in progress updates").click()
    emerging = EmergingPage(page).choose_quarter("Q2: July to September 2021")
    expect(page.locator("h1")).to_have_text("Emerging themes, Q2 2021/22")
    expect(page.get_by_test_id("synthetic-banner")).to_be_visible()
    themes = emerging.themes()
    assert {"zombie knives", "cost of living"} <= set(themes) and any("e-scooter" in t for t in themes)
    assert not [t for t in themes if re.search(r"rated|green|amber|delivery|data", t)]
    emerging.check_accessibility()
    section = emerging.theme_section("zombie knives")
    expect(section.locator("blockquote").first).to_contain_text("zombie knives")
    section.get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(r"/plans/\d+/themes/[A-Z]+/#action-\d+$"))
    emerging.open(2021, 1)
    expect(page.get_by_test_id("no-previous")).to_contain_text("no quarter before it")
    emerging.check_accessibility()


def test_library_and_similar_work_read_local_text(page, e2e_data):
    LoginPage(page).open().sign_in("havering.editor")
    library = LibraryPage(page).open()
    assert library.scope().startswith("You see Havering's current plan at every stage, drafts included")
    library.search("peer support")
    expect(library.results().first).to_contain_text("matched the whole phrase")
    library.check_accessibility()

    page.context.clear_cookies()
    LoginPage(page).open().sign_in("vru.reviewer")
    # A local action whose title only this borough wrote (the demo copies some local actions between boroughs).
    local = PlanAction.objects.filter(source="local", plan__template__year=2021).order_by("pk")
    titles = Counter(a.title for a in local)
    similar = SimilarPage(page).open(next(a for a in local if titles[a.title] == 1))
    expect(similar.rows().first).to_be_visible()
    expect(page.locator("h1")).to_have_text("Similar work in other boroughs")
    expect(page.get_by_text(re.compile("^What .* wrote that was compared"))).to_be_visible()
    similar.check_accessibility()
    template_action = PlanAction.objects.filter(
        source=PlanAction.Source.MANDATORY, code="GOV-M1", plan__template__year=2021
    ).first()
    similar.open(template_action)
    expect(page.get_by_test_id("no-own-text")).to_be_visible()
    similar.check_accessibility()
