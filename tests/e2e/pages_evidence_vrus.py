"""Page objects: the evidence workbench as a West Midlands user (issue 16)."""

from tests.e2e.pages import BasePage


class WorkbenchPage(BasePage):
    def open(self, path: str = "/evidence/") -> "WorkbenchPage":
        self.page.goto(path)
        return self

    def loads_row(self, kind: str) -> list[str]:
        """The data-loaded table's row of ``kind``: its heading, then files, rows, loaded, rejected, when."""
        row = self.page.locator("tbody tr").filter(has=self.page.locator("th", has_text=kind)).first
        return [row.locator("th").inner_text(), *row.locator("td").all_inner_texts()]

    def area_options(self) -> list[str]:
        return self.page.get_by_label("Area", exact=True).locator("option").all_inner_texts()

    def trend(self, *, area: str, measure: str, period: str, baseline: str) -> "WorkbenchPage":
        self.page.get_by_label("Area", exact=True).select_option(label=area)
        self.page.get_by_label("Measure").select_option(value=measure)
        self.page.locator("#id_period").fill(period)
        self.page.locator("#id_baseline").fill(baseline)
        self.page.get_by_role("button", name="Show trend").click()
        return self
