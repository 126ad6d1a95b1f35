# ruff: noqa: S608 - SQL text here is built from this module's constants only; the file path is a parameter.
"""Generators of realistic synthetic data, clearly labelled synthetic.

* ``write_police_uk``: data.police.uk street-level files in the exact public format and the monthly
  archive layout (``YYYY-MM/YYYY-MM-<force>-street.csv``), for the load benchmark. Written by
  DuckDB (fast); includes rows without a location, repeated Crime IDs and a few invalid rows.
* ``write_istv``: ISTV A&E extracts with the ISB 1594 minimum dataset (plus an LSOA column, as
  CSPs that geocode the assault location add). The file's first line is ``SYNTHETIC_MARKER`` (a
  ``#`` comment line no real extract has) and every row says ``Synthetic: yes``.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import re
from pathlib import Path

import duckdb

from vrhub.evidence import store
from vrhub.evidence.loaders.istv import HEADER as ISTV_COLUMNS
from vrhub.evidence.loaders.istv import LOCATION_TYPES as ISTV_LOCATION_TYPES
from vrhub.evidence.loaders.istv import METHODS as ISTV_METHODS
from vrhub.evidence.loaders.istv import SYNTHETIC_MARKER
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
LOCATION_TYPES = ISTV_LOCATION_TYPES
LOCATION_WEIGHTS = [40, 20, 18, 6, 5, 3, 8]
PLACES = ["High Street", "Market Place", "Station Road", "town centre", "bus station", "park", "shopping centre"]


def write_istv(
    *,
    path: Path,
    site_code: str | list[str],
    lsoas: list[str],
    start: dt.date,
    months: int = 12,
    per_month: int = 60,
    seed: int = 1,
) -> Path:
    """A synthetic ISTV extract for one site or several (marked synthetic on line 1 and in every row)."""
    rng = random.Random(seed)
    sites = [site_code] if isinstance(site_code, str) else list(site_code)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        fh.write(SYNTHETIC_MARKER + "\r\n")
        writer = csv.writer(fh)
        writer.writerow(ISTV_HEADER)
        for site, m in ((s, m) for s in sites for m in range(months)):
            year, month = start.year + (start.month - 1 + m) // 12, (start.month - 1 + m) % 12 + 1
            for _ in range(max(0, int(rng.gauss(per_month, per_month * 0.15)))):
                day = rng.randint(1, 28)
                # Assaults cluster in the evening and at weekends; arrival follows within hours.
                hour = rng.choices(
                    range(24), weights=[6, 5, 4, 3, 2, 1, 1, 1, 1, 1, 2, 2, 3, 3, 3, 3, 4, 4, 5, 6, 7, 8, 8, 7]
                )[0]
                assault = dt.datetime(year, month, day, hour, rng.randint(0, 59))
                arrival = assault + dt.timedelta(minutes=rng.randint(15, 300))
                writer.writerow(
                    [
                        site,
                        f"{year}-{month:02d}",
                        arrival.date().isoformat(),
                        arrival.strftime("%H:%M"),
                        assault.date().isoformat(),
                        assault.strftime("%H:%M"),
                        rng.choices(METHODS, weights=METHOD_WEIGHTS)[0],
                        rng.choices(LOCATION_TYPES, weights=LOCATION_WEIGHTS)[0],
                        f"Near {rng.choice(PLACES)} (synthetic)",
                        rng.choice(lsoas) if lsoas and rng.random() > 0.1 else "",
                        "yes",
                    ]
                )
    return path


__all__ = ["write_police_uk", "write_istv", "HEADER", "ISTV_HEADER", "SYNTHETIC_MARKER"]
