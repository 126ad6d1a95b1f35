"""The London view that fits a screen: heatmap shares, sorting, counts per borough and their drill-down.

Every figure is checked against the plan actions read straight from the database in the test
(``PlanAction.objects.values(...)``), not against the selector's own sums.
"""

import re
from collections import Counter
from datetime import date, timedelta
from html import unescape

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from vrhub.accounts.models import User
from vrhub.core.exceptions import NotFound
from vrhub.dashboard.selectors import borough_attention, london_overview
from vrhub.organisations.models import Organisation
from vrhub.plans.models import Plan, PlanAction

pytestmark = pytest.mark.django_db

TODAY = date(2022, 6, 1)
FINISHED = {"complete", "not_undertaken"}


def raw_actions(year: int = 2021) -> list[dict]:
    return list(
        PlanAction.objects.filter(plan__template__year=year, plan__is_current=True).values(
            "plan__area__code", "plan__area__name", "theme__code", "status", "end_date", "source", "code"
        )
    )


@pytest.fixture
def reviewer(demo):
    return UserFactory(organisation=Organisation.objects.get(code="VRU-LDN"), role=User.Role.VRU_REVIEWER)


def test_heatmap_cells_count_every_status_not_the_worst(demo):
    vru = Organisation.objects.get(code="VRU-LDN")
    data = london_overview(vru=vru, year=2021, today=TODAY)
    expected: dict[tuple[str, str], Counter] = {}
    for a in raw_actions():
        expected.setdefault((a["plan__area__code"], a["theme__code"]), Counter())[a["status"]] += 1
    cells = 0
    mixed = 0
    for row in data["heat_rows"]:
        for theme in data["themes"]:
            cell = row.heat(theme.code)
            want = expected.get((row.area.code, theme.code), Counter())
            got = {s["style"].value: s["count"] for s in cell["segments"]}
            assert got == {k: v for k, v in want.items() if v}, (row.area.name, theme.code)
            assert cell["total"] == sum(want.values())
            assert sum(s["share"] for s in cell["segments"]) == pytest.approx(1.0 if want else 0.0)
            cells += 1
            mixed += len(got) > 1
    assert cells == 32 * len(data["themes"])
    assert mixed > cells / 2  # the demo plans mix statuses: a worst-status cell would hide them


def test_heatmap_sorts_by_share_red_and_share_overdue(demo):
    vru = Organisation.objects.get(code="VRU-LDN")
    totals: Counter = Counter()
    red: Counter = Counter()
    overdue: Counter = Counter()
    names = {}
    for a in raw_actions():
        code = a["plan__area__code"]
        names[code] = a["plan__area__name"]
        totals[code] += 1
        red[code] += a["status"] == "red"
        overdue[code] += bool(a["end_date"] and a["end_date"] < TODAY and a["status"] not in FINISHED)
    by_red = sorted(names, key=lambda c: (-red[c] / totals[c], names[c]))
    by_overdue = sorted(names, key=lambda c: (-overdue[c] / totals[c], names[c]))
    got_red = london_overview(vru=vru, year=2021, heat_sort="red", today=TODAY)["heat_rows"]
    got_overdue = london_overview(vru=vru, year=2021, heat_sort="overdue", today=TODAY)["heat_rows"]
    got_name = london_overview(vru=vru, year=2021, heat_sort="nonsense", today=TODAY)
    assert [r.area.code for r in got_red] == by_red
    assert [r.area.code for r in got_overdue] == by_overdue
    assert [r.area.name for r in got_name["heat_rows"]] == sorted(names.values())
    assert got_name["heat_sort"] == "name"
    assert by_red != sorted(names, key=lambda c: names[c])  # the sort changes the order on this data


def test_overdue_and_not_started_are_counts_per_borough(demo):
    vru = Organisation.objects.get(code="VRU-LDN")
    overdue: Counter = Counter()
    not_started: Counter = Counter()
    for a in raw_actions():
        code = a["plan__area__code"]
        overdue[code] += bool(a["end_date"] and a["end_date"] < TODAY and a["status"] not in FINISHED)
        not_started[code] += a["source"] == "mandatory" and a["status"] in ("", "not_started")
    data = london_overview(vru=vru, year=2021, today=TODAY)
    got = {r.area.code: (r.overdue, r.not_started) for r in data["rows"] if r.plan}
    assert set(got) == {a["plan__area__code"] for a in raw_actions()}  # every borough with a plan, none skipped
    assert got == {c: (overdue[c], not_started[c]) for c in got}
    assert {r.area.code for r in data["attention"]} == {c for c in got if overdue[c] or not_started[c]}
    assert sum(overdue.values()) > 0 and sum(not_started.values()) > 0


def test_theme_filter_narrows_counts_and_shares_to_that_theme(demo):
    vru = Organisation.objects.get(code="VRU-LDN")
    rows = {r.area.code: r for r in london_overview(vru=vru, year=2021, theme="WPN", today=TODAY)["rows"]}
    in_theme = [a for a in raw_actions() if a["theme__code"] == "WPN" and a["plan__area__code"] == "E09000016"]
    havering = rows["E09000016"]
    assert havering.shown_actions == len(in_theme)
    assert havering.overdue == sum(
        bool(a["end_date"] and a["end_date"] < TODAY and a["status"] not in FINISHED) for a in in_theme
    )
    assert havering.red_share == pytest.approx(sum(a["status"] == "red" for a in in_theme) / len(in_theme))


