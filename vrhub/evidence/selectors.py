# ruff: noqa: S608 - SQL text here is built from this module's constants only; every input is a parameter.
"""Reads from the evidence store: areas, measures, trends, multiple-need rankings, map layers.

A trend figure an analyst can sign (see ``measures`` for units and the names people type):

* **Coverage.** Each source knows the areas and months it covers: data.police.uk the (force, month)
  pairs loaded; MPS sources the Met's 32 boroughs (not the City of London, E09000001), their wards and
  LSOAs, for the months present in each source file; ISTV the boroughs with a mapped A&E site, for the
  months loaded. Outside coverage (wholly or partly) a figure is "no data": ``None``, never 0.
* **Periods** of unequal length are refused unless annualised (12-month rates compared, labelled so).
* **Rates** per 1,000 residents a year, from Census 2021 LSOA populations summed to the area.
* **Significance**: ``statistics.poisson_change`` (exact conditional test, 95 % interval for the ratio).
* **Comparisons**: the same measure and periods for the area's BCU, London, and England and Wales.
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import json
import math
from dataclasses import dataclass, field
from typing import Any

from vrhub.core.words import period_words
from vrhub.evidence import measures as units
from vrhub.evidence import statistics, store
from vrhub.organisations.london import BCUS

FAMILIES = {
    "police.uk": ("police_uk",),
    "mps": ("mps_lsoa", "mps_ward", "mps_borough", "mps_dashboard", "mps_homicide", "mps_vawg"),
    "istv": ("istv",),
}
SOURCE_LABELS = {
    "police.uk": "data.police.uk street-level crime",
    "mps": "Metropolitan Police recorded crime (London Datastore)",
    "istv": "ISTV A&E assault attendances",
}
# Labels of one source of a family (a measure's figures come from one of them).
SOURCE_NAMES = {
    "police_uk": "data.police.uk street-level crime",
    "mps_lsoa": "Metropolitan Police recorded crime (London Datastore)",
    "mps_ward": "Metropolitan Police recorded crime (London Datastore)",
    "mps_borough": "Metropolitan Police recorded crime (London Datastore)",
    "mps_dashboard": "Metropolitan Police monthly crime dashboard (London Datastore)",
    "mps_homicide": "Metropolitan Police homicide (London Datastore)",
    "mps_vawg": "Metropolitan Police violence against women and girls (London Datastore)",
    "istv": "ISTV A&E assault attendances",
}
LEVEL_LABELS = {
    "lsoa": "LSOA",
    "ward": "ward",
    "borough": "borough",
    "bcu": "BCU",
    "force": "police force",
    "london": "London",
    "national": "England and Wales",
}
ENGLAND_WALES = "K04000001"
MET_BOROUGHS = [c for c in store.LONDON_BOROUGHS if c != "E09000001"]
# Where residents are a poor denominator: many more people work in or visit these areas than live there.
POOR_DENOMINATOR = {
    "E09000001": "the City of London",
    "E09000033": "Westminster (the West End)",
}
POPULATION_SOURCE = "Census 2021 usual residents (ONS, table TS001)"


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
    level: str  # lsoa, ward, borough, force, london (and, for comparisons, bcu and national)
    boroughs: tuple[str, ...] = field(default=(), compare=False)  # a BCU's boroughs


@dataclass(frozen=True)
class Measure:
    family: str
    category: str
    subcategory: str | None
    synthetic: bool = field(default=False, compare=False)  # any of its data synthetic
    sources: tuple[str, ...] = field(default=(), compare=False)  # the store sources its figures come from
    unit: str = field(default=units.OFFENCES, compare=False)

    @property
    def name(self) -> str:
        return self.category + (f"/{self.subcategory}" if self.subcategory else "")

    @property
    def qualified(self) -> str:
        return f"{self.family}:{self.name}"

    @property
    def label(self) -> str:
        return f"{self.name} ({self.family}, {self.unit})" + (" – Synthetic" if self.synthetic else "")

    @property
    def source_label(self) -> str:
        return SOURCE_NAMES.get(self.sources[0], SOURCE_LABELS[self.family]) if self.sources else ""


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
        if not known and code[:3] in {"E01", "W01"}:
            known = store.rows(
                con, "SELECT lsoa_name AS name, 'lsoa' AS level FROM population WHERE lsoa_code = $c", {"c": code}
            )
    if code in forces:
        return Area(code, forces[code], "force")
    if code in store.LONDON_BOROUGHS:
        return Area(code, store.LONDON_BOROUGHS[code], "borough")
    if known:
        level = {"lad": "borough", "csp": "borough"}.get(known[0]["level"], known[0]["level"])
        return Area(code, known[0]["name"] or code, level)
    csp = _organisation_area(code)
    if csp:  # a CSP area on this service, before (or without) its boundary in the store
        return Area(code, csp, "borough")
    raise EvidenceError(
        f"Unknown area {code!r}: give an LSOA, ward, borough or police force code, or {store.LONDON_CODE}"
    )


# --- the workbench of a VRU ---
# A VRU's people work on its own areas (its CSPs, from ``Organisation``) and the force areas they lie in.
# London's workbench is London (E12000007), the Met, the City of London Police and the 33 boroughs; any
# other VRU's is its force area(s) and CSPs, whose data.police.uk figures count the LSOAs of the CSP's
# district (LSOA_METHOD).

LSOA_METHOD = (
    "Outside London, data.police.uk crimes are placed in a Community Safety Partnership by their LSOA’s "
    "district: the prefix of the LSOA’s name (“Birmingham 001A” is in Birmingham), matched to the "
    "CSP’s name. This is a best fit: a CSP named differently from its district, or spanning several, is not matched."
)


@dataclass(frozen=True)
class Workbench:
    vru: str  # the VRU's code
    name: str  # where the workbench is: "London", "West Midlands Police force area"
    region: str  # the area code the pages start from: London, or the VRU's (first) police force area
    forces: tuple[tuple[str, str], ...]  # (code, name) of the police force areas the VRU's areas lie in
    areas: tuple[tuple[str, str], ...]  # (code, name) of its CSP areas, by name
    london: bool

    @property
    def lsoa_method(self) -> str | None:
        """How police.uk figures are placed in this workbench's areas, where it is a best fit."""
        return None if self.london else LSOA_METHOD

    def choices(self) -> list[tuple[str, str]]:
        """Area picker choices: the region, its forces, then its areas."""
        if self.london:
            return [
                (store.LONDON_CODE, "London"),
                (store.MET_CODE, "Metropolitan Police (force)"),
                (store.CITY_FORCE_CODE, "City of London Police (force)"),
                *self.areas,
            ]
        return [(code, f"{name} (force area)") for code, name in self.forces] + list(self.areas)


def workbench_for(*, vru: str | None) -> Workbench:
    """The workbench of the VRU with code ``vru`` (London's for London, or for no VRU at all)."""
    from vrhub.organisations.models import Organisation  # the ORM only here, for the VRU's own areas

    areas: tuple[tuple[str, str], ...]
    forces: tuple[tuple[str, str], ...]
    if not vru or vru == store.LONDON_VRU:
        areas = tuple(sorted(store.LONDON_BOROUGHS.items(), key=lambda c: c[1]))
        forces = ((store.MET_CODE, "Metropolitan Police Service"), (store.CITY_FORCE_CODE, "City of London Police"))
        return Workbench(store.LONDON_VRU, "London", store.LONDON_CODE, forces, areas, True)
    found = Organisation.objects.filter(kind=Organisation.Kind.AREA, vru__code=vru).select_related("police_force")
    areas = tuple(sorted(((a.code, a.name) for a in found), key=lambda c: c[1]))
    forces = tuple(sorted({(a.police_force.code, a.police_force.name) for a in found if a.police_force}))
    name = " and ".join(n for _, n in forces) + " force area" if forces else vru
    return Workbench(vru, name, forces[0][0] if forces else "", forces, areas, False)


