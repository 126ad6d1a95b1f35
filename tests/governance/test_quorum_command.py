"""The command line: ``quorum --meeting ID [--item N] --json`` and ``import_attendance FILE --meeting ID``
(stdout JSON parsed, exit codes), checked against the count made here from the raw attendance file."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command, execute_from_command_line

from tests.governance.attendance_world import ATTENDANCE_CSV, expected_from_file, prg_meeting
from vrhub.core.models import AuditEntry
from vrhub.governance.models import AttendanceRecord

pytestmark = pytest.mark.django_db
KEYS = ["meeting", "members", "needed", "present", "quorate", "missing_roles", "reasons"]


@pytest.fixture
def meeting(prg):
    return prg_meeting(prg)


def _run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def _import(meeting, *extra, path: Path = ATTENDANCE_CSV) -> dict:
    return json.loads(_run("import_attendance", str(path), "--meeting", str(meeting.pk), "--json", *extra))


def test_import_without_yes_previews_and_saves_nothing(meeting):
    assert _import(meeting) == {"meeting": meeting.pk, "recorded": 9, "unchanged": 0, "saved": False}
    assert AttendanceRecord.objects.count() == 0


def test_import_with_yes_saves_all_and_a_second_run_changes_nothing(meeting):
    assert _import(meeting, "--yes") == {"meeting": meeting.pk, "recorded": 9, "unchanged": 0, "saved": True}
    assert AttendanceRecord.objects.filter(meeting=meeting).count() == 9
    assert AuditEntry.objects.filter(object_type="governance.attendancerecord", action="create").exists()
    assert _import(meeting, "--yes") == {"meeting": meeting.pk, "recorded": 0, "unchanged": 9, "saved": True}


def test_import_errors_are_json_with_a_non_zero_exit(meeting, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("name,attendance\nChair Person,present\nNobody,present\nChair Person,late\n")
    out = StringIO()
    with pytest.raises(CommandError, match="not imported \\(3 problems\\); nothing was saved"):
        call_command("import_attendance", str(bad), "--meeting", str(meeting.pk), "--json", "--yes", stdout=out)
    errors = json.loads(out.getvalue())["errors"]
    assert errors[0].startswith("Line 3, column 1 (name): Nobody is not a member")
    assert errors[1] == "Line 4, column 1 (name): Chair Person is listed twice (also on line 2)."
    assert errors[2].startswith("Line 4, column 2 (attendance): the attendance is 'late'")
    assert AttendanceRecord.objects.count() == 0


def test_import_of_a_missing_file_or_meeting_fails_in_one_line(meeting, tmp_path):
    with pytest.raises(CommandError, match="No meeting has the id 999999"):
        _run("import_attendance", str(ATTENDANCE_CSV), "--meeting", "999999", "--json")
    out = StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_attendance", str(tmp_path / "none.csv"), "--meeting", str(meeting.pk), "--json", stdout=out
        )
    assert "cannot be read" in json.loads(out.getvalue())["errors"][0]


def test_quorum_json_for_the_opening_and_each_item_matches_the_file(meeting):
    _import(meeting, "--yes")
    expected = expected_from_file()
    for item in [None, 1, 2, 3, 6]:
        args = ["quorum", "--meeting", str(meeting.pk), "--json"] + (["--item", str(item)] if item else [])
        data = json.loads(_run(*args))
        assert list(data) == KEYS  # exactly the contract (the group is not synthetic)
        counted, needed, quorate, missing = expected[item]
        assert (data["meeting"], data["members"], data["present"], data["needed"]) == (meeting.pk, 9, counted, needed)
        assert data["quorate"] is quorate and data["missing_roles"] == missing
        assert bool(data["reasons"]) is (not quorate)
    item3 = json.loads(_run("quorum", "--meeting", str(meeting.pk), "--item", "3", "--json"))
    assert "Community Person (remote) left after item 2 and is not counted for item 3." in item3["reasons"]


def test_quorum_marks_synthetic_groups(meeting):
    meeting.group.synthetic = True
    meeting.group.save()
    data = json.loads(_run("quorum", "--meeting", str(meeting.pk), "--json"))
    assert data["synthetic"] is True
    assert "SYNTHETIC" in _run("quorum", "--meeting", str(meeting.pk))


def test_quorum_text_is_a_few_readable_lines(meeting):
    _import(meeting, "--yes")
    text = _run("quorum", "--meeting", str(meeting.pk), "--item", "3")
    assert "NOT quorate at item 3" in text
    assert "6 counted of 9 members in office; 5 needed" in text
    assert "missing: a community representative" in text
    assert "community_" not in text and "chair_or_deputy" not in text


@pytest.mark.parametrize(
    "args, message",
    [
        (["--meeting", "999999"], "No meeting has the id 999999"),
        (["--meeting", str(10**30)], "No meeting has the id"),
        (["--item", "7"], "The meeting has no agenda item 7"),
        (["--item", "0"], "The meeting has no agenda item 0"),
        (["--item", str(10**30)], "The meeting has no agenda item"),
    ],
)
def test_quorum_unknown_meeting_or_item_fails(meeting, args, message):
    full = ["quorum", "--meeting", str(meeting.pk), "--json", *args]
    with pytest.raises(CommandError, match=message):
        _run(*full)


def test_quorum_exit_code_and_one_line_from_the_command_line(meeting, capsys):
    with pytest.raises(SystemExit) as exited:
        execute_from_command_line(["manage.py", "quorum", "--meeting", "999999", "--json"])
    assert exited.value.code == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.strip().splitlines() == ["CommandError: No meeting has the id 999999"]
    with pytest.raises(SystemExit) as exited:
        execute_from_command_line(["manage.py", "quorum", "--meeting", str(meeting.pk), "--item", "x"])
    assert exited.value.code != 0
