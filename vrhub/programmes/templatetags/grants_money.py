"""Money as the programme pages show it: ``{{ amount|pounds }}`` is "£60,000.00"; None is "No data"."""

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def pounds(value: Decimal | int | None) -> str:
    if value is None or value == "":
        return "No data"
    return f"£{Decimal(value):,.2f}"
