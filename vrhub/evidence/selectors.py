# ruff: noqa: S608 - SQL text here is built from this module's constants only; every input is a parameter.
"""Reads from the evidence store: areas, measures, trends, multiple-need rankings, map layers."""

from __future__ import annotations

import copy
import datetime as dt
import json
import math
from dataclasses import dataclass, field
from typing import Any

from vrhub.evidence import store

FAMILIES = {
    "police.uk": ("police_uk",),
    "mps": ("mps_lsoa", "mps_ward", "mps_borough", "mps_dashboard"),
    "istv": ("istv",),
}
SOURCE_LABELS = {
    "police.uk": "data.police.uk street-level crime",
    "mps": "Metropolitan Police recorded crime (London Datastore)",
    "istv": "ISTV A&E assault attendances",
}
LEVEL_LABELS = {"lsoa": "LSOA", "ward": "ward", "borough": "borough", "force": "police force", "london": "London"}


# The longest input each selector accepts (an error names the limit).
AREA_CODE_MAX = 12  # ONS codes are 9 characters; "LONDON" and a little slack
MEASURE_MAX = 200
PERIOD_MAX = 15  # YYYY-MM:YYYY-MM


class EvidenceError(ValueError):
    """A request the store cannot answer (unknown area or measure, bad period)."""


def _bounded(value: str, *, what: str, limit: int) -> str:
    if len(value) > limit:
        raise EvidenceError(f"{what} is at most {limit} characters; this one has {len(value)}")
    return value


def loads_by_kind() -> list[dict[str, Any]]:
    """What has been loaded, by kind: files, rows, rejects, when (empty before the first load)."""
    with store.connect() as con:
        return store.rows(
            con,
            """SELECT kind, count(*) AS files, sum(rows) AS rows, sum(loaded) AS loaded, sum(rejected) AS rejected,
                      max(loaded_at) AS last, bool_or(coalesce(synthetic, false)) AS synthetic
               FROM loads GROUP BY kind ORDER BY kind""",
        )


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    level: str  # lsoa, ward, borough, force, london


@dataclass(frozen=True)
class Measure:
    family: str
    category: str
    subcategory: str | None
    synthetic: bool = field(default=False, compare=False)  # any of its data synthetic

    @property
    def name(self) -> str:
        return self.category + (f"/{self.subcategory}" if self.subcategory else "")

    @property
    def qualified(self) -> str:
        return f"{self.family}:{self.name}"

    @property
    def label(self) -> str:
        return f"{self.name} ({self.family})" + (" – Synthetic" if self.synthetic else "")


def area_get(*, code: str) -> Area:
    code = _bounded(code.strip(), what="An area code", limit=AREA_CODE_MAX)
    if code.upper() in {store.LONDON_CODE, "LONDON"}:
        return Area(store.LONDON_CODE, "London", "london")
    forces = {v: k for k, v in store.POLICE_FORCES.items()}
    with store.connect() as con:
        known = store.rows(con, "SELECT name, level FROM areas WHERE code = $c LIMIT 1", {"c": code})
        if not known and code[:3] in {"E01", "W01", "E05", "W05"}:
            known = store.rows(
                con,
                "SELECT any_value(area_name) AS name, any_value(level) AS level FROM all_facts "
                "WHERE area_code = $c AND level IN ('lsoa', 'ward') HAVING count(*) > 0",
                {"c": code},
            )
    if code in forces:
        return Area(code, forces[code], "force")
    if code in store.LONDON_BOROUGHS:
        return Area(code, store.LONDON_BOROUGHS[code], "borough")
    if known:
        level = {"lad": "borough", "csp": "borough"}.get(known[0]["level"], known[0]["level"])
        return Area(code, known[0]["name"] or code, level)
    raise EvidenceError(
        f"Unknown area {code!r}: give an LSOA, ward, borough or police force code, or {store.LONDON_CODE}"
    )


def measures_list() -> list[Measure]:
    return list(store.cached(("measures_list",), _measures_list))


def _measures_list() -> tuple[Measure, ...]:
    with store.connect() as con:
        found = store.rows(
            con,
            "SELECT source, category, subcategory, bool_or(synthetic) AS synthetic FROM all_facts "
            "GROUP BY ALL ORDER BY source, category, subcategory NULLS FIRST",
        )
    synthetic = {(r["source"], r["category"]) for r in found if r["synthetic"]}
    out: list[Measure] = []
    seen = set()
    for r in found:
        family = next(f for f, sources in FAMILIES.items() if r["source"] in sources)
        whole = (r["source"], r["category"]) in synthetic
        for m in (
            Measure(family, r["category"], None, whole),
            Measure(family, r["category"], r["subcategory"], bool(r["synthetic"])),
        ):
            if m.qualified not in seen and (m.subcategory or family != "police.uk" or True):
                seen.add(m.qualified)
                out.append(m)
    return tuple(out)


