"""Boundaries (GeoJSON or TopoJSON) for LSOAs, wards, boroughs/CSPs and police force areas.

The level of each feature follows its ONS code (E01/W01 LSOA, E05/W05 ward, E06–E09/W06 local
authority, E22/W22 CSP, E23/W15 police force area). After each load the LSOA-to-ward lookup is
derived again: each LSOA goes to the ward that holds its interior point (a best fit, recorded as
such); LSOAs that no ward holds are reported.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from vrhub.core import geo
from vrhub.evidence import store
from vrhub.evidence.loaders import (
    LoadSummary,
    Progress,
    Reject,
    expand_paths,
    fingerprint,
    load_session,
    report,
    store_file_rejects,
)

LEVELS = {
    "E01": "lsoa",
    "W01": "lsoa",
    "E05": "ward",
    "W05": "ward",
    "E06": "lad",
    "E07": "lad",
    "E08": "lad",
    "E09": "lad",
    "W06": "lad",
    "E22": "csp",
    "W22": "csp",
    "W14": "csp",
    "S12": "lad",
    "N09": "lad",
    "E23": "force",
    "W15": "force",
}


PARENT_KEYS = ("LADCD_ACTIVE", "LAD25CD", "LAD24CD", "LAD23CD", "LAD22CD", "LAD21CD", "LADCD")
NOT_CODES = {"UTLACD", "CAUTHCD", "RGNCD", *PARENT_KEYS}


def _code_name_parent(props: dict[str, Any]) -> tuple[str | None, str | None, str | None]:
    """The feature's own code and name (``XXnnCD``/``XXnnNM``, ``AREACD``/``AREANM``) and its parent LAD."""
    code_key = next(
        (k for k in props if k.upper().endswith("CD") and k.upper() not in NOT_CODES and isinstance(props[k], str)),
        None,
    )
    if code_key is None:  # a local authority file: its LADnnCD is its own code
        code_key = next((k for k in PARENT_KEYS if isinstance(props.get(k), str)), None)
    if code_key is None:
        return None, None, None
    code = props[code_key].strip()
    name = props.get(code_key[:-2] + "NM") or props.get(code_key[:-2] + "nm") or code
    parent = next((props[k].strip() for k in PARENT_KEYS if isinstance(props.get(k), str) and k != code_key), None)
    return code, str(name).strip(), parent


