"""Break-it pass on issue 14: the governance commands with crafted arguments, exit codes, JSON contracts."""
# ruff: noqa: F811

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.governance import factories as f
from tests.governance.conftest import havering_board, prg  # noqa: F401
from vrhub.governance.models import Group, Meeting, Member

pytestmark = pytest.mark.django_db


def _run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _refused(*args) -> str:
    with pytest.raises(CommandError) as caught:
        _run(*args)
    message = str(caught.value)
    assert "\n" not in message.strip() and "Traceback" not in message, message
    return message


def _counts():
    return Group.objects.count(), Meeting.objects.count(), Member.objects.count()


@pytest.mark.parametrize(
    "group, date, items",
    [
        ("prg'; DROP TABLE governance_group; --", "2026-05-01", "3"),
        ("../prg", "2026-05-01", "3"),
        ("prg\x00", "2026-05-01", "3"),
        ("p" * 10_000, "2026-05-01", "3"),
        ("prg", "2026-02-31", "3"),
        ("prg", "2026-5-1 ", "3"),
        ("prg", "99999-01-01", "3"),
        ("prg", "2026-05-01", "0"),
        ("prg", "2026-05-01", "-1"),
        ("prg", "2026-05-01", str(10**30)),
        ("prg", "2026-05-01", "3.5"),
        ("prg", "2026-05-01", "1e3"),
    ],
)
def test_create_meeting_refuses_crafted_arguments_in_one_line(prg, group, date, items):
    before = _counts()
    _refused("create_meeting", "--group", group, "--date", date, "--items", items, "--json")
    assert _counts() == before


def test_create_meeting_json_is_exact(prg):
    out, _ = _run("create_meeting", "--group", "prg", "--date", "2026-05-01", "--items", "3", "--json")
    data = json.loads(out)
    assert set(data) <= {"meeting", "synthetic"} and Meeting.objects.get(pk=data["meeting"]).items.count() == 3


@pytest.mark.parametrize("item", ["0", "-1", "4", str(2**31), str(2**63), str(10**30)])
def test_quorum_refuses_items_that_do_not_exist(prg, item):
    meeting = f.meeting_with_items(group=prg, date=dt.date(2026, 3, 6))
    _refused("quorum", "--meeting", str(meeting.pk), "--item", item, "--json")


@pytest.mark.parametrize("meeting", ["0", "-1", str(2**31), str(2**63), str(10**30)])
def test_quorum_refuses_unknown_meetings(prg, meeting):
    _refused("quorum", "--meeting", meeting, "--json")


def test_quorum_json_contract_exact(prg):
    meeting = f.meeting_with_items(group=prg, date=dt.date(2026, 3, 6))
    out, _ = _run("quorum", "--meeting", str(meeting.pk), "--item", "2", "--json")
    data = json.loads(out)
    assert set(data) == {"meeting", "members", "needed", "present", "quorate", "missing_roles", "reasons"}
    assert data["meeting"] == meeting.pk and data["quorate"] is False and isinstance(data["reasons"], list)


def test_import_commands_refuse_missing_files_and_directories(prg, tmp_path):
    meeting = f.meeting_with_items(group=prg, date=dt.date(2026, 3, 6))
    before = _counts()
    for path in (str(tmp_path / "nope.csv"), str(tmp_path), "../../no/such/file.csv"):
        _refused("import_members", path, "--group", "prg", "--json", "--yes")
        _refused("import_attendance", path, "--meeting", str(meeting.pk), "--json", "--yes")
    assert _counts() == before


def _bytes_a_command_swallows_from_a_pipe(tmp_path, settings, *args) -> int:
    """Run the command on a named pipe fed by a thread: how many bytes it took before it stopped reading (a
    pipe, like /dev/zero, has no size to check first). The feed is capped at 8 times the upload limit."""
    import os
    import threading

    settings.DOCUMENT_MAX_BYTES = 256 * 1024
    fifo = tmp_path / "feed.csv"
    os.mkfifo(fifo)
    written = [0]

    def feed():
        chunk = b"A,present\n" * 6_000
        try:
            with open(fifo, "wb") as pipe:
                pipe.write(b"name,attendance\n")
                while written[0] < 8 * settings.DOCUMENT_MAX_BYTES:
                    pipe.write(chunk)
                    written[0] += len(chunk)
        except (BrokenPipeError, OSError):
            pass

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    try:
        call_command(*[a if a != "FIFO" else str(fifo) for a in args], stdout=StringIO(), stderr=StringIO())
    except CommandError:
        pass
    writer.join(timeout=10)
    return written[0]


