"""Hostile path parameters and query strings: refused with a message (or harmlessly ignored, where the
page is a search whose filters come from a list), nothing saved, and nothing answers 500."""

import re
import uuid

import pytest
from django.urls import reverse

from tests.hostile.conftest import assert_saved_nothing, page_text, snapshot, told

pytestmark = pytest.mark.django_db

BIG = 99999999999999999999
MEASURE = "mps:VIOLENCE AGAINST THE PERSON"


def case(case_id, role, url, status, message):
    return pytest.param(role, url, status, message, id=case_id)


def plan_url(name, *args):
    return lambda w: reverse(name, args=[w["plan"].pk, *[a(w) if callable(a) else a for a in args]])


def action(w):
    return w["action"].pk


# fmt: off
PATHS = [
    case("plan-20-digits", "editor", lambda w: f"/plans/{BIG}/", 404, "Page not found"),
    case("plan-0", "editor", lambda w: "/plans/0/", 404, "Page not found"),
    case("plan-of-another-borough", "editor", lambda w: f"/plans/{w['other_plan'].pk}/", 404, "Page not found"),
    case("theme-unknown", "editor", plan_url("plans:theme", "NOPE"), 404, "Page not found"),
    case("theme-200-chars", "editor", plan_url("plans:theme", "x" * 200), 404, "Page not found"),
    case("theme-lowercase", "editor", plan_url("plans:theme", "gov"), 404, "Page not found"),
    case("optional-unknown-theme", "editor", plan_url("plans:optional", "ZZZ"), 404, "Page not found"),
    case("action-20-digits", "editor", plan_url("plans:documents", BIG), 404, "Page not found"),
    case("action-of-another-plan", "editor",
         lambda w: reverse("plans:documents", args=[w["plan"].pk, w["other_plan"].actions.first().pk]),
         404, "Page not found"),
    case("document-20-digits", "editor", plan_url("plans:document_download", action, BIG), 404, "Page not found"),
    case("document-of-another-action", "editor",
         lambda w: reverse("plans:document_download", args=[w["plan"].pk, w["local"].pk, w["doc"].pk]),
         404, "Page not found"),
    case("history-20-digits", "editor", plan_url("cycle:history", BIG), 404, "Page not found"),
    case("similar-20-digits", "editor", plan_url("learning:similar", BIG), 404, "Page not found"),
    case("quarters-of-another-borough", "editor", lambda w: reverse("cycle:quarters", args=[w["other_plan"].pk]),
         404, "Page not found"),
    case("quarter-theme-0", "editor", plan_url("cycle:quarter_theme", 0, "GOV"), 404, "Page not found"),
    case("report-exe", "editor", lambda w: f"/plans/{w['plan'].pk}/report.exe", 404, "Page not found"),
    case("report-html", "editor", lambda w: f"/plans/{w['plan'].pk}/report.html", 404, "Page not found"),
    case("report-of-another-borough", "lambeth_editor", lambda w: f"/plans/{w['plan'].pk}/report.pdf", 404,
         "Page not found"),
    case("london-report-20-digits", "reviewer", lambda w: f"/reports/london/{BIG}.pdf", 404, "Page not found"),
    case("london-report-nul-format", "reviewer", lambda w: "/reports/london/2021.pdf%00", 404, "Page not found"),
    case("london-20-digits", "reviewer", lambda w: f"/london/{BIG}/", 404, "Page not found"),
    case("london-1999", "reviewer", lambda w: "/london/1999/", 404, "Page not found"),
    case("emerging-20-digits", "reviewer", lambda w: f"/london/{BIG}/emerging/", 404, "Page not found"),
    case("emerging-1999", "reviewer", lambda w: "/london/1999/emerging/", 404, "Page not found"),
    case("job-unknown", "editor", lambda w: f"/jobs/{uuid.uuid4()}/", 404, "Page not found"),
    case("job-not-a-uuid", "editor", lambda w: "/jobs/1' OR 1=1/", 404, "Page not found"),
    case("public-nul-vru", "editor", lambda w: "/public/%00/2021/", 404, "Page not found"),
    case("public-script-vru", "editor", lambda w: "/public/<script>/2021/plans.csv", 404, "Page not found"),
    case("public-20-digit-year", "editor", lambda w: f"/public/VRU-LDN/{BIG}/", 404, "Page not found"),
    case("public-csv-nul-vru", "editor", lambda w: "/public/%00/2021/plans.csv", 404, "Page not found"),
    case("token-revoke-20-digits", "editor", lambda w: f"/account/api-tokens/{BIG}/revoke/", 404, "Page not found"),
]

