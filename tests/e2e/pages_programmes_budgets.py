"""Page objects for budgets: the list, a budget's page and its forms."""

from tests.e2e.pages import BasePage


class BudgetListPage(BasePage):
    def open(self) -> "BudgetListPage":
        self.page.goto("/programmes/budgets/")
        return self

    def set_up(self, year: int) -> "BudgetPage":
        self.page.get_by_role("link", name="Set up a budget").click()
        self.page.get_by_label("Financial year").fill(str(year))
        self.page.get_by_role("button", name="Set up the budget").click()
        return BudgetPage(self.page)


class BudgetPage(BasePage):
    def open(self, code: str, year: int) -> "BudgetPage":
        self.page.goto(f"/programmes/budgets/{code}/{year}/")
        return self

    def differences(self) -> list[str]:
        return self.page.locator('[data-testid="differences"] li').all_inner_texts()

    def adds_up(self) -> str:
        return self.page.get_by_test_id("adds-up").inner_text()

    def commitment_differences(self) -> list[str]:
        return self.page.get_by_test_id("commitment-difference").all_inner_texts()

    def add_income(self, source: str, amount: str, **extra: str) -> "BudgetPage":
        self.page.get_by_role("link", name="Add an income line").click()
        self.page.get_by_label("Source").fill(source)
        self.page.get_by_label("Amount").fill(amount)
        for label, value in extra.items():
            self.page.get_by_label(label).fill(value)
        self.page.get_by_role("button", name="Save").click()
        return self

    def add_spend(self, category: str, amount: str) -> "BudgetPage":
        self.page.get_by_role("link", name="Add a spend line").click()
        self.page.get_by_label("Category").fill(category)
        self.page.get_by_label("Amount").fill(amount)
        self.follow(self.page.get_by_role("button", name="Save"))
        return self

    def change_spend(self, category: str, amount: str) -> "BudgetPage":
        self.page.get_by_role("link", name=f"Change {category}").click()
        self.page.get_by_label("Amount").fill(amount)
        self.page.get_by_role("button", name="Save").click()
        return self

    def error_summary(self) -> str:
        return self.page.locator(".govuk-error-summary").inner_text()
