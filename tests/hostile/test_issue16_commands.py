"""Issue 16, hostile: the new commands given careless or hostile arguments answer a CommandError naming the
argument and its limit, write nothing, and never end in a traceback."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

FORCE = "City of London Police"  # the smallest force: 6 LSOAs


def _generate(*args: str):
    return call_command("generate_police_uk", "--force", FORCE, *args, stdout=StringIO())


def _files(folder) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.mark.parametrize(
    ("start", "months", "message"),
    [
        ("9999-12", "2", r"--start 9999-12 is not a data.police.uk month"),  # would pass the year 9999
        ("0001-01", "1", r"--start 1-01 is not .* from December 2010"),  # before data.police.uk began
        ("2010-11", "1", r"--start 2010-11 is not .* from December 2010"),
        ("2099-01", "1", r"--start 2099-01 is not .* to this month"),  # months that have not happened
    ],
)
def test_generate_police_uk_refuses_months_data_police_uk_cannot_have(tmp_path, start, months, message):
    with pytest.raises(CommandError, match=message):
        _generate("--out", str(tmp_path / "out"), "--start", start, "--months", months)
    assert _files(tmp_path) == []


def test_generate_police_uk_refuses_a_run_of_months_reaching_the_future(tmp_path):
    last_month = (dt.date.today().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    with pytest.raises(CommandError, match="--months 3 from .* runs past this month"):
        _generate("--out", str(tmp_path / "out"), "--start", f"{last_month:%Y-%m}", "--months", "3")
    assert _files(tmp_path) == []
    # Up to this month is fine (the check above could fail).
    _generate("--out", str(tmp_path / "out"), "--start", f"{last_month:%Y-%m}", "--months", "2")
    assert _files(tmp_path / "out") != []


def test_generate_police_uk_refuses_an_out_that_is_a_file_or_empty(tmp_path, monkeypatch):
    a_file = tmp_path / "notes.txt"
    a_file.write_text("mine", encoding="utf-8")
    with pytest.raises(CommandError, match="--out .*notes.txt is not a folder"):
        _generate("--out", str(a_file), "--months", "1")
    assert a_file.read_text(encoding="utf-8") == "mine"
    monkeypatch.chdir(tmp_path)  # an empty --out would write into the working folder (the checkout)
    with pytest.raises(CommandError, match="--out: give the folder"):
        _generate("--out", "", "--months", "1")
    assert _files(tmp_path) == ["notes.txt"]


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["VRU-XXX", "x' OR 1=1 --", "V" * 5000, "VRU-LDN\x00"])
@pytest.mark.parametrize(
    "command",
    [["evidence_trend", "--area", "E12000007", "--measure", "Robbery"], ["need_ranking", "--within", "E12000007"]],
)
def test_evidence_commands_refuse_a_vru_that_is_not_on_the_service(west_midlands, command, code):
    with pytest.raises(CommandError, match=r"--vru: .* is not a VRU on this service \(VRUs: VRU-WMD\)"):
        call_command(*command, "--vru", code, stdout=StringIO())


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["x'); DROP TABLE istv; --", "../../etc/passwd", "V" * 5000, "VRU-LDN\x00"])
def test_load_istv_refuses_a_crafted_vru_code_and_writes_nothing(tmp_path, settings, code):
    from vrhub.evidence.synthetic import write_istv

    settings.EVIDENCE_DUCKDB = str(tmp_path / "evidence.duckdb")
    path = write_istv(path=tmp_path / "x.csv", site_code="RJ122", lsoas=[], start=dt.date(2024, 1, 1), months=1)
    with pytest.raises(CommandError, match="is not a VRU code"):
        call_command("load_istv", str(path), "--vru", code, "--quiet", stdout=StringIO())
    assert not (tmp_path / "evidence.duckdb").exists()
