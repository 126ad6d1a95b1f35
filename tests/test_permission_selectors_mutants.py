"""Who may see and change which areas, plans, documents, tokens and sign-ins: the permission selectors pinned
down where mutation testing found them loose (docs/mutation-testing.md)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from tests.factories import UserFactory
from vrhub.accounts import selectors as accounts
from vrhub.accounts.models import SignInEvent, User
from vrhub.core.exceptions import NotFound
from vrhub.organisations.models import Organisation
from vrhub.organisations.selectors import area_get_for_user, areas_editable_by, areas_visible_to
from vrhub.plans import selectors as plans
from vrhub.plans.models import Plan, SupportingDocument
from vrhub.plans.services import document_add, plan_create
from vrhub.transparency.services import api_token_issue

pytestmark = pytest.mark.django_db

Role = User.Role


def org(code: str) -> Organisation:
    return Organisation.objects.get(code=code)


def codes(areas) -> set[str]:
    return set(areas.values_list("code", flat=True))


@pytest.fixture
def elsewhere(london):
    """Another VRU with one area and one BCU of its own."""
    vru = Organisation.objects.create(kind="vru", code="VRU-X", name="Other VRU")
    bcu = Organisation.objects.create(kind="bcu", code="BCU-X", name="Other BCU", vru=vru)
    Organisation.objects.create(kind="area", code="E08000001", name="Elsewhere", vru=vru, bcu=bcu)
    return vru


# Areas ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.VRU_ADMIN, Role.VRU_REVIEWER])
def test_vru_staff_see_exactly_their_vrus_boroughs(london, elsewhere, role):
    user = UserFactory(organisation=london, role=role)
    visible = areas_visible_to(user=user)
    assert visible.count() == 32
    assert all(a.kind == Organisation.Kind.AREA and a.vru_id == london.pk for a in visible)
    assert "E08000001" not in codes(visible)


@pytest.mark.parametrize("role", [Role.VRU_ADMIN, Role.VRU_REVIEWER, Role.SIGNATORY])
def test_vru_or_signatory_role_at_the_wrong_kind_of_organisation_sees_nothing(london, role):
    at_partner = Organisation.objects.create(kind="partner", code="P-1", name="Charity", vru=london)
    office = User.Office.CHIEF_EXECUTIVE if role == Role.SIGNATORY else ""
    assert not areas_visible_to(user=UserFactory(organisation=at_partner, role=role, office=office)).exists()
    if role != Role.SIGNATORY:
        assert not areas_visible_to(user=UserFactory(organisation=org("E09000016"), role=role)).exists()


@pytest.mark.parametrize("role", [Role.BOROUGH_EDITOR, Role.BOROUGH_VIEWER])
def test_borough_staff_see_their_own_borough_only_and_nothing_from_a_vru_desk(london, role):
    assert codes(areas_visible_to(user=UserFactory(organisation=org("E09000016"), role=role))) == {"E09000016"}
    assert not areas_visible_to(user=UserFactory(organisation=london, role=role)).exists()
    assert not areas_visible_to(user=UserFactory(organisation=org("MPS-EA"), role=role)).exists()


def test_signatories_see_the_borough_or_bcu_they_sign_for(london, elsewhere):
    ceo = UserFactory(organisation=org("E09000016"), role=Role.SIGNATORY, office=User.Office.CHIEF_EXECUTIVE)
    assert codes(areas_visible_to(user=ceo)) == {"E09000016"}
    commander = UserFactory(organisation=org("MPS-EA"), role=Role.SIGNATORY, office=User.Office.BCU_COMMANDER)
    assert codes(areas_visible_to(user=commander)) == {"E09000002", "E09000016", "E09000026"}
    other = UserFactory(organisation=org("BCU-X"), role=Role.SIGNATORY, office=User.Office.BCU_COMMANDER)
    assert codes(areas_visible_to(user=other)) == {"E08000001"}


def test_the_anonymous_and_the_organisationless_see_nothing(london):
    assert not areas_visible_to(user=AnonymousUser()).exists()
    assert not areas_visible_to(user=User(organisation=None, role=Role.VRU_ADMIN)).exists()
    assert not areas_editable_by(user=AnonymousUser()).exists()


def test_an_inactive_vru_admin_sees_nothing(london):
    assert not areas_visible_to(user=UserFactory(organisation=london, role=Role.VRU_ADMIN, is_active=False)).exists()


@pytest.mark.parametrize(
    "role", [Role.BOROUGH_VIEWER, Role.VRU_ADMIN, Role.VRU_REVIEWER, Role.SIGNATORY, ""], ids=lambda r: r or "none"
)
def test_only_borough_editors_edit_and_only_their_own_borough(london, role):
    editor = UserFactory(organisation=org("E09000016"), role=Role.BOROUGH_EDITOR)
    assert codes(areas_editable_by(user=editor)) == {"E09000016"}
    office = User.Office.CHIEF_EXECUTIVE if role == Role.SIGNATORY else ""
    assert not areas_editable_by(user=UserFactory(organisation=org("E09000016"), role=role, office=office)).exists()
    assert not areas_editable_by(user=UserFactory(organisation=london, role=role, office=office)).exists()
    inactive = UserFactory(organisation=org("E09000016"), role=Role.BOROUGH_EDITOR, is_active=False)
    assert not areas_editable_by(user=inactive).exists()


def test_area_get_for_user_finds_visible_areas_and_hides_the_rest(london):
    viewer = UserFactory(organisation=org("E09000016"), role=Role.BOROUGH_VIEWER)
    assert area_get_for_user(user=viewer, code="E09000016") == org("E09000016")
    for code in ("E09000022", "E92000001", "no-such"):
        with pytest.raises(NotFound):
            area_get_for_user(user=viewer, code=code)


# Plans and documents ------------------------------------------------------------------------------


@pytest.fixture
def plans_2021(template_2021, havering, editor):
    """Havering's draft, Redbridge's accepted plan, Newham's submitted plan (same VRU)."""
    redbridge = plan_create(area=org("E09000026"), template=template_2021, user=None).plan
    Plan.objects.filter(pk=redbridge.pk).update(state=Plan.State.ACCEPTED)
    newham = plan_create(area=org("E09000025"), template=template_2021, user=None).plan
    Plan.objects.filter(pk=newham.pk).update(state=Plan.State.SUBMITTED)
    own = plan_create(area=havering, template=template_2021, user=editor).plan
    return {"own": own, "accepted_peer": redbridge, "submitted_peer": newham}


