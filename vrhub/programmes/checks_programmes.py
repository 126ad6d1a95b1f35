"""Checks shared by the programmes, recipients and evaluation services: each adds ``{field: message}`` to
``errors`` naming the field and its limit, and returns the cleaned value (or None when it is refused)."""

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from vrhub.core.limits import text_length, text_length_message
from vrhub.programmes.catalogue import URL_MAX, YEAR_MAX, YEAR_MIN, year_label
from vrhub.programmes.money import MoneyError, parse_money


def nul_free(value: Any) -> bool:
    return not (isinstance(value, str) and "\x00" in value)


def text(
    data: Mapping[str, Any], name: str, label: str, limit: int, errors: dict[str, str], *, required: bool = False
) -> str:
    """One line or a long text, stripped; line breaks kept as ``\\n``."""
    value = data.get(name)
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors[name] = f"{label} must be text"
        return ""
    if "\x00" in value:
        errors[name] = f"{label} must not contain NUL characters"
        return ""
    value = value.replace("\r\n", "\n").strip()
    if required and not value:
        errors[name] = f"Enter the {label[0].lower()}{label[1:]}"
    elif text_length(value) > limit:
        errors[name] = text_length_message(label=label, limit=limit, length=text_length(value))
    return value


def money(value: Any, name: str, label: str, errors: dict[str, str], *, required: bool = True) -> Decimal | None:
    """Pounds and pence by the one rule (``programmes.money``); adds ``{name: message}`` to ``errors``."""
    try:
        amount = parse_money(value, label=label)
    except MoneyError as exc:
        errors[name] = str(exc)
        return None
    if amount is None and required:
        errors[name] = f"Enter the {label[0].lower()}{label[1:]}"
    return amount


def year(value: Any, name: str, errors: dict[str, str], *, label: str = "Financial year") -> int | None:
    if value in (None, ""):
        errors[name] = f"Enter the {label.lower()}"
        return None
    if isinstance(value, bool):
        errors[name] = f"{label} must be a year such as 2020 (for 2020/21)"
        return None
    try:
        found = int(str(value).strip())
    except (ValueError, OverflowError):
        errors[name] = f"{label} must be a year such as 2020 (for 2020/21)"
        return None
    if not YEAR_MIN <= found <= YEAR_MAX:
        errors[name] = f"{label} must be between {YEAR_MIN} and {YEAR_MAX} (it is {found})"
        return None
    return found


def date(value: Any, name: str, label: str, errors: dict[str, str]) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and nul_free(value):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    errors[name] = f"{label} must be a real date, such as 2020-04-01"
    return None


def web_link(data: Mapping[str, Any], name: str, label: str, errors: dict[str, str]) -> str:
    """An http(s) address, or empty."""
    value = text(data, name, label, URL_MAX, errors)
    if not value or name in errors:
        return value
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        errors[name] = f"{label} must be a web address starting http:// or https://"
    return value


def ids(value: Any) -> list[int] | None:
    """A list of primary keys from a form or a call: None when one is not a whole number."""
    if value in (None, ""):
        return []
    if isinstance(value, str | int) or hasattr(value, "pk"):
        value = [value]
    found: list[int] = []
    for item in value:
        if hasattr(item, "pk"):
            item = item.pk
        if isinstance(item, bool):
            return None
        try:
            found.append(int(str(item).strip()))
        except (ValueError, OverflowError):
            return None
    return sorted(set(found))


def years_text(years: list[int]) -> str:
    return ", ".join(year_label(y) for y in years)
