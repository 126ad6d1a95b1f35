"""A small stacked-bar SVG of status counts per quarter. Each segment carries a fill pattern and a
letter as well as a colour, and the chart is always shown beside a table of the same numbers."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()

# status value -> (colour, pattern id, letter)
STYLE = {
    "red": ("#d4351c", "hatch", "R"),
    "amber": ("#f47738", "dots", "A"),
    "green": ("#00703c", "solid", "G"),
    "not_started": ("#b1b4b6", "cross", "N"),
    "complete": ("#1d70b8", "solid", "C"),
    "not_undertaken": ("#4c2c92", "vertical", "X"),
}

PATTERNS = mark_safe(
    "<defs>"
    '<pattern id="p-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
    '<rect width="6" height="6" fill="currentColor"/><line x1="0" y1="0" x2="0" y2="6" stroke="#fff" stroke-width="2"/>'
    "</pattern>"
    '<pattern id="p-dots" width="6" height="6" patternUnits="userSpaceOnUse">'
    '<rect width="6" height="6" fill="currentColor"/><circle cx="3" cy="3" r="1.3" fill="#fff"/></pattern>'
    '<pattern id="p-cross" width="6" height="6" patternUnits="userSpaceOnUse">'
    '<rect width="6" height="6" fill="currentColor"/><path d="M0 0L6 6M6 0L0 6" stroke="#fff" stroke-width="1"/>'
    "</pattern>"
    '<pattern id="p-vertical" width="5" height="5" patternUnits="userSpaceOnUse">'
    '<rect width="5" height="5" fill="currentColor"/>'
    '<line x1="2" y1="0" x2="2" y2="5" stroke="#fff" stroke-width="1.5"/>'
    "</pattern>"
    "</defs>"
)


@register.simple_tag
def status_trend_chart(quarters: list[dict], label: str):
    """``quarters``: ``[{"quarter": q, "counts": [(Status, n), ...], "total": n}]``."""
    width, bar_h, gap, left = 360, 22, 8, 70
    biggest = max([q["total"] for q in quarters] + [1])
    rows = []
    for i, q in enumerate(quarters):
        y = i * (bar_h + gap)
        x = left
        segments = []
        for status, n in q["counts"]:
            if not n:
                continue
            colour, pattern, letter = STYLE[status.value]
            w = (width - left - 10) * n / biggest
            fill = colour if pattern == "solid" else f"url(#p-{pattern})"
            segments.append(
                format_html(
                    '<g style="color:{}"><rect x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="#fff">'
                    "<title>{}: {} {}</title></rect>{}</g>",
                    colour,
                    f"{x:.1f}",
                    y,
                    f"{w:.1f}",
                    bar_h,
                    fill,
                    q["quarter"].label,
                    n,
                    status.label,
                    format_html(
                        '<text x="{}" y="{}" font-size="12" fill="#0b0c0c" text-anchor="middle" '
                        'paint-order="stroke" stroke="#fff" stroke-width="3">{}{}</text>',
                        f"{x + w / 2:.1f}",
                        y + bar_h - 6,
                        letter,
                        n,
                    )
                    if w >= 22
                    else "",
                )
            )
            x += w
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
        PATTERNS,
        format_html_join("", "{}", ((r,) for r in rows)),
    )


@register.simple_tag
def status_legend():
    items = []
    from vrhub.plans.models import Status

    for status in Status:
        colour, pattern, letter = STYLE[status.value]
        fill = colour if pattern == "solid" else f"url(#p-{pattern})"
        items.append(
            format_html(
                '<li class="app-legend__item"><svg width="18" height="14" aria-hidden="true" focusable="false" '
                'style="color:{}">{}<rect width="18" height="14" fill="{}"/></svg> {} = {}</li>',
                colour,
                PATTERNS,
                fill,
                letter,
                status.label,
            )
        )
    return format_html(
        '<ul class="govuk-list govuk-body-s app-legend">{}</ul>', format_html_join("", "{}", ((i,) for i in items))
    )
