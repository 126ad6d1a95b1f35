"""Page objects for the logic model (diagram, text alternative, editing) and the programmes report."""

from tests.e2e.pages import BasePage


class LogicModelPage(BasePage):
    def open(self, year: int | None = None) -> "LogicModelPage":
        self.page.goto("/programmes/logic-model/" + (f"?year={year}" if year else ""))
        return self

    def diagram_text(self) -> str:
        """Every text of the SVG diagram, whitespace collapsed."""
        texts = self.page.locator('[data-testid="logic-diagram"] svg text').all_text_contents()
        return " ".join(" ".join(texts).split())

    def objective_row(self, title: str):
        return self.page.locator('[data-testid="objectives"] tbody tr').filter(has_text=title)

    def objective_count(self, title: str) -> int:
        return int(self.objective_row(title).get_by_test_id("objective-count").inner_text())

    def objective_spend(self, title: str) -> str:
        return self.objective_row(title).get_by_test_id("objective-spend").inner_text().strip()

    def objective_programmes(self, title: str) -> str:
        return self.objective_row(title).get_by_test_id("objective-programmes").inner_text()

    def objective_measures(self, title: str) -> list[str]:
        return self.objective_row(title).locator('[data-testid="objective-measures"] li').all_inner_texts()

    def change_objective(self, label: str) -> "LogicNodeFormPage":
        self.follow(self.page.get_by_role("link", name=f"Change {label}", exact=True))
        return LogicNodeFormPage(self.page)


class LogicNodeFormPage(BasePage):
    def add_measure(self, measure: str) -> "LogicNodeFormPage":
        field = self.page.get_by_label("Measures")
        current = field.input_value()
        field.fill(f"{current}\n{measure}".strip())
        return self

    def save(self) -> LogicModelPage:
        self.follow(self.page.get_by_role("button", name="Save the objective"))
        return LogicModelPage(self.page)


class ReportPage(BasePage):
    def open(self, year: int) -> "ReportPage":
        self.page.goto(f"/programmes/reports/?year={year}")
        return self

    def row(self, table: str, label: str) -> list[str]:
        row = self.page.locator(f'[data-testid="table-{table}"] tbody tr').filter(has_text=label).first
        return [c.strip() for c in row.locator("td").all_inner_texts()]

    def download_pdf(self):
        with self.page.expect_download() as info:
            self.page.get_by_role("link", name="PDF of the").click()
        return info.value
