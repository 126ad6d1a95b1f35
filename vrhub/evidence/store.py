"""The evidence workbench's analytical store: one embedded DuckDB file (``settings.EVIDENCE_DUCKDB``).

Every operation opens one short-lived connection (``connect()``) and closes it. DuckDB 2.x streams
results: a result must be fetched before the next statement runs on the same connection, so the
helpers here always fetch at once.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
from django.conf import settings

from vrhub.organisations.london import BOROUGHS

LONDON_CODE = "E12000007"
MET_CODE = "E23000001"
CITY_FORCE_CODE = "E23000034"

# The 32 boroughs plus the City of London, which has its own police force.
LONDON_BOROUGHS: dict[str, str] = {"E09000001": "City of London", **BOROUGHS}

# Forces that publish on data.police.uk without an England and Wales police force area code.
OTHER_POLICE_UK_FORCES = ["British Transport Police", "Police Service of Northern Ireland"]

# The 43 territorial police forces of England and Wales (ONS police force area codes), by the name
# data.police.uk gives them in "Reported by" / "Falls within".
POLICE_FORCES: dict[str, str] = {
    "Metropolitan Police Service": "E23000001",
    "Cumbria Constabulary": "E23000002",
    "Lancashire Constabulary": "E23000003",
    "Merseyside Police": "E23000004",
    "Greater Manchester Police": "E23000005",
    "Cheshire Constabulary": "E23000006",
    "Northumbria Police": "E23000007",
    "Durham Constabulary": "E23000008",
    "North Yorkshire Police": "E23000009",
    "West Yorkshire Police": "E23000010",
    "South Yorkshire Police": "E23000011",
    "Humberside Police": "E23000012",
    "Cleveland Police": "E23000013",
    "West Midlands Police": "E23000014",
    "Staffordshire Police": "E23000015",
    "West Mercia Police": "E23000016",
    "Warwickshire Police": "E23000017",
    "Derbyshire Constabulary": "E23000018",
    "Nottinghamshire Police": "E23000019",
    "Lincolnshire Police": "E23000020",
    "Leicestershire Police": "E23000021",
    "Northamptonshire Police": "E23000022",
    "Cambridgeshire Constabulary": "E23000023",
    "Norfolk Constabulary": "E23000024",
    "Suffolk Constabulary": "E23000025",
    "Bedfordshire Police": "E23000026",
    "Hertfordshire Constabulary": "E23000027",
    "Essex Police": "E23000028",
    "Thames Valley Police": "E23000029",
    "Hampshire Constabulary": "E23000030",
    "Surrey Police": "E23000031",
    "Kent Police": "E23000032",
    "Sussex Police": "E23000033",
    "City of London Police": "E23000034",
    "Devon & Cornwall Police": "E23000035",
    "Avon and Somerset Constabulary": "E23000036",
    "Gloucestershire Constabulary": "E23000037",
    "Wiltshire Police": "E23000038",
    "Dorset Police": "E23000039",
    "North Wales Police": "W15000001",
    "Gwent Police": "W15000002",
    "South Wales Police": "W15000003",
    "Dyfed-Powys Police": "W15000004",
}

SCHEMA = """
CREATE SEQUENCE IF NOT EXISTS batch_seq;
CREATE TABLE IF NOT EXISTS loads (
    batch_id BIGINT, kind VARCHAR, file VARCHAR, fingerprint VARCHAR, loaded_at TIMESTAMP,
    rows BIGINT, loaded BIGINT, duplicates BIGINT, unlocated BIGINT, rejected BIGINT, synthetic BOOLEAN
);
CREATE TABLE IF NOT EXISTS rejects (batch_id BIGINT, kind VARCHAR, file VARCHAR, line BIGINT, reason VARCHAR);
CREATE TABLE IF NOT EXISTS crime_ids (hid UHUGEINT);
CREATE TABLE IF NOT EXISTS facts (
    batch_id BIGINT, source VARCHAR, level VARCHAR, month DATE, force_code VARCHAR, force_name VARCHAR,
    borough_code VARCHAR, borough_name VARCHAR, area_code VARCHAR, area_name VARCHAR,
    category VARCHAR, subcategory VARCHAR, n BIGINT, unlocated BIGINT, synthetic BOOLEAN
);
CREATE TABLE IF NOT EXISTS police_facts (
    batch_id BIGINT, month DATE, force_code VARCHAR, force_name VARCHAR, lsoa_code VARCHAR, crime_type VARCHAR, n BIGINT
);
CREATE TABLE IF NOT EXISTS lsoa_names (lsoa_code VARCHAR, lsoa_name VARCHAR, borough_name VARCHAR);
CREATE VIEW IF NOT EXISTS all_facts AS
SELECT batch_id, source, level, month, force_code, force_name, borough_code, borough_name, area_code, area_name,
       category, subcategory, n, unlocated, synthetic
FROM facts
UNION ALL
SELECT p.batch_id, 'police_uk', CASE WHEN p.lsoa_code IS NULL THEN 'force' ELSE 'lsoa' END, p.month, p.force_code,
       p.force_name, NULL, l.borough_name, p.lsoa_code, l.lsoa_name, p.crime_type, NULL, p.n,
       CASE WHEN p.lsoa_code IS NULL THEN p.n ELSE 0 END, false
FROM police_facts p LEFT JOIN lsoa_names l ON l.lsoa_code = p.lsoa_code;
CREATE TABLE IF NOT EXISTS areas (code VARCHAR, name VARCHAR, level VARCHAR, parent_code VARCHAR);
CREATE TABLE IF NOT EXISTS lsoa_ward (lsoa_code VARCHAR, ward_code VARCHAR, lad_code VARCHAR, method VARCHAR);
CREATE TABLE IF NOT EXISTS geometries (level VARCHAR, code VARCHAR, name VARCHAR, parent_code VARCHAR, geojson VARCHAR);
CREATE TABLE IF NOT EXISTS imd (
    edition VARCHAR, lsoa_code VARCHAR, indicator VARCHAR, score DOUBLE, rank DOUBLE, decile DOUBLE
);
CREATE TABLE IF NOT EXISTS istv (
    batch_id BIGINT, file VARCHAR, line BIGINT, site_code VARCHAR, period VARCHAR, arrival TIMESTAMP,
    assault TIMESTAMP, method VARCHAR, location_type VARCHAR, location_description VARCHAR,
    lsoa_code VARCHAR, synthetic BOOLEAN
);
"""


def database_path() -> Path:
    return Path(settings.EVIDENCE_DUCKDB)


@contextlib.contextmanager
def connect(*, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """One short-lived connection to the store, with the schema in place."""
    path = database_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    try:
        con.execute(SCHEMA)
        yield con
    finally:
        con.close()


def rows(con: duckdb.DuckDBPyConnection, sql: str, params: Any = None) -> list[dict[str, Any]]:
    """Run a query and fetch every row as a dict (at once: DuckDB 2 results stream)."""
    result = con.execute(sql, params) if params is not None else con.execute(sql)
    names = [d[0] for d in result.description]
    return [dict(zip(names, r, strict=True)) for r in result.fetchall()]


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: Any = None) -> Any:
    result = con.execute(sql, params) if params is not None else con.execute(sql)
    row = result.fetchone()
    return row[0] if row else None


@contextlib.contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """BEGIN … COMMIT, or ROLLBACK on any error: a failed load leaves nothing behind."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def sql_str(value: str) -> str:
    """A SQL string literal (for file paths in read_csv, which take no parameters in every position)."""
    return "'" + value.replace("'", "''") + "'"
