"""Template management in the service: a VRU admin builds next year's template from last year's, changes it
while it is a draft, previews and publishes it; every change audited; boroughs start from last year's plan."""

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tests.factories import UserFactory
from tests.plans.conftest import complete_content
from vrhub.accounts.models import User
from vrhub.core.exceptions import NotFound
from vrhub.core.models import AuditEntry
from vrhub.organisations.models import Organisation
from vrhub.plans import selectors
from vrhub.plans.completeness import plan_completeness
from vrhub.plans.models import PlanTemplate, TemplateAction
from vrhub.plans.services import (
    plan_action_update,
    plan_create,
    plan_set_optional_actions,
    template_action_add,
    template_action_retire,
    template_action_update,
    template_create_for_year,
    template_publish,
    template_settings_update,
    template_start_next_year,
    template_theme_add,
    template_theme_update,
)
from vrhub.plans.templates import london_template

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(london):
    return UserFactory(organisation=london, role=User.Role.VRU_ADMIN)


@pytest.fixture
def draft(template_2021, admin):
    return template_start_next_year(source=template_2021, user=admin)


def _entries(obj, field):
    return list(
        AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk), field=field).order_by("id")
    )


def test_next_year_is_a_draft_copy_of_every_theme_and_action_not_retired(template_2021, admin):
    retired = TemplateAction.objects.filter(theme__template=template_2021, kind="optional").order_by("code").first()
    TemplateAction.objects.filter(pk=retired.pk).update(retired=True)
    new = template_start_next_year(source=template_2021, user=admin)
    assert (new.year, new.published, new.based_on) == (2022, False, template_2021)
    assert "2021" in template_2021.title and new.title == template_2021.title.replace("2021", "2022")
    expected = set(
        TemplateAction.objects.filter(theme__template=template_2021, retired=False).values_list("code", "title")
    )
    assert set(TemplateAction.objects.filter(theme__template=new).values_list("code", "title")) == expected
    assert retired.code not in {c for c, _ in expected}
    assert list(new.themes.values_list("code", flat=True)) == list(template_2021.themes.values_list("code", flat=True))
    (created,) = _entries(new, "year")
    assert (created.actor, created.new) == (admin, "2022")
    with pytest.raises(ValidationError, match="already has a template for 2022"):
        template_start_next_year(source=template_2021, user=admin)


def test_only_the_vrus_admins_manage_its_templates(template_2021, admin, editor):
    other_vru = Organisation.objects.create(code="VRU-OTH", kind="vru", name="Another VRU")
    stranger = UserFactory(organisation=other_vru, role=User.Role.VRU_ADMIN)
    reviewer = UserFactory(organisation=template_2021.vru, role=User.Role.VRU_REVIEWER)
    for user in (stranger, reviewer, editor):
        with pytest.raises(PermissionDenied):
            template_start_next_year(source=template_2021, user=user)
    assert not PlanTemplate.objects.filter(year=2022).exists()


def test_draft_changes_are_audited_old_to_new_and_codes_follow_the_rules(draft, admin):
    gov = draft.themes.get(code="GOV")
    mandatory = list(gov.template_actions.filter(kind="mandatory").order_by("order"))
    new = template_action_add(theme=gov, user=admin, kind="mandatory", title="Publish the board's minutes")
    assert new.code == f"GOV-M{len(mandatory) + 1}"
    (entry,) = _entries(new, "title")
    assert (entry.actor, entry.old, entry.new) == (admin, "", "Publish the board's minutes")
    template_action_retire(action=new, user=admin)
    (retired,) = _entries(new, "retired")
    assert (retired.old, retired.new) == ("no", "yes")
    # The retired number is never reused: the next mandatory action takes the one after it.
    after = template_action_add(theme=gov, user=admin, kind="mandatory", title="Annual review")
    assert after.code == f"GOV-M{len(mandatory) + 2}"
    old_title = mandatory[0].title
    template_action_update(action=mandatory[0], user=admin, title="Renamed", guidance="Write who attends")
    updates = [(e.old, e.new) for e in _entries(mandatory[0], "title") if e.action == AuditEntry.Action.UPDATE]
    assert updates == [(old_title, "Renamed")]
    template_theme_update(theme=gov, user=admin, title="Governance and leadership", description="The board")
    assert _entries(gov, "title")[-1].new == "Governance and leadership"
    template_settings_update(template=draft, user=admin, title=draft.title, submission_deadline=None)
    with pytest.raises(ValidationError, match="between 1 January 2022 and 31 March 2023"):
        template_settings_update(template=draft, user=admin, title=draft.title, submission_deadline=date(2030, 1, 1))
    with pytest.raises(ValidationError, match="120 characters or fewer"):
        template_action_add(theme=gov, user=admin, kind="optional", title="x" * 121)


