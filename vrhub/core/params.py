"""Reading numbers from query strings and form fields without trusting them."""

import re

_DIGITS = re.compile(r"[0-9]{1,9}")

YEAR_MIN, YEAR_MAX = 2000, 2100


def int_param(value: str | None, *, minimum: int, maximum: int) -> int | None:
    """The value as an int when it is plain ASCII digits within [minimum, maximum]; otherwise None.

    ``str.isdigit`` accepts "²" and "١", which ``int`` then refuses or reads; and an unbounded number
    overflows a database integer. Both used to answer 500.
    """
    if value is None or not _DIGITS.fullmatch(value):
        return None
    number = int(value)
    return number if minimum <= number <= maximum else None


def year_param(value: str | None) -> int | None:
    return int_param(value, minimum=YEAR_MIN, maximum=YEAR_MAX)