def pks(qs) -> set[int]:
    return set(qs.values_list("pk", flat=True))


@pytest.mark.parametrize("role", [Role.BOROUGH_EDITOR, Role.BOROUGH_VIEWER])
def test_borough_staff_see_their_plan_and_only_accepted_peer_plans(plans_2021, role):
    user = UserFactory(organisation=org("E09000016"), role=role)
    visible = plans.plans_visible_to(user=user)
    assert pks(visible) == {plans_2021["own"].pk, plans_2021["accepted_peer"].pk}
    assert visible.count() == 2


def test_signatories_and_vru_staff_do_not_get_peer_plans(plans_2021, london):
    ceo = UserFactory(organisation=org("E09000016"), role=Role.SIGNATORY, office=User.Office.CHIEF_EXECUTIVE)
    assert pks(plans.plans_visible_to(user=ceo)) == {plans_2021["own"].pk}
    reviewer = UserFactory(organisation=london, role=Role.VRU_REVIEWER)
    assert pks(plans.plans_visible_to(user=reviewer)) == {p.pk for p in plans_2021.values()}
    assert not plans.plans_visible_to(user=AnonymousUser()).exists()


def test_another_vrus_accepted_plans_are_not_peers(plans_2021, elsewhere):
    from vrhub.plans.services import template_create_from_content
    from vrhub.plans.templates import london_template

    template = template_create_from_content(
        vru=elsewhere, year=2021, title="Other", themes=london_template().themes_2021, published=True
    )
    far = plan_create(area=org("E08000001"), template=template, user=None).plan
    Plan.objects.filter(pk=far.pk).update(state=Plan.State.ACCEPTED)
    user = UserFactory(organisation=org("E09000016"), role=Role.BOROUGH_VIEWER)
    assert far.pk not in pks(plans.plans_visible_to(user=user))


def test_own_plan_edit_rights_follow_the_borough_and_the_state(plans_2021, editor):
    own, peer = plans_2021["own"], plans_2021["accepted_peer"]
    viewer = UserFactory(organisation=org("E09000016"), role=Role.BOROUGH_VIEWER)
    assert plans.is_own_plan(user=editor, plan=own) and plans.is_own_plan(user=viewer, plan=own)
    assert not plans.is_own_plan(user=editor, plan=peer)
    assert plans.user_can_edit_area(user=editor, plan=own)
    assert not plans.user_can_edit_area(user=viewer, plan=own)
    assert not plans.user_can_edit_area(user=editor, plan=peer)
    assert plans.user_can_edit_plan(user=editor, plan=own)
    assert not plans.user_can_edit_plan(user=viewer, plan=own)
    assert not plans.user_can_edit_plan(user=editor, plan=peer)
    own.state = Plan.State.SUBMITTED
    assert not plans.user_can_edit_plan(user=editor, plan=own)
    assert plans.user_can_edit_area(user=editor, plan=own)


