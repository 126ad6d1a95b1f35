"""The actions arising pages: the report for the next (or a chosen) meeting, open actions flagged overdue in
words, the forms writing through the services, downloads, and what a borough may not see."""

import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.governance import factories as f
from tests.governance.actions_world import MAY, build_history, expected_ids
from vrhub.governance.catalogue import ActionStatus
from vrhub.governance.models import Action, ActionUpdate

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(prg):
    return build_history(prg)


@pytest.fixture
def clerk_client(client, vru_clerk):
    client.force_login(vru_clerk)
    return client


def _page(client, **query):
    url = reverse("governance:actions", args=["prg"])
    return client.get(url, query)


def test_report_for_a_chosen_meeting_lists_the_rule_rows(clerk_client, prg, history):
    response = _page(clerk_client, meeting=history["meetings"][MAY].pk)
    assert response.status_code == 200
    report = response.context["report"]
    assert [[r.id for r in s.rows] for s in report.sections] == expected_ids(prg, MAY)
    html = response.content.decode()
    assert "Actions Arising from the Meeting of 6 March 2019" in html
    assert "Overdue" in html  # in words, beside the red tag
    for raw in (">ongoing<", ">complete<", "2019-05-01"):
        assert raw not in html


def test_default_report_is_the_next_meeting(clerk_client, prg, history):
    upcoming = f.meeting_with_items(group=prg, date=timezone.localdate() + dt.timedelta(days=3))
    response = _page(clerk_client)
    assert response.context["report"].meeting == upcoming
    assert ", the group's next meeting" in response.content.decode()


def test_open_actions_when_no_meeting_is_arranged(clerk_client, prg, history):
    response = _page(clerk_client)
    report = response.context["report"]
    assert report.meeting is None
    ongoing = {a.pk for k, a in history.items() if k != "meetings" and a.completed_on is None}
    assert {r.id for r in report.rows} == ongoing
    html = response.content.decode()
    assert "No meeting of the group is arranged" in html
    # the report is the open actions: shown once, each row an anchor the add form returns to
    assert 'id="open"' not in html
    assert sorted(int(pk) for pk in re.findall(r'id="action-(\d+)"', html)) == sorted(ongoing)


@pytest.mark.parametrize("bad", ["abc", "-1", "99999999", "1" * 20])
def test_a_bad_meeting_choice_is_not_found(clerk_client, prg, history, bad):
    assert _page(clerk_client, meeting=bad).status_code == 404


def test_another_boroughs_meeting_cannot_be_reported(client, editor, havering_board, lambeth_board):
    lambeth_meeting = f.MeetingFactory(group=lambeth_board, date=dt.date(2019, 5, 1))
    client.force_login(editor)
    url = reverse("governance:actions", args=["havering-csp"])
    assert client.get(url, {"meeting": lambeth_meeting.pk}).status_code == 404
    download = reverse("governance:actions_download", args=["havering-csp", "pdf"])
    assert client.get(download, {"meeting": lambeth_meeting.pk}).status_code == 404


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_download(clerk_client, prg, history, fmt):
    may = history["meetings"][MAY]
    response = clerk_client.get(reverse("governance:actions_download", args=["prg", fmt]), {"meeting": may.pk})
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="prg-actions-arising-2019-05-01.{fmt}"'
    if fmt == "docx":
        from docx import Document

        assert len(Document(io.BytesIO(response.content)).tables) == len(expected_ids(prg, MAY))
    else:
        assert response.content.startswith(b"%PDF")
    assert clerk_client.get(reverse("governance:actions_download", args=["prg", "xls"])).status_code == 404


