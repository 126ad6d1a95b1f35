"""Page objects for governance's public pages (no sign-in)."""

import re

from tests.e2e.pages import BasePage


class PublicIndexPage(BasePage):
    def open(self) -> "PublicIndexPage":
        self.page.goto("/public/")
        return self

    def open_groups(self, vru_name: str) -> "PublicGroupsPage":
        self.follow(self.page.get_by_role("link", name=f"{vru_name}: partnership groups"))
        return PublicGroupsPage(self.page)


class PublicGroupsPage(BasePage):
    def group_names(self) -> list[str]:
        return [t.strip() for t in self.page.locator("[data-testid=groups] tbody th a").all_inner_texts()]

    def open_group(self, name: str) -> "PublicGroupPage":
        self.follow(self.page.get_by_role("link", name=name, exact=True))
        return PublicGroupPage(self.page)


class PublicGroupPage(BasePage):
    def member_rows(self) -> list[list[str]]:
        rows = self.page.locator("[data-testid=members] tbody tr")
        return [[c.strip() for c in rows.nth(i).locator("td").all_inner_texts()] for i in range(rows.count())]

    def quorum(self) -> str:
        return self.page.locator("[data-testid=terms] dd").nth(1).inner_text()

    def open_agenda(self, day: str) -> "PublicMeetingPage":
        self.follow(self.page.get_by_role("link", name=f"Agenda of {day}"))
        return PublicMeetingPage(self.page)


class PublicMeetingPage(BasePage):
    def item_headings(self) -> list[str]:
        return [t.strip() for t in self.page.locator("[data-testid=agenda] h3").all_inner_texts()]

    def minutes_state(self) -> str:
        return self.page.get_by_test_id("minutes-state").inner_text().strip()

    def download_paper(self, number: int):
        with self.page.expect_download() as info:
            self.page.get_by_role("link", name=re.compile(rf"Download the paper.*\(item {number}\)")).click()
        return info.value

    def open_actions_arising(self) -> "PublicActionsPage":
        self.follow(self.page.get_by_role("link", name="Actions arising report for this meeting"))
        return PublicActionsPage(self.page)


class PublicActionsPage(BasePage):
    def section(self, day: str) -> list[list[str]]:
        rows = self.page.locator(f"table:has(caption:text-is('Actions Arising from the Meeting of {day}')) tbody tr")
        return [[c.strip() for c in rows.nth(i).locator("td").all_inner_texts()] for i in range(rows.count())]