def _organisation_area(code: str) -> str | None:
    """The name of a CSP area on this service coded ``code`` (outside London, its CSP code)."""
    from vrhub.organisations import ons
    from vrhub.organisations.models import Organisation

    if not ons.is_csp_code(code):
        return None
    found = Organisation.objects.filter(kind=Organisation.Kind.AREA, code=code).values_list("name", flat=True).first()
    return found


def _area_forces(code: str) -> list[str]:
    """The police force area a CSP area on this service lies in (``Organisation.police_force``), if known."""
    from vrhub.organisations import ons
    from vrhub.organisations.models import Organisation

    if not ons.is_csp_code(code):  # London's boroughs (E09) are placed by the London rules
        return []
    found = Organisation.objects.filter(kind=Organisation.Kind.AREA, code=code, police_force__isnull=False)
    return sorted(found.values_list("police_force__code", flat=True))


def is_london(con, area: Area) -> bool:
    """Whether an area lies in London (its figures compare with London's)."""
    if area.level in {"london", "bcu"}:
        return True
    if area.level == "force":
        return area.code in {store.MET_CODE, store.CITY_FORCE_CODE}
    if area.level == "national":
        return False
    return _borough_of(con, area) in store.LONDON_BOROUGHS


def bcu_of(*, borough: str) -> Area | None:
    """The Met Basic Command Unit a London borough is policed by (None for the City of London)."""
    for key, (name, boroughs) in BCUS.items():
        if borough in boroughs:
            return Area(f"BCU:{key}", name, "bcu", tuple(boroughs))
    return None


def measures_list() -> list[Measure]:
    return list(store.cached(("measures_list",), _measures_list))


def _group(source: str) -> tuple[str, ...]:
    return units.RECORDED_CRIME if source in units.RECORDED_CRIME else (source,)


def _measures_list() -> tuple[Measure, ...]:
    """One measure per series (and per category whose series all share one unit), each of one unit."""
    with store.connect() as con:
        found = store.rows(
            con,
            "SELECT source, category, subcategory, bool_or(synthetic) AS synthetic FROM all_facts "
            "GROUP BY ALL ORDER BY source, category, subcategory NULLS FIRST",
        )
    by_category: dict[tuple[tuple[str, ...], str], list[dict[str, Any]]] = {}
    for r in found:
        if r["source"] in units.FAMILY_OF_SOURCE:
            by_category.setdefault((_group(r["source"]), r["category"]), []).append(r)
    out: list[Measure] = []
    seen: set[str] = set()
    for (group, category), series in by_category.items():
        family = units.FAMILY_OF_SOURCE[group[0]]
        unit_set = {units.unit_of(source=group[0], category=category, subcategory=r["subcategory"]) for r in series}
        candidates = []
        if len(unit_set) == 1:  # never a sum of offences, positive outcomes and victims
            whole = any(r["synthetic"] for r in series)
            candidates.append(Measure(family, category, None, whole, group, unit_set.pop()))
        for r in series:
            if r["subcategory"]:
                unit = units.unit_of(source=group[0], category=category, subcategory=r["subcategory"])
                candidates.append(Measure(family, category, r["subcategory"], bool(r["synthetic"]), group, unit))
        for m in candidates:
            if m.qualified not in seen:
                seen.add(m.qualified)
                out.append(m)
    return tuple(out)


def _covers(measure: Measure, area: Area | None) -> bool:
    """Whether the measure's source has data for the area at all (months aside)."""
    if area is None:
        return True
    try:
        with store.connect() as con:
            return _area_inside(con, area, measure)
    except EvidenceError:
        return False


def measure_get(*, name: str, area: Area | None = None) -> Measure:
    """A measure by the name a person types: ``[family:]category[/subcategory]``, a subcategory alone, or a
    common word (``measures.ALIASES``); case-insensitive. Where a name fits measures of more than one source,
    the one whose source covers ``area`` is chosen; if that does not settle it, the error lists the choices."""
    _bounded(name, what="A measure name", limit=MEASURE_MAX)
    family, _, rest = name.partition(":") if ":" in name and name.split(":", 1)[0] in FAMILIES else ("", "", name)
    rest = " ".join(rest.split())
    low = rest.lower()
    if not low:
        raise EvidenceError("Unknown measure '': give a measure name (e.g. Robbery, Knife crime, Violence with injury)")
    available = measures_list()
    candidates = [m for m in available if not family or m.family == family]
    by_qualified = {m.qualified: m for m in available}
    if family:
        exact = [m for m in candidates if m.name == rest]
        if len(exact) == 1:
            return exact[0]
    if low in units.ALIASES:
        aliased = [by_qualified[q] for q in units.ALIASES[low] if q in by_qualified]
        aliased = [m for m in aliased if not family or m.family == family]
        covering = [m for m in aliased if _covers(m, area)]
        if covering or aliased:
            return (covering or aliased)[0]
    tiers: list[list[Measure]] = []
    tiers.append([m for m in candidates if m.name.lower() == low])
    tiers.append([m for m in candidates if m.subcategory and m.subcategory.lower() == low])
    tiers.append([m for m in candidates if m.subcategory is None and m.category.lower() == low])
    for hits in tiers:
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            covering = [m for m in hits if _covers(m, area)]
            if len(covering) == 1:
                return covering[0]
            choices = ", ".join(h.qualified for h in (covering or hits))
            where = f" for {area.name}" if area else ""
            raise EvidenceError(f"{name!r} fits more than one measure{where}: give one of {choices}")
    words = sorted(
        {m.name for m in candidates}
        | {m.subcategory for m in candidates if m.subcategory}
        | {m.category for m in candidates}
        | set(units.ALIASES)
    )
    spelled = {w.lower(): w for w in words}
    close = difflib.get_close_matches(low, list(spelled), n=4, cutoff=0.6)
    hint = ("; did you mean " + " or ".join(repr(spelled[c]) for c in close) + "?") if close else ""
    raise EvidenceError(
        f"Unknown measure {name!r}: see the list of measures (e.g. Robbery, Knife crime, Violence with injury){hint}"
    )


# The rows of a source counted by borough that make up each level of area (the Met's boroughs only).
BOROUGH_ROWS = {
    "borough": "level = 'borough' AND area_code = $code",
    "bcu": "level = 'borough' AND list_contains($boroughs, area_code)",
    "force": "level = 'borough' AND $code = '" + store.MET_CODE + "'",
    "london": "level = 'borough'",
    "national": "FALSE",
}


def _filters(area: Area, measure: Measure) -> tuple[str, dict[str, Any]]:
    """SQL (WHERE clause over ``all_facts``) selecting one measure in one area, without double counting."""
    params: dict[str, Any] = {"code": area.code, "name": area.name, "cat": measure.category}
    where = ["category = $cat"]
    if measure.subcategory:
        where.append("subcategory = $sub")
        params["sub"] = measure.subcategory
    sources = measure.sources or _group(FAMILIES[measure.family][0])
    if area.level == "bcu":
        params["boroughs"] = list(area.boroughs)
        params["names"] = [store.LONDON_BOROUGHS[b] for b in area.boroughs]
    if sources == ("police_uk",):
        where.append("source = 'police_uk'")
        where.append(
            {
                "lsoa": "area_code = $code",
                "ward": "area_code IN (SELECT lsoa_code FROM lsoa_ward WHERE ward_code = $code)",
                "borough": "(borough_code = $code OR (borough_code IS NULL AND borough_name = $name))",
                "bcu": "list_contains($names, borough_name)",
                "force": "force_code = $code",
                "london": f"force_code IN ('{store.MET_CODE}', '{store.CITY_FORCE_CODE}')",
                "national": "force_code IS NOT NULL",
            }[area.level]
        )
    elif sources == units.RECORDED_CRIME:
        where.append(
            {
                "lsoa": "source = 'mps_lsoa' AND area_code = $code",
                "ward": "source = 'mps_ward' AND area_code = $code",
                "borough": "source = 'mps_borough' AND borough_code = $code",
                "bcu": "source = 'mps_borough' AND list_contains($boroughs, borough_code)",
                "force": "source = 'mps_borough' AND $code = '" + store.MET_CODE + "'",
                "london": "source = 'mps_borough'",
                "national": "FALSE",
            }[area.level]
        )
    elif sources == ("mps_dashboard",):
        where.append("source = 'mps_dashboard'")
        where.append({"lsoa": "FALSE", "ward": "level = 'ward' AND area_code = $code", **BOROUGH_ROWS}[area.level])
    elif sources[0] in units.BOROUGH_ONLY:
        if area.level in {"lsoa", "ward"}:
            raise EvidenceError(
                f"{measure.name} is counted by borough only, not by {LEVEL_LABELS[area.level]}: "
                "choose a borough, BCU, the Met or London"
            )
        where.append("source = '" + ("mps_homicide" if sources[0] == "mps_homicide" else "mps_vawg") + "'")
        where.append(BOROUGH_ROWS[area.level])
    else:
        # ISTV counts are by A&E site, placed in a borough by a best-effort lookup: no LSOA, ward or force
        # (outside London, where no lookup places sites, a VRU's sites count in its own force area only).
        if _istv_vru_force(area):
            where.append("source = 'istv'")
            return " AND ".join(where), {k: v for k, v in params.items() if f"${k}" in " ".join(where)}
        if area.level not in {"borough", "bcu", "london", "national"}:
            raise EvidenceError(
                f"ISTV data are counted by A&E site and borough, not by {LEVEL_LABELS[area.level]}: "
                "choose a borough or London"
            )
        where.append("source = 'istv'")
        where.append(
            {
                "borough": "borough_code = $code",
                "bcu": "list_contains($boroughs, borough_code)",
                "london": "TRUE",
                "national": "FALSE",
            }[area.level]
        )
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


