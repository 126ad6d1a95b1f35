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
    "violence": {"label": "Violence against the person", "weight": 1.0, "unit": "offences"},
    "knife": {"label": "Knife crime", "weight": 1.0, "unit": "offences"},
    "istv": {"label": "ISTV assault attendances at A&E", "weight": 1.0, "unit": "attendances"},
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
COUNT_INDICATORS = ("violence", "knife", "istv")
# How count indicators are ranked: rates per 1,000 residents per year (the default) or raw counts.
MEASURE_TYPES = {"rate": "per 1,000 residents per year", "count": "count"}
CITY_OF_LONDON = "E09000001"
WESTMINSTER = "E09000033"
# Boroughs where residents are a poor denominator: far more workers and visitors than residents.
POOR_DENOMINATOR = {
    CITY_OF_LONDON: "the City of London has far more workers and visitors than residents",
    WESTMINSTER: "Westminster (above all the West End) has far more workers and visitors than residents",
}
NO_POPULATION = "no residents recorded (Census 2021 population missing for its LSOAs): no rate"
# Each count indicator: its sources in order of preference (family, filter, grain, source short name).
# A filter is one series of one unit: knife crime is the dashboard's Knife Crime offences series only.
NEED_SOURCES: dict[str, list[tuple[str, str, str, str]]] = {
    "violence": [
        ("mps", "source = 'mps_borough' AND category = 'VIOLENCE AGAINST THE PERSON'", "borough", "MPS"),
        ("mps", "source = 'mps_lsoa' AND category = 'VIOLENCE AGAINST THE PERSON'", "lsoa", "MPS"),
        ("mps", "source = 'mps_ward' AND category = 'VIOLENCE AGAINST THE PERSON'", "ward", "MPS"),
        ("police.uk", "source = 'police_uk' AND category = 'Violence and sexual offences'", "lsoa", "data.police.uk"),
    ],
    "knife": [
        (
            "mps",
            "source = 'mps_dashboard' AND level = 'borough' "
            "AND category = 'Knife Crime' AND subcategory = 'Knife Crime'",
            "borough",
            "MPS",
        ),
        (
            "mps",
            "source = 'mps_dashboard' AND level = 'ward' AND category = 'Knife Crime' AND subcategory = 'Knife Crime'",
            "ward",
            "MPS",
        ),
    ],
    "istv": [("istv", "source = 'istv' AND borough_code IS NOT NULL", "borough", "ISTV")],
}


def _units(con, *, within: Area, level: str) -> dict[str, dict[str, Any]]:
    """Areas to rank (code → name, borough, LSOAs in it)."""
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
        return {c: {"name": store.LONDON_BOROUGHS.get(c, c), "borough": c, "lsoas": lsoas_of.get(c, [])} for c in codes}
    # LSOAs of the area: from the boundaries or the MPS LSOA file (both record each LSOA's borough).
    lsoas = store.rows(
        con,
        f"""SELECT code AS lsoa, any_value(name) AS name, any_value(parent_code) AS borough FROM areas
            WHERE level = 'lsoa' AND {borough_filter.replace("lad_code", "parent_code")} GROUP BY code ORDER BY code""",
        params,
    )
    if level == "lsoa":
        return {r["lsoa"]: {"name": r["name"], "borough": r["borough"], "lsoas": [r["lsoa"]]} for r in lsoas}
    wards: dict[str, dict[str, Any]] = {}
    for r in store.rows(
        con,
        "SELECT w.ward_code, any_value(w.lad_code) AS borough, list(w.lsoa_code ORDER BY w.lsoa_code) AS lsoas, "
        "any_value(a.name) AS name FROM lsoa_ward w LEFT JOIN areas a ON a.code = w.ward_code AND a.level = 'ward' "
        "WHERE list_contains($l, w.lsoa_code) GROUP BY 1 ORDER BY 1",
        {"l": [r["lsoa"] for r in lsoas]},
    ):
        wards[r["ward_code"]] = {"name": r["name"] or r["ward_code"], "borough": r["borough"], "lsoas": r["lsoas"]}
    return wards


