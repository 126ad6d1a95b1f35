import csv
import io

import lxml.html
import pytest
from django.urls import reverse

from vrhub.cycle.models import QuarterlyUpdate, Signature
from vrhub.plans.content import plan_content_hash
from vrhub.plans.models import PlanAction, Status
from vrhub.plans.services import plan_action_update

pytestmark = pytest.mark.django_db


def table_rows(body: str, xpath: str) -> list[list[str]]:
    """The text of each cell (header or data) of each body row of the table ``xpath`` finds in ``body``."""
    (table,) = lxml.html.fromstring(body).xpath(xpath)
    return [
        [" ".join(cell.text_content().split()) for cell in row.xpath("./th|./td")] for row in table.xpath("./tbody/tr")
    ]


def test_sign_page_refuses_an_out_of_date_version_and_offers_the_current_one(
    client, complete_plan, signatories, editor
):
    leader = signatories["leader"]
    client.force_login(leader)
    url = reverse("cycle:sign", args=[complete_plan.pk])
    seen = plan_content_hash(complete_plan)
    assert seen[:12] in client.get(url).content.decode()
    plan_action_update(action=complete_plan.actions.first(), user=editor, data={"progress": "Changed meanwhile"})
    body = client.post(url, {"name": "Lee Leader", "confirmed": "on", "content_hash": seen}).content.decode()
    assert "has changed since you opened it" in body
    assert not Signature.objects.exists()
    current = plan_content_hash(complete_plan)
    assert f'value="{current}"' in body
    assert client.post(url, {"name": "Lee Leader", "confirmed": "on", "content_hash": current}).status_code == 302
    assert Signature.objects.get().content_hash == current


def test_sign_page_names_missing_fields(client, complete_plan, signatories):
    client.force_login(signatories["chief_executive"])
    url = reverse("cycle:sign", args=[complete_plan.pk])
    body = client.post(url, {"name": "", "content_hash": plan_content_hash(complete_plan)}).content.decode()
    assert "Enter your name as it should appear on the sign-off" in body
    assert "Confirm that you have reviewed the plan" in body