# --- coverage -----------------------------------------------------------------------------------


def _force_months(con) -> str:
    """The relation holding data.police.uk's (force, month) pairs: the ``police_force_months`` view, or
    in a store made before it (until its next load) the counts table itself. A name from this module."""

    def compute() -> str:
        found = store.scalar(
            con, "SELECT count(*) FROM duckdb_views() WHERE view_name = 'police_force_months' AND NOT temporary"
        )
        return "police_force_months" if found else "police_facts"

    return store.cached(("force_months_relation",), compute)


def _source_months(con, *, source: str, level: str | None = None) -> frozenset[dt.date]:
    """The months a source (at one level of it) has any row for."""

    def compute() -> frozenset[dt.date]:
        if source == "police_uk":
            found = store.rows(con, f"SELECT DISTINCT month FROM {_force_months(con)}")
        elif level is None:
            found = store.rows(con, "SELECT DISTINCT month FROM facts WHERE source = $s", {"s": source})
        else:
            found = store.rows(
                con, "SELECT DISTINCT month FROM facts WHERE source = $s AND level = $l", {"s": source, "l": level}
            )
        return frozenset(r["month"] for r in found)

    return store.cached(("source_months", source, level), compute)


def _police_months(con) -> dict[str, frozenset[dt.date]]:
    """data.police.uk: the months loaded for each force (force code → months)."""

    def compute() -> dict[str, frozenset[dt.date]]:
        found = store.rows(
            con,
            f"SELECT force_code, list(DISTINCT month) AS months FROM {_force_months(con)} "
            "WHERE force_code IS NOT NULL GROUP BY force_code",
        )
        return {r["force_code"]: frozenset(r["months"]) for r in found}

    return store.cached(("police_months",), compute)


def _istv_vru_force(area: Area) -> bool:
    """Whether ``area`` is the force area of the VRU whose ISTV data this read sees (outside London: every
    site of that VRU counts there). Only in a read scoped to one VRU (a web request)."""
    vru = store.current_vru()
    if area.level != "force" or vru in {None, store.NO_VRU, store.LONDON_VRU}:
        return False
    return area.code in {code for code, _ in workbench_for(vru=vru).forces}


def _istv_boroughs(con) -> frozenset[str]:
    return store.cached(
        ("istv_boroughs",),
        lambda: frozenset(
            r["b"]
            for r in store.rows(
                con, "SELECT DISTINCT borough_code AS b FROM facts WHERE source = 'istv' AND borough_code IS NOT NULL"
            )
        ),
    )


def _istv_site_months(con) -> dict[str, frozenset[dt.date]]:
    """ISTV: the months each A&E site sent an extract for — its loaded reporting periods (start to end;
    an older row without them, the month of its arrival); a site with counts but no rows, its counts' months."""

    def compute() -> dict[str, frozenset[dt.date]]:
        out: dict[str, set[dt.date]] = {}
        found = store.rows(
            con,
            "SELECT DISTINCT site_code, coalesce(period_start, date_trunc('month', arrival)::DATE) AS first, "
            "coalesce(period_end, date_trunc('month', arrival)::DATE) AS last FROM istv "
            "WHERE site_code IS NOT NULL AND coalesce(period_start, arrival) IS NOT NULL",
        )
        for r in found:
            out.setdefault(r["site_code"], set()).update(_months_between(r["first"], r["last"]))
        with_periods = set(out)
        for r in store.rows(con, "SELECT DISTINCT area_code AS site, month FROM facts WHERE source = 'istv'"):
            if r["site"] not in with_periods:
                out.setdefault(r["site"], set()).add(r["month"])
        return {site: frozenset(months) for site, months in out.items()}

    return store.cached(("istv_site_months",), compute)


def _istv_covered_months(con, area: Area) -> frozenset[dt.date]:
    """The months in which at least one of the area's A&E sites sent an extract (a month no site of the area
    reported is "no data", even where other areas' sites reported it)."""
    sites = store.rows(con, "SELECT DISTINCT area_code AS site, borough_code AS b FROM facts WHERE source = 'istv'")
    if area.level == "london" or _istv_vru_force(area):
        wanted = {r["site"] for r in sites}
    elif area.level == "bcu":
        wanted = {r["site"] for r in sites if r["b"] in area.boroughs}
    else:
        wanted = {r["site"] for r in sites if r["b"] == area.code}
    loaded = _istv_site_months(con)
    return frozenset().union(*(loaded.get(s, frozenset()) for s in wanted))


def _borough_of(con, area: Area) -> str | None:
    """The London borough (or other local authority) an LSOA or ward lies in, if the store knows it."""
    if area.level == "borough":
        return area.code
    if area.level == "lsoa":
        found = store.scalar(
            con, "SELECT any_value(parent_code) FROM areas WHERE level = 'lsoa' AND code = $c", {"c": area.code}
        )
    elif area.level == "ward":
        found = store.scalar(con, "SELECT any_value(lad_code) FROM lsoa_ward WHERE ward_code = $c", {"c": area.code})
        found = found or store.scalar(
            con, "SELECT any_value(parent_code) FROM areas WHERE level = 'ward' AND code = $c", {"c": area.code}
        )
    else:
        return None
    if not found:
        found = store.scalar(
            con,
            "SELECT any_value(borough_code) FROM facts WHERE area_code = $c AND borough_code IS NOT NULL",
            {"c": area.code},
        )
    if not found:
        prefix = store.scalar(con, "SELECT any_value(lsoa_name) FROM population WHERE lsoa_code = $c", {"c": area.code})
        found = next((c for c, n in store.LONDON_BOROUGHS.items() if prefix and prefix.startswith(n + " ")), None)
    return found


def _police_forces_for(con, area: Area) -> set[str]:
    """The police forces whose data.police.uk files an area's figure needs."""
    if area.level == "force":
        return {area.code}
    if area.level == "london":
        return {store.MET_CODE, store.CITY_FORCE_CODE}
    if area.level == "national":
        return set(store.POLICE_FORCES.values())
    if area.level == "bcu":
        return {store.MET_CODE}
    borough = _borough_of(con, area)
    if borough in store.LONDON_BOROUGHS:
        return {store.CITY_FORCE_CODE if borough == "E09000001" else store.MET_CODE}
    found = store.rows(
        con,
        "SELECT DISTINCT force_code FROM all_facts WHERE source = 'police_uk' AND force_code IS NOT NULL AND "
        "(area_code = $c OR borough_name = $n)",
        {"c": area.code, "n": area.name},
    )
    # None loaded: the force the area lies in, if this service knows it (so "not loaded" can name it).
    return {r["force_code"] for r in found} or set(_area_forces(area.code))


