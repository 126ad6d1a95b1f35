"""Data sharing's pages: what each person sees and may do, forms that name the field, words not codes."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.duty import factories as f
from tests.duty.matrix_sharing import POST_DATA
from tests.factories import UserFactory
from vrhub.accounts.models import User
from vrhub.duty.models import Disclosure, InformationRequest, SharingAgreement

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
HAVERING = "E09000016"


@pytest.fixture
def partnership(havering, london):
    return f.PartnershipFactory(area=havering, vru=london)


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_registers_warn_in_words_of_an_overdue_review(client, editor, partnership):
    f.SharingAgreementFactory(partnership=partnership, title="Old agreement", review_on=TODAY - dt.timedelta(days=2))
    f.SharingAgreementFactory(partnership=partnership, title="New agreement", review_on=TODAY + dt.timedelta(days=300))
    client.force_login(editor)
    text = _text(client.get(reverse("duty:sharing", args=[HAVERING])))
    assert "Warning 1 agreement overdue for review." in text
    assert f"Overdue Review was due on {TODAY - dt.timedelta(days=2):%-d %B %Y} (2 days ago)" in text
    assert "public_task" not in text and "UK GDPR Article 6(1)(e): public task" in text
    assert "Add an agreement" in text and "Make an information request" not in text


def test_a_viewer_sees_the_registers_without_the_buttons(client, havering, partnership):
    f.SharingAgreementFactory(partnership=partnership)
    client.force_login(UserFactory(organisation=havering, role=User.Role.BOROUGH_VIEWER))
    text = _text(client.get(reverse("duty:sharing", args=[HAVERING])))
    assert "A&amp;E assault data sharing" in text
    assert "Add an agreement" not in text and "Log a disclosure" not in text


def test_each_post_of_the_permission_matrix_succeeds_for_the_editor(client, editor, partnership):
    """The matrix's POST data is valid: a borough editor's posts each make the change (not just a 200)."""
    agreement = f.SharingAgreementFactory(partnership=partnership)
    asked = f.InformationRequestFactory(partnership=partnership)
    client.force_login(editor)
    response = client.post(
        reverse("duty:sharing_agreement_add", args=[HAVERING]), POST_DATA["sharing_agreement_add_post"]
    )
    assert response.status_code == 302
    assert SharingAgreement.objects.filter(partnership=partnership, title="Youth service referrals").exists()
    client.post(
        reverse("duty:sharing_agreement_edit", args=[HAVERING, agreement.pk]), POST_DATA["sharing_agreement_edit_post"]
    )
    agreement.refresh_from_db()
    assert agreement.title == "Renamed agreement"
    response = client.post(
        reverse("duty:sharing_disclosure_add", args=[HAVERING]), POST_DATA["sharing_disclosure_add_post"]
    )
    assert response.status_code == 302 and Disclosure.objects.filter(partnership=partnership).count() == 1
    client.post(reverse("duty:sharing_request_answer", args=[HAVERING, asked.pk]), POST_DATA["sharing_request_answer"])
    asked.refresh_from_db()
    assert asked.state == "answered"
    other = f.InformationRequestFactory(partnership=partnership)
    client.post(reverse("duty:sharing_request_refuse", args=[HAVERING, other.pk]), POST_DATA["sharing_request_refuse"])
    other.refresh_from_db()
    assert (other.state, other.refusal_reason) == ("refused", "data_protection")
    client.post(reverse("duty:sharing_agreement_remove", args=[HAVERING, agreement.pk]))
    assert not SharingAgreement.objects.filter(pk=agreement.pk).exists()


def test_the_policing_bodys_request_post_makes_a_request(client, mopac_officer, partnership):
    client.force_login(mopac_officer)
    response = client.post(reverse("duty:sharing_request_add", args=[HAVERING]), POST_DATA["sharing_request_add_post"])
    made = InformationRequest.objects.get(partnership=partnership)
    assert response.status_code == 302 and response["Location"].endswith(f"/requests/{made.pk}/")
    assert (made.addressed_to, made.requested_by, made.due_on) == (
        "Local authority",
        mopac_officer,
        dt.date(2026, 2, 2),
    )


def test_a_bad_agreement_form_names_the_fields_and_saves_nothing(client, editor, partnership):
    client.force_login(editor)
    data = {**POST_DATA["sharing_agreement_add_post"], "parties": "Only us", "review_on": "2027-02-30"}
    response = client.post(reverse("duty:sharing_agreement_add", args=[HAVERING]), data)
    assert response.status_code == 200
    text = _text(response)
    assert "There is a problem" in text and "Review date must be a real date" in text
    assert not SharingAgreement.objects.exists()
    response = client.post(reverse("duty:sharing_agreement_add", args=[HAVERING]), {**data, "review_on": "2027-06-01"})
    assert "Enter at least 2 lines in parties, one per line" in _text(response)
    assert not SharingAgreement.objects.exists()


def test_an_unconfirmed_disclosure_is_refused_with_the_law(client, editor, partnership):
    client.force_login(editor)
    data = {k: v for k, v in POST_DATA["sharing_disclosure_add_post"].items() if k != "not_health"}
    response = client.post(reverse("duty:sharing_disclosure_add", args=[HAVERING]), data)
    assert response.status_code == 200
    assert "Section 16(4)(a) and (b) of the Police, Crime, Sentencing and Courts Act 2022" in _text(response)
    assert not Disclosure.objects.exists()


def test_a_second_response_is_refused_on_the_page(client, editor, partnership):
    asked = f.InformationRequestFactory(partnership=partnership)
    client.force_login(editor)
    url = reverse("duty:sharing_request_answer", args=[HAVERING, asked.pk])
    client.post(url, POST_DATA["sharing_request_answer"])
    response = client.post(url, {"answer-responded_on": "2026-09-01", "answer-answer": "Changed my mind"}, follow=True)
    text = _text(response)
    assert "already answered on 15 August 2026: a request gets one response" in text
    asked.refresh_from_db()
    assert asked.answer == "Sent on 15 August"
    assert "Record the answer" not in text  # no form once answered


def test_a_refusal_without_a_reason_shows_the_error_on_the_page(client, editor, partnership):
    asked = f.InformationRequestFactory(partnership=partnership)
    client.force_login(editor)
    data = {"refuse-responded_on": "2026-08-02", "refuse-refusal_detail": "No"}
    response = client.post(reverse("duty:sharing_request_refuse", args=[HAVERING, asked.pk]), data)
    assert response.status_code == 200
    assert "Choose the legal reason for the refusal" in _text(response)
    assert 'href="#id_refuse-refusal_reason' in response.content.decode()  # the summary links to the field
    asked.refresh_from_db()
    assert asked.state == "open"


def test_the_request_page_shows_the_refusal_reason_in_words(client, mopac_officer, editor, partnership):
    asked = f.InformationRequestFactory(partnership=partnership)
    client.force_login(editor)
    client.post(reverse("duty:sharing_request_refuse", args=[HAVERING, asked.pk]), POST_DATA["sharing_request_refuse"])
    client.force_login(mopac_officer)
    text = _text(client.get(reverse("duty:sharing_request", args=[HAVERING, asked.pk])))
    assert "It would contravene the data protection legislation" in text
    assert "data_protection" not in text and "Refused on 15 August 2026" in text
    assert "Record the answer" not in text


def test_the_policing_body_cannot_answer_on_the_page(client, mopac_officer, partnership):
    asked = f.InformationRequestFactory(partnership=partnership)
    client.force_login(mopac_officer)
    text = _text(client.get(reverse("duty:sharing_request", args=[HAVERING, asked.pk])))
    assert "Record the answer" not in text and "The partnership's editors record the answer" in text
    response = client.post(
        reverse("duty:sharing_request_answer", args=[HAVERING, asked.pk]), POST_DATA["sharing_request_answer"]
    )
    assert response.status_code == 403
    asked.refresh_from_db()
    assert asked.state == "open"


def test_the_policing_bodys_page_lists_every_monitored_areas_requests(
    client, mopac_officer, partnership, lambeth, london
):
    theirs = f.PartnershipFactory(area=lambeth, vru=london)
    f.InformationRequestFactory(partnership=theirs, due_on=TODAY - dt.timedelta(days=5), request="Lambeth ask")
    f.InformationRequestFactory(partnership=partnership, due_on=TODAY + dt.timedelta(days=30), request="Havering ask")
    client.force_login(mopac_officer)
    response = client.get(reverse("duty:requests"))
    text = _text(response)
    assert "2 requests across the areas you monitor: 2 awaiting a response (1 overdue), 0 answered, 0 refused." in text
    assert text.index("Lambeth ask") < text.index("Havering ask")  # overdue first
    assert "Overdue Awaiting a response: it was due on" in text
    response = client.get(reverse("duty:requests"), {"area": HAVERING})
    assert response["Location"] == reverse("duty:sharing_request_add", args=[HAVERING])


def test_a_borough_cannot_open_the_policing_bodys_page(client, editor):
    client.force_login(editor)
    assert client.get(reverse("duty:requests")).status_code == 403


def test_another_policing_body_cannot_reach_londons_requests(client, partnership):
    from vrhub.organisations.models import Organisation

    other_vru = Organisation.objects.create(kind=Organisation.Kind.VRU, code="VRU-X", name="Other VRU")
    pcc = Organisation.objects.create(
        kind=Organisation.Kind.POLICING_BODY, code="PCC-X", name="Other PCC", vru=other_vru
    )
    f.InformationRequestFactory(partnership=partnership, request="London only")
    client.force_login(UserFactory(organisation=pcc, role=User.Role.POLICING_BODY))
    response = client.get(reverse("duty:requests"))
    assert response.status_code == 200 and "London only" not in _text(response)
    assert client.get(reverse("duty:requests"), {"area": HAVERING}).status_code == 404
    assert client.get(reverse("duty:sharing", args=[HAVERING])).status_code == 404


def test_a_synthetic_partnerships_registers_say_so(client, editor, partnership):
    partnership.synthetic = True
    partnership.save()
    client.force_login(editor)
    assert "Synthetic demo data, not a real partnership's record." in _text(
        client.get(reverse("duty:sharing", args=[HAVERING]))
    )


def test_the_remove_page_says_before_the_click_when_an_agreement_cannot_go(client, editor, partnership):
    cited = f.SharingAgreementFactory(partnership=partnership)
    f.DisclosureFactory(partnership=partnership, agreement=cited)
    free = f.SharingAgreementFactory(partnership=partnership, title="Unused")
    client.force_login(editor)
    text = _text(client.get(reverse("duty:sharing_agreement_remove", args=[HAVERING, cited.pk])))
    assert "It cannot be removed: the disclosure log records 1 disclosure made under it." in text
    assert "Remove the agreement" not in text
    text = _text(client.get(reverse("duty:sharing_agreement_remove", args=[HAVERING, free.pk])))
    assert "Remove the agreement" in text and "It cannot be removed" not in text
