"""Seasonality of a monthly series: the month-of-year pattern and the matched period a year earlier.

A needs assessment compares like with like: violence rises in summer and at the end of the year, so
a spring quarter against the winter before it shows a "rise" that is only the season. Here:

* ``month_of_year`` — for each calendar month, the values in every year the series has it, their
  mean, and a seasonal index (that month's mean against the mean of all twelve monthly means, ×100:
  above 100 is a busier month than average). Only years with a value are used; a month no year has
  is "no data", never 0. The index is given only when every calendar month has at least one value.
* ``matched_baseline`` — the same calendar months one year earlier, for a period ``YYYY-MM:YYYY-MM``.

Pure functions of the series the trend selector returns: no store access, easy to check by hand.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

MONTH_NAMES = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def month_of_year(*, series: list[dict[str, Any]]) -> dict[str, Any]:
    """``series``: ``[{"month": "YYYY-MM", "value": int | None}, …]`` → the month-of-year table."""
    by_month: dict[int, dict[int, int]] = {m: {} for m in range(1, 13)}
    for row in series:
        if row.get("value") is None:
            continue
        year, month = (int(part) for part in row["month"].split("-"))
        by_month[month][year] = int(row["value"])
    years = sorted({y for values in by_month.values() for y in values})
    means = {m: (sum(v.values()) / len(v) if v else None) for m, v in by_month.items()}
    complete = all(mean is not None for mean in means.values())
    overall = sum(m for m in means.values() if m is not None) / 12 if complete else None
    rows = []
    for month in range(1, 13):
        mean = means[month]
        index = round(100 * mean / overall) if overall and mean is not None else None
        rows.append(
            {
                "month": month,
                "name": MONTH_NAMES[month - 1],
                "values": [by_month[month].get(y) for y in years],
                "years_with_data": len(by_month[month]),
                "mean": None if mean is None else round(mean, 1),
                "index": index,
            }
        )
    ranked = [r for r in rows if r["index"] is not None]
    peak = max(ranked, key=lambda r: (r["index"], -r["month"])) if ranked else None
    trough = min(ranked, key=lambda r: (r["index"], r["month"])) if ranked else None
    return {
        "years": years,
        "rows": rows,
        "complete": complete,
        "peak": peak["name"] if peak else None,
        "trough": trough["name"] if trough else None,
        "summary": _summary(peak, trough, years, complete),
    }


def _summary(peak: dict | None, trough: dict | None, years: list[int], complete: bool) -> str:
    if not years:
        return "No data to show a seasonal pattern."
    if not complete or peak is None or trough is None:
        return "The data do not cover every calendar month, so no seasonal index is given."
    span = f"{years[0]}" if len(years) == 1 else f"{years[0]} to {years[-1]}"
    return (
        f"Busiest month on average: {peak['name']} (index {peak['index']}); quietest: {trough['name']} "
        f"(index {trough['index']}); 100 is an average month ({span})."
    )


def matched_baseline(*, period: str) -> str:
    """The same calendar months one year earlier: ``2025-06:2025-08`` → ``2024-06:2024-08``."""
    first, _, last = period.partition(":")
    last = last or first
    out = []
    for part in (first, last):
        day = dt.datetime.strptime(part.strip(), "%Y-%m").date()
        out.append(f"{day.year - 1:04d}-{day.month:02d}")
    return ":".join(out)
