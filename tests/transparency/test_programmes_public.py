"""The public grants pages (360Giving open data): no sign-in, each year's grants with totals and downloads,
the JSON file valid against the schema offline, the spreadsheet with the standard's titles and inert text; an
unknown VRU or a year with nothing published is a 404, an invalid file is withheld, never served."""

import io
import json
from decimal import Decimal

import openpyxl
import pandas as pd
import pytest

from tests.programmes.conftest import lambeth, logic_model, programmes_world  # noqa: F401  (fixtures)
from tests.programmes.open_data_world import offline_validator, profile
from vrhub.programmes import giving360
from vrhub.programmes.models import Programme, ProgrammeAmount

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("programmes_world")]


def _vru_amounts(london, year=2020) -> Decimal:
    rows = ProgrammeAmount.objects.filter(
        year=year, programme__vru=london, programme__owner=london, programme__published=True
    ).values("amount")
    return pd.DataFrame(list(rows))["amount"].sum()


def test_the_grants_page_lists_each_year_with_its_total_and_downloads(client, london):
    profile(london)
    response = client.get("/public/VRU-LDN/grants/")
    assert response.status_code == 200
    text = response.content.decode()
    assert f"£{_vru_amounts(london):,.2f}" in text
    assert "/public/VRU-LDN/grants/2020.json" in text
    assert "/public/VRU-LDN/grants/2020.xlsx" in text
    assert "Programme LDN-1" in text
    assert "Programme HAV-1" not in text  # Havering's own grant
    assert "Programme LAM-1" not in text  # unpublished
    assert "synthetic demo data" not in text


def test_a_synthetic_demo_is_labelled(client, london):
    profile(london, synthetic=True)
    text = client.get("/public/VRU-LDN/grants/").content.decode()
    assert "synthetic demo data" in text
    response = client.get("/public/VRU-LDN/grants/2020.json")
    assert "synthetic-demo" in response["Content-Disposition"]
    assert json.loads(response.content)["title"].startswith("SYNTHETIC DEMO DATA")


def test_the_json_file_is_valid_360giving_with_the_years_amounts(client, london):
    profile(london)
    response = client.get("/public/VRU-LDN/grants/2020.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    package = json.loads(response.content)
    assert offline_validator().is_valid(package)
    total = pd.DataFrame(package["grants"])["amountAwarded"].map(lambda v: Decimal(str(v))).sum()
    assert total == _vru_amounts(london)


def test_the_spreadsheet_has_the_standards_titles_and_inert_text(client, london):
    profile(london)
    programme = Programme.objects.get(vru=london, reference="LDN-1")
    programme.title = '=HYPERLINK("http://evil.example")'
    programme.save()
    response = client.get("/public/VRU-LDN/grants/2020.xlsx")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["grants"]
    rows = list(sheet.iter_rows(values_only=True))
    headings = list(rows[0])
    for title in [
        "Identifier",
        "Title",
        "Currency",
        "Amount Awarded",
        "Award Date",
        "Recipient Org:Identifier",
        "Funding Org:Identifier",
        "Grant Programme:Title",
        "Planned Dates:Start Date",
        "Last Modified",
    ]:
        assert title in headings
    by_id = {r[headings.index("Identifier")]: r for r in rows[1:]}
    row = by_id["360G-londonvru-LDN-1-2020"]
    assert row[headings.index("Title")] == '\'=HYPERLINK("http://evil.example")'
    cell = sheet.cell(row=[r[0] for r in rows].index("360G-londonvru-LDN-1-2020") + 1, column=2)
    assert cell.data_type == "s"
    frame = pd.DataFrame(rows[1:], columns=headings)
    assert frame["Amount Awarded"].map(lambda v: Decimal(str(v))).sum() == _vru_amounts(london)


@pytest.mark.parametrize(
    "url",
    [
        "/public/VRU-NOPE/grants/",
        "/public/VRU-NOPE/grants/2020.json",
        "/public/E09000016/grants/",  # an area, not a VRU
        "/public/VRU-LDN/grants/2021.json",  # no grant for 2021/22
        "/public/VRU-LDN/grants/2021.xlsx",
        "/public/VRU-LDN/grants/1999.json",
    ],
)
def test_unknown_vru_or_year_is_404(client, london, url):
    profile(london)
    assert client.get(url).status_code == 404


def test_without_a_funder_profile_nothing_is_published(client, london):
    assert "No grants published yet" in client.get("/public/VRU-LDN/grants/").content.decode()
    assert client.get("/public/VRU-LDN/grants/2020.json").status_code == 404


def test_an_invalid_file_is_withheld(client, london, monkeypatch):
    profile(london)
    real = giving360.grant
    monkeypatch.setattr(giving360, "grant", lambda *a, **k: {**real(*a, **k), "amountAwarded": "lots"})
    for extension in ("json", "xlsx"):
        response = client.get(f"/public/VRU-LDN/grants/2020.{extension}")
        assert response.status_code == 503
        assert b"withheld" in response.content
    assert "/public/VRU-LDN/grants/2020.json" not in client.get("/public/VRU-LDN/grants/").content.decode()


def test_the_public_index_links_to_a_vrus_grants_only_once_it_has_published_some(client, london):
    index = client.get("/public/").content.decode()
    assert "/public/VRU-LDN/grants/" not in index  # no funder profile yet: nothing is published
    assert "No grants have been published yet." in index
    profile(london)
    index = client.get("/public/").content.decode()
    assert 'href="/public/VRU-LDN/grants/"' in index
