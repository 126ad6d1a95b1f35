# ruff: noqa: S608 - SQL text here is built from this module's constants only; the file path is a parameter.
"""Generators of realistic synthetic data, clearly labelled synthetic.

* ``write_police_uk``: data.police.uk street-level files in the exact public format and the monthly
  archive layout (``YYYY-MM/YYYY-MM-<force>-street.csv``), for the load benchmark. Written by
  DuckDB (fast); includes rows without a location, repeated Crime IDs and a few invalid rows.
* ``write_istv``: ISTV A&E extracts with every ISB 1594 field (plus an LSOA column, as CSPs that
  geocode the assault location add), with weekly, daily and seasonal patterns. The file's first
  line is ``SYNTHETIC_MARKER`` (a ``#`` comment line no real extract has) and every row says
  ``Synthetic: yes``.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import math
import random
import re
from pathlib import Path

import duckdb

from vrhub.evidence import store
from vrhub.evidence.loaders.istv import HEADER as ISTV_COLUMNS
from vrhub.evidence.loaders.istv import LOCATION_TYPES as ISTV_LOCATION_TYPES
from vrhub.evidence.loaders.istv import LONDON_AE_SITES, SYNTHETIC_MARKER
from vrhub.evidence.loaders.istv import METHODS as ISTV_METHODS
from vrhub.evidence.loaders.police_uk import CRIME_TYPES, HEADER

# Rough national shares of police.uk crime types (2023), per mille.
CRIME_WEIGHTS = [190, 12, 40, 80, 25, 30, 90, 10, 90, 12, 70, 20, 80, 251]
OUTCOMES = [
    "Investigation complete; no suspect identified",
    "Unable to prosecute suspect",
    "Under investigation",
    "Status update unavailable",
    "Awaiting court outcome",
    "Offender given a caution",
]


def _slug(name: str) -> str:
    return re.sub(r"[^a-z]+", "-", name.lower().replace("&", "and")).strip("-")


def write_police_uk(
    *, out_dir: Path, year: int = 2023, rows: int = 6_000_000, seed: int = 1, bad_rows: int = 100
) -> list[Path]:
    """About ``rows`` rows over 12 months and the 43 forces of England and Wales (~170 bytes a row)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    forces = list(store.POLICE_FORCES)
    # Forces differ in size: the Met about 15 %, the rest shared with a gentle spread.
    shares = [15.0 if f.startswith("Metropolitan") else 1.0 + (i % 7) / 3 for i, f in enumerate(forces)]
    total_share = sum(shares)
    crime_cases = " ".join(
        f"WHEN r < {sum(CRIME_WEIGHTS[: i + 1]) / 1000:.3f} THEN '{t}'" for i, t in enumerate(CRIME_TYPES)
    )
    outcome_list = "[" + ", ".join(store.sql_str(o) for o in OUTCOMES) + "]"
    con = duckdb.connect()
    con.execute(f"SELECT setseed({(seed % 1000) / 1000})").fetchall()
    paths: list[Path] = []
    bad_left = bad_rows
    for month in range(1, 13):
        ym = f"{year}-{month:02d}"
        (out_dir / ym).mkdir(exist_ok=True)
        for index, (force, share) in enumerate(zip(forces, shares, strict=True)):
            n = max(1, int(rows / 12 * share / total_share))
            path = out_dir / ym / f"{ym}-{_slug(force.replace(' Service', ''))}-street.csv"
            offset = (month * 100 + index) * 10_000_000
            # 2 % without a location; 0.3 % repeat an earlier Crime ID; ASB has no Crime ID.
            con.execute(
                f"""
                COPY (
                    SELECT
                        CASE WHEN crime = 'Anti-social behaviour' THEN NULL
                             WHEN dup THEN sha256('{seed}-' || ({offset} + i - 1))
                             ELSE sha256('{seed}-' || ({offset} + i)) END AS "Crime ID",
                        '{ym}' AS "Month",
                        {store.sql_str(force)} AS "Reported by",
                        {store.sql_str(force)} AS "Falls within",
                        CASE WHEN unlocated THEN NULL ELSE printf('%.6f', -3.5 + random() * 4.5) END AS "Longitude",
                        CASE WHEN unlocated THEN NULL ELSE printf('%.6f', 50.5 + random() * 4.5) END AS "Latitude",
                        CASE WHEN unlocated THEN 'No Location' ELSE 'On or near ' || street END AS "Location",
                        CASE WHEN unlocated THEN NULL ELSE 'E01' || lpad((lsoa)::VARCHAR, 6, '0') END AS "LSOA code",
                        CASE WHEN unlocated THEN NULL
                             ELSE 'Synthetic ' || lpad((lsoa % 300)::VARCHAR, 3, '0') || chr(65 + (lsoa % 5)::INTEGER)
                        END AS "LSOA name",
                        crime AS "Crime type",
                        CASE WHEN crime = 'Anti-social behaviour' THEN NULL
                             ELSE {outcome_list}[1 + (i % {len(OUTCOMES)})] END AS "Last outcome category",
                        NULL AS "Context"
                    FROM (
                        SELECT range AS i, random() < 0.02 AS unlocated, range > 0 AND random() < 0.003 AS dup,
                               CASE {crime_cases} ELSE 'Other crime' END AS crime,
                               (1000 + floor(random() * 33000))::BIGINT AS lsoa,
                               (['High Street', 'Station Road', 'Church Lane', 'Park Road', 'Supermarket',
                                 'Shopping Area', 'Parking Area', 'Nightclub'])[1 + (range % 8)] AS street
                        FROM (SELECT range, random() AS r FROM range({n}))
                    )
                ) TO $path (HEADER, DELIMITER ',')
                """,
                {"path": str(path)},
            )
            paths.append(path)
        if bad_left > 0:
            # A handful of invalid rows in the first force's file of the month, appended at the end.
            bad_path = paths[-len(forces)]
            with bad_path.open("a", newline="") as fh:
                writer = csv.writer(fh)
                for k in range(min(bad_left, 10)):
                    writer.writerow(
                        [
                            f"bad{month}-{k}",
                            f"{ym}",
                            forces[0],
                            forces[0],
                            "not-a-number",
                            "51.5",
                            "On or near Nowhere",
                            "E01000001",
                            "Synthetic 001A",
                            "Robbery",
                            "",
                            "",
                        ]
                    )
                bad_left -= min(bad_left, 10)
    con.close()
    return paths


