"""Page objects: what a person can see and do on each page, so tests read as steps."""

import re

from playwright.sync_api import Page, expect

from tests.e2e.axe import assert_no_axe_violations

DEMO_PASSWORD = "vrhub-demo-only"


class BasePage:
    def __init__(self, page: Page):
        self.page = page

    def check_accessibility(self):
        assert_no_axe_violations(self.page)
        return self

    def heading(self) -> str:
        return self.page.locator("h1").first.inner_text()

    def follow(self, locator) -> None:
        """Click a link or submit button that reloads this page, and wait for the new page.

        Reading rows straight after a bare click can read the old page as it unloads (an empty list).
        """
        with self.page.expect_navigation():
            locator.click()


class LoginPage(BasePage):
    def open(self):
        self.page.goto("/accounts/login/")
        return self

    def sign_in(self, username: str, password: str = DEMO_PASSWORD) -> "HomePage":
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("Password").fill(password)
        self.follow(self.page.get_by_role("button", name="Sign in"))
        return HomePage(self.page)


class HomePage(BasePage):
    def open_plan(self, area_name: str) -> "PlanPage":
        self.follow(self.page.get_by_role("link", name=re.compile(f"^{area_name}")))
        return PlanPage(self.page)


class PlanPage(BasePage):
    def complete_count(self) -> int:
        return int(self.page.get_by_test_id("complete-count").inner_text())

    def theme_complete(self, code: str) -> int:
        return int(self.page.locator(f'tr[data-theme="{code}"] [data-testid="theme-complete"]').inner_text())

    def open_theme(self, title: str) -> "ThemePage":
        self.follow(self.page.get_by_role("link", name=re.compile(rf"\d+\. {title}$")))
        return ThemePage(self.page)


class ThemePage(BasePage):
    def action(self, code: str):
        return self.page.locator(f'section[data-code="{code}"]')

    def choose_optional_actions(self) -> "OptionalActionsPage":
        self.follow(self.page.get_by_role("link", name=re.compile("Choose optional actions")))
        return OptionalActionsPage(self.page)

    def fill_action(self, code: str, **values):
        self.last_code = code
        section = self.action(code)
        for label, value in values.items():
            field = section.get_by_label(re.compile(f"^{re.escape(label)} {re.escape(code)}$"))
            if label == "Status":
                field.select_option(label=value)
            elif isinstance(value, bool):
                field.set_checked(value)
            else:
                field.fill(value)
        return self

    def save(self, code: str | None = None) -> "ThemePage":
        """Press the Save button of action ``code`` (by default the action filled last): each action has its own."""
        code = code or self.last_code
        self.action(code).get_by_role("button", name=f"Save {code}", exact=True).click()
        return self

    def save_and_continue(self, code: str | None = None) -> "ThemePage":
        code = code or self.last_code
        self.action(code).get_by_role("button", name=re.compile("^Save and ")).click()
        return self

    def void_warning(self):
        return self.page.get_by_test_id("void-warning")

    def confirm_void(self, code: str | None = None) -> "ThemePage":
        """Tick "Save anyway: I understand this voids the signatures of …" on action ``code``."""
        code = code or self.last_code
        self.action(code).get_by_label(re.compile("^Save anyway: I understand this voids")).check()
        return self

    def action_is_complete(self, code: str) -> bool:
        return self.action(code).get_by_test_id("action-complete").count() == 1

    def back_to_plan(self) -> PlanPage:
        self.page.get_by_role("navigation", name="Breadcrumb").get_by_role("link").last.click()
        return PlanPage(self.page)

    def expect_saved(self, code: str | None = None):
        """The note beside the action saved (a save returns to it): said there once, not in a banner too."""
        expect(self.action(code or self.last_code).get_by_test_id("saved-note")).to_contain_text(
            re.compile("saved", re.I)
        )
        return self


class OptionalActionsPage(BasePage):
    def adopt(self, label_start: str) -> "OptionalActionsPage":
        self.page.get_by_label(re.compile(f"^{re.escape(label_start)}")).check()
        return self

    def void_warning(self):
        return self.page.get_by_test_id("void-warning")

    def confirm_void(self) -> "OptionalActionsPage":
        self.page.get_by_label(re.compile("^I understand this change voids")).check()
        return self

    def save(self) -> ThemePage:
        self.page.get_by_role("button", name="Save optional actions").click()
        return ThemePage(self.page)


class Session:
    """Sign in and out as the different people of the cycle, in one browser tab."""

    def __init__(self, page: Page):
        self.page = page

    def as_user(self, username: str) -> HomePage:
        if self.page.get_by_role("button", name="Sign out").count():
            self.page.get_by_role("button", name="Sign out").click()
        return LoginPage(self.page).open().sign_in(username)