def _area_inside(con, area: Area, measure: Measure) -> bool:
    """Whether the measure's source covers the area (in at least one month)."""
    sources = measure.sources or _group(FAMILIES[measure.family][0])
    if sources == ("police_uk",):
        forces = _police_forces_for(con, area)
        loaded = _police_months(con)
        return bool(forces) and all(f in loaded for f in forces)
    if sources == ("istv",):
        if _istv_vru_force(area):
            return bool(_istv_site_months(con))
        if area.level == "london":
            return bool(_istv_boroughs(con))
        if area.level == "bcu":
            return all(b in _istv_boroughs(con) for b in area.boroughs)
        return area.level == "borough" and area.code in _istv_boroughs(con)
    # MPS: the Met's 32 boroughs (not the City of London), their wards and LSOAs.
    if area.level in {"london", "bcu"}:
        return True
    if area.level == "force":
        return area.code == store.MET_CODE
    if area.level == "national":
        return False
    if sources[0] in units.BOROUGH_ONLY and area.level != "borough":
        return False
    if sources == ("mps_dashboard",) and area.level == "lsoa":
        return False
    return _borough_of(con, area) in MET_BOROUGHS


def _covered_months(con, area: Area, measure: Measure) -> frozenset[dt.date]:
    """The months in which the measure's source covers the area (empty: no coverage)."""
    if not _area_inside(con, area, measure):
        return frozenset()
    sources = measure.sources or _group(FAMILIES[measure.family][0])
    if sources == ("police_uk",):
        loaded = _police_months(con)
        sets = [loaded[f] for f in _police_forces_for(con, area)]
        return frozenset.intersection(*sets) if sets else frozenset()
    if sources == units.RECORDED_CRIME:
        source = {"lsoa": "mps_lsoa", "ward": "mps_ward"}.get(area.level, "mps_borough")
        return _source_months(con, source=source)
    if sources == ("mps_dashboard",):
        return _source_months(con, source="mps_dashboard", level="ward" if area.level == "ward" else "borough")
    if sources == ("istv",):
        return _istv_covered_months(con, area)
    return _source_months(con, source=sources[0])


def _span(months: frozenset[dt.date]) -> str:
    return f"{_month(min(months))}:{_month(max(months))}" if months else "none"


def _source_covers(con, measure: Measure) -> str:
    """What a measure's source covers, in words."""
    sources = measure.sources or _group(FAMILIES[measure.family][0])
    if sources == ("police_uk",):
        loaded = _police_months(con)
        if not loaded:
            return "no data.police.uk data loaded"
        names = {v: k for k, v in store.POLICE_FORCES.items()}
        parts = [f"{names.get(f, f)} {_span(m).replace(':', ' to ')}" for f, m in sorted(loaded.items())]
        return f"{'; '.join(parts)} ({len(loaded)} of {len(store.POLICE_FORCES)} forces loaded)"
    if sources == ("istv",):
        return f"A&E sites mapped to {len(_istv_boroughs(con))} London boroughs"
    return "the Metropolitan Police's 32 boroughs, their wards and LSOAs (not the City of London)"


def coverage(*, area: Area, measure: Measure, months: list[dt.date]) -> dict[str, Any]:
    """Whether the source covers the area in every one of ``months`` (the ``coverage`` object)."""
    with store.connect() as con:
        covered = _covered_months(con, area, measure)
        area_inside = _area_inside(con, area, measure)
        covers = _source_covers(con, measure)
    missing = [m for m in months if m not in covered]
    return {
        "inside": area_inside and not missing,
        "area_inside": area_inside,
        "source_covers": covers,
        "months": _span(covered),
        "months_missing": len(missing),
    }


# --- population ---------------------------------------------------------------------------------


def _lsoas_of_boroughs(con, boroughs: list[str]) -> list[str]:
    found = store.rows(
        con,
        "SELECT DISTINCT code FROM areas WHERE level = 'lsoa' AND list_contains($b, parent_code)",
        {"b": boroughs},
    )
    have = {r["code"] for r in found}
    parents = {
        r["p"]
        for r in store.rows(
            con,
            "SELECT DISTINCT parent_code AS p FROM areas WHERE level = 'lsoa' AND list_contains($b, parent_code)",
            {"b": boroughs},
        )
    }
    # Boroughs without loaded boundaries: the LSOAs named after them ("Havering 001A").
    for b in boroughs:
        if b not in parents and b in store.LONDON_BOROUGHS:
            named = store.rows(
                con,
                "SELECT lsoa_code FROM population WHERE starts_with(lsoa_name, $p)",
                {"p": store.LONDON_BOROUGHS[b] + " "},
            )
            have |= {r["lsoa_code"] for r in named}
    return sorted(have)


def population(*, area: Area, measure: Measure | None = None) -> dict[str, Any]:
    """Census 2021 usual residents of an area: the sum of its LSOAs' residents (``{"value", "source"}``).

    LSOA: itself; ward: its LSOAs (``lsoa_ward``, best fit); borough: the LSOAs whose parent is the borough;
    BCU: its boroughs; the Met: its 32 boroughs; the City of London Police: the City; London: 33 boroughs
    (32 for MPS measures, which do not cover the City). Other forces and England and Wales: every LSOA of
    England and Wales for the national figure, none for a force outside London."""
    mps = measure is not None and measure.family == "mps"
    with store.connect() as con:
        if not store.scalar(con, "SELECT count(*) FROM population"):
            return {"value": None, "source": "no population loaded (load_population)"}
        note = POPULATION_SOURCE
        if area.level == "lsoa":
            codes = [area.code]
        elif area.level == "ward":
            codes = [
                r["lsoa_code"]
                for r in store.rows(
                    con, "SELECT DISTINCT lsoa_code FROM lsoa_ward WHERE ward_code = $w", {"w": area.code}
                )
            ]
            note += ", summed over the ward's LSOAs (best fit)"
        elif area.level == "borough":
            codes = _lsoas_of_boroughs(con, [area.code])
        elif area.level == "bcu":
            codes = _lsoas_of_boroughs(con, list(area.boroughs))
        elif area.level == "force" and area.code in {store.MET_CODE, store.CITY_FORCE_CODE}:
            boroughs = MET_BOROUGHS if area.code == store.MET_CODE else ["E09000001"]
            codes = _lsoas_of_boroughs(con, boroughs)
        elif area.level == "london":
            codes = _lsoas_of_boroughs(con, MET_BOROUGHS if mps else list(store.LONDON_BOROUGHS))
            note += ", the Met's 32 boroughs (MPS data do not cover the City of London)" if mps else ", 33 boroughs"
        elif area.level == "national":
            value = store.scalar(con, "SELECT sum(residents) FROM population WHERE lsoa_code[1] IN ('E', 'W')")
            return {"value": int(value) if value else None, "source": note + ", England and Wales"}
        else:
            return {"value": None, "source": f"no population for {area.name}: its LSOAs are not known here"}
        if not codes:
            return {"value": None, "source": f"no population for {area.name}: its LSOAs are not known here"}
        value = store.scalar(
            con, "SELECT sum(residents) FROM population WHERE list_contains($c, lsoa_code)", {"c": codes}
        )
    return {"value": int(value) if value else None, "source": note}


def denominator_caveat(*, area: Area) -> str | None:
    """Words of warning where residents are a poor denominator (the City of London, Westminster's West End)."""
    borough = area.code if area.level == "borough" else None
    if area.level in {"lsoa", "ward"}:
        with store.connect() as con:
            borough = _borough_of(con, area)
    if area.level == "force" and area.code == store.CITY_FORCE_CODE:
        borough = "E09000001"
    if area.level == "bcu" and "E09000033" in area.boroughs:
        borough = "E09000033"
    if borough in POOR_DENOMINATOR:
        return (
            f"Residents are a poor denominator in {POOR_DENOMINATOR[borough]}: far more people work in or "
            "visit the area than live there, so a rate per 1,000 residents overstates the risk to any one person."
        )
    return None


