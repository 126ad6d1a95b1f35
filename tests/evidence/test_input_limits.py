"""Every evidence input has a size limit, and the error names it."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.factories import UserFactory
from vrhub.accounts.models import User
from vrhub.evidence import selectors
from vrhub.evidence.loaders.mps import load_mps
from vrhub.organisations.models import Organisation

from .test_mps_imd_need import LSOA_CSV


@pytest.fixture
def admin(london):
    return UserFactory(organisation=Organisation.objects.get(code="VRU-LDN"), role=User.Role.VRU_ADMIN)


def test_an_upload_over_the_limit_says_it_is_too_large_and_names_the_limit(client, admin, settings):
    settings.DOCUMENT_MAX_BYTES = 2 * 1024 * 1024
    client.force_login(admin)
    big = SimpleUploadedFile("lsoa.csv", LSOA_CSV.encode() * 40_000, content_type="text/csv")  # about 14 MB
    response = client.post(reverse("evidence:upload"), {"kind": "mps", "file": big})
    assert response.status_code == 200 and not response.streaming  # answered at once, nothing loaded
    body = response.content.decode()
    assert "The selected file must be smaller than 2 MB, the limit for loading in the browser" in body
    assert "manage.py load_police_uk" in body
    assert "Choose the file to load" not in body and "This field is required" not in body
    assert "<title>Error:" in body
    assert selectors.loads_by_kind() == []


def test_the_form_checks_the_size_itself_when_the_upload_handler_lets_a_file_through(client, admin, settings):
    settings.FILE_UPLOAD_HANDLERS = ["django.core.files.uploadhandler.MemoryFileUploadHandler"]
    settings.DOCUMENT_MAX_BYTES = 1000
    client.force_login(admin)
    upload = SimpleUploadedFile("lsoa.csv", LSOA_CSV.encode() * 10, content_type="text/csv")
    body = client.post(reverse("evidence:upload"), {"kind": "mps", "file": upload}).content.decode()
    assert "The selected file must be smaller than 1,000 bytes" in body
    assert selectors.loads_by_kind() == []


def test_an_upload_without_a_file_still_asks_for_one(client, admin):
    client.force_login(admin)
    body = client.post(reverse("evidence:upload"), {"kind": "mps"}).content.decode()
    assert "Choose the file to load" in body and "smaller than" not in body


def test_an_upload_with_a_very_long_name_loads(client, admin, django_capture_on_commit_callbacks):
    from vrhub.jobs.models import Job

    client.force_login(admin)
    name = "é" * 120 + ".csv"  # 244 characters, 484 bytes: too long for a file name on disk
    upload = SimpleUploadedFile(name, LSOA_CSV.encode(), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("evidence:upload"), {"kind": "mps", "file": upload})
    assert response.status_code == 302
    job = Job.objects.get()
    assert job.state == "succeeded", job.error
    assert job.result["summary"].startswith(name + ":")  # the name as given, not as shortened on disk
    assert [r["rows"] for r in selectors.loads_by_kind()] == [5]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: selectors.area_get(code="E" * 13), "An area code is at most 12 characters; this one has 13"),
        (lambda: selectors.measure_get(name="m" * 201), "A measure name is at most 200 characters; this one has 201"),
        (lambda: selectors.parse_period("2023-01:2023-012"), "A period is at most 15 characters; this one has 16"),
    ],
    ids=["area", "measure", "period"],
)
def test_selectors_name_their_limits(call, message):
    with pytest.raises(selectors.EvidenceError) as caught:
        call()
    assert str(caught.value) == message


def test_cite_page_names_the_limit(client, editor, write):
    load_mps(paths=[write("lsoa.csv", LSOA_CSV)])
    client.force_login(editor)
    response = client.get(
        reverse("evidence_cite"), {"area": "E09000016", "measure": "x" * 5000, "period": "2023-01:2023-02"}
    )
    assert response.status_code == 400
    assert "A measure name is at most 200 characters; this one has 5000" in response.content.decode()


def test_trend_form_names_its_limits(client, editor, write):
    load_mps(paths=[write("lsoa.csv", LSOA_CSV)])
    client.force_login(editor)
    body = client.get(
        reverse("evidence:trend"),
        {"area": "E12000007", "other_area": "E" * 40, "measure": "mps:ROBBERY", "period": "2" * 20, "baseline": "x"},
    ).content.decode()
    assert "Ensure this value has at most 12 characters (it has 40)." in body
    assert "Ensure this value has at most 15 characters (it has 20)." in body


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--months", "100000"], "--months is 1 to 600, not 100000"),
        (["--per-month", "10000000"], "--per-month is 0 to 100000, not 10000000"),
    ],
)
def test_generate_istv_names_its_limits(tmp_path, args, message):
    with pytest.raises(CommandError) as caught:
        call_command("generate_istv", "--out", str(tmp_path / "x.csv"), *args)
    assert str(caught.value) == message
    assert not (tmp_path / "x.csv").exists()