QUERIES = [
    case("library-nul-status", "reviewer", lambda w: "/library/?status=%00", 400,
         "The library's status filter cannot contain a NUL character (%00): nothing was searched."),
    case("library-nul-theme", "reviewer", lambda w: "/library/?theme=GOV%00", 400,
         "The library's theme filter cannot contain a NUL character"),
    case("library-nul-area", "reviewer", lambda w: "/library/?area=%00E09000016", 400,
         "The library's area filter cannot contain a NUL character"),
    case("library-nul-q", "editor", lambda w: "/library/?q=knife%00crime", 400,
         "The library's q filter cannot contain a NUL character"),
    case("library-nul-two-filters", "editor", lambda w: "/library/?q=%00&status=%00", 400,
         "The library's q and status filter cannot contain a NUL character"),
    case("london-nul-bcu", "reviewer", lambda w: "/london/2021/?bcu=%00", 400,
         "The London view's bcu filter cannot contain a NUL character (%00)."),
    case("london-nul-theme", "reviewer", lambda w: "/london/2021/?theme=GOV%00", 400,
         "The London view's theme filter cannot contain a NUL character"),
    case("london-nul-sort", "reviewer", lambda w: "/london/2021/?sort=name%00", 400,
         "The London view's sort filter cannot contain a NUL character"),
    case("london-borough-20-digits", "reviewer", lambda w: f"/london/{BIG}/boroughs/E09000016/", 404, "Page not found"),
    case("london-borough-nul-theme", "reviewer", lambda w: "/london/2021/boroughs/E09000016/?theme=GOV%00", 400,
         "The theme filter must be a theme code of at most 20 characters"),
    case("london-borough-unknown-list", "reviewer", lambda w: "/london/2021/boroughs/E09000016/?show=all", 400,
         "show must be one of: overdue, not-started."),
    case("history-of-another-plan", "editor",
         lambda w: reverse("cycle:history", args=[w["plan"].pk, w["other_plan"].actions.first().pk]) + "?format=csv",
         404, "Page not found"),
]
# fmt: on


@pytest.mark.parametrize(("role", "url", "status", "message"), PATHS + QUERIES)
def test_hostile_address_is_refused_and_saves_nothing(client, world, role, url, status, message):
    client.force_login(world["users"][role])
    before = snapshot()
    response = client.get(url(world))
    assert response.status_code == status
    if message is not None:
        assert message in told(response)
    assert_saved_nothing(before)


# A search or filter whose value comes from a list ignores a value that is on no list: the page works,
# shows nothing a script could run, and saves nothing.
def results(response) -> str:
    return re.search(r"(\d+) results?", response.content.decode()).group(0)


def library_default(client):
    return results(client.get("/library/"))


# fmt: off
IGNORED = {
    "library-q-100k-chars-is-cut-to-200": (
        "reviewer", "/library/?q=" + "x" * 100_000,
        lambda r, c: 'value="' + "x" * 200 + '"' in r.content.decode() and "x" * 201 not in r.content.decode()),
    "library-q-lone-surrogate": (
        "reviewer", "/library/?q=%ED%A0%80", lambda r, c: results(r) == "0 results"),
    "library-theme-script": (
        "reviewer", "/library/?theme=<script>alert(1)</script>",
        lambda r, c: "<script>alert(1)" not in r.content.decode() and results(r) == "0 results"),
    "library-area-sql": (
        "reviewer", "/library/?area=' OR 1=1 --", lambda r, c: results(r) == "0 results"),
    "library-year-superscript-two": (
        "reviewer", "/library/?year=%C2%B2", lambda r, c: results(r) == library_default(c)),
    "library-year-20-digits": (
        "reviewer", f"/library/?year={BIG}", lambda r, c: results(r) == library_default(c)),
    "library-year-arabic-indic": (
        "reviewer", "/library/?year=٢٠٢١", lambda r, c: results(r) == library_default(c)),
    "london-sort-sql": (
        "reviewer", "/london/2021/?sort=' OR 1=1 --",
        # The borough table (the heatmap after it has its own sort) claims no sort and keeps name order.
        lambda r, c: 'aria-sort="ascending"' not in borough_table(r)
        and borough_table(r).index("Barking and Dagenham") < borough_table(r).index("Westminster")),
    "london-theme-script": (
        "reviewer", "/london/2021/?theme=<script>alert(1)</script>",
        lambda r, c: "<script>alert(1)" not in r.content.decode()),
    "london-bcu-lone-surrogate": (
        "reviewer", "/london/2021/?bcu=%ED%A0%80", lambda r, c: "Barking and Dagenham" not in r.content.decode()),
    "emerging-quarter-nul": (
        "reviewer", "/london/2021/emerging/?quarter=%00", lambda r, c: "Emerging themes, Q2 2021/22" in page_text(r)),
    "emerging-quarter-20-digits": (
        "reviewer", f"/london/2021/emerging/?quarter={BIG}", lambda r, c: "Emerging themes, Q2" in page_text(r)),
    "emerging-quarter-superscript-two": (
        "reviewer", "/london/2021/emerging/?quarter=%C2%B2", lambda r, c: "Emerging themes, Q2" in page_text(r)),
    "london-borough-page-huge": (
        "reviewer", f"/london/2021/boroughs/E09000016/?page={BIG}", lambda r, c: "Overdue actions" in page_text(r)),
    "history-format-xlsx": (
        "editor", "history?format=xlsx", lambda r, c: r["Content-Type"].startswith("text/html")),
    "history-format-nul": (
        "editor", "history?format=csv%00", lambda r, c: r["Content-Type"].startswith("text/html")),
}
# fmt: on


