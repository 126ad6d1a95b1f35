import pytest


@pytest.fixture(autouse=True)
def evidence_store(settings, tmp_path):
    """Every evidence test gets its own, empty DuckDB file."""
    settings.EVIDENCE_DUCKDB = str(tmp_path / "evidence.duckdb")
    return settings.EVIDENCE_DUCKDB


@pytest.fixture
def write(tmp_path):
    """Write a small crafted file and return its path."""

    def _write(name: str, text: str):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    return _write
