"""Page objects for a partnership group's meetings: arranging one, its agenda items, minutes and publication."""

from tests.e2e.pages import BasePage


class MeetingNewPage(BasePage):
    def open(self, slug: str) -> "MeetingNewPage":
        self.page.goto(f"/governance/{slug}/meetings/new/")
        return self

    def arrange(self, *, date: str, place: str, items: int, standard: bool = False) -> "MeetingPage":
        self.page.get_by_label("Date").fill(date)
        self.page.get_by_label("Place").fill(place)
        self.page.get_by_label("Number of agenda items to start with").fill(str(items))
        if standard:
            self.page.get_by_label("Start with the standard opening items").check()
        self.page.get_by_role("button", name="Arrange the meeting").click()
        return MeetingPage(self.page)


class MeetingPage(BasePage):
    def banner(self) -> str:
        return self.page.locator(".govuk-notification-banner").first.inner_text()

    def item(self, number: int):
        return self.page.get_by_test_id(f"item-{number}")

    def exempt_text(self, number: int) -> str:
        return self.page.get_by_test_id(f"item-{number}-exempt").inner_text()

    def publication(self) -> str:
        return self.page.get_by_test_id("publication").inner_text()

    def problems(self) -> str:
        return self.page.get_by_test_id("agenda-problems").inner_text()

    def change_item(self, number: int) -> "ItemFormPage":
        self.follow(self.item(number).get_by_role("link", name="Change the item and its paper"))
        return ItemFormPage(self.page)

    def write_minutes(self, number: int) -> "MinutesPage":
        self.follow(self.item(number).get_by_role("link", name="Write the minutes, dissent and interests"))
        return MinutesPage(self.page)

    def publish_agenda(self) -> "MeetingPage":
        self.page.get_by_role("button", name="Publish the agenda").click()
        return self

    def open_approval(self) -> "ApprovePage":
        self.follow(self.page.get_by_role("link", name="Approve the minutes"))
        return ApprovePage(self.page)

    def publish_minutes(self) -> "MeetingPage":
        self.page.get_by_role("button", name="Publish the minutes").click()
        return self


class ApprovePage(BasePage):
    def approve(self, on: str) -> MeetingPage:
        self.page.get_by_label("Date the minutes were approved").fill(on)
        self.page.get_by_role("button", name="Approve the minutes").click()
        return MeetingPage(self.page)


class ItemFormPage(BasePage):
    def fill(self, **values) -> "ItemFormPage":
        labels = {
            "title": "Title",
            "presenter": "Presenter (optional)",
            "paper_title": "Title of the paper (optional)",
            "exemption": "Exemption relied on (optional)",
            "equality": "How equality issues were considered (optional)",
        }
        for key, value in values.items():
            if key == "paper":
                self.page.get_by_label("Upload the paper (optional)").set_input_files(value)
            elif key == "exempt":
                self.page.get_by_label("Exempt from publication under the Freedom of Information Act 2000").check()
            else:
                self.page.get_by_label(labels[key], exact=True).fill(value)
        return self

    def save(self) -> MeetingPage:
        self.page.get_by_role("button", name="Save the item").click()
        return MeetingPage(self.page)


class MinutesPage(BasePage):
    def save_minutes(self, *, minutes: str, decision: str) -> MeetingPage:
        self.page.get_by_label("Minutes", exact=True).fill(minutes)
        self.page.get_by_label("Decision", exact=True).fill(decision)
        self.page.get_by_role("button", name="Save the minutes").click()
        return MeetingPage(self.page)

    def record_dissent(self, *, member: str, text: str) -> "MinutesPage":
        form = self.page.locator("form", has=self.page.get_by_role("button", name="Record the dissent"))
        form.get_by_label("Member", exact=True).select_option(label=member)
        form.get_by_label("Dissent as the member wishes it recorded").fill(text)
        form.get_by_role("button", name="Record the dissent").click()
        return self

    def dissents(self) -> str:
        return self.page.get_by_test_id("dissents").inner_text()

    def back_to_meeting(self) -> MeetingPage:
        self.page.get_by_role("link", name="Back to the meeting").click()
        return MeetingPage(self.page)
