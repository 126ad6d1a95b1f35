"""The actions arising rule: carry forward, each completion reported once, overdue, the group's open actions,
and the report chosen by default (the next meeting, else the open actions)."""

import datetime as dt

import pytest

from tests.governance import factories as f
from tests.governance.actions_world import JAN, JUL, MAR, MAY, build_history, expected_ids
from vrhub.core.exceptions import NotFound
from vrhub.governance.selectors.actions import actions_arising, open_actions, report_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(prg):
    return build_history(prg)


def _ids(report) -> list[list[int]]:
    return [[r.id for r in s.rows] for s in report.sections]


def _report(prg, history, day):
    return actions_arising(group=prg, meeting=history["meetings"][day])


@pytest.mark.parametrize("day", [JAN, MAR, MAY, JUL])
def test_each_report_matches_the_rule_restated(prg, history, day):
    report = _report(prg, history, day)
    assert _ids(report) == expected_ids(prg, day)
    # sections are the meetings the actions arose from, newest first, with the seed's heading
    dates = [s.meeting.date for s in report.sections]
    assert dates == sorted(dates, reverse=True)
    for s in report.sections:
        assert s.heading == f"Actions Arising from the Meeting of {s.meeting.date.day} {s.meeting.date:%B %Y}"


def test_the_first_meeting_has_nothing_to_report(prg, history):
    assert _report(prg, history, JAN).sections == []


def test_an_action_completed_long_ago_is_not_repeated(prg, history):
    done = history["done_early"].pk
    assert done in _ids(_report(prg, history, MAR))[0]
    for day in (MAY, JUL):
        assert done not in sum(_ids(_report(prg, history, day)), [])


def test_an_ongoing_action_appears_at_every_later_meeting_overdue(prg, history):
    forever = history["forever"].pk
    for day in (MAR, MAY, JUL):
        rows = {r.id: r for r in _report(prg, history, day).rows}
        assert rows[forever].status == "ongoing"
        assert rows[forever].overdue
        assert rows[forever].overdue_words == "Overdue: the deadline was 28 February 2019"
        assert rows[forever].status_and_update == "Ongoing"


def test_a_completion_is_reported_once_at_the_first_meeting_after_it(prg, history):
    done = history["done_apr"].pk
    reports = {day: {r.id: r for r in _report(prg, history, day).rows} for day in (MAY, JUL)}
    assert reports[MAY][done].status_and_update == "Complete"
    assert not reports[MAY][done].overdue  # complete by the meeting, though past its deadline
    assert done not in reports[JUL]


def test_status_is_as_at_the_meetings_date(prg, history):
    """Completed on 10 March: still ongoing (and overdue? no, its deadline is 31 March) at 6 March."""
    action = history["done_after_mar"].pk
    at_mar = {r.id: r for r in _report(prg, history, MAR).rows}
    at_may = {r.id: r for r in _report(prg, history, MAY).rows}
    assert at_mar[action].status == "ongoing" and not at_mar[action].overdue
    assert at_may[action].status == "complete"
    assert action not in {r.id for r in _report(prg, history, JUL).rows}


def test_no_deadline_reads_ongoing_and_is_never_overdue(prg, history):
    action = history["no_deadline"].pk
    for day in (MAY, JUL):
        row = next(r for r in _report(prg, history, day).rows if r.id == action)
        assert row.deadline is None and row.deadline_words == "Ongoing"
        assert not row.overdue
        assert row.status_and_update == "Ongoing: Verbal update to be provided."


def test_row_words(prg, history):
    row = next(r for r in _report(prg, history, JUL).rows if r.id == history["june"].pk)
    assert row.item == "9. Item 9"
    assert row.deadline_words == "1 June 2019"
    assert row.overdue


def test_an_update_written_after_the_meeting_is_not_in_its_report(prg, history, vru_clerk):
    from vrhub.governance.services.actions import action_report_update

    action = history["no_deadline"]
    action_report_update(
        action=action,
        user=vru_clerk,
        data={"update": "Paper drafted.", "status": "ongoing", "written_on": dt.date(2019, 6, 10)},
        version=action.version,
    )
    at_may = next(r for r in _report(prg, history, MAY).rows if r.id == action.pk)
    at_jul = next(r for r in _report(prg, history, JUL).rows if r.id == action.pk)
    assert at_may.update == ""  # nothing written by 1 May
    assert at_jul.update == "Paper drafted."