def borough_table(response) -> str:
    """The London view's borough table, without the heatmap and the tables after it."""
    body = response.content.decode()
    return body[body.index('data-testid="borough-table"') : body.index('data-testid="heatmap"')]


@pytest.mark.parametrize(("role", "url", "harmless"), list(IGNORED.values()), ids=list(IGNORED))
def test_a_filter_value_on_no_list_is_ignored_harmlessly(client, world, role, url, harmless):
    client.force_login(world["users"][role])
    if url.startswith("history"):
        url = reverse("cycle:history", args=[world["plan"].pk, world["action"].pk]) + url.removeprefix("history")
    before = snapshot()
    response = client.get(url)
    assert response.status_code == 200
    assert harmless(response, client)
    assert_saved_nothing(before)


# Evidence pages ---------------------------------------------------------------------------------


def trend(**params):
    from urllib.parse import urlencode

    return "/evidence/trends/?" + urlencode({"area": "E09000016", "measure": MEASURE} | params)


# fmt: off
EVIDENCE = [
    case("trend-month-13", "editor", trend(period="2025-13:2026-99", baseline="2024-01:2024-02"), 200,
         "A period is YYYY-MM:YYYY-MM, not '2025-13:2026-99'"),
    case("trend-period-reversed", "editor", trend(period="2023-02:2023-01", baseline="2022-01:2022-02"), 200,
         "The period '2023-02:2023-01' ends before it starts"),
    case("trend-period-10k-chars", "editor", trend(period="2" * 10_000, baseline="2022-01:2022-02"), 200,
         "Ensure this value has at most 15 characters (it has 10000)."),
    case("trend-period-lone-surrogate", "editor", trend(baseline="2022-01:2022-02") + "&period=%ED%A0%80", 200,
         "A period is YYYY-MM:YYYY-MM, not"),
    case("trend-period-sql", "editor", trend(period="' OR 1=1 --", baseline="2022-01:2022-02"), 200,
         "A period is YYYY-MM:YYYY-MM, not \"' OR 1=1 --\""),
    case("trend-period-without-baseline", "editor", trend(period="2023-01:2023-02"), 200,
         "Give a baseline period to compare the period with"),
    case("trend-measure-sql", "editor", trend(measure="x' OR 1=1 --"), 200,
         "Unknown measure \"x' OR 1=1 --\": see the list of measures"),
    case("trend-measure-copy", "editor", trend(measure="\"); COPY (SELECT 1) TO '/tmp/x"), 200,
         "Unknown measure '\"); COPY (SELECT 1) TO \\'/tmp/x': see the list of measures"),
    case("trend-measure-100k-chars", "editor", trend(measure="m" * 100_000), 200,
         "Ensure this value has at most 200 characters (it has 100000)."),
    case("trend-area-sql", "editor", trend(area="' OR 1=1 --"), 200,
         "Select a valid choice. ' OR 1=1 -- is not one of the available choices."),
    case("trend-other-area-sql", "editor", trend(other_area="x' OR 1=1 --"), 200,
         "Unknown area \"x' OR 1=1 --\": give an LSOA, ward, borough or police force code, or E12000007"),
    case("trend-other-area-13-chars", "editor", trend(other_area="E010000010000"), 200,
         "Ensure this value has at most 12 characters (it has 13)."),
    case("trend-other-area-nul", "editor", trend(other_area="E01\x00"), 200, "Null characters are not allowed."),
    case("need-within-sql", "editor", "/evidence/need/?within=' OR 1=1&level=lsoa", 200,
         "Select a valid choice. ' OR 1=1 is not one of the available choices."),
    case("need-level-county", "editor", "/evidence/need/?level=county", 200,
         "Select a valid choice. county is not one of the available choices."),
    case("need-weight-nan", "editor", "/evidence/need/?w_imd=NaN", 200, "Enter a number."),
    case("need-weight-1e400", "editor", "/evidence/need/?w_imd=1e400", 200, "Enter a number."),
    case("need-weight-negative", "editor", "/evidence/need/?w_imd=-1", 200,
         "Ensure this value is greater than or equal to 0."),
    case("need-weight-11", "editor", "/evidence/need/?w_imd=11", 200, "Ensure this value is less than or equal to 10."),
    case("need-map-within-sql", "editor", "/evidence/need/map.geojson?within=' OR 1=1", 400,
         "Select a valid choice. ' OR 1=1 is not one of the available choices."),
    case("need-map-weight-inf", "editor", "/evidence/need/map.geojson?w_imd=inf", 400, "Enter a number."),
    # An unknown area is not found (404), its reason kept out of the page like any other missing object.
    case("profile-sql", "editor", "/evidence/profile/x' OR 1=1 --/", 404, "Page not found"),
    case("profile-200-chars", "editor", "/evidence/profile/" + "E" * 200 + "/", 404, "Page not found"),
    case("cite-area-sql", "editor", f"/evidence/cite/?area=' OR 1=1&measure={MEASURE}&period=2023-01:2023-02", 400,
         "Unknown area \"' OR 1=1\""),
    case("cite-period-month-99", "editor", f"/evidence/cite/?area=E09000016&measure={MEASURE}&period=2023-99:2023-99",
         400, "A period is YYYY-MM:YYYY-MM, not '2023-99:2023-99'"),
    case("cite-measure-missing", "editor", "/evidence/cite/?area=E09000016&period=2023-01:2023-02", 400,
         "Unknown measure"),
]
# fmt: on