def measure_get(*, name: str) -> Measure:
    """``[family:]category[/subcategory]``: exact match first, then ignoring case."""
    _bounded(name, what="A measure name", limit=MEASURE_MAX)
    family, _, rest = name.partition(":") if ":" in name and name.split(":", 1)[0] in FAMILIES else ("", "", name)
    rest = rest.strip()
    candidates = [m for m in measures_list() if not family or m.family == family]
    matchers = [lambda m: m.name == rest, lambda m: m.name.lower() == rest.lower()]
    # ISTV measures are "Assaults" and "Assaults/<method>": "istv:<method>" names the method alone.
    matchers.append(lambda m: m.family == "istv" and (m.subcategory or "").lower() == rest.lower())
    for matcher in matchers:
        hits = [m for m in candidates if matcher(m)]
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            raise EvidenceError(
                f"{name!r} is in more than one source: give one of " + ", ".join(h.qualified for h in hits)
            )
    raise EvidenceError(f"Unknown measure {name!r}: see the list of measures (e.g. police.uk:Robbery, mps:ROBBERY)")


def _filters(area: Area, measure: Measure) -> tuple[str, dict[str, Any]]:
    """SQL (WHERE clause over ``facts``) selecting one measure in one area, without double counting."""
    params: dict[str, Any] = {"code": area.code, "name": area.name, "cat": measure.category}
    where = ["category = $cat"]
    if measure.subcategory:
        where.append("subcategory = $sub")
        params["sub"] = measure.subcategory
    family = measure.family
    if family == "police.uk":
        where.append("source = 'police_uk'")
        where.append(
            {
                "lsoa": "area_code = $code",
                "ward": "area_code IN (SELECT lsoa_code FROM lsoa_ward WHERE ward_code = $code)",
                "borough": "(borough_code = $code OR (borough_code IS NULL AND borough_name = $name))",
                "force": "force_code = $code",
                "london": f"force_code IN ('{store.MET_CODE}', '{store.CITY_FORCE_CODE}')",
            }[area.level]
        )
    elif family == "mps":
        dashboard = measure.category == "Knife Crime"
        if dashboard:
            where.append("source = 'mps_dashboard'")
            where.append(
                {
                    "lsoa": "FALSE",
                    "ward": "level = 'ward' AND area_code = $code",
                    "borough": "level = 'borough' AND area_code = $code",
                    "force": "level = 'borough' AND $code = '" + store.MET_CODE + "'",
                    "london": "level = 'borough'",
                }[area.level]
            )
        else:
            where.append(
                {
                    "lsoa": "source = 'mps_lsoa' AND area_code = $code",
                    "ward": "source = 'mps_ward' AND area_code = $code",
                    "borough": "source = 'mps_borough' AND borough_code = $code",
                    "force": "source = 'mps_borough' AND $code = '" + store.MET_CODE + "'",
                    "london": "source = 'mps_borough'",
                }[area.level]
            )
    else:
        # ISTV counts are by A&E site, placed in a borough by a best-effort lookup: no LSOA, ward or force.
        if area.level not in {"borough", "london"}:
            raise EvidenceError(
                f"ISTV data are counted by A&E site and borough, not by {LEVEL_LABELS[area.level]}: "
                "choose a borough or London"
            )
        where.append("source = 'istv'")
        where.append("borough_code = $code" if area.level == "borough" else "TRUE")
    if "$sub" not in " ".join(where):
        params.pop("sub", None)
    used = " ".join(where)
    params = {k: v for k, v in params.items() if f"${k}" in used}
    return " AND ".join(where), params


def _month(value: dt.date) -> str:
    return value.strftime("%Y-%m")


