"""Pounds and pence, as people type them and as spreadsheet cells hold them: THE one rule every programmes
form, service and import uses to read an amount (budgets' lines and commitments, programme amounts, spend to
date in monitoring returns).

Accepted: ASCII digits, optionally grouped in threes by commas ("12,500"), an optional "£", at most two decimal
places ("12,500.50"); a whole number or a ``Decimal``; a spreadsheet's numeric cell (a float, read by its
shortest representation) where the caller allows it. Refused, naming the field: an exponent ("1e9"), a comma
anywhere else ("1,50" is never £150), other scripts' digits, underscores, NaN and infinities, a minus sign,
more than two decimal places, more than ``MONEY_MAX``, a NUL character. Blank is ``None`` (no figure), never 0.
"""

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from vrhub.programmes.catalogue import MONEY_MAX

PENNY = Decimal("0.01")
MONEY_TEXT = re.compile(r"^(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?$")
TEXT_MAX = 26  # characters of a typed amount: "9,999,999,999.99" with room for spaces and "£"


class MoneyError(ValueError):
    """An amount that is not pounds and pence; the message names the field."""


def _capital(label: str) -> str:
    return label[:1].upper() + label[1:]


def parse_money(value: Any, *, label: str, cells: bool = False) -> Decimal | None:
    """``value`` as pounds and pence (``Decimal`` with two places), or None when blank. ``cells``: also accept
    a float, as a spreadsheet's numeric cell holds an amount. Raises ``MoneyError`` naming ``label``."""
    name = _capital(label)
    not_money = MoneyError(f"{name} must be an amount in pounds and pence, such as 12,500.50")
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise not_money
    if isinstance(value, float):
        if not cells or value != value or value in (float("inf"), float("-inf")):
            raise not_money
        value = repr(value)
        if "e" in value.lower():
            raise not_money
    if isinstance(value, Decimal | int):
        amount = Decimal(value)
    else:
        text = str(value)
        if "\x00" in text:
            raise MoneyError(f"{name} must not contain a NUL character")
        text = text.strip().removeprefix("£").strip()
        if text.startswith(("-", "\u2212")):
            raise MoneyError(f"{name} must not be negative")
        if len(text) > TEXT_MAX or not MONEY_TEXT.match(text):
            raise not_money
        try:
            amount = Decimal(text.replace(",", ""))
        except InvalidOperation as exc:  # pragma: no cover - the pattern admits only numbers
            raise not_money from exc
    if not amount.is_finite():
        raise not_money
    if amount < 0:
        raise MoneyError(f"{name} must not be negative")
    if amount != amount.quantize(PENNY):
        raise MoneyError(f"{name} must be in pounds and pence: at most 2 decimal places")
    if amount > MONEY_MAX:
        raise MoneyError(f"{name} must be at most £{MONEY_MAX:,}")
    return amount.quantize(PENNY)
