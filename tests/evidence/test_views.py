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
    query = {"within": "E09000016", "level": "lsoa", "measure_type": "count"}  # no population loaded here
    response = client.get(reverse("evidence:need"), query)
    assert response.status_code == 200
    assert 'id="need-map"' in response.content.decode()
    geo = client.get(reverse("evidence:need_geojson"), query)
    assert geo.status_code == 200
    data = geo.json()
    assert data["type"] == "FeatureCollection" and len(data["features"]) > 100
    ranked = [f["properties"] for f in data["features"] if f["properties"]["rank"]]
    assert ranked and all(1 <= p["quintile"] <= 5 for p in ranked)


def _upload(client, kind: str, name: str, data: bytes, capture):
    """POST a file to the upload page; the load runs as a job (at once in tests); returns the job page."""
    from vrhub.jobs.models import Job

    with capture(execute=True):
        response = client.post(
            reverse("evidence:upload"),
            {"kind": kind, "file": SimpleUploadedFile(name, data, content_type="text/csv")},
        )
    job = Job.objects.latest("created_at")
    assert response.status_code == 302 and response["Location"] == reverse("jobs:detail", args=[job.pk])
    job.refresh_from_db()
    return job, client.get(response["Location"]).content.decode()


def test_upload_is_for_vru_admins_only_and_loads_in_a_background_job(
    client, editor, admin, django_capture_on_commit_callbacks
):
    from vrhub.evidence.jobs import uploads_root

    client.force_login(editor)
    assert client.get(reverse("evidence:upload")).status_code == 403
    client.force_login(admin)
    assert client.get(reverse("evidence:upload")).status_code == 200
    job, page = _upload(client, "police_uk", JANUARY.name, JANUARY.read_bytes(), django_capture_on_commit_callbacks)
    assert job.kind == "evidence.load" and job.state == "succeeded", job.error
    rows = sum(1 for _ in JANUARY.open()) - 1
    assert job.result["facts"][0] == ["Rows read", f"{rows:,}"]
    assert f"{JANUARY.name}: " in job.result["summary"] and "rows loaded" in job.result["summary"]
    assert "Finished" in page and 'data-job="facts"' in page and "Go to the evidence workbench" in page
    stored = uploads_root() / job.params["file"]
    assert stored.parent.parent == uploads_root() and not stored.parent.exists()  # removed once loaded


def test_upload_of_an_istv_extract_shows_rejects_and_synthetic(
    client, admin, tmp_path, django_capture_on_commit_callbacks
):
    client.force_login(admin)
    path = write_istv(path=tmp_path / "istv.csv", site_code="RJ122", lsoas=[], start=dt.date(2024, 1, 1), months=1)
    data = path.read_bytes() + b"RJ122,2024-01-01,2024-01-31,not a date,10:00,,,Other,Bite,Home,,,yes\r\n"
    job, page = _upload(client, "istv", "istv.csv", data, django_capture_on_commit_callbacks)
    assert job.state == "succeeded", job.error
    assert 'data-job="problems"' in page and "Arrival date: not a date is not a date" in page
    assert "Synthetic rows (not real data)" in page and "SYNTHETIC demonstration data" in job.result["summary"]
    assert "evidence-uploads" not in page  # the stored file's path is not shown
    index = client.get(reverse("evidence:index")).content.decode()
    assert "istv" in index and ">Synthetic</strong>" in index


def test_upload_of_a_file_in_the_wrong_format_fails_its_job_with_the_reason(
    client, admin, django_capture_on_commit_callbacks
):
    client.force_login(admin)
    job, page = _upload(client, "istv", "notes.csv", b"hello,world\n1,2\n", django_capture_on_commit_callbacks)
    assert job.state == "failed"
    assert job.error.startswith("notes.csv: Not an ISTV extract") and job.error.endswith("Nothing was loaded.")
    assert "The job failed" in page and 'data-job="facts"' not in page


def test_upload_without_a_file_is_answered_at_once(client, admin):
    client.force_login(admin)
    response = client.post(reverse("evidence:upload"), {"kind": "istv"})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'class="govuk-error-summary"' in body and "<title>Error:" in body
    from vrhub.jobs.models import Job

    assert not Job.objects.exists()


def test_profile_panel(client, editor, write):
    client.force_login(editor)
    response = client.get(reverse("evidence:profile", args=["E09000016"]))
    assert response.status_code == 200
    assert "Problem profile" in response.content.decode()