# --- trends -------------------------------------------------------------------------------------


def trend_series(*, area: Area, measure: Measure) -> dict[str, Any]:
    """The monthly series over the months the measure's source has; ``None`` ("no data", never 0) in the
    months it does not cover the area, 0 in a covered month with nothing recorded."""
    where, params = _filters(area, measure)
    with store.connect() as con:
        found = store.rows(con, f"SELECT month, sum(n) AS n FROM all_facts WHERE {where} GROUP BY month", params)
        covered = _covered_months(con, area, measure)
        sources = list(measure.sources or FAMILIES[measure.family])
        span = store.rows(
            con,
            "SELECT min(month) AS first, max(month) AS last, bool_or(synthetic) AS synthetic FROM all_facts "
            "WHERE category = $cat AND list_contains($sources, source)",
            {"cat": measure.category, "sources": sources},
        )[0]
    by_month = {r["month"]: int(r["n"]) for r in found}
    months = _months_between(span["first"], span["last"]) if span["first"] else []
    return {
        "area": area.code,
        "area_name": area.name,
        "level": area.level,
        "measure": measure.qualified,
        "measure_label": measure.label,
        "unit": measure.unit,
        "source": measure.source_label,
        "synthetic": bool(span["synthetic"]),
        "series": [{"month": _month(m), "value": by_month.get(m, 0) if m in covered else None} for m in months],
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


def _round(value: float | None, digits: int = 2) -> float | None:
    """``digits`` decimals, or three significant figures for a small non-zero value (a rare event's rate
    per 1,000 is a few thousandths: never rounded to a 0 that reads as none)."""
    value = statistics.finite(value)
    if value is None:
        return None
    if value and abs(value) < 10**-digits * 10:
        return float(f"{value:.3g}")
    return round(value, digits)


def _figure(
    con, *, area: Area, measure: Measure, current: list[dt.date], baseline: list[dt.date] | None
) -> dict[str, Any]:
    """Totals of the two periods, each None ("no data") unless the source covers the area in every one of its
    months; ``inside`` only if both are covered (a comparison can be made). ``baseline`` None: one figure."""
    covered = _covered_months(con, area, measure)
    cur_in = bool(covered) and all(m in covered for m in current)
    base_in = baseline is not None and bool(covered) and all(m in covered for m in baseline)
    cur = base = None
    if cur_in or base_in:
        where, params = _filters(area, measure)
        found = store.rows(con, f"SELECT month, sum(n) AS n FROM all_facts WHERE {where} GROUP BY month", params)
        by_month = {r["month"]: int(r["n"]) for r in found}
        cur = sum(by_month.get(m, 0) for m in current) if cur_in else None
        base = sum(by_month.get(m, 0) for m in baseline or []) if base_in else None
    return {
        "current": cur,
        "baseline": base,
        "inside": cur_in and (baseline is None or base_in),
        "current_inside": cur_in,
        "baseline_inside": base_in,
        "covered": covered,
        "months_with_data": {
            "current": sum(1 for m in current if m in covered),
            "baseline": None if baseline is None else sum(1 for m in baseline if m in covered),
        },
    }


def _rates(
    figure: dict[str, Any], people: int | None, current_months: int, baseline_months: int
) -> dict[str, float | None]:
    return {
        "current": _round(statistics.rate_per_1000(count=figure["current"], population=people, months=current_months)),
        "baseline": _round(
            statistics.rate_per_1000(count=figure["baseline"], population=people, months=baseline_months)
        ),
    }


def _pct(current: int | None, baseline: int | None, current_months: int, baseline_months: int) -> float | None:
    if current is None or not baseline:
        return None
    return round(100 * (current * baseline_months / current_months / baseline - 1), 1)


def _comparisons(
    con, *, area: Area, measure: Measure, current: list[dt.date], baseline: list[dt.date]
) -> list[dict[str, Any]]:
    """The same measure and periods for the area's BCU, London, and England and Wales where the source has it."""
    out: list[dict[str, Any]] = []
    others: list[tuple[str, Area | None, str | None]] = []
    if area.level in {"lsoa", "ward", "borough"}:
        borough = _borough_of(con, area)
        bcu = bcu_of(borough=borough) if borough else None
        reason = None if bcu else f"{area.name} is not in a Metropolitan Police BCU"
        others.append(("bcu", bcu, reason))
    if area.level != "london" and is_london(con, area):
        others.append(("london", Area(store.LONDON_CODE, "London", "london"), None))
    national = Area(ENGLAND_WALES, "England and Wales", "national")
    if measure.family != "police.uk":
        others.append(("england_wales", None, f"{measure.source_label} covers London only"))
    elif len(_police_months(con)) < len(store.POLICE_FORCES):
        others.append(
            (
                "england_wales",
                None,
                f"data.police.uk is loaded for {len(_police_months(con))} of {len(store.POLICE_FORCES)} forces",
            )
        )
    else:
        others.append(("england_wales", national, None))
    for level, other, reason in others:
        if other is None:
            out.append(
                {
                    "level": level,
                    "area": None,
                    "name": None,
                    "current": None,
                    "baseline": None,
                    "pct_change": None,
                    "rate_per_1000": None,
                    "inside": False,
                    "reason": reason,
                }
            )
            continue
        figure = _figure(con, area=other, measure=measure, current=current, baseline=baseline)
        people = population(area=other, measure=measure)["value"]
        out.append(
            {
                "level": level,
                "area": other.code,
                "name": other.name,
                "current": figure["current"],
                "baseline": figure["baseline"],
                "pct_change": _pct(figure["current"], figure["baseline"], len(current), len(baseline)),
                "rate_per_1000": _rates(figure, people, len(current), len(baseline)),
                "inside": figure["inside"],
                "reason": None if figure["inside"] else f"{measure.source_label} covers {_source_covers(con, measure)}",
            }
        )
    return out


def _overlap(p: tuple[dt.date, dt.date], b: tuple[dt.date, dt.date]) -> str | None:
    """The months two periods share (YYYY-MM:YYYY-MM), or None if they are disjoint."""
    first, last = max(p[0], b[0]), min(p[1], b[1])
    return f"{_month(first)}:{_month(last)}" if first <= last else None


def trend_compare(
    *, area: Area, measure: Measure, period: str, baseline: str, annualise: bool = False, compare: bool = True
) -> dict[str, Any]:
    """A period against a baseline period: totals, change, rate per 1,000 residents, significance, coverage
    and comparisons. Overlapping periods are refused (the significance test needs independent counts);
    periods of unequal length are refused unless ``annualise`` (12-month rates compared). A period outside
    coverage is "no data" (None) and the other period's figure is kept, with no change or significance."""
    p0, p1 = parse_period(period)
    b0, b1 = parse_period(baseline)
    period_text, baseline_text = f"{_month(p0)}:{_month(p1)}", f"{_month(b0)}:{_month(b1)}"
    shared = _overlap((p0, p1), (b0, b1))
    if shared:
        raise EvidenceError(
            f"The period {period_words(period_text)} and the baseline {period_words(baseline_text)} overlap "
            f"({period_words(shared)}): compare periods that share no month"
        )
    tc, tb = len(_months_between(p0, p1)), len(_months_between(b0, b1))
    if tc != tb and not annualise:
        raise EvidenceError(
            f"The period {period_words(period_text)} is {tc} months long and the baseline "
            f"{period_words(baseline_text)} is {tb}: "
            "compare periods of the same length, or annualise to compare 12-month rates"
        )
    return _trend(area=area, measure=measure, period=(p0, p1), baseline=(b0, b1), compare=compare)


def trend_figure(*, area: Area, measure: Measure, period: str) -> dict[str, Any]:
    """One period's figure (for a citation): total, unit, rate per 1,000 residents, coverage — no baseline,
    change or significance (``baseline``/``baseline_period`` None)."""
    return _trend(area=area, measure=measure, period=parse_period(period), baseline=None, compare=False)


@dataclass(frozen=True)
class FigureToCite:
    """A figure worked out from the store now, to be recorded for good by whoever cites it (an action's
    baseline, a needs assessment's section): the area, the measure and ``trend_figure``'s result."""

    area: Area
    measure: Measure
    result: dict[str, Any]

    @property
    def value(self) -> int:
        return int(self.result["current"])

    @property
    def period(self) -> str:
        return str(self.result["period"])

    @property
    def source(self) -> str:
        return str(self.result["source"] or self.measure.family)

    @property
    def synthetic(self) -> bool:
        return bool(self.result["synthetic"])


def figure_to_cite(*, area_code: str, measure: str, period: str) -> FigureToCite:
    """The one way a workbench figure is cited: the area, the measure and the period's figure from the store
    now. Raises EvidenceError naming what is wrong (an unknown area or measure, a bad period) and for "no data"
    (outside the source's coverage): a figure the source does not have is never cited as 0."""
    area = area_get(code=area_code)
    found = measure_get(name=measure, area=area)
    result = trend_figure(area=area, measure=found, period=period)
    if result["current"] is None:
        raise EvidenceError(
            f"There is no {measure_words(found)} data for {area.name} in {period_words(result['period'])}: "
            f"{result['message']}"
        )
    return FigureToCite(area=area, measure=found, result=result)


def measure_words(measure: Measure, *, detail: bool = True) -> str:
    """A measure as people read it, never its code: "Knife crime (offences, Metropolitan Police recorded
    crime (London Datastore))", or with ``detail`` False its name alone ("Knife crime")."""
    if not detail:
        return _display_name(measure)
    return f"{_display_name(measure)} ({measure.unit}, {measure.source_label or SOURCE_LABELS[measure.family]})"


def _trend(
    *,
    area: Area,
    measure: Measure,
    period: tuple[dt.date, dt.date],
    baseline: tuple[dt.date, dt.date] | None,
    compare: bool,
) -> dict[str, Any]:
    current_months = _months_between(*period)
    baseline_months = _months_between(*baseline) if baseline else None
    tc, tb = len(current_months), len(baseline_months or [])
    period_text = f"{_month(period[0])}:{_month(period[1])}"
    baseline_text = f"{_month(baseline[0])}:{_month(baseline[1])}" if baseline else None
    with store.connect() as con:  # one version of the store throughout
        figure = _figure(con, area=area, measure=measure, current=current_months, baseline=baseline_months)
        synthetic = bool(
            store.scalar(
                con,
                "SELECT bool_or(synthetic) FROM all_facts WHERE category = $cat AND list_contains($s, source)",
                {"cat": measure.category, "s": list(measure.sources or FAMILIES[measure.family])},
            )
        )
        cover = {
            "inside": figure["inside"],
            "area_inside": _area_inside(con, area, measure),
            "source_covers": _source_covers(con, measure),
            "months": _span(figure["covered"]),
            "months_missing": sum(1 for m in current_months + (baseline_months or []) if m not in figure["covered"]),
        }
        comparisons = (
            _comparisons(con, area=area, measure=measure, current=current_months, baseline=baseline_months or [])
            if compare and baseline_months
            else []
        )
    people = population(area=area, measure=measure)
    current, base = figure["current"], figure["baseline"]
    change = poisson = None
    if current is not None and base is not None:
        poisson = statistics.poisson_change(current=current, baseline=base, current_months=tc, baseline_months=tb)
        change = current - base
    significance = None
    if poisson is not None:
        raw = poisson.as_json()
        significance = {
            "p_value": raw["p_value"],
            "significant": raw["significant"],
            "method": raw["method"],
            "rate_ratio": _round(raw["rate_ratio"], 4),
            "ci95": None if raw["ci95"] is None else [_round(v, 4) for v in raw["ci95"]],
        }
    rates = _rates(figure, people["value"], tc, tb)
    result: dict[str, Any] = {
        "area": area.code,
        "area_name": area.name,
        "level": area.level,
        "measure": measure.qualified,
        "measure_label": measure.label,
        "unit": measure.unit,
        "period": period_text,
        "baseline_period": baseline_text,
        "current": current,
        "baseline": base,
        "change": change,
        "pct_change": _pct(current, base, tc, tb) if base is not None else None,
        "annualised": None,
        "source": measure.source_label,
        "synthetic": synthetic,
        "months_with_data": figure["months_with_data"],
        "complete": figure["inside"],
        "coverage": cover,
        "population": people,
        "rate_per_1000": rates,
        "caveat": denominator_caveat(area=area),
        "significance": significance,
        "small_numbers": poisson.small_numbers if poisson is not None else None,
        "change_words": poisson.words() if poisson is not None else None,
        "comparisons": comparisons,
        "no_data_periods": [],
        "message": None,
    }
    if tc != tb and current is not None and base is not None:
        result["annualised"] = {
            "current": round(current * 12 / tc, 1),
            "baseline": round(base * 12 / tb, 1),
            "note": f"annualised: {tc} months against {tb}, compared as 12-month rates",
        }
    if not figure["inside"]:
        # Name only the period(s) the source does not cover; a covered period keeps its figure.
        missing = [period_text] if not figure["current_inside"] else []
        if baseline_text is not None and not figure["baseline_inside"]:
            missing.append(baseline_text)
        result["no_data_periods"] = missing
        partly = "every month of " if cover["area_inside"] else ""
        result["message"] = (
            f"No data: {measure.source_label} does not cover {area.name} in {partly}"
            + " and ".join(period_words(m) for m in missing)
            + f" (it covers {cover['source_covers']}"
            + (f"; for {area.name}, {period_words(cover['months'])})" if cover["area_inside"] else ")")
            + (", so the periods are not compared" if current is not None or base is not None else "")
        )
    result["sentence"] = trend_sentence(result, measure=measure)
    return result


def unit_label(family: str) -> str:
    """What a family's figures mostly count (a measure's own ``unit`` is the one to show)."""
    return units.ATTENDANCES if family == "istv" else units.OFFENCES


def _display_name(measure: Measure) -> str:
    name = measure.name.split("/")[-1]
    name = name[:1].upper() + name[1:].lower() if name.isupper() else name
    if measure.family == "istv" and measure.subcategory:
        name = f"Assaults ({name})"
    return name


def trend_sentence(result: dict[str, Any], *, measure: Measure) -> str:
    """The figure in words: count and unit, rate, the change and whether chance would explain it."""
    name = _display_name(measure)
    unit = result.get("unit") or measure.unit
    synthetic = " (SYNTHETIC data)" if result.get("synthetic") else ""
    rates = result.get("rate_per_1000") or {}
    if result["current"] is None or (result["baseline_period"] is not None and result["baseline"] is None):
        # One period (or both) outside coverage: the covered period's figure, if any, and why there is no change.
        known = [
            f"{result[k]:,} {unit} in {period_words(result[p])}"
            + (f" ({rates[k]:,.2f} per 1,000 residents a year)" if rates.get(k) is not None else "")
            for k, p in (("current", "period"), ("baseline", "baseline_period"))
            if result[k] is not None
        ]
        return f"{name}{synthetic}: " + "".join(f"{k}. " for k in known) + (result.get("message") or "No data")
    rate = rates.get("current")
    rate_text = f"; {rate:,.2f} per 1,000 residents a year" if rate is not None else ""
    if result["baseline_period"] is None:
        return f"{name}: {result['current']:,} {unit}{rate_text}{synthetic}"
    if result["pct_change"] is None and not result["baseline"]:
        return f"{name}: {result['current']:,} {unit}{rate_text}, none in the baseline to compare with{synthetic}"
    change = result["current"] - result["baseline"]
    counts = f"{result['current']:,} against {result['baseline']:,}{rate_text}"
    if result.get("annualised"):
        a = result["annualised"]
        direction = "down" if result["pct_change"] < 0 else "up"
        head = (f"{name} down" if direction == "down" else f"{name} up") + (
            f" {abs(result['pct_change']):g} % (annualised: {a['current']:,.0f} against {a['baseline']:,.0f} "
            f"{unit} a year; {result['current']:,} in {period_words(result['period'])} against "
            f"{result['baseline']:,} in {period_words(result['baseline_period'])}{rate_text})"
        )
    elif change == 0:
        head = f"{name} unchanged at {result['current']:,} {unit}"
    else:
        direction = "down" if change < 0 else "up"
        more = "fewer" if change < 0 else "more"
        head = f"{name} {direction} {abs(result['pct_change']):g} %, {abs(change):,} {more} {unit} ({counts})"
    words = statistics.poisson_change(
        current=result["current"],
        baseline=result["baseline"],
        current_months=len(_months_between(*parse_period(result["period"]))),
        baseline_months=len(_months_between(*parse_period(result["baseline_period"]))),
    ).words()
    tail = words.split(", ", 1)[1] if ", " in words else words.split("; ", 1)[-1]
    return f"{head}: {tail}{synthetic}"


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


def need_not_covered(*, workbench: Workbench) -> str:
    """Why a VRU outside London has no multiple-need ranking (its sources cover London only)."""
    return (
        f"No data: the multiple-need ranking covers London's boroughs only. Its sources (Metropolitan Police "
        f"ward and LSOA figures, London's ward and LSOA boundaries) hold nothing for the areas of "
        f"{workbench.name}, so no ranking is shown (not a ranking of zeros). Trends and hotspots do cover them."
    )


def _units(con, *, within: Area, level: str) -> dict[str, dict[str, Any]]:
    """Areas to rank (code → name, borough, LSOAs in it)."""
    params: dict[str, Any]
    if within.level == "london":
        borough_filter, params = "list_contains($boroughs, lad_code)", {"boroughs": list(store.LONDON_BOROUGHS)}
    elif within.level == "borough":
        borough_filter, params = "lad_code = $b", {"b": within.code}
    else:
        raise EvidenceError("Rank within a borough or London")
    if within.level == "borough" and within.code not in store.LONDON_BOROUGHS:
        raise EvidenceError(
            f"Rank within a London borough or London: {within.name} ({within.code}) is outside the areas the "
            "ranking's sources cover"
        )
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
                rate = statistics.rate_per_1000(count=count, population=populations.get(code), months=months)
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
            "synthetic": bool(row and row["synthetic"]),
        }
        parts.append(f'{{"type":"Feature","properties":{json.dumps(properties)},"geometry":{geometry}}}')
    synthetic = json.dumps(any(r["synthetic"] for r in ranking["rows"]))
    return f'{{"type":"FeatureCollection","synthetic":{synthetic},"features":[' + ",".join(parts) + "]}"


