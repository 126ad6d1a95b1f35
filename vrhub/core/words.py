"""Human words for what is stored as codes or counts, for pages, e-mails and command-line text alike.

    period_words("2025-03:2026-02")   "March 2025 to February 2026"
    count_noun(1, "action")           "1 action"
    count_noun(3, "reply", "replies") "3 replies"

Templates use the same through ``{% load human %}`` (``|period``, ``|periods``).
"""

import calendar
import datetime as dt
import re

_PERIOD = re.compile(r"^\s*(\d{4})-(\d{2})(?::(\d{4})-(\d{2}))?\s*$")


def _month(year: str, month: str) -> str | None:
    number = int(month)
    return f"{calendar.month_name[number]} {int(year)}" if 1 <= number <= 12 else None


def period_words(value: object) -> str:
    """``2025-03:2026-02`` as "March 2025 to February 2026"; anything else unchanged (as text)."""
    text = "" if value is None else str(value)
    match = _PERIOD.match(text)
    if not match:
        return text
    y1, m1, y2, m2 = match.groups()
    start = _month(y1, m1)
    end = _month(y2, m2) if y2 else start
    if start is None or end is None:
        return text
    return start if start == end else f"{start} to {end}"


def count_noun(n: int, singular: str, plural: str | None = None) -> str:
    """``n`` and the noun in the right number: "1 action", "0 actions", "2 actions"."""
    return f"{n:,} {singular if n == 1 else (plural or singular + 's')}"


def date_words(value: dt.date | None) -> str:
    """A date as people write it: '1 March 2026' ('no date' for None)."""
    if value is None:
        return "no date"
    return f"{value.day} {value:%B %Y}"
