"""The evidence workbench's analytical store: one embedded DuckDB file (``settings.EVIDENCE_DUCKDB``).

Many processes read it while a load runs (see docs/evidence-store.md):

* **Readers** (``connect()``) never open the live file for writing. Each process keeps one DuckDB
  instance that has the live file ATTACHed read-only, with DuckDB's file access switched off (no
  ``read_csv``, ``read_text``, ``COPY … TO`` or ``ATTACH`` from SQL); a request takes a cursor on it.
  When a load has swapped in a new file the next request opens the new one; requests still using
  the old file finish on it (the old inode stays valid), so every read sees one complete version.
  Before the first load there is no file: readers get an empty in-memory store with the schema.
* **Loads** (``load_session()``) take an exclusive lock on a sidecar lock file (one load at a time),
  copy the live file to ``<name>.new-<pid>-<random>`` next to it, do all their work there, checkpoint
  and close it, and ``os.replace`` it over the live file. A load that fails or is killed leaves the
  live file untouched; its temporary file is deleted (or, if the process was killed, by the next load).

DuckDB 2.x streams results: a result must be fetched before the next statement runs on the same
connection, so the helpers here always fetch at once.
"""

from __future__ import annotations

import atexit
import contextlib
import contextvars
import fcntl
import os
import secrets
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
from django.conf import settings

from vrhub.organisations.london import BOROUGHS

LONDON_CODE = "E12000007"
# Until issue 16 only the London VRU ran on vrhub: ISTV rows of a store made before the owning VRU was
# recorded are London's, and a single-VRU command line load (no --vru) is this VRU's.
LONDON_VRU = "VRU-LDN"
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

# The crime types data.police.uk publishes (street-level files), in the order of its ENUM below.
POLICE_CRIME_TYPES = [
    "Anti-social behaviour",
    "Bicycle theft",
    "Burglary",
    "Criminal damage and arson",
    "Drugs",
    "Other crime",
    "Other theft",
    "Possession of weapons",
    "Public order",
    "Robbery",
    "Shoplifting",
    "Theft from the person",
    "Vehicle crime",
    "Violence and sexual offences",
]