def test_plan_get_for_user_404s_what_is_hidden_and_403s_what_is_read_only(plans_2021, editor):
    own, peer, hidden = plans_2021["own"], plans_2021["accepted_peer"], plans_2021["submitted_peer"]
    assert plans.plan_get_for_user(user=editor, pk=own.pk) == own
    assert plans.plan_get_for_user(user=editor, pk=own.pk, edit=True) == own
    assert plans.plan_get_for_user(user=editor, pk=peer.pk) == peer
    with pytest.raises(PermissionDenied):
        plans.plan_get_for_user(user=editor, pk=peer.pk, edit=True)
    viewer = UserFactory(organisation=org("E09000016"), role=Role.BOROUGH_VIEWER)
    with pytest.raises(PermissionDenied):
        plans.plan_get_for_user(user=viewer, pk=own.pk, edit=True)
    for pk in (hidden.pk, 10**9):
        with pytest.raises(NotFound):
            plans.plan_get_for_user(user=editor, pk=pk)


def test_plan_action_get_for_user_keeps_to_the_plan(plans_2021, editor):
    own, peer = plans_2021["own"], plans_2021["accepted_peer"]
    action = own.actions.get(code="GOV-M1")
    assert plans.plan_action_get_for_user(user=editor, plan_pk=own.pk, pk=action.pk) == action
    peer_action = peer.actions.get(code="GOV-M1")
    with pytest.raises(NotFound):
        plans.plan_action_get_for_user(user=editor, plan_pk=own.pk, pk=peer_action.pk)
    with pytest.raises(PermissionDenied):
        plans.plan_action_get_for_user(user=editor, plan_pk=peer.pk, pk=peer_action.pk, edit=True)


def test_internal_documents_are_for_the_borough_and_its_vru_only(plans_2021, editor, london):
    own = plans_2021["own"]
    action = own.actions.get(code="GOV-M1")
    public = document_add(action=action, user=editor, title="Terms", url="https://example.org/tor", internal=False)
    internal = document_add(action=action, user=editor, title="Minutes", url="https://example.org/m", internal=True)
    Plan.objects.filter(pk=own.pk).update(state=Plan.State.ACCEPTED)
    own.refresh_from_db()
    reviewer = UserFactory(organisation=london, role=Role.VRU_REVIEWER)
    peer = UserFactory(organisation=org("E09000026"), role=Role.BOROUGH_EDITOR)
    assert pks(plans.documents_visible_to(user=editor, plan=own)) == {public.pk, internal.pk}
    assert pks(plans.documents_visible_to(user=reviewer, plan=own)) == {public.pk, internal.pk}
    assert pks(plans.documents_visible_to(user=peer, plan=own)) == {public.pk}
    other_plan_doc = SupportingDocument.objects.create(
        action=plans_2021["accepted_peer"].actions.get(code="GOV-M1"), title="Elsewhere", url="https://example.org/e"
    )
    assert other_plan_doc.pk not in pks(plans.documents_visible_to(user=reviewer, plan=own))
    got = plans.document_get_for_user(user=peer, plan_pk=own.pk, action_pk=action.pk, pk=public.pk)
    assert got == public
    with pytest.raises(NotFound):
        plans.document_get_for_user(user=peer, plan_pk=own.pk, action_pk=action.pk, pk=internal.pk)
    assert SupportingDocument.objects.count() == 3