def test_drill_down_lists_one_boroughs_actions_fifty_to_a_page(client, reviewer):
    plan = Plan.objects.get(area__code="E09000016", template__year=2021, is_current=True)
    # More than one page: every action overdue and not finished.
    PlanAction.objects.filter(plan=plan).update(end_date=date.today() - timedelta(days=3), status="amber")
    theme = plan.template.themes.get(code="GOV")
    PlanAction.objects.bulk_create(
        PlanAction(
            plan=plan,
            theme=theme,
            source=PlanAction.Source.LOCAL,
            code=f"GOV-L{90 + i}",
            title=f"Local action {i}",
            status="red",
            end_date=date.today() - timedelta(days=10),
        )
        for i in range(5)
    )
    total = PlanAction.objects.filter(plan=plan).count()
    assert total > 50
    client.force_login(reviewer)
    url = reverse("dashboard:borough", args=[2021, "E09000016"])
    first = client.get(url, {"show": "overdue"})
    assert first.status_code == 200
    body = first.content.decode()
    assert body.count('data-code="') == 50
    assert f"Actions 1 to 50 of {total}" in body
    second = client.get(url, {"show": "overdue", "page": 2}).content.decode()
    assert second.count('data-code="') == total - 50
    assert "Local action" in body and "10 days" in body  # the longest overdue first
    # The London view links each borough's count to this page.
    overview = client.get(reverse("dashboard:overview", args=[2021])).content.decode()
    assert unescape(f'href="{url}?show=overdue"') in unescape(overview)


def test_drill_down_refuses_what_it_should(client, reviewer, demo):
    url = reverse("dashboard:borough", args=[2021, "E09000016"])
    editor = User.objects.filter(role=User.Role.BOROUGH_EDITOR).first()
    client.force_login(editor)
    assert client.get(url).status_code == 403
    client.force_login(reviewer)
    assert client.get(url, {"show": "everything"}).status_code == 400
    assert client.get(url, {"theme": "G" * 21}).status_code == 400
    assert client.get(url, {"theme": "GOV\x00"}).status_code == 400
    assert client.get(reverse("dashboard:borough", args=[2021, "E" * 21])).status_code == 404
    assert client.get(reverse("dashboard:borough", args=[2021, "E99999999"])).status_code == 404
    assert client.get(reverse("dashboard:borough", args=[2030, "E09000016"])).status_code == 404
    with pytest.raises(NotFound):
        borough_attention(vru=reviewer.organisation, year=2021, area_code="MPS-EA")  # a BCU, not a borough


def test_page_shows_shares_full_names_and_no_raw_codes(client, reviewer):
    client.force_login(reviewer)
    body = client.get(reverse("dashboard:overview", args=[2021]), {"hsort": "red"}).content.decode()
    text = unescape(re.sub(r"<[^>]+>", " ", body))
    # Every borough's full name heads an adoption column; no 4-letter stand-ins.
    adoption = body[body.index('data-testid="adoption"') :]
    header = adoption[: adoption.index("</thead>")]
    for name in Organisation.objects.filter(kind=Organisation.Kind.AREA, vru=reviewer.organisation).values_list(
        "name", flat=True
    ):
        assert f"<span>{name}</span>" in unescape(header)
    assert '<abbr title="Barn"' not in body and ">Barn<" not in body
    # Optional actions are named by their titles, not by bare codes.
    first_optional = PlanAction.objects.filter(source="optional", plan__template__year=2021).first()
    assert first_optional.template_action.title[:40] in text
    # Heat cells write the counts out, with the full words for screen readers.
    assert re.search(r"R \d+", text) and re.search(r"\d+ red, \d+ amber", text)
    assert 'aria-current="true">Share red<' in body
    for raw in ("not_started", "not_undertaken", "app-heat--"):
        assert raw not in text, raw


def test_heat_sort_links_keep_the_filters(client, reviewer):
    client.force_login(reviewer)
    body = client.get(reverse("dashboard:overview", args=[2021]), {"bcu": "MPS-EA"}).content.decode()
    assert 'href="?bcu=MPS-EA&amp;hsort=overdue#heatmap"' in body
    assert body.count('data-testid="red-share"') == 3


def test_an_action_ending_today_is_not_yet_overdue_and_one_ending_yesterday_is():
    from vrhub.dashboard.selectors import is_overdue

    def action(end, status="amber"):
        return PlanAction(end_date=end, status=status)

    assert is_overdue(action=action(TODAY), today=TODAY) is False, "the end date is the last day to finish"
    assert is_overdue(action=action(TODAY - timedelta(days=1)), today=TODAY) is True
    assert is_overdue(action=action(TODAY + timedelta(days=1)), today=TODAY) is False
    assert is_overdue(action=action(None), today=TODAY) is False, "no end date, never overdue"
    for finished in FINISHED:
        assert is_overdue(action=action(TODAY - timedelta(days=30), finished), today=TODAY) is False, finished
