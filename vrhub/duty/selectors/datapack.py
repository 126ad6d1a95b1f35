"""The strategic needs assessment's data pack: everything the evidence workbench knows about an area's serious
violence, gathered for a finished first draft (``datapack_render`` writes it as PDF or DOCX).

Pure reads. The area's local definition chooses the offence types (``evidence.offences_in_scope``; the
guidance's defaults when none is written). Every figure carries its unit, source and period; a figure the
store cannot give is ``None`` with the reason ("no data" is never 0); synthetic figures are flagged.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from vrhub.core.words import date_words, period_words
from vrhub.duty.catalogue import DEFAULT_OFFENCE_TYPES, OFFENCE_TYPE
from vrhub.duty.models import Definition, Partnership
from vrhub.duty.selectors.evidence import offences_in_scope
from vrhub.evidence import selectors as evidence
from vrhub.evidence import statistics, store
from vrhub.organisations.models import Organisation

TOP_HOTSPOTS = 10  # hexagons and LSOAs listed
HOTSPOT_CELLS_M = (250, 500)  # hexagon sizes tried in turn
TIME_BAND_HOURS = 3  # the A&E time profile groups hours in bands of this many
COMPARISON_NAMES = {"bcu": "Police BCU", "london": "London", "england_wales": "England and Wales"}

# The Home Office's Serious Violence Duty headline measures, each by the workbench's headline row that gives it.
HOME_OFFICE_MEASURES: tuple[tuple[str, str, str], ...] = (
    (
        "ae",
        "Hospital admissions for assault with a knife or sharp object",
        "Hospital admissions are not open data: ISTV A&E assault attendances (every method, not only knives) "
        "are the nearest open proxy, shown in their place.",
    ),
    ("knife", "Police-recorded knife and sharp object offences", ""),
    ("homicide", "Homicides", ""),
    ("knife_victims", "Also: knife-injury victims under 25", ""),
)

# Deprivation overlap: offences in the latest 12 months by the IMD 2025 decile of the LSOA they were recorded in.
# The series are the workbench's LSOA-level violence series (``evidence.NEED_SOURCES``), in order of preference.
LSOA_SOURCES: tuple[tuple[str, str, str], ...] = tuple(
    (where, label, family) for family, where, grain, label in evidence.NEED_SOURCES["violence"] if grain == "lsoa"
)
LSOA_SOURCE_NAMES = {
    "mps": "Metropolitan Police recorded crime by LSOA (London Datastore)",
    "police.uk": "data.police.uk street-level crime",
}
# The LSOA rows of an area: a borough's (by code, or by name for data.police.uk), or every London LSOA.
LSOA_IN_AREA = {
    "borough": "(borough_code = $code OR (borough_code IS NULL AND borough_name = $name)) AND level = 'lsoa'",
    "london": "level = 'lsoa' AND ($code = $code) AND ($name = $name)",
}
LSOA_LATEST_SQL = "SELECT max(month) FROM all_facts WHERE {where} AND {inside}"
LSOA_MONTHS_SQL = "SELECT count(DISTINCT month) FROM all_facts WHERE {where} AND {inside} AND month BETWEEN $a AND $b"
LSOA_COUNTS_SQL = """
    WITH f AS (
        SELECT area_code AS lsoa_code, any_value(area_name) AS lsoa_name, sum(n) AS n,
               bool_or(coalesce(synthetic, false)) AS synthetic
        FROM all_facts WHERE {where} AND {inside} AND month BETWEEN $a AND $b AND area_code IS NOT NULL
        GROUP BY area_code
    )
    SELECT f.lsoa_code, f.lsoa_name, f.n, f.synthetic, i.decile, p.residents
    FROM f
    LEFT JOIN (SELECT lsoa_code, any_value(decile) AS decile FROM imd
               WHERE edition = '2025' AND indicator = 'IMD' GROUP BY lsoa_code) i ON i.lsoa_code = f.lsoa_code
    LEFT JOIN (SELECT lsoa_code, sum(residents) AS residents FROM population GROUP BY lsoa_code) p
           ON p.lsoa_code = f.lsoa_code
    ORDER BY f.n DESC, f.lsoa_code
