"""Page objects for monitoring returns: the import (template, upload, preview) and a programme's returns."""

from pathlib import Path

from tests.e2e.pages import BasePage


class ReturnsImportPage(BasePage):
    def open(self) -> "ReturnsImportPage":
        self.page.goto("/programmes/returns/import/")
        return self

    def download_template(self, folder: Path) -> Path:
        with self.page.expect_download() as info:
            self.page.get_by_role("link", name="Download the template (Excel workbook)").click()
        path = folder / info.value.suggested_filename
        info.value.save_as(str(path))
        return path

    def upload(self, path: str) -> "ReturnsImportPage":
        self.page.get_by_label("Upload the returns spreadsheet").set_input_files(path)
        self.follow(self.page.get_by_role("button", name="Check the file"))
        return self

    def problems(self) -> list[str]:
        return self.page.locator('[data-testid="import-problems"] li').all_inner_texts()

    def summary(self) -> str:
        return self.page.get_by_test_id("import-summary").inner_text()

    def rows(self) -> list[list[str]]:
        found = []
        for row in self.page.locator('[data-testid="import-rows"] tbody tr').all():
            found.append([cell.inner_text() for cell in row.locator("td").all()])
        return found

    def save(self) -> "ReturnsPage":
        self.page.get_by_role("button", name="Save the returns").click()
        return ReturnsPage(self.page)


class ReturnsPage(BasePage):
    def open(self, pk: int) -> "ReturnsPage":
        self.page.goto(f"/programmes/{pk}/returns/")
        return self

    def reach_direct(self, year: int) -> str:
        return self.page.locator(f'[data-testid="reach-{year}"] [data-testid="reach-direct"]').inner_text()

    def reach_indirect(self, year: int) -> str:
        return self.page.locator(f'[data-testid="reach-{year}"] [data-testid="reach-indirect"]').inner_text()

    def spend(self, year: int) -> str:
        return self.page.get_by_test_id(f"spend-{year}").inner_text()

    def incomplete(self, year: int) -> bool:
        return self.page.get_by_test_id(f"incomplete-{year}").count() == 1

    def quarters(self, year: int) -> list[str]:
        return self.page.locator(f'[data-testid="returns-{year}"] tbody th').all_inner_texts()

    def change(self, label: str) -> BasePage:
        self.page.get_by_role("link", name=f"Change the return for {label}").click()
        return BasePage(self.page)
