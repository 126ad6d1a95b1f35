"""The areas page: a VRU admin sees their areas and the unassigned ones by force, takes and gives back areas."""

import re

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from vrhub.accounts.models import User
from vrhub.organisations.models import Organisation

pytestmark = pytest.mark.django_db
URL = "/organisations/areas/"


def codes(html: str, attribute: str) -> list[str]:
    return re.findall(rf'{attribute}="([^"]+)"', html)


def test_the_page_lists_the_vrus_areas_and_the_unassigned_ones_by_force(client, wm_admin, unassigned, london):
    client.force_login(wm_admin)
    html = client.get(URL).content.decode()
    own = codes(html.split('data-testid="own-areas"')[1].split("</table>")[0], "data-area")
    assert sorted(own) == sorted(
        Organisation.objects.filter(kind="area", vru=wm_admin.organisation).values_list("code", flat=True)
    )
    assert len(own) == 7
    assert codes(html, "data-force") == ["E23000032", "E23000015"]  # Kent, Staffordshire: by name
    boxes = codes(html, 'name="area" type="checkbox" value')
    assert sorted(boxes) == sorted(unassigned), "only unassigned areas can be chosen; no London borough"
    assert "Take all 3 areas of Staffordshire" in html
    # Filtered to one force.
    html = client.get(URL, {"force": "E23000015"}).content.decode()
    assert codes(html, "data-force") == ["E23000015"]
    assert sorted(codes(html, 'name="area" type="checkbox" value')) == ["E22000263", "E22000270", "E22000271"]


def test_take_all_of_a_force_then_the_new_areas_show_no_bcu_set(client, wm_admin, unassigned):
    client.force_login(wm_admin)
    response = client.post(URL, {"take_force": "E23000015"})
    assert response.status_code == 302
    mine = set(
        Organisation.objects.filter(vru=wm_admin.organisation, police_force__code="E23000015").values_list(
            "code", flat=True
        )
    )
    assert mine == {"E22000263", "E22000270", "E22000271"}
    html = client.get(URL).content.decode()
    assert (
        "3 areas assigned to West Midlands Violence Reduction Partnership: Cannock Chase, Stoke-on-Trent, Tamworth."
        in html
    )
    assert html.count('govuk-tag--grey">No BCU set') == 3
    assert "Take all" in html and "Staffordshire" not in html.split('id="unassigned"')[1]


def test_selected_areas_are_assigned_and_nothing_selected_is_an_error(client, wm_admin, unassigned):
    client.force_login(wm_admin)
    assert client.post(URL, {"area": ["E22000143"]}).status_code == 302
    assert Organisation.objects.get(code="E22000143").vru == wm_admin.organisation
    response = client.post(URL, {})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html and "Select at least one area to assign." in html
    assert "<title>Error: " in html


@pytest.mark.parametrize(
    "data",
    [
        {"area": ["E09000016"]},
        {"area": ["E22000270", "E09000016"]},
        {"area": ["E99999999"]},
        {"take_force": "E09000016"},
    ],
)
def test_a_crafted_code_of_another_vrus_area_is_not_found(client, wm_admin, unassigned, london, data):
    client.force_login(wm_admin)
    assert client.post(URL, data).status_code == 404
    assert Organisation.objects.get(code="E09000016").vru == london
    assert Organisation.objects.get(code="E22000270").vru is None


def test_give_back_an_area_or_be_told_why_not(client, wm_admin, unassigned, london):
    client.force_login(wm_admin)
    client.post(URL, {"area": ["E22000143"]})
    response = client.post(reverse("organisations:area_release", args=["E22000143"]), follow=True)
    assert (
        "Medway is no longer one of West Midlands Violence Reduction Partnership&#x27;s areas."
        in response.content.decode()
    )
    assert Organisation.objects.get(code="E22000143").vru is None
    UserFactory(organisation=Organisation.objects.get(code="E22000335"), role=User.Role.BOROUGH_EDITOR)
    response = client.post(reverse("organisations:area_release", args=["E22000335"]), follow=True)
    assert "Birmingham cannot be released: it has 1 user." in response.content.decode()
    assert Organisation.objects.get(code="E22000335").vru == wm_admin.organisation
    # Another VRU's area: not found, and untouched.
    assert client.post(reverse("organisations:area_release", args=["E09000022"])).status_code == 404
    assert Organisation.objects.get(code="E09000022").vru == london


@pytest.mark.parametrize("role", [User.Role.VRU_REVIEWER, User.Role.BOROUGH_EDITOR, User.Role.POLICING_BODY])
def test_only_vru_admins_see_the_page(client, west_midlands, unassigned, role):
    org = {
        User.Role.VRU_REVIEWER: "VRU-WMD",
        User.Role.BOROUGH_EDITOR: "E22000335",
        User.Role.POLICING_BODY: "PCC-WMD",
    }[role]
    client.force_login(UserFactory(organisation=Organisation.objects.get(code=org), role=role))
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"take_force": "E23000015"}).status_code == 403
    assert client.post(reverse("organisations:area_release", args=["E22000335"])).status_code == 403
    assert not Organisation.objects.filter(code__in=unassigned, vru__isnull=False).exists()


def test_the_account_page_links_the_areas_page_for_vru_admins(client, wm_admin):
    client.force_login(wm_admin)
    assert f'href="{URL}"' in client.get(reverse("accounts:account")).content.decode()


def test_the_london_view_and_plan_page_cope_with_an_area_without_a_bcu(client, template_2021, unassigned, london):
    admin = UserFactory(organisation=london, role=User.Role.VRU_ADMIN)
    client.force_login(admin)
    client.post(URL, {"area": ["E22000143"]})
    medway = Organisation.objects.get(code="E22000143")
    assert (medway.vru, medway.bcu) == (london, None)
    html = client.get(reverse("dashboard:overview", args=[2021])).content.decode()
    assert 'data-area="E22000143"' in html
    editor = UserFactory(organisation=medway, role=User.Role.BOROUGH_EDITOR)
    client.force_login(editor)
    from vrhub.plans.services import plan_create

    plan = plan_create(area=medway, template=template_2021, user=editor).plan
    html = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert 'Police BCU</dt><dd class="govuk-summary-list__value">Not recorded' in html
