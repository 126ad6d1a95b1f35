"""The needs assessment data pack: its figures against independent computation on the raw files, the PDF and
DOCX text (each figure with its unit, source and period), "no data" never 0, synthetic labelled, the command's
contract, and the job's authorisation.

The store is loaded once for the module from the shipped files (MPS dashboard, homicide, LSOA recorded crime,
IMD 2025, Census 2021 population) and a small synthetic ISTV extract for Havering's A&E site; every expected
figure is recomputed here with DuckDB or pandas straight from those files.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from io import StringIO
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse
from scipy.stats import binomtest

from tests.duty import factories as f
from tests.factories import UserFactory
from tests.reports.conftest import pdf_text
from vrhub.accounts.models import User
from vrhub.core.words import period_words
from vrhub.duty import datapack_render
from vrhub.duty.jobs import sna_pack_job
from vrhub.duty.selectors.datapack import datapack_data
from vrhub.evidence.loaders.imd import load_imd
from vrhub.evidence.loaders.istv import load_istv
from vrhub.evidence.loaders.mps import load_mps
from vrhub.evidence.loaders.population import load_population
from vrhub.evidence.synthetic import istv_site_lsoas, write_istv
from vrhub.jobs.models import Job
from vrhub.jobs.registry import JobContext
from vrhub.jobs.services import job_start

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
DASHBOARD = DATA / "mps" / "monthly-crime-dashboard.parquet"
LSOA_CRIME = DATA / "mps" / "recorded-crime-lsoa.parquet"
HOMICIDE = DATA / "mps" / "homicide.parquet"
IMD = DATA / "imd" / "imd2025_england_lsoa21.csv"
POPULATION = DATA / "population" / "census2021-lsoa21-usual-residents.csv"
HAVERING, LAMBETH = "E09000016", "E09000022"
SITE = "RF4QH"  # Queen's Hospital, Romford: Havering's A&E site
ISTV_START = dt.date(2024, 3, 1)
DASHBOARD_SOURCE = "Metropolitan Police monthly crime dashboard (London Datastore)"


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("datapack")
    path = str(folder / "evidence.duckdb")
    istv = write_istv(
        path=folder / "istv.csv",
        site_code=SITE,
        lsoas=istv_site_lsoas([SITE]),
        start=ISTV_START,
        months=24,
        per_month=40,
        seed=3,
    )
    with override_settings(EVIDENCE_DUCKDB=path):
        load_mps(paths=[DASHBOARD, HOMICIDE, LSOA_CRIME])
        load_imd(paths=[IMD])
        load_population(paths=[POPULATION])
        assert load_istv(paths=[istv]).rejected == []
    return {"store": path, "istv": istv}


@pytest.fixture
def store(settings, loaded):
    settings.EVIDENCE_DUCKDB = loaded["store"]
    return loaded


@pytest.fixture
def pack(store, havering):
    return datapack_data(area=havering, today=dt.date(2026, 6, 1))


# --- independent computations ----------------------------------------------------------------------


def _months(last: str, n: int = 12) -> list[str]:
    return [str(p) for p in pd.period_range(end=last, periods=n, freq="M")]


def _previous(last: str) -> str:
    return str(pd.Period(last, freq="M") - 12)


def _dashboard() -> pd.DataFrame:
    columns = "strftime(month_year, '%Y-%m') AS month, area_code, measure, crime_subtype, count"
    frame = duckdb.sql(f"SELECT {columns} FROM '{DASHBOARD}' WHERE area_type = 'Borough'").df()  # noqa: S608
    return frame[(frame.crime_subtype == "Knife Crime") & (frame.measure == "Offences")]


def _residents(borough_name: str) -> int:
    people = pd.read_csv(POPULATION, dtype=str).dropna(subset=["LSOA21CD", "Population"])
    people["Population"] = people["Population"].str.replace(",", "").astype(int)
    named = people[people["2021 super output area - lower layer"].str.startswith(borough_name + " ")]
    return int(named["Population"].sum())


def _period(months: list[str]) -> str:
    return f"{months[0]}:{months[-1]}"


# --- the figures --------------------------------------------------------------------------------------


def test_knife_crime_trend_rate_significance_and_london_match_the_parquet(pack):
    knife = _dashboard()
    havering = knife[knife.area_code == HAVERING]
    last = havering.month.max()
    current_months, baseline_months = _months(last), _months(_previous(last))
    current = int(havering[havering.month.isin(current_months)]["count"].sum())
    baseline = int(havering[havering.month.isin(baseline_months)]["count"].sum())
    london_current = int(knife[knife.month.isin(current_months)]["count"].sum())

    weapons = next(o for o in pack["offences"] if o["code"] == "weapons")
    trend = next(m for m in weapons["measures"] if m["measure"] == "mps:Knife Crime/Knife Crime")
    r = trend["result"]
    assert (r["period"], r["baseline_period"]) == (_period(current_months), _period(baseline_months))
    assert (r["current"], r["baseline"]) == (current, baseline)
    assert r["rate_per_1000"]["current"] == pytest.approx(current / _residents("Havering") * 1000, abs=0.005)
    expected_p = binomtest(current, current + baseline, 0.5).pvalue
    assert r["significance"]["p_value"] == pytest.approx(expected_p, rel=1e-6)
    by_level = {c["level"]: c for c in r["comparisons"]}
    assert by_level["london"]["current"] == london_current
    # MPS data are London's only: England and Wales is "no data" with the reason, never a 0.
    assert by_level["england_wales"]["current"] is None
    assert "covers London only" in by_level["england_wales"]["reason"]
    assert trend["source"] == DASHBOARD_SOURCE and trend["unit"] == "offences"


def _lsoa_violence() -> tuple[pd.DataFrame, list[str]]:
    frame = duckdb.sql(f"SELECT * FROM '{LSOA_CRIME}'").df()  # noqa: S608 - a test constant
    month_columns = sorted(c for c in frame.columns if c.isdigit())
    frame = frame[(frame.borough == HAVERING) & (frame.major_category == "VIOLENCE AGAINST THE PERSON")]
    last = month_columns[-1]
    window = [m.replace("-", "") for m in _months(f"{last[:4]}-{last[4:]}")]
    per_lsoa = frame.groupby("lsoa_code")[window].sum().sum(axis=1).rename("n").reset_index()
    return per_lsoa, window


def test_deprivation_overlap_and_top_lsoas_match_the_lsoa_file_and_the_imd(pack):
    per_lsoa, window = _lsoa_violence()
    imd = pd.read_csv(IMD, usecols=["lsoa21_code", "IMD_decile"]).rename(columns={"lsoa21_code": "lsoa_code"})
    joined = per_lsoa.merge(imd, on="lsoa_code", how="left")
    by_decile = joined.dropna(subset=["IMD_decile"]).groupby("IMD_decile")["n"].sum()
    lsoas = pack["lsoas"]
    assert lsoas["period"] == f"{window[0][:4]}-{window[0][4:]}:{window[-1][:4]}-{window[-1][4:]}"
    assert lsoas["total"] == int(per_lsoa["n"].sum())
    assert len(by_decile) > 0  # the fixture's LSOAs match IMD deciles: the loop below checks figures, not only gaps
    assert sorted(int(d["decile"]) for d in lsoas["deciles"]) == list(range(1, 11))
    for d in lsoas["deciles"]:
        if d["decile"] in by_decile.index:
            assert d["n"] == int(by_decile[d["decile"]]), d
        else:  # no LSOA of the borough in this decile: no data, not 0
            assert d["n"] is None and d["lsoas"] == 0
    top = per_lsoa.sort_values(["n", "lsoa_code"], ascending=[False, True]).head(10)
    assert [(t["code"], t["n"]) for t in lsoas["top"]] == list(zip(top.lsoa_code, top.n.astype(int), strict=True))
    # Rates per 1,000 residents (12 months, so no annualising), from the Census 2021 file, not the store.
    people = pd.read_csv(POPULATION, dtype=str).dropna(subset=["LSOA21CD", "Population"])
    residents = dict(zip(people.LSOA21CD, people.Population.str.replace(",", "").astype(int), strict=True))
    assert lsoas["months"] == 12
    assert all(c in residents for c in top.lsoa_code)  # every top LSOA has a population: each rate is checked
    expected_top = [1000 * int(n) / residents[c] for c, n in zip(top.lsoa_code, top.n, strict=True)]
    assert [t["rate"] for t in lsoas["top"]] == pytest.approx(expected_top, abs=0.005)
    with_decile = joined.dropna(subset=["IMD_decile"])
    checked = 0
    for d in lsoas["deciles"]:
        codes = with_decile[with_decile.IMD_decile == d["decile"]].lsoa_code
        people_in = sum(residents.get(c, 0) for c in codes)
        if d["n"] is not None and people_in:
            assert d["rate"] == pytest.approx(1000 * d["n"] / people_in, abs=0.005), d
            checked += 1
    assert checked > 0


def _istv_frame(path: Path) -> pd.DataFrame:
    frame = pd.read_csv(path, skiprows=1, dtype=str, keep_default_na=False)
    frame["month"] = frame["Arrival date"].str[:7]
    when = pd.to_datetime(frame["Assault date"] + " " + frame["Assault time"], format="%Y-%m-%d %H:%M")
    frame["day"], frame["hour"] = when.dt.day_of_week, when.dt.hour
    return frame


def test_ae_time_profile_bands_match_the_extract(pack, store):
    frame = _istv_frame(store["istv"])
    months = _months(frame.month.max())
    rows = frame[frame.month.isin(months)]
    istv = pack["istv"]
    assert istv["period"] == _period(months) and istv["synthetic"] is True
    assert istv["total"] == len(rows) > 0
    assert len(istv["bands"]) == 8  # every three hours of the day: the loop below covers all 24
    for i, band in enumerate(istv["bands"]):
        hours = range(3 * i, 3 * i + 3)
        expected = [int(((rows.day == d) & rows.hour.isin(hours)).sum()) for d in range(7)]
        assert band["cells"] == expected, band["label"]


def test_headline_measures_label_the_ae_proxy_and_match_the_sources(pack, store):
    by_key = {h["key"]: h for h in pack["headline"]}
    ae = by_key["ae"]
    assert "nearest open proxy" in ae["proxy"] and ae["synthetic"] is True
    frame = _istv_frame(store["istv"])
    last = frame.month.max()
    assert ae["result"]["current"] == int(frame.month.isin(_months(last)).sum())
    assert ae["result"]["baseline"] == int(frame.month.isin(_months(_previous(last))).sum())
    knife = _dashboard()
    havering = knife[knife.area_code == HAVERING]
    assert by_key["knife"]["result"]["current"] == int(
        havering[havering.month.isin(_months(havering.month.max()))]["count"].sum()
    )
    assert pack["synthetic"] is True  # the ISTV extract is synthetic


# --- the documents ------------------------------------------------------------------------------------


def _knife_row(pack) -> tuple[str, str]:
    weapons = next(o for o in pack["offences"] if o["code"] == "weapons")
    r = next(m for m in weapons["measures"] if m["measure"] == "mps:Knife Crime/Knife Crime")["result"]
    row = (
        f"Knife Crime {r['current']:,} offences, {period_words(r['period'])} "
        f"{r['baseline']:,} offences, {period_words(r['baseline_period'])}"
    )
    return row, f"{r['rate_per_1000']['current']:.2f} {DASHBOARD_SOURCE}"


def _docx_text(content: bytes) -> tuple[str, list[list[str]], list[tuple[str, str]]]:
    from docx import Document

    document = Document(io.BytesIO(content))
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs]
    rows = [[c.text for c in row.cells] for table in document.tables for row in table.rows]
    return " ".join(t for _, t in paragraphs), rows, paragraphs


def _pdfinfo(content: bytes, tmp_path: Path) -> str:
    path = tmp_path / "info.pdf"
    path.write_bytes(content)
    pdfinfo = shutil.which("pdfinfo") or "pdfinfo"
    return subprocess.run([pdfinfo, str(path)], capture_output=True, check=True, timeout=60, text=True).stdout


def test_pdf_has_contents_every_section_and_each_figure_with_source_and_period(pack, tmp_path):
    content = datapack_render.render(fmt="pdf", data=pack)
    assert content.startswith(b"%PDF")
    info = _pdfinfo(content, tmp_path)
    assert "Tagged:          yes" in info and pack["title"] in info
    text = pdf_text(content, tmp_path)
    assert "Contents" in text
    for section in datapack_render.outline(pack):
        assert f"{section['number']}. {section['title']}" in text
    row, tail = _knife_row(pack)
    assert row in text and tail in text
    ls = pack["lsoas"]
    top = ls["top"][0]
    assert f"{top['name']} ({top['code']}) {top['n']:,} offences" in text
    assert period_words(ls["period"]) in text and ls["source"] in text
    assert "(SYNTHETIC data)" in text and "Includes SYNTHETIC data" in text
    assert f"{pack['istv']['total']:,} attendances after assault" in text


def test_docx_tables_have_header_rows_and_each_figure_with_source_and_period(pack):
    content = datapack_render.render(fmt="docx", data=pack)
    text, rows, paragraphs = _docx_text(content)
    headings = [t for style, t in paragraphs if style.startswith("Heading")]
    assert "Contents" in headings and "3. Trends in the offence types in scope" in headings
    knife = next(r for r in rows if r[0] == "Knife Crime")
    weapons = next(o for o in pack["offences"] if o["code"] == "weapons")
    r = next(m for m in weapons["measures"] if m["measure"] == "mps:Knife Crime/Knife Crime")["result"]
    assert knife[1] == f"{r['current']:,} offences, {period_words(r['period'])}"
    assert knife[2] == f"{r['baseline']:,} offences, {period_words(r['baseline_period'])}"
    assert knife[-1] == DASHBOARD_SOURCE
    decile_rows = [r for r in rows if r and r[0].startswith("1 (most deprived)")]
    first = pack["lsoas"]["deciles"][0]
    assert decile_rows and decile_rows[0][4] == f"{first['n']:,} offences"
    # Every table's first row is a header row, repeated on every page.
    from docx import Document

    for table in Document(io.BytesIO(content)).tables:
        assert table.rows[0]._tr.xpath("./w:trPr/w:tblHeader")
    assert "(SYNTHETIC data)" in " ".join(" ".join(r) for r in rows)


@pytest.mark.django_db
def test_no_data_is_never_zero(settings, tmp_path, havering):
    settings.EVIDENCE_DUCKDB = str(tmp_path / "empty.duckdb")  # nothing loaded
    data = datapack_data(area=havering)
    assert data["synthetic"] is False
    assert data["headline"] and all(h["result"] is None and h["reason"].startswith("No data") for h in data["headline"])
    assert data["lsoas"]["status"] == data["istv"]["status"] == data["hotspots"]["status"] == "no_data"
    _, rows, _ = _docx_text(datapack_render.render(fmt="docx", data=data))
    figures = [cell for row in rows[1:] for cell in row[2:]]
    assert "No data" in figures
    assert not [c for c in figures if c.startswith("0 ")]  # no count shown as 0
    text = pdf_text(datapack_render.render(fmt="pdf", data=data), tmp_path)
    assert "SYNTHETIC" not in text and "No data" in text


@pytest.mark.django_db
def test_the_local_definition_drives_the_measures(store, havering, london):
    partnership = f.PartnershipFactory(area=havering, vru=london, synthetic=True)
    f.DefinitionFactory(partnership=partnership, offence_types=["robbery", "a_and_e_assaults"])
    data = datapack_data(area=havering)
    assert [o["code"] for o in data["offences"]] == ["robbery", "a_and_e_assaults"]
    assert data["definition"]["written"] is True and data["partnership_synthetic"] is True
    ae = data["offences"][1]["measures"][0]
    assert ae["synthetic"] is True and ae["result"]["current"] is not None
    robbery = data["offences"][0]["measures"][0]
    # Only LSOA-level robbery is loaded here, no borough series: said so, not 0.
    assert robbery["result"] is None and robbery["reason"].startswith("No data: ")


# --- the command ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_command_writes_the_file_and_names_it_with_size_and_synthetic(store, havering, tmp_path):
    out, target = StringIO(), tmp_path / "pack.docx"
    call_command("sna_pack", "--area", HAVERING, "--format", "docx", "--out", str(target), stdout=out)
    line = out.getvalue().strip()
    assert "\n" not in line and str(target) in line and "SYNTHETIC" in line
    assert f"{target.stat().st_size:,} bytes" in line
    assert [p.name for p in tmp_path.iterdir()] == ["pack.docx"]  # no temporary file left
    text, _, _ = _docx_text(target.read_bytes())
    assert "Havering" in text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--area", "E09999999", "--format", "pdf"], "No area has the code 'E09999999'"),
        (["--area", HAVERING, "--format", "html"], "use --format pdf or --format docx"),
    ],
)
def test_command_refuses_bad_input_on_one_line(store, havering, tmp_path, args, message):
    with pytest.raises(CommandError) as caught:
        call_command("sna_pack", *args, "--out", str(tmp_path / "x.pdf"))
    assert message in str(caught.value) and "\n" not in str(caught.value)
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.django_db
def test_command_refuses_a_directory_or_a_missing_parent(store, havering, tmp_path):
    with pytest.raises(CommandError, match="is a directory"):
        call_command("sna_pack", "--area", HAVERING, "--format", "pdf", "--out", str(tmp_path))
    with pytest.raises(CommandError, match="does not exist"):
        call_command("sna_pack", "--area", HAVERING, "--format", "pdf", "--out", str(tmp_path / "no" / "x.pdf"))


@pytest.mark.django_db
def test_command_leaves_an_existing_file_whole_when_writing_fails(store, havering, tmp_path, monkeypatch):
    target = tmp_path / "pack.pdf"
    target.write_bytes(b"the earlier pack")

    def broken(**kwargs):
        raise RuntimeError("renderer failed")

    monkeypatch.setattr(datapack_render, "render", broken)
    with pytest.raises(RuntimeError):
        call_command("sna_pack", "--area", HAVERING, "--format", "pdf", "--out", str(target))
    assert target.read_bytes() == b"the earlier pack"
    assert [p.name for p in tmp_path.iterdir()] == ["pack.pdf"]


# --- the job and the page -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_another_borough_cannot_start_or_run_havering_pack(store, havering, london, client):
    lambeth_editor = UserFactory(
        organisation=havering.__class__.objects.get(code=LAMBETH), role=User.Role.BOROUGH_EDITOR
    )
    with pytest.raises(PermissionDenied):
        job_start(kind="duty.sna_pack", user=lambeth_editor, params={"area": HAVERING, "fmt": "pdf"})
    # The handler checks again when it runs (access may have changed since the job was queued).
    context = JobContext(job_id="x", user=lambeth_editor, progress=lambda *a, **k: None, set_output=None)
    with pytest.raises(PermissionDenied):
        sna_pack_job(context=context, area=HAVERING, fmt="pdf")
    client.force_login(lambeth_editor)
    response = client.post(reverse("duty:datapack", args=[HAVERING]), {"fmt": "pdf"})
    assert response.status_code == 404
    assert not Job.objects.filter(kind="duty.sna_pack").exists()


@pytest.mark.django_db
def test_page_starts_the_job_and_the_job_page_offers_the_pdf(
    store, havering, client, django_capture_on_commit_callbacks
):
    viewer = UserFactory(organisation=havering, role=User.Role.BOROUGH_VIEWER)
    client.force_login(viewer)
    page = client.get(reverse("duty:datapack", args=[HAVERING]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Generate the data pack (PDF)" in body and "Homicide" in body and "guidance's defaults" in body
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("duty:datapack", args=[HAVERING]), {"fmt": "pdf"})
    job = Job.objects.get(kind="duty.sna_pack")
    assert response.status_code == 302 and response["Location"] == reverse("jobs:detail", args=[job.pk])
    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED, job.error
    assert "SYNTHETIC" in job.result["summary"]
    download = client.get(reverse("jobs:output", args=[job.pk]))
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert job.output_name == f"sna-data-pack-{HAVERING}-{dt.date.today():%Y-%m-%d}.pdf"


@pytest.mark.django_db
def test_page_refuses_an_unknown_format_naming_it(store, havering, client):
    client.force_login(UserFactory(organisation=havering, role=User.Role.BOROUGH_EDITOR))
    response = client.post(reverse("duty:datapack", args=[HAVERING]), {"fmt": "xlsx"})
    assert response.status_code == 400 and "Choose PDF or Word" in response.content.decode()
    assert not Job.objects.exists()


@pytest.mark.django_db
def test_hotspots_where_street_level_data_is_loaded(settings, tmp_path, london):
    from tests.evidence.test_hotspots import raw_kept
    from vrhub.evidence.loaders.police_uk import load_police_uk
    from vrhub.organisations.models import Organisation

    settings.EVIDENCE_DUCKDB = str(tmp_path / "city.duckdb")
    load_police_uk(paths=[DATA / "police-uk" / "city-of-london-2023"])
    city = Organisation.objects.create(kind=Organisation.Kind.AREA, code="E09000001", name="City of London", vru=london)
    data = datapack_data(area=city)
    hs = data["hotspots"]
    assert hs["status"] == "ok" and hs["period"] == "2023-01:2023-12"
    kept = raw_kept()
    # The borough's hotspots count the crimes placed in its own LSOAs (not those without one, or outside it).
    in_city = kept["LSOA name"].str.startswith("City of London ")
    crimes = kept[
        in_city & (kept["Crime type"] != "Anti-social behaviour") & kept["Month"].between("2023-01", "2023-12")
    ]
    assert hs["total"] == len(crimes)
    counts = [h["n"] for h in hs["hexes"]]
    assert counts == sorted(counts, reverse=True) and len(counts) == 10 and sum(counts) <= hs["placed"]
    text = pdf_text(datapack_render.render(fmt="pdf", data=data), tmp_path)
    assert f"1 {counts[0]:,} offences" in text and "data.police.uk street-level crime" in text
    assert "January 2023 to December 2023" in text


@pytest.mark.parametrize(("count", "residents", "months"), [(12, 1_000, 6), (30, 2_500, 12), (7, 700, 3)])
def test_lsoa_rates_are_annualised_over_the_months_covered(count, residents, months):
    """A borough with fewer than 12 months of LSOA data: the rate per 1,000 residents a year scales by 12/months."""
    from vrhub.duty.selectors.datapack import _rate

    expected = round(count / residents * 1_000 * 12 / months, 2)
    assert _rate(count, residents, months) == expected
    assert _rate(count, None, months) is None