"""
IMD_LOADED_SQL = "SELECT count(*) FROM imd WHERE edition = '2025' AND indicator = 'IMD'"
IMD_SOURCE = "English Indices of Deprivation 2025 (MHCLG), IMD decile of the LSOA (1 = most deprived 10 %)"


def _month_text(day: dt.date) -> str:
    return f"{day:%Y-%m}"


def _add_months(day: dt.date, months: int) -> dt.date:
    i = day.year * 12 + day.month - 1 + months
    return dt.date(i // 12, i % 12 + 1, 1)


def _significance(current: int | None, baseline: int | None) -> dict[str, Any] | None:
    """The workbench's test of a 12-month count against the 12 months before (None: nothing to test)."""
    if current is None or baseline is None:
        return None
    change = statistics.poisson_change(current=current, baseline=baseline, current_months=12, baseline_months=12)
    return {
        "p_value": change.p_value,
        "significant": change.significant,
        "small_numbers": change.small_numbers,
        "words": change.words(),
    }


def _measure_trend(area: evidence.Area, measure: evidence.Measure) -> dict[str, Any]:
    """The latest 12 months with data against the 12 before, with London and England where the data allow."""
    series = evidence.trend_series(area=area, measure=measure)
    base: dict[str, Any] = {
        "measure": measure.qualified,
        "name": _measure_name(measure),
        "unit": measure.unit,
        "source": measure.source_label,
        "synthetic": bool(series["synthetic"]),
        "result": None,
        "reason": None,
    }
    covered = [r["month"] for r in series["series"] if r["value"] is not None]
    if not covered:
        base["reason"] = f"No data: {measure.source_label} does not cover {area.name}."
        return base
    last = dt.datetime.strptime(covered[-1], "%Y-%m").date()
    current = f"{_month_text(_add_months(last, -11))}:{_month_text(last)}"
    baseline = f"{_month_text(_add_months(last, -23))}:{_month_text(_add_months(last, -12))}"
    result = evidence.trend_compare(area=area, measure=measure, period=current, baseline=baseline, compare=True)
    if result["current"] is None:
        base["reason"] = (
            f"No data: {measure.source_label} does not cover every month of {period_words(current)} for {area.name}."
        )
        base["result"] = None
        return base
    for other in result["comparisons"]:
        other["label"] = COMPARISON_NAMES.get(other["level"], other["level"])
        other["significance"] = _significance(other["current"], other["baseline"])
    base["result"] = result
    return base


def _measure_name(measure: evidence.Measure) -> str:
    name = measure.name.split("/")[-1]
    name = name[:1].upper() + name[1:].lower() if name.isupper() else name
    if measure.family == "istv":
        name = "A&E attendances after assault"
    return name


def _headline(area: evidence.Area) -> list[dict[str, Any]]:
    rows = {r["key"]: r for r in evidence.headline_trends(code=area.code)["rows"]}
    out = []
    for key, label, proxy in HOME_OFFICE_MEASURES:
        row = rows.get(key) or {"result": None, "reason": "not a workbench headline measure"}
        result = row["result"]
        measure = row.get("measure")
        out.append(
            {
                "key": key,
                "label": label,
                "proxy": proxy,
                "measure": _measure_name(measure) if measure else None,
                "unit": result["unit"] if result else (measure.unit if measure else None),
                "source": measure.source_label if measure else None,
                "synthetic": bool(result and result["synthetic"]),
                "result": result,
                "reason": None if result else f"No data: {row['reason']}",
            }
        )
    return out


def _hotspots(area: evidence.Area) -> dict[str, Any]:
    """The street-level hexagons with the most offences (data.police.uk points), where loaded."""
    found = None
    for cell_m in HOTSPOT_CELLS_M:  # larger hexagons for a large area (too many small ones are refused)
        try:
            found = evidence.hotspots(code=area.code, cell_m=cell_m)
            break
        except evidence.EvidenceError as exc:
            if "too many" not in str(exc):
                return {"status": "no_data", "reason": f"No data: {exc}", "source": evidence.HOTSPOT_SOURCE}
            too_many = str(exc)
    if found is None:
        return {"status": "no_data", "reason": f"Not shown: {too_many}", "source": evidence.HOTSPOT_SOURCE}
    if not found["coverage"]["inside"]:
        return {"status": "no_data", "reason": found.get("message") or "No data.", "source": found["source"]}
    return {
        "status": "ok",
        "source": found["source"],
        "synthetic": bool(found["synthetic"]),
        "unit": found["unit"],
        "period": found["period"],
        "cell_m": found["cell_m"],
        "total": found["total"],
        "placed": found["placed"],
        "snap_note": found["snap_note"],
        "hexes": [
            {
                "rank": h["rank"],
                "n": h["n"],
                "lat": h["lat"],
                "lon": h["lon"],
                "lsoas": ", ".join(f"{c['name']} ({c['code']})" for c in h["lsoas"][:3])
                + (f" and {len(h['lsoas']) - 3} more" if len(h["lsoas"]) > 3 else ""),
            }
            for h in found["hexes"][:TOP_HOTSPOTS]
        ],
    }


