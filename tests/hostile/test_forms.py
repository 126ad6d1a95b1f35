"""Hostile input to every form a person can post: each is refused with a message naming the field
(and, on a theme page, the action), nothing is saved, and nothing answers 500."""

import pytest
from django.urls import reverse

from tests.hostile.conftest import assert_saved_nothing, quarter_post, snapshot, theme_post, told

pytestmark = pytest.mark.django_db

LONG = "x" * 100_000
NUL = "a\x00b"
SQL = "green' OR 1=1 --"


def case(case_id, role, url, data, status, message):
    return pytest.param(role, url, data, status, message, id=case_id)


# URLs -----------------------------------------------------------------------------------------
def theme(w):
    return reverse("plans:theme", args=[w["plan"].pk, "GOV"])


def local_new(w):
    return reverse("plans:local_new", args=[w["plan"].pk, "GOV"])


def optional(w):
    return reverse("plans:optional", args=[w["plan"].pk, "GOV"])


def documents(w):
    return reverse("plans:documents", args=[w["plan"].pk, w["action"].pk])


def quarter(w):
    return reverse("cycle:quarter_theme", args=[w["plan"].pk, 1, "GOV"])


def comments(w):
    return reverse("cycle:comment_add", args=[w["plan"].pk])


def good_practice(w):
    return reverse("learning:good_practice", args=[w["plan"].pk, w["action"].pk])


def review(w):
    return reverse("cycle:review", args=[w["other_plan"].pk])


def sign(w):
    return reverse("cycle:sign", args=[w["plan"].pk])


# Data -----------------------------------------------------------------------------------------
def m1(**fields):
    """GOV-M1 (a mandatory action) changed on the theme page."""
    return lambda w: theme_post(w["plan"], w["action"], **fields)


def local(**fields):
    """The local action (whose title can be edited) changed on the theme page."""
    return lambda w: theme_post(w["plan"], w["local"], **fields)


def q1(**fields):
    """GOV-M1's update for quarter 1; a real update unless the case overrides a field."""
    return lambda w: quarter_post(w["plan"], {w["action"]: {"progress": "Board met", "status": "green"} | fields})


def data(**fields):
    return lambda w: fields