def test_a_peer_reading_a_theme_gets_its_actions_without_internal_documents(plans_2021, editor):
    own = plans_2021["own"]
    action = own.actions.get(code="GOV-M1")
    public = document_add(action=action, user=editor, title="Terms", url="https://example.org/tor", internal=False)
    document_add(action=action, user=editor, title="Minutes", url="https://example.org/m", internal=True)
    Plan.objects.filter(pk=own.pk).update(state=Plan.State.ACCEPTED)
    own.refresh_from_db()
    theme = plans.theme_get_for_plan(plan=own, code="GOV")
    peer = UserFactory(organisation=org("E09000026"), role=Role.BOROUGH_EDITOR)
    theirs = {a.code: a for a in plans.plan_actions_for_theme(plan=own, theme=theme, user=peer)}
    ours = {a.code: a for a in plans.plan_actions_for_theme(plan=own, theme=theme, user=editor)}
    assert set(theirs) == set(ours) == set(own.actions.filter(theme=theme).values_list("code", flat=True))
    assert [d.pk for d in theirs["GOV-M1"].documents.all()] == [public.pk]
    assert [d.title for d in ours["GOV-M1"].documents.all()] == ["Terms", "Minutes"]
    with pytest.raises(NotFound):
        plans.theme_get_for_plan(plan=own, code="NOPE")


def test_templates_offered_are_the_users_vrus_published_ones_newest_first(london, elsewhere, template_2021):
    from vrhub.plans.services import template_create_from_content
    from vrhub.plans.templates import london_template

    def make(vru, year, published):
        return template_create_from_content(
            vru=vru, year=year, title=f"{year}", themes=london_template().themes_2021, published=published
        )

    newer = make(london, 2022, True)
    make(london, 2023, False)
    make(elsewhere, 2024, True)
    for user in (
        UserFactory(organisation=org("E09000016"), role=Role.BOROUGH_EDITOR),
        UserFactory(organisation=london, role=Role.VRU_ADMIN),
    ):
        assert list(plans.templates_available_to(user=user)) == [newer, template_2021]
    assert not plans.templates_available_to(user=AnonymousUser()).exists()
    assert not plans.templates_available_to(user=User(organisation=None, role="")).exists()


def test_command_line_tools_find_the_current_plan_of_exactly_that_area_and_year(plans_2021, london):

    from vrhub.plans.services import template_create_from_content
    from vrhub.plans.templates import london_template

    redbridge = plans_2021["accepted_peer"]
    assert plans.current_plan_get(area=" e09000026 ", year=2021) == redbridge
    assert plans.current_plan_get(area="E09000016", year=2021) == plans_2021["own"]
    template_2022 = template_create_from_content(
        vru=london, year=2022, title="2022", themes=london_template().themes_2021, published=True
    )
    plan_2022 = plan_create(area=org("E09000026"), template=template_2022, user=None).plan
    assert plans.current_plan_get(area="E09000026", year=2022) == plan_2022
    assert plans.current_plan_get(area="E09000026", year=2021) == redbridge
    Plan.objects.filter(pk=redbridge.pk).update(is_current=False)
    with pytest.raises(NotFound, match=r"^Redbridge \(E09000026\) has no plan for 2021\.$"):
        plans.current_plan_get(area="E09000026", year=2021)
    with pytest.raises(NotFound, match=r"^Unknown area 'MPS-EA': give the ONS code of a CSP area"):
        plans.current_plan_get(area="MPS-EA", year=2021)
    with pytest.raises(NotFound, match=r"^Unknown area None"):
        plans.current_plan_get(area=None, year=2021)


# Accounts: a VRU admin's reach ---------------------------------------------------------------------


@pytest.fixture
def admin(london):
    return UserFactory(organisation=london, role=Role.VRU_ADMIN)


def test_only_a_vru_admin_with_an_organisation_has_an_admin_vru(london, admin):
    assert accounts.admin_vru(user=admin) == london
    assert accounts.require_admin_vru(user=admin) == london
    for user in (
        UserFactory(organisation=london, role=Role.VRU_REVIEWER),
        UserFactory(organisation=org("E09000016"), role=Role.BOROUGH_EDITOR),
        User(organisation=None, role=Role.VRU_ADMIN),
    ):
        assert accounts.admin_vru(user=user) is None
        with pytest.raises(PermissionDenied):
            accounts.require_admin_vru(user=user)


def test_a_vru_admin_sees_the_tokens_of_the_vru_and_its_boroughs_only(london, elsewhere, admin):
    mine, _ = api_token_issue(user=admin, name="mine")
    borough, _ = api_token_issue(user=UserFactory(organisation=org("E09000016")), name="borough")
    bcu, _ = api_token_issue(
        user=UserFactory(organisation=org("MPS-EA"), role=Role.SIGNATORY, office="bcu_commander"), name="bcu"
    )
    api_token_issue(user=UserFactory(organisation=org("E08000001")), name="far")
    api_token_issue(user=UserFactory(organisation=elsewhere, role=Role.VRU_ADMIN), name="far vru")
    listed = list(accounts.api_tokens_for_vru_admin(admin=admin))
    assert {t.pk for t in listed} == {mine.pk, borough.pk, bcu.pk}
    assert [t.pk for t in listed] == sorted((t.pk for t in listed), reverse=True), "newest first"
    assert list(accounts.api_tokens_of_user(user=admin)) == [mine]
    with pytest.raises(PermissionDenied):
        accounts.api_tokens_for_vru_admin(admin=UserFactory(organisation=london, role=Role.VRU_REVIEWER))


