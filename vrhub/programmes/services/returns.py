"""Providers' quarterly monitoring returns: entering or correcting one quarter's return.

A return reports, for one quarter of one financial year, the people a programme reached in that quarter
(directly, and indirectly; the direct count by ``AgeBand`` where known), its outputs and its spend in the
financial year up to the quarter's end. The rules (``return_check``, used by the form and by the spreadsheet
import alike):

* a count is a whole number from 0 to ``PEOPLE_MAX``, or blank: not reported (``None``), never 0;
* age-band counts use ``AgeBand`` codes only and add up to no more than the direct count (which must then be
  given);
* spend to date is in pounds and pence, never negative, at most ``MONEY_MAX``, and never less than an earlier
  quarter's of the same year (nor more than a later quarter's): it is cumulative. Above the year's amount it
  is allowed, with a warning;
* the quarter lies within the programme's dates (a return for a quarter after it ended is refused, naming
  the dates);
* outputs are text of at most ``OUTPUTS_MAX`` characters, without NUL characters.

``return_save`` validates first, then in one transaction locks the programme, checks the return is still
the one the form was loaded with (``version``: ``selectors.returns.return_version``), writes and audits
old -> new.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from vrhub.core.audit import audit_changes, audit_created, diff_fields
from vrhub.core.words import date_words
from vrhub.programmes.catalogue import (
    MONEY_MAX,
    PEOPLE_MAX,
    YEAR_MAX,
    YEAR_MIN,
    AgeBand,
    quarter_bounds,
    year_label,
)
from vrhub.programmes.models import MonitoringReturn, Programme, ProgrammeAmount
from vrhub.programmes.selectors import access
from vrhub.programmes.selectors.returns import return_version

OUTPUTS_MAX = 2_000
FIELDS = ("reached_direct", "reached_indirect", "reached_by_age", "outputs", "spend_to_date")
AGE_CODES = tuple(code for code, _label in AgeBand.choices)
LABELS = {
    "reached_direct": "people reached directly",
    "reached_indirect": "people reached indirectly",
    "outputs": "outputs",
    "spend_to_date": "spend to date",
    **{code: f"people reached directly aged {label.lower()}" for code, label in AgeBand.choices},
}
MONEY = re.compile(r"^\d+(\.\d{1,2})?$")
WHOLE = re.compile(r"^\d+$")


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
        text = str(value).strip().replace(",", "")
        if text.startswith("-") and WHOLE.match(text[1:]):
            raise ValueError(f"The number of {label} cannot be negative")
        if not WHOLE.match(text):
            if re.match(r"^-?\d*\.\d+$", text):
                raise ValueError(f"The number of {label} must be a whole number (no decimals)")
            raise ValueError(f"Enter the number of {label} as a whole number, or leave it blank if not reported")
        if len(text) > 12:
            raise ValueError(f"The number of {label} must be at most {PEOPLE_MAX:,}")
        number = int(text)
    if number < 0:
        raise ValueError(f"The number of {label} cannot be negative")
    if number > PEOPLE_MAX:
        raise ValueError(f"The number of {label} must be at most {PEOPLE_MAX:,}")
    return number


def parse_money(value: Any, *, label: str = "spend to date") -> Decimal | None:
    """Pounds and pence from a form or a cell ("12000", "12,000.50", "£12000"): None when blank."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError(f"Enter the {label} in pounds and pence, like 12000.50")
    if isinstance(value, Decimal):
        amount = value
    elif isinstance(value, int | float):
        if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
            raise ValueError(f"Enter the {label} in pounds and pence, like 12000.50")
        text = repr(value) if isinstance(value, float) else str(value)
        try:
            amount = Decimal(text)
        except InvalidOperation as exc:
            raise ValueError(f"Enter the {label} in pounds and pence, like 12000.50") from exc
    else:
        text = str(value).strip().replace(",", "").removeprefix("£").strip()
        if text.startswith("-"):
            raise ValueError(f"The {label} cannot be negative")
        if not MONEY.match(text) or len(text) > 20:
            raise ValueError(f"Enter the {label} in pounds and pence, like 12000.50")
        amount = Decimal(text)
    if not amount.is_finite():
        raise ValueError(f"Enter the {label} in pounds and pence, like 12000.50")
    if amount < 0:
        raise ValueError(f"The {label} cannot be negative")
    if amount > MONEY_MAX:
        raise ValueError(f"The {label} must be at most £{MONEY_MAX:,}")
    if amount != amount.quantize(Decimal("0.01")):
        raise ValueError(f"The {label} must be in pounds and pence: at most 2 decimal places")
    return amount.quantize(Decimal("0.01"))


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


def year_amount(*, programme: Programme, year: int) -> Decimal | None:
    found = ProgrammeAmount.objects.filter(programme=programme, year=year).first()
    return found.amount if found is not None else None


@dataclass(frozen=True)
class Saved:
    monitoring_return: MonitoringReturn
    created: bool
    changes: dict
    warnings: list[str]


def write_return(*, programme: Programme, user, year: int, quarter: int, values: dict[str, Any]) -> Saved:
    """Write checked values (inside the caller's transaction, with the programme locked) and audit them."""
    existing = MonitoringReturn.objects.select_for_update().filter(programme=programme, year=year, quarter=quarter)
    found = existing.first()
    if found is None:
        found = MonitoringReturn(programme=programme, year=year, quarter=quarter, submitted_by=user, **values)
        found.full_clean()
        found.save()
        audit_created(actor=user, obj=found, fields=("programme", "year", "quarter", *FIELDS))
        return Saved(found, True, {f: (None, values[f]) for f in FIELDS}, [])
    changes = diff_fields(found, values)
    if changes:
        for name, (_old, new) in changes.items():
            setattr(found, name, new)
        found.submitted_by = user
        found.full_clean()
        found.save(update_fields=[*changes, "submitted_by", "updated_at"])
        audit_changes(actor=user, obj=found, changes=changes)
    return Saved(found, False, changes, [])


def return_save(
    *, programme: Programme, user, year: int, quarter: int, data: Mapping[str, Any], version: str | None = None
) -> Saved:
    """Enter or correct ``programme``'s return for ``year`` quarter ``quarter``. ``version``: the return as the
    form was loaded (``return_version``); a return changed since is refused. Returns what changed and the
    warnings (spend above the year's amount)."""
    with transaction.atomic():
        locked = Programme.objects.select_for_update().get(pk=programme.pk)
        if user is not None and not access.user_can_edit_programme(user=user, programme=locked):
            raise PermissionDenied("You can look at this programme but not change it.")
        current = MonitoringReturn.objects.filter(programme=locked, year=year, quarter=quarter).first()
        if version is not None and version != return_version(monitoring_return=current):
            raise ValidationError(
                "This return was changed by someone else since you opened it, so nothing was saved: "
                "check the figures below and save again."
            )
        others = dict(
            MonitoringReturn.objects.filter(programme=locked, year=year)
            .exclude(quarter=quarter)
            .values_list("quarter", "spend_to_date")
        )
        checked = return_check(
            programme=locked,
            year=year,
            quarter=quarter,
            data=data,
            others=others,
            amount=year_amount(programme=locked, year=year),
        )
        saved = write_return(programme=locked, user=user, year=year, quarter=quarter, values=checked.values)
    return Saved(saved.monitoring_return, saved.created, saved.changes, checked.warnings)
