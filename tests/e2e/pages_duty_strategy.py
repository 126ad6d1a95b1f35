"""Page objects of the Duty's strategy pages and the public strategy pages."""

from playwright.sync_api import expect

from tests.e2e.pages import BasePage


class StrategyPage(BasePage):
    def open(self, code: str) -> "StrategyPage":
        self.page.goto(f"/duty/{code}/strategy/")
        return self

    def start(self, title: str) -> "StrategyEditPage":
        self.page.get_by_label("Title of the strategy").fill(title)
        self.page.get_by_role("button", name="Start the strategy").click()
        return StrategyEditPage(self.page)

    def edit(self) -> "StrategyEditPage":
        self.page.get_by_role("link", name="Edit the draft").click()
        return StrategyEditPage(self.page)

    def open_publish(self, version: int) -> "PublishPage":
        self.follow(self.page.get_by_role("link", name=f"Publish version {version}"))
        return PublishPage(self.page)

    def version_text(self) -> str:
        return self.page.get_by_test_id("strategy-version").inner_text()

    def missing(self) -> list[str]:
        items = self.page.get_by_test_id("missing-list").locator("li")
        return [items.nth(i).inner_text() for i in range(items.count())]

    def blockers(self):
        return self.page.get_by_test_id("blockers")

    def linked_codes(self) -> list[str]:
        rows = self.page.get_by_test_id("linked-actions").locator("tbody tr")
        return [rows.nth(i).get_attribute("data-code") for i in range(rows.count())]

    def success(self):
        return self.page.locator(".govuk-notification-banner--success")


class StrategyEditPage(BasePage):
    def fill(self, **values: str) -> "StrategyEditPage":
        """Fill fields by their visible label."""
        for label, value in values.items():
            self.page.get_by_label(label, exact=True).fill(value)
        return self

    def link(self, label: str) -> "StrategyEditPage":
        self.page.get_by_label(label, exact=True).check()
        return self

    def save(self) -> StrategyPage:
        self.follow(self.page.get_by_role("button", name="Save the draft"))
        return StrategyPage(self.page)


class PublishPage(BasePage):
    def blockers(self):
        return self.page.get_by_test_id("blockers")

    def publish(self) -> StrategyPage:
        self.page.get_by_role("button", name="Publish the strategy").click()
        return StrategyPage(self.page)


class PublicStrategiesPage(BasePage):
    def open(self) -> "PublicStrategiesPage":
        self.page.goto("/public/")
        self.page.get_by_role(
            "link", name="London Violence Reduction Unit: published serious violence strategies"
        ).click()
        return self

    def open_strategy(self, title: str) -> "PublicStrategyPage":
        self.page.get_by_role("link", name=title).click()
        expect(self.page.locator("h1")).to_have_text(title)
        return PublicStrategyPage(self.page)


class PublicStrategyPage(BasePage):
    def text(self) -> str:
        return self.page.locator("main").inner_text()

    def action_rows(self) -> list[str]:
        rows = self.page.get_by_test_id("public-actions").locator("tbody tr")
        return [rows.nth(i).inner_text() for i in range(rows.count())]


class VersionsPage(BasePage):
    def open(self, code: str) -> "VersionsPage":
        self.page.goto(f"/duty/{code}/strategy/versions/")
        return self

    def compare(self) -> "ComparePage":
        self.page.get_by_role("button", name="Compare").click()
        return ComparePage(self.page)


class ComparePage(BasePage):
    def changed_fields(self) -> list[str]:
        rows = self.page.get_by_test_id("changed-fields").locator("tbody tr")
        return [rows.nth(i).get_attribute("data-field") for i in range(rows.count())]

    def linked(self):
        return self.page.get_by_test_id("linked")

    def unlinked(self):
        return self.page.get_by_test_id("unlinked")


class ReviewsPage(BasePage):
    def open(self, code: str) -> "ReviewsPage":
        self.page.goto(f"/duty/{code}/reviews/")
        return self

    def record(self, **values: str) -> "ReviewsPage":
        self.page.get_by_role("link", name="Record a review").click()
        for label, value in values.items():
            field = self.page.get_by_label(label)
            if label.startswith("The strategy version"):
                field.select_option(label=value)
            else:
                field.fill(value)
        self.page.get_by_role("button", name="Record the review").click()
        return self

    def error_summary(self):
        return self.page.locator(".govuk-error-summary")

    def years(self) -> list[str]:
        sections = self.page.locator("section[data-year]")
        return [sections.nth(i).get_attribute("data-year") for i in range(sections.count())]
