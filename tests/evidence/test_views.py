import datetime as dt
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import UserFactory
from vrhub.accounts.models import User
from vrhub.evidence.loaders.boundaries import load_boundaries
from vrhub.evidence.loaders.mps import load_mps
from vrhub.evidence.synthetic import write_istv
from vrhub.organisations.models import Organisation

from .test_mps_imd_need import LSOA_CSV

ROOT = Path(__file__).resolve().parents[2]
HAVERING_LSOAS = ROOT / "data" / "boundaries" / "london-lsoa21" / "E09000016.geojson"
JANUARY = ROOT / "data" / "police-uk" / "city-of-london-2023" / "2023-01-city-of-london-street.csv"


@pytest.fixture
def admin(london):
    return UserFactory(organisation=Organisation.objects.get(code="VRU-LDN"), role=User.Role.VRU_ADMIN)


def test_pages_need_sign_in(client, db):
    response = client.get(reverse("evidence:trend"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_user_without_an_organisation_is_refused(client, db):
    client.force_login(UserFactory(organisation=None, role=""))
    assert client.get(reverse("evidence:index")).status_code == 403


def test_trend_page_chart_and_table(client, editor, write):
    load_mps(paths=[write("lsoa.csv", LSOA_CSV)])
    client.force_login(editor)
    response = client.get(
        reverse("evidence:trend"),
        {
            "area": "E12000007",
            "other_area": "E01002243",
            "measure": "mps:VIOLENCE AGAINST THE PERSON",
            "period": "2023-02:2023-02",
            "baseline": "2023-01:2023-01",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "<svg" in body and 'data-testid="series-table"' in body
    assert "up 50 %, 2 more offences" in body


def test_need_page_and_map_geojson(client, editor, write):
    load_boundaries(paths=[HAVERING_LSOAS])
    load_mps(paths=[write("lsoa.csv", LSOA_CSV)])
    client.force_login(editor)
    response = client.get(reverse("evidence:need"), {"within": "E09000016", "level": "lsoa"})
    assert response.status_code == 200
    assert 'id="need-map"' in response.content.decode()
    geo = client.get(reverse("evidence:need_geojson"), {"within": "E09000016", "level": "lsoa"})
    assert geo.status_code == 200
    data = geo.json()
    assert data["type"] == "FeatureCollection" and len(data["features"]) > 100
    ranked = [f["properties"] for f in data["features"] if f["properties"]["rank"]]
    assert ranked and all(1 <= p["quintile"] <= 5 for p in ranked)


def test_upload_is_for_vru_admins_only(client, editor, admin):
    client.force_login(editor)
    assert client.get(reverse("evidence:upload")).status_code == 403
    client.force_login(admin)
    assert client.get(reverse("evidence:upload")).status_code == 200
    upload = SimpleUploadedFile(JANUARY.name, JANUARY.read_bytes(), content_type="text/csv")
    response = client.post(reverse("evidence:upload"), {"kind": "police_uk", "file": upload})
    assert response.status_code == 200 and response.streaming
    parts = [b.decode() for b in response.streaming_content]
    body = "".join(parts)
    # The page top first (GOV.UK layout, the form), then one item per progress step, then the summary.
    assert "<h1" in parts[0] and 'data-testid="progress"' in parts[0] and "load-summary" not in parts[0]
    assert [p for p in parts if p.startswith("<li>")][0] == "<li>Checking 1 files… 0 %</li>\n"
    assert "<li>Validating… 45 %</li>" in body and "<li>Done… 100 %</li>" in body
    assert 'data-testid="load-summary"' in parts[-1] and parts[-1].rstrip().endswith("</html>")
    assert "Success" in parts[-1] and "load-errors" not in body
    assert body.count("<main") == 1 and body.count("</main>") == 1


def test_upload_of_an_istv_extract_shows_rejects_and_synthetic(client, admin, tmp_path):
    client.force_login(admin)
    path = write_istv(path=tmp_path / "istv.csv", site_code="RJ122", lsoas=[], start=dt.date(2024, 1, 1), months=1)
    data = path.read_bytes() + b"RJ122,2024-01,not a date,10:00,,,Other,Home,,,yes\r\n"
    upload = SimpleUploadedFile("istv.csv", data, content_type="text/csv")
    response = client.post(reverse("evidence:upload"), {"kind": "istv", "file": upload})
    body = "".join(b.decode() for b in response.streaming_content)
    assert 'data-testid="rejects"' in body and "Arrival date: not a date is not a date" in body
    assert "Synthetic rows" in body and '<strong class="govuk-tag govuk-tag--yellow">Synthetic</strong>' in body
    assert "vrhub-evidence-" not in body  # the temporary file's path is not shown
    index = client.get(reverse("evidence:index")).content.decode()
    assert "istv" in index and ">Synthetic</strong>" in index


def test_upload_of_a_file_in_the_wrong_format_shows_an_error_summary(client, admin):
    client.force_login(admin)
    upload = SimpleUploadedFile("notes.csv", b"hello,world\n1,2\n", content_type="text/csv")
    response = client.post(reverse("evidence:upload"), {"kind": "istv", "file": upload})
    body = "".join(b.decode() for b in response.streaming_content)
    assert 'class="govuk-error-summary"' in body and "notes.csv: Not an ISTV extract" in body
    assert "load-summary" not in body


def test_upload_without_a_file_is_answered_at_once(client, admin):
    client.force_login(admin)
    response = client.post(reverse("evidence:upload"), {"kind": "istv"})
    assert response.status_code == 200 and not response.streaming
    body = response.content.decode()
    assert 'class="govuk-error-summary"' in body and "<title>Error:" in body and "progress" not in body


def test_profile_panel(client, editor, write):
    client.force_login(editor)
    response = client.get(reverse("evidence:profile", args=["E09000016"]))
    assert response.status_code == 200
    assert "Problem profile" in response.content.decode()
