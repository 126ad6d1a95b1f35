"""Helpers for tests that run the real program in another process against the test database."""

import os
import subprocess
import sys

from django.conf import settings
from django.db import connection


def subprocess_env(**extra: str) -> dict[str, str]:
    """The environment for a ``manage.py`` subprocess that must see this test's database and stores."""
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        url = f"sqlite:///{connection.settings_dict['NAME']}"
    else:
        url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{connection.settings_dict['NAME']}"
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "vrhub.settings.test",
            "DATABASE_URL": url,
            "EVIDENCE_DUCKDB": str(settings.EVIDENCE_DUCKDB),
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        }
    )
    env.update(extra)
    return env


def manage(*args: str, env: dict[str, str] | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env or subprocess_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
