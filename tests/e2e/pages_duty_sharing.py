"""Page objects for the Duty's data-sharing registers and the policing body's information requests."""

from tests.e2e.pages import BasePage


class SharingPage(BasePage):
    def open(self, code: str) -> "SharingPage":
        self.page.goto(f"/duty/{code}/data-sharing/")
        return self

    def warning(self):
        return self.page.get_by_test_id("agreement-warning")

    def agreement_reviews(self):
        return self.page.get_by_test_id("agreement-review")

    def request_states(self):
        return self.page.get_by_test_id("request-state")

    def make_request(self) -> "RequestFormPage":
        self.follow(self.page.get_by_role("link", name="Make an information request"))
        return RequestFormPage(self.page)

    def add_agreement(self) -> "AgreementFormPage":
        self.page.get_by_role("link", name="Add an agreement").click()
        return AgreementFormPage(self.page)

    def open_request(self, requested_on_words: str) -> "RequestPage":
        self.follow(self.page.locator('[data-testid="requests"]').get_by_role("link", name=requested_on_words))
        return RequestPage(self.page)


class RequestFormPage(BasePage):
    def fill(self, *, requested_on: str, authority: str, asked: str, due_on: str = "") -> "RequestFormPage":
        self.page.get_by_label("Date of the request").fill(requested_on)
        self.page.get_by_label("Specified authority asked").select_option(label=authority)
        self.page.get_by_label("What is asked").fill(asked)
        if due_on:
            self.page.get_by_label("Date the response is due").fill(due_on)
        return self

    def send(self) -> "RequestPage":
        self.page.get_by_role("button", name="Send the request").click()
        return RequestPage(self.page)


class RequestPage(BasePage):
    def status(self) -> str:
        return self.page.get_by_test_id("request-status").inner_text()

    def state(self) -> str:
        return self.page.get_by_test_id("request-state").inner_text()

    def answer(self, *, responded_on: str, answer: str) -> "RequestPage":
        form = self.page.locator("form", has=self.page.get_by_role("button", name="Record the answer"))
        form.get_by_label("Date of the response").fill(responded_on)
        form.get_by_label("Answer").fill(answer)
        form.get_by_role("button", name="Record the answer").click()
        return self

    def answer_button(self):
        return self.page.get_by_role("button", name="Record the answer")


class AgreementFormPage(BasePage):
    def fill(self, **values) -> "AgreementFormPage":
        for label, value in values.items():
            field = self.page.get_by_label(label, exact=True)
            if isinstance(value, bool):
                field.set_checked(value)
            else:
                field.fill(value)
        return self

    def choose_basis(self, label: str) -> "AgreementFormPage":
        self.page.get_by_label(label).check()
        return self

    def add(self) -> "AgreementFormPage":
        self.page.get_by_role("button", name="Add the agreement").click()
        return self

    def error_summary(self):
        return self.page.locator(".govuk-error-summary")


class RequestsPage(BasePage):
    """The local policing body's requests across the areas it monitors."""

    def open(self) -> "RequestsPage":
        self.page.goto("/duty/monitoring/information-requests/")
        return self

    def counts(self) -> str:
        return self.page.get_by_test_id("request-counts").inner_text()

    def rows(self):
        return self.page.locator('[data-testid="monitored-requests"] tbody tr')
