"""Page objects for a group's terms of reference, its members and the membership import."""

from tests.e2e.pages import BasePage


class MembersPage(BasePage):
    def open(self, slug: str) -> "MembersPage":
        self.page.goto(f"/governance/{slug}/members/")
        return self

    def share_words(self) -> str:
        return self.page.get_by_test_id("share-words").inner_text()

    def share_target(self) -> str:
        return self.page.get_by_test_id("share-target").inner_text()

    def names_in_office(self) -> list[str]:
        return self.page.locator('[data-testid="members-in-office"] tbody tr td:first-child').all_inner_texts()

    def import_membership(self) -> "ImportPage":
        self.follow(self.page.get_by_role("link", name="Import the membership from a spreadsheet"))
        return ImportPage(self.page)

    def open_member(self, name: str) -> "MemberPage":
        self.follow(self.page.locator('[data-testid="members-in-office"]').get_by_role("link", name=name, exact=True))
        return MemberPage(self.page)


class ImportPage(BasePage):
    def upload(self, path: str) -> "ImportPage":
        self.page.get_by_label("Upload the membership list").set_input_files(path)
        self.follow(self.page.get_by_role("button", name="Check the list"))
        return self

    def summary(self) -> str:
        return self.page.get_by_test_id("import-summary").inner_text()

    def added_names(self) -> list[str]:
        return self.page.locator('[data-testid="import-added"] tbody tr td:nth-child(2)').all_inner_texts()

    def leaving_names(self) -> list[str]:
        return self.page.locator('[data-testid="import-left"] tbody tr td:first-child').all_inner_texts()

    def share_after(self) -> str:
        return self.page.get_by_test_id("community-share").nth(1).inner_text()

    def problems(self) -> list[str]:
        return self.page.locator('[data-testid="import-problems"] li').all_inner_texts()

    def save(self) -> MembersPage:
        self.follow(self.page.get_by_role("button", name="Save the membership"))
        return MembersPage(self.page)


class MemberPage(BasePage):
    def add_interest(self, description: str, declared_on: str) -> "MemberPage":
        self.page.get_by_label("Interest declared").fill(description)
        self.page.get_by_label("Date declared").fill(declared_on)
        self.follow(self.page.get_by_role("button", name="Add the interest to the register"))
        return self

    def interests(self) -> list[str]:
        return self.page.locator('[data-testid="member-interests"] tbody tr td:first-child').all_inner_texts()


class TermsPage(BasePage):
    def open(self, slug: str) -> "TermsPage":
        self.page.goto(f"/governance/{slug}/terms/")
        return self

    def rule(self) -> str:
        return self.page.get_by_test_id("quorum-rule").inner_text()