def _months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    out = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        out.append(dt.date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def trend_series(*, area: Area, measure: Measure) -> dict[str, Any]:
    """The monthly series, zero-filled across the months the measure's source covers."""
    where, params = _filters(area, measure)
    with store.connect() as con:
        found = store.rows(con, f"SELECT month, sum(n) AS n FROM all_facts WHERE {where} GROUP BY month", params)
        sources = FAMILIES[measure.family]
        span = store.rows(
            con,
            "SELECT min(month) AS first, max(month) AS last, bool_or(synthetic) AS synthetic FROM all_facts "
            "WHERE category = $cat AND list_contains($sources, source)",
            {"cat": measure.category, "sources": list(sources)},
        )[0]
    by_month = {r["month"]: int(r["n"]) for r in found}
    months = _months_between(span["first"], span["last"]) if span["first"] else []
    return {
        "area": area.code,
        "area_name": area.name,
        "level": area.level,
        "measure": measure.qualified,
        "measure_label": measure.label,
        "unit": unit_label(measure.family),
        "source": SOURCE_LABELS[measure.family],
        "synthetic": bool(span["synthetic"]),
        "series": [{"month": _month(m), "value": by_month.get(m, 0)} for m in months],
    }


def parse_period(text: str) -> tuple[dt.date, dt.date]:
    _bounded(text.strip(), what="A period", limit=PERIOD_MAX)
    try:
        start, _, end = text.partition(":")
        first = dt.datetime.strptime(start.strip(), "%Y-%m").date()
        last = dt.datetime.strptime((end or start).strip(), "%Y-%m").date()
    except ValueError as exc:
        raise EvidenceError(f"A period is YYYY-MM:YYYY-MM, not {text!r}") from exc
    if last < first:
        raise EvidenceError(f"The period {text!r} ends before it starts")
    return first, last


def trend_compare(*, area: Area, measure: Measure, period: str, baseline: str) -> dict[str, Any]:
    """A period against a baseline period: totals, change and percentage change."""
    p0, p1 = parse_period(period)
    b0, b1 = parse_period(baseline)
    with store.connect():  # one version of the store throughout
        data = trend_series(area=area, measure=measure)
    series = {dt.datetime.strptime(r["month"], "%Y-%m").date(): r["value"] for r in data["series"]}

    def total(first: dt.date, last: dt.date) -> tuple[int, int, int]:
        months = _months_between(first, last)
        covered = [m for m in months if m in series]
        return sum(series[m] for m in covered), len(covered), len(months)

    current, current_covered, current_months = total(p0, p1)
    base, base_covered, base_months = total(b0, b1)
    change = current - base
    pct = round(100 * change / base, 1) if base else None
    result = {
        "area": area.code,
        "area_name": area.name,
        "measure": measure.qualified,
        "period": f"{_month(p0)}:{_month(p1)}",
        "baseline_period": f"{_month(b0)}:{_month(b1)}",
        "current": current,
        "baseline": base,
        "change": change,
        "pct_change": pct,
        "source": data["source"],
        "synthetic": data["synthetic"],
        "months_with_data": {"current": current_covered, "baseline": base_covered},
        "complete": current_covered == current_months and base_covered == base_months,
    }
    result["sentence"] = trend_sentence(result, measure=measure)
    return result


def unit_label(family: str) -> str:
    """What a measure's figures count: offences, or A&E attendances for ISTV."""
    return "attendances" if family == "istv" else "offences"


def trend_sentence(result: dict[str, Any], *, measure: Measure) -> str:
    name = measure.name.split("/")[-1]
    name = name[:1].upper() + name[1:].lower() if name.isupper() else name
    unit = unit_label(measure.family)
    if measure.family == "istv" and measure.subcategory:
        name = f"Assaults ({name})"
    if result["pct_change"] is None:
        return f"{name}: {result['current']:,} {unit}, no baseline to compare with"
    if result["change"] == 0:
        return f"{name} unchanged at {result['current']:,} {unit}"
    direction = "down" if result["change"] < 0 else "up"
    more = "fewer" if result["change"] < 0 else "more"
    text = f"{name} {direction} {abs(result['pct_change']):g} %, {abs(result['change']):,} {more} {unit}"
    if not result["complete"]:
        text += " (the data do not cover every month of both periods)"
    return text


# --- multiple need ------------------------------------------------------------------------------

INDICATORS: dict[str, dict[str, Any]] = {
    "violence": {"label": "Violence (offences in the latest 12 months, per LSOA)", "weight": 1.0},
    "knife": {"label": "Knife crime (offences in the latest 12 months, per LSOA; wards only)", "weight": 1.0},
    "istv": {"label": "ISTV assault attendances (latest 12 months, per LSOA; boroughs only)", "weight": 1.0},
    "imd": {"label": "IMD 2025 score", "weight": 1.0},
    "income": {"label": "IMD income domain score", "weight": 0.0},
    "employment": {"label": "IMD employment domain score", "weight": 0.0},
    "education": {"label": "IMD education domain score", "weight": 0.0},
    "health": {"label": "IMD health domain score", "weight": 0.0},
    "crime": {"label": "IMD crime domain score", "weight": 0.0},
    "housing": {"label": "IMD barriers to housing and services score", "weight": 0.0},
    "environment": {"label": "IMD living environment score", "weight": 0.0},
}
IMD_INDICATORS = {
    "imd": "IMD",
    "income": "Income",
    "employment": "Employment",
    "education": "Education",
    "health": "Health",
    "crime": "Crime",
    "housing": "Housing_and_Services",
    "environment": "Environment",
}


def _units(con, *, within: Area, level: str) -> dict[str, dict[str, Any]]:
    """Areas to rank (code → name, LSOAs in it)."""
    params: dict[str, Any]
    if within.level == "london":
        borough_filter, params = "list_contains($boroughs, lad_code)", {"boroughs": list(store.LONDON_BOROUGHS)}
    elif within.level == "borough":
        borough_filter, params = "lad_code = $b", {"b": within.code}
    else:
        raise EvidenceError("Rank within a borough or London")
    if level == "borough":
        codes = list(store.LONDON_BOROUGHS) if within.level == "london" else [within.code]
        found = store.rows(
            con,
            "SELECT parent_code, list(DISTINCT code ORDER BY code) AS lsoas FROM areas "
            "WHERE level = 'lsoa' AND list_contains($b, parent_code) GROUP BY parent_code",
            {"b": codes},
        )
        lsoas_of = {r["parent_code"]: r["lsoas"] for r in found}
        return {c: {"name": store.LONDON_BOROUGHS.get(c, c), "lsoas": lsoas_of.get(c, [])} for c in codes}
    # LSOAs of the area: from the boundaries (parent LAD), else from the MPS LSOA file.
    # LSOAs of the area: from the boundaries or the MPS LSOA file (both record each LSOA's borough).
    lsoas = store.rows(
        con,
        f"""SELECT code AS lsoa, any_value(name) AS name FROM areas WHERE level = 'lsoa'
            AND {borough_filter.replace("lad_code", "parent_code")} GROUP BY code ORDER BY code""",
        params,
    )
    if level == "lsoa":
        return {r["lsoa"]: {"name": r["name"], "lsoas": [r["lsoa"]]} for r in lsoas}
    wards = {
        r["ward_code"]: r["lsoas"]
        for r in store.rows(
            con,
            "SELECT ward_code, list(lsoa_code) AS lsoas FROM lsoa_ward WHERE list_contains($l, lsoa_code) GROUP BY 1",
            {"l": [r["lsoa"] for r in lsoas]},
        )
    }
    names = {
        r["code"]: r["name"]
        for r in store.rows(con, "SELECT code, name FROM areas WHERE list_contains($w, code)", {"w": list(wards)})
    }
    return {code: {"name": names.get(code, code), "lsoas": sorted(ls)} for code, ls in wards.items()}


def _latest_12(con, where: str, params: dict[str, Any]) -> tuple[str, str] | None:
    last = store.scalar(con, f"SELECT max(month) FROM all_facts WHERE {where}", params)
    if last is None:
        return None
    first = (last.replace(day=1) - dt.timedelta(days=330)).replace(day=1)
    return _month(first), _month(last)


def _indicator_values(con, name: str, *, units: dict[str, dict[str, Any]], level: str) -> tuple[dict[str, float], str]:
    """Raw values per unit and a note of the source and period."""
    lsoa_of = {lsoa: code for code, u in units.items() for lsoa in u["lsoas"]}
    all_lsoas = list(lsoa_of)
    if name in IMD_INDICATORS:
        found = store.rows(
            con,
            "SELECT lsoa_code, score FROM imd "
            "WHERE edition = '2025' AND indicator = $i AND list_contains($l, lsoa_code)",
            {"i": IMD_INDICATORS[name], "l": all_lsoas},
        )
        sums: dict[str, list[float]] = {}
        for r in found:
            if r["score"] is not None:
                sums.setdefault(lsoa_of[r["lsoa_code"]], []).append(float(r["score"]))
        return {c: sum(v) / len(v) for c, v in sums.items()}, "IMD 2025 (MHCLG); wards: mean of their LSOAs"
    if name == "violence":
        options = [
            ("mps", "source = 'mps_borough' AND category = 'VIOLENCE AGAINST THE PERSON'", "borough"),
            ("mps", "source = 'mps_lsoa' AND category = 'VIOLENCE AGAINST THE PERSON'", "lsoa"),
            ("mps", "source = 'mps_ward' AND category = 'VIOLENCE AGAINST THE PERSON'", "ward"),
            ("police.uk", "source = 'police_uk' AND category = 'Violence and sexual offences'", "lsoa"),
        ]
    elif name == "knife":
        options = [
            ("mps", "source = 'mps_dashboard' AND level = 'borough' AND subcategory = 'Knife Crime'", "borough"),
            ("mps", "source = 'mps_dashboard' AND level = 'ward' AND subcategory = 'Knife Crime'", "ward"),
        ]
    else:
        # ISTV has no LSOA (only the A&E site, placed in a borough): it ranks boroughs only.
        if level != "borough":
            return {}, "ISTV has no LSOA: it ranks boroughs only"
        options = [("istv", "source = 'istv' AND borough_code IS NOT NULL", "borough")]
    # Per LSOA when every unit's LSOAs are known (always for LSOAs and wards), else totals.
    per_lsoa = all(u["lsoas"] for u in units.values())
    for family, where, grain in options:
        if grain in {"ward", "borough"} and level != grain:
            continue
        window = _latest_12(con, where, {})
        if window is None:
            continue
        codes = all_lsoas if grain == "lsoa" else list(units)
        key = "borough_code" if family == "istv" else "area_code"
        found = store.rows(
            con,
            f"""SELECT {key} AS area_code, sum(n) AS n FROM all_facts WHERE {where} AND list_contains($codes, {key})
                AND month BETWEEN strptime($a, '%Y-%m') AND strptime($b, '%Y-%m') GROUP BY 1""",
            {"codes": codes, "a": window[0], "b": window[1]},
        )
        totals: dict[str, float] = {c: 0.0 for c in units}
        for r in found:
            unit = lsoa_of.get(r["area_code"]) if grain == "lsoa" else r["area_code"]
            if unit in totals:
                totals[unit] += float(r["n"])
        if not per_lsoa:
            note = f"{SOURCE_LABELS[family]}, {window[0]} to {window[1]} (totals: LSOAs not loaded)"
            return totals, note
        values = {c: totals[c] / len(units[c]["lsoas"]) for c in units}
        return values, f"{SOURCE_LABELS[family]}, {window[0]} to {window[1]}"
    return {}, "no data loaded"


def zscores(values: dict[str, float]) -> dict[str, float]:
    """Population z-scores; all zero when every value is the same."""
    if not values:
        return {}
    mean = sum(values.values()) / len(values)
    sd = math.sqrt(sum((v - mean) ** 2 for v in values.values()) / len(values))
    return {k: (v - mean) / sd if sd else 0.0 for k, v in values.items()}


MAX_WEIGHT = 10.0  # an indicator's weight in the need ranking: 0 (left out) to 10


def need_ranking(*, within: str, level: str = "lsoa", weights: dict[str, float] | None = None) -> dict[str, Any]:
    """Rank LSOAs, wards or boroughs by a weighted composite of z-scores (higher = more need)."""
    if level not in {"lsoa", "ward", "borough"}:
        raise EvidenceError("Rank LSOAs, wards or boroughs")
    with store.connect():  # one version of the store throughout
        return _need_ranking(within=within, level=level, weights=weights)


def _need_ranking(*, within: str, level: str, weights: dict[str, float] | None) -> dict[str, Any]:
    scope = area_get(code=within)
    chosen = {k: float(v["weight"]) for k, v in INDICATORS.items()}
    for key, value in (weights or {}).items():
        if key not in INDICATORS:
            raise EvidenceError(f"Unknown indicator {key!r}: choose from {', '.join(INDICATORS)}")
        if not math.isfinite(value) or not 0 <= value <= MAX_WEIGHT:
            raise EvidenceError(f"The weight of {key} must be a number from 0 to {MAX_WEIGHT:g}, not {value!r}")
        chosen[key] = float(value)
    with store.connect() as con:
        units = _units(con, within=scope, level=level)
        indicators: dict[str, dict[str, Any]] = {}
        for key, weight in chosen.items():
            if weight <= 0:
                continue
            values, note = _indicator_values(con, key, units=units, level=level)
            indicators[key] = {"weight": weight, "values": values, "z": zscores(values), "note": note}
        synthetic = bool(store.scalar(con, "SELECT bool_or(synthetic) FROM all_facts WHERE source = 'istv'"))
    rows = []
    for code, unit in units.items():
        components = {}
        total = weight_sum = 0.0
        for key, ind in indicators.items():
            if code in ind["values"]:
                z = ind["z"][code]
                components[key] = {"value": round(ind["values"][code], 3), "z": round(z, 3), "weight": ind["weight"]}
                total += ind["weight"] * z
                weight_sum += ind["weight"]
            else:
                components[key] = {"value": None, "z": None, "weight": ind["weight"]}
        score = total / weight_sum if weight_sum else None
        rows.append(
            {
                "area": code,
                "name": unit["name"],
                "score": None if score is None else round(score, 4),
                "components": components,
            }
        )
    rows.sort(key=lambda r: (r["score"] is None, -(r["score"] or 0), r["area"]))
    for number, r in enumerate(rows, start=1):
        r["rank"] = number if r["score"] is not None else None
    return {
        "within": scope.code,
        "within_name": scope.name,
        "level": level,
        "indicators": {
            k: {"label": INDICATORS[k]["label"], "weight": v["weight"], "source": v["note"]}
            for k, v in indicators.items()
        },
        "istv_synthetic": synthetic and bool(indicators.get("istv", {}).get("values")),
        "rows": [{k: r[k] for k in ("area", "name", "score", "rank", "components")} for r in rows],
    }


def map_layer(*, within: str, level: str) -> dict[str, Any]:
    """GeoJSON FeatureCollection of the areas ranked (no tile server: the shapes are the map)."""
    with store.connect() as con:
        scope = area_get(code=within)
        column = "code" if level == "borough" else "parent_code"
        params: dict[str, Any]
        if scope.level == "london":
            where, params = f"list_contains($b, {column})", {"b": list(store.LONDON_BOROUGHS)}
        else:
            where, params = f"{column} = $b", {"b": scope.code}
        found = store.rows(
            con,
            f"SELECT code, name, geojson FROM geometries WHERE level = $lvl AND {where} ORDER BY code",
            params | {"lvl": "lad" if level == "borough" else level},
        )
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"code": r["code"], "name": r["name"]},
                "geometry": json.loads(r["geojson"]),
            }
            for r in found
        ],
    }