# --- Home Office headline measures (problem profile) -----------------------------------------------

# The Home Office's headline measures of serious violence, each by the measures (in order of preference)
# that can give it; the first loaded one whose source covers the area is used.
HEADLINE_MEASURES: list[dict[str, Any]] = [
    {
        "key": "knife",
        "label": "Police-recorded knife or sharp-object offences",
        "measures": ["mps:Knife Crime/Knife Crime"],
    },
    {
        "key": "knife_victims",
        "label": "Knife-injury victims under 25",
        "measures": ["mps:Knife Crime/Knife Injury Victims (1-24)"],
    },
    {"key": "homicide", "label": "Homicide", "measures": ["mps:Homicide", "mps:VIOLENCE AGAINST THE PERSON/HOMICIDE"]},
    {"key": "ae", "label": "A&E assault attendances", "measures": ["istv:Assaults"]},
]


def headline_trends(*, code: str) -> dict[str, Any]:
    """A problem profile: each Home Office headline measure's latest 12 months against the 12 before."""
    with store.connect():  # one version of the store throughout
        return copy.deepcopy(store.cached(("headline_trends", code), lambda: _headline_trends(code=code)))


def _headline_trends(*, code: str) -> dict[str, Any]:
    area = area_get(code=code)
    available = {m.qualified: m for m in measures_list()}
    rows = []
    for spec in HEADLINE_MEASURES:
        loaded = [available[q] for q in spec["measures"] if q in available]
        row: dict[str, Any] = {"key": spec["key"], "label": spec["label"], "result": None, "reason": None}
        if not loaded:
            row["reason"] = "not loaded into the workbench"
            rows.append(row)
            continue
        with store.connect() as con:
            covering = [(m, _covered_months(con, area, m)) for m in loaded]
        measure, covered = next(((m, c) for m, c in covering if c), covering[0])
        row["measure"] = measure
        if not covered:
            try:
                with store.connect() as con:
                    covers = _source_covers(con, measure)
            except EvidenceError:
                covers = "other areas"
            row["reason"] = f"no data: {measure.source_label} covers {covers}, not {area.name}"
            rows.append(row)
            continue
        last = max(covered)
        months = _months_between(_months_between(last, last)[0].replace(year=last.year - 2), last)[1:]
        if len(months) != 24 or any(m not in covered for m in months):
            row["reason"] = (
                f"no comparison: {measure.source_label} does not cover the 24 months to {_month(last)} "
                f"(it covers {_span(covered)})"
            )
            rows.append(row)
            continue
        row["result"] = trend_compare(
            area=area,
            measure=measure,
            period=f"{_month(months[12])}:{_month(months[23])}",
            baseline=f"{_month(months[0])}:{_month(months[11])}",
            compare=False,
        )
        rows.append(row)
    return {"area": area, "rows": rows, "caveat": denominator_caveat(area=area)}