# fmt: off
THEME_CASES = [
    case("outcome-4001-chars", "editor", theme, m1(outcome="o" * 4001), 200,
         "GOV-M1 Outcome(s): Outcome(s) must be 4,000 characters or fewer (it has 4,001)"),
    case("baseline-100k-chars", "editor", theme, m1(baseline=LONG), 200,
         "GOV-M1 Baseline: Baseline must be 4,000 characters or fewer (it has 100,000)"),
    case("progress-nul-byte", "editor", theme, m1(progress=NUL), 200,
         "GOV-M1 Progress to date: Null characters are not allowed."),
    case("comments-nul-byte", "editor", theme, m1(comments="\x00"), 200,
         "GOV-M1 Comments: Null characters are not allowed."),
    case("lead-name-151-chars", "editor", theme, m1(lead_name="n" * 151), 200,
         "GOV-M1 Lead name: Lead name must be 150 characters or fewer (it has 151)"),
    case("lead-agency-100k-chars", "editor", theme, m1(lead_agency=LONG), 200,
         "GOV-M1 Lead agency: Lead agency must be 150 characters or fewer (it has 100,000)"),
    case("start-note-61-chars", "editor", theme, m1(start_note="n" * 61), 200,
         "GOV-M1 Or, with no start date: Or, with no start date must be 60 characters or fewer (it has 61)"),
    case("start-date-30-february", "editor", theme, m1(start_date="2021-02-30"), 200,
         "GOV-M1 Start date: Start date must be a real date"),
    case("start-date-year-99999", "editor", theme, m1(start_date="99999-01-01"), 200,
         "GOV-M1 Start date: Start date must be a real date"),
    case("start-date-40-digits", "editor", theme, m1(start_date="9" * 40), 200,
         "GOV-M1 Start date: Start date must be a real date"),
    case("start-date-script", "editor", theme, m1(start_date="<script>alert(1)</script>"), 200,
         "GOV-M1 Start date: Start date must be a real date"),
    case("end-date-sql", "editor", theme, m1(end_date="2021-01-01' OR 1=1 --"), 200,
         "GOV-M1 End date: End date must be a real date"),
    case("end-before-start", "editor", theme, m1(start_date="2022-01-01", end_date="2021-01-01"), 200,
         "GOV-M1 End date: End date must be the same as or after the start date"),
    case("start-date-and-note", "editor", theme, m1(start_date="2021-04-01", start_note="Ongoing"), 200,
         "Give a start date or a note such as Ongoing, not both"),
    case("estimate-without-date", "editor", theme, m1(start_estimated="on"), 200,
         "GOV-M1 Start date: Enter the estimated start date, or untick 'estimate'"),
    case("status-purple", "editor", theme, m1(status="purple"), 200,
         "GOV-M1 Status: Choose a status from the list"),
    case("status-sql", "editor", theme, m1(status=SQL), 200, "GOV-M1 Status: Choose a status from the list"),
    case("status-nul", "editor", theme, m1(status="green\x00"), 200, "GOV-M1 Status:"),
    case("not-undertaken-without-rationale", "editor", theme, m1(status="not_undertaken", comments=""), 200,
         "GOV-M1 Comments: Give the rationale for not undertaking this action"),
    case("version-abc", "editor", theme, m1(version="abc"), 200, "GOV-M1 Version: Enter a whole number."),
    case("version-missing", "editor", theme, m1(version=""), 200, "GOV-M1 Version: This field is required."),
    case("version-20-digits", "editor", theme, m1(version="99999999999999999999", outcome="Mine"), 200,
         "This page was loaded for version 99999999999999999999 of GOV-M1, which it has never had"),
    case("version-negative", "editor", theme, m1(version="-1", outcome="Mine"), 200,
         "This page was loaded for version -1 of GOV-M1, which it has never had"),
    case("local-title-blank", "editor", theme, local(title="   "), 200, "GOV-L1 Title: This field is required."),
    case("local-title-301-chars", "editor", theme, local(title="t" * 301), 200,
         "GOV-L1 Title: Title must be 300 characters or fewer (it has 301)"),
    case("local-title-nul", "editor", theme, local(title=NUL), 200,
         "GOV-L1 Title: Null characters are not allowed."),
    case("viewer-posts-theme", "viewer", theme, m1(outcome="Mine"), 403, "You cannot do that"),
    case("other-borough-posts-theme", "lambeth_editor", theme, m1(outcome="Mine"), 404, "Page not found"),
]

LOCAL_ACTION_CASES = [
    case("title-missing", "editor", local_new, data(description="d"), 200, "Enter a title for the local action"),
    case("title-spaces", "editor", local_new, data(title=" \t "), 200, "Enter a title for the local action"),
    case("title-301-chars", "editor", local_new, data(title="t" * 301), 200,
         "Title must be 300 characters or fewer (it has 301)"),
    case("title-100k-chars", "editor", local_new, data(title=LONG), 200,
         "Title must be 300 characters or fewer (it has 100,000)"),
    case("title-nul", "editor", local_new, data(title=NUL), 200, "Null characters are not allowed."),
    case("description-4001-chars", "editor", local_new, data(title="Hub", description="d" * 4001), 200,
         "Description must be 4,000 characters or fewer (it has 4,001)"),
    case("description-nul", "editor", local_new, data(title="Hub", description=NUL), 200,
         "Null characters are not allowed."),
    case("viewer-adds", "viewer", local_new, data(title="Hub"), 403, "You cannot do that"),
    case("unknown-theme", "editor", lambda w: reverse("plans:local_new", args=[w["plan"].pk, "NOPE"]),
         data(title="Hub"), 404, "Page not found"),
]