def sql_enum(values: list[str]) -> str:
    """An inline DuckDB ENUM type of constant values (module constants only, never input)."""
    return "ENUM(" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + ")"


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
-- data.police.uk counts by month, force, LSOA and crime type: the view police_facts (below, after
-- police_points) counts the kept rows; police_facts_legacy holds the counts of loads made before the
-- rows themselves were kept (their Crime IDs are in crime_ids).
CREATE TABLE IF NOT EXISTS police_facts_legacy (
    batch_id BIGINT, month DATE, force_code VARCHAR, force_name VARCHAR, lsoa_code VARCHAR, crime_type VARCHAR, n BIGINT
);
CREATE TABLE IF NOT EXISTS lsoa_names (lsoa_code VARCHAR, lsoa_name VARCHAR, borough_name VARCHAR);
CREATE TABLE IF NOT EXISTS areas (code VARCHAR, name VARCHAR, level VARCHAR, parent_code VARCHAR);
CREATE TABLE IF NOT EXISTS lsoa_ward (lsoa_code VARCHAR, ward_code VARCHAR, lad_code VARCHAR, method VARCHAR);
CREATE TABLE IF NOT EXISTS geometries (level VARCHAR, code VARCHAR, name VARCHAR, parent_code VARCHAR, geojson VARCHAR);
CREATE TABLE IF NOT EXISTS population (lsoa_code VARCHAR, lsoa_name VARCHAR, residents BIGINT, source VARCHAR);
CREATE TABLE IF NOT EXISTS imd (
    edition VARCHAR, lsoa_code VARCHAR, indicator VARCHAR, score DOUBLE, rank DOUBLE, decile DOUBLE
);
CREATE TABLE IF NOT EXISTS istv (
    batch_id BIGINT, file VARCHAR, line BIGINT, site_code VARCHAR, period VARCHAR, arrival TIMESTAMP,
    assault TIMESTAMP, method VARCHAR, location_type VARCHAR, location_description VARCHAR,
    lsoa_code VARCHAR, synthetic BOOLEAN, period_start DATE, period_end DATE, method_other VARCHAR,
    arrival_time TIME, assault_time TIME
);
-- istv: ISB 1594 fields added after the first release (stores made before get them here, NULL in old rows).
ALTER TABLE istv ADD COLUMN IF NOT EXISTS period_start DATE;
ALTER TABLE istv ADD COLUMN IF NOT EXISTS period_end DATE;
ALTER TABLE istv ADD COLUMN IF NOT EXISTS method_other VARCHAR;
ALTER TABLE istv ADD COLUMN IF NOT EXISTS arrival_time TIME;
ALTER TABLE istv ADD COLUMN IF NOT EXISTS assault_time TIME;
-- The VRU that uploaded each ISTV row (a VRU's A&E extracts are its alone; open data is shared), and of
-- each ISTV batch: its loads, rejects and counts (facts rows with source 'istv') are that VRU's.
ALTER TABLE istv ADD COLUMN IF NOT EXISTS vru VARCHAR;
CREATE TABLE IF NOT EXISTS batch_owners (batch_id BIGINT, vru VARCHAR);

-- data.police.uk rows kept after the Crime-ID rule (loaders/police_uk.py): hid is the Crime ID's MD5
-- (NULL for anti-social behaviour), lon/lat NULL for a row without a location (counted, not placed).
-- Crime types and force names are ENUMs (one byte each, cheap to write); they compare with text.
CREATE TABLE IF NOT EXISTS police_points (
    batch_id BIGINT, hid UHUGEINT, month DATE, force_code VARCHAR, force_name POLICE_FORCE_ENUM,
    lsoa_code VARCHAR, crime_type POLICE_CRIME_ENUM, lon DOUBLE, lat DOUBLE, unsettled BOOLEAN, file VARCHAR
);
CREATE OR REPLACE VIEW police_facts AS
SELECT batch_id, month, force_code, force_name::VARCHAR AS force_name, lsoa_code, crime_type::VARCHAR AS crime_type,
       count(*) AS n
FROM police_points GROUP BY batch_id, month, force_code, force_name, lsoa_code, crime_type
UNION ALL
SELECT batch_id, month, force_code, force_name, lsoa_code, crime_type, n FROM police_facts_legacy;
-- The months loaded for each force (coverage), without counting every row.
CREATE OR REPLACE VIEW police_force_months AS
SELECT DISTINCT force_code, month FROM police_points
UNION SELECT DISTINCT force_code, month FROM police_facts_legacy;
CREATE OR REPLACE VIEW all_facts AS
SELECT batch_id, source, level, month, force_code, force_name, borough_code, borough_name, area_code, area_name,
       category, subcategory, n, unlocated, synthetic
FROM facts
UNION ALL
SELECT p.batch_id, 'police_uk', CASE WHEN p.lsoa_code IS NULL THEN 'force' ELSE 'lsoa' END, p.month, p.force_code,
       p.force_name::VARCHAR, NULL, l.borough_name, p.lsoa_code, l.lsoa_name, p.crime_type::VARCHAR, NULL, p.n,
       CASE WHEN p.lsoa_code IS NULL THEN p.n ELSE 0 END,
       p.batch_id IN (SELECT batch_id FROM loads WHERE kind = 'police_uk' AND synthetic)
FROM police_facts p LEFT JOIN lsoa_names l ON l.lsoa_code = p.lsoa_code;
"""
SCHEMA = SCHEMA.replace("POLICE_CRIME_ENUM", sql_enum(POLICE_CRIME_TYPES)).replace(
    "POLICE_FORCE_ENUM", sql_enum([*POLICE_FORCES, *OTHER_POLICE_UK_FORCES])
)


def _upgrade(con: duckdb.DuckDBPyConnection) -> None:
    """Bring a store made by an earlier release to this schema; run before ``SCHEMA`` (a no-op after).

    police_facts was a table of counts; it is now a view counting police_points. The old table's rows
    for loads that kept their points are counted from the points; the rest (loads made before points
    were kept) move to police_facts_legacy, unchanged.
    """
    kinds = {
        r["table_name"]: r["kind"]
        for r in rows(
            con,
            "SELECT table_name, 'table' AS kind FROM duckdb_tables() WHERE NOT temporary AND schema_name = 'main' "
            "UNION ALL SELECT view_name, 'view' FROM duckdb_views() WHERE NOT temporary AND schema_name = 'main'",
        )
    }
    if kinds.get("police_facts") == "table":
        con.execute("ALTER TABLE police_facts RENAME TO police_facts_legacy")
        if kinds.get("police_points") == "table":
            con.execute(
                "DELETE FROM police_facts_legacy WHERE batch_id IN (SELECT DISTINCT batch_id FROM police_points)"
            )


def _backfill_owners(con: duckdb.DuckDBPyConnection) -> None:
    """ISTV rows and batches of a store made before the owning VRU was recorded are London's (the only VRU
    that ran then); run after ``SCHEMA`` (a no-op once every ISTV row and batch has its owner)."""
    con.execute("UPDATE istv SET vru = $v WHERE vru IS NULL", {"v": LONDON_VRU})
    con.execute(
        """INSERT INTO batch_owners
           SELECT DISTINCT batch_id, $v FROM (
               SELECT batch_id FROM loads WHERE kind = 'istv' UNION SELECT batch_id FROM rejects WHERE kind = 'istv'
               UNION SELECT batch_id FROM facts WHERE source = 'istv'
           ) b WHERE batch_id IS NOT NULL AND batch_id NOT IN (SELECT batch_id FROM batch_owners)""",
        {"v": LONDON_VRU},
    )


# --- whose ISTV data a read sees ---------------------------------------------------------------------

VRU_CODE_MAX = 20
_vru_scope: contextvars.ContextVar[str | None] = contextvars.ContextVar("evidence_vru_scope", default=None)
NO_VRU = ""  # the scope of a signed-in person outside any VRU: no VRU's own uploads


@contextlib.contextmanager
def vru_scope(code: str | None) -> Iterator[None]:
    """Reads inside the block see the ISTV data (rows, counts, loads, rejects) of VRU ``code`` only; ``NO_VRU``
    sees none. Outside any block (the command line, as one VRU's operator) every VRU's ISTV data is read.
    Every web request runs inside one (``vrhub.evidence.middleware``)."""
    if code is not None and (len(code) > VRU_CODE_MAX or not all(c.isalnum() or c in "-_" for c in code)):
        raise ValueError(f"Not a VRU code: {code[:VRU_CODE_MAX]!r}")
    token = _vru_scope.set(code)
    try:
        yield
    finally:
        _vru_scope.reset(token)


def current_vru() -> str | None:
    """The VRU whose ISTV data reads see (None: every VRU's, on the command line)."""
    return _vru_scope.get()


# What a scoped read sees of the tables that hold a VRU's own uploads (ISTV): each is shadowed, on the
# read's own cursor, by a temporary view of the same name (DuckDB resolves temporary objects first, in
# the store's own views too, such as all_facts). {owned} is the scope's ISTV batches.
SCOPED_VIEWS = {
    "istv": "SELECT * FROM {alias}.main.istv WHERE {row_owned}",
    "facts": "SELECT * FROM {alias}.main.facts WHERE source IS DISTINCT FROM 'istv' OR {owned}",
    "loads": "SELECT * FROM {alias}.main.loads WHERE kind IS DISTINCT FROM 'istv' OR {owned}",
    "rejects": "SELECT * FROM {alias}.main.rejects WHERE kind IS DISTINCT FROM 'istv' OR {owned}",
}


def _scope_cursor(cursor: duckdb.DuckDBPyConnection, generation: _Generation, code: str) -> None:
    """Shadow the ISTV tables on ``cursor`` by views showing VRU ``code``'s data only (see SCOPED_VIEWS).
    A table the file does not have (a store made by an earlier release) is not shadowed: reading it is the
    readers' clear "not yet upgraded" error, and every other read still works."""
    if "tables" not in generation.memo:
        generation.memo["tables"] = {
            row["table_name"]
            for row in rows(cursor, "SELECT table_name FROM duckdb_tables() WHERE database_name = $d", {"d": ALIAS})
        }
        # A store made before owners were recorded: its ISTV data are London's.
        generation.memo["owners"] = "batch_owners" in generation.memo["tables"]
    quoted = sql_str(code)  # checked by vru_scope: letters, digits, '-' and '_'
    if generation.memo["owners"]:
        owned = f"batch_id IN (SELECT batch_id FROM {ALIAS}.main.batch_owners WHERE vru = {quoted})"  # noqa: S608
        row_owned = f"vru = {quoted}"
    else:
        owned = row_owned = "TRUE" if code == LONDON_VRU else "FALSE"
    for name, sql in SCOPED_VIEWS.items():
        if name not in generation.memo["tables"]:
            continue
        cursor.execute(
            f"CREATE OR REPLACE TEMP VIEW {name} AS " + sql.format(alias=ALIAS, owned=owned, row_owned=row_owned)
        )


ALIAS = "ev"  # the name readers ATTACH the store under (and USE)
NEW_MARK = ".new-"  # a load's temporary copy: <store>.new-<pid>-<random>
LOCK_SUFFIX = ".lock"
LOCK_WAIT_SECONDS = 3600.0  # a load waits this long for another load to finish, then gives up


class StoreError(Exception):
    """The store cannot be read or written (a lock held too long, a file that cannot be opened)."""


def database_path() -> Path:
    return Path(settings.EVIDENCE_DUCKDB).absolute()


def lock_path(path: Path | None = None) -> Path:
    path = path or database_path()
    return path.with_name(path.name + LOCK_SUFFIX)


# --- readers ---------------------------------------------------------------------------------------


@dataclass
class _Generation:
    """One version of the live file, ATTACHed read-only in this process's own DuckDB instance."""

    key: tuple
    base: duckdb.DuckDBPyConnection
    users: int = 0
    stale: bool = False
    # Results computed from this version (``cached``): dropped with it when a load swaps in a new one.
    memo: dict = field(default_factory=dict)


_generations_lock = threading.Lock()
_generation: _Generation | None = None
_current: contextvars.ContextVar[duckdb.DuckDBPyConnection | None] = contextvars.ContextVar(
    "evidence_store_connection", default=None
)
_current_generation: contextvars.ContextVar[_Generation | None] = contextvars.ContextVar(
    "evidence_store_generation", default=None
)
MEMO_MAX = 2_000  # results kept per version of the store in one process


def cached(key: tuple, compute: Callable[[], Any]) -> Any:
    """``compute()`` once per version of the store in this process: the store only changes by a load
    swapping in a new file, so a result read from one version stays true for as long as it is live."""
    # A result may hold one VRU's ISTV figures: it is kept for that VRU's reads only.
    key = (current_vru(), *key)
    with connect():
        generation = _current_generation.get()
        try:
            return generation.memo[key]
        except KeyError:
            pass
        value = compute()
        if len(generation.memo) >= MEMO_MAX:
            generation.memo.clear()
        generation.memo[key] = value
        return value


def _live_key(path: Path) -> tuple:
    try:
        st = path.stat()
    except FileNotFoundError:
        return (os.getpid(), str(path), None)
    return (os.getpid(), str(path), st.st_dev, st.st_ino, st.st_mtime_ns, st.st_size)


def _open_generation(path: Path, key: tuple) -> _Generation:
    base = duckdb.connect(":memory:")
    try:
        # Before the first load there is no file: attach an empty store with the schema instead, so
        # that every page can say "no evidence loaded yet" (reading never creates the store).
        source = path if key[2] is not None else _empty_store()
        base.execute(f"ATTACH $path AS {ALIAS} (READ_ONLY)", {"path": str(source)})
        base.execute(f"USE {ALIAS}")
        # From here on SQL cannot touch the file system (no read_csv/read_text/COPY TO/ATTACH),
        # and cannot switch that back on.
        base.execute("SET enable_external_access = false")
        base.execute("SET lock_configuration = true")
    except duckdb.Error as exc:
        base.close()
        raise StoreError(f"The evidence store {path} cannot be opened for reading: {exc}") from exc
    return _Generation(key=key, base=base)


_empty: dict[int, Path] = {}  # pid → this process's empty store (a private temporary file)


def _empty_store() -> Path:
    """An empty store with the schema, made once per process in a private temporary folder."""
    path = _empty.get(os.getpid())
    if path is None or not path.exists():
        folder = Path(tempfile.mkdtemp(prefix="vrhub-evidence-empty-"))
        path = folder / "empty.duckdb"
        try:
            con = duckdb.connect(str(path))
            try:
                con.execute(SCHEMA)
            finally:
                con.close()
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)  # e.g. a full temporary disk: leave nothing behind
            raise
        _empty[os.getpid()] = path
        atexit.register(shutil.rmtree, folder, True)
    return path


_inherited: list[_Generation] = []  # instances inherited across fork(): kept, never closed or collected


def _retire(generation: _Generation) -> None:
    generation.stale = True
    if generation.key[0] != os.getpid():
        _inherited.append(generation)  # the parent's instance: closing it here could hang on its threads
    elif generation.users == 0:
        generation.base.close()  # one still in use is closed by its last user


@contextlib.contextmanager
def connect() -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to one complete version of the store (a cursor on this process's instance).

    Nested calls (a selector calling another) share the outer connection, so one call sees one
    version throughout. It cannot write, and cannot read or write files.
    """
    outer = _current.get()
    if outer is not None:
        yield outer
        return
    global _generation
    path = database_path()
    key = _live_key(path)
    with _generations_lock:
        generation = _generation
        if generation is None or generation.key != key:
            fresh = _open_generation(path, key)
            if generation is not None:
                _retire(generation)
            _generation = generation = fresh
        generation.users += 1
        cursor = generation.base.cursor()
    token = _current.set(cursor)
    generation_token = _current_generation.set(generation)
    try:
        cursor.execute(f"USE {ALIAS}")
        scope = current_vru()
        if scope is not None:
            _scope_cursor(cursor, generation, scope)
        yield cursor
    finally:
        _current_generation.reset(generation_token)
        _current.reset(token)
        cursor.close()
        with _generations_lock:
            generation.users -= 1
            if generation.stale and generation.users == 0 and generation.key[0] == os.getpid():
                generation.base.close()


# --- loads -----------------------------------------------------------------------------------------


@contextlib.contextmanager
def _load_lock(path: Path, progress: Callable[[str, float], None] | None, wait: float) -> Iterator[None]:
    """An exclusive flock on the sidecar lock file: one load at a time (released if the process dies)."""
    fd = os.open(lock_path(path), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if progress is not None:
                progress("Waiting for another load of the evidence store to finish", 0.0)
            deadline = time.monotonic() + wait
            reported = time.monotonic()
            while True:
                time.sleep(0.2)
                if progress is not None and time.monotonic() - reported > 30:
                    # Still waiting, still alive (a background job's page must not think it stopped).
                    progress("Waiting for another load of the evidence store to finish", 0.0)
                    reported = time.monotonic()
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise StoreError(
                            f"Another load of the evidence store has held its lock ({lock_path(path).name}) for "
                            f"over {wait:g} seconds: nothing was loaded; try again when it has finished"
                        ) from None
        yield
    finally:
        os.close(fd)  # releases the lock


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def stale_load_files(path: Path | None = None) -> list[Path]:
    """Temporary files left by a load that was killed (only meaningful while holding the load lock)."""
    path = path or database_path()
    return sorted(path.parent.glob(path.name + NEW_MARK + "*"))


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def load_session(
    *,
    files: Iterable[str | Path] = (),
    progress: Callable[[str, float], None] | None = None,
    wait: float | None = None,
    ordered: bool = True,
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-write connection to a new copy of the store, swapped in atomically when the block ends.

    ``ordered=False`` lets DuckDB write rows in any order (faster for large loads whose SQL never relies
    on the order rows come in: numbering rows by their place in a file then needs ``file_reader``).

    ``files`` are the input files the load may read: SQL in the session can open those and nothing
    else (file access is switched off otherwise). If the block raises, the copy is deleted and the
    live store is untouched.
    """
    path = database_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    allowed = sorted({os.path.abspath(f) for f in files})
    with _load_lock(path, progress, LOCK_WAIT_SECONDS if wait is None else wait):
        for leftover in stale_load_files(path):  # from a load that was killed: nobody else holds the lock
            _remove(leftover)
        temp = path.with_name(f"{path.name}{NEW_MARK}{os.getpid()}-{secrets.token_hex(4)}")
        try:
            if path.exists():
                shutil.copyfile(path, temp)
                wal = path.with_name(path.name + ".wal")
                if wal.exists():  # a store last written by a process that died: its log goes along
                    shutil.copyfile(wal, temp.with_name(temp.name + ".wal"))
            con = duckdb.connect(str(temp))
            try:
                con.execute("SET allowed_paths = $p", {"p": allowed})
                con.execute("SET enable_external_access = false")
                if not ordered:
                    con.execute("SET preserve_insertion_order = false")
                con.execute("SET lock_configuration = true")
                _upgrade(con)
                con.execute(SCHEMA)
                _backfill_owners(con)
                yield con
                con.execute("CHECKPOINT")
            finally:
                con.close()
            with open(temp, "rb+") as fh:
                os.fsync(fh.fileno())
            wal = path.with_name(path.name + ".wal")
            if wal.exists():  # never pair the new file with the old file's log
                wal.unlink()
            os.replace(temp, path)
            _fsync_dir(path.parent)
        finally:
            for leftover in (temp, temp.with_name(temp.name + ".wal"), temp.with_name(temp.name + ".tmp")):
                _remove(leftover)


@contextlib.contextmanager
def file_reader(*, files: Iterable[str | Path]) -> Iterator[duckdb.DuckDBPyConnection]:
    """An in-memory connection that can read ``files`` and nothing else, keeping rows in file order
    (for numbering rows by their place in a file, beside an unordered ``load_session``)."""
    con = duckdb.connect(":memory:")
    try:
        con.execute("SET allowed_paths = $p", {"p": sorted({os.path.abspath(f) for f in files})})
        con.execute("SET enable_external_access = false")
        con.execute("SET preserve_insertion_order = true")
        con.execute("SET lock_configuration = true")
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
    """BEGIN … COMMIT, or ROLLBACK on any error."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def sql_str(value: str) -> str:
    """A SQL string literal, for the module's own constants only: input always goes in as a parameter."""
    return "'" + value.replace("'", "''") + "'"
