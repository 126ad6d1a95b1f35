"""Loaders: each reads files into the analytical store, atomically, and returns a summary.

Nothing is dropped silently: rows that fail validation go to the ``rejects`` table with their file,
line and reason, and every summary lists them. A file already loaded (same content) is skipped.
Each load runs in ``store.load_session()``: its own copy of the store, swapped in whole at the end,
so a load that fails (``LoadError``) or is killed changes nothing.

Column names from a file never reach SQL: each loader matches a file's header against its fixed
list of known columns (refusing any other by name) and reads the columns under names of its own.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from vrhub.evidence import store

Progress = Callable[[str, float], None]

# A column name shown in a reason is cut to this length (a hostile header can be very long).
SHOWN_NAME_MAX = 60


class LoadError(ValueError):
    """A load that could not be done; nothing was written. The message names the file and the problem."""


def shown(name: str) -> str:
    """A column name as a reason quotes it: repr (control characters visible), cut to SHOWN_NAME_MAX."""
    text = repr(name)
    return text if len(text) <= SHOWN_NAME_MAX else text[: SHOWN_NAME_MAX - 1] + "…"


def read_header(path: Path, *, skip: int = 0) -> list[str] | str:
    """The header row (after ``skip`` records), or the reason the file cannot be read as CSV."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as fh:
            reader = csv.reader(fh)
            first = None
            for _ in range(skip + 1):
                first = next(reader, None)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        return f"Cannot read the file as UTF-8 CSV: {exc}"
    if not first:
        return "The file is empty"
    return first


def record_lines(path: Path, *, skip: int, structural: set[int]) -> list[int]:
    """The first file line of each data row DuckDB returns, in order.

    ``skip`` records come before the header; blank lines and the lines DuckDB rejected as malformed
    (``structural``) are left out. Raises ``LoadError`` if Python cannot read the file as CSV.
    """
    lines = []
    try:
        with path.open(newline="", encoding="utf-8-sig") as fh:
            reader = csv.reader(fh)
            end = 0
            for record in reader:
                start, end = end + 1, reader.line_num
                if start <= skip + 1 or not record or start in structural:
                    continue
                lines.append(start)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise LoadError(f"{path}: cannot be read as UTF-8 CSV: {exc}") from exc
    return lines


def store_file_rejects(con: duckdb.DuckDBPyConnection, *, kind: str, rejects: list[Reject]) -> None:
    """Record files rejected whole (wrong format, unreadable, missing) in ``rejects``, as one batch."""
    if rejects:
        with store.transaction(con):
            batch = store.scalar(con, "SELECT nextval('batch_seq')")
            con.executemany(
                "INSERT INTO rejects VALUES (?, ?, ?, ?, ?)", [(batch, kind, j.file, j.line, j.reason) for j in rejects]
            )


LINE_BREAK = re.compile(rb"\r\n|\r|\n")
REJECTS_TABLES = {"istv_csv_rejects", "imd_csv_rejects", "mps_csv_rejects", "population_csv_rejects"}


def physical_lines(path: Path, positions: Iterable[int]) -> dict[int, int]:
    """The file line at each byte offset DuckDB gives for a row it could not parse (``line_byte_position``).

    DuckDB's own ``line`` drifts from the file's once a quoted field holds a line break (and it folds a
    blank line into the next row), so lines are counted here: the line breaks before the offset, after
    stepping over any line breaks at it.
    """
    wanted = sorted(set(positions))
    if not wanted:
        return {}
    # Only the part of the file up to the last offset (and a little after it) is read and counted.
    with path.open("rb") as fh:
        data = fh.read(wanted[-1] + 4096)
        whole = len(data) < wanted[-1] + 4096
    out: dict[int, int] = {}
    line, counted = 1, 0
    for position in wanted:
        start = position
        while True:
            while start < len(data) and data[start] in b"\r\n":
                start += 1
            if start < len(data) or whole:
                break
            data += path.read_bytes()[len(data) :]  # a run of line breaks past the part read: read the rest
            whole = True
        line += len(LINE_BREAK.findall(data, counted, start))
        counted = start
        out[position] = line
    return out


