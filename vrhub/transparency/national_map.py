"""The national view's map: each CSP area drawn from its stored boundary (``organisations.Boundary``, GeoJSON in
longitude and latitude) as an SVG path, on the server; no tiles, no script.

Each status has its own pattern AND its own shade of one blue (darkest: both published; lightest: neither), so
no status is told apart by colour alone (WCAG 1.4.1); the legend names both in words, and the table beside the
map is its text alternative. ``tests/transparency/test_national.py`` checks the shades' contrast.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe

from vrhub.core import geo
from vrhub.transparency.national_selectors import (
    NEITHER,
    PLAN_AND_STRATEGY,
    PLAN_ONLY,
    STATUS_LABELS,
    STRATEGY_ONLY,
    AreaRow,
)

OUTLINE = "#505a5f"  # area outlines (7:1 against white)
WIDTH = 600  # the map's width in CSS pixels; its height follows the areas' shape, at most MAX_HEIGHT
MAX_HEIGHT = 720
PAD = 4
# SVG user units per CSS pixel: paths are drawn in whole units (short, integer coordinates), so a tenth of a
# pixel is the finest step. Points closer than MIN_STEP units to the last one kept are dropped.
UNIT = 10
MIN_STEP = 7


@dataclass(frozen=True)
class MapStyle:
    status: str
    fill: str  # the shade under the pattern
    marks: SafeString  # the pattern's marks in a 6 x 6 tile (constant markup, never user text)
    words: str  # pattern and shade in words, for the legend

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def pattern_id(self) -> str:
        return f"national-{self.status}"


STYLES: tuple[MapStyle, ...] = (
    MapStyle(PLAN_AND_STRATEGY, "#0b3b68", mark_safe(""), "solid, darkest shade"),
    MapStyle(
        PLAN_ONLY,
        "#1d70b8",
        mark_safe('<path d="M-1 1L1 -1M0 6L6 0M5 7L7 5" stroke="#ffffff" stroke-width="1.5"/>'),
        "white diagonal stripes on a mid shade",
    ),
    MapStyle(
        STRATEGY_ONLY,
        "#9dc3e6",
        mark_safe('<circle cx="3" cy="3" r="1.4" fill="#0b3b68"/>'),
        "dark dots on a light shade",
    ),
    MapStyle(NEITHER, "#ffffff", mark_safe(""), "plain white, outlined"),
)
BY_STATUS = {s.status: s for s in STYLES}


@dataclass(frozen=True)
class MapShape:
    code: str
    name: str
    status: str
    d: str

    @property
    def style(self) -> MapStyle:
        return BY_STATUS[self.status]


@dataclass(frozen=True)
class NationalMap:
    width: int
    height: int
    shapes: list[MapShape]
    legend: list[tuple[MapStyle, int]]  # each status with the number of areas drawn in it
    without_boundary: list[str]  # names of areas in the table that have no boundary to draw

    def paths(self) -> SafeString:
        """Every area's ``<path>`` with its status and a tooltip (escaped): made here rather than in a template
        loop, which took most of the page's time for the 314 areas of England and Wales."""
        return format_html_join(
            "\n",
            '<path data-area="{}" data-status="{}" fill="url(#{})" d="{}"><title>{}: {}</title></path>',
            ((s.code, s.status, s.style.pattern_id, s.d, s.name, s.style.label.lower()) for s in self.shapes),
        )

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width * UNIT} {self.height * UNIT}"


def _frame(geometries: Sequence[dict[str, Any]]) -> tuple[float, float, float, float, int, int]:
    """(x0, y1, cosine stretch, scale in units per degree, width, height) fitting every geometry in
    WIDTH x MAX_HEIGHT pixels. Equirectangular, stretched by the cosine of the middle latitude: true enough
    for England and Wales."""
    x0 = y0 = math.inf
    x1 = y1 = -math.inf
    for g in geometries:
        for polygon in geo.polygons(g):
            for ring in polygon:
                xs = [p[0] for p in ring]
                ys = [p[1] for p in ring]
                x0, x1, y0, y1 = min(x0, *xs), max(x1, *xs), min(y0, *ys), max(y1, *ys)
    k = math.cos(math.radians((y0 + y1) / 2))
    span_x, span_y = max((x1 - x0) * k, 1e-9), max(y1 - y0, 1e-9)
    scale = min((WIDTH - 2 * PAD) / span_x, (MAX_HEIGHT - 2 * PAD) / span_y)
    width = math.ceil(span_x * scale + 2 * PAD)
    height = math.ceil(span_y * scale + 2 * PAD)
    return x0, y1, k, scale * UNIT, width, height


def _path(geometry: dict[str, Any], *, x0: float, y1: float, k: float, scale: float) -> str:
    """The geometry as SVG path data in whole units: an absolute move to each ring's start, then relative
    lines (from rounded positions, so rounding never drifts)."""
    pad = PAD * UNIT
    parts: list[str] = []
    for polygon in geo.polygons(geometry):
        for ring in polygon:
            kept: list[tuple[int, int]] = []
            last_x = last_y = -(10**9)
            for point in ring:
                x = round(pad + (point[0] - x0) * k * scale)
                y = round(pad + (y1 - point[1]) * scale)
                if abs(x - last_x) < MIN_STEP and abs(y - last_y) < MIN_STEP:
                    continue
                kept.append((x, y))
                last_x, last_y = x, y
            if len(kept) < 3:
                continue
            steps = " ".join(f"{b[0] - a[0]} {b[1] - a[1]}" for a, b in zip(kept, kept[1:], strict=False))
            parts.append(f"M{kept[0][0]} {kept[0][1]}l{steps}z")
    return "".join(parts)


def national_map(*, areas: Sequence[AreaRow], boundaries: Mapping[str, dict[str, Any]]) -> NationalMap | None:
    """The map of ``areas`` (the table's rows) from their ``boundaries`` (area code → GeoJSON geometry, from
    ``national_selectors.area_boundaries``); None when none of them has a well-formed boundary."""
    drawn: list[tuple[AreaRow, dict[str, Any]]] = []
    for a in areas:
        geometry = boundaries.get(a.code)
        if isinstance(geometry, dict) and geometry.get("type") in ("Polygon", "MultiPolygon"):
            drawn.append((a, geometry))
    if not drawn:
        return None
    try:
        x0, y1, k, scale, width, height = _frame([g for _a, g in drawn])
        shapes = [
            MapShape(code=a.code, name=a.name, status=a.status, d=_path(g, x0=x0, y1=y1, k=k, scale=scale))
            for a, g in drawn
        ]
    except (TypeError, IndexError, KeyError, ValueError):
        # A stored geometry that is not GeoJSON coordinates: no map rather than a broken page.
        return None
    shapes = [s for s in shapes if s.d]
    if not shapes:
        return None
    counts = {s.status: 0 for s in STYLES}
    for s in shapes:
        counts[s.status] += 1
    shown = {s.code for s in shapes}
    return NationalMap(
        width=width,
        height=height,
        shapes=shapes,
        legend=[(style, counts[style.status]) for style in STYLES],
        without_boundary=[a.name for a in areas if a.code not in shown],
    )
