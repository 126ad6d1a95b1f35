"""Writes of actions arising: validation naming the field and the limit, audit (who, old -> new), version
checks, nothing partial, and who may write."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.governance import factories as f
from vrhub.core.models import AuditEntry
from vrhub.governance.catalogue import ActionStatus
from vrhub.governance.models import Action, ActionUpdate
from vrhub.governance.services import actions as services

pytestmark = pytest.mark.django_db
DAY = dt.date(2019, 3, 6)


@pytest.fixture
def meeting(prg):
    return f.meeting_with_items(group=prg, date=DAY)


@pytest.fixture
def later(prg):
    return f.meeting_with_items(group=prg, date=dt.date(2019, 5, 1))


def _data(meeting, **extra):
    return {
        "item": meeting.items.get(number=3),
        "text": "To discuss a future paper.",
        "owner": "Director of the VRU",
        "deadline": dt.date(2019, 3, 31),
        **extra,
    }


def _entries(obj):
    return AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))


def test_add_records_and_audits(meeting, vru_clerk):
    action = services.action_add(meeting=meeting, user=vru_clerk, data=_data(meeting))
    action.refresh_from_db()
    assert (action.status, action.completed_on, action.version) == (ActionStatus.ONGOING, None, 1)
    entries = {e.field: e for e in _entries(action)}
    assert entries["text"].new == "To discuss a future paper." and entries["text"].actor == vru_clerk
    assert entries["deadline"].new == "2019-03-31"
    assert entries["item"].new == str(meeting.items.get(number=3).pk)


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"text": "  "}, "text", "Enter the action"),
        ({"text": "x" * 2001}, "text", "2,000 characters or fewer (it has 2,001)"),
        ({"owner": ""}, "owner", "Enter who owns the action"),
        ({"owner": "o" * 301}, "owner", "300 characters or fewer"),
        ({"deadline": dt.date(2019, 3, 5)}, "deadline", "on or after the meeting the action arose from (6 March 2019)"),
        ({"deadline": dt.date(2091, 3, 5)}, "deadline", "within 10 years of the meeting"),
        ({"deadline": "2019-04-01"}, "deadline", "must be a real date"),
    ],
)
def test_add_refuses_bad_input_naming_the_field(meeting, vru_clerk, change, field, words):
    with pytest.raises(ValidationError) as exc:
        services.action_add(meeting=meeting, user=vru_clerk, data=_data(meeting, **change))
    assert words in " ".join(exc.value.message_dict[field])
    assert not Action.objects.exists() and not AuditEntry.objects.filter(object_type="governance.action").exists()


def test_add_refuses_an_item_of_another_meeting(meeting, later, vru_clerk):
    with pytest.raises(ValidationError) as exc:
        services.action_add(meeting=meeting, user=vru_clerk, data=_data(meeting, item=later.items.first()))
    assert "Choose an agenda item of the meeting of 6 March 2019" in exc.value.message_dict["item"][0]


def test_add_refuses_past_the_limit_per_meeting(meeting, vru_clerk, monkeypatch):
    monkeypatch.setattr(services, "ACTIONS_PER_MEETING_MAX", 2)
    for _ in range(2):
        services.action_add(meeting=meeting, user=vru_clerk, data=_data(meeting))
    with pytest.raises(ValidationError) as exc:
        services.action_add(meeting=meeting, user=vru_clerk, data=_data(meeting))
    assert "already has 2 actions, the most one meeting may have (2)" in exc.value.messages[0]
    assert Action.objects.count() == 2


def test_only_editors_of_the_group_write(meeting, editor, mopac_officer):
    for user in (editor, mopac_officer):
        with pytest.raises(PermissionDenied):
            services.action_add(meeting=meeting, user=user, data=_data(meeting))
    assert not Action.objects.exists()


def test_update_audits_old_and_new_and_bumps_the_version(meeting, vru_clerk):
    action = services.action_add(meeting=meeting, user=vru_clerk, data=_data(meeting))
    services.action_update(action=action, user=vru_clerk, data=_data(meeting, owner="Clerk", deadline=None), version=1)
    action.refresh_from_db()
    assert (action.owner, action.deadline, action.version) == ("Clerk", None, 2)
    changed = {e.field: (e.old, e.new) for e in _entries(action).filter(action=AuditEntry.Action.UPDATE)}
    assert changed == {"owner": ("Director of the VRU", "Clerk"), "deadline": ("2019-03-31", "")}


def test_a_stale_form_is_refused_and_changes_nothing(meeting, vru_clerk):
    action = services.action_add(meeting=meeting, user=vru_clerk, data=_data(meeting))
    services.action_update(action=action, user=vru_clerk, data=_data(meeting, owner="Clerk"), version=1)
    with pytest.raises(ValidationError) as exc:
        services.action_update(action=action, user=vru_clerk, data=_data(meeting, owner="Someone"), version=1)
    assert "Someone else changed this action" in exc.value.message_dict["version"][0]
    with pytest.raises(ValidationError):
        services.action_report_update(
            action=action, user=vru_clerk, data={"update": "Done", "status": "complete"}, version=1
        )
    action.refresh_from_db()
    assert action.owner == "Clerk" and action.status == ActionStatus.ONGOING and not action.updates.exists()


def test_report_update_completes_with_history_and_audit(meeting, later, vru_clerk):
    action = services.action_add(meeting=meeting, user=vru_clerk, data=_data(meeting))
    update = services.action_report_update(
        action=action,
        user=vru_clerk,
        data={
            "update": "The letter has been sent.",
            "status": "complete",
            "written_on": dt.date(2019, 4, 2),
            "reported_at": later,
        },
        version=1,
    )
    action.refresh_from_db()
    assert action.status == ActionStatus.COMPLETE and action.completed_on == dt.date(2019, 4, 2)
    assert action.latest_update == "The letter has been sent." and action.version == 2
    assert (update.meeting, update.author, update.status) == (later, vru_clerk, "complete")
    changed = {e.field: (e.old, e.new) for e in _entries(action).filter(action=AuditEntry.Action.UPDATE)}
    assert changed["status"] == ("ongoing", "complete") and changed["completed_on"] == ("", "2019-04-02")
    assert _entries(update).filter(field="text", new="The letter has been sent.").exists()
    # set back to ongoing: the completion date goes
    services.action_report_update(
        action=action, user=vru_clerk, data={"update": "Reopened.", "status": "ongoing"}, version=2
    )
    action.refresh_from_db()
    assert action.status == ActionStatus.ONGOING and action.completed_on is None


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"update": "", "status": "complete"}, "update", "Enter the update"),
        ({"update": "x", "status": "amber"}, "status", "ongoing or complete"),
        ({"update": "x", "status": "complete", "written_on": dt.date(2019, 3, 1)}, "written_on", "on or after"),
        ({"update": "x", "status": "complete", "completed_on": dt.date(2099, 1, 1)}, "completed_on", "today or in"),
    ],
)
def test_report_update_refuses_bad_input(meeting, vru_clerk, data, field, words):
    action = services.action_add(meeting=meeting, user=vru_clerk, data=_data(meeting))
    with pytest.raises(ValidationError) as exc:
        services.action_report_update(action=action, user=vru_clerk, data=data, version=1)
    assert words in exc.value.message_dict[field][0]
    action.refresh_from_db()
    assert action.status == ActionStatus.ONGOING and action.version == 1 and not ActionUpdate.objects.exists()


def test_report_update_refuses_an_earlier_or_other_groups_meeting(meeting, vru_clerk, prg, havering_board):
    earlier = f.MeetingFactory(group=prg, date=dt.date(2019, 1, 22))
    other = f.MeetingFactory(group=havering_board, date=dt.date(2019, 5, 1))
    action = services.action_add(meeting=meeting, user=vru_clerk, data=_data(meeting))
    for bad in (earlier, other, meeting):
        with pytest.raises(ValidationError) as exc:
            services.action_report_update(
                action=action, user=vru_clerk, data={"update": "x", "status": "ongoing", "reported_at": bad}, version=1
            )
        assert "after 6 March 2019" in exc.value.message_dict["reported_at"][0]
    assert not ActionUpdate.objects.exists()


def test_remove_audits_the_action_and_its_updates(meeting, vru_clerk):
    action = services.action_add(meeting=meeting, user=vru_clerk, data=_data(meeting))
    update = services.action_report_update(
        action=action, user=vru_clerk, data={"update": "x", "status": "ongoing"}, version=1
    )
    with pytest.raises(ValidationError):
        services.action_remove(action=action, user=vru_clerk, version=1)  # stale: the update bumped it
    services.action_remove(action=action, user=vru_clerk, version=2)
    assert not Action.objects.exists() and not ActionUpdate.objects.exists()
    assert AuditEntry.objects.filter(action=AuditEntry.Action.DELETE, object_id=str(action.pk)).exists()
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.DELETE, object_type="governance.actionupdate", object_id=str(update.pk)
    ).exists()
