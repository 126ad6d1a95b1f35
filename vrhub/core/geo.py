"""Small, dependency-free geometry: TopoJSON decoding, interior points, point-in-polygon."""

from __future__ import annotations

from typing import Any

Ring = list[list[float]]


def topojson_features(topology: dict[str, Any]) -> list[dict[str, Any]]:
    """Every object of a TopoJSON topology as GeoJSON features (quantised arcs decoded)."""
    transform = topology.get("transform")
    arcs: list[Ring] = []
    for arc in topology["arcs"]:
        points: Ring = []
        x = y = 0.0
        for position in arc:
            if transform:
                x += position[0]
                y += position[1]
                sx, sy = transform["scale"]
                tx, ty = transform["translate"]
                points.append([x * sx + tx, y * sy + ty])
            else:
                points.append([float(position[0]), float(position[1])])
        arcs.append(points)

    def ring(indexes: list[int]) -> Ring:
        out: Ring = []
        for index in indexes:
            points = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
            out.extend(points if not out else points[1:])
        return out

    features = []
    for obj in topology["objects"].values():
        geometries = obj["geometries"] if obj.get("type") == "GeometryCollection" else [obj]
        for g in geometries:
            if g["type"] == "Polygon":
                geometry = {"type": "Polygon", "coordinates": [ring(r) for r in g["arcs"]]}
            elif g["type"] == "MultiPolygon":
                geometry = {"type": "MultiPolygon", "coordinates": [[ring(r) for r in p] for p in g["arcs"]]}
            else:
                continue
            features.append({"type": "Feature", "properties": g.get("properties", {}), "geometry": geometry})
    return features


def well_formed(geometry: dict[str, Any]) -> bool:
    """A Polygon/MultiPolygon of polygons, each a non-empty list of non-empty rings of [x, y] numbers.

    Degenerate rings (a tiny island generalised to two points) are allowed: the geometry helpers
    cope with them; missing or non-numeric coordinates are not.
    """

    def ring_ok(ring: Any) -> bool:
        return (
            isinstance(ring, list)
            and bool(ring)
            and all(
                isinstance(p, list) and len(p) >= 2 and all(isinstance(v, int | float) for v in p[:2]) for p in ring
            )
        )

    def polygon_ok(polygon: Any) -> bool:
        return isinstance(polygon, list) and bool(polygon) and all(ring_ok(r) for r in polygon)

    coordinates = geometry.get("coordinates")
    if geometry.get("type") == "Polygon":
        return polygon_ok(coordinates)
    return isinstance(coordinates, list) and bool(coordinates) and all(polygon_ok(p) for p in coordinates)


def polygons(geometry: dict[str, Any]) -> list[list[Ring]]:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["coordinates"]
    return []


def ring_area(ring: Ring) -> float:
    return sum(ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1] for i in range(len(ring) - 1)) / 2


def _in_ring(x: float, y: float, ring: Ring) -> bool:
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i][0], ring[i][1]
        xj, yj = ring[j][0], ring[j][1]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def contains(geometry: dict[str, Any], x: float, y: float) -> bool:
    for polygon in polygons(geometry):
        if polygon and _in_ring(x, y, polygon[0]) and not any(_in_ring(x, y, hole) for hole in polygon[1:]):
            return True
    return False


def bbox(geometry: dict[str, Any]) -> tuple[float, float, float, float]:
    xs = [p[0] for polygon in polygons(geometry) for ring in polygon for p in ring]
    ys = [p[1] for polygon in polygons(geometry) for ring in polygon for p in ring]
    return min(xs), min(ys), max(xs), max(ys)


def interior_point(geometry: dict[str, Any]) -> tuple[float, float]:
    """A point inside the geometry: the largest polygon's centroid if inside, else the middle of the
    widest stretch of a horizontal line through it."""
    largest = max(polygons(geometry), key=lambda p: abs(ring_area(p[0])))
    outer = largest[0]
    area = ring_area(outer)
    if area:
        cx = cy = 0.0
        for i in range(len(outer) - 1):
            cross = outer[i][0] * outer[i + 1][1] - outer[i + 1][0] * outer[i][1]
            cx += (outer[i][0] + outer[i + 1][0]) * cross
            cy += (outer[i][1] + outer[i + 1][1]) * cross
        cx, cy = cx / (6 * area), cy / (6 * area)
    else:
        cx, cy = outer[0][0], outer[0][1]
    single = {"type": "Polygon", "coordinates": largest}
    if contains(single, cx, cy):
        return cx, cy
    crossings = []
    for ring in largest:
        for i in range(len(ring) - 1):
            (x1, y1), (x2, y2) = ring[i][:2], ring[i + 1][:2]
            if (y1 > cy) != (y2 > cy):
                crossings.append(x1 + (cy - y1) * (x2 - x1) / (y2 - y1))
    crossings.sort()
    best = None
    for a, b in zip(crossings[0::2], crossings[1::2], strict=False):
        if best is None or b - a > best[1] - best[0]:
            best = (a, b)
    return ((best[0] + best[1]) / 2, cy) if best else (cx, cy)


def rounded(geometry: dict[str, Any], places: int = 5) -> dict[str, Any]:
    def r(value: Any) -> Any:
        if isinstance(value, list):
            return [r(v) for v in value]
        return round(value, places) if isinstance(value, float) else value

    return {"type": geometry["type"], "coordinates": r(geometry["coordinates"])}