# --- ISTV profile ---
# What a needs assessment reads from ISTV A&E data for London or a borough: assaults by hour of day ×
# day of week, by method and by location type. An attendance counts in the borough of its A&E site
# (``LONDON_AE_SITES``); London counts every site. Months are arrival months (``istv.period``).

ISTV_UNIT = "A&E attendances after assault"
ISTV_SOURCE = "ISTV A&E extracts (ISB 1594 minimum dataset), counted in the borough of the A&E site"
ISTV_PROFILE_MONTHS = 12  # the default period: the 12 calendar months ending with the latest month with data
ISTV_PROFILE_MONTHS_MAX = 120  # the longest period the page takes
ISTV_SMALL_NUMBER = 10  # a count under this is flagged as a small number
ISTV_SHADES = 4  # shading levels of the heat table (0 is no shading)
ISTV_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

ISTV_WHERE = "(NOT $borough OR list_contains($sites, site_code)) AND period BETWEEN $first AND $last"
ISTV_RANGE_SQL = (
    "SELECT min(period) AS first, max(period) AS last FROM istv WHERE NOT $borough OR list_contains($sites, site_code)"
)
ISTV_TOTALS_SQL = f"""
    SELECT count(*) AS total, coalesce(bool_or(synthetic), false) AS synthetic,
           count(*) FILTER (WHERE assault IS NULL OR assault_time IS NULL) AS untimed,
           list(DISTINCT period ORDER BY period) AS months, count(DISTINCT site_code) AS sites
    FROM istv WHERE {ISTV_WHERE}
"""
ISTV_HEAT_SQL = f"""
    SELECT isodow(assault) - 1 AS day, hour(assault_time) AS hour, count(*) AS n
    FROM istv WHERE {ISTV_WHERE} AND assault IS NOT NULL AND assault_time IS NOT NULL GROUP BY ALL
"""
ISTV_UPGRADED_SQL = """
    SELECT count(*) FROM duckdb_columns()
    WHERE database_name = current_database() AND table_name = 'istv' AND column_name = 'assault_time'
"""
ISTV_METHOD_SQL = f"SELECT method AS name, count(*) AS n FROM istv WHERE {ISTV_WHERE} GROUP BY ALL"
ISTV_LOCATION_SQL = (
    f"SELECT coalesce(location_type, 'Not recorded') AS name, count(*) AS n FROM istv WHERE {ISTV_WHERE} GROUP BY ALL"
)
ISTV_OTHER_SQL = f"""
    SELECT method_other AS name, count(*) AS n FROM istv
    WHERE {ISTV_WHERE} AND method = 'Other' AND method_other IS NOT NULL GROUP BY ALL ORDER BY n DESC, name LIMIT 10
"""


