"""Page objects for the second VRU's journeys (the West Midlands demo): what a CSP editor and a VRU reviewer
of another VRU than London's see."""

import re

from playwright.sync_api import Page

from tests.e2e.pages import BasePage, HomePage, LoginPage, ThemePage


class SecondVruHome(HomePage):
    """A CSP person's list of plans."""

    def plan_areas(self) -> list[str]:
        """The area of each row (its first line: the rest is text for screen readers)."""
        cells = self.page.locator("main table tbody tr > :first-child").all_inner_texts()
        return [t.strip().splitlines()[0].strip() for t in cells]


class SecondVruPlanPage(BasePage):
    def theme_titles(self) -> list[str]:
        """The themes listed on the plan page, as "1. Title" links."""
        links = self.page.locator("main").get_by_role("link", name=re.compile(r"^\d+\. ")).all_inner_texts()
        return [re.sub(r"^\d+\.\s*", "", t).strip() for t in links]

    def open_theme(self, title: str) -> ThemePage:
        self.follow(self.page.get_by_role("link", name=re.compile(rf"\d+\. {re.escape(title)}$")))
        return ThemePage(self.page)


class VruViewPage(BasePage):
    """The VRU-wide view (``/london/<year>/``) as a reviewer of any VRU sees it."""

    def nav_link(self):
        return self.page.get_by_role("navigation").get_by_role("link", name=re.compile(" view$"))

    def borough_names(self) -> list[str]:
        return [
            t.strip()
            for t in self.page.get_by_test_id("borough-table").locator("tbody th[scope=row]").all_inner_texts()
        ]

    def text(self) -> str:
        return self.page.locator("body").inner_text() + "\n" + self.page.title()


def sign_in(page: Page, username: str) -> SecondVruHome:
    LoginPage(page).open().sign_in(username)
    return SecondVruHome(page)


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
