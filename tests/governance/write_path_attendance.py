"""Write-path scenarios for attendance and its import (collected by tests/core/test_write_path.py)."""

import datetime as dt

from tests.core.scenario import STANDARD, Scenario
from tests.governance import factories as f
from vrhub.governance.catalogue import Attendance
from vrhub.governance.services import attendance, attendance_import


def _meeting(w):
    group = f.GroupFactory(owner=w.london, vru=w.london, slug="prg-scenario")
    members = [f.MemberFactory(group=group, name=f"Member {n}") for n in range(3)]
    meeting = f.meeting_with_items(group=group, date=dt.date(2026, 3, 6), items=4)
    f.AttendanceFactory(meeting=meeting, member=members[0], attendance=Attendance.PRESENT)
    f.AttendanceFactory(meeting=meeting, member=members[2], attendance=Attendance.ABSENT)
    return meeting, members


def _save(w):
    meeting, members = _meeting(w)
    rows = [
        attendance.Entry(member=members[0].pk, attendance=Attendance.REMOTE, left_after_item=2),  # changed
        attendance.Entry(member=members[1].pk, attendance=Attendance.SUBSTITUTE, substitute_name="A Deputy"),  # new
        attendance.Entry(member=members[2].pk, attendance=""),  # removed
    ]
    return lambda: attendance.attendance_save(meeting=meeting, user=w.vru_admin, rows=rows, version=meeting.version)


def _preview(w):
    meeting, _members = _meeting(w)
    content = b"name,attendance,left_after_item\nmember 0,remote,3\n MEMBER 1 ,present,\n"
    return lambda: attendance_import.attendance_import_preview(
        meeting=meeting, filename="attendance.csv", content=content
    )


SCENARIOS = {
    "governance.attendance.attendance_save": Scenario(_save, needs=STANDARD, actor="vru_admin"),
    "governance.attendance_import.attendance_import_preview": Scenario(_preview, reads=True),
}