def _istv_months(first: str, last: str) -> list[str]:
    a = int(first[:4]) * 12 + int(first[5:7]) - 1
    b = int(last[:4]) * 12 + int(last[5:7]) - 1
    return [f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(a, b + 1)]


def _istv_period(text: str) -> tuple[str, str]:
    _bounded(text.strip(), what="A period", limit=PERIOD_MAX)
    start, _, end = text.strip().partition(":")
    try:
        first = dt.datetime.strptime(start.strip(), "%Y-%m").date()
        last = dt.datetime.strptime((end or start).strip(), "%Y-%m").date()
    except ValueError as exc:
        raise EvidenceError(f"Period: {text!r} is not YYYY-MM:YYYY-MM") from exc
    if last < first:
        raise EvidenceError(f"Period: {text!r} ends before it starts")
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    if months > ISTV_PROFILE_MONTHS_MAX:
        raise EvidenceError(f"Period: at most {ISTV_PROFILE_MONTHS_MAX} months; {text!r} has {months}")
    return f"{first:%Y-%m}", f"{last:%Y-%m}"


def _istv_share_rows(found: list[dict[str, Any]], order: list[str], total: int) -> list[dict[str, Any]]:
    counts = {r["name"]: int(r["n"]) for r in found}
    names = [n for n in order if n in counts] + sorted(n for n in counts if n not in order)
    return [
        {
            "name": name,
            "count": counts[name],
            "share": round(100 * counts[name] / total, 1),
            "small": counts[name] < ISTV_SMALL_NUMBER,
        }
        for name in names
    ]


def istv_profile(*, area: str = store.LONDON_CODE, period: str = "") -> dict[str, Any]:
    """ISTV attendances for London or a borough over a period (``YYYY-MM:YYYY-MM``; default the 12
    calendar months ending with the latest month with data, any without data named in
    ``months_without_data``): heat table (hour × day of week of the assault), methods, location types.

    ``status`` is ``"ok"``, or ``"no_sites"`` (no A&E site in the lookup is in the borough) or
    ``"no_data"`` (no attendance loaded for the area, or in the period): "No data", never 0.
    """
    from vrhub.evidence.loaders.istv import LOCATION_TYPES, LONDON_AE_SITES, METHODS

    code = _bounded(area.strip(), what="Area", limit=AREA_CODE_MAX).upper()
    # Outside London a VRU's sites are not placed in its areas: its profile is its force area's, all its sites.
    vru_force = _istv_vru_force(Area(code, "", "force"))
    if code != store.LONDON_CODE and code not in store.LONDON_BOROUGHS and not vru_force:
        raise EvidenceError(f"Area: {area!r} is not London ({store.LONDON_CODE}) or a London borough code (E09…)")
    borough = code != store.LONDON_CODE and not vru_force
    name = (
        workbench_for(vru=store.current_vru()).name
        if vru_force
        else (store.LONDON_BOROUGHS[code] if borough else "London")
    )
    sites = sorted(s for s, (_, b) in LONDON_AE_SITES.items() if b == code) if borough else []
    result: dict[str, Any] = {
        "area": code,
        "area_name": name,
        "unit": ISTV_UNIT,
        "source": ISTV_SOURCE,
        "sites": [{"code": s, "name": LONDON_AE_SITES[s][0]} for s in sites],
        "all_sites": not borough,
        "small_number": ISTV_SMALL_NUMBER,
        "synthetic": False,
    }
    requested = _istv_period(period) if period.strip() else None
    if borough and not sites:
        return {**result, "status": "no_sites", "period": requested}
    params: dict[str, Any] = {"borough": borough, "sites": sites}
    with store.connect() as con:
        if not store.scalar(con, ISTV_UPGRADED_SQL):
            raise EvidenceError(
                "Area: the evidence store was made before it kept every ISB 1594 field; "
                "the next load of any data upgrades it (load the ISTV extracts again to fill the new fields)"
            )
        span = store.rows(con, ISTV_RANGE_SQL, params)[0]
        if span["last"] is None:
            return {**result, "status": "no_data", "period": requested}
        if requested is None:
            months = _istv_months("0000-01", span["last"])[-ISTV_PROFILE_MONTHS:]
            requested = (months[0], months[-1])
        params |= {"first": requested[0], "last": requested[1]}
        totals = store.rows(con, ISTV_TOTALS_SQL, params)[0]
        result |= {"period": requested, "data_span": (span["first"], span["last"])}
        if not totals["total"]:
            return {**result, "status": "no_data"}
        heat = store.rows(con, ISTV_HEAT_SQL, params)
        methods = store.rows(con, ISTV_METHOD_SQL, params)
        locations = store.rows(con, ISTV_LOCATION_SQL, params)
        others = store.rows(con, ISTV_OTHER_SQL, params)
    total = int(totals["total"])
    grid = [[0] * 7 for _ in range(24)]
    for r in heat:
        grid[int(r["hour"])][int(r["day"])] = int(r["n"])
    peak = max(max(row) for row in grid)
    timed = sum(map(sum, grid))

    def cell(n: int) -> dict[str, Any]:
        shade = math.ceil(ISTV_SHADES * n / peak) if peak else 0
        return {"count": n, "shade": shade, "small": n < ISTV_SMALL_NUMBER}

    all_months = _istv_months(*requested)
    with_data = set(totals["months"] or [])
    return {
        **result,
        "status": "ok",
        "synthetic": bool(totals["synthetic"]),
        "total": total,
        "timed": timed,
        "untimed": int(totals["untimed"]),
        "months": len(all_months),
        "months_without_data": [m for m in all_months if m not in with_data],
        "site_count": int(totals["sites"]),
        "days": ISTV_DAYS,
        "heat": [
            {"hour": h, "label": f"{h:02d}:00–{h:02d}:59", "cells": [cell(n) for n in grid[h]], "total": sum(grid[h])}
            for h in range(24)
        ],
        "day_totals": [sum(grid[h][d] for h in range(24)) for d in range(7)],
        "shades": [
            {
                "level": level,
                "low": math.floor(peak * (level - 1) / ISTV_SHADES) + 1,
                "high": peak * level // ISTV_SHADES,
            }
            for level in range(1, ISTV_SHADES + 1)
        ],
        "peak": peak,
        "methods": _istv_share_rows(methods, METHODS, total),
        "locations": _istv_share_rows(locations, [*LOCATION_TYPES, "Not recorded"], total),
        "other_methods": [{"name": r["name"], "count": int(r["n"])} for r in others],
    }


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
        ] or _area_forces(area.code)
    return HOTSPOT_SCOPES["lsoas"], {"lsoas": lsoas}, forces, lsoas


def _hotspot_months(con, forces: list[str]) -> list[dt.date]:
    """Months for which every force covering the area has street-level data loaded."""
    if not forces:
        return []
    found = store.rows(
        con,
        f"SELECT month FROM {_force_months(con)} WHERE list_contains($f, force_code) GROUP BY month "
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
        if not months:
            loaded = {
                r["force_code"]
                for r in store.rows(
                    con,
                    f"SELECT DISTINCT force_code FROM {_force_months(con)} WHERE list_contains($f, force_code)",
                    {"f": forces},
                )
            }
            missing = [forces_named.get(f, f) for f in forces if f not in loaded]
            if not forces:
                why = "no police force with data loaded covers it"
            elif missing:  # name only the forces with nothing loaded
                why = f"{' and '.join(missing)} not loaded"
            else:  # every force has data, but no month for which all of them have
                why = f"no month loaded for all of {' and '.join(result['forces'])}"
            result["message"] = (
                f"No data: the data.police.uk street-level data loaded do not cover {area.name} "
                f"({why}). No data is not zero."
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
        f"SELECT count(*) AS total, count(lon) AS placed, "
        f"bool_or(batch_id IN (SELECT batch_id FROM loads WHERE kind = 'police_uk' AND synthetic)) AS synthetic "
        f"FROM police_points WHERE {where}",
        params,
    )[0]
    outline = _hotspot_outline(con, area)
    result["synthetic"] = bool(totals["synthetic"])
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
