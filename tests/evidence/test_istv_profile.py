"""The ISTV profile (selectors.istv_profile and /evidence/istv/), checked against pandas on the generated CSV."""

import csv
import datetime as dt
import re
from io import StringIO

import pandas as pd
import pytest
from django.core.management import call_command
from django.urls import reverse

from vrhub.evidence import selectors
from vrhub.evidence.loaders.istv import load_istv
from vrhub.evidence.synthetic import istv_site_lsoas, write_istv

SITES = ["RJ122", "RJZ01", "RYJ02"]  # St Thomas' (Lambeth), King's (Southwark), St Mary's (Westminster)
START = dt.date(2023, 1, 1)
# Written out here, not taken from the loader's lookup: each site's borough (ONS code).
SITE_BOROUGH = {"RJ122": "E09000022", "RJZ01": "E09000028", "RYJ02": "E09000033"}
# One attendance with no assault time and no location type (both may be blank in ISB 1594): it counts
# in the total and in the location types as "Not recorded", but not in the heat table.
UNTIMED = {
    "Site code": "RJ122",
    "Reporting period start date": "2024-03-01",
    "Reporting period end date": "2024-03-31",
    "Arrival date": "2024-03-15",
    "Arrival time": "23:10",
    "Assault date": "2024-03-15",
    "Assault time": "",
    "Assault method": "Blunt object",
    "Assault location type": "",
    "Synthetic": "yes",
}