HEADLINE_MEASURES = [
    "mps:VIOLENCE AGAINST THE PERSON",
    "mps:VIOLENCE AGAINST THE PERSON/VIOLENCE WITH INJURY",
    "mps:ROBBERY",
    "mps:Knife Crime/Knife Crime",
    "mps:Knife Crime/Knife Crime with Injury",
    "police.uk:Violence and sexual offences",
    "police.uk:Robbery",
    "police.uk:Possession of weapons",
]


def headline_trends(*, code: str) -> dict[str, Any]:
    """A problem profile: each headline measure's latest 12 months against the 12 before."""
    with store.connect():  # one version of the store throughout
        return copy.deepcopy(store.cached(("headline_trends", code), lambda: _headline_trends(code=code)))


def _headline_trends(*, code: str) -> dict[str, Any]:
    area = area_get(code=code)
    available = {m.qualified: m for m in measures_list()}
    rows = []
    for name in HEADLINE_MEASURES:
        measure = available.get(name)
        if measure is None:
            continue
        series = trend_series(area=area, measure=measure)["series"]
        if len(series) < 24:
            continue
        current, previous = series[-12:], series[-24:-12]
        result = trend_compare(
            area=area,
            measure=measure,
            period=f"{current[0]['month']}:{current[-1]['month']}",
            baseline=f"{previous[0]['month']}:{previous[-1]['month']}",
        )
        rows.append(result)
    return {"area": area, "rows": rows}