OPTIONAL_CASES = [
    case("adopted-abc", "editor", optional, data(adopted="abc"), 200,
         "Select a valid choice. abc is not one of the available choices."),
    case("adopted-20-digits", "editor", optional, data(adopted="99999999999999999999"), 200,
         "Select a valid choice. 99999999999999999999 is not one of the available choices."),
    case("adopted-superscript-two", "editor", optional, data(adopted="²"), 200,
         "Select a valid choice. ² is not one of the available choices."),
    case("adopted-mandatory-action", "editor", optional,
         lambda w: {"adopted": str(w["action"].template_action_id)}, 200, "is not one of the available choices."),
    case("adopted-other-theme-optional", "editor", optional,
         lambda w: {"adopted": str(w["plan"].template.themes.exclude(code="GOV").first()
                                   .template_actions.filter(kind="optional").first().pk)},
         200, "is not one of the available choices."),
]

DOCUMENT_CASES = [
    case("title-missing", "editor", documents, data(url="https://example.org/a.pdf"), 200,
         "Enter a title for the document"),
    case("title-201-chars", "editor", documents, data(title="t" * 201, url="https://example.org/a.pdf"), 200,
         "Ensure this value has at most 200 characters (it has 201)."),
    case("title-10k-chars", "editor", documents, data(title="t" * 10_000, url="https://example.org/a.pdf"), 200,
         "Ensure this value has at most 200 characters (it has 10000)."),
    case("title-nul", "editor", documents, data(title=NUL, url="https://example.org/a.pdf"), 200,
         "Null characters are not allowed."),
    case("neither-file-nor-link", "editor", documents, data(title="Strategy"), 200, "Upload a file or give a link"),
    case("url-javascript", "editor", documents, data(title="T", url="javascript:alert(1)"), 200,
         "Enter a link in the correct format, like https://example.org/strategy.pdf"),
    case("url-javascript-upper", "editor", documents, data(title="T", url="JAVASCRIPT:alert(1)"), 200,
         "Enter a link in the correct format"),
    case("url-javascript-tab", "editor", documents, data(title="T", url="java\tscript:alert(1)"), 200,
         "Enter a link in the correct format"),
    case("url-vbscript", "editor", documents, data(title="T", url="vbscript:msgbox(1)"), 200,
         "Enter a link in the correct format"),
    case("url-file", "editor", documents, data(title="T", url="file:///etc/passwd"), 200,
         "Enter a link in the correct format"),
    case("url-data", "editor", documents, data(title="T", url="data:text/html,<script>alert(1)</script>"), 200,
         "Enter a link in the correct format"),
    case("url-ftp", "editor", documents, data(title="T", url="ftp://example.org/a.pdf"), 200,
         "Enter a link starting with https://"),
    case("url-scheme-only", "editor", documents, data(title="T", url="https://"), 200,
         "Enter a link in the correct format"),
    case("url-header-injection", "editor", documents, data(title="T", url="https://example.org/\r\nSet-Cookie: a=b"),
         200, "Enter a link in the correct format"),
    case("url-space-in-host", "editor", documents, data(title="T", url="https://exa mple.org"), 200,
         "Enter a link in the correct format"),
    case("url-port-overflow", "editor", documents, data(title="T", url="http://localhost:99999999999/"), 200,
         "Enter a link in the correct format"),
    case("url-501-chars", "editor", documents, data(title="T", url="https://example.org/" + "a" * 481), 200,
         "Ensure this value has at most 500 characters (it has 501)."),
    case("url-nul", "editor", documents, data(title="T", url="\x00https://example.org"), 200,
         "Null characters are not allowed."),
    case("viewer-adds-link", "viewer", documents, data(title="T", url="https://example.org"), 403,
         "You cannot do that"),
    case("action-of-another-plan", "editor",
         lambda w: reverse("plans:documents", args=[w["plan"].pk, w["other_plan"].actions.first().pk]),
         data(title="T", url="https://example.org"), 404, "Page not found"),
]

