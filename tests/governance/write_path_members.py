"""Write-path scenarios for groups, members and the membership import (collected by
tests/core/test_write_path.py)."""

import datetime as dt

from tests.core.scenario import Scenario
from tests.governance import factories as f
from vrhub.governance.models import Interest, Substitute
from vrhub.governance.services import groups, member_import, members

TERMS = {
    "name": "Havering Community Safety Partnership Board",
    "slug": "havering-board",
    "purpose": "To reduce violence in Havering.",
    "frequency": "quarterly",
    "quorum_numerator": 1,
    "quorum_denominator": 3,
    "quorum_rounding": "up",
    "required_roles": ["chair_or_deputy", "police"],
    "remote_counts": True,
    "decision_mode": "vote",
    "dissent_recorded": False,
    "agenda_days_before": 7,
    "minutes_published": True,
    "equality_statement_required": True,
    "community_target_percent": 25,
}
PERSON = {"name": "New Person", "office": "member", "sector": "health", "term_start": dt.date(2024, 4, 1)}
LIST = (
    b"name,office,sector,quorum_role,organisation\n"
    b"Kept Person,chair,local_government,chair,Havering Council\n"
    b"Added Person,member,community,community,A youth charity\n"
)


def _board(w):
    return f.GroupFactory(owner=w.havering, slug="havering-csp")


def _member(w, **kwargs):
    return f.MemberFactory(group=_board(w), **kwargs)


def _update(w):
    group = _board(w)
    return lambda: groups.group_update(group=group, user=w.editor, data=TERMS, version=group.version)


def _remove_deleting(w):
    member = _member(w)
    Substitute.objects.create(member=member, name="A Deputy")
    Interest.objects.create(member=member, description="Trustee", declared_on=dt.date(2025, 1, 1))
    return lambda: members.member_remove(member=member, user=w.editor)


def _import(w, *, save: bool):
    group = _board(w)
    f.MemberFactory(group=group, name="Kept Person", office="member", sector="local_government")
    gone = f.MemberFactory(group=group, name="Attended Person")
    f.AttendanceFactory(member=gone, meeting=f.MeetingFactory(group=group))
    never = f.MemberFactory(group=group, name="Never Came")
    Interest.objects.create(member=never, description="Trustee", declared_on=dt.date(2025, 1, 1))
    preview = member_import.member_import_preview(group=group, filename="members.csv", content=LIST)
    if save:
        return lambda: member_import.member_import_save(preview=preview, user=w.editor)
    return lambda: member_import.member_import_preview(group=group, filename="members.csv", content=LIST)


SCENARIOS = {
    "governance.groups.group_create": Scenario(
        lambda w: lambda: groups.group_create(owner=w.havering, user=w.editor, data=TERMS), actor="editor"
    ),
    "governance.groups.group_update": Scenario(_update, actor="editor"),
    "governance.members.member_add": Scenario(
        lambda w: (lambda g: lambda: members.member_add(group=g, user=w.editor, data=PERSON))(_board(w)),
        actor="editor",
    ),
    "governance.members.member_update": Scenario(
        lambda w: (lambda m: lambda: members.member_update(member=m, user=w.editor, data=PERSON))(_member(w)),
        actor="editor",
    ),
    "governance.members.member_remove": Scenario(_remove_deleting, actor="editor"),
    "governance.members.substitute_add": Scenario(
        lambda w: (
            lambda m: lambda: members.substitute_add(member=m, user=w.editor, data={"name": "A Deputy", "title": ""})
        )(_member(w)),
        actor="editor",
    ),
    "governance.members.substitute_remove": Scenario(
        lambda w: (lambda s: lambda: members.substitute_remove(substitute=s, user=w.editor))(
            Substitute.objects.create(member=_member(w), name="A Deputy")
        ),
        actor="editor",
    ),
    "governance.members.interest_add": Scenario(
        lambda w: (
            lambda m: (
                lambda: members.interest_add(
                    member=m, user=w.editor, data={"description": "Trustee", "declared_on": dt.date(2025, 1, 1)}
                )
            )
        )(_member(w)),
        actor="editor",
    ),
    "governance.members.interest_remove": Scenario(
        lambda w: (lambda i: lambda: members.interest_remove(interest=i, user=w.editor))(
            Interest.objects.create(member=_member(w), description="Trustee", declared_on=dt.date(2025, 1, 1))
        ),
        actor="editor",
    ),
    "governance.member_import.member_import_preview": Scenario(lambda w: _import(w, save=False), reads=True),
    "governance.member_import.member_import_save": Scenario(lambda w: _import(w, save=True), actor="editor"),
}
