"""Test settings: fast hashing, isolated media, in-memory e-mail."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403

DEBUG = False
# Two-factor authentication is off for the suite's many force_login() users; tests/accounts and
# tests/e2e/test_account.py switch it on with the settings fixture. django-axes stays on.
OTP_REQUIRED_ROLES: list[str] = []
OTP_REQUIRED_FOR_STAFF = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# A test that runs the program in another process passes its own MEDIA_ROOT and EVIDENCE_DUCKDB.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or tempfile.mkdtemp(prefix="vrhub-test-media-"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# A file, not memory, so that a command run in a subprocess by a test sees the test database.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(Path(tempfile.gettempdir()) / f"vrhub-test-{os.getpid()}.sqlite3")}  # noqa: F405

# The read replica as a test mirror of the test database (no second database is created). Reads stay on
# "default" (REPLICA_DATABASE is None, as with no DATABASE_REPLICA_URL) unless a test switches the router
# on with settings.REPLICA_DATABASE = "replica" (tests/core/test_db_router.py).
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405
REPLICA_DATABASE = None

# Each test run has its own evidence store.
EVIDENCE_DUCKDB = os.environ.get("EVIDENCE_DUCKDB") or str(
    Path(tempfile.mkdtemp(prefix="vrhub-test-evidence-")) / "evidence.duckdb"
)

# Jobs run at once, in the request that queues them; tests of the real queue (tests/jobs) switch
# to the database backend and run the worker.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"),
        "QUEUES": ["default"],
    }
}