def test_a_token_is_revocable_by_its_owner_and_its_vru_admin_only(london, elsewhere, admin):
    owner = UserFactory(organisation=org("E09000016"))
    token, _ = api_token_issue(user=owner, name="t")
    assert accounts.api_token_for_revoke(user=owner, pk=token.pk) == token
    assert accounts.api_token_for_revoke(user=admin, pk=token.pk) == token
    for stranger in (
        UserFactory(organisation=org("E09000016")),
        UserFactory(organisation=elsewhere, role=Role.VRU_ADMIN),
    ):
        with pytest.raises(NotFound):
            accounts.api_token_for_revoke(user=stranger, pk=token.pk)
    with pytest.raises(NotFound):
        accounts.api_token_for_revoke(user=owner, pk=10**9)


def test_sign_in_events_of_the_vru_only_matched_by_name_newest_first_and_limited(london, elsewhere, admin):
    near = UserFactory(username="hav.someone", organisation=org("E09000016"))
    far = UserFactory(username="far.someone", organisation=org("E08000001"))
    for n in range(3):
        SignInEvent.objects.create(user=near, username="Hav.Someone", outcome="signed_in" if n else "failed")
    SignInEvent.objects.create(user=far, username="far.someone", outcome="signed_in")
    SignInEvent.objects.create(user=None, username="hav.someone", outcome="failed")
    events = accounts.sign_in_events_for_vru_admin(admin=admin)
    assert len(events) == 3 and {e.user for e in events} == {near}
    assert len(accounts.sign_in_events_for_vru_admin(admin=admin, username=" hav.SOMEONE ")) == 3
    assert accounts.sign_in_events_for_vru_admin(admin=admin, username="nobody") == []
    assert len(accounts.sign_in_events_for_vru_admin(admin=admin, limit=2)) == 2
    with pytest.raises(PermissionDenied):
        accounts.sign_in_events_for_vru_admin(admin=near)


# Accounts: the second factor --------------------------------------------------------------------------


@pytest.fixture
def otp_on(settings):
    settings.OTP_REQUIRED_ROLES = ["vru_admin", "signatory"]
    settings.OTP_REQUIRED_FOR_STAFF = True
    settings.DEBUG = False
    settings.VRHUB_DEMO_SKIP_2FA = False
    return settings


def test_who_needs_a_second_factor(london, otp_on):
    assert accounts.user_needs_second_factor(user=UserFactory(organisation=london, role=Role.VRU_ADMIN))
    assert not accounts.user_needs_second_factor(user=UserFactory(organisation=london, role=Role.VRU_REVIEWER))
    staff = UserFactory(organisation=org("E09000016"), role=Role.BOROUGH_VIEWER, is_staff=True)
    assert accounts.user_needs_second_factor(user=staff)
    no_role_staff = User(organisation=None, role="", is_staff=True)
    assert accounts.user_needs_second_factor(user=no_role_staff)
    assert not accounts.user_needs_second_factor(user=User(organisation=None, role=""))
    assert not accounts.user_needs_second_factor(user=AnonymousUser())
    otp_on.OTP_REQUIRED_FOR_STAFF = False
    assert not accounts.user_needs_second_factor(user=staff)
    del otp_on.OTP_REQUIRED_FOR_STAFF
    assert accounts.user_needs_second_factor(user=staff), "staff need one unless the setting says otherwise"


def test_the_demo_switch_skips_the_second_factor_only_with_debug_on(london, otp_on):
    admin = UserFactory(organisation=london, role=Role.VRU_ADMIN)
    otp_on.VRHUB_DEMO_SKIP_2FA = True
    assert accounts.user_needs_second_factor(user=admin) and accounts.user_must_verify(user=admin)
    assert accounts.demo_skip_second_factor() is False
    otp_on.DEBUG = True
    assert accounts.demo_skip_second_factor() is True
    assert not accounts.user_needs_second_factor(user=admin) and not accounts.user_must_verify(user=admin)
    otp_on.VRHUB_DEMO_SKIP_2FA = False
    assert accounts.demo_skip_second_factor() is False
    del otp_on.VRHUB_DEMO_SKIP_2FA
    assert accounts.demo_skip_second_factor() is False