def _lsoa_overlap(area: evidence.Area) -> dict[str, Any]:
    """Offences by LSOA over the latest 12 months (top LSOAs) and by IMD 2025 decile (deprivation overlap)."""
    params: dict[str, Any] = {"code": area.code, "name": area.name}
    inside = LSOA_IN_AREA.get(area.level)
    if inside is None:
        return {
            "status": "no_data",
            "reason": f"No data: LSOA-level counts are gathered for a borough or London, not a {area.level}.",
        }
    with store.connect() as con:  # one version of the store throughout
        found = None
        for where, _label, family in LSOA_SOURCES:
            latest = store.scalar(con, LSOA_LATEST_SQL.format(where=where, inside=inside), params)
            if latest is not None:
                found = (where, family, latest)
                break
        if found is None:
            return {
                "status": "no_data",
                "reason": (
                    f"No data: no LSOA-level violence counts are loaded for {area.name} (the MPS publishes them "
                    "for London boroughs; data.police.uk for the forces loaded)."
                ),
            }
        where, family, last = found
        first = _add_months(last, -11)
        window = params | {"a": first, "b": last}
        months = int(store.scalar(con, LSOA_MONTHS_SQL.format(where=where, inside=inside), window))
        rows = store.rows(con, LSOA_COUNTS_SQL.format(where=where, inside=inside), window)
        imd_loaded = bool(store.scalar(con, IMD_LOADED_SQL))
    period = f"{_month_text(first)}:{_month_text(last)}"
    total = sum(int(r["n"]) for r in rows)
    top = [
        {
            "code": r["lsoa_code"],
            "name": r["lsoa_name"] or r["lsoa_code"],
            "n": int(r["n"]),
            "rate": _rate(int(r["n"]), r["residents"], months),
            "decile": int(r["decile"]) if r["decile"] is not None else None,
        }
        for r in rows[:TOP_HOTSPOTS]
    ]
    deciles = []
    for d in range(1, 11):
        in_decile = [r for r in rows if r["decile"] is not None and int(r["decile"]) == d]
        n = sum(int(r["n"]) for r in in_decile)
        residents = sum(int(r["residents"]) for r in in_decile if r["residents"] is not None)
        deciles.append(
            {
                "decile": d,
                "lsoas": len(in_decile),
                "n": n if in_decile else None,
                "share": round(100 * n / total, 1) if in_decile and total else None,
                "residents": residents if in_decile else None,
                "rate": _rate(n, residents, months) if in_decile else None,
            }
        )
    unmatched = [r for r in rows if r["decile"] is None]
    return {
        "status": "ok",
        "source": LSOA_SOURCE_NAMES.get(family, family),
        "measure": "Violence against the person" if family == "mps" else "Violence and sexual offences",
        "unit": "offences",
        "synthetic": any(r["synthetic"] for r in rows),
        "period": period,
        "months": months,
        "total": total,
        "lsoas": len(rows),
        "top": top,
        "imd_loaded": imd_loaded,
        "imd_source": IMD_SOURCE,
        "deciles": deciles if imd_loaded else [],
        "unmatched": len(unmatched),
        "unmatched_n": sum(int(r["n"]) for r in unmatched),
        "population_source": evidence.POPULATION_SOURCE,
    }


def _rate(count: int, residents: int | None, months: int) -> float | None:
    value = statistics.rate_per_1000(count=count, population=residents, months=months or 12)
    return None if value is None else round(value, 2)


def _istv(area: evidence.Area) -> dict[str, Any]:
    """The A&E (ISTV) time profile: attendances after assault by day of week and band of hours."""
    try:
        profile = evidence.istv_profile(area=area.code)
    except evidence.EvidenceError as exc:
        return {"status": "no_data", "reason": f"No data: {exc}", "source": evidence.ISTV_SOURCE}
    if profile["status"] == "no_sites":
        return {
            "status": "no_data",
            "reason": f"No data: no A&E site in the ISTV lookup is in {area.name}.",
            "source": profile["source"],
        }
    if profile["status"] != "ok":
        return {
            "status": "no_data",
            "reason": f"No data: no ISTV attendance is loaded for {area.name}.",
            "source": profile["source"],
        }
    bands = []
    for start in range(0, 24, TIME_BAND_HOURS):
        hours = profile["heat"][start : start + TIME_BAND_HOURS]
        cells = [sum(h["cells"][d]["count"] for h in hours) for d in range(7)]
        bands.append(
            {"label": f"{start:02d}:00 to {start + TIME_BAND_HOURS - 1:02d}:59", "cells": cells, "total": sum(cells)}
        )
    first, last = profile["period"]
    return {
        "status": "ok",
        "source": profile["source"],
        "unit": profile["unit"],
        "synthetic": profile["synthetic"],
        "period": f"{first}:{last}",
        "total": profile["total"],
        "timed": profile["timed"],
        "untimed": profile["untimed"],
        "months_without_data": profile["months_without_data"],
        "sites": [s["name"] for s in profile["sites"]],
        "days": profile["days"],
        "bands": bands,
        "day_totals": profile["day_totals"],
        "methods": profile["methods"],
    }