class SignPage(BasePage):
    """The sign-off page: the completeness check, the changes since the signatory signed, and the form."""

    def open(self, plan_pk: int) -> "SignPage":
        self.page.goto(f"/plans/{plan_pk}/sign/")
        return self

    def waits(self):
        return self.page.get_by_test_id("signing-waits")

    def problem_rows(self):
        return self.page.locator('[data-testid="problem-list"] tbody tr')

    def sign_button(self):
        return self.page.get_by_role("button", name="Sign the plan")

    def change_tables(self):
        return self.page.get_by_test_id("change-table")

    def sign(self) -> "SignPage":
        self.page.get_by_label(re.compile("I confirm that I have reviewed")).check()
        self.sign_button().click()
        expect(self.page.locator(".govuk-notification-banner--success")).to_contain_text("You have signed")
        return self


class SignatoryHomePage(BasePage):
    def open(self) -> "SignatoryHomePage":
        self.page.goto("/")
        return self

    def todo(self):
        return self.page.get_by_test_id("signoff-todo")

    def to_sign(self):
        return self.page.locator('[data-testid="todo-to-sign"] li')

    def voided_rows(self):
        return self.page.locator('[data-testid="todo-voided"] tbody tr')


class CyclePlanPage(PlanPage):
    def open(self, plan_pk: int) -> "CyclePlanPage":
        self.page.goto(f"/plans/{plan_pk}/")
        return self

    def signature_state(self, office: str) -> str:
        return self.page.locator(f'tr[data-office="{office}"] [data-testid="signature-state"]').inner_text()

    def sign(self) -> "CyclePlanPage":
        self.follow(self.page.get_by_role("link", name="Review and sign the plan"))
        assert_no_axe_violations(self.page)
        self.page.get_by_label(re.compile("I confirm that I have reviewed")).check()
        self.page.get_by_role("button", name="Sign the plan").click()
        expect(self.page.locator(".govuk-notification-banner--success")).to_contain_text("You have signed")
        return self

    def submit(self) -> "CyclePlanPage":
        self.follow(self.page.get_by_role("button", name=re.compile("(Submit|Resubmit) the plan")))
        return self

    def review(self, decision: str, comment: str = "") -> "CyclePlanPage":
        self.follow(self.page.get_by_role("link", name="Review the plan"))
        assert_no_axe_violations(self.page)
        # One form per decision: returning needs a reason, accepting takes an optional comment.
        returning = decision.startswith("Return")
        if comment:
            self.page.get_by_label("Reason for returning the plan" if returning else "Comment to the borough").fill(
                comment
            )
        name = "Return the plan to the borough" if returning else "Accept the plan"
        self.follow(self.page.get_by_role("button", name=name, exact=True))
        return self

    def reply(self, text: str) -> "CyclePlanPage":
        self.page.get_by_label("Reply to this comment").first.fill(text)
        self.page.get_by_role("button", name="Reply").first.click()
        return self

    def state(self) -> str:
        return self.page.locator(".govuk-summary-list__row", has_text="State").locator("dd").inner_text()

    def return_banner(self):
        return self.page.get_by_test_id("return-banner")

    def follow_open_comment(self, index: int = 0) -> "ThemePage":
        """Follow the banner's link to an open review comment (on a theme page)."""
        self.follow(self.return_banner().get_by_test_id("return-open-comments").get_by_role("link").nth(index))
        return ThemePage(self.page)


class ReviewedThemePage(ThemePage):
    """A theme page of a plan under review: review comments beside the actions they are about."""

    def action_comment(self, code: str):
        return self.action(code).get_by_test_id("action-comment")

    def mark_addressed(self, code: str) -> "ReviewedThemePage":
        self.action_comment(code).get_by_role("button", name=re.compile("^Mark as addressed")).click()
        expect(self.page.locator(".govuk-notification-banner--success")).to_contain_text("marked addressed")
        return self

    def reopen(self, code: str) -> "ReviewedThemePage":
        self.action_comment(code).get_by_role("button", name=re.compile("^Reopen")).click()
        expect(self.page.locator(".govuk-notification-banner--success")).to_contain_text("open again")
        return self


# Account, two-factor authentication and API tokens ---------------------------------------------


def totp_code(base32_key: str) -> str:
    """The code an authenticator app set up with this key shows now."""
    from base64 import b32decode

    from django_otp.oath import totp

    key = base32_key.replace(" ", "")
    return f"{totp(b32decode(key + '=' * (-len(key) % 8))):06d}"