ISTV_HEADER = ISTV_COLUMNS
METHODS = ISTV_METHODS
METHOD_WEIGHTS = [55, 9, 10, 6, 10, 10]
OTHER_METHODS = ["Bite", "Vehicle", "Thrown liquid", "Strangulation", "Firearm", "Dog"]
LOCATION_TYPES = ISTV_LOCATION_TYPES
LOCATION_WEIGHTS = [40, 20, 18, 6, 5, 3, 8]
PLACES = ["High Street", "Market Place", "Station Road", "town centre", "bus station", "park", "shopping centre"]
# Relative frequency of assaults by hour of day (0-23): a trough in the early morning, rising through
# the afternoon, peaking late in the evening and just after midnight (the shape A&E assault data show).
HOUR_WEIGHTS = [9, 8, 6, 4, 3, 2, 1, 1, 1.5, 2, 2.5, 3, 3.5, 3.5, 4, 4.5, 5, 5.5, 6, 7, 8, 9, 10, 10]
NIGHT_OUT = 2.5  # Friday and Saturday evenings (20:00-) and the small hours after them
WEEKEND_DAY = 1.3  # Saturday and Sunday daytime
SUMMER_AMPLITUDE = 0.2  # July 20 % above the year's average, January 20 % below
LSOA_SHARE = 0.9  # rows with an LSOA (the rest are blank, as when the location could not be geocoded)
BOUNDARIES = Path(__file__).resolve().parents[2] / "data" / "boundaries" / "london-lsoa21"


def istv_slot_weight(weekday: int, hour: int) -> float:
    """The generator's relative weight of an assault at ``hour`` on ``weekday`` (Monday 0)."""
    weight = HOUR_WEIGHTS[hour]
    night_out = (weekday in (4, 5) and hour >= 20) or (weekday in (5, 6) and hour < 6)
    if night_out:
        return weight * NIGHT_OUT
    if weekday in (5, 6):
        return weight * WEEKEND_DAY
    return weight


def istv_season(month: int) -> float:
    """The generator's seasonal factor for a calendar month (1-12): highest in July, lowest in January."""
    return 1 + SUMMER_AMPLITUDE * math.cos(2 * math.pi * (month - 7) / 12)


