import pytest

from tests.factories import UserFactory
from vrhub.accounts.models import User
from vrhub.core.exceptions import NotFound
from vrhub.organisations.models import Organisation
from vrhub.organisations.selectors import area_get_for_user, areas_editable_by, areas_visible_to

pytestmark = pytest.mark.django_db


def org(code):
    return Organisation.objects.get(code=code)


def test_vru_staff_see_their_vrus_areas_only(london):
    other_vru = Organisation.objects.create(kind="vru", code="VRU-X", name="Other VRU")
    Organisation.objects.create(kind="area", code="E08000001", name="Elsewhere", vru=other_vru)
    reviewer = UserFactory(organisation=london, role=User.Role.VRU_REVIEWER)
    assert areas_visible_to(user=reviewer).count() == 32
    assert not areas_editable_by(user=reviewer).exists()


def test_borough_users_see_their_own_area(london):
    editor = UserFactory(organisation=org("E09000016"), role=User.Role.BOROUGH_EDITOR)
    viewer = UserFactory(organisation=org("E09000016"), role=User.Role.BOROUGH_VIEWER)
    assert list(areas_visible_to(user=editor)) == [org("E09000016")]
    assert list(areas_editable_by(user=editor)) == [org("E09000016")]
    assert list(areas_visible_to(user=viewer)) == [org("E09000016")]
    assert not areas_editable_by(user=viewer).exists()
    with pytest.raises(NotFound, match="No such area"):
        area_get_for_user(user=editor, code="E09000022")


def test_bcu_commander_sees_every_area_of_the_bcu(london):
    commander = UserFactory(organisation=org("MPS-EA"), role=User.Role.SIGNATORY, office=User.Office.BCU_COMMANDER)
    assert sorted(a.name for a in areas_visible_to(user=commander)) == ["Barking and Dagenham", "Havering", "Redbridge"]


def test_user_without_role_or_inactive_sees_nothing(london):
    nobody = UserFactory(organisation=org("E09000016"), role="")
    inactive = UserFactory(organisation=org("E09000016"), is_active=False)
    assert not areas_visible_to(user=nobody).exists()
    assert not areas_visible_to(user=inactive).exists()