def test_publishing_names_each_problem_then_publishes(draft, admin):
    theme = template_theme_add(template=draft, user=admin, code="VAWG", title="Violence against women and girls")
    with pytest.raises(ValidationError) as refused:
        template_publish(template=draft, user=admin)
    assert "Theme VAWG: it has no mandatory action." in refused.value.messages
    draft.refresh_from_db()
    assert draft.published is False
    action = template_action_add(theme=theme, user=admin, kind="mandatory", title="A VAWG strategy")
    assert action.code == "VAWG-M1"
    template_action_retire(action=action, user=admin)
    with pytest.raises(ValidationError, match="Theme VAWG: it has no mandatory action that is not retired"):
        template_publish(template=draft, user=admin)
    template_action_retire(action=action, user=admin, retired=False)
    template_publish(template=draft, user=admin)
    draft.refresh_from_db()
    assert draft.published is True
    (entry,) = _entries(draft, "published")
    assert (entry.actor, entry.old, entry.new) == (admin, "no", "yes")


def test_a_published_template_changes_only_in_deadline_guidance_and_descriptions(draft, admin):
    template_publish(template=draft, user=admin)
    theme = draft.themes.get(code="GOV")
    action = theme.template_actions.order_by("order").first()
    for refused in (
        lambda: template_action_add(theme=theme, user=admin, kind="optional", title="Late idea"),
        lambda: template_action_retire(action=action, user=admin),
        lambda: template_theme_add(template=draft, user=admin, code="NEW", title="New"),
    ):
        with pytest.raises(ValidationError, match="Only the submission deadline, the guidance on each action"):
            refused()
    with pytest.raises(ValidationError, match="only the submission deadline"):
        template_action_update(action=action, user=admin, title="Renamed", guidance=action.guidance)
    template_action_update(action=action, user=admin, title=action.title, guidance="Clearer guidance")
    template_theme_update(theme=theme, user=admin, title=theme.title, description="Clearer description")
    action.refresh_from_db()
    theme.refresh_from_db()
    assert (action.guidance, theme.description) == ("Clearer guidance", "Clearer description")


def test_boroughs_start_from_last_years_plan_without_retired_actions(template_2021, admin, editor, havering):
    old = plan_create(area=havering, template=template_2021, user=editor).plan
    gov = template_2021.themes.get(code="GOV")
    optional = gov.template_actions.filter(kind="optional").order_by("order")[:2]
    plan_set_optional_actions(plan=old, theme=gov, user=editor, adopted=list(optional))
    for action in old.actions.all():
        plan_action_update(action=action, user=editor, data=complete_content(outcome=f"Outcome of {action.code}"))
    new_template = template_start_next_year(source=template_2021, user=admin)
    retire_mandatory = TemplateAction.objects.get(theme__template=new_template, code="GOV-M1")
    retire_optional = TemplateAction.objects.get(theme__template=new_template, code=optional[0].code)
    template_action_retire(action=retire_mandatory, user=admin)
    template_action_retire(action=retire_optional, user=admin)
    template_publish(template=new_template, user=admin)
    result = plan_create(area=havering, template=new_template, user=editor, copy_from=old)
    plan = result.plan
    codes = set(plan.actions.values_list("code", flat=True))
    old_codes = set(old.actions.values_list("code", flat=True))
    assert codes == old_codes - {"GOV-M1", optional[0].code}
    assert sorted(result.not_carried) == sorted(["GOV-M1", optional[0].code])
    for action in plan.actions.all():
        assert action.outcome == f"Outcome of {action.code}", "content carried over into the same action"
    menu = selectors.optional_menu_for_theme(plan=plan, theme=new_template.themes.get(code="GOV"))
    assert optional[0].code not in {ta.code for ta, _ in menu}, "a retired action is not offered"
    assert "GOV-M1" not in {p.action for p in plan_completeness(plan).problems}, "a retired action is not missing"
    old.refresh_from_db()
    assert "GOV-M1" in set(old.actions.values_list("code", flat=True)), "last year's plan keeps it"


def test_numbers_left_by_actions_retired_in_earlier_years_do_not_block_publishing(template_2021, admin):
    retired = london_template().retired_in_2022
    t2022 = template_create_for_year(source=template_2021, year=2022, title="2022", retire=retired)
    PlanTemplate.objects.filter(pk=t2022.pk).update(published=True)
    t2023 = template_start_next_year(source=t2022, user=admin)
    assert selectors.template_rule_problems(template=t2023) == []
    TemplateAction.objects.filter(theme__template=t2023, code="GOV-M2").update(code="GOV-M9")
    # GOV-M2's number stays taken (it was an action in earlier years); M9 breaks the numbering.
    earlier = TemplateAction.objects.filter(theme__template=template_2021, theme__code="GOV", kind="mandatory")
    numbers = sorted(int(code.removeprefix("GOV-M")) for code in earlier.values_list("code", flat=True)) + [9]
    assert selectors.template_rule_problems(template=t2023) == [
        f"Theme GOV: its mandatory actions must be numbered 1, 2, 3 ... in order, not {numbers}."
    ]


