from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from tests.factories import UserFactory
from tests.plans.conftest import complete_content
from vrhub.accounts.models import User
from vrhub.core.models import AuditEntry
from vrhub.organisations.models import Organisation
from vrhub.plans import services
from vrhub.plans.models import Plan, PlanAction, TemplateAction

pytestmark = pytest.mark.django_db


def test_new_plan_holds_every_mandatory_action_and_no_optional(plan, template_2021):
    mandatory = set(
        TemplateAction.objects.filter(theme__template=template_2021, kind="mandatory").values_list("code", flat=True)
    )
    assert set(plan.actions.values_list("code", flat=True)) == mandatory
    assert not plan.actions.exclude(source=PlanAction.Source.MANDATORY).exists()
    assert AuditEntry.objects.filter(object_type="plans.plan", object_id=str(plan.pk)).exists()


def test_plan_is_unique_per_area_and_template(plan, editor):
    with pytest.raises(ValidationError):
        services.plan_create(area=plan.area, template=plan.template, user=editor)


def test_another_boroughs_editor_cannot_create_or_change(plan, london):
    lambeth_editor = UserFactory(organisation=Organisation.objects.get(code="E09000022"))
    with pytest.raises(PermissionDenied):
        services.plan_action_update(action=plan.actions.first(), user=lambeth_editor, data={"progress": "x"})
    with pytest.raises(PermissionDenied):
        services.plan_add_local_action(plan=plan, theme=plan.template.themes.first(), user=lambeth_editor, title="x")


def test_adopt_and_drop_optional_actions(plan, editor):
    theme = plan.template.themes.get(code="WPN")
    optional = list(theme.template_actions.filter(kind="optional"))
    added, removed = services.plan_set_optional_actions(plan=plan, theme=theme, user=editor, adopted=optional[:2])
    assert added == [optional[0].code, optional[1].code] and removed == []
    added, removed = services.plan_set_optional_actions(plan=plan, theme=theme, user=editor, adopted=optional[1:2])
    assert added == [] and removed == [optional[0].code]
    assert AuditEntry.objects.filter(action="delete", plan_id=plan.pk).count() == 1


def test_cannot_drop_optional_action_with_content(plan, editor):
    theme = plan.template.themes.get(code="WPN")
    ta = theme.template_actions.filter(kind="optional").first()
    services.plan_set_optional_actions(plan=plan, theme=theme, user=editor, adopted=[ta])
    action = plan.actions.get(code=ta.code)
    services.plan_action_update(action=action, user=editor, data={"progress": "Begun"})
    with pytest.raises(ValidationError) as exc:
        services.plan_set_optional_actions(plan=plan, theme=theme, user=editor, adopted=[])
    assert ta.code in str(exc.value)
    assert plan.actions.filter(code=ta.code).exists()


def test_cannot_adopt_another_themes_action(plan, editor):
    theme = plan.template.themes.get(code="WPN")
    foreign = plan.template.themes.get(code="GOV").template_actions.filter(kind="optional").first()
    with pytest.raises(ValidationError):
        services.plan_set_optional_actions(plan=plan, theme=theme, user=editor, adopted=[foreign])


def test_local_actions_get_theme_codes(plan, editor):
    theme = plan.template.themes.get(code="COM")
    first = services.plan_add_local_action(plan=plan, theme=theme, user=editor, title="Estate walkabouts")
    second = services.plan_add_local_action(plan=plan, theme=theme, user=editor, title="Youth forum")
    assert (first.code, second.code) == ("COM-L1", "COM-L2")
    with pytest.raises(ValidationError) as exc:
        services.plan_add_local_action(plan=plan, theme=theme, user=editor, title="   ")
    assert "title" in exc.value.message_dict


def test_mandatory_actions_cannot_be_removed(plan, editor):
    with pytest.raises(ValidationError):
        services.plan_remove_action(action=plan.actions.first(), user=editor)


def test_update_records_each_changed_field_old_and_new(plan, editor):
    action = plan.actions.get(code="GOV-M1")
    services.plan_action_update(action=action, user=editor, data={"progress": "Board met", "status": "amber"})
    services.plan_action_update(action=action, user=editor, data={"status": "green", "progress": "Board met"})
    entries = AuditEntry.objects.filter(object_type="plans.planaction", object_id=str(action.pk), action="update")
    by_field = [(e.field, e.old, e.new, e.actor_id) for e in entries.order_by("id")]
    assert ("progress", "", "Board met", editor.pk) in by_field
    assert ("status", "amber", "green", editor.pk) in by_field
    assert len(by_field) == 3
    action.refresh_from_db()
    assert action.version == 3


def test_invalid_dates_are_refused_and_nothing_is_saved(plan, editor):
    action = plan.actions.get(code="GOV-M1")
    with pytest.raises(ValidationError) as exc:
        services.plan_action_update(
            action=action,
            user=editor,
            data={"progress": "changed", "start_date": date(2022, 1, 1), "end_date": date(2021, 1, 1)},
        )
    assert "end_date" in exc.value.message_dict
    action.refresh_from_db()
    assert action.progress == "" and action.version == 1


def test_not_undertaken_needs_a_rationale(plan, editor):
    action = plan.actions.get(code="GOV-M1")
    with pytest.raises(ValidationError) as exc:
        services.plan_action_update(action=action, user=editor, data={"status": "not_undertaken"})
    assert "comments" in exc.value.message_dict