@pytest.mark.parametrize(("role", "url", "status", "message"), EVIDENCE)
def test_hostile_evidence_query_is_refused_by_name(client, world, settings, evidence_file, role, url, status, message):
    settings.EVIDENCE_DUCKDB = evidence_file
    client.force_login(world["users"][role])
    before = snapshot()
    response = client.get(url)
    assert response.status_code == status
    text = told(response) if status == 200 else page_text(response)
    assert message in text
    assert_saved_nothing(before)


# fmt: off
CITE_POSTS = {
    "action-abc": ("abc", "Choose an action from the list"),
    "action-20-digits": (str(BIG), "Choose an action from the list"),
    "action-nul": ("\x00", "Choose an action from the list"),
    "action-of-another-borough": ("other", "Choose an action from the list"),
}
# fmt: on


@pytest.mark.parametrize(("value", "message"), list(CITE_POSTS.values()), ids=list(CITE_POSTS))
def test_citing_into_a_hostile_action_is_refused(client, world, settings, evidence_file, value, message):
    settings.EVIDENCE_DUCKDB = evidence_file
    client.force_login(world["users"]["editor"])
    if value == "other":
        value = str(world["other_plan"].actions.first().pk)
    before = snapshot()
    url = f"/evidence/cite/?area=E09000016&measure={MEASURE}&period=2023-01:2023-02"
    response = client.post(url, {"action": value})
    assert response.status_code == 200
    assert message in told(response)
    assert_saved_nothing(before)


# fmt: off
PREPARE = {
    "kind-nul": ({"kind": "\x00", "plan": "1", "fmt": "pdf"}, 404),
    "plan-20-digits": ({"kind": "scrutiny", "plan": str(BIG), "fmt": "pdf"}, 404),
    "plan-superscript-two": ({"kind": "scrutiny", "plan": "²", "fmt": "pdf"}, 404),
    "plan-of-another-borough": ({"kind": "scrutiny", "plan": "other", "fmt": "pdf"}, 404),
    "year-sql": ({"kind": "london", "year": "2021' OR 1=1", "fmt": "pdf"}, 404),
}
# fmt: on


@pytest.mark.parametrize(("posted", "status"), list(PREPARE.values()), ids=list(PREPARE))
def test_preparing_a_hostile_report_is_refused(client, world, posted, status):
    client.force_login(world["users"]["editor"])
    if posted.get("plan") == "other":
        posted = posted | {"plan": str(world["other_plan"].pk)}
    before = snapshot()
    response = client.post(reverse("reports:prepare"), posted)
    assert response.status_code == status
    assert "Page not found" in page_text(response)
    assert_saved_nothing(before)
