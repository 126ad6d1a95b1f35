"""``python manage.py actions_arising``: the JSON contract, the default meeting, the exports, bad input."""

import datetime as dt
import io
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from tests.governance import factories as f
from tests.governance.actions_world import MAY, build_history, expected_ids

pytestmark = pytest.mark.django_db


def _run(*args) -> str:
    out = StringIO()
    call_command("actions_arising", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def history(prg):
    return build_history(prg)


def test_json_for_a_chosen_meeting(prg, history):
    may = history["meetings"][MAY]
    data = json.loads(_run("--group", "prg", "--meeting", str(may.pk), "--json"))
    assert data["group"] == "prg" and data["synthetic"] is False
    assert data["meeting"] == {"id": may.pk, "date": "2019-05-01"}
    assert [[a["id"] for a in s["actions"]] for s in data["sections"]] == expected_ids(prg, MAY)
    assert [s["meeting"]["date"] for s in data["sections"]] == ["2019-03-06", "2019-01-22"]
    forever = next(a for s in data["sections"] for a in s["actions"] if a["id"] == history["forever"].pk)
    assert forever == {
        "id": history["forever"].pk,
        "item": "6. Item 6",
        "action": "Reach 30 % community membership",
        "deadline": "2019-02-28",
        "status": "ongoing",
        "update": "",
        "owner": "Clerk",
        "overdue": True,
    }
    no_deadline = next(a for s in data["sections"] for a in s["actions"] if a["id"] == history["no_deadline"].pk)
    assert no_deadline["deadline"] is None and no_deadline["overdue"] is False


def test_without_a_meeting_the_next_one_is_used(prg, history):
    upcoming = f.meeting_with_items(group=prg, date=timezone.localdate() + dt.timedelta(days=10))
    f.meeting_with_items(group=prg, date=timezone.localdate() + dt.timedelta(days=40))
    data = json.loads(_run("--group", "prg", "--json"))
    assert data["meeting"]["id"] == upcoming.pk
    assert [[a["id"] for a in s["actions"]] for s in data["sections"]] == expected_ids(prg, upcoming.date)


def test_with_no_meeting_arranged_every_open_action(prg, history):
    data = json.loads(_run("--group", "prg", "--json"))
    assert data["meeting"] is None
    ongoing = {a.pk for k, a in history.items() if k != "meetings" and a.completed_on is None}
    got = [a for s in data["sections"] for a in s["actions"]]
    assert {a["id"] for a in got} == ongoing
    # today is long after every deadline: each dated one is overdue
    assert {a["id"] for a in got if a["overdue"]} == {
        a.pk for k, a in history.items() if k != "meetings" and a.completed_on is None and a.deadline
    }


def test_text_output_is_words(prg, history):
    prg.synthetic = True
    prg.save()
    text = _run("--group", "prg", "--meeting", str(history["meetings"][MAY].pk))
    assert (
        "Partnership Reference Group (SYNTHETIC demo data): Actions Arising from Previous Meetings, "
        "meeting of 1 May 2019" in text
    )
    assert "Actions Arising from the Meeting of 6 March 2019" in text
    assert "deadline 28 February 2019 [OVERDUE]" in text
    assert "ongoing" not in text  # words, not codes: "Ongoing", "Complete"


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_export_written_whole(prg, history, tmp_path, fmt):
    out = tmp_path / f"report.{fmt}"
    _run("--group", "prg", "--meeting", str(history["meetings"][MAY].pk), "--format", fmt, "--out", str(out))
    content = out.read_bytes()
    if fmt == "pdf":
        assert content.startswith(b"%PDF")
    else:
        from docx import Document

        tables = Document(io.BytesIO(content)).tables
        assert len(tables) == len(expected_ids(prg, MAY))
    assert [p.name for p in tmp_path.iterdir()] == [out.name]  # no temporary file left


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--group", "nope"], "No group has the slug 'nope'"),
        (["--group", "prg", "--meeting", "999999"], "has no meeting with the id 999999"),
        (["--group", "prg", "--format", "pdf"], "--format and --out go together"),
        (["--group", "prg", "--format", "pdf", "--out", "/nonexistent/dir/x.pdf"], "does not exist"),
    ],
)
def test_bad_input_is_one_line_and_fails(prg, args, words):
    with pytest.raises(CommandError) as exc:
        _run(*args)
    assert words in str(exc.value) and "\n" not in str(exc.value)


def test_another_groups_meeting_is_refused(prg, havering_board):
    other = f.MeetingFactory(group=havering_board, date=dt.date(2019, 5, 1))
    with pytest.raises(CommandError):
        _run("--group", "prg", "--meeting", str(other.pk))
