"""Write-path scenarios for actions arising (collected by tests/core/test_write_path.py)."""

import datetime as dt

from tests.core.scenario import STANDARD, Scenario
from tests.factories import UserFactory
from tests.governance import factories as f
from vrhub.accounts.models import User
from vrhub.governance.services import actions


def _clerk(w):
    w.clerk = UserFactory(organisation=w.london, role=User.Role.VRU_ADMIN)
    return w.clerk


def _world(w):
    clerk = _clerk(w)
    group = f.GroupFactory(owner=w.london, vru=w.london, slug="prg")
    meeting = f.meeting_with_items(group=group, date=dt.date(2019, 3, 6))
    later = f.meeting_with_items(group=group, date=dt.date(2019, 5, 1))
    action = f.ActionFactory(meeting=meeting, item=meeting.items.get(number=1), deadline=dt.date(2019, 3, 31))
    return clerk, meeting, later, action


DATA = {"text": "To send a letter of thanks.", "owner": "Clerk", "deadline": dt.date(2019, 3, 31)}


def _add(w):
    clerk, meeting, _later, _action = _world(w)
    return lambda: actions.action_add(meeting=meeting, user=clerk, data={**DATA, "item": meeting.items.first()})


def _update(w):
    clerk, meeting, _later, action = _world(w)
    data = {**DATA, "item": meeting.items.get(number=2), "owner": "Director of the VRU"}
    return lambda: actions.action_update(action=action, user=clerk, data=data, version=action.version)


def _remove(w):
    clerk, _meeting, _later, action = _world(w)
    actions.action_report_update(action=action, user=clerk, data={"update": "Drafted.", "status": "ongoing"}, version=1)
    return lambda: actions.action_remove(action=action, user=clerk, version=2)


def _report(w):
    clerk, _meeting, later, action = _world(w)
    data = {"update": "The letter has been sent.", "status": "complete", "reported_at": later}
    return lambda: actions.action_report_update(action=action, user=clerk, data=data, version=action.version)


SCENARIOS = {
    "governance.actions.action_add": Scenario(_add, needs=STANDARD, actor=lambda w: w.clerk),
    "governance.actions.action_update": Scenario(_update, needs=STANDARD, actor=lambda w: w.clerk),
    "governance.actions.action_remove": Scenario(_remove, needs=STANDARD, actor=lambda w: w.clerk),
    "governance.actions.action_report_update": Scenario(_report, needs=STANDARD, actor=lambda w: w.clerk),
}
