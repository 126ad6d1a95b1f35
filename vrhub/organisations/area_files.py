"""Reading the ONS boundary files that ``load_areas`` loads: one TopoJSON file of Community Safety
Partnerships and one of police force areas (``data/boundaries``, see data/SOURCES.md).

Everything is checked before anything is written: the file's size (``AREA_FILE_MAX_BYTES``), that it is
JSON and a TopoJSON topology of polygons, that every feature has ``AREACD`` and ``AREANM``, that each code
matches the ONS pattern for the file's kind (``ons.py``), that no code is repeated and that no name is
longer than an organisation's name may be. Each problem names the file, the feature (counted from 1) and
the property.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError

from vrhub.core import geo
from vrhub.core.limits import size_text, text_limit
from vrhub.organisations import ons
from vrhub.organisations.models import Organisation

# The generalised ONS files are well under 1 MB; a full-resolution national file is about 15 MB.
AREA_FILE_MAX_BYTES = 25 * 1024 * 1024
# Problems listed in one error, at most (the count of the rest is given).
MAX_PROBLEMS = 50

KINDS = {
    "csp": ("Community Safety Partnership", ons.is_csp_code, "E22 or W14 and six digits"),
    "police_force": ("police force area", ons.is_police_force_code, "E23 or W15 and six digits"),
}


@dataclass(frozen=True)
class AreaFeature:
    index: int  # 1-based, as the errors count features
    code: str
    name: str
    geometry: dict[str, Any]


def _problem_error(problems: list[str]) -> ValidationError:
    shown = problems[:MAX_PROBLEMS]
    if len(problems) > MAX_PROBLEMS:
        shown.append(f"… and {len(problems) - MAX_PROBLEMS} more problems")
    return ValidationError(shown)


def _not_a_number(constant: str):
    raise ValueError(f"holds {constant}, which is not a number a boundary can have")


def _arcs_ok(arcs: Any, depth: int, count: int) -> bool:
    """Arc indexes nested ``depth`` lists deep (Polygon 2, MultiPolygon 3), each within the topology's arcs."""
    if not isinstance(arcs, list) or not arcs:
        return False
    if depth == 1:
        return all(isinstance(i, int) and not isinstance(i, bool) and -count <= i < count for i in arcs)
    return all(_arcs_ok(a, depth - 1, count) for a in arcs)


def read_area_file(path: str | Path, *, kind: str) -> list[AreaFeature]:
    """The features of an ONS TopoJSON file of ``kind`` ("csp" or "police_force"), checked; a ValidationError
    listing every problem (file, feature, property) otherwise."""
    label, code_ok, pattern = KINDS[kind]
    path = Path(path)
    name = path.name
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ValidationError(f"{name}: cannot be read ({exc.strerror or exc})") from exc
    if size > AREA_FILE_MAX_BYTES:
        raise ValidationError(
            f"{name}: the file is {size_text(size)}; "
            f"a boundary file must be {size_text(AREA_FILE_MAX_BYTES)} or smaller"
        )
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ValidationError(f"{name}: cannot be read ({exc.strerror or exc})") from exc
    try:
        data = json.loads(raw, parse_constant=_not_a_number)
    except UnicodeDecodeError as exc:
        raise ValidationError(f"{name}: is not UTF-8 text ({exc.reason})") from exc
    except json.JSONDecodeError as exc:
        raise ValidationError(f"{name}: is not JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})") from exc
    except ValueError as exc:
        raise ValidationError(f"{name}: {exc}") from exc
    except RecursionError as exc:
        raise ValidationError(f"{name}: is not JSON that can be read (nested too deeply)") from exc
    if not isinstance(data, dict) or data.get("type") != "Topology":
        raise ValidationError(f'{name}: is not a TopoJSON topology (no "type": "Topology")')
    objects, arcs = data.get("objects"), data.get("arcs")
    if not isinstance(objects, dict) or len(objects) != 1 or not isinstance(arcs, list):
        raise ValidationError(f"{name}: a TopoJSON file of {label}s with one object (layer) and its arcs is expected")
    transform = data.get("transform")
    if transform is not None and not (
        isinstance(transform, dict)
        and all(
            isinstance(transform.get(k), list)
            and len(transform[k]) == 2
            and all(isinstance(v, int | float) for v in transform[k])
            for k in ("scale", "translate")
        )
    ):
        raise ValidationError(f"{name}: the topology's transform must have a scale and a translate of two numbers")
    if not all(
        isinstance(arc, list)
        and all(isinstance(p, list) and len(p) >= 2 and all(isinstance(v, int | float) for v in p[:2]) for p in arc)
        for arc in arcs
    ):
        raise ValidationError(f"{name}: the topology's arcs are not lists of [x, y] positions")
    (layer,) = objects.values()
    geometries = layer.get("geometries") if isinstance(layer, dict) else None
    if not isinstance(geometries, list) or not geometries:
        raise ValidationError(f"{name}: the topology's object has no geometries (features)")

    problems: list[str] = []
    limit = text_limit(Organisation, "name") or 150
    seen: dict[str, int] = {}
    for number, g in enumerate(geometries, start=1):
        where = f"{name}, feature {number}"
        if not isinstance(g, dict):
            problems.append(f"{where}: is not a geometry object")
            continue
        props = g.get("properties")
        props = props if isinstance(props, dict) else {}
        code, area_name = props.get("AREACD"), props.get("AREANM")
        if not isinstance(code, str) or not code.strip():
            problems.append(f"{where}: AREACD (the ONS code) is missing")
        elif not code_ok(code.strip()):
            problems.append(f"{where}: AREACD “{code.strip()[:40]}” is not an ONS {label} code ({pattern})")
        elif code.strip() in seen:
            problems.append(f"{where}: AREACD {code.strip()} repeats feature {seen[code.strip()]}")
        else:
            seen[code.strip()] = number
        if not isinstance(area_name, str) or not area_name.strip():
            problems.append(f"{where}: AREANM (the name) is missing")
        elif len(area_name.strip()) > limit:
            problems.append(f"{where}: AREANM is {len(area_name.strip()):,} characters; {limit} at most")
        depth = {"Polygon": 2, "MultiPolygon": 3}.get(g.get("type"))  # type: ignore[arg-type]
        if depth is None:
            problems.append(f"{where}: type “{str(g.get('type'))[:40]}” is not a Polygon or MultiPolygon")
        elif not _arcs_ok(g.get("arcs"), depth, len(arcs)):
            problems.append(f"{where}: arcs are not a {g['type']}'s rings of arc indexes within the topology")
    if problems:
        raise _problem_error(problems)

    features = geo.topojson_features(data)
    out = []
    for number, (g, feature) in enumerate(zip(geometries, features, strict=True), start=1):
        geometry = geo.rounded(feature["geometry"], 6)
        if not geo.polygons(geometry) or not any(len(ring) >= 4 for p in geo.polygons(geometry) for ring in p[:1]):
            problems.append(f"{name}, feature {number}: the boundary has no ring of at least four positions")
            continue
        out.append(
            AreaFeature(
                index=number,
                code=g["properties"]["AREACD"].strip(),
                name=g["properties"]["AREANM"].strip(),
                geometry=geometry,
            )
        )
    if problems:
        raise _problem_error(problems)
    return out
