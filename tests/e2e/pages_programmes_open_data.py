"""Page objects for the 360Giving open data pages: the public grants page and the signed-in open data page."""

from tests.e2e.pages import BasePage


class PublicGrantsPage(BasePage):
    def open(self, vru_code: str) -> "PublicGrantsPage":
        self.page.goto(f"/public/{vru_code}/grants/")
        return self

    def year_row(self, year: int) -> list[str]:
        row = self.page.locator(f"[data-testid=grant-years] tbody tr[data-year='{year}']")
        return [c.strip() for c in row.locator("th, td").all_inner_texts()]

    def grant_rows(self, year: int) -> list[list[str]]:
        rows = self.page.locator(f"[data-testid=grants-{year}] tbody tr")
        return [[c.strip() for c in rows.nth(i).locator("td").all_inner_texts()] for i in range(rows.count())]

    def json_href(self, year: int) -> str:
        return self.page.locator(f"[data-testid=grant-years] tr[data-year='{year}'] a").first.get_attribute("href")


class OpenDataPage(BasePage):
    def open(self, year: int) -> "OpenDataPage":
        self.page.goto(f"/programmes/open-data/?year={year}")
        return self

    def save_profile(self, *, prefix: str) -> "OpenDataPage":
        self.page.get_by_label("360Giving prefix").fill(prefix)
        self.follow(self.page.get_by_role("button", name="Save the funder profile"))
        return self

    def validation(self) -> str:
        return self.page.get_by_test_id("validation").inner_text()

    def grant_ids(self) -> list[str]:
        return [t.strip() for t in self.page.locator("[data-testid=preview] tbody tr td:first-child").all_inner_texts()]

    def error_summary(self) -> str:
        return self.page.locator(".govuk-error-summary").inner_text()
