"""Month-of-year seasonality and matched periods, against hand-worked examples and pandas on the raw MPS file."""

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from vrhub.evidence.seasonality import MONTH_NAMES, matched_baseline, month_of_year

DATA = Path(__file__).resolve().parents[2] / "data" / "mps"


def _series(values: dict[str, int | None]) -> list[dict]:
    return [{"month": m, "value": v} for m, v in values.items()]


def test_index_is_each_months_mean_against_the_mean_month():
    # Two years: January 10 and 30 (mean 20), every other month 10 → overall mean (20 + 11×10)/12.
    values = {f"{y}-{m:02d}": 10 for y in (2024, 2025) for m in range(1, 13)}
    values["2025-01"] = 30
    result = month_of_year(series=_series(values))
    overall = (20 + 11 * 10) / 12
    january = result["rows"][0]
    assert january["values"] == [10, 30]
    assert january["mean"] == 20
    assert january["index"] == round(100 * 20 / overall)  # 185
    assert result["rows"][5]["index"] == round(100 * 10 / overall)  # 92
    assert result["peak"] == "January"
    assert result["trough"] == "February"  # ties broken by the earliest month
    assert "January (index 185)" in result["summary"]


def test_missing_months_are_no_data_not_zero():
    values = {f"2025-{m:02d}": 5 for m in range(1, 7)}
    values["2025-07"] = None  # outside coverage
    result = month_of_year(series=_series(values))
    july = result["rows"][6]
    assert july["mean"] is None and july["values"] == [None] and july["years_with_data"] == 0
    assert result["complete"] is False
    assert all(r["index"] is None for r in result["rows"])
    assert "do not cover every calendar month" in result["summary"]


def test_an_empty_series_says_so():
    result = month_of_year(series=[])
    assert result["years"] == [] and result["peak"] is None
    assert result["summary"] == "No data to show a seasonal pattern."


@pytest.mark.parametrize(
    ("period", "expected"),
    [("2025-06:2025-08", "2024-06:2024-08"), ("2025-11:2026-02", "2024-11:2025-02"), ("2024-03", "2023-03:2023-03")],
)
def test_matched_baseline_is_the_same_months_a_year_earlier(period, expected):
    assert matched_baseline(period=period) == expected


def test_month_of_year_matches_pandas_on_the_mps_borough_file():
    """Violence against the person in Lambeth, 2017-2019, from the raw historical borough file."""
    months = [f"{y}{m:02d}" for y in (2017, 2018, 2019) for m in range(1, 13)]
    columns = ", ".join(f'sum("{c}") AS "{c}"' for c in months)
    raw = duckdb.sql(
        f"SELECT {columns} FROM '{DATA / 'recorded-crime-borough-historical.parquet'}' "  # noqa: S608 - test constants
        "WHERE boroughname = 'Lambeth' AND majortext = 'VIOLENCE AGAINST THE PERSON'"
    ).df()
    totals = raw.iloc[0]
    series = [{"month": f"{c[:4]}-{c[4:]}", "value": int(totals[c])} for c in months]
    result = month_of_year(series=series)
    frame = pd.DataFrame({"month": [int(c[4:]) for c in months], "value": [int(totals[c]) for c in months]})
    means = frame.groupby("month")["value"].mean()
    index = (100 * means / means.mean()).round()
    for row in result["rows"]:
        assert row["values"] == frame[frame["month"] == row["month"]]["value"].tolist()
        assert row["mean"] == pytest.approx(means[row["month"]], abs=0.05)
        assert row["index"] == index[row["month"]]
    assert result["years"] == [2017, 2018, 2019]
    assert result["peak"] == MONTH_NAMES[int(index.idxmax()) - 1]
    assert result["trough"] == MONTH_NAMES[int(index.idxmin()) - 1]
