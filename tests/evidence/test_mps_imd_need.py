import json
import math
from io import StringIO

import pytest
from django.core.management import call_command

from vrhub.evidence import selectors, store
from vrhub.evidence.loaders.imd import load_imd
from vrhub.evidence.loaders.mps import load_mps
from vrhub.evidence.loaders.population import load_population

LSOA_CSV = """LSOA Code,LSOA Name,Borough,Major Category,Minor Category,202301,202302
E01002243,Havering 013A,E09000016,VIOLENCE AGAINST THE PERSON,VIOLENCE WITH INJURY,4,6
E01002244,Havering 013B,E09000016,VIOLENCE AGAINST THE PERSON,VIOLENCE WITH INJURY,2,2
E01002245,Havering 013C,E09000016,VIOLENCE AGAINST THE PERSON,VIOLENCE WITH INJURY,0,0
E01002246,Havering 013D,E09000016,VIOLENCE AGAINST THE PERSON,VIOLENCE WITH INJURY,1,1
E01002247,Havering 013E,E09000016,ROBBERY,PERSONAL PROPERTY,x,1
"""
BOROUGH_CSV = """MajorText,MinorText,BoroughName,202301,202302
ROBBERY,PERSONAL PROPERTY,Havering,10,20
ROBBERY,PERSONAL PROPERTY,Unknown,5,5
ROBBERY,PERSONAL PROPERTY,Lambeth,7,-1
"""
IMD_CSV = """lsoa21_code,IMD_score,IMD_rank,IMD_decile,Income_score
E01002243,40.0,100,1,0.3
E01002244,20.0,2000,2,0.2
E01002245,10.0,20000,7,0.1
E01002246,30.0,1000,1,0.2
XYZ,1,1,1,1
"""


def test_mps_lsoa_file_rejects_and_counts(write):
    path = write("lsoa.csv", LSOA_CSV)
    summary = load_mps(paths=[path])
    assert summary.rows == 5 and summary.loaded == 4
    assert [(r.line, r.reason) for r in summary.rejected] == [(6, "Count is not a whole number: x")]
    again = load_mps(paths=[path])
    assert again.loaded == 0 and again.already_loaded == [str(path)]


def test_force_total_includes_rows_not_placed_in_a_borough(write):
    summary = load_mps(paths=[write("borough.csv", BOROUGH_CSV)])
    assert [(r.line, r.reason) for r in summary.rejected] == [(4, "Count is negative")]
    measure = selectors.measure_get(name="ROBBERY")
    met = selectors.trend_series(area=selectors.area_get(code="E23000001"), measure=measure)["series"]
    havering = selectors.trend_series(area=selectors.area_get(code="E09000016"), measure=measure)["series"]
    assert met == [{"month": "2023-01", "value": 15}, {"month": "2023-02", "value": 25}]
    assert havering == [{"month": "2023-01", "value": 10}, {"month": "2023-02", "value": 20}]


def test_trend_compare_maths(write):
    load_mps(paths=[write("borough.csv", BOROUGH_CSV)])
    result = selectors.trend_compare(
        area=selectors.area_get(code="E09000016"),
        measure=selectors.measure_get(name="mps:ROBBERY/PERSONAL PROPERTY"),
        period="2023-02:2023-02",
        baseline="2023-01:2023-01",
    )
    assert (result["current"], result["baseline"], result["change"], result["pct_change"]) == (20, 10, 10, 100.0)
    assert result["sentence"].startswith("Personal property up 100 %, 10 more offences")


def test_imd_rejects_bad_codes(write):
    summary = load_imd(paths=[write("imd2025.csv", IMD_CSV)])
    assert summary.loaded == 4
    assert summary.rejected[0].line == 6 and "LSOA code" in summary.rejected[0].reason


