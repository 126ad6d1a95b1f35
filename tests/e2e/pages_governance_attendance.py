"""Page objects for a meeting's attendance, its import and its quorum check (governance, part C)."""

from pathlib import Path

from tests.e2e.pages import BasePage


def _meeting_path(slug: str, pk: int, tail: str) -> str:
    return f"/governance/{slug}/meetings/{pk}/{tail}"


class AttendancePage(BasePage):
    def open(self, slug: str, pk: int) -> "AttendancePage":
        self.page.goto(_meeting_path(slug, pk, "attendance/"))
        return self

    def import_from_spreadsheet(self) -> "ImportPage":
        self.follow(self.page.get_by_role("link", name="Import the attendance from a spreadsheet"))
        return ImportPage(self.page)

    def attendance_of(self, name: str):
        return self.page.get_by_label(f"How {name} took part")

    def left_after(self, name: str):
        return self.page.get_by_label(f"Item after which {name} left")


class ImportPage(BasePage):
    def upload(self, path: Path) -> "ImportPage":
        self.page.get_by_label("Upload the attendance list").set_input_files(str(path))
        self.page.get_by_role("button", name="Check the file").click()
        return self

    def summary(self) -> str:
        return self.page.get_by_test_id("preview-summary").inner_text()

    def problems(self):
        return self.page.get_by_test_id("problems").locator("li")

    def preview_rows(self):
        return self.page.locator('[data-testid="preview"] tbody tr')

    def save(self) -> "QuorumPage":
        self.page.get_by_role("button", name="Save this attendance").click()
        return QuorumPage(self.page)


class QuorumPage(BasePage):
    def open(self, slug: str, pk: int) -> "QuorumPage":
        self.page.goto(_meeting_path(slug, pk, "quorum/"))
        return self

    def item_row(self, number: int):
        return self.page.get_by_test_id(f"item-{number}")

    def verdict(self, number: int) -> str:
        return self.item_row(number).get_by_test_id("verdict").inner_text()

    def reasons(self, number: int) -> str:
        return self.item_row(number).get_by_test_id("reasons").inner_text()

    def opening(self) -> str:
        return self.page.get_by_test_id("opening").inner_text()