def test_a_person_who_set_up_a_second_factor_must_use_it(london, otp_on):
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    viewer = UserFactory(organisation=org("E09000016"), role=Role.BOROUGH_VIEWER)
    assert not accounts.user_has_second_factor(user=viewer) and not accounts.user_must_verify(user=viewer)
    TOTPDevice.objects.create(user=viewer, name="phone", confirmed=False)
    assert not accounts.user_has_second_factor(user=viewer) and not accounts.user_must_verify(user=viewer)
    TOTPDevice.objects.create(user=viewer, name="phone", confirmed=True)
    assert accounts.user_has_second_factor(user=viewer) and accounts.user_must_verify(user=viewer)
    assert not accounts.user_has_second_factor(user=UserFactory(organisation=org("E09000016")))
    assert not accounts.user_must_verify(user=AnonymousUser())
    assert accounts.backup_codes_left(user=viewer) == 0
    someone_else = StaticDevice.objects.create(
        user=UserFactory(organisation=org("E09000016")), name="backup", confirmed=True
    )
    for token in ("dddd4444", "eeee5555", "ffff6666"):
        someone_else.token_set.create(token=token)
    assert accounts.backup_codes_left(user=viewer) == 0
    unconfirmed = StaticDevice.objects.create(user=viewer, name="backup", confirmed=False)
    unconfirmed.token_set.create(token="aaaa1111")
    assert accounts.backup_codes_left(user=viewer) == 0
    device = StaticDevice.objects.create(user=viewer, name="backup", confirmed=True)
    for token in ("bbbb2222", "cccc3333"):
        device.token_set.create(token=token)
    assert accounts.backup_codes_left(user=viewer) == 2


def test_a_non_admin_is_told_why_the_vru_pages_are_closed(london):
    with pytest.raises(PermissionDenied) as exc:
        accounts.require_admin_vru(user=UserFactory(organisation=london, role=Role.VRU_REVIEWER))
    assert str(exc.value) == "Only a VRU's admins can see this page."


def test_the_sign_in_log_shows_the_latest_200_events_by_default(london, admin):
    near = UserFactory(username="hav.busy", organisation=org("E09000016"))
    SignInEvent.objects.bulk_create([SignInEvent(user=near, username="hav.busy", outcome="failed") for _ in range(201)])
    assert len(accounts.sign_in_events_for_vru_admin(admin=admin)) == 200


def test_a_document_is_fetched_only_through_its_own_action_and_with_the_readers_rights(plans_2021, editor):
    own = plans_2021["own"]
    action, other_action = own.actions.get(code="GOV-M1"), own.actions.get(code="GOV-M2")
    internal = document_add(action=action, user=editor, title="Minutes", url="https://example.org/m", internal=True)
    got = plans.document_get_for_user(user=editor, plan_pk=own.pk, action_pk=action.pk, pk=internal.pk, edit=True)
    assert got == internal, "the borough sees its own internal documents"
    with pytest.raises(NotFound):
        plans.document_get_for_user(user=editor, plan_pk=own.pk, action_pk=other_action.pk, pk=internal.pk)
    viewer = UserFactory(organisation=org("E09000016"), role=Role.BOROUGH_VIEWER)
    assert plans.plan_action_get_for_user(user=viewer, plan_pk=own.pk, pk=action.pk) == action
    assert plans.document_get_for_user(user=viewer, plan_pk=own.pk, action_pk=action.pk, pk=internal.pk) == internal
    with pytest.raises(PermissionDenied) as exc:
        plans.document_get_for_user(user=viewer, plan_pk=own.pk, action_pk=action.pk, pk=internal.pk, edit=True)
    assert str(exc.value) == "You can view this plan but not change it."


def test_plans_of_people_without_peers_load_with_their_area_and_template(plans_2021, london):
    ceo = UserFactory(organisation=org("E09000016"), role=Role.SIGNATORY, office=User.Office.CHIEF_EXECUTIVE)
    reviewer = UserFactory(organisation=london, role=Role.VRU_REVIEWER)
    assert [(p.area.code, p.template.year) for p in plans.plans_visible_to(user=ceo)] == [("E09000016", 2021)]
    assert len(list(plans.plans_visible_to(user=reviewer))) == 3
