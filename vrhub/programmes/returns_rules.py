"""The rules a monitoring return's values follow, in one place: the form (``services.returns``) and the
spreadsheet import (``services.returns_import``) both check through ``return_check``. Pure: no queries.

* a count is a whole number from 0 to ``PEOPLE_MAX``, or blank: not reported (``None``), never 0;
* age-band counts use ``AgeBand`` codes only and add up to no more than the direct count (which must then be
  given);
* spend to date is in pounds and pence, never negative, at most ``MONEY_MAX``, and never less than an earlier
  quarter's of the same year (nor more than a later quarter's): it is cumulative. Above the year's amount it
  is allowed, with a warning;
* the quarter lies within the programme's dates (a return for a quarter after it ended is refused, naming
  the dates);
* outputs are text of at most ``OUTPUTS_MAX`` characters, without NUL characters.
"""

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError

from vrhub.core.words import date_words
from vrhub.programmes import money
from vrhub.programmes.catalogue import (
    PEOPLE_MAX,
    YEAR_MAX,
    YEAR_MIN,
    AgeBand,
    quarter_bounds,
    year_label,
)
from vrhub.programmes.models import Programme

OUTPUTS_MAX = 2_000
FIELDS = ("reached_direct", "reached_indirect", "reached_by_age", "outputs", "spend_to_date")
AGE_CODES = tuple(code for code, _label in AgeBand.choices)
AGE_WORDS = {code: f"aged {label.lower()}" for code, label in AgeBand.choices} | {
    AgeBand.UNKNOWN: "whose age is not known"
}
LABELS = {
    "reached_direct": "people reached directly",
    "reached_indirect": "people reached indirectly",
    "outputs": "outputs",
    "spend_to_date": "spend to date",
    **{code: f"people reached directly {AGE_WORDS[code]}" for code, _label in AgeBand.choices},
}
# As people type figures: ASCII digits, optionally grouped in threes by commas ("12,000"); a comma anywhere
# else ("120,00", "1,5") is refused, never read as a thousands separator.
WHOLE = re.compile(r"^(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)$")


def quarter_words(year: int, quarter: int) -> str:
    """``Q4 2020/21 (1 January to 31 March 2021)``."""
    start, end = quarter_bounds(year, quarter)
    return f"Q{quarter} {year_label(year)} ({date_words(start)} to {date_words(end)})"


def parse_count(value: Any, *, label: str) -> int | None:
    """A count from a form or a cell: None when blank (not reported); ValueError with the reason otherwise."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError(f"Enter the number of {label} as a whole number")
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")) or not value.is_integer():
            raise ValueError(f"The number of {label} must be a whole number (no decimals)")
        value = int(value)
    if isinstance(value, int):
        number = value
    else:
        text = str(value).strip()
        if text.startswith("-") and WHOLE.match(text[1:]):
            raise ValueError(f"The number of {label} cannot be negative")
        if not WHOLE.match(text):
            if re.match(r"^-?[0-9,]*\.[0-9]+$", text):
                raise ValueError(f"The number of {label} must be a whole number (no decimals)")
            raise ValueError(f"Enter the number of {label} as a whole number, or leave it blank if not reported")
        text = text.replace(",", "")
        if len(text) > 12:
            raise ValueError(f"The number of {label} must be at most {PEOPLE_MAX:,}")
        number = int(text)
    if number < 0:
        raise ValueError(f"The number of {label} cannot be negative")
    if number > PEOPLE_MAX:
        raise ValueError(f"The number of {label} must be at most {PEOPLE_MAX:,}")
    return number


def parse_money(value: Any, *, label: str = "spend to date") -> Decimal | None:
    """Pounds and pence from a form or a cell, by the one rule (``programmes.money``): None when blank."""
    return money.parse_money(value, label=label, cells=True)


@dataclass(frozen=True)
class Checked:
    """A return's values after ``return_check``, with the warnings (saved anyway) about them."""

    values: dict[str, Any]
    warnings: list[str] = field(default_factory=list)


def quarter_outside(*, programme: Programme, year: int, quarter: int) -> str | None:
    """Why ``programme`` can have no return for the quarter (its dates), or None when it can."""
    start, end = quarter_bounds(year, quarter)
    if programme.end_date is not None and start > programme.end_date:
        return (
            f"{quarter_words(year, quarter)} starts after the programme ended on {date_words(programme.end_date)}"
            + (f" (it ran from {date_words(programme.start_date)})" if programme.start_date else "")
        )
    if programme.start_date is not None and end < programme.start_date:
        return f"{quarter_words(year, quarter)} ends before the programme started on {date_words(programme.start_date)}"
    return None


