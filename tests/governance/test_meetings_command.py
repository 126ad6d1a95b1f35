"""``create_meeting``: the JSON contract, and one line naming the bad argument with nothing written."""

import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command

from tests.governance import factories as f
from vrhub.core.models import AuditEntry
from vrhub.governance.models import ITEMS_MAX, AgendaItem, Meeting

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("create_meeting", *args, stdout=out)
    return out.getvalue()


def test_json_is_exactly_the_new_meetings_id(havering_board):
    printed = run("--group", "havering-csp", "--date", "2026-05-14", "--items", "5", "--json")
    data = json.loads(printed)
    assert list(data) == ["meeting"]
    made = Meeting.objects.get(pk=data["meeting"])
    assert (made.group, made.date) == (havering_board, dt.date(2026, 5, 14))
    assert list(made.items.order_by("number").values_list("title", flat=True)) == [f"Item {n}" for n in range(1, 6)]
    assert AuditEntry.objects.filter(object_type="governance.meeting", object_id=str(made.pk), actor=None).exists()


def test_text_output_says_what_was_arranged_and_labels_synthetic_groups(havering):
    f.GroupFactory(owner=havering, slug="demo-board", name="Demo Board", synthetic=True)
    printed = run("--group", "demo-board", "--date", "2026-05-14", "--items", "1")
    assert "Demo Board (SYNTHETIC demo data) arranged for 14 May 2026 with 1 agenda item." in printed


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--group", "nope", "--date", "2026-05-14", "--items", "2"], "--group: No group has the slug 'nope'"),
        (
            ["--group", "havering-csp", "--date", "2026-02-30", "--items", "2"],
            "--date: '2026-02-30' is not a real date",
        ),
        (["--group", "havering-csp", "--date", "14/05/2026", "--items", "2"], "--date: '14/05/2026'"),
        (["--group", "havering-csp", "--date", "2026-05-14", "--items", "0"], f"from 1 to {ITEMS_MAX}"),
        (["--group", "havering-csp", "--date", "2026-05-14", "--items", str(ITEMS_MAX + 1)], "--items:"),
        (["--group", "havering-csp", "--date", "2026-05-14", "--items", "two"], "--items: 'two'"),
        (["--group", "havering-csp", "--date", "1900-05-14", "--items", "2"], "--date: The meeting's date must be"),
    ],
)
def test_a_bad_argument_is_named_and_nothing_is_written(havering_board, args, words):
    with pytest.raises(CommandError) as exc:
        run(*args, "--json")
    assert words in str(exc.value)
    assert "\n" not in str(exc.value)
    assert not Meeting.objects.exists() and not AgendaItem.objects.exists()


def test_a_second_meeting_on_the_same_day_is_refused(havering_board):
    run("--group", "havering-csp", "--date", "2026-05-14", "--items", "2")
    with pytest.raises(CommandError, match="--date: .* already has a meeting on 14 May 2026"):
        run("--group", "havering-csp", "--date", "2026-05-14", "--items", "3")
    assert Meeting.objects.count() == 1 and AgendaItem.objects.count() == 2


def test_the_command_runs_as_a_program_with_a_non_zero_exit_on_error(havering_board):
    from django.core.management import ManagementUtility

    utility = ManagementUtility(
        ["manage.py", "create_meeting", "--group", "havering-csp", "--date", "x", "--items", "1"]
    )
    with pytest.raises(SystemExit) as exc:
        utility.execute()
    assert exc.value.code != 0