def load_boundaries(
    *, paths: list[str | Path], progress: Progress | None = None, wait: float | None = None
) -> LoadSummary:
    files = expand_paths(paths, pattern="*json")
    summary = LoadSummary(files=len(files))
    # Boundaries are parsed in Python: the session needs no file access at all.
    with load_session(kind="boundaries", files=[], progress=progress, wait=wait) as con:
        seen = {
            r["fingerprint"]
            for r in store.rows(con, "SELECT DISTINCT fingerprint FROM loads WHERE kind = 'boundaries'")
        }
        for number, path in enumerate(files):
            report(progress, f"Loading {path.name}", 0.8 * number / max(len(files), 1))
            if not path.is_file():
                summary.rejected.append(Reject(file=str(path), line=1, reason="No such file"))
                continue
            print_ = fingerprint(path)
            if print_ in seen:
                summary.already_loaded.append(str(path))
                continue
            seen.add(print_)
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                features = geo.topojson_features(data) if data.get("type") == "Topology" else data["features"]
                if not isinstance(features, list) or not all(isinstance(f, dict) for f in features):
                    raise ValueError("its features are not a list of objects")
            except (ValueError, KeyError, TypeError, IndexError, AttributeError) as exc:
                summary.rejected.append(Reject(file=str(path), line=1, reason=f"Not GeoJSON or TopoJSON: {exc}"))
                continue
            records = []
            for index, feature in enumerate(features, start=1):
                props = feature.get("properties")
                code, name, parent = _code_name_parent(props if isinstance(props, dict) else {})
                level = LEVELS.get((code or "")[:3])
                geometry = feature.get("geometry")
                if not code or level is None:
                    summary.rejected.append(
                        Reject(file=str(path), line=index, reason=f"Feature {index}: no recognised ONS code ({code!r})")
                    )
                    continue
                if (
                    not isinstance(geometry, dict)
                    or geometry.get("type") not in {"Polygon", "MultiPolygon"}
                    or not geo.well_formed(geometry)
                ):
                    summary.rejected.append(
                        Reject(
                            file=str(path), line=index, reason=f"Feature {index} ({code}): not a well-formed polygon"
                        )
                    )
                    continue
                if level == "lad" and parent:
                    parent = None
                records.append((level, code, name, parent, json.dumps(geo.rounded(geometry), separators=(",", ":"))))
            summary.rows += len(features)
            summary.loaded += len(records)
            with store.transaction(con):
                batch = store.scalar(con, "SELECT nextval('batch_seq')")
                con.execute(
                    "CREATE OR REPLACE TEMP TABLE new_geo (level VARCHAR, code VARCHAR, name VARCHAR, "
                    "parent_code VARCHAR, geojson VARCHAR)"
                )
                if records:
                    con.executemany("INSERT INTO new_geo VALUES (?, ?, ?, ?, ?)", records)
                con.execute("DELETE FROM geometries WHERE code IN (SELECT code FROM new_geo)")
                con.execute("DELETE FROM areas WHERE code IN (SELECT code FROM new_geo)")
                con.execute("INSERT INTO geometries SELECT * FROM new_geo")
                con.execute("INSERT INTO areas SELECT code, name, level, parent_code FROM new_geo")
                con.execute(
                    "INSERT INTO loads VALUES ($b, 'boundaries', $f, $p, now(), $r, $l, 0, 0, $j, false)",
                    {
                        "b": batch,
                        "f": str(path),
                        "p": print_,
                        "r": len(features),
                        "l": len(records),
                        "j": len(features) - len(records),
                    },
                )
                con.execute("DROP TABLE new_geo")
        store_file_rejects(con, kind="boundaries", rejects=summary.rejected)
        report(progress, "Deriving the LSOA-to-ward lookup", 0.85)
        unmatched = derive_lsoa_ward(con)
    if unmatched:
        summary.notes.append(
            f"{len(unmatched)} LSOAs lie in no loaded ward (best fit not possible): {', '.join(unmatched[:10])}"
            + (" …" if len(unmatched) > 10 else "")
        )
    if summary.already_loaded:
        summary.notes.append("Files already loaded were skipped: loading them again changes nothing.")
    report(progress, "Done", 1.0)
    return summary


def derive_lsoa_ward(con) -> list[str]:
    """Rebuild ``lsoa_ward``: the ward holding each LSOA's interior point. Returns unmatched LSOAs."""
    wards = [
        (r["code"], r["parent_code"], json.loads(r["geojson"]))
        for r in store.rows(con, "SELECT code, parent_code, geojson FROM geometries WHERE level = 'ward'")
    ]
    lsoas = store.rows(con, "SELECT code, parent_code, geojson FROM geometries WHERE level = 'lsoa'")
    if not wards or not lsoas:
        return []
    boxes = [(code, parent, geometry, geo.bbox(geometry)) for code, parent, geometry in wards]
    matched = []
    unmatched = []
    for lsoa in lsoas:
        geometry = json.loads(lsoa["geojson"])
        x, y = geo.interior_point(geometry)
        ward = next(
            (
                (code, parent)
                for code, parent, g, (x0, y0, x1, y1) in boxes
                if x0 <= x <= x1 and y0 <= y <= y1 and geo.contains(g, x, y)
            ),
            None,
        )
        if ward is None:
            unmatched.append(lsoa["code"])
            continue
        matched.append((lsoa["code"], ward[0], lsoa["parent_code"] or ward[1], "best fit: interior point"))
    with store.transaction(con):
        con.execute("DELETE FROM lsoa_ward")
        if matched:
            con.executemany("INSERT INTO lsoa_ward VALUES (?, ?, ?, ?)", matched)
    return sorted(unmatched)
