"""Test settings: fast hashing, isolated media, in-memory e-mail."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="vrhub-test-media-"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# A file, not memory, so that a command run in a subprocess by a test sees the test database.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(Path(tempfile.gettempdir()) / f"vrhub-test-{os.getpid()}.sqlite3")}  # noqa: F405

# Each test run has its own evidence store.
EVIDENCE_DUCKDB = str(Path(tempfile.mkdtemp(prefix="vrhub-test-evidence-")) / "evidence.duckdb")
