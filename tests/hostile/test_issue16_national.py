"""Issue 16, hostile: the public national view given crafted query strings (NUL, huge, unicode) answers 400
naming the filter, never 500; an area named like a formula (a crafted ONS file) is inert in the CSV."""

import csv
import io

import pytest
from django.urls import reverse

from vrhub.organisations.models import Organisation

pytestmark = pytest.mark.django_db

PAGE = reverse("transparency:national")
CSV_URL = reverse("transparency:national_csv")
CRAFTED = ["VRU-WMD\x00", "E" * 100_000, "Ａ" * 200]


@pytest.mark.parametrize("value", CRAFTED)
@pytest.mark.parametrize("name", ["vru", "police_force", "status", "sort", "dir"])
def test_crafted_filters_are_named_never_a_server_error(client, west_midlands, name, value):
    page = client.get(PAGE, {name: value})
    assert page.status_code == 400
    assert "Choose" in page.content.decode()
    got = client.get(CSV_URL, {name: value})
    assert got.status_code == 400
    assert got.content.decode().startswith("Choose")


def test_an_area_named_like_a_formula_is_inert_in_the_csv(client, west_midlands):
    Organisation.objects.create(
        kind=Organisation.Kind.AREA, code="E22000999", csp_code="E22000999", name='=HYPERLINK("http://x","y")'
    )
    rows = list(csv.DictReader(io.StringIO(client.get(CSV_URL).content.decode())))
    names = {r["area_code"]: r["area"] for r in rows}
    assert names["E22000999"] == '\'=HYPERLINK("http://x","y")'
    assert names["E22000335"] == "Birmingham"
