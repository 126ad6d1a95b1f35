"""Pure geometry for street-level hotspot maps: a local projection, a hexagonal grid, SVG paths.

Projection: equirectangular at the area's own latitude (x = R·cos φ0·(λ − λ0), y = R·(φ − φ0), R the
mean Earth radius). Over a borough or a police force the distortion is far below the hexagon size
(under 0.5 % of a distance across London). Hexagons are "pointy-top", in axial coordinates (q, r);
``cell_m`` is the distance between neighbouring centres (the hexagon's width across its flat sides).
The same arithmetic runs in DuckDB (selectors.HEX_SQL) for the binning; this module draws.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

EARTH_RADIUS_M = 6_371_008.8  # mean radius (IUGG)
METRES_PER_DEGREE = EARTH_RADIUS_M * math.pi / 180
SQRT3 = math.sqrt(3)
CELL_SIZES_M = (150, 250, 500)


@dataclass(frozen=True)
class Projection:
    lon0: float
    lat0: float

    @property
    def kx(self) -> float:
        """Metres per degree of longitude at the reference latitude."""
        return METRES_PER_DEGREE * math.cos(math.radians(self.lat0))

    @property
    def ky(self) -> float:
        return METRES_PER_DEGREE

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        return (lon - self.lon0) * self.kx, (lat - self.lat0) * self.ky

    def lonlat(self, x: float, y: float) -> tuple[float, float]:
        return self.lon0 + x / self.kx, self.lat0 + y / self.ky


def circumradius(cell_m: float) -> float:
    """A pointy-top hexagon's centre-to-corner distance, from the distance between neighbouring centres."""
    return cell_m / SQRT3


def hex_round(qf: float, rf: float) -> tuple[int, int]:
    """The hexagon (axial q, r) holding fractional axial coordinates (cube rounding)."""
    sf = -qf - rf
    q, r, s = round(qf), round(rf), round(sf)
    dq, dr, ds = abs(q - qf), abs(r - rf), abs(s - sf)
    if dq > dr and dq > ds:
        q = -r - s
    elif dr > ds:
        r = -q - s
    return int(q), int(r)


def hex_of(x: float, y: float, cell_m: float) -> tuple[int, int]:
    size = circumradius(cell_m)
    return hex_round((SQRT3 / 3 * x - y / 3) / size, (2 / 3 * y) / size)


def hex_centre(q: int, r: int, cell_m: float) -> tuple[float, float]:
    size = circumradius(cell_m)
    return size * SQRT3 * (q + r / 2), size * 1.5 * r


def hex_corners(q: int, r: int, cell_m: float) -> list[tuple[float, float]]:
    cx, cy = hex_centre(q, r, cell_m)
    size = circumradius(cell_m)
    return [
        (cx + size * math.cos(math.radians(60 * i - 30)), cy + size * math.sin(math.radians(60 * i - 30)))
        for i in range(6)
    ]


@dataclass(frozen=True)
class Frame:
    """Projected metres → SVG pixels (y down), keeping the aspect ratio."""

    x0: float
    y1: float
    scale: float
    width: int
    height: int
    pad: int = 8

    @classmethod
    def fit(cls, bounds: tuple[float, float, float, float], width: int = 720, max_height: int = 640) -> Frame:
        x0, y0, x1, y1 = bounds
        span_x, span_y = max(x1 - x0, 1.0), max(y1 - y0, 1.0)
        pad = 8
        scale = min((width - 2 * pad) / span_x, (max_height - 2 * pad) / span_y)
        height = int(span_y * scale) + 2 * pad
        return cls(x0=x0, y1=y1, scale=scale, width=int(span_x * scale) + 2 * pad, height=height, pad=pad)

    def px(self, x: float, y: float) -> tuple[float, float]:
        return round(self.pad + (x - self.x0) * self.scale, 1), round(self.pad + (self.y1 - y) * self.scale, 1)


def rings(geometry: dict[str, Any]) -> list[list[list[float]]]:
    """Every ring of a GeoJSON Polygon or MultiPolygon."""
    if geometry.get("type") == "Polygon":
        return list(geometry["coordinates"])
    if geometry.get("type") == "MultiPolygon":
        return [ring for polygon in geometry["coordinates"] for ring in polygon]
    return []


def bounds_of(points: list[tuple[float, float]]) -> tuple[float, float, float, float] | None:
    if not points:
        return None
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def svg_path(geometry: dict[str, Any], projection: Projection, frame: Frame) -> str:
    """An SVG path ("M x,y L … Z" per ring) for a GeoJSON polygon."""
    parts = []
    for ring in rings(geometry):
        if len(ring) < 3:
            continue
        coords = [frame.px(*projection.xy(lon, lat)) for lon, lat, *_ in ring]
        parts.append("M" + " L".join(f"{x},{y}" for x, y in coords) + " Z")
    return " ".join(parts)


