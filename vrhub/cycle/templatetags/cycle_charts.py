"""A small stacked-bar SVG of status counts per quarter. Each segment carries its status's own colour
and fill pattern (``vrhub.cycle.palette``) and, where it is wide enough, its letter and count; the
chart is always shown beside a table of the same numbers and under a legend."""

from itertools import count

from django import template
from django.utils.html import format_html, format_html_join

from vrhub.cycle.palette import BY_VALUE, GAP, STYLES, fill, pattern_defs, swatch

register = template.Library()

# Each SVG on a page gets its own pattern ids, so no chart draws with another's patterns.
_ids = count(1)


def _prefix(name: str) -> str:
    return f"{name}{next(_ids)}"


@register.simple_tag
def status_trend_chart(quarters: list[dict], label: str):
    """``quarters``: ``[{"quarter": q, "counts": [(Status, n), ...], "total": n}]``."""
    width, bar_h, gap, left = 290, 22, 8, 30
    prefix = _prefix("trend")
    biggest = max([q["total"] for q in quarters] + [1])
    order = [s.value for s in STYLES]
    rows = []
    for i, q in enumerate(quarters):
        y = i * (bar_h + gap)
        x = float(left)
        segments = []
        counts = sorted(q["counts"], key=lambda item: order.index(item[0].value))
        for status, n in counts:
            if not n:
                continue
            style = BY_VALUE[status.value]
            w = (width - left - 10) * n / biggest
            text = f"{style.letter}{n}"
            segments.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}: {} {}</title></rect>{}',
                    f"{x:.1f}",
                    y,
                    f"{max(w - GAP, 1):.1f}",
                    bar_h,
                    fill(style, prefix),
                    q["quarter"].label,
                    n,
                    status.label,
                    format_html(
                        '<text x="{}" y="{}" font-size="12" fill="#0b0c0c" text-anchor="middle" '
                        'paint-order="stroke" stroke="#fff" stroke-width="3" aria-hidden="true">{}</text>',
                        f"{x + (w - GAP) / 2:.1f}",
                        y + bar_h - 6,
                        text,
                    )
                    if w >= 9 * len(text)
                    else "",
                )
            )
            x += w
        if not q["total"]:
            segments.append(
                format_html(
                    '<text x="{}" y="{}" font-size="12" fill="#484949">No updates yet</text>', left, y + bar_h - 6
                )
            )
        rows.append(
            format_html(
                '<text x="0" y="{}" font-size="13" fill="#0b0c0c">{}</text>{}',
                y + bar_h - 6,
                f"Q{q['quarter'].number}",
                format_html_join("", "{}", ((s,) for s in segments)),
            )
        )
    height = len(quarters) * (bar_h + gap)
    return format_html(
        '<svg class="app-trend-chart" role="img" aria-label="{}" viewBox="0 0 {} {}" width="{}" height="{}" '
        'xmlns="http://www.w3.org/2000/svg" font-family="arial, sans-serif">{}{}</svg>',
        label,
        width,
        height,
        width,
        height,
        pattern_defs(prefix),
        format_html_join("", "{}", ((r,) for r in rows)),
    )


@register.simple_tag
def status_legend():
    """The key to the charts: each status's swatch (colour and pattern), letter and name."""
    prefix = _prefix("legend")
    items = format_html_join(
        "",
        '<li class="app-legend__item">{} {} = {} <span class="app-legend__pattern">({})</span></li>',
        ((swatch(s, prefix), s.letter, s.label, s.pattern) for s in STYLES),
    )
    return format_html(
        '<svg class="app-defs" width="0" height="0" aria-hidden="true" focusable="false">{}</svg>'
        '<ul class="govuk-list govuk-body-s app-legend">{}</ul>',
        pattern_defs(prefix),
        items,
    )
