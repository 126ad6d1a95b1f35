import pytest
from django.urls import reverse

from tests.factories import UserFactory, VruFactory
from tests.reports.conftest import LEAD_NAME, docx_text, pdf_text
from vrhub.accounts.models import User
from vrhub.plans.services import template_create_from_content

pytestmark = pytest.mark.django_db

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def test_urls():
    assert reverse("reports:scrutiny", args=[7, "pdf"]) == "/plans/7/report.pdf"
    assert reverse("reports:london", args=[2021, "docx"]) == "/reports/london/2021.docx"


def test_borough_editor_downloads_the_scrutiny_pdf(client, reported_plan, editor, tmp_path):
    client.force_login(editor)
    response = client.get(reverse("reports:scrutiny", args=[reported_plan.pk, "pdf"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="E09000016-2021-scrutiny.pdf"'
    assert "no-store" in response["Cache-Control"]
    text = pdf_text(response.content, tmp_path)
    assert "Havering" in text and "Changes since last quarter" in text
    assert LEAD_NAME not in text


def test_borough_editor_downloads_the_scrutiny_docx(client, reported_plan, editor):
    client.force_login(editor)
    response = client.get(reverse("reports:scrutiny", args=[reported_plan.pk, "docx"]))
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    assert response["Content-Disposition"] == 'attachment; filename="E09000016-2021-scrutiny.docx"'
    assert "Havering" in docx_text(response.content)


def test_another_boroughs_editor_gets_404(client, plan, lambeth_editor):
    client.force_login(lambeth_editor)
    assert client.get(reverse("reports:scrutiny", args=[plan.pk, "pdf"])).status_code == 404


@pytest.mark.parametrize("fmt", ["html", "PDF", "xlsx", "pdf.exe"])
def test_bad_format_is_404(client, plan, editor, vru_reviewer, fmt):
    client.force_login(editor)
    assert client.get(f"/plans/{plan.pk}/report.{fmt}").status_code == 404
    client.force_login(vru_reviewer)
    assert client.get(f"/reports/london/2021.{fmt}").status_code == 404


def test_anonymous_is_sent_to_sign_in(client, plan):
    for url in [reverse("reports:scrutiny", args=[plan.pk, "pdf"]), reverse("reports:london", args=[2021, "pdf"])]:
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]


def test_vru_reviewer_downloads_the_london_summary(client, reported_plan, vru_reviewer, tmp_path):
    client.force_login(vru_reviewer)
    response = client.get(reverse("reports:london", args=[2021, "pdf"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="VRU-LDN-2021-london.pdf"'
    text = pdf_text(response.content, tmp_path)
    assert "London summary" in text and "Havering" in text
    response = client.get(reverse("reports:london", args=[2021, "docx"]))
    assert response.status_code == 200 and response["Content-Type"] == DOCX


def test_vru_user_may_read_a_borough_report(client, plan, vru_reviewer):
    client.force_login(vru_reviewer)
    assert client.get(reverse("reports:scrutiny", args=[plan.pk, "docx"])).status_code == 200


def test_london_summary_unknown_year_is_404(client, london, vru_reviewer):
    client.force_login(vru_reviewer)
    assert client.get(reverse("reports:london", args=[1999, "pdf"])).status_code == 404


@pytest.mark.parametrize("role", [User.Role.BOROUGH_EDITOR, User.Role.BOROUGH_VIEWER])
def test_borough_users_get_403_for_the_london_summary(client, template_2021, havering, role):
    client.force_login(UserFactory(organisation=havering, role=role))
    assert client.get(reverse("reports:london", args=[2021, "pdf"])).status_code == 403


def test_signatory_gets_403_for_the_london_summary(client, template_2021, havering):
    user = UserFactory(organisation=havering, role=User.Role.SIGNATORY, office=User.Office.CHIEF_EXECUTIVE)
    client.force_login(user)
    assert client.get(reverse("reports:london", args=[2021, "pdf"])).status_code == 403


def test_another_vrus_staff_see_only_their_own_summary(client, template_2021, reported_plan, tmp_path):
    other = VruFactory(code="VRU-WM", name="West Midlands VRU")
    template_create_from_content(vru=other, year=2021, title="WM 2021", themes=[], published=True)
    client.force_login(UserFactory(organisation=other, role=User.Role.VRU_ADMIN))
    response = client.get(reverse("reports:london", args=[2021, "pdf"]))
    assert response.status_code == 200
    text = pdf_text(response.content, tmp_path)
    assert "West Midlands VRU" in text and "Havering" not in text
    assert client.get(reverse("reports:scrutiny", args=[reported_plan.pk, "pdf"])).status_code == 404