def datapack_scope(*, area: Organisation) -> dict[str, Any]:
    """What the data pack page says before it is made: the offence types in scope and whether the partnership's
    definition chose them (else the guidance's defaults), and whether the partnership is demo data."""
    definition = Definition.objects.filter(partnership__area=area).first()
    chosen = list(definition.offence_types) if definition and definition.offence_types else None
    codes = [c for c in (chosen or DEFAULT_OFFENCE_TYPES) if c in OFFENCE_TYPE]
    return {
        "written": chosen is not None,
        "labels": [OFFENCE_TYPE[c].label for c in codes],
        "synthetic": Partnership.objects.filter(area=area, synthetic=True).exists(),
    }


def _evidence_area(area: Organisation) -> evidence.Area:
    """The workbench's area for a CSP area; for a VRU footprint of London boroughs, London."""
    if area.kind == Organisation.Kind.VRU:
        codes = set(Organisation.objects.filter(kind=Organisation.Kind.AREA, vru=area).values_list("code", flat=True))
        if codes and codes <= set(store.LONDON_BOROUGHS):
            return evidence.area_get(code=store.LONDON_CODE)
    return evidence.area_get(code=area.code)


def datapack_data(*, area: Organisation, today: dt.date | None = None) -> dict[str, Any]:
    """Everything in an area's data pack. ``area`` is an Organisation the caller has authorised
    (``access.duty_area_get_for_user``); raises ``evidence.EvidenceError`` if the workbench does not know it.

    The evidence store is read as the area's VRU whoever asks (a request, the worker, the command line): its
    own ISTV uploads only, never another VRU's (one naming a hospital of this VRU's too)."""
    vru = area.owning_vru
    with store.vru_scope(vru.code if vru is not None else store.NO_VRU):
        return _datapack_data(area=area, today=today)


def _datapack_data(*, area: Organisation, today: dt.date | None) -> dict[str, Any]:
    today = today or dt.date.today()
    ev_area = _evidence_area(area)
    definition = Definition.objects.filter(partnership__area=area).select_related("partnership").first()
    chosen = list(definition.offence_types) if definition and definition.offence_types else None
    partnership_synthetic = Partnership.objects.filter(area=area, synthetic=True).exists()
    with store.connect():  # every read below sees one version of the store
        offences: list[dict[str, Any]] = [
            {
                "code": scoped.code,
                "label": scoped.label,
                "note": scoped.note,
                "measures": [_measure_trend(ev_area, m) for m in scoped.measures],
            }
            for scoped in offences_in_scope(area_code=ev_area.code, offence_types=chosen)
        ]
        headline = _headline(ev_area)
        hotspots = _hotspots(ev_area)
        lsoas = _lsoa_overlap(ev_area)
        istv = _istv(ev_area)
        population = evidence.population(area=ev_area)
    synthetic_parts = [
        *(m["synthetic"] for o in offences for m in o["measures"]),
        *(h["synthetic"] for h in headline),
        bool(hotspots.get("synthetic")),
        bool(lsoas.get("synthetic")),
        bool(istv.get("synthetic")),
        partnership_synthetic,
    ]
    return {
        "title": f"Serious violence needs assessment data pack: {area.name}",
        "file_stem": f"sna-data-pack-{area.code}-{today:%Y-%m-%d}",
        "area": {"code": area.code, "name": area.name},
        "generated_on": date_words(today),
        "synthetic": any(synthetic_parts),
        "partnership_synthetic": partnership_synthetic,
        "definition": {
            "written": chosen is not None,
            "offence_types": [o["label"] for o in offences],
            "defaults": list(DEFAULT_OFFENCE_TYPES),
        },
        "population": population,
        "caveat": evidence.denominator_caveat(area=ev_area),
        "offences": offences,
        "headline": headline,
        "hotspots": hotspots,
        "lsoas": lsoas,
        "istv": istv,
        "method": statistics.METHOD,
    }