def london_lsoas(boroughs: list[str], *, folder: Path = BOUNDARIES) -> dict[str, list[str]]:
    """LSOA 2021 codes of each borough, from the shipped boundaries (``<borough>.geojson``); [] if absent."""
    found: dict[str, list[str]] = {}
    for code in boroughs:
        path = folder / f"{code}.geojson"
        if code in found or not re.fullmatch(r"E09[0-9]{6}", code) or not path.is_file():
            found.setdefault(code, [])
            continue
        features = json.loads(path.read_text(encoding="utf-8")).get("features", [])
        found[code] = sorted({str(f["properties"]["LSOA21CD"]) for f in features if f.get("properties")})
    return found


def istv_site_lsoas(sites: list[str]) -> dict[str, list[str]]:
    """Each site's LSOAs: those of its borough in ``LONDON_AE_SITES`` (none for a site not in it)."""
    boroughs = london_lsoas(sorted({LONDON_AE_SITES[s][1] for s in sites if s in LONDON_AE_SITES}))
    return {s: boroughs[LONDON_AE_SITES[s][1]] for s in sites if s in LONDON_AE_SITES}


def _month_start(start: dt.date, offset: int) -> dt.date:
    index = start.year * 12 + start.month - 1 + offset
    return dt.date(index // 12, index % 12 + 1, 1)


def write_istv(
    *,
    path: Path,
    site_code: str | list[str],
    lsoas: list[str] | dict[str, list[str]],
    start: dt.date,
    months: int = 12,
    per_month: int = 60,
    seed: int = 1,
) -> Path:
    """A synthetic ISTV extract for one site or several (marked synthetic on line 1 and in every row).

    Every ISB 1594 field is filled. Assaults follow ``istv_slot_weight`` (evening and night peaks, more on
    Friday and Saturday nights) and ``istv_season`` (more in summer); arrival follows within 15 minutes
    to 5 hours, and the row's reporting period is its arrival's calendar month (rows arriving after the
    last month are left out). ``lsoas``: codes for every site, or a site's own (``{site: [codes]}``).
    Deterministic for a given ``seed``.
    """
    rng = random.Random(seed)
    sites = [site_code] if isinstance(site_code, str) else list(site_code)
    end = _month_start(start, months)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        fh.write(SYNTHETIC_MARKER + "\r\n")
        writer = csv.writer(fh)
        writer.writerow(ISTV_HEADER)
        for site, m in ((s, m) for s in sites for m in range(months)):
            first = _month_start(start, m)
            days = (_month_start(start, m + 1) - first).days
            slots = [(d, h) for d in range(days) for h in range(24)]
            weights = [istv_slot_weight((first + dt.timedelta(days=d)).weekday(), h) for d, h in slots]
            site_lsoas = lsoas.get(site, []) if isinstance(lsoas, dict) else lsoas
            expected = per_month * istv_season(first.month)
            count = max(0, round(rng.gauss(expected, expected * 0.1)))
            for day, hour in sorted(rng.choices(slots, weights=weights, k=count)):
                assault = dt.datetime.combine(first + dt.timedelta(days=day), dt.time(hour, rng.randint(0, 59)))
                arrival = assault + dt.timedelta(minutes=rng.randint(15, 300))
                if arrival.date() >= end:
                    continue
                period_start = arrival.date().replace(day=1)
                period_end = _month_start(period_start, 1) - dt.timedelta(days=1)
                method = rng.choices(METHODS, weights=METHOD_WEIGHTS)[0]
                writer.writerow(
                    [
                        site,
                        period_start.isoformat(),
                        period_end.isoformat(),
                        arrival.date().isoformat(),
                        arrival.strftime("%H:%M"),
                        assault.date().isoformat(),
                        assault.strftime("%H:%M"),
                        method,
                        f"{rng.choice(OTHER_METHODS)} (synthetic)" if method == "Other" else "",
                        rng.choices(LOCATION_TYPES, weights=LOCATION_WEIGHTS)[0],
                        f"Near {rng.choice(PLACES)} (synthetic)",
                        rng.choice(site_lsoas) if site_lsoas and rng.random() < LSOA_SHARE else "",
                        "yes",
                    ]
                )
    return path


__all__ = ["write_police_uk", "write_istv", "HEADER", "ISTV_HEADER", "SYNTHETIC_MARKER"]


# --- synthetic data.police.uk files for one force ---------------------------------------------------
# For a force whose street-level files are not shipped (only the City of London Police's are): crimes in
# the force's CSPs' LSOAs, in the exact public format, under a file name that says synthetic.

POLICE_SYNTHETIC_TAG = "synthetic"  # in every file name: <YYYY-MM>/<YYYY-MM>-<force>-synthetic-street.csv
POLICE_SYNTHETIC_LOCATION = "On or near a synthetic location"
POLICE_RATE_PER_1000 = 90.0  # crimes and ASB incidents a year per 1,000 residents (England and Wales ≈ 90)
POLICE_JITTER_DEGREES = 0.004  # points scatter this far around their LSOA's anchor (≈ 300 m)


def lsoas_of_districts(districts: list[str], *, path: Path) -> list[tuple[str, str, int]]:
    """(code, name, residents) of every LSOA whose name starts with one of ``districts`` ("Birmingham 001A"),
    from the Census 2021 file (``data/population/census2021-lsoa21-usual-residents.csv``), by code."""
    pattern = re.compile("^(" + "|".join(re.escape(d) for d in districts) + r") [0-9]{3}[A-Z]$")
    out = []
    with path.open(newline="", encoding="utf-8-sig") as fh:
        for row in csv.DictReader(fh):
            name, code = row["2021 super output area - lower layer"], row["LSOA21CD"]
            if pattern.match(name):
                out.append((code, name, int(row["Population"])))
    return sorted(out)


def _poisson(rng: random.Random, mean: float) -> int:
    """A Poisson draw (Knuth's method; the means here are small)."""
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _anchor(rng: random.Random, outline: dict | None, fallback: tuple[float, float]) -> tuple[float, float]:
    """A random point inside ``outline`` (a GeoJSON geometry), or ``fallback`` when there is none."""
    from vrhub.core import geo

    if outline is None:
        return fallback
    west, south, east, north = geo.bbox(outline)
    for _ in range(200):
        x, y = rng.uniform(west, east), rng.uniform(south, north)
        if geo.contains(outline, x, y):
            return x, y
    return geo.interior_point(outline)


def write_police_uk_force(
    *,
    out_dir: Path,
    force: str,
    lsoas: list[tuple[str, str, int]],
    outlines: dict[str, dict],
    start: dt.date,
    months: int,
    seed: int,
    rate_per_1000: float = POLICE_RATE_PER_1000,
) -> list[Path]:
    """Synthetic street-level files for ``force`` (its data.police.uk name), one a month from ``start``.

    Deterministic: the same arguments write the same bytes. Each LSOA's crimes a month are a Poisson draw
    around its residents × ``rate_per_1000`` / 12, typed by ``CRIME_WEIGHTS``; anti-social behaviour has no
    Crime ID or outcome, as published. Points scatter around one anchor per LSOA, drawn inside the outline
    of its district (``outlines``: district name → geometry; the force area's middle when absent): they lie
    in the right district, not necessarily in the right LSOA. File names say synthetic, as must every use."""
    if force not in store.POLICE_FORCES:
        raise ValueError(f"Not a police force of England and Wales as data.police.uk names it: {force!r}")
    rng = random.Random(f"{force}|{seed}")
    anchors = {}
    centre = (-1.9, 52.48)
    for code, name, _ in lsoas:
        district = name.rsplit(" ", 1)[0]
        anchors[code] = _anchor(rng, outlines.get(district), centre)
    written = []
    slug = _slug(force)
    for offset in range(months):
        month = _month_start(start, offset)
        label = f"{month:%Y-%m}"
        path = out_dir / label / f"{label}-{slug}-{POLICE_SYNTHETIC_TAG}-street.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(HEADER)
            for code, name, residents in lsoas:
                lon0, lat0 = anchors[code]
                for number in range(_poisson(rng, residents * rate_per_1000 / 1000 / 12)):
                    crime_type = rng.choices(CRIME_TYPES, weights=CRIME_WEIGHTS)[0]
                    asb = crime_type == "Anti-social behaviour"
                    crime_id = (
                        "" if asb else hashlib.sha256(f"{force}|{seed}|{label}|{code}|{number}".encode()).hexdigest()
                    )
                    writer.writerow(
                        [
                            crime_id,
                            label,
                            force,
                            force,
                            f"{lon0 + rng.uniform(-POLICE_JITTER_DEGREES, POLICE_JITTER_DEGREES):.6f}",
                            f"{lat0 + rng.uniform(-POLICE_JITTER_DEGREES, POLICE_JITTER_DEGREES):.6f}",
                            POLICE_SYNTHETIC_LOCATION,
                            code,
                            name,
                            crime_type,
                            "" if asb else rng.choice(OUTCOMES),
                            "",
                        ]
                    )
        written.append(path)
    return written