# --- hotspots -------------------------------------------------------------------------------------
# Street-level hotspots from data.police.uk points (police_points), binned into hexagons in DuckDB.
# The projection and the grid are hexbin.py's (equirectangular at the area's latitude, pointy-top
# hexagons); the SQL below is the same arithmetic, written once for every point.

HOTSPOT_SOURCE = "data.police.uk street-level crime"
HOTSPOT_ALL = "All crime"  # every crime type except anti-social behaviour (which is not an offence)
HOTSPOT_ASB = "Anti-social behaviour"
HOTSPOT_TOP = 20  # hexagons listed (and numbered on the map)
HOTSPOT_MAX_HEXES = 6_000  # more than this is refused: choose larger hexagons or a smaller area
HOTSPOT_MAX_LSOA_OUTLINES = 400  # above this, borough outlines are drawn instead of LSOAs
HOTSPOT_SNAP_NOTE = (
    "data.police.uk anonymises locations: each crime is moved to the centre of the street or a nearby "
    "'snap point' (a list of points chosen to cover at least a few homes), so a point is approximate, "
    "never an address."
)

# Fractional axial coordinates, then cube rounding: every placed point's hexagon (q, r).
HOTSPOT_HEX_CTE = """
WITH p AS (
    SELECT lsoa_code, (lon - $lon0) * $kx AS x, (lat - $lat0) * $ky AS y
    FROM police_points WHERE {where} AND lon IS NOT NULL
), f AS (
    SELECT lsoa_code, (sqrt(3) / 3 * x - y / 3) / $size AS qf, (2 / 3 * y) / $size AS rf FROM p
), c AS (
    SELECT lsoa_code, qf, rf, round(qf) AS q0, round(rf) AS r0, round(-qf - rf) AS s0 FROM f
), h AS (
    SELECT lsoa_code,
           CASE WHEN abs(q0 - qf) > abs(r0 - rf) AND abs(q0 - qf) > abs(s0 + qf + rf) THEN -r0 - s0 ELSE q0 END AS q,
           CASE WHEN abs(q0 - qf) > abs(r0 - rf) AND abs(q0 - qf) > abs(s0 + qf + rf) THEN r0
                WHEN abs(r0 - rf) > abs(s0 + qf + rf) THEN -q0 - s0 ELSE r0 END AS r
    FROM c
)
"""
HOTSPOT_HEX_SQL = (
    HOTSPOT_HEX_CTE
    + """
SELECT q::BIGINT AS q, r::BIGINT AS r, count(*) AS n, list(DISTINCT lsoa_code ORDER BY lsoa_code) AS lsoas
FROM h GROUP BY q, r ORDER BY n DESC, q, r
"""
)
# How many hexagons first (cheap), so an area with too many is refused before they are listed.
HOTSPOT_HEX_COUNT_SQL = HOTSPOT_HEX_CTE + "SELECT count(*) AS hexes FROM (SELECT DISTINCT q, r FROM h)"