def _append(path, rows):
    """Add rows (by column name; others blank) to a written extract."""
    with path.open(encoding="utf-8") as fh:
        header = next(csv.reader(fh.readlines()[1:2]))
    with path.open("a", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([[row.get(name, "") for name in header] for row in rows])


@pytest.fixture
def extract(tmp_path):
    path = write_istv(
        path=tmp_path / "istv.csv",
        site_code=SITES,
        lsoas=istv_site_lsoas(SITES),
        start=START,
        months=18,
        per_month=80,
        seed=7,
    )
    _append(path, [UNTIMED])
    summary = load_istv(paths=[path])
    assert summary.rejected == []
    return path


def _frame(path):
    """The extract read independently: pandas, one row an attendance."""
    frame = pd.read_csv(path, skiprows=1, dtype=str, keep_default_na=False)
    frame["month"] = frame["Arrival date"].str[:7]
    frame["borough"] = frame["Site code"].map(SITE_BOROUGH)
    timed = (frame["Assault date"] != "") & (frame["Assault time"] != "")
    when = pd.to_datetime(frame["Assault date"] + " " + frame["Assault time"], format="%Y-%m-%d %H:%M", errors="coerce")
    frame["timed"] = timed
    frame["day"], frame["hour"] = when.dt.day_of_week, when.dt.hour  # NaN when untimed: not in any cell
    frame["location"] = frame["Assault location type"].replace("", "Not recorded")
    return frame


def _legend(peak):
    """(level, low, high) of each shade level, found by shading every count from 1 to the peak."""
    levels = {}
    for n in range(1, peak + 1):
        levels.setdefault(-(-4 * n // peak), []).append(n)
    return [(level, min(levels[level]), max(levels[level])) for level in range(1, 5)]


def _expected(frame, *, borough, first, last):
    rows = frame[(frame["month"] >= first) & (frame["month"] <= last)]
    if borough:
        rows = rows[rows["borough"] == borough]
    heat = rows[rows["timed"]].groupby(["hour", "day"]).size()
    return rows, [[int(heat.get((h, d), 0)) for d in range(7)] for h in range(24)]


@pytest.mark.parametrize(("area", "borough"), [("E12000007", None), ("E09000022", "E09000022")])
def test_heat_table_and_shares_equal_an_independent_count(extract, area, borough):
    frame = _frame(extract)
    # Default period: the 12 calendar months ending with the latest arrival month with data.
    last = frame["month"].max()
    first = str(pd.Period(last, freq="M") - 11)
    profile = selectors.istv_profile(area=area)
    assert profile["status"] == "ok" and profile["period"] == (first, last)
    rows, grid = _expected(frame, borough=borough, first=first, last=last)
    assert [[c["count"] for c in r["cells"]] for r in profile["heat"]] == grid
    timed = int(rows["timed"].sum())
    assert (~rows["timed"]).sum() == 1  # the UNTIMED row is in the period and the area
    assert profile["total"] == len(rows) == timed + 1
    assert profile["timed"] == timed == sum(map(sum, grid)) and profile["untimed"] == 1
    assert [r["total"] for r in profile["heat"]] == [sum(r) for r in grid]
    assert profile["day_totals"] == [sum(r[d] for r in grid) for d in range(7)]
    methods = rows["Assault method"].value_counts()
    assert {r["name"]: r["count"] for r in profile["methods"]} == methods.to_dict()
    assert {r["name"]: r["share"] for r in profile["methods"]} == {
        k: round(100 * v / len(rows), 1) for k, v in methods.items()
    }
    locations = rows["location"].value_counts().to_dict()
    assert locations["Not recorded"] == 1
    assert {r["name"]: r["count"] for r in profile["locations"]} == locations
    assert sum(r["count"] for r in profile["locations"]) == len(rows)
    other = rows.loc[rows["Assault method"] == "Other", "Assault method other description"].value_counts()
    # The ten most frequent, ties by name (as ORDER BY n DESC, name): value_counts breaks ties otherwise.
    top = sorted(other.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
    assert [(o["name"], o["count"]) for o in profile["other_methods"]] == [(k, int(v)) for k, v in top]
    # Small numbers are flagged; each cell's shade is ceil(4 × count / peak) (0 unshaded, the peak 4).
    peak = max(map(max, grid))
    cells = [c for r in profile["heat"] for c in r["cells"]]
    assert [c["shade"] for c in cells] == [-(-4 * n // peak) for row in grid for n in row]
    assert all(c["small"] == (c["count"] < 10) for c in cells)
    assert {c["shade"] for c in cells} == {0, 1, 2, 3, 4} and profile["peak"] == peak
    # The key: each level's range is exactly the counts that get that shade.
    assert [(s["level"], s["low"], s["high"]) for s in profile["shades"]] == _legend(peak)
    assert profile["synthetic"] is True and profile["months_without_data"] == []


def test_an_explicit_period_and_months_without_data(extract):
    frame = _frame(extract)
    profile = selectors.istv_profile(area="E09000028", period="2024-05:2024-08")
    rows, grid = _expected(frame, borough="E09000028", first="2024-05", last="2024-08")
    assert profile["total"] == len(rows) > 0 and [[c["count"] for c in r["cells"]] for r in profile["heat"]] == grid
    assert profile["months_without_data"] == ["2024-07", "2024-08"]  # the extract ends in 2024-06


def test_the_default_period_is_12_calendar_months_even_with_a_gap(tmp_path):
    """The default is the 12 calendar months ending with the latest month with data, gaps included (and
    named), not the latest 12 months that have data."""
    path = write_istv(
        path=tmp_path / "gap.csv",
        site_code=["RJ122"],
        lsoas=istv_site_lsoas(["RJ122"]),
        start=START,
        months=18,
        per_month=40,
        seed=3,
    )
    with path.open(newline="", encoding="utf-8") as fh:
        marker = fh.readline()
        header, *rows = csv.reader(fh)
    with path.open("w", newline="", encoding="utf-8") as fh:  # every attendance arriving in 2024-02 dropped
        fh.write(marker)
        csv.writer(fh).writerows(
            [header, *(r for r in rows if not r[header.index("Arrival date")].startswith("2024-02"))]
        )
    assert load_istv(paths=[path]).rejected == []
    frame = _frame(path)
    months = sorted(frame["month"].unique())
    assert "2024-02" not in months and months[-1] == "2024-06" and len(months) == 17
    profile = selectors.istv_profile(area="E09000022")
    # Calendar rule: 2023-07 to 2024-06 with 2024-02 empty (the "12 months with data" would start 2023-06).
    assert profile["period"] == (str(pd.Period(months[-1], freq="M") - 11), months[-1]) == ("2023-07", "2024-06")
    assert profile["months"] == 12 and profile["months_without_data"] == ["2024-02"]
    rows, grid = _expected(frame, borough="E09000022", first="2023-07", last="2024-06")
    assert profile["total"] == len(rows) and [[c["count"] for c in r["cells"]] for r in profile["heat"]] == grid


def test_no_data_is_never_zero(extract):
    city = selectors.istv_profile(area="E09000001")  # the City has no A&E site in the lookup
    assert city["status"] == "no_sites" and "total" not in city
    before = selectors.istv_profile(area="E09000022", period="2020-01:2020-12")
    assert before["status"] == "no_data" and "total" not in before


def test_no_data_before_any_load(db):
    assert selectors.istv_profile(area="E12000007")["status"] == "no_data"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"area": "E09999999"}, "Area: 'E09999999' is not London"),
        ({"area": "E01000001"}, "is not London"),
        ({"period": "2024-13:2024-14"}, "Period: '2024-13:2024-14' is not YYYY-MM:YYYY-MM"),
        ({"period": "2024-05:2024-01"}, "ends before it starts"),
        ({"period": "2000-01:2024-01"}, "Period: at most 120 months"),
        ({"period": "x" * 16}, "at most 15 characters"),
    ],
)
def test_bad_requests_name_what_is_wrong(kwargs, message):
    with pytest.raises(selectors.EvidenceError, match=re.escape(message)):
        selectors.istv_profile(**kwargs)


def _cell_texts(body: str) -> list[list[str]]:
    table = body.split('data-testid="istv-heat"', 1)[1].split("</tbody>", 1)[0]
    rows = re.findall(r"<tr class=\"govuk-table__row\"><th scope=\"row\"[^>]*>[^<]*</th>(.*?)</tr>", table)
    return [re.findall(r"<td [^>]*>(\d+)", r) for r in rows]


def test_page_shows_the_heat_table_with_unit_source_period_and_synthetic(client, editor, extract):
    frame = _frame(extract)
    client.force_login(editor)
    response = client.get(reverse("evidence:istv"), {"area": "E09000022", "period": "2023-06:2024-05"})
    assert response.status_code == 200
    body = response.content.decode()
    _, grid = _expected(frame, borough="E09000022", first="2023-06", last="2024-05")
    assert _cell_texts(body) == [[str(n) for n in row] + [str(sum(row))] for row in grid]
    rows = frame[(frame["month"] >= "2023-06") & (frame["month"] <= "2024-05") & (frame["borough"] == "E09000022")]
    timed = sum(map(sum, grid))
    assert (
        f"{timed} of the {len(rows)} attendances have an assault date and time; the other 1 have none recorded" in body
    )
    legend = body.split('data-testid="istv-legend"', 1)[1].split("</ul>", 1)[0]
    keys = re.findall(r"app-istv-shade-(\d)\"></span> ([^<]*)</li>", legend)
    ranges = [
        (str(level), f"{low} to {high}" if high != low else str(low))
        for level, low, high in _legend(max(map(max, grid)))
    ]
    assert keys == [("0", "0"), *ranges]
    assert "A&amp;E attendances after assault" in body and "ISB 1594" in body
    assert "Arrival months June 2023 to May 2024" in body
    assert 'data-testid="synthetic-banner"' in body and "not real A&amp;E attendances" in body
    assert "<caption" in body and 'scope="col"' in body and "fewer than 10" in body


def test_page_says_no_data_for_a_borough_without_sites_and_names_bad_input(client, editor, extract):
    client.force_login(editor)
    body = client.get(reverse("evidence:istv"), {"area": "E09000001"}).content.decode()
    assert 'data-testid="istv-no-data"' in body and "<strong>No data</strong>" in body
    assert 'data-testid="istv-heat"' not in body
    body = client.get(reverse("evidence:istv"), {"area": "E12000007", "period": "Sept 2024"}).content.decode()
    assert "govuk-error-summary" in body and "Period: &#x27;Sept 2024&#x27; is not YYYY-MM:YYYY-MM" in body


def test_an_older_store_gets_the_new_columns(settings, tmp_path):
    """A store made before the ISB 1594 columns were added is upgraded by the schema's ALTER TABLE lines."""
    import duckdb

    from vrhub.evidence import store

    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    con.execute(
        "CREATE TABLE istv (batch_id BIGINT, file VARCHAR, line BIGINT, site_code VARCHAR, period VARCHAR, "
        "arrival TIMESTAMP, assault TIMESTAMP, method VARCHAR, location_type VARCHAR, location_description VARCHAR, "
        "lsoa_code VARCHAR, synthetic BOOLEAN)"
    )
    con.execute(store.SCHEMA)
    names = [r[0] for r in con.execute("DESCRIBE istv").fetchall()]
    con.close()
    assert names[-6:] == ["period_start", "period_end", "method_other", "arrival_time", "assault_time", "vru"]


def test_a_live_store_not_yet_upgraded_is_a_clear_error(settings, tmp_path):
    import duckdb

    settings.EVIDENCE_DUCKDB = str(tmp_path / "live.duckdb")
    con = duckdb.connect(settings.EVIDENCE_DUCKDB)
    con.execute("CREATE TABLE istv (site_code VARCHAR, period VARCHAR, assault TIMESTAMP)")
    con.close()
    with pytest.raises(selectors.EvidenceError, match="the next load of any data upgrades it"):
        selectors.istv_profile(area="E12000007")


def test_make_run_commands_still_work(tmp_path, db):
    out = tmp_path / "istv-synthetic.csv"
    text = StringIO()
    call_command("generate_istv", "--out", str(out), "--months", "24", "--seed", "1", stdout=text)
    assert "SYNTHETIC" in text.getvalue()
    text = StringIO()
    call_command("load_istv", str(out), "--vru", "VRU-LDN", "--quiet", stdout=text)  # as make run does
    assert "SYNTHETIC" in text.getvalue() and " 0 rejected" in text.getvalue()
    assert selectors.istv_profile(area="E12000007")["status"] == "ok"
