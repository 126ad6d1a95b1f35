"""Shared by the attendance and quorum tests: a PRG meeting of six items with nine members in office, and
the attendance file a clerk would import for it (``data/prg_attendance.csv``), read independently."""

import datetime as dt
import math
from pathlib import Path

import pandas as pd

from tests.governance import factories as f
from vrhub.governance.catalogue import QuorumRole

ATTENDANCE_CSV = Path(__file__).parent / "data" / "prg_attendance.csv"
MEETING_DATE = dt.date(2019, 3, 6)
ITEMS = 6
# The roles of the conftest's PRG members (by name), and what each required role is filled by: written out
# here, not taken from the code under test.
ROLES = {
    "chair person": QuorumRole.CHAIR,
    "deputy person": QuorumRole.DEPUTY_CHAIR,
    "police person": QuorumRole.POLICE,
    "councils person": QuorumRole.LONDON_COUNCILS,
    "health person": QuorumRole.HEALTH,
    "community person": QuorumRole.COMMUNITY,
}
REQUIRED = {
    "chair_or_deputy": {"chair", "deputy_chair"},
    "police": {"police"},
    "london_councils": {"london_councils"},
    "health": {"health"},
    "community": {"community"},
}


def prg_meeting(prg):
    """The PRG (conftest) with three more members, one who left before the meeting, and a meeting of six items."""
    for name in ("Member Alpha", "Member Beta", "Member Gamma"):
        f.MemberFactory(group=prg, name=name)
    f.MemberFactory(group=prg, name="Former Member", term_end=dt.date(2018, 12, 31))
    return f.meeting_with_items(group=prg, date=MEETING_DATE, items=ITEMS)


def expected_from_file(path: Path = ATTENDANCE_CSV, *, members: int = 9) -> dict:
    """For the opening (None) and each item: (counted, needed, quorate, missing required roles), computed from
    the raw file with pandas and the ToR's rule (half rounded up; the five roles present)."""
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    table["key"] = table["name"].str.strip().str.lower()
    table["left"] = pd.to_numeric(table["left_after_item"], errors="coerce")
    needed = math.ceil(members / 2)
    out = {}
    for item in [None, *range(1, ITEMS + 1)]:
        taking_part = table[table["attendance"].isin(["present", "remote"])]
        if item is not None:
            taking_part = taking_part[taking_part["left"].isna() | (taking_part["left"] >= item)]
        roles = {ROLES[k] for k in taking_part["key"] if k in ROLES}
        missing = [code for code, filled in REQUIRED.items() if not (filled & roles)]
        counted = len(taking_part)
        out[item] = (counted, needed, counted >= needed and not missing, missing)
    return out
