"""Backup and restore of the whole service: the database, the evidence store and uploaded files.

A backup is one ``.tar.gz`` holding ``manifest.json`` (format, time, schema, counts and a SHA-256 of
every member), ``database.json`` (every row, as Django's ``dumpdata`` with natural keys, so a backup
taken on SQLite restores on PostgreSQL and back), ``evidence.duckdb`` (when a store exists) and
``media/…`` (supporting documents and job outputs; import previews, which expire, are left out).

Restore checks everything before it changes anything: the archive's members, sizes and checksums,
and that its schema (applied migrations) is this code's. It then loads the rows in one transaction
and only after that commits swaps the files in, each by an atomic rename. A backup holds password
hashes, second-factor secrets and personal data: it is written readable by its owner only.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.management import call_command
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from vrhub.evidence import store

FORMAT = "vrhub-backup/1"
# Left out of the database dump: rebuilt by migrate, or transient.
EXCLUDED_MODELS = ["contenttypes", "auth.permission", "sessions", "admin.logentry"]
# Left out of the media copy: import previews expire within hours, and evidence uploads waiting for a
# load are removed once loaded; neither holds anything to keep.
EXCLUDED_MEDIA_DIRS = {"imports", "evidence-uploads"}
MAX_MEMBERS = 200_000
MAX_TOTAL_BYTES = 50 * 1024**3


class BackupError(Exception):
    """A backup that cannot be written or restored; the message says what and where."""


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    rows: int
    files: int
    evidence: bool
    bytes: int


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def schema_state() -> dict[str, str]:
    """The last applied migration of each app: a backup restores only onto the same schema."""
    applied: dict[str, list[str]] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        applied.setdefault(app, []).append(name)
    return {app: max(names) for app, names in sorted(applied.items())}


def _evidence_path() -> Path:
    return Path(settings.EVIDENCE_DUCKDB).absolute()


@contextlib.contextmanager
def _evidence_lock() -> Iterator[None]:
    """Hold the evidence loaders' lock, so no load swaps the store while it is copied or replaced."""
    path = _evidence_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(store.lock_path(path), "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _media_files(root: Path) -> list[tuple[Path, str]]:
    files = []
    if not root.is_dir():
        return files
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if rel.parts and rel.parts[0] in EXCLUDED_MEDIA_DIRS:
            continue
        if path.is_file() and not path.is_symlink():
            files.append((path, rel.as_posix()))
    return files


def backup_create(*, out: Path) -> BackupSummary:
    """Write a backup of the whole service to ``out`` (written to a temporary name, then renamed)."""
    out = Path(out).absolute()
    if out.exists() and out.is_dir():
        raise BackupError(f"{out} is a directory: give a file name, e.g. vrhub-backup.tar.gz")
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="vrhub-backup-", dir=out.parent) as tmp:
        tmpdir = Path(tmp)
        members: dict[str, Path] = {}
        dump = tmpdir / "database.json"
        # One transaction, so the dump is one consistent moment of the database.
        with transaction.atomic():
            call_command(
                "dumpdata",
                exclude=EXCLUDED_MODELS,
                natural_foreign=True,
                natural_primary=True,
                output=str(dump),
                verbosity=0,
            )
            schema = schema_state()
        members["database.json"] = dump
        rows = len(json.loads(dump.read_text()))
        evidence = False
        with _evidence_lock():
            source = _evidence_path()
            if source.is_file():
                shutil.copy2(source, tmpdir / "evidence.duckdb")
                members["evidence.duckdb"] = tmpdir / "evidence.duckdb"
                evidence = True
        media = _media_files(Path(settings.MEDIA_ROOT))
        for path, rel in media:
            members[f"media/{rel}"] = path
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "database_engine": connection.vendor,
            "schema": schema,
            "rows": rows,
            "members": {name: {"sha256": _sha256(p), "bytes": p.stat().st_size} for name, p in members.items()},
        }
        partial = out.with_name(f".{out.name}.partial")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
            data = json.dumps(manifest, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size, info.mode, info.mtime = len(data), 0o600, int(timezone.now().timestamp())
            tar.addfile(info, io.BytesIO(data))
            for name, path in members.items():
                tar.add(path, arcname=name, recursive=False)
        os.replace(partial, out)
    return BackupSummary(path=out, rows=rows, files=len(media), evidence=evidence, bytes=out.stat().st_size)


def _safe_member_name(name: str) -> bool:
    p = PurePosixPath(name)
    return not p.is_absolute() and ".." not in p.parts and name == p.as_posix() and "\\" not in name


def _read_archive(path: Path, into: Path) -> dict:
    """Extract and verify a backup into ``into``; returns its manifest or raises BackupError naming the fault."""
    if not path.is_file():
        raise BackupError(f"{path}: no such file")
    try:
        tar = tarfile.open(path, mode="r:gz")
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError(f"{path} is not a vrhub backup (not a .tar.gz file: {exc})") from exc
    with tar:
        members = []
        try:
            for member in tar:  # counted as read: a million-member archive is refused early
                members.append(member)
                if len(members) > MAX_MEMBERS:
                    raise BackupError(f"{path} has more than {MAX_MEMBERS:,} members, the limit")
        except (tarfile.TarError, OSError, EOFError) as exc:
            raise BackupError(f"{path} is damaged: {exc}") from exc
        names = [m.name for m in members]
        if "manifest.json" not in names:
            raise BackupError(f"{path} has no manifest.json: it is not a vrhub backup")
        total = 0
        for m in members:
            if not m.isfile() or not _safe_member_name(m.name):
                raise BackupError(f"{path}: member {m.name!r} is not a plain file with a safe relative name")
            total += m.size
            if total > MAX_TOTAL_BYTES:
                raise BackupError(f"{path} unpacks to more than {MAX_TOTAL_BYTES:,} bytes, the limit")
        try:
            tar.extractall(into, filter="data")
        except (tarfile.TarError, OSError, EOFError) as exc:
            raise BackupError(f"{path} is damaged: {exc}") from exc
    try:
        manifest = json.loads((into / "manifest.json").read_text())
    except (ValueError, UnicodeDecodeError) as exc:
        raise BackupError(f"{path}: manifest.json is not valid JSON ({exc})") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        found = manifest.get("format") if isinstance(manifest, dict) else None
        raise BackupError(f"{path}: manifest.json says format {found!r}; this vrhub reads {FORMAT!r}")
    listed = manifest.get("members")
    if (
        not isinstance(listed, dict)
        or not all(isinstance(m, dict) for m in listed.values())
        or not isinstance(manifest.get("schema"), dict)
    ):
        raise BackupError(f"{path}: manifest.json does not list its members and schema as a vrhub backup does")
    for name in listed:
        if name not in {"database.json", "evidence.duckdb"} and not name.startswith("media/"):
            raise BackupError(f"{path}: member {name!r} is not part of a vrhub backup")
    present = {n for n in names if n != "manifest.json"}
    if set(listed) != present:
        missing, extra = sorted(set(listed) - present), sorted(present - set(listed))
        raise BackupError(f"{path}: members missing {missing[:5]} or not in the manifest {extra[:5]}")
    for name, meta in listed.items():
        if _sha256(into / name) != meta.get("sha256"):
            raise BackupError(f"{path}: {name} does not match its checksum: the backup is damaged")
    if "database.json" not in listed:
        raise BackupError(f"{path} has no database.json")
    return manifest


def _check_evidence_store(path: Path, *, archive: Path) -> None:
    """The archive's evidence store must open as a DuckDB database before it replaces the live one."""
    import duckdb

    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:
        raise BackupError(f"{archive}: evidence.duckdb is not an evidence store ({str(exc).splitlines()[0]})") from exc
    con.close()


def backup_restore(*, path: Path) -> BackupSummary:
    """Replace everything the service keeps with the backup at ``path``; nothing changes if it fails."""
    path = Path(path).absolute()
    media_root = Path(settings.MEDIA_ROOT).absolute()
    media_root.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".vrhub-restore-", dir=media_root.parent) as tmp:
        staged = Path(tmp)
        manifest = _read_archive(path, staged)
        here = schema_state()
        if manifest.get("schema") != here:
            differ = sorted(
                app
                for app in set(here) | set(manifest.get("schema", {}))
                if here.get(app) != manifest["schema"].get(app)
            )
            raise BackupError(
                f"{path} was taken with a different database schema (apps {', '.join(differ[:6])}): restore it with "
                "the vrhub version that made it, then upgrade"
            )
        # Stage the evidence store next to the live one, so that the swap is a rename on one file system.
        evidence_src = staged / "evidence.duckdb"
        if evidence_src.is_file():
            _check_evidence_store(evidence_src, archive=path)
        live_evidence = _evidence_path()
        live_evidence.parent.mkdir(parents=True, exist_ok=True)
        evidence_staged = None
        if evidence_src.is_file():
            evidence_staged = live_evidence.with_name(f"{live_evidence.name}.restore-{os.getpid()}")
            shutil.copy2(evidence_src, evidence_staged)
        media_staged = staged / "media"
        media_staged.mkdir(exist_ok=True)
        try:
            with _evidence_lock():
                try:
                    with transaction.atomic():
                        call_command("flush", interactive=False, verbosity=0)
                        call_command("loaddata", str(staged / "database.json"), verbosity=0)
                except (DeserializationError, DatabaseError, ValueError, LookupError) as exc:
                    raise BackupError(
                        f"{path}: its database rows could not be loaded ({str(exc).splitlines()[0][:200]})"
                    ) from exc
                # The database is committed; swap the files in.
                if evidence_staged is not None:
                    os.replace(evidence_staged, live_evidence)
                    evidence_staged = None
                elif live_evidence.exists():
                    live_evidence.unlink()
                old_media = media_root.with_name(f".{media_root.name}.old-{os.getpid()}")
                if media_root.exists():
                    os.replace(media_root, old_media)
                os.replace(media_staged, media_root)
                shutil.rmtree(old_media, ignore_errors=True)
        finally:
            if evidence_staged is not None and evidence_staged.exists():
                evidence_staged.unlink()
    counted = sum(1 for m in manifest["members"] if m.startswith("media/"))
    return BackupSummary(
        path=path,
        rows=manifest.get("rows", 0),
        files=counted,
        evidence="evidence.duckdb" in manifest["members"],
        bytes=path.stat().st_size,
    )


def database_snapshot() -> list[dict]:
    """Every row the backup keeps, in a canonical order: what a round-trip must preserve exactly."""
    buffer = io.StringIO()
    call_command(
        "dumpdata", exclude=EXCLUDED_MODELS, natural_foreign=True, natural_primary=True, stdout=buffer, verbosity=0
    )
    rows = json.loads(buffer.getvalue())
    return sorted(rows, key=lambda r: (r["model"], json.dumps(r.get("pk")), json.dumps(r["fields"], sort_keys=True)))


__all__ = ["BackupError", "BackupSummary", "backup_create", "backup_restore", "database_snapshot"]
