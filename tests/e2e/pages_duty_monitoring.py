"""Page objects for the Duty monitoring view."""

from playwright.sync_api import expect

from tests.e2e.pages import BasePage


class MonitoringPage(BasePage):
    def open(self) -> "MonitoringPage":
        self.page.goto("/duty/monitoring/")
        expect(self.page.locator("h1")).to_have_text("Every area's Serious Violence Duty")
        return self

    def rows(self):
        return self.page.locator('[data-testid="monitoring-table"] tbody tr')

    def area_codes(self) -> list[str]:
        return [r.get_attribute("data-area") for r in self.rows().all()]

    def show(self, label: str) -> "MonitoringPage":
        """Choose a filter by its label ("Not ready", "Ready", "With overdue items", "Not started")."""
        self.follow(self.page.get_by_test_id("filters").get_by_role("link", name=label))
        expect(self.page.get_by_test_id("filters").locator('[aria-current="page"]')).to_contain_text(label)
        return self

    def sort_by(self, heading: str) -> "MonitoringPage":
        self.follow(self.page.locator('[data-testid="monitoring-table"] thead').get_by_role("link", name=heading))
        return self

    def ready_total(self) -> str:
        return self.page.get_by_test_id("ready-total").inner_text()

    def cell(self, code: str, column: int) -> str:
        return self.page.locator(f'tr[data-area="{code}"] > *').nth(column).inner_text()

    def open_readiness(self, code: str) -> "BasePage":
        self.page.locator(f'tr[data-area="{code}"] td a').click()
        return BasePage(self.page)

    def fits_the_width(self) -> bool:
        return self.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