CLASSES = 5  # shading classes (each also has its own outline weight; the top hexagons are numbered)


def class_breaks(counts: list[int], classes: int = CLASSES) -> list[int]:
    """Upper bounds of up to ``classes`` shading classes (quantiles of the hexagon counts, distinct).

    Break k (k = 1 … classes − 1) is the smallest count with more than k/classes of the hexagons at or
    below it (the sorted counts' item ⌊n·k/classes⌋); the largest count closes the last class; equal
    breaks are merged, so a few distinct counts give fewer classes.
    """
    if not counts:
        return []
    ordered = sorted(counts)
    bounds = sorted({ordered[min(len(ordered) - 1, (len(ordered) * k) // classes)] for k in range(1, classes)})
    bounds = [b for b in bounds if b < ordered[-1]] + [ordered[-1]]
    return bounds


def hotspot_svg(result: dict[str, Any], *, numbered: int = 20) -> dict[str, Any]:
    """Everything the template draws for a hotspots result: frame, boundaries, hexagons, legend."""
    hexes = result.get("hexes") or []
    if not hexes:
        return {}
    projection = Projection(lon0=result["projection"]["lon0"], lat0=result["projection"]["lat0"])
    cell_m = result["cell_m"]
    corners = {(h["q"], h["r"]): hex_corners(h["q"], h["r"], cell_m) for h in hexes}
    outline = result.get("outline")
    if outline:
        # The map shows the area (with a margin of two hexagons): points recorded far outside it (a
        # force's crimes elsewhere) would shrink the area to a corner. Those are counted, not drawn.
        x0, y0, x1, y1 = bounds_of(
            [projection.xy(lon, lat) for ring in rings(outline["geometry"]) for lon, lat, *_ in ring]
        ) or (0.0, 0.0, 1.0, 1.0)
        margin = 2 * cell_m
        box = (x0 - margin, y0 - margin, x1 + margin, y1 + margin)
    else:
        box = bounds_of([c for cs in corners.values() for c in cs]) or (0.0, 0.0, 1.0, 1.0)
    inside = [h for h in hexes if _within(hex_centre(h["q"], h["r"], cell_m), box)]
    drawn_keys = {(h["q"], h["r"]) for h in inside}
    outside = [h for h in hexes if (h["q"], h["r"]) not in drawn_keys]
    hexes = inside
    frame = Frame.fit(box)
    breaks = class_breaks([h["n"] for h in inside + outside])
    legend, low = [], 1
    for k, high in enumerate(breaks, start=1):
        legend.append({"k": k, "label": f"{low:,}" if low == high else f"{low:,} to {high:,}"})
        low = high + 1
    drawn = []
    for h in sorted(hexes, key=lambda h: (h["n"], -h["rank"])):  # the busiest last, on top
        k = next(i for i, b in enumerate(breaks, start=1) if h["n"] <= b)
        cx, cy = frame.px(*hex_centre(h["q"], h["r"], cell_m))
        drawn.append(
            {
                "points": " ".join(f"{x},{y}" for x, y in (frame.px(*c) for c in corners[(h["q"], h["r"])])),
                "k": k,
                "n": h["n"],
                "rank": h["rank"],
                "label": h["rank"] if h["rank"] <= numbered else None,
                "x": cx,
                "y": cy,
                "dark": k >= CLASSES - 1,
            }
        )
    return {
        "width": frame.width,
        "height": frame.height,
        "outline": svg_path(outline["geometry"], projection, frame) if outline else "",
        "boundaries": [
            {"name": b["name"], "code": b["code"], "d": svg_path(b["geometry"], projection, frame)}
            for b in result.get("boundaries", [])
        ],
        "hexes": drawn,
        "outside": {"hexes": len(outside), "n": sum(h["n"] for h in outside)},
        "legend": legend,
        "label_size": max(9, min(14, round(circumradius(cell_m) * frame.scale * 0.8))),
        "scale_bar": {"px": round(1000 * frame.scale, 1), "label": "1 km"}
        if 1000 * frame.scale < frame.width * 0.6
        else {"px": round(cell_m * frame.scale, 1), "label": f"{cell_m} m"},
    }


def _within(point: tuple[float, float], box: tuple[float, float, float, float]) -> bool:
    return box[0] <= point[0] <= box[2] and box[1] <= point[1] <= box[3]
