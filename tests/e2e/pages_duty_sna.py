"""Page objects of the strategic needs assessment (the Duty's part B1)."""

import re

from playwright.sync_api import expect

from tests.e2e.pages import BasePage


class AssessmentsPage(BasePage):
    def open(self, code: str) -> "AssessmentsPage":
        self.page.goto(f"/duty/{code}/needs-assessment/")
        return self

    def start(self, year: int) -> "AssessmentPage":
        self.page.get_by_label("Year of the assessment").fill(str(year))
        self.page.get_by_role("button", name="Start the assessment").click()
        return AssessmentPage(self.page)

    def errors(self):
        return self.page.locator(".govuk-error-summary")


class AssessmentPage(BasePage):
    def state(self):
        return self.page.get_by_test_id("sna-state")

    def written(self):
        return self.page.get_by_test_id("sna-written")

    def edit_section(self, key: str) -> "SectionPage":
        self.section(key).get_by_role("link", name="Edit the section").click()
        return SectionPage(self.page)

    def agree(self) -> "AssessmentPage":
        self.page.get_by_role("button", name="Mark as agreed").click()
        return self

    def reopen(self) -> "AssessmentPage":
        self.page.get_by_role("button", name="Reopen as a draft").click()
        return self

    def error(self):
        return self.page.locator(".govuk-error-summary")

    def section(self, key: str):
        return self.page.locator(f"#section-{key}")


class SectionPage(BasePage):
    def write(self, text: str) -> "SectionPage":
        self.page.locator("#id_text").fill(text)
        return self

    def save(self) -> AssessmentPage:
        self.page.get_by_role("button", name="Save the section").click()
        expect(self.page.locator(".govuk-notification-banner--success")).to_contain_text("Saved the section")
        return AssessmentPage(self.page)

    def cite(self, *, measure: str, area: str, period: str | None = None) -> "SectionPage":
        """Cite ``measure`` (its label starts so) for ``area``; ``period`` YYYY-MM:YYYY-MM, or the latest year."""
        select = self.page.get_by_label("Measure")
        label = next(o for o in select.locator("option").all_inner_texts() if o.startswith(measure))
        select.select_option(label=label)
        self.page.get_by_label(area, exact=True).check()
        if period:
            self.page.get_by_label("Another period", exact=True).first.check()
            self.page.locator("#id_period").fill(period)
        else:
            self.page.get_by_label("The latest 12 months the source has").check()
        self.page.get_by_role("button", name="Cite the figure").click()
        return self

    def figures(self):
        return self.page.get_by_test_id("figure")

    def errors(self):
        return self.page.locator(".govuk-error-summary")

    def back(self) -> AssessmentPage:
        self.page.get_by_role("link", name=re.compile("^Back to the")).click()
        return AssessmentPage(self.page)
