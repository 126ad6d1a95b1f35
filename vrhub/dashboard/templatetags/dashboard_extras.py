from django import template

register = template.Library()


@register.filter
def heat(row, theme_code: str) -> dict:
    return row.heat(theme_code)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
