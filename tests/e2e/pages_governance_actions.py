"""Page objects for governance's actions arising: the report and open actions, an action, its update form."""

from pathlib import Path

from tests.e2e.pages import BasePage


class ActionsPage(BasePage):
    def open(self, slug: str) -> "ActionsPage":
        self.page.goto(f"/governance/{slug}/actions/")
        return self

    def report_rows(self):
        return self.page.get_by_test_id("report-row")

    def open_rows(self):
        return self.page.get_by_test_id("open-row")

    def report_about(self) -> str:
        return self.page.get_by_test_id("report-about").inner_text()

    def row_for(self, testid: str, action_text: str):
        return self.page.get_by_test_id(testid).filter(has_text=action_text)

    def open_action(self, action_text: str) -> "ActionPage":
        self.page.get_by_test_id("open-row").get_by_role("link", name=action_text).click()
        return ActionPage(self.page)

    def download(self, fmt: str, folder: Path) -> Path:
        with self.page.expect_download() as info:
            self.page.get_by_test_id(f"download-{fmt}").click()
        target = folder / info.value.suggested_filename
        info.value.save_as(target)
        return target


class ActionPage(BasePage):
    def status(self) -> str:
        return self.page.get_by_test_id("action-status").inner_text()

    def record_update(self) -> "UpdateFormPage":
        self.follow(self.page.get_by_test_id("report-update"))
        return UpdateFormPage(self.page)


class UpdateFormPage(BasePage):
    def fill(self, *, update: str, status: str) -> "UpdateFormPage":
        self.page.get_by_label("Update", exact=True).fill(update)
        self.page.get_by_label(status, exact=True).check()
        return self

    def save(self) -> ActionPage:
        self.page.get_by_role("button", name="Record the update").click()
        return ActionPage(self.page)


class ActionFormPage(BasePage):
    def open_new(self, slug: str) -> "ActionFormPage":
        self.page.goto(f"/governance/{slug}/actions/new/")
        return self

    def fill(self, *, text: str, owner: str, deadline: str = "") -> "ActionFormPage":
        self.page.get_by_label("Action", exact=True).fill(text)
        self.page.get_by_label("Owner", exact=True).fill(owner)
        self.page.get_by_label("Deadline (optional)").fill(deadline)
        return self

    def add(self) -> "ActionFormPage":
        self.page.get_by_role("button", name="Add the action").click()
        return self

    def errors(self):
        return self.page.locator(".govuk-error-summary")
