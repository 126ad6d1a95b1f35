"""One colour, one fill pattern and one short letter per action status, for every chart of statuses.

Each status has its own colour *and* its own pattern, so no status is told apart by colour alone
(WCAG 1.4.1). Every colour has a contrast of at least 3:1 against the white page (WCAG 1.4.11), and
the pattern marks are white, so they also contrast 3:1 with the colour they sit on. Neighbouring
segments of a stacked bar are separated by a white gap (``GAP``), so each segment's neighbour is the
white background: no two status colours ever touch. ``tests/dashboard/test_palette.py`` checks the
ratios.

The patterns hold their colour themselves (no ``currentColor``): an SVG pattern takes its colour from
where it is defined, not from where it is used, so one pattern shared by several statuses drew them
all in the first one's colour (Amber came out red in the quarterly chart).
"""

from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

BACKGROUND = "#ffffff"
MARK = "#ffffff"  # the colour of a pattern's lines and dots
GAP = 2  # px of white between neighbouring segments


@dataclass(frozen=True)
class StatusStyle:
    value: str  # the Status value ("" for an action with no status yet)
    label: str
    letter: str  # short form, always shown with the full words available (abbr title / screen reader text)
    colour: str
    pattern: str  # the pattern's name, for the legend's words


# In the order bars are stacked: the statuses needing attention first.
STYLES: tuple[StatusStyle, ...] = (
    StatusStyle("red", "Red", "R", "#d4351c", "diagonal stripes"),
    StatusStyle("amber", "Amber", "A", "#a86f00", "dots"),
    StatusStyle("not_started", "Not started", "NS", "#626a6e", "cross-hatch"),
    StatusStyle("green", "Green", "G", "#00703c", "solid"),
    StatusStyle("complete", "Complete", "C", "#1d70b8", "horizontal stripes"),
    StatusStyle("not_undertaken", "Not being undertaken", "NBU", "#4c2c92", "vertical stripes"),
)
NO_STATUS = StatusStyle("", "No status yet", "?", "#ffffff", "empty, outlined")
OUTLINE = "#505a5f"  # the outline of the "no status yet" segment (7:1 against white)
BY_VALUE = {s.value: s for s in STYLES} | {"": NO_STATUS}


def contrast_ratio(a: str, b: str) -> float:
    """WCAG 2.2's contrast ratio of two ``#rrggbb`` colours."""

    def luminance(colour: str) -> float:
        channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    light, dark = sorted([luminance(a), luminance(b)], reverse=True)
    return (light + 0.05) / (dark + 0.05)


# The marks drawn over each status's colour, in a 6 x 6 tile (green is solid).
MARKS = {
    "red": '<path d="M-1 1L1 -1M0 6L6 0M5 7L7 5" stroke="{m}" stroke-width="1.5"/>',
    "amber": '<circle cx="3" cy="3" r="1.3" fill="{m}"/>',
    "not_started": '<path d="M0 0L6 6M6 0L0 6" stroke="{m}" stroke-width="1"/>',
    "green": "",
    "complete": '<path d="M0 3H6" stroke="{m}" stroke-width="1.5"/>',
    "not_undertaken": '<path d="M3 0V6" stroke="{m}" stroke-width="1.5"/>',
}


def _pattern_body(style: StatusStyle) -> str:
    return f'<rect width="6" height="6" fill="{style.colour}"/>' + MARKS[style.value].format(m=MARK)


def fill(style: StatusStyle, prefix: str) -> str:
    """The SVG ``fill`` of a segment of this status, with patterns from ``pattern_defs(prefix)``."""
    return "#ffffff" if style is NO_STATUS else f"url(#{prefix}-{style.value})"


def pattern_defs(prefix: str) -> SafeString:
    """``<defs>`` with one pattern per status, ids ``{prefix}-{status}``: give each page or chart its own prefix."""
    return format_html(
        "<defs>{}</defs>",
        format_html_join(
            "",
            '<pattern id="{}-{}" width="6" height="6" patternUnits="userSpaceOnUse">{}</pattern>',
            ((prefix, s.value, SafeString(_pattern_body(s))) for s in STYLES),
        ),
    )


def swatch(style: StatusStyle, prefix: str, *, width: int = 18, height: int = 14) -> SafeString:
    """A small legend square of one status (decorative: its words are always written beside it)."""
    stroke = OUTLINE if style is NO_STATUS else style.colour
    return format_html(
        '<svg class="app-swatch" width="{}" height="{}" viewBox="0 0 {} {}" aria-hidden="true" focusable="false">'
        '<rect x="0.5" y="0.5" width="{}" height="{}" fill="{}" stroke="{}"/></svg>',
        width,
        height,
        width,
        height,
        width - 1,
        height - 1,
        fill(style, prefix),
        stroke,
    )