def test_other_groups_actions_never_appear(prg, history, havering_board):
    other = f.meeting_with_items(group=havering_board, date=dt.date(2019, 2, 1))
    stranger = f.ActionFactory(meeting=other, deadline=None)
    for day in (MAR, MAY, JUL):
        assert stranger.pk not in {r.id for r in _report(prg, history, day).rows}
    with pytest.raises(NotFound):
        actions_arising(group=havering_board, meeting=history["meetings"][MAY])


def test_open_actions_are_every_ongoing_action_overdue_against_today(prg, history):
    today = dt.date(2019, 3, 20)
    report = open_actions(group=prg, today=today)
    ongoing = sorted(a.pk for k, a in history.items() if k != "meetings" and a.completed_on is None)
    assert sorted(r.id for r in report.rows) == ongoing
    overdue = {r.id for r in report.rows if r.overdue}
    expected = {a.pk for k, a in history.items() if k != "meetings" and a.completed_on is None and a.deadline}
    expected = {pk for pk in expected if history_deadline(history, pk) < today}
    assert overdue == expected and history["forever"].pk in overdue


def history_deadline(history, pk):
    return next(a.deadline for k, a in history.items() if k != "meetings" and a.pk == pk)


def test_report_for_defaults_to_the_next_meeting_then_the_open_actions(prg, history):
    assert report_for(group=prg, meeting_id=None, today=dt.date(2019, 4, 1)).meeting == history["meetings"][MAY]
    assert report_for(group=prg, meeting_id=None, today=MAY).meeting == history["meetings"][MAY]
    late = report_for(group=prg, meeting_id=None, today=dt.date(2020, 1, 1))
    assert late.meeting is None and late.title == "Open Actions Arising"
    chosen = report_for(group=prg, meeting_id=history["meetings"][MAR].pk, today=dt.date(2020, 1, 1))
    assert chosen.meeting == history["meetings"][MAR]


def test_report_for_refuses_another_groups_meeting(prg, history, havering_board):
    other = f.MeetingFactory(group=havering_board, date=dt.date(2019, 5, 1))
    with pytest.raises(NotFound):
        report_for(group=prg, meeting_id=other.pk, today=MAY)
    with pytest.raises(NotFound):
        report_for(group=prg, meeting_id=10**15, today=MAY)


def test_json_contract(prg, history):
    data = _report(prg, history, MAY).as_json()
    assert set(data) == {"group", "synthetic", "meeting", "as_at", "title", "sections"}
    assert data["meeting"] == {"id": history["meetings"][MAY].pk, "date": "2019-05-01"}
    row = data["sections"][0]["actions"][0]
    assert set(row) == {"id", "item", "action", "deadline", "status", "update", "owner", "overdue"}


def _queries(prg, meeting) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        report = actions_arising(group=prg, meeting=meeting)
        [r.status_and_update for r in report.rows]
    return len(ctx.captured_queries)


def test_the_report_reads_in_a_fixed_number_of_queries(prg, history):
    """More actions (and updates) do not mean more queries: rows, items and updates are fetched at once."""
    before = _queries(prg, history["meetings"][JUL])
    march = history["meetings"][MAR]
    for i in range(30):
        a = f.ActionFactory(meeting=march, item=march.items.get(number=2), deadline=None)
        models_update(a, i)
    assert _queries(prg, history["meetings"][JUL]) == before


def models_update(action, i):
    from vrhub.governance.models import ActionUpdate

    ActionUpdate.objects.create(action=action, text=f"Update {i}", status="ongoing", written_on=dt.date(2019, 4, 1))


def test_boundaries_fall_on_the_meetings_dates(prg, history):
    """Worked by hand: an action completed on the day of a meeting is reported complete at that meeting and
    never again; a deadline on the day of a meeting is not yet overdue at it, and is at the next."""
    from tests.governance.actions_world import _action

    m = history["meetings"]
    on_the_day = _action(m[JAN], 7, "Completed on the day of the March meeting", completed_on=MAR)
    due_may = _action(m[MAR], 8, "Due on the day of the May meeting", deadline=MAY)
    at_mar = {r.id: r for r in _report(prg, history, MAR).rows}
    assert at_mar[on_the_day.pk].status == "complete"
    at_may = {r.id: r for r in _report(prg, history, MAY).rows}
    assert on_the_day.pk not in at_may  # reported once, at 6 March
    assert at_may[due_may.pk].overdue is False and at_may[due_may.pk].overdue_words == ""
    at_jul = {r.id: r for r in _report(prg, history, JUL).rows}
    assert at_jul[due_may.pk].overdue is True
    assert at_jul[due_may.pk].overdue_words == "Overdue: the deadline was 1 May 2019"