def test_the_pages_walk_from_last_year_to_a_published_template(client, template_2021, admin):
    client.force_login(admin)
    listing = client.get(reverse("templates:list")).content.decode()
    assert "Start the 2022/23 template from this one" in listing
    response = client.post(reverse("templates:next"), {"source": template_2021.pk})
    draft = PlanTemplate.objects.get(year=2022)
    assert response["Location"] == reverse("templates:detail", args=[draft.pk])
    theme_url = reverse("templates:theme_new", args=[draft.pk])
    bad = client.post(theme_url, {"code": "gov", "title": "Again"})
    assert "The template already has a theme GOV" in bad.content.decode()
    client.post(theme_url, {"code": "VAWG", "title": "Violence against women and girls"})
    theme = draft.themes.get(code="VAWG")
    detail = client.get(reverse("templates:detail", args=[draft.pk])).content.decode()
    assert "Theme VAWG: it has no mandatory action." in detail
    client.post(
        reverse("templates:action_new", args=[draft.pk, theme.pk]),
        {"kind": "mandatory", "title": "A VAWG strategy", "guidance": "Name the strategy and its owner."},
    )
    preview = client.get(reverse("templates:preview", args=[draft.pk])).content.decode()
    assert "VAWG-M1: A VAWG strategy" in preview and "Name the strategy and its owner." in preview
    assert client.get(reverse("templates:publish", args=[draft.pk])).status_code == 200
    assert not PlanTemplate.objects.get(pk=draft.pk).published, "a GET changes nothing"
    client.post(reverse("templates:publish", args=[draft.pk]))
    assert PlanTemplate.objects.get(pk=draft.pk).published


def test_another_vrus_admin_cannot_tell_the_template_exists(client, template_2021, admin):
    client.force_login(admin)  # the listing names the VRU's own templates, so their absence below means something
    assert template_2021.title in client.get(reverse("templates:list")).content.decode()
    other_vru = Organisation.objects.create(code="VRU-OTH", kind="vru", name="Another VRU")
    client.force_login(UserFactory(organisation=other_vru, role=User.Role.VRU_ADMIN))
    assert client.get(reverse("templates:detail", args=[template_2021.pk])).status_code == 404
    assert client.post(reverse("templates:next"), {"source": template_2021.pk}).status_code == 404
    assert template_2021.title not in client.get(reverse("templates:list")).content.decode()


def test_only_admins_of_the_templates_vru_find_it_or_its_parts(template_2021, admin, editor):
    other_vru = Organisation.objects.create(code="VRU-OTH", kind="vru", name="Another VRU")
    people = {
        "admin": admin,
        "reviewer": UserFactory(organisation=template_2021.vru, role=User.Role.VRU_REVIEWER),
        "editor": editor,
        "other VRU's admin": UserFactory(organisation=other_vru, role=User.Role.VRU_ADMIN),
        "anonymous": AnonymousUser(),
    }
    found = {name: list(selectors.templates_managed_by(user=user)) for name, user in people.items()}
    assert found == {name: ([template_2021] if name == "admin" else []) for name in people}
    theme = template_2021.themes.first()
    action = theme.template_actions.first()
    assert selectors.template_theme_get_for_admin(user=admin, template_pk=template_2021.pk, pk=theme.pk) == theme
    assert selectors.template_action_get_for_admin(user=admin, template_pk=template_2021.pk, pk=action.pk) == action
    draft = template_start_next_year(source=template_2021, user=admin)
    # A part of one template is not found through another template's address.
    with pytest.raises(NotFound):
        selectors.template_theme_get_for_admin(user=admin, template_pk=draft.pk, pk=theme.pk)
    with pytest.raises(NotFound):
        selectors.template_action_get_for_admin(user=admin, template_pk=draft.pk, pk=action.pk)
    for name in ("reviewer", "editor", "other VRU's admin"):
        with pytest.raises(NotFound):
            selectors.template_get_for_admin(user=people[name], pk=template_2021.pk)


def test_a_new_action_never_takes_the_code_of_one_dropped_in_an_earlier_year(template_2021, admin):
    dropped = london_template().retired_in_2022[0]
    theme_code, number = dropped.split("-")
    t2022 = template_create_for_year(source=template_2021, year=2022, title="2022", retire=[dropped])
    t2023 = template_start_next_year(source=t2022, user=admin)
    kind = "mandatory" if number.startswith("M") else "optional"
    new = template_action_add(theme=t2023.themes.get(code=theme_code), user=admin, kind=kind, title="New work")
    used_2021 = TemplateAction.objects.filter(theme__template=template_2021, theme__code=theme_code, kind=kind)
    highest = max(int(code.split("-")[1][1:]) for code in used_2021.values_list("code", flat=True))
    assert new.code == f"{theme_code}-{number[0]}{highest + 1}"
    assert new.code != dropped
    assert selectors.template_rule_problems(template=t2023) == []