QUARTER_CASES = [
    case("measured-abc", "editor", quarter, q1(measured_value="abc"), 200,
         "GOV-M1 Measured value: Measured value must be a number, like 42 or 12.5"),
    case("measured-nan", "editor", quarter, q1(measured_value="NaN"), 200,
         "GOV-M1 Measured value: Measured value must be a number"),
    case("measured-infinity", "editor", quarter, q1(measured_value="-Infinity"), 200,
         "GOV-M1 Measured value: Measured value must be a number"),
    case("measured-1e400", "editor", quarter, q1(measured_value="1e400"), 200,
         "GOV-M1 Measured value: Ensure that there are no more than 14 digits in total."),
    case("measured-15-digits", "editor", quarter, q1(measured_value="1" * 15), 200,
         "GOV-M1 Measured value: Ensure that there are no more than 14 digits in total."),
    case("measured-thousands-comma", "editor", quarter, q1(measured_value="1,000"), 200,
         "GOV-M1 Measured value: Measured value must be a number"),
    case("progress-blank", "editor", quarter, q1(progress="  "), 200, "Describe progress this quarter"),
    case("progress-4001-chars", "editor", quarter, q1(progress="p" * 4001), 200,
         "GOV-M1 Progress this quarter: Progress this quarter must be 4,000 characters or fewer (it has 4,001)"),
    case("progress-nul", "editor", quarter, q1(progress=NUL), 200,
         "GOV-M1 Progress this quarter: Null characters are not allowed."),
    case("status-purple", "editor", quarter, q1(status="purple"), 200,
         "GOV-M1 Status: Choose a status from the list"),
    case("status-sql", "editor", quarter, q1(status=SQL), 200, "GOV-M1 Status: Choose a status from the list"),
    case("version-abc", "editor", quarter, q1(version="abc"), 200,
         "This page is out of date: reload it and enter the update again"),
    case("version-negative", "editor", quarter, q1(version="-1"), 200,
         "This page is out of date: reload it and enter the update again"),
    case("version-20-digits", "editor", quarter, q1(version="99999999999999999999"), 200,
         "GOV-M1's update was changed by someone else while you were editing it"),
    case("version-missing", "editor", quarter, q1(version=""), 200,
         "This page is out of date: reload it and enter the update again"),
    case("quarter-5", "editor", lambda w: reverse("cycle:quarter_theme", args=[w["plan"].pk, 5, "GOV"]), q1(),
         404, "Page not found"),
    case("quarter-20-digits", "editor",
         lambda w: reverse("cycle:quarter_theme", args=[w["plan"].pk, 99999999999999999999, "GOV"]), q1(),
         404, "Page not found"),
    case("viewer-reports", "viewer", quarter, q1(), 403, "You cannot report progress for this borough."),
]

