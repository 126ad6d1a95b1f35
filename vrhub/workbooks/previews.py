"""Import previews: the uploaded workbook kept between "Check the workbook" and "Save these changes".

A preview is a copy of plan data with people's names in it, so it is kept only as long as it is
needed: it is deleted when the import is confirmed or cancelled, when it is older than
``limits.PREVIEW_MAX_AGE`` (checked whenever a new preview is made, and by the
``purge_import_previews`` command), and it is never read back once that old.

Each preview is ``MEDIA_ROOT/imports/<UTC timestamp>-<token>.xlsx``; the token is 32 hex digits.
"""

import re
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from vrhub.workbooks import limits

FOLDER = "imports"
STAMP = "%Y%m%d%H%M%S"
NAME = re.compile(r"^(\d{14})-([0-9a-f]{32})\.xlsx$")
TOKEN = re.compile(r"^[0-9a-f]{32}$")


def _folder() -> Path:
    return Path(settings.MEDIA_ROOT) / FOLDER


def _created(path: Path) -> datetime:
    """When a preview was made: from its name, or (for a file not named by us) its modification time."""
    match = NAME.match(path.name)
    if match:
        return datetime.strptime(match[1], STAMP).replace(tzinfo=UTC)
    return datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)


def _path(token: str) -> Path | None:
    if not isinstance(token, str) or not TOKEN.match(token):
        return None
    folder = _folder()
    if not folder.is_dir():
        return None
    return next((p for p in folder.glob(f"*-{token}.xlsx") if NAME.match(p.name)), None)


def import_previews_purge(*, older_than: timedelta, now: datetime | None = None) -> int:
    """Delete every preview made more than ``older_than`` ago; return how many were deleted."""
    folder = _folder()
    if not folder.is_dir():
        return 0
    now = now or timezone.now()
    deleted = 0
    for path in folder.iterdir():
        if not path.is_file():
            continue
        try:
            if now - _created(path) > older_than:
                path.unlink()
                deleted += 1
        except (OSError, ValueError):
            continue  # gone already (another process purged it) or unreadable
    return deleted


def import_preview_store(*, data: bytes, now: datetime | None = None) -> str:
    """Keep an uploaded workbook until it is confirmed or cancelled; return its token. Previews older
    than PREVIEW_MAX_AGE are deleted first."""
    now = now or timezone.now()
    import_previews_purge(older_than=limits.PREVIEW_MAX_AGE, now=now)
    folder = _folder()
    folder.mkdir(parents=True, exist_ok=True)
    token = uuid.uuid4().hex
    with open(folder / f"{now.astimezone(UTC):{STAMP}}-{token}.xlsx", "xb") as handle:
        handle.write(data)
    return token


def import_preview_read(*, token: str, now: datetime | None = None) -> bytes | None:
    """The workbook kept under ``token``, or None if there is none or it has expired (then it is deleted)."""
    path = _path(token)
    if path is None:
        return None
    if (now or timezone.now()) - _created(path) > limits.PREVIEW_MAX_AGE:
        path.unlink(missing_ok=True)
        return None
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def import_preview_delete(*, token: str) -> bool:
    """Delete the preview kept under ``token``; True if there was one."""
    path = _path(token)
    if path is None:
        return False
    path.unlink(missing_ok=True)
    return True