HOTSPOT_FILTER = (
    "month BETWEEN $first AND $last AND "
    "(CASE WHEN $crime = $all THEN crime_type <> $asb ELSE crime_type = $crime END) AND "
)
HOTSPOT_SCOPES = {
    "force": "force_code = $code",
    "london": "list_contains($forces, force_code)",
    "lsoas": "list_contains($lsoas, lsoa_code)",
}


def hotspot_crime_types() -> list[str]:
    """The crime types with points loaded (for the form), "All crime" first."""

    def compute() -> tuple[str, ...]:
        with store.connect() as con:
            if not _points_table(con):
                return (HOTSPOT_ALL,)
            found = store.rows(con, "SELECT DISTINCT crime_type::VARCHAR AS t FROM police_points ORDER BY t")
        return (HOTSPOT_ALL, *(r["t"] for r in found))

    return list(store.cached(("hotspot_crime_types",), compute))


def _points_table(con) -> bool:
    """A store written before police_points existed has none until data.police.uk is loaded again."""
    return bool(
        store.scalar(con, "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'police_points' AND NOT temporary")
    )


def _hotspot_scope(con, area: Area) -> tuple[str, dict[str, Any], list[str], list[str]]:
    """The points filter for an area, the police forces whose data cover it, and its LSOAs (if drawn)."""
    city, met = store.CITY_FORCE_CODE, store.MET_CODE
    if area.level == "force":
        return HOTSPOT_SCOPES["force"], {"code": area.code}, [area.code], []
    if area.level == "london":
        forces = [met, city]
        return HOTSPOT_SCOPES["london"], {"forces": forces}, forces, []
    if area.level == "borough":
        lsoas = [
            r["code"]
            for r in store.rows(
                con,
                "SELECT code FROM geometries WHERE level = 'lsoa' AND parent_code = $c ORDER BY code",
                {"c": area.code},
            )
        ]
        if not lsoas:
            lsoas = [
                r["lsoa_code"]
                for r in store.rows(
                    con, "SELECT lsoa_code FROM lsoa_names WHERE borough_name = $n ORDER BY 1", {"n": area.name}
                )
            ]
    elif area.level == "lsoa":
        lsoas = [area.code]
    else:
        raise EvidenceError(
            f"Hotspot maps are drawn for a police force, a borough or an LSOA, not a {LEVEL_LABELS[area.level]}"
        )
    borough = area.code
    if area.level == "lsoa":
        parent = store.rows(
            con, "SELECT parent_code FROM geometries WHERE level = 'lsoa' AND code = $c", {"c": area.code}
        )
        borough = parent[0]["parent_code"] if parent else ""
    if borough in store.LONDON_BOROUGHS:
        forces = [city if borough == "E09000001" else met]
    else:  # outside London: the forces with points in the area's LSOAs
        forces = [
            r["force_code"]
            for r in store.rows(
                con,
                "SELECT DISTINCT force_code FROM police_points WHERE list_contains($l, lsoa_code) "
                "AND force_code IS NOT NULL ORDER BY 1",
                {"l": lsoas},
            )
        ]
    return HOTSPOT_SCOPES["lsoas"], {"lsoas": lsoas}, forces, lsoas


