"""Small crafted ONS-like TopoJSON files for load_areas tests: squares, no transform (absolute arcs)."""

import json
from pathlib import Path


def square(x: float, y: float, size: float = 1.0) -> list[list[float]]:
    return [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]


def topology(features: list[dict], *, extra_arcs: int = 0) -> dict:
    """``features``: {"code", "name", "ring"} (or "properties"/"type"/"arcs" given raw) → a TopoJSON topology."""
    arcs, geometries = [], []
    for f in features:
        g = {"type": f.get("type", "Polygon")}
        if "ring" in f:
            arcs.append(f["ring"])
            g["arcs"] = [[len(arcs) - 1]]
        else:
            g["arcs"] = f.get("arcs")
        g["properties"] = f.get("properties", {"AREACD": f.get("code"), "AREANM": f.get("name")})
        geometries.append(g)
    return {
        "type": "Topology",
        "objects": {"data": {"type": "GeometryCollection", "geometries": geometries}},
        "arcs": arcs,
    }


def write(path: Path, data) -> Path:
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


FORCES = [
    {"code": "E23000901", "name": "Northshire", "ring": square(0, 10, 10)},
    {"code": "E23000902", "name": "Southshire", "ring": square(0, 0, 10)},
]
CSPS = [
    {"code": "E22000901", "name": "North Town", "ring": square(1, 11)},
    {"code": "E22000902", "name": "North Vale", "ring": square(5, 15)},
    {"code": "E22000903", "name": "South Town", "ring": square(2, 2)},
]


def good_files(tmp_path: Path, *, csps=None, forces=None) -> tuple[Path, Path]:
    return (
        write(tmp_path / "csp.topojson", topology(CSPS if csps is None else csps)),
        write(tmp_path / "forces.topojson", topology(FORCES if forces is None else forces)),
    )
