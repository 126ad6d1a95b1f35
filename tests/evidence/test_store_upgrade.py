"""A store made by an earlier release (VARCHAR force names and crime types in police_facts) is
converted on the next load, its counts unchanged, and the next load adds to it."""

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


def _types(con) -> dict[str, str]:
    found = store.rows(
        con,
        "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = 'police_facts' AND NOT internal",
    )
    return {r["column_name"]: r["data_type"] for r in found}


def _robbery_by_month() -> dict[str, int]:
    with store.connect() as con:
        found = store.rows(
            con,
            "SELECT strftime(month, '%Y-%m') AS m, sum(n) AS n FROM all_facts "
            "WHERE source = 'police_uk' AND category = 'Robbery' GROUP BY m ORDER BY m",
        )
    return {r["m"]: int(r["n"]) for r in found}


def _raw_robbery(paths) -> dict[str, int]:
    df = pd.concat([pd.read_csv(p, dtype=str, keep_default_na=False) for p in paths], ignore_index=True)
    df = df[~(df["Crime ID"].ne("") & df["Crime ID"].duplicated())]
    return {m: int(n) for m, n in df[df["Crime type"] == "Robbery"].groupby("Month").size().items()}


def test_an_old_store_is_converted_and_keeps_its_counts(evidence_store):
    # A store as the earlier release wrote it: police_facts with text columns, January's robbery in it.
    path = Path(evidence_store)
    con = duckdb.connect(str(path))
    con.execute(OLD_POLICE_FACTS)
    con.execute(store.SCHEMA)  # everything else as now (CREATE ... IF NOT EXISTS keeps the old table)
    jan = _raw_robbery([JANUARY])["2023-01"]
    con.execute(
        "INSERT INTO police_facts VALUES (1, DATE '2023-01-01', 'E23000034', 'City of London Police', "
        "'E01000001', 'Robbery', $n)",
        {"n": jan},
    )
    con.execute(
        "INSERT INTO loads VALUES (1, 'police_uk', 'old.csv', 'old-print', now(), $n, $n, 0, 0, 0, false)", {"n": jan}
    )
    assert _types(con)["force_name"] == "VARCHAR"
    con.close()
    assert _robbery_by_month() == {"2023-01": jan}

    load_police_uk(paths=[FEBRUARY])

    with store.connect() as con:
        types = _types(con)
    assert types["force_name"].startswith("ENUM(")
    assert types["crime_type"].startswith("ENUM(")
    expected = {"2023-01": jan, **_raw_robbery([FEBRUARY])}
    assert _robbery_by_month() == expected


def test_a_new_store_has_enum_columns_and_a_second_session_changes_nothing(evidence_store):
    load_police_uk(paths=[JANUARY])
    with store.connect() as con:
        first = _types(con)
    load_police_uk(paths=[FEBRUARY])
    with store.connect() as con:
        second = _types(con)
    assert first["crime_type"].startswith("ENUM(") and first == second
    assert _robbery_by_month() == _raw_robbery([JANUARY, FEBRUARY])
