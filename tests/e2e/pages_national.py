"""Page objects for the national view of published plans and strategies (no sign-in)."""

from tests.e2e.pages import BasePage

VISIBLE_TEXT = """cells => cells.map(c => {
    const copy = c.cloneNode(true);
    copy.querySelectorAll('.govuk-visually-hidden').forEach(e => e.remove());
    return copy.textContent.replace(/\\s+/g, ' ').trim();
})"""


class NationalIndexPage(BasePage):
    def open(self) -> "NationalIndexPage":
        self.page.goto("/public/")
        return self

    def open_national(self) -> "NationalPage":
        self.follow(
            self.page.get_by_role(
                "link", name="Across England and Wales: which areas have published plans and strategies"
            )
        )
        return NationalPage(self.page)


class NationalPage(BasePage):
    def totals(self) -> list[str]:
        return [t.strip() for t in self.page.locator("[data-testid=totals] li").all_inner_texts()]

    def area_codes(self) -> list[str]:
        rows = self.page.locator("table[data-testid=areas] tbody tr")
        return [rows.nth(i).get_attribute("data-area") or "" for i in range(rows.count())]

    def _cells(self, selector: str) -> list[str]:
        """The cells' text as seen (without the words only screen readers get)."""
        return self.page.locator(selector).evaluate_all(VISIBLE_TEXT)

    def area_row(self, code: str) -> list[str]:
        return self._cells(f"tr[data-area='{code}'] td")

    def vru_row(self, code: str) -> list[str]:
        return self._cells(f"tr[data-vru='{code}'] td")

    def filter(self, *, vru: str = "", police_force: str = "", status: str = "") -> "NationalPage":
        if vru:
            self.page.get_by_label("VRU", exact=True).select_option(label=vru)
        if police_force:
            self.page.get_by_label("Police force area").select_option(label=police_force)
        if status:
            self.page.get_by_label("What is published").select_option(label=status)
        self.follow(self.page.get_by_role("button", name="Show these areas"))
        return self

    def sort_by(self, column: str) -> "NationalPage":
        self.follow(self.page.locator("table[data-testid=areas] thead").get_by_role("link", name=column, exact=True))
        return self

    def map_areas(self) -> dict[str, str]:
        paths = self.page.locator("[data-testid=map] svg path[data-area]")
        return {
            paths.nth(i).get_attribute("data-area") or "": paths.nth(i).get_attribute("data-status") or ""
            for i in range(paths.count())
        }

    def legend(self) -> list[str]:
        return [t.strip() for t in self.page.locator("[data-testid=legend] li").all_inner_texts()]

    def download_csv(self):
        with self.page.expect_download() as info:
            self.page.get_by_role("link", name="this table as CSV").click()
        return info.value

    def open_plan_of(self, code: str) -> BasePage:
        self.follow(self.page.locator(f"tr[data-area='{code}'] td").nth(2).get_by_role("link"))
        return BasePage(self.page)

    def open_strategy_of(self, code: str) -> BasePage:
        self.follow(self.page.locator(f"tr[data-area='{code}'] td").nth(3).get_by_role("link"))
        return BasePage(self.page)
