"""Page objects for a VRU admin's areas page (organisations/areas/)."""

from tests.e2e.pages import BasePage


class AreasPage(BasePage):
    def open_from_account(self) -> "AreasPage":
        self.page.goto("/account/")
        self.page.get_by_role("link", name="Your VRU's areas").click()
        return self

    def own_codes(self) -> list[str]:
        rows = self.page.locator('[data-testid="own-areas"] tbody tr')
        return sorted(rows.nth(i).get_attribute("data-area") or "" for i in range(rows.count()))

    def bcu_of(self, code: str) -> str:
        return self.page.locator(f'[data-testid="own-areas"] tr[data-area="{code}"] [data-testid="bcu"]').inner_text()

    def show_force(self, name: str) -> "AreasPage":
        self.page.get_by_label("Police force area").select_option(label=name)
        self.follow(self.page.get_by_role("button", name="Show"))
        return self

    def force_groups(self) -> list[str]:
        groups = self.page.locator("[data-force]")
        return [groups.nth(i).get_attribute("data-force") or "" for i in range(groups.count())]

    def offered_codes(self) -> list[str]:
        boxes = self.page.locator('input[name="area"]')
        return sorted(boxes.nth(i).get_attribute("value") or "" for i in range(boxes.count()))

    def take_all(self, force_name: str) -> "AreasPage":
        self.follow(self.page.get_by_role("button", name=f"of {force_name}"))
        return self

    def choose(self, label: str) -> "AreasPage":
        self.page.get_by_label(label).check()
        return self

    def assign_selected(self) -> "AreasPage":
        self.follow(self.page.get_by_role("button", name="Assign the selected areas to your VRU"))
        return self

    def give_back(self, name: str) -> "AreasPage":
        self.follow(self.page.get_by_role("button", name=f"Give back {name}"))
        return self

    def banner(self) -> str:
        return self.page.locator(".govuk-notification-banner__heading").first.inner_text()

    def error_summary(self) -> str:
        return self.page.locator(".govuk-error-summary").inner_text()
