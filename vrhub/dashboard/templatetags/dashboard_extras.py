from django import template
from django.utils.html import format_html, format_html_join

from vrhub.cycle.palette import GAP, NO_STATUS, OUTLINE, STYLES, fill, pattern_defs, swatch

register = template.Library()

HEAT_PREFIX = "heat"  # the heatmap's pattern ids: one set per page, from {% heat_defs %}


@register.filter
def heat(row, theme_code: str) -> dict:
    return row.heat(theme_code)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def percent(share: float) -> str:
    return f"{round(100 * share)}%"


@register.simple_tag
def heat_defs():
    """The status patterns the heatmap's bars use, once per page (a hidden SVG)."""
    return format_html(
        '<svg class="app-defs" width="0" height="0" aria-hidden="true" focusable="false">{}</svg>',
        pattern_defs(HEAT_PREFIX),
    )


@register.simple_tag
def heat_bar(cell: dict, width: int = 120, height: int = 14):
    """A stacked bar of a heatmap cell's shares by status: colour and pattern per status, white gaps
    between them. Decorative for screen readers: the cell's numbers and words say the same."""
    x = 0.0
    rects = []
    for segment in cell["segments"]:
        style = segment["style"]
        w = width * segment["share"]
        outline = OUTLINE if style is NO_STATUS else "none"
        rects.append(
            (f"{x:.1f}", f"{max(w - GAP, 1):.1f}", height, fill(style, HEAT_PREFIX), outline),
        )
        x += w
    return format_html(
        '<svg class="app-heat__bar" width="{}" height="{}" viewBox="0 0 {} {}" aria-hidden="true" focusable="false">'
        "{}</svg>",
        width,
        height,
        width,
        height,
        format_html_join("", '<rect x="{}" y="0" width="{}" height="{}" fill="{}" stroke="{}"/>', rects),
    )


@register.simple_tag
def heat_legend():
    items = format_html_join(
        "",
        '<li class="app-legend__item">{} <strong>{}</strong> {}</li>',
        ((swatch(s, HEAT_PREFIX), s.letter, s.label) for s in (*STYLES, NO_STATUS)),
    )
    return format_html('<ul class="govuk-list govuk-body-s app-legend">{}</ul>', items)
