"""Page objects for the needs assessment data pack (the page that starts the job, and the job page)."""

from playwright.sync_api import expect

from tests.e2e.pages import BasePage


class DataPackPage(BasePage):
    def open(self, code: str) -> "DataPackPage":
        self.page.goto(f"/duty/{code}/needs-assessment/data-pack/")
        return self

    def scope(self):
        return self.page.get_by_test_id("datapack-scope")

    def generate(self, label: str) -> "JobPage":
        self.page.get_by_role("button", name=f"Generate the data pack ({label})").click()
        return JobPage(self.page)


class JobPage(BasePage):
    def expect_ready(self) -> "JobPage":
        expect(self.page.locator("[data-job=state]")).to_have_text("Finished")
        return self

    def summary(self) -> str:
        return self.page.locator("[data-job=summary]").inner_text()

    def download(self):
        """Click the download button; the file (a Playwright Download)."""
        with self.page.expect_download() as info:
            self.page.locator("[data-job=output]").click()
        return info.value