def _latest_12(con, where: str, params: dict[str, Any]) -> tuple[str, str] | None:
    last = store.scalar(con, f"SELECT max(month) FROM all_facts WHERE {where}", params)
    if last is None:
        return None
    first = (last.replace(day=1) - dt.timedelta(days=330)).replace(day=1)
    return _month(first), _month(last)


def _month_words(month: str) -> str:
    return dt.datetime.strptime(month, "%Y-%m").strftime("%b %Y")


def _populations(con, units: dict[str, dict[str, Any]]) -> tuple[dict[str, int], str]:
    """Census 2021 residents per unit: the sum of its LSOAs' (a unit missing any LSOA's figure has none)."""
    found = store.rows(
        con,
        "SELECT lsoa_code, residents, source FROM population WHERE list_contains($l, lsoa_code)",
        {"l": [lsoa for u in units.values() for lsoa in u["lsoas"]]},
    )
    residents: dict[str, int] = {r["lsoa_code"]: int(r["residents"]) for r in found if r["residents"] is not None}
    out: dict[str, int] = {}
    for code, unit in units.items():
        if unit["lsoas"] and all(lsoa in residents for lsoa in unit["lsoas"]):
            total = sum(residents[lsoa] for lsoa in unit["lsoas"])
            if total > 0:
                out[code] = total
    source = found[0]["source"] if found else "no population loaded"
    return out, source


def _covered(con, name: str, family: str, where: str, grain: str, window: tuple[str, str]) -> tuple[set[str], str]:
    """Boroughs (or, for a ward-grain source, ward codes) a source covers, and what it covers in words."""
    if family == "mps":
        covered = set(store.LONDON_BOROUGHS) - {CITY_OF_LONDON}
        text = "MPS data cover the 32 Metropolitan Police boroughs, not the City of London (its own police force)"
        if grain == "ward":
            wards = store.rows(con, f"SELECT DISTINCT area_code FROM all_facts WHERE {where}")
            return {r["area_code"] for r in wards}, text + "; wards the dashboard lists"
        return covered, text
    if family == "istv":
        found = store.rows(
            con,
            f"""SELECT DISTINCT borough_code FROM all_facts WHERE {where}
                AND month BETWEEN strptime($a, '%Y-%m') AND strptime($b, '%Y-%m')""",
            {"a": window[0], "b": window[1]},
        )
        return {r["borough_code"] for r in found}, "ISTV covers boroughs with a mapped A&E site"
    # police.uk: the forces with data in every month of the window.
    found = store.rows(
        con,
        f"""SELECT force_code FROM all_facts WHERE {where}
            AND month BETWEEN strptime($a, '%Y-%m') AND strptime($b, '%Y-%m')
            GROUP BY 1 HAVING count(DISTINCT month) = 12""",
        {"a": window[0], "b": window[1]},
    )
    forces = {r["force_code"] for r in found}
    covered = set()
    if store.CITY_FORCE_CODE in forces:
        covered.add(CITY_OF_LONDON)
    if store.MET_CODE in forces:
        covered |= set(store.LONDON_BOROUGHS) - {CITY_OF_LONDON}
    return covered, "data.police.uk covers the forces loaded for every month of the period"


