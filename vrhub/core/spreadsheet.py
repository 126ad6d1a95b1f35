"""Text that goes into a spreadsheet (CSV or Excel): the one rule for keeping formulae inert.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula, and a leading tab
or carriage return can hide such a start; all of them get an apostrophe in front. Text that already
starts with apostrophes before one of those gets one more, so that ``unneutralise(neutralise(text))``
gives back ``text`` for all text (the workbook import relies on that).
"""

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# What the import refuses as a formula typed as text. One name character class after the sign, then
# the rest: ``[A-Za-z_]+[A-Za-z0-9_.]*`` backtracked in quadratic time on a long cell such as "+aaaa...".
FORMULA_LIKE = re.compile(r"^\s*[=@]|^\s*[+\-]\s*[A-Za-z_][A-Za-z0-9_.]*\s*[(!|]")


def _needs_apostrophe(text: str) -> bool:
    return text.lstrip("'")[:1] in FORMULA_STARTS if text else False


def neutralise(text: str) -> str:
    """For export: make text that a spreadsheet would run as a formula inert."""
    return "'" + text if _needs_apostrophe(text) else text


def is_neutralised(text: str) -> bool:
    """Whether ``text`` came out of ``neutralise`` with an apostrophe added."""
    return text[:1] == "'" and _needs_apostrophe(text[1:])


def unneutralise(text: str) -> str:
    return text[1:] if is_neutralised(text) else text


def looks_like_formula(text: str) -> bool:
    return bool(FORMULA_LIKE.match(text))