def structural_rejects(con: duckdb.DuckDBPyConnection, table: str, paths: list[Path]) -> list[tuple[int, int, str]]:
    """(file index, file line, reason) of each row DuckDB's CSV reader rejected, from its rejects ``table``.

    ``table`` is one of the loaders' own rejects tables; ``paths`` are the files of the read, in its order.
    """
    if table not in REJECTS_TABLES:
        raise ValueError(f"Not a loader's rejects table: {table!r}")
    sql = (  # the table is one of REJECTS_TABLES
        "SELECT file_id, coalesce(line_byte_position, -1) AS pos, min(line) AS line, "  # noqa: S608
        "arg_min(error_type::VARCHAR, column_idx) AS t, arg_min(error_message, column_idx) AS m "
        f"FROM {table} GROUP BY ALL ORDER BY ALL"
    )
    found = store.rows(con, sql)
    out = []
    for file_id in sorted({int(r["file_id"]) for r in found}):
        rows = [r for r in found if int(r["file_id"]) == file_id]
        lines = physical_lines(paths[file_id], [int(r["pos"]) for r in rows if int(r["pos"]) >= 0])
        for r in rows:
            line = lines[int(r["pos"])] if int(r["pos"]) >= 0 else int(r["line"])
            out.append((file_id, line, f"{r['t'].capitalize()}: {r['m']}"))
    return sorted(out)


@contextlib.contextmanager
def load_session(
    *, kind: str, files: Iterable[Path], progress: Progress | None, wait: float | None = None, ordered: bool = True
) -> Iterator[duckdb.DuckDBPyConnection]:
    """``store.load_session`` for a loader: any failure is a ``LoadError`` (and nothing is written).

    ``wait``: how long to wait for another load to finish (default ``store.LOCK_WAIT_SECONDS``).
    """
    try:
        with store.load_session(files=files, progress=progress, wait=wait, ordered=ordered) as con:
            yield con
    except duckdb.Error as exc:
        raise LoadError(f"The {kind} load failed, nothing was changed: {str(exc).splitlines()[0]}") from exc
    except store.StoreError as exc:
        raise LoadError(str(exc)) from exc


@dataclass
class Reject:
    file: str
    line: int
    reason: str


@dataclass
class LoadSummary:
    files: int = 0
    rows: int = 0
    loaded: int = 0
    duplicates: int = 0
    unlocated: int = 0
    rejected: list[Reject] = field(default_factory=list)
    already_loaded: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    synthetic: int | None = None  # rows from synthetic files (loaders of data that can be synthetic)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        if not self.notes:
            data.pop("notes")
        if self.synthetic is None:
            data.pop("synthetic")
        return data


def fingerprint(path: Path) -> str:
    """sha256 of the file's content (hashlib releases the GIL, so it can run beside DuckDB)."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(8 * 1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def expand_paths(paths: Iterable[str | Path], *, pattern: str) -> list[Path]:
    """Files as given, and for a folder every file in it (recursively) matching ``pattern``, sorted."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob(pattern) if p.is_file()))
        else:
            found.append(path)
    return found


def report(progress: Progress | None, message: str, fraction: float) -> None:
    if progress is not None:
        progress(message, fraction)


