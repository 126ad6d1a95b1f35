"""Write-path scenarios for meetings (collected by tests/core/test_write_path.py)."""

import datetime as dt

from tests.core.scenario import Scenario
from tests.governance import factories as f
from vrhub.governance.catalogue import Attendance, DecisionMode
from vrhub.governance.models import Dissent, Interest
from vrhub.governance.services import meetings


def _meeting(w, **group):
    board = f.GroupFactory(owner=w.havering, **group)
    return f.meeting_with_items(group=board, date=dt.date(2026, 3, 6))


def _item(w, number=1, **group):
    return _meeting(w, **group).items.get(number=number)


def _minuted(w):
    meeting = _meeting(w)
    meeting.items.filter(number=1).update(minutes="Discussed.")
    meeting.refresh_from_db()
    return meeting


def _voting_item(w):
    item = _item(w, decision_mode=DecisionMode.VOTE)
    for _ in range(3):
        f.AttendanceFactory(
            meeting=item.meeting, member=f.MemberFactory(group=item.meeting.group), attendance=Attendance.PRESENT
        )
    return item


def _with_member(item):
    return item, f.MemberFactory(group=item.meeting.group)


def _dissent(w):
    item = _item(w)
    return Dissent.objects.create(item=item, member=f.MemberFactory(group=item.meeting.group), text="No")


def _interest(w):
    item = _item(w)
    return Interest.objects.create(
        item=item,
        member=f.MemberFactory(group=item.meeting.group),
        description="Trustee",
        declared_on=item.meeting.date,
    )


def _approved(w):
    meeting = _minuted(w)
    meeting.minutes_approved_on = dt.date(2026, 3, 20)
    meeting.save()
    return meeting


SCENARIOS = {
    "governance.meetings.meeting_create": Scenario(
        lambda w: (
            lambda board: (
                lambda: meetings.meeting_create(
                    group=board, user=w.editor, date=dt.date(2026, 6, 1), items=4, standard_items=True
                )
            )
        )(f.GroupFactory(owner=w.havering)),
        actor="editor",
    ),
    "governance.meetings.item_add": Scenario(
        lambda w: (
            lambda m: lambda: meetings.item_add(meeting=m, user=w.editor, version=m.version, data={"title": "Budget"})
        )(_meeting(w)),
        actor="editor",
    ),
    "governance.meetings.item_update": Scenario(
        lambda w: (
            lambda item: (
                lambda: meetings.item_update(
                    item=item,
                    user=w.editor,
                    version=item.meeting.version,
                    data={"title": "Budget", "exempt": True, "exemption": "Section 43"},
                )
            )
        )(_item(w)),
        actor="editor",
    ),
    "governance.meetings.item_remove": Scenario(
        lambda w: (lambda item: lambda: meetings.item_remove(item=item, user=w.editor, version=item.meeting.version))(
            _item(w, 2)
        ),
        actor="editor",
    ),
    "governance.meetings.item_move": Scenario(
        lambda w: (
            lambda item: lambda: meetings.item_move(item=item, user=w.editor, version=item.meeting.version, up=True)
        )(_item(w, 2)),
        actor="editor",
    ),
    "governance.meetings.item_minutes_save": Scenario(
        lambda w: (
            lambda item: (
                lambda: meetings.item_minutes_save(
                    item=item,
                    user=w.editor,
                    version=item.meeting.version,
                    data={"minutes": "Discussed.", "decision": "Agreed.", "votes_for": 2, "votes_against": 1},
                )
            )
        )(_voting_item(w)),
        actor="editor",
    ),
    "governance.meetings.dissent_record": Scenario(
        lambda w: (
            lambda item, member: (
                lambda: meetings.dissent_record(
                    item=item,
                    user=w.editor,
                    version=item.meeting.version,
                    member=member,
                    text="Disagreed.",
                )
            )
        )(*_with_member(_item(w))),
        actor="editor",
    ),
    "governance.meetings.dissent_remove": Scenario(
        lambda w: (lambda d: lambda: meetings.dissent_remove(dissent=d, user=w.editor, version=d.item.meeting.version))(
            _dissent(w)
        ),
        actor="editor",
    ),
    "governance.meetings.interest_declare": Scenario(
        lambda w: (
            lambda item, member: (
                lambda: meetings.interest_declare(
                    item=item,
                    user=w.editor,
                    version=item.meeting.version,
                    member=member,
                    description="Trustee of a charity.",
                )
            )
        )(*_with_member(_item(w))),
        actor="editor",
    ),
    "governance.meetings.interest_remove": Scenario(
        lambda w: (
            lambda i: lambda: meetings.interest_remove(interest=i, user=w.editor, version=i.item.meeting.version)
        )(_interest(w)),
        actor="editor",
    ),
    "governance.meetings.meeting_publish_agenda": Scenario(
        lambda w: (
            lambda m: (
                lambda: meetings.meeting_publish_agenda(
                    meeting=m, user=w.editor, version=m.version, on=dt.date(2026, 3, 1)
                )
            )
        )(_meeting(w)),
        actor="editor",
    ),
    "governance.meetings.meeting_approve_minutes": Scenario(
        lambda w: (
            lambda m: (
                lambda: meetings.meeting_approve_minutes(
                    meeting=m, user=w.editor, version=m.version, on=dt.date(2026, 3, 20)
                )
            )
        )(_minuted(w)),
        actor="editor",
    ),
    "governance.meetings.meeting_publish_minutes": Scenario(
        lambda w: (
            lambda m: (
                lambda: meetings.meeting_publish_minutes(
                    meeting=m, user=w.editor, version=m.version, on=dt.date(2026, 3, 21)
                )
            )
        )(_approved(w)),
        actor="editor",
    ),
}