def test_need_ranking_json_and_zscore_maths(write):
    load_mps(paths=[write("lsoa.csv", LSOA_CSV)])
    load_imd(paths=[write("imd2025.csv", IMD_CSV)])
    out = StringIO()
    call_command(
        "need_ranking", "--within", "E09000016", "--level", "lsoa", "--measure-type", "count", "--json", stdout=out
    )
    rows = json.loads(out.getvalue())
    assert {tuple(sorted(r)) for r in rows} == {
        ("area", "caveat", "components", "name", "population", "rank", "score", "synthetic")
    }
    by_area = {r["area"]: r for r in rows}
    # Violence: 10, 4, 0, 2 offences (the robbery LSOA was rejected whole); IMD: 40, 20, 10, 30.
    violence = {"E01002243": 10, "E01002244": 4, "E01002245": 0, "E01002246": 2}
    imd = {"E01002243": 40, "E01002244": 20, "E01002245": 10, "E01002246": 30}

    def z(values, key):
        mean = sum(values.values()) / len(values)
        sd = math.sqrt(sum((v - mean) ** 2 for v in values.values()) / len(values))
        return (values[key] - mean) / sd

    for code in violence:
        expected = (z(violence, code) + z(imd, code)) / 2
        assert by_area[code]["score"] == pytest.approx(expected, abs=1e-3)
        assert by_area[code]["components"]["violence"]["z"] == pytest.approx(z(violence, code), abs=1e-3)
    assert [r["area"] for r in rows] == ["E01002243", "E01002246", "E01002244", "E01002245"]
    assert [r["rank"] for r in rows] == [1, 2, 3, 4]
    # Weights change the ranking: IMD alone.
    only_imd = selectors.need_ranking(
        within="E09000016", level="lsoa", weights={"violence": 0, "knife": 0, "istv": 0}, measure_type="count"
    )
    assert [r["area"] for r in only_imd["rows"]] == ["E01002243", "E01002246", "E01002244", "E01002245"]
    assert only_imd["rows"][0]["score"] == pytest.approx(z(imd, "E01002243"), abs=1e-3)


POPULATION_CSV = """2021 super output area - lower layer,LSOA21CD,Population
Havering 013A,E01002243,2000
Havering 013B,E01002244,1000
Havering 013C,E01002245,1600
"""


def test_rates_per_1000_and_an_area_without_residents_has_no_rate(write):
    load_mps(paths=[write("lsoa.csv", LSOA_CSV)])
    load_population(paths=[write("population.csv", POPULATION_CSV)])
    ranking = selectors.need_ranking(within="E09000016", level="lsoa", weights={"imd": 0})
    by_area = {r["area"]: r["components"]["violence"] for r in ranking["rows"]}
    # Two months of data (Jan-Feb 2023), annualised: offences x 12/2 per 1,000 residents.
    assert by_area["E01002243"]["value"] == pytest.approx(1000 * 10 * 6 / 2000)
    assert by_area["E01002244"]["value"] == pytest.approx(1000 * 4 * 6 / 1000)
    assert by_area["E01002245"]["value"] == 0  # residents and no offences: a true 0
    assert by_area["E01002246"]["value"] is None and "no residents" in by_area["E01002246"]["no_data"]
    assert "data for 2 of the 12 months; annualised" in ranking["indicators"]["violence"]["label"]
    assert [e["area"] for e in ranking["indicators"]["violence"]["excluded"]] == ["E01002246"]


def test_zscores_of_equal_values_are_zero():
    assert selectors.zscores({"a": 3, "b": 3}) == {"a": 0.0, "b": 0.0}


def test_failed_load_leaves_nothing(write, monkeypatch):
    path = write("borough.csv", BOROUGH_CSV)
    original = store.transaction

    def broken(con):
        con.execute("BEGIN TRANSACTION")
        con.execute("INSERT INTO loads (kind) VALUES ('x')")
        con.execute("ROLLBACK")
        raise RuntimeError("disk full")

    monkeypatch.setattr(store, "transaction", broken)
    with pytest.raises(RuntimeError):
        load_mps(paths=[path])
    monkeypatch.setattr(store, "transaction", original)
    with store.connect() as con:
        assert store.scalar(con, "SELECT count(*) FROM loads") == 0
        assert store.scalar(con, "SELECT count(*) FROM all_facts") == 0
