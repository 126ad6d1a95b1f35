"""programmes_summary: the exact JSON contract, checked against DuckDB sums over the raw rows."""

import io
import json
from decimal import Decimal

import duckdb
import pandas as pd
import pytest
from django.core.management import CommandError, call_command

from tests.programmes import factories as f
from vrhub.programmes.models import IncomeLine, MonitoringReturn, ProgrammeAmount, SpendLine

pytestmark = pytest.mark.django_db
KEYS = {"vru", "year", "income", "expenditure", "total", "programmes", "reached"}


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("programmes_summary", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_json(capsys, *args):
    out, _ = run(*args, "--json")
    return json.loads(out), capsys.readouterr().err


def test_json_contract_matches_duckdb_sums_over_the_rows(capsys, programmes_world, london, lambeth):
    budget = programmes_world["vru_budget"]
    f.IncomeLineFactory(budget=budget, source="Small grant", amount=Decimal("12500.50"))
    # A programme of Lambeth (within the VRU) with a 2020 amount and a return not reporting indirect reach;
    # one with only a 2021 amount (not counted); one of another VRU's area would not be in the VRU.
    extra = f.ProgrammeFactory(owner=lambeth, reference="LAM-2")
    f.ProgrammeAmountFactory(programme=extra, year=2020, amount=Decimal("1000.25"))
    f.MonitoringReturnFactory(programme=extra, year=2020, quarter=2, reached_direct=7, reached_indirect=None)
    later = f.ProgrammeFactory(owner=london, reference="LDN-9")
    f.ProgrammeAmountFactory(programme=later, year=2021)
    f.MonitoringReturnFactory(programme=later, year=2020, quarter=1, reached_direct=1000, reached_indirect=1000)

    summary, err = run_json(capsys, "--vru", "london", "--year", "2020")
    assert set(summary) == KEYS
    assert set(summary["reached"]) == {"direct", "indirect"}

    income = pd.DataFrame(list(IncomeLine.objects.filter(budget=budget).values("source", "amount")))
    spend = pd.DataFrame(list(SpendLine.objects.filter(budget=budget).values("category", "amount")))
    amounts = pd.DataFrame(list(ProgrammeAmount.objects.values("programme_id", "year", "amount", "programme__vru_id")))
    returns = pd.DataFrame(
        list(MonitoringReturn.objects.values("programme_id", "year", "reached_direct", "reached_indirect"))
    )
    for frame in (income, spend, amounts):
        frame["amount"] = frame["amount"].astype(str)
    con = duckdb.connect()
    for name, frame in (("income", income), ("spend", spend), ("amounts", amounts), ("returns", returns)):
        con.register(name, frame)
    expected_income = dict(con.execute("select source, sum(amount::decimal(14,2)) from income group by 1").fetchall())
    expected_spend = dict(con.execute("select category, sum(amount::decimal(14,2)) from spend group by 1").fetchall())
    in_year = "select distinct programme_id from amounts where year = 2020 and programme__vru_id = ?"
    counted = con.execute(in_year, [london.pk]).fetchall()
    direct, indirect = con.execute(
        "select sum(reached_direct), sum(reached_indirect) from returns where year = 2020 and programme_id in "
        "(select distinct programme_id from amounts where year = 2020 and programme__vru_id = ?)",
        [london.pk],
    ).fetchone()

    assert summary["vru"] == "VRU-LDN"
    assert summary["year"] == 2020
    assert {k: Decimal(str(v)) for k, v in summary["income"].items()} == expected_income
    assert {k: Decimal(str(v)) for k, v in summary["expenditure"].items()} == expected_spend
    assert Decimal(str(summary["total"])) == sum(expected_income.values())
    assert summary["income"]["Small grant"] == 12500.5
    assert summary["programmes"] == len(counted) == 5  # LDN-1, LDN-2, HAV-1, LAM-1, LAM-2; not LDN-9 (2021 only)
    assert summary["reached"] == {"direct": int(direct), "indirect": int(indirect)}
    assert err == ""  # nothing synthetic


def test_reach_is_null_when_no_return_reports_it(capsys, programmes_world):
    MonitoringReturn.objects.update(reached_indirect=None)
    summary, _ = run_json(capsys, "--vru", "VRU-LDN", "--year", "2020")
    assert summary["reached"]["indirect"] is None  # not reported anywhere: null, never 0
    # The direct count is still the sum over the returns of the year's programmes (pandas over the raw rows).
    amounts = pd.DataFrame(list(ProgrammeAmount.objects.filter(year=2020).values("programme_id")))
    returns = pd.DataFrame(list(MonitoringReturn.objects.filter(year=2020).values("programme_id", "reached_direct")))
    counted = returns[returns["programme_id"].isin(set(amounts["programme_id"]))]
    assert not counted["reached_direct"].isna().all()
    assert summary["reached"]["direct"] == int(counted["reached_direct"].dropna().sum())


def test_synthetic_figures_are_noted_on_stderr_not_in_the_json(capsys, programmes_world):
    programmes_world["vru_programme"].__class__.objects.filter(pk=programmes_world["vru_programme"].pk).update(
        synthetic=True
    )
    summary, err = run_json(capsys, "--vru", "london", "--year", "2020")
    assert set(summary) == KEYS
    assert "synthetic" in err


def test_table_without_json(capsys, programmes_world):
    out, _ = run("--vru", "london", "--year", "2020")
    assert "Home Office" in out
    assert "£7,600,000.00" in out
    assert "Total (sum of the lines)" in out


@pytest.mark.parametrize(
    ("vru", "year", "message"),
    [("nowhere", "2020", "No VRU"), ("london", "twenty", "financial year"), ("london", "1999", "financial year"),
     ("london", "2031", "no budget")],
)  # fmt: skip
def test_bad_vru_or_year_is_a_clear_error(programmes_world, vru, year, message):
    with pytest.raises(CommandError, match=message):
        run("--vru", vru, "--year", year, "--json")