class TwoFactorSetupPage(BasePage):
    def manual_key(self) -> str:
        self.page.get_by_text("I cannot scan the QR code").click()
        return self.page.get_by_test_id("totp-key").inner_text()

    def enter_code(self, code: str) -> "BackupCodesPage":
        self.page.get_by_label("Code").fill(code)
        self.page.get_by_role("button", name="Turn on two-factor authentication").click()
        return BackupCodesPage(self.page)


class BackupCodesPage(BasePage):
    def codes(self) -> list[str]:
        return self.page.get_by_test_id("backup-codes").locator("li").all_inner_texts()

    def done(self) -> HomePage:
        self.follow(self.page.get_by_role("button", name="I have saved my backup codes"))
        return HomePage(self.page)


class TwoFactorPage(BasePage):
    def enter_code(self, code: str) -> HomePage:
        self.page.get_by_label("Code").fill(code)
        self.page.get_by_role("button", name="Continue").click()
        return HomePage(self.page)


class AccountPage(BasePage):
    def open(self) -> "AccountPage":
        self.page.get_by_role("link", name="Your account").click()
        return self

    def two_factor_state(self) -> str:
        return self.page.get_by_test_id("two-factor-state").inner_text()

    def token_row(self, name: str):
        return self.page.get_by_test_id("token-table").locator("tbody tr", has_text=name)

    def token_state(self, name: str) -> str:
        return self.token_row(name).get_by_test_id("token-state").inner_text()

    def create_token(self, name: str, days: int = 90) -> "TokenCreatedPage":
        self.follow(self.page.get_by_role("button", name="Create an API token"))
        assert_no_axe_violations(self.page)
        self.page.get_by_label("Token name").fill(name)
        self.page.get_by_label(f"{days} days").check()
        self.page.get_by_role("button", name="Create token").click()
        return TokenCreatedPage(self.page)

    def revoke(self, name: str) -> "RevokeTokenPage":
        self.token_row(name).get_by_role("link", name=re.compile("^Revoke")).click()
        return RevokeTokenPage(self.page)


class TokenCreatedPage(BasePage):
    def key(self) -> str:
        return self.page.get_by_test_id("token-key").input_value()

    def back_to_account(self) -> AccountPage:
        self.page.get_by_role("link", name="Back to your account").click()
        return AccountPage(self.page)


class RevokeTokenPage(BasePage):
    def confirm(self) -> AccountPage:
        self.page.get_by_role("button", name="Revoke token").click()
        return AccountPage(self.page)


class NeedPage(BasePage):
    """Areas of multiple need: the form, the ranking table (paged) and the map."""

    def open(self, **query) -> "NeedPage":
        self.page.goto("/evidence/need/?" + "&".join(f"{k}={v}" for k, v in query.items()))
        return self

    def rank_as(self, label_start: str) -> "NeedPage":
        self.page.get_by_label(re.compile("^" + re.escape(label_start))).check()
        self.page.get_by_role("button", name="Rank areas").click()
        return self

    def row(self, code: str):
        return self.page.get_by_test_id("ranking-table").locator(f"tr[data-area='{code}']")

    def labels(self):
        return self.page.get_by_test_id("indicator-labels")

    def map(self):
        return self.page.locator(".leaflet-container")


class EvidenceTrendPage(BasePage):
    """The evidence workbench's trends page: a measure in an area, a period against a baseline."""

    def open(self, **query: str) -> "EvidenceTrendPage":
        from urllib.parse import urlencode

        self.page.goto("/evidence/trends/" + (f"?{urlencode(query)}" if query else ""))
        return self

    def show(self, *, area: str, measure: str, period: str, baseline: str, annualise: bool = False):
        self.page.locator("#id_area").select_option(value=area)
        self.page.locator("#id_measure").select_option(value=measure)
        self.page.locator("#id_period").fill(period)
        self.page.locator("#id_baseline").fill(baseline)
        if annualise:
            self.page.get_by_label("Annualise periods of unequal length").check()
        self.page.get_by_role("button", name="Show trend").click()
        return self

    def headline(self):
        return self.page.get_by_test_id("headline")

    def comparisons(self):
        return self.page.get_by_test_id("comparisons")

    def no_data(self):
        return self.page.get_by_test_id("no-data")

    def significance(self):
        return self.page.get_by_test_id("significance")

    def rate(self):
        return self.page.get_by_test_id("rate")


class EvidenceProfilePage(BasePage):
    """An area's problem profile: the Home Office headline measures."""

    def open(self, code: str) -> "EvidenceProfilePage":
        self.page.goto(f"/evidence/profile/{code}/")
        return self

    def row(self, key: str):
        return self.page.get_by_test_id(f"headline-{key}")


