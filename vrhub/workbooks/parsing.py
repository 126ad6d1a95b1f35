"""Reading what people type into spreadsheets: statuses, dates, ticks and fill colours."""

import calendar
import colorsys
import re
from dataclasses import dataclass
from datetime import date, datetime

from vrhub.core.spreadsheet import (  # noqa: F401  (the formula rule, re-exported for the importer)
    FORMULA_LIKE,
    is_neutralised,
    looks_like_formula,
    neutralise,
    unneutralise,
)
from vrhub.plans.models import Status

STATUS_WORDS = {
    "r": Status.RED,
    "red": Status.RED,
    "a": Status.AMBER,
    "amber": Status.AMBER,
    "orange": Status.AMBER,
    "yellow": Status.AMBER,
    "g": Status.GREEN,
    "green": Status.GREEN,
    "not started": Status.NOT_STARTED,
    "not yet started": Status.NOT_STARTED,
    "ns": Status.NOT_STARTED,
    "complete": Status.COMPLETE,
    "completed": Status.COMPLETE,
    "done": Status.COMPLETE,
    "c": Status.COMPLETE,
    "blue": Status.COMPLETE,
    "not being undertaken": Status.NOT_UNDERTAKEN,
    "not undertaken": Status.NOT_UNDERTAKEN,
    "not being taken forward": Status.NOT_UNDERTAKEN,
    "n/a": Status.NOT_UNDERTAKEN,
}
TICKS = {"yes", "y", "true", "x", "✓", "✔", "☑", "✅", "1", "adopt", "adopted", "tick"}
NOS = {"no", "n", "false", "0", "", "-", "✗", "✘"}
MONTHS = (
    {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
    | {m.lower(): i for i, m in enumerate(calendar.month_abbr) if m}
    | {"sept": 9}
)
TEXT_DATES = {"ongoing", "on-going", "tbc", "tbd", "to be confirmed", "continuous", "business as usual", "bau"}


class ParseError(ValueError):
    """A cell that cannot be read; the message says what was expected."""


SHOWN_LENGTH = 60


def shown(value) -> str:
    """A cell's value as quoted back in a message: long text is cut short."""
    text = str(value)
    return text if len(text) <= SHOWN_LENGTH else text[: SHOWN_LENGTH - 1] + "…"


def parse_status(value, fill_rgb: str | None = None) -> str:
    """A status from text (R/A/G, ' GREEN ', 'Not started' ...) or, for an empty cell, its fill colour."""
    # Underscores read as spaces, so the stored codes ('not_started') are understood as well as the words.
    text = re.sub(r"[\s_]+", " ", str(value or "")).strip().lower().rstrip(".")
    if text:
        if text in STATUS_WORDS:
            return STATUS_WORDS[text]
        raise ParseError(
            f"“{shown(value)}” is not a status: use Red, Amber, Green, Not started, Complete or Not being undertaken"
        )
    if fill_rgb:
        return status_from_colour(fill_rgb)
    return ""


def status_from_colour(rgb: str) -> str:
    """Map a cell fill (ARGB or RGB hex) to Red, Amber or Green by its hue; '' for white/grey/unknown."""
    rgb = rgb[-6:]
    try:
        r, g, b = (int(rgb[i : i + 2], 16) / 255 for i in (0, 2, 4))
    except ValueError:
        return ""
    h, lightness, s = colorsys.rgb_to_hls(r, g, b)
    if s < 0.25 or lightness > 0.93 or lightness < 0.08:
        return ""
    hue = h * 360
    if hue < 20 or hue >= 330:
        return Status.RED
    if hue < 65:
        return Status.AMBER
    if hue < 170:
        return Status.GREEN
    if hue < 260:
        return Status.COMPLETE
    return ""


@dataclass
class ParsedDate:
    value: date | None = None
    estimated: bool = False
    note: str = ""


def parse_date(value, *, end: bool) -> ParsedDate:
    """Dates as Excel dates, '31/03/2022', 'March 2022', 'Q4 2021/22', or 'Ongoing'/'TBC' (kept as a note).

    A month or quarter stands for its first day as a start date and its last day as an end date.
    Words such as 'estimated', 'approx', 'c.' or a trailing '(est)' mark the date as an estimate.
    """
    if value is None:
        return ParsedDate()
    if isinstance(value, datetime):
        return ParsedDate(value.date())
    if isinstance(value, date):
        return ParsedDate(value)
    if isinstance(value, (int, float)):
        raise ParseError(f"“{shown(value)}” is a number, not a date: use a date like 31/03/2022")
    text = re.sub(r"\s+", " ", str(value)).strip()
    if not text:
        return ParsedDate()
    estimated = False
    cleaned = re.sub(
        r"\((est\.?|estimated|estimate)\)|\b(estimated|estimate|est\.|approx\.?|approximately|circa)\b|^c\.\s*",
        "",
        text,
        flags=re.I,
    ).strip(" ,-")
    if cleaned != text:
        estimated = True
    if cleaned.lower() in TEXT_DATES:
        return ParsedDate(None, estimated, cleaned.title() if cleaned.lower() != "tbc" else "TBC")
    for pattern in (r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})$",):
        m = re.match(pattern, cleaned)
        if m:
            day, month, year = int(m[1]), int(m[2]), int(m[3])
            year = year + 2000 if len(m[3]) == 2 else year  # '21' is 2021; '0021' is the year 21
            return ParsedDate(_safe_date(year, month, day, text), estimated)
    m = re.match(r"^(\d{4})-(\d{1,2})-(\d{1,2})$", cleaned)
    if m:
        return ParsedDate(_safe_date(int(m[1]), int(m[2]), int(m[3]), text), estimated)
    m = re.match(r"^([A-Za-z]+)\.? (\d{4})$", cleaned)
    if m and m[1].lower() in MONTHS:
        return ParsedDate(_month_date(int(m[2]), MONTHS[m[1].lower()], end=end, original=text), estimated)
    m = re.match(r"^Q([1-4]) (\d{4})/(\d{2}|\d{4})$", cleaned, flags=re.I)
    if m:
        quarter, first_year = int(m[1]), int(m[2])
        start_month = {1: 4, 2: 7, 3: 10, 4: 1}[quarter]
        year = first_year + 1 if quarter == 4 else first_year
        month = start_month + 2 if end else start_month
        return ParsedDate(_month_date(year, month, end=end, original=text), estimated)
    raise ParseError(
        f"“{shown(text)}” is not a date: use a date like 31/03/2022, a month like March 2022, "
        "a quarter like Q4 2021/22, or Ongoing / TBC"
    )


def _month_date(year: int, month: int, *, end: bool, original: str) -> date:
    """The first day of the month, or for an end date its last day."""
    if not 1 <= year <= 9999:
        raise ParseError(f"“{shown(original)}” is not a real date (the year is out of range)")
    return date(year, month, calendar.monthrange(year, month)[1] if end else 1)


def _safe_date(year: int, month: int, day: int, original: str) -> date:
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise ParseError(f"“{shown(original)}” is not a real date (day/month/year)") from exc


def parse_tick(value) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value if value is not None else "").strip().lower()
    if text in TICKS:
        return True
    if text in NOS:
        return False
    raise ParseError(f"“{shown(value)}” should be Yes, No, a tick or left blank")
