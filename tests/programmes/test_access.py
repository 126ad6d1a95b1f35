"""The one access rule, read directly: who sees which budget and programme."""

import pytest

from tests.factories import UserFactory
from vrhub.accounts.models import User
from vrhub.core.exceptions import NotFound
from vrhub.programmes.selectors import access


@pytest.mark.django_db
def test_havering_sees_its_own_the_vrus_and_london_wide_but_not_lambeths(programmes_world, editor):
    seen = set(access.programmes_visible_to(user=editor).values_list("reference", flat=True))
    assert seen == {"LDN-1", "HAV-1"}
    budgets = {b.owner.code for b in access.budgets_visible_to(user=editor)}
    assert budgets == {"VRU-LDN", "E09000016"}


@pytest.mark.django_db
def test_lambeth_sees_the_programme_serving_it(programmes_world, lambeth_editor):
    seen = set(access.programmes_visible_to(user=lambeth_editor).values_list("reference", flat=True))
    assert seen == {"LDN-1", "LDN-2", "LAM-1"}


@pytest.mark.django_db
def test_the_vru_and_mopac_see_everything_of_london(programmes_world, vru_officer, mopac_officer):
    for user in (vru_officer, mopac_officer):
        assert access.programmes_visible_to(user=user).count() == 4
        assert access.budgets_visible_to(user=user).count() == 3
    assert access.programmes_editable_by(user=mopac_officer).count() == 0
    assert set(access.programmes_editable_by(user=vru_officer).values_list("reference", flat=True)) == {
        "LDN-1",
        "LDN-2",
    }


@pytest.mark.django_db
def test_fetching_another_boroughs_budget_is_not_found(programmes_world, editor):
    with pytest.raises(NotFound):
        access.budget_get_for_user(user=editor, code="E09000022", year=2020)
    with pytest.raises(NotFound):
        access.budget_get_for_user(user=editor, code="E09000016\x00", year=2020)
    assert access.budget_get_for_user(user=editor, code="E09000016", year=2020).owner.code == "E09000016"


@pytest.mark.django_db
def test_an_inactive_user_sees_nothing(programmes_world, editor):
    user = UserFactory(organisation=editor.organisation, role=User.Role.BOROUGH_EDITOR, is_active=False)
    assert access.programmes_visible_to(user=user).count() == 0
    assert access.budgets_visible_to(user=user).count() == 0


@pytest.mark.django_db
def test_a_london_wide_programme_of_another_vru_is_not_seen_by_londons_boroughs(
    programmes_world, editor, lambeth_editor, vru_officer
):
    from tests.programmes import factories as f
    from vrhub.organisations.models import Organisation

    other = Organisation.objects.create(kind=Organisation.Kind.VRU, code="VRU-Y", name="Other VRU")
    f.ProgrammeFactory(owner=other, vru=other, reference="OTH-1", all_areas=True)
    for user in (editor, lambeth_editor, vru_officer):
        assert "OTH-1" not in set(access.programmes_visible_to(user=user).values_list("reference", flat=True))
    assert set(access.programmes_visible_to(user=editor).values_list("reference", flat=True)) == {"LDN-1", "HAV-1"}
    admin = UserFactory(organisation=other, role=User.Role.VRU_ADMIN)
    assert set(access.programmes_visible_to(user=admin).values_list("reference", flat=True)) == {"OTH-1"}