def test_import_members_stops_reading_a_pipe_at_the_limit(prg, tmp_path, settings):
    """import_members refuses anything that is not a regular file (a pipe, /dev/zero)."""
    assert _bytes_a_command_swallows_from_a_pipe(tmp_path, settings, "import_members", "FIFO", "--group", "prg") == 0


def test_import_attendance_stops_reading_a_pipe_at_the_limit(prg, tmp_path, settings):
    meeting = f.meeting_with_items(group=prg, date=dt.date(2026, 3, 6))
    swallowed = _bytes_a_command_swallows_from_a_pipe(
        tmp_path, settings, "import_attendance", "FIFO", "--meeting", str(meeting.pk), "--json"
    )
    assert swallowed <= 2 * settings.DOCUMENT_MAX_BYTES, swallowed


def test_import_members_refuses_a_huge_file_and_saves_nothing(prg, tmp_path, settings):
    path = tmp_path / "big.csv"
    with path.open("wb") as handle:
        handle.write(b"name,office,sector\n")
        handle.write(b"A,member,other\n" * 2_000_000)
    before = list(Member.objects.order_by("pk").values())
    with pytest.raises(CommandError) as caught:
        call_command("import_members", str(path), "--group", "prg", "--json", "--yes", stdout=StringIO())
    assert caught.value.returncode == 2
    assert list(Member.objects.order_by("pk").values()) == before


def test_import_members_unknown_group_one_line(prg, tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("name,office,sector\nA,member,other\n")
    for slug in ("nope", "prg; rm -rf /", "", "x" * 51):
        _refused("import_members", str(path), "--group", slug, "--yes")


def test_import_attendance_unknown_member_is_an_error_not_added(prg, tmp_path):
    meeting = f.meeting_with_items(group=prg, date=dt.date(2026, 3, 6))
    path = tmp_path / "a.csv"
    path.write_text("name,attendance\nChair Person,present\nStranger Danger,present\n")
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("import_attendance", str(path), "--meeting", str(meeting.pk), "--json", "--yes", stdout=out)
    data = json.loads(out.getvalue())
    assert list(data) == ["errors"] and any("Stranger Danger" in e and "line 3" in e.lower() for e in data["errors"])
    assert not Member.objects.filter(name="Stranger Danger").exists() and not meeting.attendance.exists()


def test_actions_arising_out_paths(prg, tmp_path):
    meeting = f.meeting_with_items(group=prg, date=dt.date(2026, 3, 6))
    f.ActionFactory(meeting=meeting)
    f.meeting_with_items(group=prg, date=dt.date(2026, 6, 6))
    # a directory, a folder that does not exist, '..' into one that does not exist
    for out in (str(tmp_path), str(tmp_path / "nope" / "r.pdf"), str(tmp_path / ".." / "nope-xyz" / "r.pdf")):
        _refused("actions_arising", "--group", "prg", "--format", "pdf", "--out", out)
    assert tmp_path.is_dir()
    _refused("actions_arising", "--group", "prg", "--format", "pdf")
    _refused("actions_arising", "--group", "prg", "--out", str(tmp_path / "r.pdf"))
    _refused("actions_arising", "--group", "nope", "--json")
    _refused("actions_arising", "--group", "prg", "--meeting", str(2**63), "--json")
    # no temporary files left behind
    assert [p.name for p in tmp_path.iterdir()] == []


def test_actions_arising_for_another_groups_meeting_is_refused(prg, havering_board):
    other = f.meeting_with_items(group=havering_board, date=dt.date(2026, 3, 6))
    _refused("actions_arising", "--group", "prg", "--meeting", str(other.pk), "--json")


def test_actions_arising_json_contract(prg):
    meeting = f.meeting_with_items(group=prg, date=dt.date(2026, 3, 6))
    f.ActionFactory(meeting=meeting, item=meeting.items.get(number=1))
    later = f.meeting_with_items(group=prg, date=dt.date(2026, 6, 6))
    out, _ = _run("actions_arising", "--group", "prg", "--meeting", str(later.pk), "--json")
    data = json.loads(out)
    assert isinstance(data, dict) and data  # the JSON parses and is one object