def _hotspot_months(con, forces: list[str]) -> list[dt.date]:
    """Months for which every force covering the area has street-level data loaded."""
    if not forces:
        return []
    found = store.rows(
        con,
        "SELECT month FROM police_facts WHERE list_contains($f, force_code) GROUP BY month "
        "HAVING count(DISTINCT force_code) = $k ORDER BY month",
        {"f": forces, "k": len(forces)},
    )
    return [r["month"] for r in found]


def hotspots(*, code: str, crime_type: str = HOTSPOT_ALL, period: str = "", cell_m: int = 250) -> dict[str, Any]:
    """Street-level hotspots: an area's data.police.uk points in hexagons of ``cell_m`` metres.

    Outside the loaded data's coverage the result says "no data" (``coverage.inside`` false), never an
    empty map. Raises EvidenceError for an unknown area, crime type or cell size, or too many hexagons.
    """
    from vrhub.evidence import hexbin  # pure geometry (no store access)

    if cell_m not in hexbin.CELL_SIZES_M:
        raise EvidenceError(f"Hexagon size must be one of {', '.join(map(str, hexbin.CELL_SIZES_M))} metres")
    crime_type = _bounded(crime_type.strip(), what="A crime type", limit=MEASURE_MAX)
    area = area_get(code=code)
    first_asked, last_asked = parse_period(period) if period.strip() else (None, None)
    with store.connect() as con:
        return copy.deepcopy(
            store.cached(
                ("hotspots", area.code, crime_type, str(first_asked), str(last_asked), cell_m),
                lambda: _hotspots(con, area, crime_type, first_asked, last_asked, cell_m, hexbin),
            )
        )


def _hotspots(con, area: Area, crime_type: str, first_asked, last_asked, cell_m: int, hexbin) -> dict[str, Any]:
    types = hotspot_crime_types()
    if crime_type not in types and crime_type != HOTSPOT_ALL:
        known = ", ".join(types[1:]) or "none loaded"
        raise EvidenceError(f"Unknown crime type {crime_type!r}: data.police.uk types loaded are {known}")
    if not _points_table(con):
        raise EvidenceError(
            "No street-level points in the evidence store yet: a VRU admin loads the data.police.uk files "
            "again to keep them (the counts are unchanged)"
        )
    scope, params, forces, lsoas = _hotspot_scope(con, area)
    forces_named = {v: k for k, v in store.POLICE_FORCES.items()}
    months = _hotspot_months(con, forces)
    result: dict[str, Any] = {
        "area": area.code,
        "area_name": area.name,
        "level": area.level,
        "crime_type": crime_type,
        "unit": "incidents" if crime_type == HOTSPOT_ASB else "offences",
        "source": HOTSPOT_SOURCE,
        "synthetic": False,
        "cell_m": cell_m,
        "snap_note": HOTSPOT_SNAP_NOTE,
        "forces": [forces_named.get(f, f) for f in forces],
    }
    covered = f"{_month(months[0])} to {_month(months[-1])}" if months else None
    if first_asked is None:
        if months:
            last = months[-1]
            first_asked = (
                dt.date(last.year - 1, last.month, 1) if last.month == 12 else dt.date(last.year - 1, last.month + 1, 1)
            )
            first_asked = max(first_asked, months[0])
            last_asked = last
    asked = _months_between(first_asked, last_asked) if first_asked else []
    inside = [m for m in asked if m in set(months)]
    result["period"] = f"{_month(asked[0])}:{_month(asked[-1])}" if asked else None
    result["coverage"] = {
        "source": HOTSPOT_SOURCE,
        "forces": result["forces"],
        "months": covered,
        "inside": bool(inside),
        "months_with_data": len(inside),
        "months_asked": len(asked),
    }
    if not inside:
        who = " and ".join(result["forces"]) or "no police force with data loaded"
        if not months:
            result["message"] = (
                f"No data: the data.police.uk street-level data loaded do not cover {area.name} "
                f"({who} not loaded). No data is not zero."
            )
        else:
            result["message"] = (
                f"No data for {result['period']}: the street-level data loaded for {area.name} cover {covered}."
            )
        return result
    where = HOTSPOT_FILTER + scope
    params |= {"first": inside[0], "last": inside[-1], "crime": crime_type, "all": HOTSPOT_ALL, "asb": HOTSPOT_ASB}
    months_between = [m for m in _months_between(inside[0], inside[-1]) if m not in set(inside)]
    if months_between:  # a gap in coverage inside the period: count only the months covered
        where += " AND NOT list_contains($gaps, month)"
        params["gaps"] = months_between
    totals = store.rows(
        con,
        f"SELECT count(*) AS total, count(lon) AS placed FROM police_points WHERE {where}",
        params,
    )[0]
    outline = _hotspot_outline(con, area)
    result |= {
        "period": f"{_month(inside[0])}:{_month(inside[-1])}",
        "total": int(totals["total"]),
        "placed": int(totals["placed"]),
        "unplaced": int(totals["total"]) - int(totals["placed"]),
        "outline": outline,
        "hexes": [],
        "boundaries": [],
    }
    if len(inside) < len(asked):
        result["message"] = (
            f"Only {len(inside)} of the {len(asked)} months asked for have data ({covered} loaded): "
            "the map counts those months only."
        )
    if not result["placed"]:  # inside coverage: a true zero (or only rows without a location)
        return result
    centre = _hotspot_centre(con, where, params, outline)
    projection = hexbin.Projection(lon0=centre[0], lat0=centre[1])
    grid = params | {
        "lon0": projection.lon0,
        "lat0": projection.lat0,
        "kx": projection.kx,
        "ky": projection.ky,
        "size": hexbin.circumradius(cell_m),
    }
    count = int(store.scalar(con, HOTSPOT_HEX_COUNT_SQL.format(where=where), grid))
    if count > HOTSPOT_MAX_HEXES:
        raise EvidenceError(
            f"{count:,} hexagons of {cell_m} m are too many to draw (the limit is {HOTSPOT_MAX_HEXES:,}): "
            "choose larger hexagons or a smaller area"
        )
    hexes = store.rows(con, HOTSPOT_HEX_SQL.format(where=where), grid)
    names = {
        r["lsoa_code"]: r["lsoa_name"]
        for r in store.rows(
            con,
            "SELECT lsoa_code, any_value(lsoa_name) AS lsoa_name FROM lsoa_names "
            "WHERE list_contains($c, lsoa_code) GROUP BY lsoa_code",
            {"c": sorted({c for h in hexes for c in h["lsoas"] if c})},
        )
    }
    rows = []
    for rank, h in enumerate(hexes, start=1):
        cx, cy = hexbin.hex_centre(int(h["q"]), int(h["r"]), cell_m)
        lon, lat = projection.lonlat(cx, cy)
        rows.append(
            {
                "rank": rank,
                "q": int(h["q"]),
                "r": int(h["r"]),
                "n": int(h["n"]),
                "lon": round(lon, 5),
                "lat": round(lat, 5),
                "lsoas": [{"code": c, "name": names.get(c, c)} for c in h["lsoas"] if c],
            }
        )
    drawn = lsoas or sorted({c["code"] for r in rows for c in r["lsoas"]})
    result["boundaries"] = _hotspot_boundaries(con, drawn)
    result["hexes"] = rows
    result["projection"] = {
        "lon0": projection.lon0,
        "lat0": projection.lat0,
        "cell_m": cell_m,
        "method": "equirectangular at the area's latitude, pointy-top hexagons",
    }
    return result