def _indicator(
    con, name: str, *, units: dict[str, dict[str, Any]], level: str, measure_type: str, populations: dict[str, int]
) -> dict[str, Any]:
    """One indicator's values per unit, the units left out (code → why), its label and source."""

    lsoa_of = {lsoa: code for code, u in units.items() for lsoa in u["lsoas"]}
    if name in IMD_INDICATORS:
        found = store.rows(
            con,
            "SELECT lsoa_code, score FROM imd "
            "WHERE edition = '2025' AND indicator = $i AND list_contains($l, lsoa_code)",
            {"i": IMD_INDICATORS[name], "l": list(lsoa_of)},
        )
        sums: dict[str, list[float]] = {}
        for r in found:
            if r["score"] is not None:
                sums.setdefault(lsoa_of[r["lsoa_code"]], []).append(float(r["score"]))
        values = {c: sum(v) / len(v) for c, v in sums.items()}
        unit_word = "mean of its LSOAs' scores" if level != "lsoa" else "score"
        return {
            "values": values,
            "counts": {},
            "excluded": {c: "no data: no IMD 2025 score" for c in units if c not in values} if values else {},
            "unavailable": None if values else "no data loaded: IMD 2025",
            "label": f"{INDICATORS[name]['label']} ({unit_word})",
            "source": "English Indices of Deprivation 2025 (MHCLG)",
            "synthetic": False,
        }
    spec = INDICATORS[name]
    # An indicator with no figures at this level: one reason for every area (not a list of them all).
    empty = {"values": {}, "counts": {}, "excluded": {}, "synthetic": False, "label": spec["label"]}
    if name == "istv" and level != "borough":
        reason = "no data: ISTV places attendances at an A&E site's borough only, so it ranks boroughs only"
        return empty | {"source": reason, "unavailable": reason}
    some_source = False
    for family, where, grain, short in NEED_SOURCES[name]:
        if grain in {"ward", "borough"} and level != grain:
            continue
        window = _latest_12(con, where, {})
        if window is None:
            continue
        some_source = True
        covered, coverage = _covered(con, name, family, where, grain, window)
        codes = list(lsoa_of) if grain == "lsoa" else list(units)
        key = "borough_code" if family == "istv" else "area_code"
        found = store.rows(
            con,
            f"""SELECT {key} AS area_code, sum(n) AS n, bool_or(coalesce(synthetic, false)) AS synthetic
                FROM all_facts WHERE {where} AND list_contains($codes, {key})
                AND month BETWEEN strptime($a, '%Y-%m') AND strptime($b, '%Y-%m') GROUP BY 1""",
            {"codes": codes, "a": window[0], "b": window[1]},
        )
        counts: dict[str, float] = {}
        excluded: dict[str, str] = {}
        for code, unit in units.items():
            inside = (code in covered) if grain == "ward" else (unit["borough"] in covered)
            if inside:
                counts[code] = 0.0
            else:
                excluded[code] = f"no data: {coverage}"
        for r in found:
            unit_code = lsoa_of.get(r["area_code"]) if grain == "lsoa" else r["area_code"]
            if unit_code in counts:
                counts[unit_code] += float(r["n"])
        synthetic = any(r["synthetic"] for r in found)
        # The months the source has in the window: fewer than 12 are annualised and labelled so.
        months = store.scalar(
            con,
            f"""SELECT count(DISTINCT month) FROM all_facts WHERE {where}
                AND month BETWEEN strptime($a, '%Y-%m') AND strptime($b, '%Y-%m')""",
            {"a": window[0], "b": window[1]},
        )
        period = f"{_month_words(window[0])} – {_month_words(window[1])}"
        if months < 12:
            period += f" (data for {months} of the 12 months{'; annualised' if measure_type == 'rate' else ''})"
        if measure_type == "rate":
            values = {}
            for code, count in counts.items():
                rate = _rate_per_1000(count, populations.get(code), months=months)
                if rate is None:
                    excluded[code] = NO_POPULATION
                else:
                    values[code] = rate
            label = f"{spec['label']}: {spec['unit']} per 1,000 residents per year, {period}, {short}"
        else:
            values = dict(counts)
            label = f"{spec['label']}: {spec['unit']} (count), {period}, {short}"
        if grain == "lsoa" and level != "lsoa":
            how = f"summed from LSOAs to {LEVEL_LABELS[level]}s (best-fit)"
        elif grain == "ward" and measure_type == "rate":
            how = "residents of the ward's best-fit LSOAs"
        else:
            how = ""
        source = f"{SOURCE_LABELS[family]}, {period}" + (f"; {how}" if how else "")
        if synthetic:
            label += " – SYNTHETIC"
            source += "; SYNTHETIC data, for demonstration only"
        return {
            "values": values,
            "counts": counts,
            "excluded": excluded,
            "label": label,
            "source": source,
            "synthetic": synthetic,
            "window": window,
            "coverage": coverage,
        }
    reason = (
        f"no data: the data loaded have no {LEVEL_LABELS[level]} figures for this indicator"
        if some_source or any(grain == "borough" for _, _, grain, _ in NEED_SOURCES[name])
        else "no data loaded"
    )
    return empty | {"source": reason, "unavailable": reason}