COMMENT_CASES = [
    case("body-blank", "reviewer", comments, data(body="   "), 302, "Comment: Enter a comment"),
    case("body-5001-chars", "reviewer", comments, data(body="c" * 5001), 302,
         "Comment: Comment must be 5,000 characters or fewer (it has 5,001)"),
    case("body-100k-chars", "reviewer", comments, data(body=LONG), 302,
         "Comment must be 5,000 characters or fewer (it has 100,000)"),
    case("body-nul", "reviewer", comments, data(body=NUL), 302, "Comment: Null characters are not allowed."),
    case("target-bogus", "reviewer", comments, data(target="bogus", body="c"), 302,
         "About: Select a valid choice. bogus is not one of the available choices."),
    case("target-action-abc", "reviewer", comments, data(target="action:abc", body="c"), 302,
         "About: Select a valid choice. action:abc is not one of the available choices."),
    case("target-theme-20-digits", "reviewer", comments, data(target="theme:99999999999999999999", body="c"), 302,
         "About: Select a valid choice. theme:99999999999999999999 is not one of the available choices."),
    case("target-action-of-another-plan", "reviewer", comments,
         lambda w: {"target": f"action:{w['other_plan'].actions.first().pk}", "body": "c"}, 302,
         "About: Select a valid choice."),
    case("target-nul", "reviewer", comments, data(target="\x00", body="c"), 302, "About: Select a valid choice."),
    case("parent-abc", "editor", comments, data(parent="abc", body="r"), 403,
         "The comment you are replying to (parent='abc') is not a comment number."),
    case("parent-superscript-two", "editor", comments, data(parent="²", body="r"), 403,
         "(parent='²') is not a comment number."),
    case("parent-arabic-indic-one", "editor", comments, data(parent="١", body="r"), 403,
         "(parent='١') is not a comment number."),
    case("parent-20-digits", "editor", comments, data(parent="99999999999999999999", body="r"), 403,
         "(parent='99999999999999999999') is not a comment number."),
    case("parent-negative", "editor", comments, data(parent="-1", body="r"), 403, "is not a comment number."),
    case("parent-float", "editor", comments, data(parent="1.0", body="r"), 403, "is not a comment number."),
    case("parent-exponent", "editor", comments, data(parent="1e3", body="r"), 403, "is not a comment number."),
    case("parent-hex", "editor", comments, data(parent="0x1", body="r"), 403, "is not a comment number."),
    case("parent-space", "editor", comments, data(parent=" 1", body="r"), 403, "is not a comment number."),
    case("parent-of-another-plan", "editor", comments,
         lambda w: {"parent": str(w["other_comment"].pk), "body": "r"}, 404, "Page not found"),
    case("parent-unknown", "editor", comments, data(parent="999999", body="r"), 404, "Page not found"),
    case("reply-blank", "editor", comments, lambda w: {"parent": str(w["comment"].pk), "body": " "}, 302,
         "Reply: Enter a reply"),
    case("reply-5001-chars", "editor", comments, lambda w: {"parent": str(w["comment"].pk), "body": "r" * 5001},
         302, "Reply: Reply must be 5,000 characters or fewer (it has 5,001)"),
    case("reply-nul", "editor", comments, lambda w: {"parent": str(w["comment"].pk), "body": NUL}, 302,
         "Reply: Null characters are not allowed."),
    case("editor-starts-thread", "editor", comments, data(body="c"), 403,
         "Only VRU reviewers start review comments; the borough replies to them."),
    case("other-borough-replies", "lambeth_editor", comments,
         lambda w: {"parent": str(w["comment"].pk), "body": "r"}, 404, "Page not found"),
]

GOOD_PRACTICE_CASES = [
    case("note-blank", "reviewer", good_practice, data(note=" \n "), 302,
         "Say why other boroughs should look at this action"),
    case("note-2001-chars", "reviewer", good_practice, data(note="n" * 2001), 302,
         "Note must be 2,000 characters or fewer (it has 2,001)"),
    case("note-100k-chars", "reviewer", good_practice, data(note=LONG), 302,
         "Note must be 2,000 characters or fewer (it has 100,000)"),
    case("note-nul", "reviewer", good_practice, data(note=NUL), 302, "Note: Null characters are not allowed."),
    case("remove-when-not-flagged", "reviewer", good_practice, data(remove="1"), 302,
         "GOV-M1 is not flagged as good practice"),
    case("editor-flags", "editor", good_practice, data(note="Mine is good"), 403,
         "Only VRU reviewers flag good practice."),
    case("editor-flags-nul", "editor", good_practice, data(note=NUL), 403, "Only VRU reviewers flag good practice."),
]

REVIEW_CASES = [
    case("decision-maybe", "reviewer", review, data(decision="maybe"), 200,
         "Select a valid choice. maybe is not one of the available choices."),
    case("decision-nul", "reviewer", review, data(decision="accept\x00"), 200, "Select a valid choice."),
    case("decision-missing", "reviewer", review, data(comment="Fine"), 200,
         "Choose whether to return or accept the plan"),
    case("return-without-comment", "reviewer", review, data(decision="return", comment="  "), 200,
         "Say what the borough needs to change"),
    case("comment-5001-chars", "reviewer", review, data(decision="return", comment="c" * 5001), 200,
         "Reason for returning the plan must be 5,000 characters or fewer (it has 5,001)"),
    case("comment-nul", "reviewer", review, data(decision="accept", comment=NUL), 200,
         "Null characters are not allowed."),
    case("accept-a-draft", "reviewer", lambda w: reverse("cycle:review", args=[w["plan"].pk]),
         data(decision="accept"), 200, "A plan that is draft cannot be accepted."),
    case("editor-reviews", "lambeth_editor", review, data(decision="accept"), 403,
         "Only VRU reviewers review plans."),
]