class IstvProfilePage(BasePage):
    """/evidence/istv/: A&E assault attendances by hour × day of week, method and location type."""

    def open(self, query: str = "") -> "IstvProfilePage":
        self.page.goto("/evidence/istv/" + (f"?{query}" if query else ""))
        return self

    def show(self, *, area: str, period: str = "") -> "IstvProfilePage":
        self.page.get_by_label("Area").select_option(label=area)
        self.page.get_by_label("Period").fill(period)
        self.follow(self.page.get_by_role("button", name="Show profile"))
        return self

    def heat_cell(self, *, hour: int, day: int) -> str:
        """The text of the heat table's cell for ``hour`` (0-23) and ``day`` (Monday 0)."""
        row = self.page.get_by_test_id("istv-heat").locator("tbody tr").nth(hour)
        return row.locator("td").nth(day).inner_text()

    def total(self) -> str:
        return self.page.get_by_test_id("istv-total").inner_text()

    def synthetic_banner(self):
        return self.page.get_by_test_id("synthetic-banner")

    def no_data(self):
        return self.page.get_by_test_id("istv-no-data")


class HotspotsPage(BasePage):
    """/evidence/hotspots/: street-level hotspots (data.police.uk points in hexagons)."""

    def open(self) -> "HotspotsPage":
        self.page.goto("/evidence/hotspots/")
        return self

    def show(self, *, area: str = "", other_area: str = "", crime_type: str = "", cell: str = "") -> "HotspotsPage":
        if area:
            self.page.get_by_label("Area", exact=True).select_option(area)
        self.page.get_by_label("Or another area code").fill(other_area)
        if crime_type:
            self.page.get_by_label("Crime type").select_option(crime_type)
        if cell:
            self.page.get_by_label(f"{cell} metres").check()
        with self.page.expect_navigation():
            self.page.get_by_role("button", name="Show hotspots").click()
        return self

    def map(self):
        return self.page.get_by_test_id("hotspot-map")

    def table(self):
        return self.page.get_by_test_id("hotspot-table")

    def no_data(self):
        return self.page.get_by_test_id("no-data")

    def hexagon_count(self) -> int:
        return self.page.locator("[data-testid=hotspot-map] polygon").count()


class LondonViewPage(BasePage):
    """The VRU's London view: borough table, heatmap (sortable), counts per borough and adoption."""

    def open(self, year: int, **query: str) -> "LondonViewPage":
        from urllib.parse import urlencode

        self.page.goto(f"/london/{year}/" + (f"?{urlencode(query)}" if query else ""))
        return self

    def page_scroll_width(self) -> int:
        return self.page.evaluate("document.scrollingElement.scrollWidth")

    def window_width(self) -> int:
        return self.page.evaluate("window.innerWidth")

    def region(self, name: str):
        return self.page.get_by_role("region", name=name)

    def heatmap(self):
        return self.page.get_by_test_id("heatmap")

    def heat_boroughs(self) -> list[str]:
        return self.heatmap().locator("tbody th[scope=row]").all_inner_texts()

    def sort_heatmap_by(self, label: str) -> "LondonViewPage":
        self.follow(self.page.get_by_test_id("heat-sort").get_by_role("link", name=label))
        return self

    def attention_row(self, area_code: str):
        return self.page.get_by_test_id("attention").locator(f"tr[data-area='{area_code}']")

    def open_overdue(self, area_code: str) -> "BoroughAttentionPage":
        self.attention_row(area_code).get_by_test_id("overdue-count").get_by_role("link").click()
        return BoroughAttentionPage(self.page)


class BoroughAttentionPage(BasePage):
    """One borough's overdue actions or mandatory actions not started, from the London view."""

    def rows(self):
        return self.page.get_by_test_id("drill-table").locator("tbody tr")

    def show(self, label_start: str) -> "BoroughAttentionPage":
        self.follow(self.page.get_by_test_id("drill-tabs").get_by_role("link", name=re.compile("^" + label_start)))
        return self


# Quarterly updates and the update sheet ---------------------------------------------------------


class QuartersPage(BasePage):
    def open(self, plan_pk: int) -> "QuartersPage":
        self.page.goto(f"/plans/{plan_pk}/quarters/")
        return self

    def row(self, number: int):
        return self.page.locator(f'tr[data-quarter="{number}"]')

    def state(self, number: int) -> str:
        return self.row(number).get_by_test_id("quarter-state").locator(".govuk-tag").inner_text()

    def download_sheet(self, label: str, path) -> None:
        with self.page.expect_download() as download_info:
            self.page.get_by_role("link", name=f"Download the {label} update sheet").click()
        download_info.value.save_as(path)

    def open_upload(self, label: str) -> "UpdateSheetUploadPage":
        self.follow(self.page.get_by_role("link", name=f"Upload the {label} update sheet"))
        return UpdateSheetUploadPage(self.page)


