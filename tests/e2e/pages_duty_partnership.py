"""Page objects for the Duty's partnership and definition pages."""

import re

from playwright.sync_api import expect

from tests.e2e.pages import BasePage


class DutyAreaPage(BasePage):
    def open(self, code: str) -> "DutyAreaPage":
        self.page.goto(f"/duty/{code}/")
        return self

    def set_up_partnership(self) -> "PartnershipDetailsPage":
        """The area page's link leads to the partnership page, which holds the set-up form."""
        self.follow(self.page.get_by_role("link", name="Set up the partnership"))
        return PartnershipDetailsPage(self.page)

    def part_state(self, heading: str) -> str:
        """The tag under a part's heading: "Complete" or "Missing n"."""
        section = self.page.locator("h2", has_text=heading).first
        return section.locator("xpath=following-sibling::p[1]").inner_text().strip()


class PartnershipDetailsPage(BasePage):
    def fill(self, *, lead_body: str, governance_group: str) -> "PartnershipDetailsPage":
        self.page.get_by_label("Lead body").fill(lead_body)
        # The group is chosen from the area's governance groups when it is set up there, else typed by name.
        choice = self.page.get_by_label(re.compile("^Governance group"))
        if choice.locator("option", has_text=governance_group).count():
            choice.select_option(label=governance_group)
        else:
            self.page.get_by_label(re.compile("^Or its name")).fill(governance_group)
        return self

    def policing_body(self) -> str:
        return self.page.get_by_label(re.compile("^Local policing body")).input_value()

    def submit(self) -> "PartnershipPage":
        self.page.get_by_role("button", name=re.compile("^(Set up the partnership|Save)$")).click()
        return PartnershipPage(self.page)


class PartnershipPage(BasePage):
    def open(self, code: str) -> "PartnershipPage":
        self.page.goto(f"/duty/{code}/partnership/")
        return self

    def kind_state(self, kind: str) -> str:
        return self.page.locator(f'section[data-kind="{kind}"] [data-testid="kind-state"]').inner_text()

    def add_authority(self, kind_label: str) -> "AuthorityFormPage":
        self.page.get_by_role("link", name=f"Add an organisation as {kind_label}").click()
        return AuthorityFormPage(self.page)

    def add_relevant(self) -> "RelevantFormPage":
        self.follow(self.page.get_by_role("link", name="Add a relevant authority"))
        return RelevantFormPage(self.page)

    def record_consultation(self, organisation: str) -> "ConsultationFormPage":
        self.follow(self.page.get_by_role("link", name=f"Record a consultation of {organisation}"))
        return ConsultationFormPage(self.page)

    def missing(self):
        return self.page.get_by_test_id("partnership-missing")

    def banner(self):
        return self.page.locator(".govuk-notification-banner")


class AuthorityFormPage(BasePage):
    def fill(self, *, organisation: str, lead_name: str, lead_role: str = "", lead_email: str = ""):
        self.page.get_by_label("Organisation").fill(organisation)
        self.page.get_by_label("Lead's name").fill(lead_name)
        self.page.get_by_label(re.compile("^Lead's role")).fill(lead_role)
        self.page.get_by_label(re.compile("^Lead's e-mail address")).fill(lead_email)
        return self

    def submit(self) -> PartnershipPage:
        self.page.get_by_role("button", name=re.compile("^(Add to the partnership|Save)$")).click()
        return PartnershipPage(self.page)

    def error_summary(self):
        return self.page.locator(".govuk-error-summary")


class RelevantFormPage(BasePage):
    def fill(self, *, kind_label: str, organisation: str) -> "RelevantFormPage":
        self.page.get_by_label(kind_label).check()
        self.page.get_by_label("Organisation").fill(organisation)
        return self

    def submit(self) -> PartnershipPage:
        self.page.get_by_role("button", name="Add").click()
        return PartnershipPage(self.page)


class ConsultationFormPage(BasePage):
    def fill(self, *, consulted_on: str, contact: str, asked: str, response: str = "", responded_on: str = ""):
        self.page.get_by_label("Date consulted").fill(consulted_on)
        self.page.get_by_label("Who was consulted").fill(contact)
        self.page.get_by_label("What was asked").fill(asked)
        self.page.get_by_label(re.compile("^Their response")).fill(response)
        self.page.get_by_label(re.compile("^Date of the response")).fill(responded_on)
        return self

    def submit(self) -> PartnershipPage:
        self.page.get_by_role("button", name=re.compile("^(Record the consultation|Save)$")).click()
        return PartnershipPage(self.page)

    def error_summary(self):
        return self.page.locator(".govuk-error-summary")


class DefinitionPage(BasePage):
    def open(self, code: str) -> "DefinitionPage":
        self.page.goto(f"/duty/{code}/definition/")
        return self

    def offence(self, label_start: str):
        return self.page.get_by_label(re.compile(f"^{re.escape(label_start)}"))

    def hint_for(self, label_start: str) -> str:
        box = self.offence(label_start)
        return self.page.locator(f"#{box.get_attribute('aria-describedby')}").inner_text()

    def fill(self, **fields: str) -> "DefinitionPage":
        for label, value in fields.items():
            self.page.get_by_label(re.compile(f"^{re.escape(label)}")).fill(value)
        return self

    def save(self) -> "DefinitionPage":
        self.page.get_by_role("button", name="Save the definition").click()
        return self

    def state(self):
        return self.page.get_by_test_id("definition-state")

    def expect_complete(self) -> "DefinitionPage":
        expect(self.state()).to_contain_text("Complete")
        return self