def test_edits_to_different_fields_since_loading_are_merged(plan, editor):
    action = plan.actions.get(code="GOV-M1")
    colleague = UserFactory(organisation=plan.area, first_name="Pat", last_name="Colleague")
    services.plan_action_update(
        action=PlanAction.objects.get(pk=action.pk), user=colleague, data={"lead_name": "Jo Okafor"}, expected_version=1
    )
    # This person's form still holds the old (blank) lead name: it must not overwrite Jo Okafor.
    services.plan_action_update(
        action=action, user=editor, data={"progress": "mine", "lead_name": ""}, expected_version=1
    )
    action.refresh_from_db()
    assert (action.progress, action.lead_name, action.version) == ("mine", "Jo Okafor", 3)


def test_same_field_changed_by_two_people_is_refused_with_their_change(plan, editor):
    action = plan.actions.get(code="GOV-M1")
    colleague = UserFactory(organisation=plan.area, first_name="Pat", last_name="Colleague")
    services.plan_action_update(
        action=PlanAction.objects.get(pk=action.pk), user=colleague, data={"progress": "theirs"}, expected_version=1
    )
    with pytest.raises(services.ConflictError) as exc:
        services.plan_action_update(action=action, user=editor, data={"progress": "mine"}, expected_version=1)
    assert [(e.field, e.new, e.actor_id) for e in exc.value.changes] == [("progress", "theirs", colleague.pk)]
    action.refresh_from_db()
    assert action.progress == "theirs" and action.version == 2


def test_only_local_actions_can_be_renamed(plan, editor):
    with pytest.raises(ValidationError):
        services.plan_action_update(action=plan.actions.get(code="GOV-M1"), user=editor, data={"title": "New"})


def test_database_constraint_end_after_start(plan):
    action = plan.actions.first()
    action.start_date, action.end_date = date(2022, 1, 1), date(2021, 1, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        action.save()


def test_start_from_last_years_plan_carries_content_over(plan, editor, template_2021):
    from vrhub.plans.templates import london_template

    retired = london_template().retired_in_2022[0]
    retired_theme = next(t["code"] for t in london_template().themes_2021 for a in t["actions"] if a["code"] == retired)
    theme = plan.template.themes.get(code=retired_theme)
    services.plan_set_optional_actions(
        plan=plan, theme=theme, user=editor, adopted=list(theme.template_actions.filter(code=retired))
    )
    services.plan_action_update(action=plan.actions.get(code="GOV-M1"), user=editor, data=complete_content())
    local = services.plan_add_local_action(
        plan=plan, theme=plan.template.themes.get(code="COM"), user=editor, title="Estate walkabouts"
    )
    t2022 = services.template_create_for_year(source=template_2021, year=2022, title="2022", retire=[retired])
    t2022.published = True
    t2022.save()
    result = services.plan_create(area=plan.area, template=t2022, user=editor, copy_from=plan)
    new = result.plan
    assert result.not_carried == [retired]
    assert new.actions.get(code="GOV-M1").outcome == "Fewer knife injuries among under-25s"
    assert new.actions.get(code=local.code).title == "Estate walkabouts"
    assert not new.actions.filter(code=retired).exists()
    assert new.created_from == plan
    assert Plan.objects.filter(area=plan.area).count() == 2


def test_unpublished_template_cannot_be_used(london, editor, havering, template_2021):
    template_2021.published = False
    template_2021.save()
    with pytest.raises(ValidationError):
        services.plan_create(area=havering, template=template_2021, user=editor)


def test_viewer_cannot_change(plan):
    viewer = UserFactory(organisation=plan.area, role=User.Role.BOROUGH_VIEWER)
    with pytest.raises(PermissionDenied):
        services.plan_action_update(action=plan.actions.first(), user=viewer, data={"progress": "x"})


def test_mandatory_action_added_to_the_template_later_can_be_added_to_the_plan(plan, editor):
    from tests.factories import TemplateActionFactory
    from vrhub.plans.completeness import plan_completeness

    theme = plan.template.themes.get(code="GOV")
    TemplateActionFactory(theme=theme, code="GOV-M9", kind="mandatory", title="A new duty")
    assert [p.field for p in plan_completeness(plan).problems_for("GOV-M9")] == ["action"]
    assert services.plan_add_missing_mandatory(plan=plan, user=editor) == ["GOV-M9"]
    assert plan.actions.get(code="GOV-M9").source == "mandatory"
    assert services.plan_add_missing_mandatory(plan=plan, user=editor) == []


@pytest.mark.parametrize("new", [["GOV-M9"], ["GOV-M8", "GOV-M9"]])
def test_adding_missing_mandatory_actions_says_so_in_the_right_number(client, plan, editor, new):
    from django.contrib.messages import get_messages
    from django.urls import reverse

    from tests.factories import TemplateActionFactory

    theme = plan.template.themes.get(code="GOV")
    for code in new:
        TemplateActionFactory(theme=theme, code=code, kind="mandatory", title=f"A new duty {code}")
    client.force_login(editor)
    response = client.post(reverse("plans:add_missing", args=[plan.pk]))
    (message,) = [str(m) for m in get_messages(response.wsgi_request)]
    noun = "action" if len(new) == 1 else "actions"
    assert message.startswith(f"Added the mandatory {noun} {', '.join(new)}. ")