def match_header(
    columns: list[str],
    *,
    known: dict[str, str | None],
    refused: str,
    required: dict[str, str] | list[str] | None = None,
    normal: Callable[[str], str] = lambda name: name.strip().lower(),
    other: Callable[[int, str, str], bool | str] | None = None,
) -> dict[str, int] | str:
    """Match a header against a loader's allow-list: {role: column index}, or why the file is refused.

    ``known`` maps each known column name (as ``normal`` makes it) to its role, or to None for a column that
    may be present and is not read. Any other column refuses the file, naming it; so does a role given twice.
    ``other(index, raw, name)`` may claim a column first (True), refuse the file (a reason), or pass (False).
    ``required``: roles that must be present ({role: the column name to show}, or a list of roles).
    """
    found: dict[str, int] = {}
    for index, raw in enumerate(columns):
        name = normal(raw)
        if other is not None:
            claimed = other(index, raw, name)
            if isinstance(claimed, str):
                return f"{refused}: {claimed}"
            if claimed:
                continue
        if name not in known:
            return f"{refused}: unknown column {index + 1} {shown(raw)}"
        role = known[name]
        if role is None:
            continue
        if role in found:
            first = found[role]
            return f"{refused}: column {index + 1} {shown(raw)} repeats column {first + 1} {shown(columns[first])}"
        found[role] = index
    wanted = required if isinstance(required, dict) else {role: role for role in required or []}
    missing = [label for role, label in wanted.items() if role not in found]
    if missing:
        return f"{refused}: no {' or '.join(missing)} column"
    return found


def read_csv_text(con: duckdb.DuckDBPyConnection, path: Path, *, width: int, table: str) -> list[tuple[int, str]]:
    """A CSV file into the temporary ``table`` (line, c0, c1, … as text), every row with its file line.

    ``table`` is ``<prefix>_src`` for one of REJECTS_TABLES' prefixes (DuckDB's malformed rows go to
    ``<prefix>_csv_rejects``). Returns (file line, reason) of the rows DuckDB could not parse. Raises
    ``duckdb.Error`` or ``LoadError`` when the file cannot be read at all.
    """
    prefix = table.removesuffix("_src")
    rejects = f"{prefix}_csv_rejects"
    if rejects not in REJECTS_TABLES or table != f"{prefix}_src":
        raise ValueError(f"Not a loader's table: {table!r}")
    for name in (rejects, f"{rejects}_scan"):
        con.execute(f"DROP TABLE IF EXISTS {name}")
    names = [f"c{i}" for i in range(width)]
    read = (  # the table names are REJECTS_TABLES' (checked above)
        f"CREATE OR REPLACE TEMP TABLE {prefix}_raw AS SELECT row_number() OVER () AS rn, * "  # noqa: S608
        "FROM read_csv($path, header = true, columns = $columns, delim = ',', quote = '\"', escape = '\"', "
        f"encoding = 'utf-8', store_rejects = true, rejects_table = '{rejects}', rejects_scan = '{rejects}_scan')"
    )
    con.execute(read, {"path": str(path), "columns": {n: "VARCHAR" for n in names}})
    structural = [(line, reason) for _, line, reason in structural_rejects(con, rejects, [path])]
    lines = record_lines(path, skip=0, structural={line for line, _ in structural})
    lined = (
        f"CREATE OR REPLACE TEMP TABLE {table} AS "  # noqa: S608
        f"SELECT coalesce(list_extract($lines::BIGINT[], rn), rn + 1) AS line, {', '.join(names)} FROM {prefix}_raw"
    )
    con.execute(lined, {"lines": lines})
    con.execute(f"DROP TABLE {prefix}_raw")
    return structural


def files_to_load(
    files: list[Path], *, seen: set[str], whole: list[Reject], summary: LoadSummary, progress: Progress | None
) -> Iterator[tuple[Path, str]]:
    """(path, fingerprint) of each file to load, in order, with progress reported.

    A missing file goes to ``whole`` (rejected whole); a file whose fingerprint is in ``seen`` (loaded
    before) is listed in ``summary.already_loaded`` and skipped.
    """
    for number, path in enumerate(files):
        report(progress, f"Loading {path.name}", number / max(len(files), 1))
        if not path.is_file():
            whole.append(Reject(file=str(path), line=1, reason="No such file"))
            continue
        print_ = fingerprint(path)
        if print_ in seen:
            summary.already_loaded.append(str(path))
            continue
        yield path, print_
