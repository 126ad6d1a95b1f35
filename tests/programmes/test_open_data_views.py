"""The signed-in open data page: everyone in or with a VRU previews what its open data will be and whether it
validates; only VRU admins change the funder profile (its POST, role by role, since no matrix kind fits)."""

import pandas as pd
import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tests.programmes.open_data_world import profile
from vrhub.accounts.models import User
from vrhub.organisations.models import Organisation
from vrhub.programmes.models import FunderProfile, ProgrammeAmount
from vrhub.programmes.selectors.open_data import funder_profile_version

pytestmark = pytest.mark.django_db
URL = "/programmes/open-data/"


def _user(code, role):
    return UserFactory(organisation=Organisation.objects.get(code=code), role=role)


def test_the_url_is_named_open_data():
    assert reverse("programmes:open_data") == URL


def test_an_admin_previews_the_grants_and_the_validation(client, programmes_world, london, vru_officer):
    profile(london)
    client.force_login(vru_officer)
    response = client.get(URL + "?year=2020")
    assert response.status_code == 200
    text = response.content.decode()
    assert "360G-londonvru-LDN-1-2020" in text
    assert "360G-londonvru-LDN-2-2020" in text
    assert "360G-londonvru-HAV-1-2020" not in text
    assert "Valid</strong>" in text
    # The count and total, independently with pandas over the VRU's own published programmes' 2020 amounts.
    rows = pd.DataFrame(
        list(
            ProgrammeAmount.objects.filter(
                year=2020, programme__vru=london, programme__owner=london, programme__published=True
            ).values("programme_id", "amount")
        )
    )
    assert f"{rows['programme_id'].nunique()} grants totalling £{rows['amount'].sum():,.2f}" in text
    assert rows["programme_id"].nunique() == 2
    assert 'name="grant_prefix"' in text


def test_without_a_profile_the_page_says_nothing_is_published(client, programmes_world, london, vru_officer):
    client.force_login(vru_officer)
    text = client.get(URL).content.decode()
    assert "No funder profile: set one up first" in text
    assert "Set up the funder profile" in text


@pytest.mark.parametrize(
    ("code", "role"),
    [
        ("VRU-LDN", User.Role.VRU_REVIEWER),
        ("MOPAC", User.Role.POLICING_BODY),
        ("E09000016", User.Role.BOROUGH_EDITOR),
    ],
)
def test_others_look_but_have_no_form(client, programmes_world, london, code, role):
    profile(london)
    client.force_login(_user(code, role))
    response = client.get(URL)
    assert response.status_code == 200
    assert 'name="grant_prefix"' not in response.content.decode()
    assert "Only the admins of" in response.content.decode()


def test_an_admin_changes_the_prefix_and_the_preview_uses_it(client, programmes_world, london, vru_officer):
    existing = profile(london)
    client.force_login(vru_officer)
    data = {
        "org_identifier": "GB-GOR-PB123",
        "funder_name": "London VRU",
        "grant_prefix": "360G-ldnvru",
        "version": funder_profile_version(existing),
    }
    response = client.post(URL + "?year=2020", data)
    assert response.status_code == 302
    existing.refresh_from_db()
    assert existing.grant_prefix == "360G-ldnvru"
    text = client.get(response["Location"]).content.decode()
    assert "360G-ldnvru-LDN-1-2020" in text


def test_a_bad_prefix_is_shown_as_an_error_and_not_saved(client, programmes_world, london, vru_officer):
    existing = profile(london)
    client.force_login(vru_officer)
    data = {"org_identifier": "GB-GOR-PB123", "funder_name": "London VRU", "grant_prefix": "londonvru"}
    response = client.post(URL, {**data, "version": funder_profile_version(existing)})
    assert response.status_code == 200
    assert "must start 360G-" in response.content.decode()
    assert "govuk-error-summary" in response.content.decode()
    existing.refresh_from_db()
    assert existing.grant_prefix == "360G-londonvru"


POST_EXPECTED = {
    ("VRU-LDN", User.Role.VRU_ADMIN): 302,
    ("VRU-LDN", User.Role.VRU_REVIEWER): 403,
    ("MOPAC", User.Role.POLICING_BODY): 403,
    ("E09000016", User.Role.BOROUGH_EDITOR): 403,
    ("E09000016", User.Role.BOROUGH_VIEWER): 403,
    ("E09000022", User.Role.BOROUGH_EDITOR): 403,
    ("VRU-X", User.Role.VRU_ADMIN): 302,  # its own VRU's profile, never London's
}


@pytest.mark.parametrize(("who", "status"), list(POST_EXPECTED.items()))
def test_the_post_role_by_role(client, programmes_world, london, who, status):
    Organisation.objects.create(kind=Organisation.Kind.VRU, code="VRU-X", name="Other VRU")
    client.force_login(_user(*who))
    data = {"org_identifier": "GB-GOR-PB9", "funder_name": "Funder", "grant_prefix": "360G-posted"}
    response = client.post(URL, data)
    assert response.status_code == status
    london_changed = FunderProfile.objects.filter(vru=london, grant_prefix="360G-posted").exists()
    assert london_changed is (who == ("VRU-LDN", User.Role.VRU_ADMIN))


def test_anonymous_is_sent_to_sign_in(client):
    response = client.post(URL, {})
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_someone_outside_any_vru_gets_404(client, london):
    from vrhub.organisations.models import Organisation as Org

    partner = Org.objects.create(kind=Org.Kind.PARTNER, code="PARTNER-1", name="A partner")
    client.force_login(UserFactory(organisation=partner, role=User.Role.BOROUGH_VIEWER))
    assert client.get(URL).status_code == 404


@pytest.mark.parametrize("year", ["²", "9" * 30, "-1", "2020\x00", "1999", "abcd", "２０２０"])
def test_a_nonsense_year_shows_the_latest_year(client, programmes_world, london, vru_officer, year):
    profile(london)
    client.force_login(vru_officer)
    response = client.get(URL, {"year": year})
    assert response.status_code == 200
    assert "What will be published for 2020/21" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/public/%00/grants/",
        "/public/%3Cscript%3E/grants/2020.json",
        f"/public/VRU-LDN/grants/{'9' * 25}.json",
        f"/public/{'X' * 300}/grants/2020.xlsx",
    ],
)
def test_hostile_public_addresses_are_404(client, programmes_world, london, url):
    profile(london)
    assert client.get(url).status_code == 404
