"""Who sees and changes a partnership's Duty records."""

import pytest
from django.core.exceptions import PermissionDenied

from tests.duty.factories import (
    AssessmentFactory,
    ConsultationFactory,
    InformationRequestFactory,
    PartnershipFactory,
    SharingAgreementFactory,
    StrategyFactory,
)
from tests.factories import UserFactory
from vrhub.accounts.models import User
from vrhub.core.exceptions import NotFound
from vrhub.duty.selectors import access
from vrhub.organisations.models import Organisation


@pytest.fixture
def lambeth(london):
    return Organisation.objects.get(code="E09000022")


@pytest.fixture
def people(london, havering, lambeth):
    mopac = Organisation.objects.get(code="MOPAC")
    other_vru = Organisation.objects.create(kind=Organisation.Kind.VRU, code="VRU-X", name="Other VRU")
    other_pcc = Organisation.objects.create(
        kind=Organisation.Kind.POLICING_BODY, code="PCC-X", name="Other PCC", vru=other_vru
    )
    return {
        "editor": UserFactory(organisation=havering, role=User.Role.BOROUGH_EDITOR),
        "viewer": UserFactory(organisation=havering, role=User.Role.BOROUGH_VIEWER),
        "other_editor": UserFactory(organisation=lambeth, role=User.Role.BOROUGH_EDITOR),
        "reviewer": UserFactory(organisation=london, role=User.Role.VRU_REVIEWER),
        "mopac": UserFactory(organisation=mopac, role=User.Role.POLICING_BODY),
        "other_vru": UserFactory(organisation=other_vru, role=User.Role.VRU_ADMIN),
        "other_pcc": UserFactory(organisation=other_pcc, role=User.Role.POLICING_BODY),
        "ea_commander": UserFactory(
            organisation=havering.bcu, role=User.Role.SIGNATORY, office=User.Office.BCU_COMMANDER
        ),
    }


@pytest.fixture
def partnerships(london, havering, lambeth):
    return {
        "havering": PartnershipFactory(area=havering, vru=london),
        "lambeth": PartnershipFactory(area=lambeth, vru=london),
        "footprint": PartnershipFactory(area=london, vru=london),
    }


def _codes(user):
    return set(access.partnerships_visible_to(user=user).values_list("area__code", flat=True))


@pytest.mark.django_db
def test_visibility(people, partnerships):
    assert _codes(people["editor"]) == {"E09000016"}
    assert _codes(people["viewer"]) == {"E09000016"}
    assert _codes(people["other_editor"]) == {"E09000022"}
    assert _codes(people["reviewer"]) == {"E09000016", "E09000022", "VRU-LDN"}
    assert _codes(people["mopac"]) == {"E09000016", "E09000022", "VRU-LDN"}
    assert _codes(people["other_vru"]) == set()
    assert _codes(people["other_pcc"]) == set()
    assert "E09000016" in _codes(people["ea_commander"]) and "E09000022" not in _codes(people["ea_commander"])


@pytest.mark.django_db
def test_who_changes_what(people, partnerships):
    editable = {
        name: set(access.partnerships_editable_by(user=u).values_list("area__code", flat=True))
        for name, u in people.items()
    }
    assert editable["editor"] == {"E09000016"}
    assert editable["reviewer"] == {"VRU-LDN"}
    for name in ("viewer", "other_vru", "mopac", "other_pcc", "ea_commander"):
        assert editable[name] == set(), name
    assert access.user_can_request_information(user=people["mopac"], partnership=partnerships["havering"])
    assert not access.user_can_request_information(user=people["other_pcc"], partnership=partnerships["havering"])
    assert not access.user_can_request_information(user=people["reviewer"], partnership=partnerships["havering"])


@pytest.mark.django_db
def test_fetch_helpers_hide_other_boroughs_records(people, partnerships):
    hav, lam = partnerships["havering"], partnerships["lambeth"]
    objects = {
        "assessment_get_for_user": AssessmentFactory(partnership=lam),
        "strategy_get_for_user": StrategyFactory(partnership=lam),
        "agreement_get_for_user": SharingAgreementFactory(partnership=lam),
        "information_request_get_for_user": InformationRequestFactory(partnership=lam),
        "consultation_get_for_user": ConsultationFactory(authority__partnership=lam),
    }
    for helper, obj in objects.items():
        fetch = getattr(access, helper)
        # Lambeth's object, asked for under Lambeth's code or Havering's: hidden from Havering's editor.
        for code in ("E09000022", "E09000016"):
            with pytest.raises(NotFound):
                fetch(user=people["editor"], code=code, pk=obj.pk)
        assert fetch(user=people["other_editor"], code="E09000022", pk=obj.pk, edit=True) == obj
        assert fetch(user=people["reviewer"], code="E09000022", pk=obj.pk) == obj
        with pytest.raises(PermissionDenied):
            fetch(user=people["reviewer"], code="E09000022", pk=obj.pk, edit=True)
        with pytest.raises(NotFound):
            fetch(user=people["other_vru"], code="E09000022", pk=obj.pk)
    with pytest.raises(NotFound):
        access.partnership_get_for_user(user=people["editor"], code="E09000022")
    assert access.partnership_get_for_user(user=people["editor"], code="E09000016", edit=True) == hav
    with pytest.raises(PermissionDenied):
        access.partnership_get_for_user(user=people["viewer"], code="E09000016", edit=True)


@pytest.mark.django_db
def test_inactive_users_see_nothing(people, partnerships):
    people["reviewer"].is_active = False
    assert _codes(people["reviewer"]) == set()
