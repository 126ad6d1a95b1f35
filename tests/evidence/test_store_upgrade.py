"""Stores made by an earlier release, where police_facts was a table of counts, are brought to the
current schema (police_facts a view counting police_points, older counts in police_facts_legacy) on
the next load: every count kept once, none lost, none doubled."""

from pathlib import Path

import duckdb
import pandas as pd

from vrhub.evidence import store
from vrhub.evidence.loaders.police_uk import load_police_uk

ROOT = Path(__file__).resolve().parents[2]
CITY = ROOT / "data" / "police-uk" / "city-of-london-2023"
JANUARY = CITY / "2023-01-city-of-london-street.csv"
FEBRUARY = CITY / "2023-02-city-of-london-street.csv"

OLD_POLICE_FACTS = """
CREATE TABLE police_facts (
    batch_id BIGINT, month DATE, force_code VARCHAR, force_name VARCHAR, lsoa_code VARCHAR, crime_type VARCHAR, n BIGINT
)
"""
OLD_ALL_FACTS = """
CREATE VIEW all_facts AS
SELECT batch_id, source, level, month, force_code, force_name, borough_code, borough_name, area_code, area_name,
       category, subcategory, n, unlocated, synthetic
FROM facts
UNION ALL
SELECT p.batch_id, 'police_uk', CASE WHEN p.lsoa_code IS NULL THEN 'force' ELSE 'lsoa' END, p.month, p.force_code,
       p.force_name, NULL, l.borough_name, p.lsoa_code, l.lsoa_name, p.crime_type, NULL, p.n,
       CASE WHEN p.lsoa_code IS NULL THEN p.n ELSE 0 END, false
FROM police_facts p LEFT JOIN lsoa_names l ON l.lsoa_code = p.lsoa_code
"""


def _raw(paths, crime_type: str = "Robbery") -> dict[str, int]:
    """Offences of a type per month straight from the files: each Crime ID once, every row without one."""
    df = pd.concat([pd.read_csv(p, dtype=str, keep_default_na=False) for p in paths], ignore_index=True)
    df = df[~(df["Crime ID"].ne("") & df["Crime ID"].duplicated())]
    return {m: int(n) for m, n in df[df["Crime type"] == crime_type].groupby("Month").size().items()}


def _stored(crime_type: str = "Robbery") -> dict[str, int]:
    with store.connect() as con:
        found = store.rows(
            con,
            "SELECT strftime(month, '%Y-%m') AS m, sum(n) AS n FROM all_facts "
            "WHERE source = 'police_uk' AND category = $c GROUP BY m ORDER BY m",
            {"c": crime_type},
        )
    return {r["m"]: int(r["n"]) for r in found}


def _kind(name: str) -> str | None:
    with store.connect() as con:
        views = store.scalar(
            con, "SELECT count(*) FROM duckdb_views() WHERE view_name = $n AND NOT temporary", {"n": name}
        )
        tables = store.scalar(
            con, "SELECT count(*) FROM duckdb_tables() WHERE table_name = $n AND NOT temporary", {"n": name}
        )
    if views:
        return "view"
    if tables:
        return "table"
    return None


def _old_schema() -> str:
    """Today's schema without the police_facts view and with all_facts as the earlier release made it."""
    schema = store.SCHEMA.split("CREATE OR REPLACE VIEW police_facts AS")[0]
    return schema.replace("CREATE TABLE IF NOT EXISTS police_facts_legacy", "CREATE TABLE IF NOT EXISTS unused_")


def test_counts_of_loads_made_before_points_were_kept_stay_and_are_added_to(evidence_store):
    # A store as an early release wrote it: police_facts a table holding January's robbery, no points.
    con = duckdb.connect(str(Path(evidence_store)))
    con.execute(OLD_POLICE_FACTS)
    con.execute(_old_schema())
    con.execute("DROP TABLE police_points")
    con.execute(OLD_ALL_FACTS)
    jan = _raw([JANUARY])["2023-01"]
    con.execute(
        "INSERT INTO police_facts VALUES (7, DATE '2023-01-01', 'E23000034', 'City of London Police', "
        "'E01000001', 'Robbery', $n)",
        {"n": jan},
    )
    con.close()
    assert _stored() == {"2023-01": jan}

    load_police_uk(paths=[FEBRUARY])

    assert _kind("police_facts") == "view"
    assert _kind("police_facts_legacy") == "table"
    assert _stored() == {"2023-01": jan, **_raw([FEBRUARY])}


def test_counts_of_loads_that_kept_points_are_counted_from_the_points_once(evidence_store):
    # A store as the previous release wrote it: January loaded with its points, and police_facts a
    # table of the same counts. After the upgrade, January is counted from the points, not twice.
    load_police_uk(paths=[JANUARY])
    con = duckdb.connect(str(Path(evidence_store)))
    con.execute("DROP VIEW all_facts")
    con.execute("DROP VIEW police_facts")
    con.execute(OLD_POLICE_FACTS)
    con.execute(
        "INSERT INTO police_facts SELECT batch_id, month, force_code, force_name::VARCHAR, lsoa_code, "
        "crime_type::VARCHAR, count(*) FROM police_points GROUP BY ALL"
    )
    con.execute("DROP TABLE police_facts_legacy")
    con.execute(OLD_ALL_FACTS)
    con.close()
    assert _stored() == _raw([JANUARY])

    load_police_uk(paths=[FEBRUARY])

    assert _kind("police_facts") == "view"
    assert _stored() == _raw([JANUARY, FEBRUARY])
    assert _stored("Violence and sexual offences") == _raw([JANUARY, FEBRUARY], "Violence and sexual offences")
    with store.connect() as con:
        assert store.scalar(con, "SELECT count(*) FROM police_facts_legacy") == 0


def test_a_new_store_counts_from_the_points_and_a_second_load_keeps_the_schema(evidence_store):
    load_police_uk(paths=[JANUARY])
    assert _kind("police_facts") == "view"
    load_police_uk(paths=[FEBRUARY])
    assert _kind("police_facts") == "view"
    assert _stored() == _raw([JANUARY, FEBRUARY])
    with store.connect() as con:
        points = store.scalar(con, "SELECT count(*) FROM police_points")
        counted = store.scalar(con, "SELECT sum(n) FROM police_facts")
    assert counted == points
