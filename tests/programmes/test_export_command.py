"""``manage.py export_360giving``: the JSON package, valid against the schema offline, amounts equal to a DuckDB
sum over the file and to a pandas sum over the raw rows; clear errors, nothing written on failure."""

import io
import json
from decimal import Decimal

import duckdb
import pandas as pd
import pytest
from django.core.management import CommandError, call_command

from tests.programmes.open_data_world import offline_validator, profile
from vrhub.programmes.models import ProgrammeAmount

pytestmark = pytest.mark.django_db


def _raw_total(london) -> Decimal:
    rows = ProgrammeAmount.objects.filter(
        year=2020, programme__vru=london, programme__owner=london, programme__published=True
    ).values("amount", "programme__synthetic")
    frame = pd.DataFrame(list(rows))
    return frame[~frame["programme__synthetic"]]["amount"].sum()


def test_writes_a_valid_package_whose_amounts_add_up(programmes_world, london, tmp_path):
    profile(london)
    out = tmp_path / "grants.json"
    err = io.StringIO()
    call_command("export_360giving", "--vru", "london", "--year", "2020", "--out", str(out), stderr=err)
    package = json.loads(out.read_text(encoding="utf-8"))
    assert offline_validator().is_valid(package)
    assert len(package["grants"]) == 2
    query = (
        "SELECT sum(CAST(g.amountAwarded AS DECIMAL(14, 2))) FROM (SELECT unnest(grants) AS g FROM read_json_auto(?))"
    )
    summed = duckdb.connect().execute(query, [str(out)]).fetchall()[0][0]
    assert summed == _raw_total(london) == Decimal("120000.00")
    assert "2 grants for 2020/21, £120,000.00" in err.getvalue()


def test_stdout_with_dash(programmes_world, london):
    profile(london)
    out = io.StringIO()
    call_command("export_360giving", "--vru", "VRU-LDN", "--year", "2020", "--out", "-", stdout=out)
    assert offline_validator().is_valid(json.loads(out.getvalue()))


def test_synthetic_demo_is_said_on_the_command_line(programmes_world, london, tmp_path):
    profile(london, synthetic=True)
    err = io.StringIO()
    call_command("export_360giving", "--vru", "london", "--year", "2020", "--out", str(tmp_path / "g.json"), stderr=err)
    assert "(SYNTHETIC demo data)" in err.getvalue()


@pytest.mark.parametrize(
    ("vru", "year", "with_profile", "message"),
    [
        ("atlantis", 2020, True, "No VRU is called 'atlantis'"),
        ("london", 2021, True, "publishes no grant for 2021/22"),
        ("london", 2020, False, "has no funder profile"),
        ("london", 1900, True, "No such financial year"),
    ],
)
def test_clear_errors_and_nothing_written(programmes_world, london, tmp_path, vru, year, with_profile, message):
    if with_profile:
        profile(london)
    out = tmp_path / "grants.json"
    with pytest.raises(CommandError, match=message):
        call_command("export_360giving", "--vru", vru, "--year", str(year), "--out", str(out))
    assert not out.exists()


def test_refuses_to_write_over_a_folder(programmes_world, london, tmp_path):
    profile(london)
    with pytest.raises(CommandError, match="it is a folder"):
        call_command("export_360giving", "--vru", "london", "--year", "2020", "--out", str(tmp_path))
    assert list(tmp_path.iterdir()) == []


def test_an_invalid_package_is_never_written(programmes_world, london, tmp_path, monkeypatch):
    from vrhub.programmes import giving360

    profile(london)
    real = giving360.grant
    monkeypatch.setattr(giving360, "grant", lambda *a, **k: {**real(*a, **k), "currency": "pounds"})
    out = tmp_path / "grants.json"
    with pytest.raises(CommandError, match="Not written"):
        call_command("export_360giving", "--vru", "london", "--year", "2020", "--out", str(out))
    assert not out.exists()