def _rate_per_1000(count: float, population: int | None, *, months: int) -> float | None:
    """Annual rate per 1,000 residents of ``months`` months' count (as ``statistics.rate_per_1000``,
    without importing SciPy on a request)."""
    return 1000.0 * count * (12 / months) / population if population and months > 0 else None


def zscores(values: dict[str, float]) -> dict[str, float]:
    """Population z-scores over the areas with a value (no data is left out, never 0); all zero when equal."""
    if not values:
        return {}
    mean = sum(values.values()) / len(values)
    sd = math.sqrt(sum((v - mean) ** 2 for v in values.values()) / len(values))
    return {k: (v - mean) / sd if sd else 0.0 for k, v in values.items()}


MAX_WEIGHT = 10.0  # an indicator's weight in the need ranking: 0 (left out) to 10


def _checked_weights(weights: dict[str, float] | None) -> dict[str, float]:
    chosen = {k: float(v["weight"]) for k, v in INDICATORS.items()}
    for key, value in (weights or {}).items():
        if key not in INDICATORS:
            raise EvidenceError(f"Unknown indicator {key!r}: choose from {', '.join(INDICATORS)}")
        if not math.isfinite(value) or not 0 <= value <= MAX_WEIGHT:
            raise EvidenceError(f"The weight of {key} must be a number from 0 to {MAX_WEIGHT:g}, not {value!r}")
        chosen[key] = float(value)
    return chosen


def need_ranking(
    *, within: str, level: str = "lsoa", weights: dict[str, float] | None = None, measure_type: str = "rate"
) -> dict[str, Any]:
    """Rank LSOAs, wards or boroughs by a weighted composite of z-scores (higher = more need).

    Count indicators are rates per 1,000 residents per year by default (``measure_type="count"``: counts).
    Computed once per version of the store for each request's parameters.
    """
    if level not in {"lsoa", "ward", "borough"}:
        raise EvidenceError("Rank LSOAs, wards or boroughs")
    if measure_type not in MEASURE_TYPES:
        raise EvidenceError(f"Rank by {' or '.join(MEASURE_TYPES)}, not {measure_type!r}")
    chosen = _checked_weights(weights)
    scope = area_get(code=within)
    key = ("need_ranking", scope.code, level, measure_type, tuple(sorted(chosen.items())))
    with store.connect():  # one version of the store throughout
        return _copy_ranking(
            store.cached(key, lambda: _need_ranking(scope=scope, level=level, chosen=chosen, measure_type=measure_type))
        )


def _copy_ranking(ranking: dict[str, Any]) -> dict[str, Any]:
    """A copy the caller may change (the cached ranking stays as computed); ten times faster than deepcopy."""
    return ranking | {
        "indicators": {k: v | {"excluded": [dict(e) for e in v["excluded"]]} for k, v in ranking["indicators"].items()},
        "rows": [r | {"components": {k: dict(c) for k, c in r["components"].items()}} for r in ranking["rows"]],
    }


def _caveat(unit: dict[str, Any], measure_type: str) -> str | None:
    reason = POOR_DENOMINATOR.get(unit["borough"])
    if measure_type != "rate" or reason is None:
        return None
    return f"Residents are a poor denominator here: {reason}, so rates per resident overstate the risk to residents"


