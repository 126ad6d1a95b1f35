"""Human words for values that are stored as codes: ``{% load human %}``.

    {{ "2025-03:2026-02"|period }}       March 2025 to February 2026
    {{ "2025-03:2025-03"|period }}       March 2025
    {{ periods|periods }}                 March 2025 and March 2024 (a list, joined)

Anything that is not a period in the stored ``YYYY-MM:YYYY-MM`` (or ``YYYY-MM``) form is shown unchanged.
"""

from collections.abc import Iterable

from django import template

from vrhub.core.words import count_noun as words_count_noun
from vrhub.core.words import period_words

register = template.Library()


@register.filter
def period(value: object) -> str:
    return period_words(value)


@register.filter
def periods(values: Iterable[object]) -> str:
    """A list of periods in words, joined with "and"."""
    return " and ".join(period_words(v) for v in values or [])


@register.filter
def count_noun(value: int, noun: str) -> str:
    """``{{ n|count_noun:"member" }}``: "1 member", "3 members" (a plural other than +s as "person,people")."""
    singular, _, plural = noun.partition(",")
    return words_count_noun(int(value or 0), singular, plural or None)
