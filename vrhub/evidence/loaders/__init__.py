"""Loaders: each reads files into the analytical store, atomically, and returns a summary.

Nothing is dropped silently: rows that fail validation go to the ``rejects`` table with their file,
line and reason, and every summary lists them. A file already loaded (same content) is skipped.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

Progress = Callable[[str, float], None]


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
