"""The status palette: a colour and a pattern per status, with WCAG 1.4.11 contrast, and charts that use them."""

import re
from itertools import combinations

from django.template import Context, Template

from vrhub.cycle.palette import BACKGROUND, BY_VALUE, GAP, MARK, MARKS, NO_STATUS, OUTLINE, STYLES, contrast_ratio
from vrhub.plans.models import Status


def test_contrast_ratio_matches_wcag_reference_values():
    # WCAG's own end points and a well-known pair, worked out by hand from the formula.
    assert round(contrast_ratio("#000000", "#ffffff"), 2) == 21.0
    assert contrast_ratio("#777777", "#777777") == 1.0
    assert round(contrast_ratio("#767676", "#ffffff"), 2) == 4.54


def test_every_status_has_its_own_colour_pattern_and_letter():
    assert {s.value for s in STYLES} == {s.value for s in Status}
    assert len({s.colour.lower() for s in STYLES}) == len(STYLES)
    assert len({s.pattern for s in STYLES}) == len(STYLES)
    assert len({MARKS[s.value] for s in STYLES}) == len(STYLES)
    assert len({s.letter for s in (*STYLES, NO_STATUS)}) == len(STYLES) + 1
    assert {s.label for s in STYLES} == {s.label for s in Status}


def test_colours_contrast_three_to_one_with_the_page_and_their_pattern_marks():
    for style in STYLES:
        assert contrast_ratio(style.colour, BACKGROUND) >= 3, style.label
        assert contrast_ratio(style.colour, MARK) >= 3, style.label
    assert contrast_ratio(OUTLINE, BACKGROUND) >= 3  # the "no status yet" box is drawn by its outline
    assert GAP >= 1  # neighbouring segments never touch: each one's neighbour is the white gap


def test_amber_is_not_drawn_in_reds_colour():
    red, amber = BY_VALUE["red"], BY_VALUE["amber"]

    def rgb(colour):
        return [int(colour[i : i + 2], 16) for i in (1, 3, 5)]

    # Far apart in colour (not just a shade), and different patterns.
    assert sum((a - b) ** 2 for a, b in zip(rgb(red.colour), rgb(amber.colour), strict=True)) ** 0.5 > 60
    assert red.pattern != amber.pattern
    for a, b in combinations(STYLES, 2):
        assert a.colour != b.colour


def counts(**by_status):
    return [(s, by_status.get(s.value, 0)) for s in Status]


class Q:
    def __init__(self, number):
        self.number = number
        self.label = f"Q{number} 2021/22"


def test_each_chart_uses_its_own_patterns_with_fixed_colours():
    quarters = [
        {"quarter": Q(1), "counts": counts(red=2, amber=3), "total": 5},
        {"quarter": Q(2), "counts": counts(), "total": 0},
    ]
    html = Template(
        "{% load cycle_charts %}{% status_legend %}{% status_trend_chart q 'a' %}{% status_trend_chart q 'b' %}"
    ).render(Context({"q": quarters}))
    assert "currentColor" not in html
    ids = re.findall(r'<pattern id="([^"]+)"', html)
    assert len(ids) == len(set(ids)) == 3 * len(STYLES)  # legend and two charts: no id twice on a page
    fills = list(re.finditer(r'<pattern id="[^"]+-(\w+)"[^>]*><rect width="6" height="6" fill="(#[0-9a-f]{6})"', html))
    assert len(fills) == len(ids), "every pattern's fill colour was read"
    for match in fills:
        assert match.group(2) == BY_VALUE[match.group(1)].colour
    chart = html[html.index('aria-label="a"') :]
    prefix = re.search(r'<pattern id="(\w+?)-red"', chart).group(1)
    assert f'fill="url(#{prefix}-red)"><title>Q1 2021/22: 2 Red</title>' in chart
    assert f'fill="url(#{prefix}-amber)"><title>Q1 2021/22: 3 Amber</title>' in chart
    assert "No updates yet" in chart  # an empty quarter is not drawn as zero
