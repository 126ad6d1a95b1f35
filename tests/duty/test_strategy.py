"""The strategy: starting, editing with links to plan actions, the readiness check, publishing, revising,
versions and their differences (services and pages)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.duty import factories as f
from tests.factories import UserFactory
from vrhub.accounts.models import User
from vrhub.core.models import AuditEntry
from vrhub.duty.catalogue import STRATEGY_CONTENTS
from vrhub.duty.models import TEXT_LIMIT, NeedsAssessment, Strategy
from vrhub.duty.selectors.strategy import publish_blockers, strategy_diff, strategy_missing
from vrhub.duty.services import strategy as services
from vrhub.plans.models import Plan
from vrhub.plans.services import plan_create

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 1)
CONTENT_FIELDS = [name for name, _label, _message in STRATEGY_CONTENTS]


@pytest.fixture
def partnership(havering, london):
    return f.complete_partnership(area=havering, vru=london)


@pytest.fixture
def draft(partnership):
    return f.StrategyFactory(partnership=partnership, version=1, public_health="All six principles.")


@pytest.fixture
def lambeth_editor(lambeth):
    return UserFactory(username="lam.editor", organisation=lambeth, role=User.Role.BOROUGH_EDITOR)


@pytest.fixture
def lambeth_plan(template_2021, lambeth, lambeth_editor):
    return plan_create(area=lambeth, template=template_2021, user=lambeth_editor).plan


def _actions(plan, n):
    return list(plan.actions.order_by("pk")[:n])


def _ready(draft, plan):
    draft.plan_actions.add(_actions(plan, 1)[0])
    return draft


# Starting and editing -----------------------------------------------------------------------------------------


def test_start_makes_version_one_as_a_draft_and_audits_it(havering, london, editor):
    partnership = f.PartnershipFactory(area=havering, vru=london)
    strategy = services.strategy_start(partnership=partnership, user=editor, title="  Havering strategy ")
    assert (strategy.version, strategy.state, strategy.title) == (1, Strategy.State.DRAFT, "Havering strategy")
    entries = AuditEntry.objects.filter(object_type="duty.strategy", object_id=str(strategy.pk))
    assert {(e.field, e.new) for e in entries} >= {("title", "Havering strategy"), ("state", "draft")}
    assert {e.actor_id for e in entries} == {editor.pk}


def test_start_is_refused_once_a_strategy_exists_and_for_a_long_title(partnership, draft, editor):
    with pytest.raises(ValidationError) as exc:
        services.strategy_start(partnership=partnership, user=editor, title="Second")
    assert "already has a strategy (version 1)" in exc.value.message_dict["title"][0]
    assert Strategy.objects.filter(partnership=partnership).count() == 1


def test_start_names_the_title_limit(havering, london, editor):
    partnership = f.PartnershipFactory(area=havering, vru=london)
    with pytest.raises(ValidationError) as exc:
        services.strategy_start(partnership=partnership, user=editor, title="x" * 201)
    assert exc.value.message_dict["title"] == ["Title must be 200 characters or fewer (it has 201)"]
    assert not Strategy.objects.exists()


def test_only_the_partnerships_editors_change_it(partnership, draft, lambeth_editor, london):
    viewer = UserFactory(organisation=partnership.area, role=User.Role.BOROUGH_VIEWER)
    vru_admin = UserFactory(organisation=london, role=User.Role.VRU_ADMIN)
    for user in (viewer, vru_admin, lambeth_editor):
        with pytest.raises(PermissionDenied):
            services.strategy_update(strategy=draft, user=user, data={"title": "Changed"})
    draft.refresh_from_db()
    assert draft.title == "Serious violence strategy"


def test_update_saves_and_audits_old_and_new(draft, editor):
    services.strategy_update(strategy=draft, user=editor, data={"funding": "Council budget", "title": "New title"})
    draft.refresh_from_db()
    assert (draft.funding, draft.title) == ("Council budget", "New title")
    entry = AuditEntry.objects.get(object_type="duty.strategy", object_id=str(draft.pk), field="funding")
    assert (entry.old, entry.new, entry.actor_id) == (
        "Home Office serious violence duty grant.",
        "Council budget",
        editor.pk,
    )


def test_a_text_over_the_limit_is_refused_naming_field_and_limit_and_nothing_is_saved(draft, editor, plan):
    action = _actions(plan, 1)[0]
    with pytest.raises(ValidationError) as exc:
        services.strategy_update(
            strategy=draft,
            user=editor,
            data={"title": "Changed", "interventions": "y" * (TEXT_LIMIT + 1)},
            plan_action_ids=[action.pk],
        )
    assert exc.value.message_dict["interventions"] == [
        f"Specific interventions must be {TEXT_LIMIT:,} characters or fewer (it has {TEXT_LIMIT + 1:,})"
    ]
    draft.refresh_from_db()
    assert draft.title == "Serious violence strategy" and draft.plan_actions.count() == 0


def test_a_line_break_counts_once_against_the_limit(draft, editor):
    text = "a\r\n" * (TEXT_LIMIT // 2)  # TEXT_LIMIT characters as typed; more as the browser sends them
    services.strategy_update(strategy=draft, user=editor, data={"interventions": text})
    draft.refresh_from_db()
    assert len(draft.interventions) == TEXT_LIMIT - 1  # the last line break is trimmed


def test_links_only_actions_of_the_areas_current_plan(draft, editor, plan, lambeth_plan):
    own = _actions(plan, 2)
    services.strategy_update(strategy=draft, user=editor, data={}, plan_action_ids=[a.pk for a in own])
    assert set(draft.plan_actions.values_list("pk", flat=True)) == {a.pk for a in own}
    other = _actions(lambeth_plan, 1)[0]
    with pytest.raises(ValidationError) as exc:
        services.strategy_update(strategy=draft, user=editor, data={}, plan_action_ids=[own[0].pk, other.pk])
    assert exc.value.message_dict["plan_actions"] == ["Choose only actions of Havering's current action plan"]
    assert set(draft.plan_actions.values_list("pk", flat=True)) == {a.pk for a in own}


def test_an_earlier_plan_versions_actions_are_not_offered(draft, editor, plan):
    old_action = _actions(plan, 1)[0]
    Plan.objects.filter(pk=plan.pk).update(is_current=False)
    with pytest.raises(ValidationError):
        services.strategy_update(strategy=draft, user=editor, data={}, plan_action_ids=[old_action.pk])


def test_linking_and_unlinking_is_audited_per_link_and_on_the_strategy(draft, editor, plan):
    first, second = _actions(plan, 2)
    services.strategy_update(strategy=draft, user=editor, data={}, plan_action_ids=[first.pk])
    services.strategy_update(strategy=draft, user=editor, data={}, plan_action_ids=[second.pk])
    links = AuditEntry.objects.filter(object_type="duty.strategy_plan_actions")
    made = sorted(set(links.filter(action="create").values_list("object_id", flat=True)), key=int)
    deleted = list(links.filter(action="delete").values_list("object_id", flat=True))
    assert len(made) == 2 and deleted == [made[0]]  # the first link went; each link row has its own entries
    summary = AuditEntry.objects.filter(object_type="duty.strategy", field="plan_actions").order_by("pk")
    assert [(e.old, e.new) for e in summary] == [("", first.code), (first.code, second.code)]


def test_a_needs_assessment_of_another_partnership_is_refused(draft, editor, lambeth, london):
    other = f.AssessmentFactory(partnership=f.PartnershipFactory(area=lambeth, vru=london))
    with pytest.raises(ValidationError) as exc:
        services.strategy_update(strategy=draft, user=editor, data={"assessment": other.pk})
    assert exc.value.message_dict["assessment"] == ["Choose one of Havering's needs assessments"]


# The readiness check and publication ---------------------------------------------------------------------------


def test_the_readiness_check_names_every_missing_content(draft):
    blank = ["interventions", "funding"]
    Strategy.objects.filter(pk=draft.pk).update(**{n: "" for n in blank})
    draft.refresh_from_db()
    messages = [m.message for m in strategy_missing(strategy=draft, today=TODAY)]
    expected = [message for name, _label, message in STRATEGY_CONTENTS if name in blank]
    assert messages[: len(expected)] == expected
    assert "Link the strategy to the actions of the borough's action plan" in messages
    assert "Publish the strategy" in messages


def test_publish_is_refused_naming_each_missing_element_and_changes_nothing(draft, editor):
    Strategy.objects.filter(pk=draft.pk).update(funding="")
    with pytest.raises(ValidationError) as exc:
        services.strategy_publish(strategy=draft, user=editor, today=TODAY)
    assert exc.value.messages == [
        "The strategy cannot be published until every element is in place: 2 missing.",
        "Identify the funding streams or resources",
        "Link the strategy to the actions of the borough's action plan",
    ]
    draft.refresh_from_db()
    assert draft.state == Strategy.State.DRAFT and draft.published_on is None
    assert not AuditEntry.objects.filter(object_type="duty.strategy", field="state").exists()


def test_publish_needs_an_agreed_needs_assessment(draft, editor, plan, partnership):
    _ready(draft, plan)
    NeedsAssessment.objects.filter(partnership=partnership).update(state=NeedsAssessment.State.DRAFT)
    with pytest.raises(ValidationError) as exc:
        services.strategy_publish(strategy=draft, user=editor, today=TODAY)
    assert "Agree the 2026 needs assessment" in exc.value.messages


def test_publish_does_not_need_the_definition_complete(draft, editor, plan, partnership):
    """Decided: the partnership and definition are shown missing on the area page but do not stop publication."""
    _ready(draft, plan)
    partnership.definition.delete()
    assert strategy_missing(strategy=draft, today=TODAY)  # still "Publish the strategy"
    assert publish_blockers(strategy=draft, today=TODAY) == []
    services.strategy_publish(strategy=draft, user=editor, today=TODAY)
    draft.refresh_from_db()
    assert draft.state == Strategy.State.PUBLISHED


def test_publish_sets_today_and_a_year_on_and_audits(draft, editor, plan):
    _ready(draft, plan)
    services.strategy_publish(strategy=draft, user=editor, today=TODAY)
    draft.refresh_from_db()
    assert (draft.state, draft.published_on, draft.next_review) == ("published", TODAY, dt.date(2027, 11, 1))
    assert draft.published_by == editor
    fields = set(
        AuditEntry.objects.filter(object_type="duty.strategy", object_id=str(draft.pk)).values_list("field", flat=True)
    )
    assert {"state", "published_on", "next_review", "published_by"} <= fields
    assert strategy_missing(strategy=draft, today=TODAY) == []


def test_publish_a_year_on_from_29_february(draft, editor, plan):
    _ready(draft, plan)
    services.strategy_publish(strategy=draft, user=editor, published_on=dt.date(2024, 2, 29), today=TODAY)
    draft.refresh_from_db()
    assert draft.next_review == dt.date(2025, 2, 28)


@pytest.mark.parametrize(
    ("published_on", "next_review", "field", "message"),
    [
        (dt.date(2026, 11, 2), None, "published_on", "Publication date must be today or in the past"),
        (TODAY, dt.date(2027, 11, 2), "next_review", "within a year of publication (by 1 November 2027)"),
        (TODAY, TODAY, "next_review", "Next review date must be after the publication date"),
    ],
)
def test_publish_dates_are_checked(draft, editor, plan, published_on, next_review, field, message):
    _ready(draft, plan)
    with pytest.raises(ValidationError) as exc:
        services.strategy_publish(
            strategy=draft, user=editor, published_on=published_on, next_review=next_review, today=TODAY
        )
    assert message in exc.value.message_dict[field][0]
    draft.refresh_from_db()
    assert draft.state == Strategy.State.DRAFT


def test_publishing_supersedes_the_version_published_before(draft, editor, plan):
    _ready(draft, plan)
    services.strategy_publish(strategy=draft, user=editor, today=dt.date(2025, 11, 1))
    revision = services.strategy_revise(strategy=draft, user=editor)
    services.strategy_publish(strategy=revision, user=editor, today=TODAY)
    draft.refresh_from_db()
    revision.refresh_from_db()
    assert (draft.state, revision.state) == (Strategy.State.SUPERSEDED, Strategy.State.PUBLISHED)
    entry = AuditEntry.objects.get(
        object_type="duty.strategy", object_id=str(draft.pk), field="state", new="superseded"
    )
    assert entry.old == "published"
    with pytest.raises(ValidationError, match="already published"):
        services.strategy_publish(strategy=revision, user=editor, today=TODAY)


# Revising, versions and differences ---------------------------------------------------------------------------


def test_revise_copies_the_published_version_and_its_links(draft, editor, plan):
    first, second = _actions(plan, 2)
    draft.plan_actions.add(first, second)
    services.strategy_publish(strategy=draft, user=editor, today=TODAY)
    revision = services.strategy_revise(strategy=draft, user=editor)
    assert (revision.version, revision.state) == (2, Strategy.State.DRAFT)
    for name in ("title", *CONTENT_FIELDS, "public_health"):
        assert getattr(revision, name) == getattr(draft, name)
    assert set(revision.plan_actions.all()) == {first, second}
    assert revision.published_on is None and revision.next_review is None
    with pytest.raises(ValidationError, match="Version 2 is already a draft"):
        services.strategy_revise(strategy=draft, user=editor)


def test_a_draft_cannot_be_revised_and_a_published_version_cannot_be_edited(draft, editor, plan):
    with pytest.raises(ValidationError, match="Only the published strategy can be revised"):
        services.strategy_revise(strategy=draft, user=editor)
    _ready(draft, plan)
    services.strategy_publish(strategy=draft, user=editor, today=TODAY)
    with pytest.raises(ValidationError, match="is published and cannot be changed"):
        services.strategy_update(strategy=draft, user=editor, data={"title": "Changed"})


def test_the_diff_lists_fields_changed_and_actions_linked_and_unlinked(draft, editor, plan):
    first, second, third = _actions(plan, 3)
    draft.plan_actions.add(first, second)
    services.strategy_publish(strategy=draft, user=editor, today=TODAY)
    revision = services.strategy_revise(strategy=draft, user=editor)
    services.strategy_update(
        strategy=revision,
        user=editor,
        data={"funding": "New grant", "title": draft.title},
        plan_action_ids=[second.pk, third.pk],
    )
    draft.refresh_from_db()
    revision.refresh_from_db()
    diff = strategy_diff(old=draft, new=revision)
    by_field = {row["field"]: row for row in diff["fields"]}
    assert set(by_field) == {"funding", "published_on", "next_review"}
    assert (by_field["funding"]["old"], by_field["funding"]["new"]) == (draft.funding, "New grant")
    assert by_field["published_on"]["old"] == "1 November 2026" and by_field["published_on"]["new"] == "Not given"
    assert diff["linked"] == [third] and diff["unlinked"] == [first]


# Pages -------------------------------------------------------------------------------------------------------


def test_the_editor_starts_edits_links_and_publishes_in_the_browser_forms(client, partnership, editor, plan):
    client.force_login(editor)
    code = partnership.area.code
    response = client.post(reverse("duty:strategy_start", args=[code]), {"title": "Havering strategy"})
    strategy = Strategy.objects.get(partnership=partnership)
    assert response["Location"] == reverse("duty:strategy_edit", args=[code, strategy.pk])
    page = client.get(response["Location"]).content.decode()
    actions = _actions(plan, 2)
    for a in actions:
        assert f'value="{a.pk}"' in page
    data = {"title": "Havering strategy", "public_health": "Every principle.", "plan_actions": [a.pk for a in actions]}
    data |= {name: f"Text for {name}" for name in CONTENT_FIELDS}
    response = client.post(reverse("duty:strategy_edit", args=[code, strategy.pk]), data)
    assert response.status_code == 302
    page = client.get(reverse("duty:strategy", args=[code])).content.decode()
    for a in actions:
        assert a.code in page and a.title in page
    assert "Version 1 can be published." in page
    today = timezone.localdate()
    response = client.post(reverse("duty:strategy_publish", args=[code, strategy.pk]), {})
    strategy.refresh_from_db()
    assert (strategy.state, strategy.published_on) == ("published", today)
    page = client.get(reverse("duty:strategy", args=[code])).content.decode()
    assert "Every element of the strategy is in place" in page


def test_the_edit_page_shows_a_field_error_naming_the_limit(client, draft, editor):
    client.force_login(editor)
    url = reverse("duty:strategy_edit", args=[draft.partnership.area.code, draft.pk])
    response = client.post(url, {"title": "T", "funding": "z" * (TEXT_LIMIT + 1)})
    assert response.status_code == 200
    page = response.content.decode()
    assert f"Funding streams and resources must be {TEXT_LIMIT:,} characters or fewer" in page
    assert 'href="#id_funding"' in page  # the error summary links to the field
    draft.refresh_from_db()
    assert draft.title == "Serious violence strategy"


def test_the_edit_page_offers_no_other_boroughs_actions(client, draft, editor, plan, lambeth_plan):
    client.force_login(editor)
    page = client.get(reverse("duty:strategy_edit", args=[draft.partnership.area.code, draft.pk])).content.decode()
    own = {a.pk for a in plan.actions.all()}
    for action in lambeth_plan.actions.all():
        if action.pk not in own:
            assert f'value="{action.pk}"' not in page


def test_a_refused_publication_lists_every_missing_element_on_the_page(client, draft, editor):
    client.force_login(editor)
    code = draft.partnership.area.code
    response = client.post(reverse("duty:strategy_publish", args=[code, draft.pk]), {}, follow=True)
    page = response.content.decode()
    assert "Link the strategy to the actions of the borough&#x27;s action plan" in page
    draft.refresh_from_db()
    assert draft.state == Strategy.State.DRAFT


def test_another_borough_cannot_see_the_strategy(client, draft, lambeth_editor):
    client.force_login(lambeth_editor)
    code = draft.partnership.area.code
    assert client.get(reverse("duty:strategy", args=[code])).status_code == 404
    assert client.get(reverse("duty:strategy_version", args=[code, draft.pk])).status_code == 404
    assert client.get(reverse("duty:strategy_version", args=["E09000022", draft.pk])).status_code == 404


def test_the_compare_page_shows_what_changed(client, draft, editor, plan):
    first, second = _actions(plan, 2)
    draft.plan_actions.add(first)
    services.strategy_publish(strategy=draft, user=editor, today=TODAY)
    revision = services.strategy_revise(strategy=draft, user=editor)
    services.strategy_update(strategy=revision, user=editor, data={"funding": "New grant"}, plan_action_ids=[second.pk])
    client.force_login(editor)
    code = draft.partnership.area.code
    response = client.get(reverse("duty:strategy_compare", args=[code]))
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "What changed from version 1 to version 2" in page
    assert 'data-field="funding"' in page and "New grant" in page
    assert f"{second.code} {second.title}" in page.split('data-testid="linked"')[1].split("</ul>")[0]
    assert f"{first.code} {first.title}" in page.split('data-testid="unlinked"')[1].split("</ul>")[0]
    bad = client.get(reverse("duty:strategy_compare", args=[code]) + "?from=x&to=1")
    assert bad.status_code == 404


def test_a_vru_footprint_links_the_actions_of_the_areas_it_covers_only(london, havering, lambeth, plan, lambeth_plan):
    from vrhub.duty.selectors.strategy import linkable_actions

    footprint = f.PartnershipFactory(area=london, vru=london)
    footprint.covers.add(havering)
    linkable = set(linkable_actions(partnership=footprint).values_list("pk", flat=True))
    assert linkable == set(plan.actions.values_list("pk", flat=True))
    assert not linkable & set(lambeth_plan.actions.values_list("pk", flat=True))


def test_those_who_only_look_see_the_strategy_without_controls(client, draft, mopac_officer, havering):
    viewer = UserFactory(organisation=havering, role=User.Role.BOROUGH_VIEWER)
    for user in (viewer, mopac_officer):
        client.force_login(user)
        page = client.get(reverse("duty:strategy", args=[havering.code])).content.decode()
        assert "Serious violence strategy" in page and "Edit the draft" not in page and "Publish version" not in page
        assert client.get(reverse("duty:strategy_edit", args=[havering.code, draft.pk])).status_code == 403


def test_a_partnership_without_a_strategy_offers_the_editor_to_start_one(client, havering, london, editor):
    f.PartnershipFactory(area=havering, vru=london)
    client.force_login(editor)
    page = client.get(reverse("duty:strategy", args=[havering.code])).content.decode()
    assert "Havering has no serious violence strategy yet." in page and "Start the strategy" in page
    response = client.post(reverse("duty:strategy_start", args=[havering.code]), {"title": ""}, follow=True)
    assert "Enter the strategy&#x27;s title" in response.content.decode()
    assert not Strategy.objects.exists()
