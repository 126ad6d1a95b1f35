"""The import rules in .importlinter hold: the same check as ``lint-imports`` in CI, failing in pytest too."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _lint_imports(config: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(Path(sys.executable).with_name("lint-imports")), "--no-cache", str(config)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_import_contracts_are_kept():
    result = _lint_imports(ROOT / ".importlinter")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 2 kept, 0 broken." in result.stdout


def test_a_plans_import_of_a_higher_layer_would_break_the_contract(tmp_path):
    """The contract bites: the same config over a copy of the code in which plans imports cycle fails."""
    (tmp_path / "vrhub").mkdir()
    for path in (ROOT / "vrhub").rglob("*.py"):
        target = tmp_path / path.relative_to(ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(path.read_bytes())
    selectors = tmp_path / "vrhub" / "plans" / "selectors.py"
    selectors.write_text(selectors.read_text() + "\nfrom vrhub.cycle import services as _cycle  # noqa\n")
    config = tmp_path / ".importlinter"
    config.write_text((ROOT / ".importlinter").read_text())
    result = subprocess.run(
        [str(Path(sys.executable).with_name("lint-imports")), "--no-cache", str(config)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        env={"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "vrhub.plans is not allowed to import vrhub.cycle" in result.stdout
    assert "vrhub.plans.selectors -> vrhub.cycle.services" in result.stdout


def test_the_plan_page_sections_of_higher_layers_are_registered():
    from vrhub.cycle.pages import void_signatures_on_change
    from vrhub.plans import pages
    from vrhub.plans.signals import plan_content_changed

    assert set(pages._sections) == {"cycle", "evidence", "programmes"}
    # The cycle's own receiver, not merely some receiver: a change of content voids the signatures.
    sync_receivers, async_receivers = plan_content_changed._live_receivers(sender=None)
    assert void_signatures_on_change in sync_receivers
    assert [key for key, *_ in plan_content_changed.receivers if key[0] == "cycle.void_signatures_on_change"]
