"""Monitoring returns' pages: a programme's returns with the year's reach, entering a quarter's return, and the
spreadsheet import (template, upload, preview, confirm once)."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import UserFactory
from tests.programmes import factories as f
from vrhub.accounts.models import User
from vrhub.programmes.models import MonitoringReturn
from vrhub.programmes.selectors.returns import return_version
from vrhub.programmes.services.returns_import import COLUMNS

pytestmark = pytest.mark.django_db
HEADER = ",".join(COLUMNS)


def _text(response) -> str:
    return " ".join(response.content.decode().split())


@pytest.fixture
def hav(programmes_world):
    return programmes_world["havering_programme"]


def test_the_returns_page_shows_each_quarter_and_the_years_reach(client, editor, hav):
    # Q1 (the world's): 40 direct, 120 indirect, 10-14: 15, 15-17: 25, £12,000. Q2: direct not reported.
    f.MonitoringReturnFactory(
        programme=hav,
        year=2020,
        quarter=2,
        reached_direct=None,
        reached_indirect=80,
        reached_by_age={},
        spend_to_date=Decimal("61000.00"),
    )
    client.force_login(editor)
    text = _text(client.get(reverse("programmes:returns", args=[hav.pk])))
    assert "People reached directly in 2020/21 </dt>" not in text
    assert 'data-testid="reach-direct">40 people<' in text  # 40 + not reported: the sum of those that did
    assert 'data-testid="reach-indirect">200 people<' in text  # 120 + 80
    assert "10 to 14: 15; 15 to 17: 25" in text
    assert "Some quarters did not report how many people were reached" in text
    assert "£61,000.00 of £60,000.00" in text
    assert "Above the year's amount" in text
    assert text.count("Not reported") >= 2  # Q2's direct count and its age bands, never 0
    assert 'Change<span class="govuk-visually-hidden"> the return for Q2 2020/21' in text


def test_a_complete_year_does_not_say_quarters_are_missing(client, editor, hav):
    client.force_login(editor)
    text = _text(client.get(reverse("programmes:returns", args=[hav.pk])))
    assert "Some quarters did not report" not in text
    assert 'data-testid="reach-direct">40 people<' in text


def test_a_viewer_sees_the_returns_without_change_links(client, hav, havering):
    viewer = UserFactory(organisation=havering, role=User.Role.BOROUGH_VIEWER)
    client.force_login(viewer)
    text = _text(client.get(reverse("programmes:returns", args=[hav.pk])))
    assert "You can look at these returns but not change them." in text
    assert "Change<span" not in text


def test_a_synthetic_programme_is_labelled(client, editor, hav):
    hav.synthetic = True
    hav.save()
    client.force_login(editor)
    assert "Synthetic demo data" in _text(client.get(reverse("programmes:returns", args=[hav.pk])))


def test_entering_a_return_saves_and_warns_above_the_years_amount(client, editor, hav):
    client.force_login(editor)
    url = reverse("programmes:return_edit", args=[hav.pk, 2020, 2])
    response = client.post(
        url,
        {"reached_direct": "20", "reached_indirect": "", "age_10_14": "12", "spend_to_date": "70000", "version": ""},
        follow=True,
    )
    found = MonitoringReturn.objects.get(programme=hav, year=2020, quarter=2)
    assert (found.reached_direct, found.reached_indirect, found.reached_by_age) == (20, None, {"10_14": 12})
    text = _text(response)
    assert "Return for Q2 2020/21 saved." in text
    assert "more than the programme&#x27;s amount for 2020/21 (£60,000.00)" in text


def test_a_bad_return_shows_the_error_on_its_field(client, editor, hav):
    client.force_login(editor)
    url = reverse("programmes:return_edit", args=[hav.pk, 2020, 2])
    response = client.post(url, {"reached_direct": "5", "age_15_17": "6", "spend_to_date": "100", "version": ""})
    assert response.status_code == 400
    text = _text(response)
    assert 'href="#id_age_under_10">The age bands add up to 6 people, more than the 5 people reached directly' in text
    assert "less than Q1&#x27;s (£12,000.00)" in text
    assert not MonitoringReturn.objects.filter(programme=hav, quarter=2).exists()


def test_a_stale_return_form_is_refused(client, editor, hav):
    client.force_login(editor)
    url = reverse("programmes:return_edit", args=[hav.pk, 2020, 1])
    response = client.post(url, {"reached_direct": "41", "spend_to_date": "12000", "version": "stale"})
    assert response.status_code == 400
    assert "changed by someone else" in _text(response)
    assert MonitoringReturn.objects.get(programme=hav, quarter=1).reached_direct == 40


def test_a_quarter_outside_the_programmes_dates_is_flagged(client, editor, hav):
    client.force_login(editor)
    response = client.get(reverse("programmes:return_edit", args=[hav.pk, 2021, 4]))
    assert "starts after the programme ended on 31 March 2021" in _text(response)
    response = client.post(
        reverse("programmes:return_edit", args=[hav.pk, 2021, 4]), {"reached_direct": "1", "version": ""}
    )
    assert response.status_code == 400
    assert not MonitoringReturn.objects.filter(programme=hav, year=2021).exists()


@pytest.mark.parametrize(("year", "quarter"), [(2020, 5), (2020, 0), (1999, 1), (2101, 1)])
def test_no_such_quarter_is_404(client, editor, hav, year, quarter):
    client.force_login(editor)
    assert client.get(reverse("programmes:return_edit", args=[hav.pk, year, quarter])).status_code == 404


def test_the_template_lists_the_columns_an_example_and_the_editors_programmes(client, editor, hav):
    client.force_login(editor)
    response = client.get(reverse("programmes:returns_template"))
    assert response["Content-Disposition"] == 'attachment; filename="monitoring-returns-template.xlsx"'
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Returns", "Guide", "Programmes"]
    rows = list(book["Returns"].iter_rows(values_only=True))
    assert list(rows[0]) == list(COLUMNS)
    assert rows[1][:3] == ("EXAMPLE", "2020/21", "Q1")
    listed = [row[0] for row in book["Programmes"].iter_rows(min_row=2, values_only=True)]
    assert listed == ["HAV-1"]  # not the VRU's LDN-1, which Havering sees but cannot change
    guide = {row[0]: row[1] for row in book["Guide"].iter_rows(min_row=2, values_only=True) if row[0]}
    assert set(COLUMNS) <= set(guide)


def _upload(client, content: bytes, name="returns.csv"):
    return client.post(reverse("programmes:returns_import"), {"file": SimpleUploadedFile(name, content)})


ROW = "HAV-1,2020/21,Q2,50,100,,20,,,,,Sessions,20000"


def test_upload_preview_confirm_once(client, editor, hav):
    client.force_login(editor)
    response = _upload(client, f"{HEADER}\n{ROW}\n".encode())
    text = _text(response)
    assert response.status_code == 200
    assert "1 new return, 0 returns to change, 0 returns unchanged." in text
    assert "HAV-1: Programme HAV-1" in text
    token = response.context["token"]
    fingerprint = response.context["preview"].fingerprint
    confirm = reverse("programmes:returns_import_confirm")
    response = client.post(confirm, {"token": token, "fingerprint": fingerprint}, follow=True)
    assert "Returns imported: 1 new return, 0 returns changed." in _text(response)
    assert MonitoringReturn.objects.get(programme=hav, quarter=2).reached_direct == 50
    MonitoringReturn.objects.filter(programme=hav, quarter=2).delete()
    response = client.post(confirm, {"token": token, "fingerprint": fingerprint}, follow=True)
    assert "That upload has expired or was already used" in _text(response)
    assert not MonitoringReturn.objects.filter(programme=hav, quarter=2).exists()


def test_confirm_after_the_returns_changed_is_refused(client, editor, hav):
    client.force_login(editor)
    response = _upload(client, f"{HEADER}\n{ROW.replace('Q2', 'Q1')}\n".encode())
    text = _text(response)
    assert "People reached directly: was 40, now 50" in text
    assert "Age bands: was 10 to 14: 15; 15 to 17: 25, now 10 to 14: 20" in text
    MonitoringReturn.objects.filter(programme=hav, quarter=1).update(reached_direct=41)
    response = client.post(
        reverse("programmes:returns_import_confirm"),
        {"token": response.context["token"], "fingerprint": response.context["preview"].fingerprint},
        follow=True,
    )
    assert "changed since you checked the file, so nothing was saved" in _text(response)
    assert MonitoringReturn.objects.get(programme=hav, quarter=1).reached_direct == 41


def test_cancel_saves_nothing(client, editor, hav):
    client.force_login(editor)
    response = _upload(client, f"{HEADER}\n{ROW}\n".encode())
    response = client.post(
        reverse("programmes:returns_import_confirm"), {"token": response.context["token"], "cancel": "1"}, follow=True
    )
    assert "Import cancelled" in _text(response)
    assert not MonitoringReturn.objects.filter(programme=hav, quarter=2).exists()


def test_a_refused_file_lists_its_problems(client, editor, hav):
    client.force_login(editor)
    response = _upload(client, f"{HEADER}\n{ROW.replace(',50,', ',fifty,')}\n".encode())
    assert response.status_code == 400
    assert "Line 2, column 4 (reached_direct): Enter the number of people reached directly" in _text(response)


def test_another_boroughs_editor_cannot_import_havering_returns(client, lambeth_editor, hav):
    client.force_login(lambeth_editor)
    response = _upload(client, f"{HEADER}\n{ROW}\n".encode())
    assert response.status_code == 400
    assert "&#x27;HAV-1&#x27; is not a programme you can enter returns for" in _text(response)
    assert not MonitoringReturn.objects.filter(programme=hav, quarter=2).exists()


@pytest.mark.parametrize(
    ("role", "office"), [(User.Role.BOROUGH_VIEWER, ""), (User.Role.SIGNATORY, User.Office.CHIEF_EXECUTIVE)]
)
def test_people_who_change_nothing_cannot_upload(client, havering, hav, role, office):
    client.force_login(UserFactory(organisation=havering, role=role, office=office))
    assert _upload(client, f"{HEADER}\n{ROW}\n".encode()).status_code == 403
    assert client.get(reverse("programmes:returns_template")).status_code == 403


def test_mopac_cannot_upload(client, mopac_officer, hav):
    client.force_login(mopac_officer)
    assert _upload(client, f"{HEADER}\n{ROW}\n".encode()).status_code == 403
    assert not MonitoringReturn.objects.filter(programme=hav, quarter=2).exists()


def test_the_form_carries_the_version_it_was_loaded_with(client, editor, hav):
    client.force_login(editor)
    response = client.get(reverse("programmes:return_edit", args=[hav.pk, 2020, 1]))
    current = MonitoringReturn.objects.get(programme=hav, quarter=1)
    assert f'value="{return_version(monitoring_return=current)}"' in response.content.decode()