def _hotspot_outline(con, area: Area) -> dict[str, Any] | None:
    level = {"force": "force", "borough": "lad", "lsoa": "lsoa"}.get(area.level)
    if level is None:
        return None
    found = store.rows(
        con, "SELECT name, geojson FROM geometries WHERE level = $l AND code = $c LIMIT 1", {"l": level, "c": area.code}
    )
    return {"name": found[0]["name"], "geometry": json.loads(found[0]["geojson"])} if found else None


def _hotspot_centre(con, where: str, params: dict[str, Any], outline: dict[str, Any] | None) -> tuple[float, float]:
    """The projection's origin: the middle of the area's outline, else of its points (rounded, so stable)."""
    if outline:
        coords = [c for ring in _rings(outline["geometry"]) for c in ring]
        lons, lats = [c[0] for c in coords], [c[1] for c in coords]
        lon, lat = (min(lons) + max(lons)) / 2, (min(lats) + max(lats)) / 2
    else:
        found = store.rows(
            con,
            "SELECT (min(lon) + max(lon)) / 2 AS lon, (min(lat) + max(lat)) / 2 AS lat "
            f"FROM police_points WHERE {where}",
            params,
        )[0]
        lon, lat = float(found["lon"]), float(found["lat"])
    return round(lon, 2), round(lat, 2)


def _rings(geometry: dict[str, Any]) -> list[list[list[float]]]:
    if geometry.get("type") == "Polygon":
        return list(geometry["coordinates"])
    if geometry.get("type") == "MultiPolygon":
        return [ring for polygon in geometry["coordinates"] for ring in polygon]
    return []


def _hotspot_boundaries(con, lsoas: list[str]) -> list[dict[str, Any]]:
    """LSOA outlines for the LSOAs drawn (borough outlines instead when there are too many)."""
    if len(lsoas) <= HOTSPOT_MAX_LSOA_OUTLINES:
        found = store.rows(
            con,
            "SELECT 'lsoa' AS level, code, name, geojson FROM geometries WHERE level = 'lsoa' "
            "AND list_contains($c, code) ORDER BY code",
            {"c": lsoas},
        )
    else:
        found = store.rows(
            con,
            "SELECT 'borough' AS level, code, name, geojson FROM geometries WHERE level = 'lad' AND code IN "
            "(SELECT DISTINCT parent_code FROM geometries WHERE level = 'lsoa' AND list_contains($c, code)) "
            "ORDER BY code",
            {"c": lsoas},
        )
    return [
        {"level": r["level"], "code": r["code"], "name": r["name"], "geometry": json.loads(r["geojson"])} for r in found
    ]