def return_check(
    *,
    programme: Programme,
    year: int,
    quarter: int,
    data: Mapping[str, Any],
    others: Mapping[int, Decimal | None],
    amount: Decimal | None,
) -> Checked:
    """Check one quarter's return. ``others``: the spend to date of the year's other quarters
    ({quarter: amount}) as they will be; ``amount``: the programme's amount for the year (None: none set).
    Raises ValidationError({field: message}) naming every problem."""
    errors: dict[str, str] = {}
    if not isinstance(year, int) or not YEAR_MIN <= year <= YEAR_MAX:
        raise ValidationError({"year": f"The financial year must be from {YEAR_MIN} to {YEAR_MAX}"})
    if quarter not in (1, 2, 3, 4):
        raise ValidationError({"quarter": "The quarter must be 1, 2, 3 or 4"})
    outside = quarter_outside(programme=programme, year=year, quarter=quarter)
    if outside:
        errors["quarter"] = outside
    values: dict[str, Any] = {}
    for name in ("reached_direct", "reached_indirect"):
        try:
            values[name] = parse_count(data.get(name), label=LABELS[name])
        except ValueError as exc:
            errors[name] = str(exc)
    by_age: dict[str, int] = {}
    raw_ages = data.get("reached_by_age") or {}
    if not isinstance(raw_ages, Mapping):
        errors["reached_by_age"] = "The age bands must be given band by band"
        raw_ages = {}
    for code, raw in raw_ages.items():
        if code not in AGE_CODES:
            errors["reached_by_age"] = f"{str(code)[:30]!r} is not an age band: use one of {', '.join(AGE_CODES)}"
            continue
        try:
            count = parse_count(raw, label=LABELS[code])
        except ValueError as exc:
            errors[code] = str(exc)
            continue
        if count is not None:
            by_age[code] = count
    values["reached_by_age"] = {code: by_age[code] for code in AGE_CODES if code in by_age}
    if by_age and "reached_direct" not in errors:
        direct = values["reached_direct"]
        total = sum(by_age.values())
        if direct is None:
            errors["reached_direct"] = (
                f"Enter the number of people reached directly: the age bands add up to {total:,} people"
            )
        elif total > direct:
            errors["reached_by_age"] = (
                f"The age bands add up to {total:,} people, more than the {direct:,} people reached directly"
            )
    outputs = data.get("outputs") or ""
    if not isinstance(outputs, str):
        outputs = str(outputs)
    outputs = outputs.strip()
    if "\x00" in outputs:
        errors["outputs"] = "The outputs contain a NUL character: remove it"
    elif len(outputs) > OUTPUTS_MAX:
        errors["outputs"] = f"The outputs have {len(outputs):,} characters; the limit is {OUTPUTS_MAX:,}"
    values["outputs"] = outputs
    warnings: list[str] = []
    try:
        spend = parse_money(data.get("spend_to_date"))
    except ValueError as exc:
        errors["spend_to_date"] = str(exc)
        spend = None
    values["spend_to_date"] = spend
    if spend is not None and "spend_to_date" not in errors:
        earlier = [(q, s) for q, s in others.items() if q < quarter and s is not None]
        later = [(q, s) for q, s in others.items() if q > quarter and s is not None]
        if earlier:
            q, s = max(earlier)
            if spend < s:
                errors["spend_to_date"] = (
                    f"The spend to date (£{spend:,}) is less than Q{q}'s (£{s:,}): it is the year's spend so far, "
                    "so it cannot go down"
                )
        if later and "spend_to_date" not in errors:
            q, s = min(later)
            if spend > s:
                errors["spend_to_date"] = (
                    f"The spend to date (£{spend:,}) is more than Q{q}'s (£{s:,}), a later quarter's: "
                    "it is the year's spend so far, so it cannot go down"
                )
        if amount is not None and spend > amount:
            warnings.append(
                f"The spend to date (£{spend:,}) is more than the programme's amount for {year_label(year)} "
                f"(£{amount:,})."
            )
        if amount is None:
            warnings.append(f"The programme has no amount for {year_label(year)} to compare the spend with.")
    if errors:
        raise ValidationError(errors)
    return Checked(values=values, warnings=warnings)


YEAR_TEXT = re.compile(r"^(\d{4})(?:\s*[/-]\s*(\d{2}|\d{4}))?$")
QUARTER_TEXT = re.compile(r"^q?\s*([1-4])$", re.IGNORECASE)


def parse_year(value: Any) -> int:
    """2020, "2020", "2020/21", "2020-21" or "2020/2021" -> 2020; ValueError with the reason otherwise."""
    if isinstance(value, dt.date):
        raise ValueError(
            f"{value:%d/%m/%Y} is a date, not a financial year: write the year as 2020/21 or 2020 "
            "(format the cell as text if the spreadsheet turns it into a date)"
        )
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip() if not isinstance(value, bool) else ""
    match = YEAR_TEXT.match(text)
    if not match:
        raise ValueError(f"{text[:30]!r} is not a financial year: write it as 2020/21 or 2020")
    year = int(match[1])
    if match[2]:
        following = int(match[2])
        if following not in (year + 1, (year + 1) % 100):
            raise ValueError(f"{text!r} is not a financial year: the second year must follow the first, as in 2020/21")
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise ValueError(f"{year} is outside the financial years {YEAR_MIN} to {YEAR_MAX}")
    return year


def parse_quarter(value: Any) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip() if not isinstance(value, bool | dt.date) else ""
    match = QUARTER_TEXT.match(text)
    if not match:
        raise ValueError(f"{text[:30]!r} is not a quarter: write Q1, Q2, Q3 or Q4 (or 1 to 4)")
    return int(match[1])