class UpdateSheetUploadPage(BasePage):
    def check(self, label: str, path) -> "UpdateSheetUploadPage":
        self.page.get_by_label(f"Upload the {label} update sheet").set_input_files(str(path))
        self.page.get_by_role("button", name="Check the sheet").click()
        return self

    def change(self, code: str):
        return self.page.get_by_test_id("import-changes").locator(f'tr[data-code="{code}"]')

    def errors(self):
        return self.page.get_by_test_id("import-errors")

    def save(self) -> QuartersPage:
        self.page.get_by_role("button", name="Save these updates").click()
        return QuartersPage(self.page)


# Publishing and templates ---------------------------------------------------------------------------


class PublishPreviewPage(BasePage):
    """The VRU admin's check of exactly what publishing a year makes public."""

    def open(self, year: int) -> "PublishPreviewPage":
        self.page.goto(f"/london/{year}/publish/")
        return self

    def summary(self) -> str:
        return self.page.get_by_test_id("publish-summary").inner_text()

    def boroughs_shown(self) -> list[str]:
        return self.page.locator("main details[data-area]").evaluate_all("els => els.map(e => e.dataset.area)")

    def open_borough(self, name: str) -> "PublishPreviewPage":
        self.page.get_by_text(name, exact=True).click()
        return self

    def confirm_and_publish(self):
        self.page.get_by_label("I have checked what will become public").check()
        self.page.get_by_role("button", name="Publish these plans").click()
        return self


class WithdrawPage(BasePage):
    def open(self, year: int) -> "WithdrawPage":
        self.page.goto(f"/london/{year}/withdraw/")
        return self

    def withdraw(self, reason: str):
        self.page.get_by_label("Why are you withdrawing these plans from publication?").fill(reason)
        self.page.get_by_role("button", name="Withdraw from publication").click()
        return self


class PublicPlansPage(BasePage):
    def open(self, vru: str, year: int) -> "PublicPlansPage":
        self.page.goto(f"/public/{vru}/{year}/")
        return self

    def without_plan_line(self) -> str:
        return self.page.get_by_test_id("no-accepted-plan").inner_text()

    def open_borough(self, name: str) -> "PublicPlansPage":
        self.page.get_by_text(name, exact=True).click()
        return self

    def action_row(self, area: str, code: str):
        return self.page.locator(f'details[data-area="{area}"] tr[data-code="{code}"]')


class TemplateListPage(BasePage):
    def open(self) -> "TemplateListPage":
        self.page.goto("/templates/")
        return self

    def start_next_year_from(self, year: int) -> "TemplateEditorPage":
        self.page.locator(f'tr[data-year="{year}"]').get_by_role("button", name=re.compile("^Start the")).click()
        return TemplateEditorPage(self.page)


class TemplateEditorPage(BasePage):
    def problems(self) -> str:
        return self.page.get_by_test_id("template-problems").inner_text()

    def add_theme(self, code: str, title: str, description: str = "") -> "TemplateEditorPage":
        self.page.get_by_role("link", name="Add a theme").click()
        self.page.get_by_label("Code").fill(code)
        self.page.get_by_label("Title").fill(title)
        if description:
            self.page.get_by_label("Description").fill(description)
        self.page.get_by_role("button", name="Add theme").click()
        return self

    def add_action(self, theme_title: str, kind: str, title: str, guidance: str = "") -> "TemplateEditorPage":
        self.page.get_by_role("link", name=f"Add an action to {theme_title}").click()
        self.page.get_by_label(re.compile(f"^{kind}:")).check()
        self.page.get_by_label("Title").fill(title)
        if guidance:
            self.page.get_by_label("Guidance").fill(guidance)
        self.page.get_by_role("button", name="Add action").click()
        return self

    def retire(self, code: str) -> "TemplateEditorPage":
        self.page.locator(f'tr[data-code="{code}"]').get_by_role("button", name=f"Retire {code}").click()
        return self

    def action_row(self, code: str):
        return self.page.locator(f'tr[data-code="{code}"]')

    def preview(self) -> "BasePage":
        self.page.get_by_role("button", name="Preview as a borough sees it").click()
        return BasePage(self.page)

    def publish(self) -> "TemplateEditorPage":
        self.page.get_by_role("button", name="Check and publish").click()
        self.page.get_by_role("button", name="Publish the template").click()
        return self
