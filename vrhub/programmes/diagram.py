"""The logic model as an SVG diagram: pure (no queries, no Django), built from plain ``Node`` rows.

Rows are drawn top to bottom (overall impact, outcomes, objectives, interventions); each node names the nodes
of the row above it links to (``targets``) and each link is drawn as a line from the top of the node to the
bottom of its target. Links are told apart by their line pattern as well as their colour (solid, dashed,
dotted by level) and every box says in words what it links to, so nothing depends on colour. A row with more
nodes than fit across (the interventions) wraps onto further lines. The drawing scales with its ``viewBox``:
it is laid out for about 1,500 units across, so that at 1280 pixels the 12-unit text stays readable.
"""

import textwrap
from dataclasses import dataclass, field
from html import escape

WIDTH = 1500
MARGIN = 10
GAP_X = 12
ROW_GAP = 70  # vertical room between rows, where the links run
FONT = 13
LINE = 16  # line height
PAD = 8
BOX_MAX = 420  # a row of few boxes keeps them this wide at most, centred
PER_LINE = {"default": 8, "wrap": 10}
# Line pattern of the links into each row (index of the upper row): never colour alone.
PATTERNS = ["", "8 5", "2 4"]
STROKES = ["#0b0c0c", "#1d70b8", "#505a5f"]
FILLS = ["#f3f2f1", "#ffffff", "#ffffff", "#ffffff"]
BORDER = ["#0b0c0c", "#0b0c0c", "#1d70b8", "#505a5f"]


@dataclass
class Node:
    key: str
    heading: str
    lines: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)


@dataclass
class _Placed:
    node: Node
    x: float
    y: float
    w: float
    h: float
    text: list[tuple[str, bool]]  # (line, bold)


def _wrap(text: str, width: float) -> list[str]:
    chars = max(8, int((width - 2 * PAD) / (FONT * 0.6)))
    return textwrap.wrap(text, chars) or [""]


def _layout_row(nodes: list[Node], *, top: float, per_line: int) -> tuple[list[_Placed], float]:
    placed: list[_Placed] = []
    y = top
    for start in range(0, len(nodes), per_line):
        chunk = nodes[start : start + per_line]
        w = min(BOX_MAX, (WIDTH - 2 * MARGIN - GAP_X * (per_line - 1)) / per_line)
        used = len(chunk) * w + GAP_X * (len(chunk) - 1)
        x = (WIDTH - used) / 2
        boxes = []
        for node in chunk:
            text = [(line, True) for line in _wrap(node.heading, w)]
            for extra in node.lines:
                text.extend((line, False) for line in _wrap(extra, w))
            boxes.append(_Placed(node, x, y, w, 0, text))
            x += w + GAP_X
        h = max(len(b.text) for b in boxes) * LINE + 2 * PAD
        for b in boxes:
            b.h = h
        placed.extend(boxes)
        y += h + (GAP_X * 2 if start + per_line < len(nodes) else 0)
    return placed, y


def build_svg(*, title: str, description: str, rows: list[list[Node]], legend: list[str], ident: str = "logic") -> str:
    """The SVG markup (every text escaped). ``rows`` top to bottom; ``legend`` names the links into each row
    below the first (``legend[i]`` for the links from row ``i + 1`` up to row ``i``)."""
    placed_rows: list[list[_Placed]] = []
    y = MARGIN + LINE * (len(legend) + 1)
    for index, nodes in enumerate(rows):
        per_line = PER_LINE["wrap"] if index == len(rows) - 1 else PER_LINE["default"]
        per_line = max(1, min(per_line, len(nodes))) if nodes else 1
        placed, bottom = _layout_row(nodes, top=y, per_line=per_line)
        if not nodes:
            bottom = y + LINE + 2 * PAD
        placed_rows.append(placed)
        y = bottom + ROW_GAP
    height = y - ROW_GAP + MARGIN

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:.0f}" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" class="app-logic-diagram" width="100%" '
        f'preserveAspectRatio="xMidYMin meet" font-family="Arial, sans-serif" font-size="{FONT}">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(description)}</desc>',
    ]
    # The legend: each kind of link by its line pattern and its words.
    for i, words in enumerate(legend):
        ly = MARGIN + LINE * (i + 0.5)
        dash = f' stroke-dasharray="{PATTERNS[i % len(PATTERNS)]}"' if PATTERNS[i % len(PATTERNS)] else ""
        out.append(
            f'<line x1="{MARGIN}" y1="{ly:.1f}" x2="{MARGIN + 50}" y2="{ly:.1f}" stroke="{STROKES[i % 3]}" '
            f'stroke-width="2"{dash}/>'
        )
        out.append(f'<text x="{MARGIN + 60}" y="{ly + 4:.1f}">{escape(words)}</text>')
    # Links first, so that boxes are drawn over their ends.
    where = {p.node.key: p for row in placed_rows for p in row}
    for index in range(1, len(placed_rows)):
        pattern = PATTERNS[(index - 1) % len(PATTERNS)]
        dash = f' stroke-dasharray="{pattern}"' if pattern else ""
        for p in placed_rows[index]:
            for key in p.node.targets:
                target = where.get(key)
                if target is None:
                    continue
                out.append(
                    f'<line x1="{p.x + p.w / 2:.1f}" y1="{p.y:.1f}" x2="{target.x + target.w / 2:.1f}" '
                    f'y2="{target.y + target.h:.1f}" stroke="{STROKES[(index - 1) % 3]}" stroke-width="1.5"{dash} '
                    f'data-link="{escape(p.node.key)}-{escape(key)}"/>'
                )
    for index, row in enumerate(placed_rows):
        for p in row:
            out.append(
                f'<g data-node="{escape(p.node.key)}"><rect x="{p.x:.1f}" y="{p.y:.1f}" width="{p.w:.1f}" '
                f'height="{p.h:.1f}" rx="3" fill="{FILLS[index % 4]}" stroke="{BORDER[index % 4]}" '
                f'stroke-width="{2 if index < 3 else 1}"/>'
            )
            for n, (line, bold) in enumerate(p.text):
                weight = ' font-weight="bold"' if bold else ""
                out.append(
                    f'<text x="{p.x + PAD:.1f}" y="{p.y + PAD + LINE * (n + 1) - 3:.1f}"{weight}>{escape(line)}</text>'
                )
            out.append("</g>")
    out.append("</svg>")
    return "\n".join(out)
