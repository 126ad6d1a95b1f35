import os
import subprocess
import sys
from pathlib import Path

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


def test_database_url_from_environment():
    import dj_database_url

    parsed = dj_database_url.parse("postgres://u:p@127.0.0.1:5433/vrhub")
    assert parsed["ENGINE"] == "django.db.backends.postgresql"
    assert parsed["PORT"] == 5433