# fmt: on


def signed(**fields):
    """The sign-off form as the browser sends it (the plan's current hash), ``fields`` changed."""

    def build(w):
        from vrhub.plans.content import plan_content_hash

        return {"name": "Casey Chief", "confirmed": "on", "content_hash": plan_content_hash(w["plan"])} | fields

    return build


# fmt: off
SIGN_CASES = [
    case("not-confirmed", "chief", sign, signed(confirmed=""), 200, "Confirm that you have reviewed the plan"),
    case("hash-sql", "chief", sign, signed(content_hash="' OR 1=1 --"), 200,
         "The plan has changed since you opened it. Review the current version and sign again."),
    case("hash-100k-chars", "chief", sign, signed(content_hash=LONG), 200,
         "The plan has changed since you opened it."),
    case("name-blank", "chief", sign, signed(name="   "), 200,
         "Enter your name as it should appear on the sign-off"),
    case("name-151-chars", "chief", sign, signed(name="n" * 151), 200,
         "Ensure this value has at most 150 characters (it has 151)."),
    case("name-nul", "chief", sign, signed(name=NUL), 200, "Null characters are not allowed."),
    case("editor-signs", "editor", sign, signed(), 403, "Only signatories sign plans."),
]

START_CASES = [
    case("template-abc", "editor", lambda w: reverse("plans:start"), data(template="abc"), 200,
         "Choose a plan year from the list"),
    case("template-nul", "editor", lambda w: reverse("plans:start"), data(template="\x00"), 200,
         "Choose a plan year from the list"),
    case("template-of-existing-plan", "editor", lambda w: reverse("plans:start"),
         lambda w: {"template": str(w["plan"].template_id)}, 200, "Choose a plan year from the list"),
]

# fmt: on


def _tables(prefix, cases):
    return [pytest.param(*c.values, marks=c.marks, id=f"{prefix}-{c.id}") for c in cases]


ALL = (
    _tables("theme", THEME_CASES)
    + _tables("local-action", LOCAL_ACTION_CASES)
    + _tables("optional", OPTIONAL_CASES)
    + _tables("document", DOCUMENT_CASES)
    + _tables("quarter", QUARTER_CASES)
    + _tables("comment", COMMENT_CASES)
    + _tables("good-practice", GOOD_PRACTICE_CASES)
    + _tables("review", REVIEW_CASES)
    + _tables("sign", SIGN_CASES)
    + _tables("start", START_CASES)
)


@pytest.mark.parametrize(("role", "url", "data", "status", "message"), ALL)
def test_hostile_form_input_is_refused_by_name_and_saves_nothing(client, world, role, url, data, status, message):
    client.force_login(world["users"][role])
    before = snapshot()
    response = client.post(url(world), data(world))
    assert response.status_code == status
    assert message in told(response)
    assert_saved_nothing(before)


def test_a_valid_change_beside_an_invalid_one_on_a_theme_page_is_not_saved(client, world):
    """All or nothing: GOV-M1's good outcome is not saved while the local action's title is refused."""
    client.force_login(world["users"]["editor"])
    posted = theme_post(world["plan"], world["action"], outcome="Fewer stabbings")
    posted[f"a{world['local'].pk}-title"] = "t" * 301
    before = snapshot()
    response = client.post(theme(world), posted)
    assert response.status_code == 200
    assert "GOV-L1 Title: Title must be 300 characters or fewer (it has 301)" in told(response)
    assert_saved_nothing(before)


def test_a_valid_update_beside_an_invalid_one_in_a_quarter_is_not_saved(client, world):
    client.force_login(world["users"]["editor"])
    other = world["plan"].actions.filter(theme__code="GOV").exclude(pk=world["action"].pk).first()
    posted = quarter_post(
        world["plan"],
        {world["action"]: {"progress": "Board met", "status": "green"}, other: {"progress": "x", "status": "purple"}},
    )
    before = snapshot()
    response = client.post(quarter(world), posted)
    assert response.status_code == 200
    assert f"{other.code} Status: Choose a status from the list" in told(response)
    assert_saved_nothing(before)
