"""Funded programmes' vocabulary, as data: pure constants and tiny pure helpers, no queries.

Money is held in pounds and pence (``Decimal``, two places, never negative). A financial year is named by the
calendar year it starts in: ``2020`` is 2020/21, 1 April 2020 to 31 March 2021.
"""

import datetime as dt
from decimal import Decimal

from django.db import models

YEAR_MIN = 2000
YEAR_MAX = 2100
# The largest amount one money field holds: £9,999,999,999.99 (well above any VRU's budget).
MONEY_DIGITS = 12
MONEY_MAX = Decimal("9999999999.99")
NAME_MAX = 150  # a source, a category, a funder
TITLE_MAX = 200
TEXT_LIMIT = 20_000
REFERENCE_MAX = 40
URL_MAX = 500
WARDS_MAX = 100  # wards one programme serves
PEOPLE_MAX = 10_000_000  # people one return can report reaching


def year_label(year: int) -> str:
    """2020 -> "2020/21"."""
    return f"{year}/{(year + 1) % 100:02d}"


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    """The first and last day of financial year ``year`` (1 April to 31 March)."""
    return dt.date(year, 4, 1), dt.date(year + 1, 3, 31)


def year_of(day: dt.date) -> int:
    """The financial year a date falls in."""
    return day.year if day.month >= 4 else day.year - 1


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    """Quarter 1 is April-June, 2 July-September, 3 October-December, 4 January-March."""
    starts = {1: dt.date(year, 4, 1), 2: dt.date(year, 7, 1), 3: dt.date(year, 10, 1), 4: dt.date(year + 1, 1, 1)}
    ends = {1: dt.date(year, 6, 30), 2: dt.date(year, 9, 30), 3: dt.date(year, 12, 31), 4: dt.date(year + 1, 3, 31)}
    return starts[quarter], ends[quarter]


class EvaluationStatus(models.TextChoices):
    NONE = "none", "None"
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    REPORTED = "reported", "Reported"


class EvidenceStrength(models.IntegerChoices):
    """Strength of the evidence that the programme works: the Nesta Standards of Evidence levels, 1 (weakest)
    to 5. ``None`` on a programme means "not yet rated", which is never the same as level 1."""

    DESCRIBED = 1, "Level 1: a clear account of what it does and why"
    DATA_COLLECTED = 2, "Level 2: data show change among those reached"
    COMPARISON = 3, "Level 3: change shown against a comparison group"
    INDEPENDENT = 4, "Level 4: independent evaluations show it causes the change"
    REPLICATED = 5, "Level 5: shown to work when delivered elsewhere and at scale"


EVIDENCE_LEVEL_MAX = 5


class LogicLevel(models.TextChoices):
    """The levels of a logic model above its interventions (the funded programmes)."""

    OBJECTIVE = "objective", "Objective"
    OUTCOME = "outcome", "Outcome"
    AIM = "aim", "Overall impact"


# Each level links upwards to the next: programmes -> objectives -> outcomes -> aims.
LINKS_TO = {LogicLevel.OBJECTIVE: LogicLevel.OUTCOME, LogicLevel.OUTCOME: LogicLevel.AIM}


class AgeBand(models.TextChoices):
    """Age bands of people reached (monitoring returns' ``reached_by_age`` keys)."""

    UNDER_10 = "under_10", "Under 10"
    AGE_10_14 = "10_14", "10 to 14"
    AGE_15_17 = "15_17", "15 to 17"
    AGE_18_24 = "18_24", "18 to 24"
    AGE_25_PLUS = "25_plus", "25 and over"
    UNKNOWN = "unknown", "Age not known"