def test_history_page_and_csv_export(client, plan, editor):
    action = plan.actions.get(code="GOV-M1")
    plan_action_update(action=action, user=editor, data={"progress": '=HYPERLINK("http://evil")', "status": "red"})
    plan_action_update(action=action, user=editor, data={"status": "amber"})
    other = plan.actions.get(code="GOV-M2")
    plan_action_update(action=other, user=editor, data={"status": "complete", "progress": "Work on the other action"})
    client.force_login(editor)
    url = reverse("cycle:history", args=[plan.pk, action.pk])
    body = client.get(url).content.decode()
    rows = table_rows(body, '//table[@data-testid="history-table"]')
    # Columns: when, who, what, field, old, new; the page shows this action's changes and no other's.
    assert [(r[4], r[5]) for r in rows if r[3] == "status"] == [("–", "red"), ("red", "amber")]
    assert [r[5] for r in rows if r[3] == "progress"] == ['=HYPERLINK("http://evil")']
    assert {r[2].split(" ", 2)[1] for r in rows} == {"GOV-M1"}, [r[2] for r in rows]
    assert "complete" not in {r[5] for r in rows} and "Work on the other action" not in body
    response = client.get(url + "?format=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["when", "who", "change", "object", "field", "old", "new"]
    status_rows = [r for r in rows if r[4] == "status"]
    assert [(r[5], r[6]) for r in status_rows] == [("", "red"), ("red", "amber")]
    progress = next(r for r in rows if r[4] == "progress")
    assert progress[6].startswith("'="), "formulae are neutralised in the export"


def test_quarter_page_saves_updates_and_names_errors(client, plan, quarters, editor):
    client.force_login(editor)
    actions = list(plan.actions.filter(theme__code="GOV").order_by("source", "order", "code"))
    url = reverse("cycle:quarter_theme", args=[plan.pk, 1, "GOV"])
    a, b = actions[0], actions[1]
    data = {f"a{x.pk}-version": "0" for x in actions}
    data |= {
        f"a{a.pk}-progress": "Board met",
        f"a{a.pk}-status": "green",
        f"a{a.pk}-measured_value": "12.5",
        f"a{b.pk}-progress": "Half done",
        f"a{b.pk}-status": "",
    }
    body = client.post(url, data).content.decode()
    assert "There is a problem" in body and f"{b.code} Status: Choose a status" in body
    assert not QuarterlyUpdate.objects.exists()
    data[f"a{b.pk}-status"] = "amber"
    assert client.post(url, data).status_code == 302
    assert QuarterlyUpdate.objects.count() == 2
    assert str(QuarterlyUpdate.objects.get(action=a).measured_value) == "12.50"
    trend = client.get(url).content.decode()
    assert 'Q1 <strong class="govuk-tag govuk-tag--green">Green</strong>' in trend


def test_closed_quarter_page_is_read_only(client, plan, quarters, editor, reviewer):
    client.force_login(reviewer)
    assert client.post(reverse("cycle:quarter_close", args=[plan.pk, 1])).status_code == 302
    client.force_login(editor)
    url = reverse("cycle:quarter_theme", args=[plan.pk, 1, "GOV"])
    assert "closed by the VRU" in client.get(url).content.decode()
    assert client.post(url, {}).status_code == 403


def test_locked_plan_cannot_be_edited_through_the_theme_page(client, complete_plan, signatories, editor):
    from tests.cycle.test_signoff_and_review import sign_all
    from vrhub.cycle.services import plan_submit

    sign_all(complete_plan, signatories)
    plan_submit(plan=complete_plan, user=editor)
    client.force_login(editor)
    url = reverse("plans:theme", args=[complete_plan.pk, "GOV"])
    assert "shown read-only" in client.get(url).content.decode()
    response = client.post(url, {})
    assert response.status_code == 403
    assert "until the VRU returns it" in response.content.decode()


def test_quarters_page_shows_the_trend_chart_and_table(client, plan, quarters, editor):
    from vrhub.cycle.services import quarterly_update_save

    for quarter, status in zip(quarters[:2], ["red", "green"], strict=True):
        quarterly_update_save(
            action=plan.actions.get(code="GOV-M1"), quarter=quarter, user=editor, progress="p", status=status
        )
    client.force_login(editor)
    body = client.get(reverse("cycle:quarters", args=[plan.pk])).content.decode()
    assert '<svg class="app-trend-chart" role="img"' in body
    assert "<title>Q1 2021/22: 1 Red</title>" in body and "<title>Q2 2021/22: 1 Green</title>" in body
    # Every action to report on, updated or not (none is "not being undertaken" in this plan).
    total = PlanAction.objects.filter(plan=plan).exclude(status=Status.NOT_UNDERTAKEN).count()
    assert total > 2
    quarters_table = table_rows(body, '//table[caption[normalize-space()="Reporting quarters"]]')
    # Quarter, due, "updated of total", state, links: one action was updated in Q1 and in Q2, none later.
    assert [(r[0].split()[:2], r[2]) for r in quarters_table] == [
        (["Q1", "2021/22"], f"1 of {total}"),
        (["Q2", "2021/22"], f"1 of {total}"),
        (["Q3", "2021/22"], f"0 of {total}"),
        (["Q4", "2021/22"], f"0 of {total}"),
    ]
    gov = plan.template.themes.get(code="GOV").title
    trend = table_rows(body, f'//table[caption[normalize-space()="{gov}: actions by status in each quarter"]]')
    expected = {1: {Status.RED.label: "1"}, 2: {Status.GREEN.label: "1"}}
    assert trend[:2] == [[f"Q{n}"] + [expected[n].get(s.label, "0") for s in Status] for n in (1, 2)], (
        "each status is counted in its own column and quarter"
    )
    # A quarter with no updates says so rather than showing a row of zeros ("no data" is never 0).
    assert trend[2:] == [["Q3", "No updates yet"], ["Q4", "No updates yet"]]
    for t in plan.template.themes.exclude(code="GOV"):
        rows = table_rows(body, f'//table[caption[normalize-space()="{t.title}: actions by status in each quarter"]]')
        assert all(row[1:] == ["No updates yet"] for row in rows), t.code
