"""The logic-model SVG (``programmes.diagram``), pure: a model of London's size (an aim, four outcomes, eight
objectives, thirty programmes) stays readable at 1280 pixels, draws every link and escapes every text."""

import xml.etree.ElementTree as ET

import pytest

from vrhub.programmes import diagram
from vrhub.programmes.diagram import Node

NS = {"s": "http://www.w3.org/2000/svg"}
PAGE_PX = 1280  # the page's width in the browser tests; the figure is at most this wide
MIN_FONT_PX = 11


def london_sized():
    aims = [Node("a1", "Impact 1: Londoners feel safer; violence is stable and reduced", ["Long term"])]
    outcomes = [
        Node(f"o{i}", f"Outcome {i}: young people have increased skills and opportunities", ["5 years"], ["a1"])
        for i in range(1, 5)
    ]
    objectives = [
        Node(
            f"j{i}",
            f"Objective {i}: giving young people every chance to succeed",
            [f"{i} programmes, £1,234,567 in 2020/21", "Measures: school exclusions; first-time entrants"],
            [f"o{1 + i % 4}"],
        )
        for i in range(1, 9)
    ]
    programmes = [
        Node(
            f"p{i}",
            f"LDN-{i:02d}",
            [f"Mentoring programme number {i}", "£250,000 in 2020/21"],
            [f"j{1 + i % 8}", f"j{1 + (i + 3) % 8}"],
        )
        for i in range(1, 31)
    ]
    return [aims, outcomes, objectives, programmes]


def build(rows=None, **kwargs):
    markup = diagram.build_svg(
        title=kwargs.get("title", "Logic model"),
        description="A description",
        rows=rows or london_sized(),
        legend=["Solid: outcome to impact", "Dashed: objective to outcome", "Dotted: programme to objective"],
    )
    return markup, ET.fromstring(markup)  # noqa: S314 (markup our own code just built, not untrusted input)


def test_is_an_image_with_a_title_and_a_description():
    _, svg = build()
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "logic-title logic-desc"
    assert svg.find("s:title", NS).text == "Logic model"
    assert svg.find("s:desc", NS).text == "A description"


def test_every_link_is_a_line():
    rows = london_sized()
    _, svg = build(rows)
    drawn = sorted(line.get("data-link") for line in svg.iter(f"{{{NS['s']}}}line") if line.get("data-link"))
    expected = sorted(f"{n.key}-{t}" for row in rows for n in row for t in n.targets)
    assert drawn == expected
    assert len(drawn) == 4 + 8 + 60


def test_links_differ_by_pattern_not_colour_alone():
    _, svg = build()
    patterns = {}
    for line in svg.iter(f"{{{NS['s']}}}line"):
        if line.get("data-link"):
            patterns.setdefault(line.get("data-link")[0], set()).add(line.get("stroke-dasharray"))
    # outcome -> aim solid, objective -> outcome dashed, programme -> objective dotted: three patterns.
    assert patterns["o"] == {None}
    assert len({*patterns["j"], *patterns["p"]}) == 2
    assert None not in patterns["j"] | patterns["p"]


def _boxes(svg):
    found = {}
    for group in svg.iter(f"{{{NS['s']}}}g"):
        rect = group.find("s:rect", NS)
        texts = [t.text for t in group.findall("s:text", NS)]
        found[group.get("data-node")] = (
            float(rect.get("x")),
            float(rect.get("y")),
            float(rect.get("width")),
            float(rect.get("height")),
            texts,
        )
    return found


def test_readable_at_1280_pixels_with_eight_objectives_and_thirty_programmes():
    _, svg = build()
    width = float(svg.get("viewBox").split()[2])
    font = float(svg.get("font-size"))
    assert font * PAGE_PX / width >= MIN_FONT_PX  # the text's size in pixels once scaled to the page
    boxes = _boxes(svg)
    assert len(boxes) == 1 + 4 + 8 + 30
    for key, (x, _y, w, h, texts) in boxes.items():
        assert 0 <= x and x + w <= width, key
        # Each line fits its box (Arial's average character is under 0.6 of the font size).
        for text in texts:
            assert len(text) * 0.6 * font <= w, (key, text)
        assert len(texts) * diagram.LINE <= h, key
    # No two boxes overlap.
    items = list(boxes.values())
    for i, a in enumerate(items):
        for b in items[i + 1 :]:
            apart = a[0] + a[2] <= b[0] or b[0] + b[2] <= a[0] or a[1] + a[3] <= b[1] or b[1] + b[3] <= a[1]
            assert apart


def test_every_text_is_in_the_drawing():
    rows = london_sized()
    _, svg = build(rows)
    words = " ".join(" ".join(b[4]) for b in _boxes(svg).values())
    for row in rows:
        for node in row:
            for text in (node.heading, *node.lines):
                assert " ".join(text.split()[:2]) in words


def test_text_is_escaped():
    rows = [[Node("a1", "<script>alert(1)</script> & more", ["x < y"])], [], [], []]
    markup, svg = build(rows, title="A & B <c>")
    assert "<script>" not in markup
    assert svg.find("s:title", NS).text == "A & B <c>"
    texts = [t.text for t in svg.iter(f"{{{NS['s']}}}text")]
    assert any("<script>alert(1)</script>" in t for t in texts)


@pytest.mark.parametrize("count", [0, 1, 31])
def test_any_number_of_programmes_lays_out(count):
    rows = london_sized()
    rows[3] = rows[3][:count] if count <= 30 else rows[3] + [Node("p99", "LDN-99", [], ["j1"])]
    _, svg = build(rows)
    assert len(_boxes(svg)) == 13 + min(count, 31)
