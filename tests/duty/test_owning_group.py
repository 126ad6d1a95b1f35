"""The Duty link: a partnership names the governance group that owns it (``owning_group``); the old name as
text is kept where no group matches; only the area's own groups may be named."""

import importlib
import re

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.duty.factories import PartnershipFactory
from tests.governance import factories as gf
from vrhub.core.models import AuditEntry
from vrhub.duty.models import Partnership
from vrhub.duty.selectors.readiness import area_readiness
from vrhub.duty.services import partnership as services
from vrhub.organisations.models import Organisation

pytestmark = pytest.mark.django_db

migration = importlib.import_module("vrhub.duty.migrations.0003_owning_group")


@pytest.fixture
def lambeth(london):
    return Organisation.objects.get(code="E09000022")


@pytest.fixture
def boards(havering, lambeth):
    return {
        "havering": gf.GroupFactory(owner=havering, slug="havering-csp", name="Safer Havering Partnership Board"),
        "lambeth": gf.GroupFactory(owner=lambeth, slug="lambeth-csp", name="Safer Lambeth Partnership Board"),
    }


def test_data_migration_links_matching_names_and_keeps_the_others(boards, havering, lambeth, london):
    matched = PartnershipFactory(area=havering, governance_group="  safer HAVERING partnership board ")
    # Lambeth's text names Havering's board: not Lambeth's group, so the text is kept.
    foreign = PartnershipFactory(area=lambeth, governance_group="Safer Havering Partnership Board")
    camden = Organisation.objects.get(code="E09000007")
    unknown = PartnershipFactory(area=camden, governance_group="Camden Safety Board")
    migration.link_groups(django_apps, None)
    for p in (matched, foreign, unknown):
        p.refresh_from_db()
    assert matched.owning_group == boards["havering"] and matched.governance_group == ""
    assert foreign.owning_group is None and foreign.governance_group == "Safer Havering Partnership Board"
    assert unknown.owning_group is None and unknown.governance_group == "Camden Safety Board"
    # Backwards: the linked group's name goes back into the text.
    migration.unlink_groups(django_apps, None)
    matched.refresh_from_db()
    assert matched.governance_group == "Safer Havering Partnership Board"


def test_readiness_accepts_a_linked_group_or_a_name(boards, havering):
    p = PartnershipFactory(area=havering, governance_group="")
    element = "partnership.governance_group"
    assert element in [m.element for m in area_readiness(area=havering).missing]
    Partnership.objects.filter(pk=p.pk).update(owning_group=boards["havering"])
    assert element not in [m.element for m in area_readiness(area=havering).missing]
    Partnership.objects.filter(pk=p.pk).update(owning_group=None, governance_group="Safer Havering Board")
    assert element not in [m.element for m in area_readiness(area=havering).missing]


def test_service_names_the_areas_group_audited_and_refuses_another_boroughs(boards, havering, editor):
    p = PartnershipFactory(area=havering)
    changes = services.partnership_update(partnership=p, user=editor, data={"owning_group": boards["havering"]})
    assert changes["owning_group"] == ("", "Safer Havering Partnership Board")
    p.refresh_from_db()
    assert p.owning_group == boards["havering"] and p.version == 2
    entry = AuditEntry.objects.filter(object_id=str(p.pk), field="owning_group").latest("pk")
    assert entry.new == "Safer Havering Partnership Board"
    with pytest.raises(ValidationError) as exc:
        services.partnership_update(partnership=p, user=editor, data={"owning_group": boards["lambeth"]})
    assert "owning_group" in exc.value.message_dict
    p.refresh_from_db()
    assert p.owning_group == boards["havering"] and p.version == 2  # nothing written


def test_form_offers_only_the_areas_groups_and_refuses_another(client, boards, havering, editor):
    p = PartnershipFactory(area=havering, governance_group="")
    client.force_login(editor)
    page = client.get(reverse("duty:partnership_bodies", args=[havering.code])).content.decode()
    select = re.search(r'<select[^>]*name="owning_group".*?</select>', page, flags=re.S).group(0)
    assert "Safer Havering Partnership Board" in select and "Safer Lambeth Partnership Board" not in select
    data = {"lead_body": "London Borough of Havering", "version": p.version}
    response = client.post(
        reverse("duty:partnership_bodies", args=[havering.code]), data | {"owning_group": boards["lambeth"].pk}
    )
    assert response.status_code == 200 and "Choose one of the area" in response.content.decode()
    p.refresh_from_db()
    assert p.owning_group is None
    response = client.post(
        reverse("duty:partnership_bodies", args=[havering.code]), data | {"owning_group": boards["havering"].pk}
    )
    assert response.status_code == 302
    p.refresh_from_db()
    assert p.owning_group == boards["havering"]
    # The partnership page links to the group's page.
    page = client.get(reverse("duty:partnership", args=[havering.code])).content.decode()
    assert reverse("governance:group", args=["havering-csp"]) in page
