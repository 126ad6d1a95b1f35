"""Page objects for programmes and grants: setting a programme up, its amounts, areas, links and evaluation,
and the prioritisation of interventions for evaluation."""

from tests.e2e.pages import BasePage


class ProgrammeFormPage(BasePage):
    def open_new(self) -> "ProgrammeFormPage":
        self.page.goto("/programmes/new/")
        return self

    def fill(self, **values) -> "ProgrammeFormPage":
        for label, value in values.items():
            field = self.page.get_by_label(label, exact=True)
            if field.evaluate("e => e.tagName") == "SELECT":
                field.select_option(label=value)
            else:
                field.fill(value)
        return self

    def submit(self) -> "AmountsPage":
        self.page.get_by_role("button", name="Set up the programme").click()
        return AmountsPage(self.page)


class AmountsPage(BasePage):
    def add(self, year: int, amount: str, *, estimated: bool = False) -> "AmountsPage":
        self.page.get_by_label("Financial year").fill(str(year))
        self.page.get_by_label("Amount in pounds").fill(amount)
        self.page.get_by_label("The split between years is an estimate", exact=False).set_checked(estimated)
        self.follow(self.page.get_by_role("button", name="Save the amount"))
        return self

    def total(self) -> str:
        return self.page.get_by_test_id("amount-total").inner_text().strip()

    def errors(self) -> str:
        return self.page.locator(".govuk-error-summary").inner_text()


class ProgrammePage(BasePage):
    def open(self, pk: int) -> "ProgrammePage":
        self.page.goto(f"/programmes/{pk}/")
        return self

    def go(self, link: str) -> BasePage:
        self.follow(self.page.get_by_role("link", name=link))
        return BasePage(self.page)

    def text(self, test_id: str) -> str:
        return self.page.get_by_test_id(test_id).inner_text()


class LinksPage(BasePage):
    def tick(self, name: str, value: int) -> "LinksPage":
        self.page.locator(f'input[name="{name}"][value="{value}"]').check()
        return self

    def save(self, button: str) -> ProgrammePage:
        self.page.get_by_role("button", name=button).click()
        return ProgrammePage(self.page)


class EvaluationPage(BasePage):
    def fill(self, *, status: str, findings: str, strength: str, report: str) -> "EvaluationPage":
        self.page.get_by_label(status, exact=True).check()
        self.page.get_by_label("Findings").fill(findings)
        self.page.get_by_label(strength).check()
        self.page.get_by_label("Link to the report").fill(report)
        return self

    def save(self) -> ProgrammePage:
        self.page.get_by_role("button", name="Save the evaluation").click()
        return ProgrammePage(self.page)


class PrioritiesPage(BasePage):
    def open(self) -> "PrioritiesPage":
        self.page.goto("/programmes/evaluation/")
        return self

    def sort_by(self, column: str) -> "PrioritiesPage":
        self.follow(self.page.get_by_role("link", name=column))
        return self

    def references(self, prefix: str) -> list[str]:
        refs = self.page.locator('[data-testid="priorities-table"] tbody tr').evaluate_all(
            "rows => rows.map(r => r.dataset.reference)"
        )
        return [r for r in refs if r.startswith(prefix)]
