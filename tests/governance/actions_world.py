"""A group's history of meetings and actions for the actions arising tests, and the carry-forward rule
restated independently (plain Python over the Action rows' values, not the selector's query)."""

import datetime as dt

from tests.governance import factories as f
from vrhub.governance.catalogue import ActionStatus
from vrhub.governance.models import Action, Meeting

JAN, MAR, MAY, JUL = dt.date(2019, 1, 22), dt.date(2019, 3, 6), dt.date(2019, 5, 1), dt.date(2019, 7, 3)


def _action(meeting, number, text, *, deadline=None, completed_on=None, update="", owner="Clerk"):
    return f.ActionFactory(
        meeting=meeting,
        item=meeting.items.get(number=number),
        text=text,
        owner=owner,
        deadline=deadline,
        status=ActionStatus.COMPLETE if completed_on else ActionStatus.ONGOING,
        completed_on=completed_on,
        latest_update=update,
    )


def build_history(group) -> dict:
    """Four meetings (22 January, 6 March, 1 May, 3 July 2019) and actions whose fate the tests name."""
    m = {d: f.meeting_with_items(group=group, date=d, items=9) for d in (JAN, MAR, MAY, JUL)}
    return {
        "meetings": m,
        # complete before 6 March: reported at 6 March only
        "done_early": _action(m[JAN], 2, "Send the letter", completed_on=dt.date(2019, 2, 1), update="Sent."),
        # never complete, deadline 28 February: at every later meeting, overdue at each
        "forever": _action(m[JAN], 6, "Reach 30 % community membership", deadline=dt.date(2019, 2, 28)),
        # completed 10 March (after 6 March): ongoing at 6 March; complete at 1 May; gone by 3 July
        "done_after_mar": _action(
            m[JAN], 3, "Draft the terms", deadline=dt.date(2019, 3, 31), completed_on=dt.date(2019, 3, 10)
        ),
        # from 6 March, completed 20 April: reported complete at 1 May only
        "done_apr": _action(
            m[MAR], 1, "Thank the Scottish VRU", deadline=dt.date(2019, 3, 31), completed_on=dt.date(2019, 4, 20)
        ),
        # from 6 March, no deadline: at 1 May and 3 July, never overdue
        "no_deadline": _action(m[MAR], 4, "Consider data requirements", update="Verbal update to be provided."),
        # from 1 May, deadline 1 June: at 3 July, overdue
        "june": _action(m[MAY], 9, "Circulate the roundtable", deadline=dt.date(2019, 6, 1)),
    }


def expected_ids(group, day: dt.date) -> list[list[int]]:
    """The report for the group's meeting on ``day``, restated: sections (newest meeting first) of action ids
    in agenda order."""
    dates = sorted(d for d in Meeting.objects.filter(group=group).values_list("date", flat=True) if d < day)
    if not dates:
        return []
    previous = dates[-1]
    rows = Action.objects.filter(meeting__group=group).values("pk", "meeting__date", "item__number", "completed_on")
    kept = []
    for r in rows:
        if r["meeting__date"] >= day:
            continue
        done = r["completed_on"]
        ongoing_then = done is None or done > day
        completed_since = done is not None and previous < done <= day
        if ongoing_then or completed_since:
            kept.append(r)
    by_meeting: dict = {}
    for r in sorted(kept, key=lambda r: (r["item__number"] or 0, r["pk"])):
        by_meeting.setdefault(r["meeting__date"], []).append(r["pk"])
    return [by_meeting[d] for d in sorted(by_meeting, reverse=True)]
