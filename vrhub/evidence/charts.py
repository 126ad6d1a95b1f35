"""Server-rendered SVG line charts (no script needed; the page gives a table alternative too)."""

from __future__ import annotations

from typing import Any

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 56, 12, 12, 36


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def line_chart(series: list[dict[str, Any]]) -> dict[str, Any]:
    """Coordinates for a monthly series: a polyline, point markers, axis ticks."""
    if not series:
        return {}
    top = _nice_max(max(r["value"] for r in series))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(series) - 1, 1)
    points = []
    for i, r in enumerate(series):
        x = LEFT + i * step
        y = TOP + plot_h * (1 - r["value"] / top)
        points.append({"x": round(x, 1), "y": round(y, 1), "month": r["month"], "value": r["value"]})
    every = max(1, len(series) // 8)
    x_ticks = [p for i, p in enumerate(points) if i % every == 0]
    y_ticks = [{"y": round(TOP + plot_h * (1 - k / 4), 1), "label": f"{top * k / 4:,.0f}"} for k in range(5)]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "bottom": HEIGHT - BOTTOM,
        "right": WIDTH - RIGHT,
        "polyline": " ".join(f"{p['x']},{p['y']}" for p in points),
        "points": points if len(points) <= 60 else [],
        "x_ticks": x_ticks,
        "y_ticks": y_ticks,
    }