def _need_ranking(*, scope: Area, level: str, chosen: dict[str, float], measure_type: str) -> dict[str, Any]:
    with store.connect() as con:
        units = _units(con, within=scope, level=level)
        populations, population_source = _populations(con, units)
        indicators: dict[str, dict[str, Any]] = {}
        for key, weight in chosen.items():
            if weight <= 0:
                continue
            ind = _indicator(con, key, units=units, level=level, measure_type=measure_type, populations=populations)
            indicators[key] = ind | {"weight": weight, "z": zscores(ind["values"])}
    rows = []
    for code, unit in units.items():
        components = {}
        total = weight_sum = 0.0
        synthetic = False
        for key, ind in indicators.items():
            component: dict[str, Any] = {"value": None, "z": None, "weight": ind["weight"]}
            if key in COUNT_INDICATORS:
                component["count"] = ind["counts"].get(code)
                component["synthetic"] = ind["synthetic"]
            if code in ind["values"]:
                z = ind["z"][code]
                component |= {"value": round(ind["values"][code], 3), "z": round(z, 3)}
                total += ind["weight"] * z
                weight_sum += ind["weight"]
                synthetic = synthetic or ind["synthetic"]
            else:
                component["no_data"] = ind["excluded"].get(code) or ind.get("unavailable") or "no data"
            components[key] = component
        score = total / weight_sum if weight_sum else None
        rows.append(
            {
                "area": code,
                "name": unit["name"],
                "score": None if score is None else round(score, 4),
                "components": components,
                "population": populations.get(code),
                "caveat": _caveat(unit, measure_type),
                "synthetic": synthetic,
            }
        )
    rows.sort(key=lambda r: (r["score"] is None, -(r["score"] or 0), r["area"]))
    for number, r in enumerate(rows, start=1):
        r["rank"] = number if r["score"] is not None else None
    names = {code: unit["name"] for code, unit in units.items()}
    return {
        "within": scope.code,
        "within_name": scope.name,
        "level": level,
        "measure_type": measure_type,
        "population_source": population_source,
        "indicators": {
            k: {
                "name": INDICATORS[k]["label"],
                "label": v["label"],
                "weight": v["weight"],
                "source": v["source"],
                "synthetic": v["synthetic"],
                "unavailable": v.get("unavailable"),
                "areas": len(v["values"]),
                "mean": (sum(v["values"].values()) / len(v["values"])) if v["values"] else None,
                "excluded": [
                    {"area": c, "name": names.get(c, c), "reason": why} for c, why in sorted(v["excluded"].items())
                ],
            }
            for k, v in indicators.items()
        },
        "istv_synthetic": bool(indicators.get("istv", {}).get("synthetic")),
        "synthetic": any(v["synthetic"] for v in indicators.values()),
        "rows": [
            {k: r[k] for k in ("area", "name", "score", "rank", "components", "population", "caveat", "synthetic")}
            for r in rows
        ],
    }


def _geometries(*, scope: Area, level: str) -> list[tuple[str, str, str]]:
    """(code, name, GeoJSON geometry text) of the areas ranked, read once per version of the store."""

    def read() -> list[tuple[str, str, str]]:
        with store.connect() as con:
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
        return [(r["code"], r["name"], r["geojson"]) for r in found]

    return store.cached(("need_geometries", scope.code, level), read)


def map_layer(*, within: str, level: str) -> dict[str, Any]:
    """GeoJSON FeatureCollection of the areas ranked (no tile server: the shapes are the map)."""
    scope = area_get(code=within)
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"code": code, "name": name}, "geometry": json.loads(geometry)}
            for code, name, geometry in _geometries(scope=scope, level=level)
        ],
    }


def need_map(*, within: str, level: str, weights: dict[str, float] | None = None, measure_type: str = "rate") -> str:
    """The map of a ranking as GeoJSON text: each area's shape with its rank, score and quintile.

    The shapes' text is read once per version of the store and spliced in as it is stored (no parse
    and re-serialise of ≈3 MB of coordinates per request); only the small properties are encoded.
    """
    ranking = need_ranking(within=within, level=level, weights=weights, measure_type=measure_type)
    scope = area_get(code=within)
    ranks = {r["area"]: r for r in ranking["rows"]}
    ranked = sum(1 for r in ranking["rows"] if r["rank"])
    parts = []
    for code, name, geometry in _geometries(scope=scope, level=level):
        row = ranks.get(code)
        rank = row["rank"] if row else None
        properties = {
            "code": code,
            "name": name,
            "rank": rank,
            "score": row["score"] if row else None,
            "quintile": 1 + (5 * (rank - 1)) // ranked if rank and ranked else None,
        }
        parts.append(f'{{"type":"Feature","properties":{json.dumps(properties)},"geometry":{geometry}}}')
    return '{"type":"FeatureCollection","features":[' + ",".join(parts) + "]}"


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
