"""When a dated obligation is due: one rule for review dates (strategy, information-sharing agreement) and
s.17 response dates, used by the parts' pages, reminders and the monitoring view. Pure functions."""

import datetime as dt
from enum import StrEnum

from vrhub.duty.catalogue import REVIEW_WARNING_DAYS


class Due(StrEnum):
    NONE = "none"  # no date set
    LATER = "later"
    SOON = "soon"  # within REVIEW_WARNING_DAYS
    OVERDUE = "overdue"


DUE_LABELS = {Due.NONE: "No date set", Due.LATER: "Not yet due", Due.SOON: "Due soon", Due.OVERDUE: "Overdue"}


def review_due(review_on: dt.date | None, *, today: dt.date, warning_days: int = REVIEW_WARNING_DAYS) -> Due:
    """A review date's state: overdue once the date has passed, due soon within ``warning_days`` of it."""
    if review_on is None:
        return Due.NONE
    if review_on < today:
        return Due.OVERDUE
    if review_on <= today + dt.timedelta(days=warning_days):
        return Due.SOON
    return Due.LATER


def response_due(*, state: str, due_on: dt.date, today: dt.date) -> Due:
    """An s.17 information request: overdue while unanswered after its due date; answered ones are never due."""
    if state != "open":
        return Due.LATER
    return Due.OVERDUE if due_on < today else (Due.SOON if due_on <= today + dt.timedelta(days=7) else Due.LATER)