def test_add_an_action(clerk_client, prg, history):
    may = history["meetings"][MAY]
    url = reverse("governance:action_new", args=["prg"]) + f"?meeting={may.pk}"
    item = may.items.get(number=4)
    response = clerk_client.post(
        url, {"item": item.pk, "text": "To write to the boroughs.", "owner": "Clerk", "deadline": "2019-06-30"}
    )
    assert response.status_code == 302
    made = Action.objects.get(text="To write to the boroughs.")
    assert (made.meeting, made.item, made.deadline) == (may, item, dt.date(2019, 6, 30))
    follow = clerk_client.get(response["Location"])
    assert "1 action added to the meeting of 1 May 2019." in follow.content.decode()


def test_add_refuses_bad_input_and_shows_the_error(clerk_client, prg, history):
    may = history["meetings"][MAY]
    url = reverse("governance:action_new", args=["prg"]) + f"?meeting={may.pk}"
    response = clerk_client.post(url, {"text": "x", "owner": "Clerk", "deadline": "2019-04-01"})
    assert response.status_code == 200
    assert "Deadline must be on or after the meeting the action arose from (1 May 2019)" in response.content.decode()
    assert not Action.objects.filter(text="x").exists()


def test_record_an_update_completing_an_action(clerk_client, prg, history):
    action = history["forever"]
    url = reverse("governance:action_update", args=["prg", action.pk])
    assert clerk_client.get(url).status_code == 200
    response = clerk_client.post(
        url, {"update": "Membership is now 31 %.", "status": "complete", "version": action.version}
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == ActionStatus.COMPLETE and action.latest_update == "Membership is now 31 %."
    assert ActionUpdate.objects.filter(action=action).count() == 1


def test_a_stale_update_form_is_refused_with_words(clerk_client, prg, history):
    action = history["forever"]
    url = reverse("governance:action_update", args=["prg", action.pk])
    data = {"update": "One.", "status": "ongoing", "version": action.version}
    assert clerk_client.post(url, data).status_code == 302
    again = clerk_client.post(url, {**data, "update": "Two."})
    assert again.status_code == 200
    assert "Someone else changed this action" in again.content.decode()
    assert list(ActionUpdate.objects.filter(action=action).values_list("text", flat=True)) == ["One."]


def test_edit_and_remove(clerk_client, prg, history):
    action = history["june"]
    edit = reverse("governance:action_edit", args=["prg", action.pk])
    response = clerk_client.post(
        edit,
        {
            "item": action.item_id,
            "text": action.text,
            "owner": "Director of the VRU",
            "deadline": "",
            "version": action.version,
        },
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.owner == "Director of the VRU" and action.deadline is None
    remove = reverse("governance:action_remove", args=["prg", action.pk])
    assert clerk_client.post(remove, {"version": action.version}).status_code == 302
    assert not Action.objects.filter(pk=action.pk).exists()


def test_lookers_see_no_edit_links(client, vru_clerk, mopac_officer, prg, history):
    detail_url = reverse("governance:action", args=["prg", history["forever"].pk])
    # the same pages give the clerk the links, so their absence below is the looker's, not the page's
    client.force_login(vru_clerk)
    assert 'data-testid="add-action"' in _page(client).content.decode()
    assert 'data-testid="report-update"' in client.get(detail_url).content.decode()
    client.force_login(mopac_officer)
    html = _page(client).content.decode()
    assert "Add an action" not in html and 'data-testid="add-action"' not in html
    detail = client.get(detail_url).content.decode()
    assert "Record an update" not in detail and 'data-testid="report-update"' not in detail


def test_forms_open_with_the_actions_values_and_version(clerk_client, prg, history):
    action = history["no_deadline"]
    html = clerk_client.get(reverse("governance:action_edit", args=["prg", action.pk])).content.decode()
    assert 'value="Clerk"' in html and f'name="version" value="{action.version}"' in html
    assert "Consider data requirements</textarea>" in html
    update = clerk_client.get(reverse("governance:action_update", args=["prg", action.pk])).content.decode()
    assert f'name="version" value="{action.version}"' in update
    assert re.search(r'<input[^>]*value="ongoing"[^>]*checked', update)
    assert not re.search(r'<input[^>]*value="complete"[^>]*checked', update)
