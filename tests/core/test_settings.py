import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _run(env_extra: dict, *args: str) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(env_extra)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)


PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "vrhub.settings.production",
    "SECRET_KEY": "x" * 20 + "-production-secret-key-for-the-deploy-check-0123456789",
    "ALLOWED_HOSTS": "vrhub.example.org",
}


def test_production_settings_pass_check_deploy_after_collectstatic(tmp_path):
    env = {
        **PRODUCTION_ENV,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "STATIC_ROOT": str(tmp_path / "st"),
    }
    collected = _run(env, "collectstatic", "--noinput")
    assert collected.returncode == 0, collected.stdout + collected.stderr
    assert (tmp_path / "st" / "staticfiles.json").is_file()
    result = _run(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_fails_without_collected_static_files(tmp_path):
    env = {
        **PRODUCTION_ENV,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "STATIC_ROOT": str(tmp_path / "st"),
    }
    result = _run(env, "check", "--deploy")
    assert result.returncode != 0
    assert "vrhub.E001" in result.stderr
    assert "collectstatic" in result.stderr


def test_production_refuses_default_secret_key(tmp_path):
    result = _run(
        {"DJANGO_SETTINGS_MODULE": "vrhub.settings.production", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"},
        "check",
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.parametrize(
    ("settings_env", "conn_max_age"),
    [
        ({"DJANGO_SETTINGS_MODULE": "vrhub.settings.local"}, 0),
        (PRODUCTION_ENV, 60),
        ({**PRODUCTION_ENV, "CONN_MAX_AGE": "15"}, 15),
    ],
    ids=["local", "production", "production-conn-max-age"],
)
def test_database_url_from_environment(settings_env, conn_max_age):
    """vrhub's settings, loaded in a fresh process, take the database from DATABASE_URL."""
    result = _run({**settings_env, "DATABASE_URL": "postgres://u:p@127.0.0.1:5433/vrhub"}, "diffsettings")
    assert result.returncode == 0, result.stdout + result.stderr
    (line,) = [x for x in result.stdout.splitlines() if x.startswith("DATABASES = ")]
    default = ast.literal_eval(line.removeprefix("DATABASES = "))["default"]
    assert default["ENGINE"] == "django.db.backends.postgresql"
    assert (default["HOST"], default["PORT"], default["NAME"]) == ("127.0.0.1", 5433, "vrhub")
    assert (default["USER"], default["PASSWORD"]) == ("u", "p")
    assert default["CONN_HEALTH_CHECKS"] is True
    assert default["CONN_MAX_AGE"] == conn_max_age
    assert "init_command" not in default["OPTIONS"], "the SQLite pragmas are for SQLite only"
