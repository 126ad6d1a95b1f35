"""The partnership pages through the browser's door: set-up, changes, errors on the page, read-only people,
other boroughs, and a VRU footprint."""

import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from tests.duty import factories as f
from tests.duty import matrix_partnership
from tests.factories import UserFactory
from vrhub.accounts.models import User
from vrhub.core.models import AuditEntry
from vrhub.duty.catalogue import AuthorityKind
from vrhub.duty.models import Consultation, Partnership, RelevantAuthority, SpecifiedAuthority
from vrhub.organisations.models import Organisation

pytestmark = pytest.mark.django_db
H = "E09000016"


def url(name, *args):
    return reverse(f"duty:{name}", args=[H, *args])


def user(code, role, **kwargs):
    return UserFactory(organisation=Organisation.objects.get(code=code), role=role, **kwargs)


@pytest.fixture
def viewer(havering):
    return user(H, User.Role.BOROUGH_VIEWER)


@pytest.fixture
def partnership(havering, london):
    return f.PartnershipFactory(area=havering, vru=london)


def test_an_editor_sets_up_the_partnership_from_its_page(client, editor, havering):
    client.force_login(editor)
    body = client.get(url("partnership")).content.decode()
    mopac = Organisation.objects.get(code="MOPAC").name
    assert f'value="{escape(mopac)}"' in body  # the VRU's local policing body, offered
    response = client.post(url("partnership_bodies"), {"lead_body": "", "local_policing_body": mopac})
    assert response.status_code == 200 and "Enter the lead body" in response.content.decode()
    assert not Partnership.objects.exists()
    response = client.post(
        url("partnership_bodies"), {"lead_body": "London Borough of Havering", "local_policing_body": mopac}
    )
    assert response.status_code == 302 and response["Location"] == url("partnership")
    p = Partnership.objects.get(area=havering)
    assert (p.lead_body, p.local_policing_body, p.synthetic) == ("London Borough of Havering", mopac, False)
    body = client.get(url("partnership")).content.decode()
    assert body.count('data-testid="kind-state">Missing<') == len(AuthorityKind)


def test_a_viewer_sees_no_forms_and_is_refused_changes(client, viewer, partnership):
    client.force_login(viewer)
    body = client.get(url("partnership")).content.decode()
    assert "Add an organisation" not in body and "Change<" not in body
    before = AuditEntry.objects.count()
    data = {"kind": "fire", "organisation": "LFB", "lead_name": "Alex Fire"}
    assert client.post(url("partnership_authority_add"), data).status_code == 403
    assert client.post(url("partnership_bodies"), {"lead_body": "X"}).status_code == 403
    assert not SpecifiedAuthority.objects.exists() and AuditEntry.objects.count() == before


def test_a_viewer_of_an_area_not_set_up_is_told_so_without_a_form(client, viewer, havering):
    client.force_login(viewer)
    body = client.get(url("partnership")).content.decode()
    assert "has not set up its Serious Violence Duty partnership yet" in body and 'name="lead_body"' not in body
    assert client.post(url("partnership_bodies"), {"lead_body": "X"}).status_code == 403
    assert not Partnership.objects.exists()


def test_another_borough_cannot_tell_the_partnership_exists(client, partnership):
    client.force_login(user("E09000022", User.Role.BOROUGH_EDITOR))
    authority = f.SpecifiedAuthorityFactory(partnership=partnership)
    for name, args in (("partnership", []), ("partnership_bodies", []), ("partnership_authority", [authority.pk])):
        assert client.get(url(name, *args)).status_code == 404, name
    assert client.post(url("partnership_authority_add"), {"kind": "fire"}).status_code == 404


def test_leads_are_shown_on_the_signed_in_page_only(client, partnership, mopac_officer):
    f.SpecifiedAuthorityFactory(partnership=partnership, lead_name="Pat Police", lead_email="pat@example.org")
    client.force_login(mopac_officer)
    body = client.get(url("partnership")).content.decode()
    assert "Pat Police" in body and "pat@example.org" in body and "Add an organisation" not in body
    client.logout()
    response = client.get(url("partnership"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_duplicate_authority_is_refused_on_the_page(client, editor, partnership):
    f.SpecifiedAuthorityFactory(partnership=partnership, kind=AuthorityKind.FIRE, organisation="London Fire Brigade")
    client.force_login(editor)
    response = client.post(
        url("partnership_authority_add"), {"kind": "fire", "organisation": "London fire brigade", "lead_name": "Alex"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "London fire brigade is already in the partnership as the fire and rescue authority" in body
    assert 'class="govuk-error-summary"' in body
    assert SpecifiedAuthority.objects.filter(partnership=partnership).count() == 1


def test_removing_a_relevant_authority_says_its_consultations_go_too(client, editor, partnership):
    consultation = f.ConsultationFactory(authority=f.RelevantAuthorityFactory(partnership=partnership))
    client.force_login(editor)
    relevant = consultation.authority
    body = client.get(url("partnership_relevant_remove", relevant.pk)).content.decode()
    assert "Its 1 consultation record will be removed too." in body
    response = client.post(url("partnership_relevant_remove", relevant.pk), follow=True)
    assert f"{relevant.organisation} removed with 1 consultation record." in response.content.decode()
    assert not RelevantAuthority.objects.exists() and not Consultation.objects.exists()


def test_vru_staff_set_up_their_footprint_choosing_its_areas(client, london):
    admin = user("VRU-LDN", User.Role.VRU_ADMIN)
    client.force_login(admin)
    body = client.get(reverse("duty:partnership", args=[london.code])).content.decode()
    offered = set(re.findall(r'name="covers" type="checkbox" value="(\d+)"', body))
    assert offered == {
        str(pk) for pk in Organisation.objects.filter(kind="area", vru=london).values_list("pk", flat=True)
    }
    lambeth, havering = Organisation.objects.get(code="E09000022"), Organisation.objects.get(code=H)
    response = client.post(
        reverse("duty:partnership_bodies", args=[london.code]),
        {"lead_body": "London VRU", "covers": [lambeth.pk, havering.pk]},
    )
    assert response.status_code == 302
    p = Partnership.objects.get(area=london)
    assert set(p.covers.all()) == {lambeth, havering}
    body = client.get(reverse("duty:partnership", args=[london.code])).content.decode()
    assert "2 areas: Havering, Lambeth" in body


def test_every_matrix_post_is_a_valid_change_for_the_editor(client, duty_world, editor):
    """The matrix's POST data really changes Havering's records (a redirect), not a form shown again."""
    urls = matrix_partnership.URLS
    for name in [n for n in urls if urls[n][0] == "post"]:
        client.force_login(editor)
        data = matrix_partnership.POST_DATA.get(name, {})
        data = data(duty_world) if callable(data) else data
        response = client.post(urls[name][1](duty_world), data)
        assert response.status_code == 302, (name, response.content.decode()[:2000])
