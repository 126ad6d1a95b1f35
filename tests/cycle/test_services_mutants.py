"""The plan cycle's quarters, signatures, state machine and reminders, pinned down where mutation testing
found them loose (docs/mutation-testing.md)."""

import datetime as dt
from decimal import Decimal as dt_decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories import UserFactory
from tests.plans.conftest import complete_content
from vrhub.accounts.models import User
from vrhub.core.models import AuditEntry
from vrhub.cycle import services
from vrhub.cycle.models import ReminderSent, ReportingQuarter, Signature
from vrhub.organisations.models import Organisation
from vrhub.plans.content import plan_content_hash
from vrhub.plans.models import Plan
from vrhub.plans.services import plan_action_update, plan_create, template_create_from_content
from vrhub.plans.templates import london_template

pytestmark = pytest.mark.django_db

D = dt.date


# Quarters ---------------------------------------------------------------------------------------------


def test_quarters_are_the_financial_years_four_with_updates_due_two_weeks_after_each(template_2021):
    quarters = services.quarters_create(template=template_2021)
    assert [(q.number, q.starts_on, q.ends_on, q.due_on) for q in quarters] == [
        (1, D(2021, 4, 1), D(2021, 6, 30), D(2021, 7, 14)),
        (2, D(2021, 7, 1), D(2021, 9, 30), D(2021, 10, 14)),
        (3, D(2021, 10, 1), D(2021, 12, 31), D(2022, 1, 14)),
        (4, D(2022, 1, 1), D(2022, 3, 31), D(2022, 4, 14)),
    ]
    assert ReportingQuarter.objects.filter(template=template_2021).count() == 4


def test_the_due_date_can_be_set_and_existing_quarters_are_kept(london):
    template = template_create_from_content(
        vru=london, year=2023, title="2023", themes=london_template().themes_2021, published=True
    )
    quarters = services.quarters_create(template=template, due_days=30)
    assert [q.due_on for q in quarters] == [D(2023, 7, 30), D(2023, 10, 30), D(2024, 1, 30), D(2024, 4, 30)]
    again = services.quarters_create(template=template, due_days=1)
    assert [q.pk for q in again] == [q.pk for q in quarters]
    assert [q.due_on for q in again] == [q.due_on for q in quarters]


# Signatures -------------------------------------------------------------------------------------------


def sign(plan, user):
    return services.plan_sign(
        plan=plan, user=user, name=user.display_name, confirmed=True, seen_hash=plan_content_hash(plan)
    )


def test_voiding_counts_touches_only_live_signatures_and_audits(complete_plan, signatories, editor):
    assert services.signatures_void(plan=complete_plan, user=editor, reason="nothing to void") == 0
    leader = sign(complete_plan, signatories["leader"])
    ceo = sign(complete_plan, signatories["chief_executive"])
    Signature.objects.filter(pk=ceo.pk).update(voided_at=dt.datetime(2021, 5, 1, tzinfo=dt.UTC), void_reason="old")
    reason = "x" * 310
    assert services.signatures_void(plan=complete_plan, user=editor, reason=reason) == 1
    leader.refresh_from_db()
    ceo.refresh_from_db()
    assert leader.voided_at is not None and leader.void_reason == "x" * 300
    assert ceo.void_reason == "old" and ceo.voided_at == dt.datetime(2021, 5, 1, tzinfo=dt.UTC)
    entries = AuditEntry.objects.filter(object_type="cycle.signature", object_id=str(leader.pk))
    assert set(entries.values_list("field", flat=True)) >= {"voided_at", "void_reason"}
    assert {e.plan_id for e in entries} == {complete_plan.pk}
    assert entries.get(field="void_reason").actor == editor


def test_voiding_one_plans_signatures_leaves_other_boroughs_signatures_alone(complete_plan, signatories, editor):
    redbridge = Organisation.objects.get(code="E09000026")
    other_plan = plan_create(area=redbridge, template=complete_plan.template, user=None).plan
    for action in other_plan.actions.all():  # only a complete plan can be signed
        plan_action_update(action=action, user=None, data=complete_content())
    other_ceo = UserFactory(organisation=redbridge, role=User.Role.SIGNATORY, office=User.Office.CHIEF_EXECUTIVE)
    theirs = sign(other_plan, other_ceo)
    ours = sign(complete_plan, signatories["chief_executive"])
    assert services.signatures_void(plan=complete_plan, user=editor, reason="GOV-M1 changed") == 1
    ours.refresh_from_db()
    theirs.refresh_from_db()
    assert ours.voided_at is not None
    assert theirs.voided_at is None and theirs.void_reason == ""
    assert [s["valid"] for s in services.signatures_status(plan=other_plan)] == [True, False, False]


def test_a_voided_or_out_of_date_signature_is_not_valid(complete_plan, signatories):
    sig = sign(complete_plan, signatories["leader"])
    current = plan_content_hash(complete_plan)
    assert services.signature_is_valid(sig, current)
    assert not services.signature_is_valid(sig, "0" * 64)
    sig.voided_at = dt.datetime(2021, 5, 1, tzinfo=dt.UTC)
    assert not services.signature_is_valid(sig, current)


def test_signature_status_lists_each_office_in_order_with_its_latest_signature(complete_plan, signatories, editor):
    status = services.signatures_status(plan=complete_plan)
    assert [(s["office"], s["label"], s["signature"], s["valid"]) for s in status] == [
        ("chief_executive", "Chief Executive", None, False),
        ("leader", "Leader of the Council or Elected Mayor", None, False),
        ("bcu_commander", "BCU Commander", None, False),
    ]
    first = sign(complete_plan, signatories["leader"])
    plan_action_update(action=complete_plan.actions.get(code="GOV-M1"), user=editor, data={"progress": "More"})
    second = sign(complete_plan, signatories["leader"])
    third_office = sign(complete_plan, signatories["bcu_commander"])
    status = {s["office"]: s for s in services.signatures_status(plan=complete_plan)}
    assert status["leader"]["signature"] == second != first
    assert status["leader"]["valid"] is True
    assert status["bcu_commander"]["signature"] == third_office and status["bcu_commander"]["valid"] is True
    assert status["chief_executive"]["signature"] is None and status["chief_executive"]["valid"] is False


# State machine ----------------------------------------------------------------------------------------


def sign_all(plan, signatories):
    for user in signatories.values():
        sign(plan, user)


def test_transitions_are_audited_with_actor_plan_and_states(complete_plan, signatories, editor, reviewer):
    sign_all(complete_plan, signatories)
    services.plan_submit(plan=complete_plan, user=editor)
    entry = AuditEntry.objects.get(object_type="plans.plan", field="state")
    assert (entry.old, entry.new, entry.actor, entry.plan_id) == ("draft", "submitted", editor, complete_plan.pk)
    assert Plan.objects.get(pk=complete_plan.pk).state == "submitted"


@pytest.mark.parametrize(
    ("name", "call"),
    [
        ("accepted", lambda plan, editor, reviewer: services.plan_accept(plan=plan, user=reviewer)),
        ("returned", lambda plan, editor, reviewer: services.plan_return(plan=plan, user=reviewer, comment="Why")),
    ],
)
def test_a_draft_cannot_be_reviewed(complete_plan, editor, reviewer, name, call):
    with pytest.raises(ValidationError) as exc:
        call(complete_plan, editor, reviewer)
    assert exc.value.messages == [f"A plan that is draft cannot be {name}."]
    assert Plan.objects.get(pk=complete_plan.pk).state == "draft"
    assert not AuditEntry.objects.filter(object_type="plans.plan", field="state").exists()


def test_an_earlier_version_cannot_be_submitted_or_reviewed(complete_plan, signatories, editor, reviewer):
    sign_all(complete_plan, signatories)
    services.plan_submit(plan=complete_plan, user=editor)
    Plan.objects.filter(pk=complete_plan.pk).update(is_current=False)
    for call in (
        lambda: services.plan_accept(plan=complete_plan, user=reviewer),
        lambda: services.plan_return(plan=complete_plan, user=reviewer, comment="Why"),
    ):
        with pytest.raises(ValidationError, match="A plan that is submitted cannot be"):
            call()
    assert Plan.objects.get(pk=complete_plan.pk).state == "submitted"


def test_a_vru_admin_reviews_but_another_vrus_staff_and_the_borough_do_not(
    complete_plan, signatories, editor, london, havering
):
    sign_all(complete_plan, signatories)
    services.plan_submit(plan=complete_plan, user=editor)
    other_vru = Organisation.objects.create(kind="vru", code="VRU-X", name="Other VRU")
    outsiders = [
        UserFactory(organisation=other_vru, role=User.Role.VRU_REVIEWER),
        UserFactory(organisation=other_vru, role=User.Role.VRU_ADMIN),
        editor,
        UserFactory(organisation=havering, role=User.Role.BOROUGH_VIEWER),
        signatories["chief_executive"],
    ]
    for user in outsiders:
        with pytest.raises(PermissionDenied):
            services.plan_accept(plan=complete_plan, user=user)
        with pytest.raises(PermissionDenied):
            services.review_comment_add(plan=complete_plan, user=user, body="A new thread")
    admin = UserFactory(organisation=london, role=User.Role.VRU_ADMIN)
    plan = services.plan_accept(plan=complete_plan, user=admin)
    assert plan.state == "accepted"


def test_only_the_boroughs_editors_submit(complete_plan, signatories, havering):
    sign_all(complete_plan, signatories)
    viewer = UserFactory(organisation=havering, role=User.Role.BOROUGH_VIEWER)
    other_editor = UserFactory(organisation=Organisation.objects.get(code="E09000026"))
    for user in (viewer, other_editor, signatories["leader"]):
        with pytest.raises(PermissionDenied):
            services.plan_submit(plan=complete_plan, user=user)
    assert Plan.objects.get(pk=complete_plan.pk).state == "draft"


# Reminders --------------------------------------------------------------------------------------------


@pytest.fixture
def reminder_world(plan, quarters, editor, havering, template_2021):
    """Havering's plan with one action not undertaken (and updated anyway) and one action updated in Q1;
    a second editor, a viewer and an inactive editor; an earlier version of Redbridge's plan with an editor."""
    actions = list(plan.actions.order_by("code"))
    plan_action_update(action=actions[0], user=editor, data={"status": "not_undertaken", "comments": "Pan-London"})
    for action in actions[:2]:
        services.quarterly_update_save(action=action, quarter=quarters[0], user=editor, progress="p", status="green")
    UserFactory(username="a.hav.editor", organisation=havering)
    UserFactory(username="hav.viewer", organisation=havering, role=User.Role.BOROUGH_VIEWER)
    UserFactory(username="hav.gone", organisation=havering, is_active=False)
    redbridge = Organisation.objects.get(code="E09000026")
    old = plan_create(area=redbridge, template=template_2021, user=None).plan
    Plan.objects.filter(pk=old.pk).update(is_current=False)
    UserFactory(username="red.editor", organisation=redbridge)
    # Updates that are not Havering's Q1 ones: Havering in Q2, Newham (no editors) in Q1.
    services.quarterly_update_save(action=actions[2], quarter=quarters[1], user=editor, progress="p", status="red")
    newham = plan_create(area=Organisation.objects.get(code="E09000025"), template=template_2021, user=None).plan
    services.quarterly_update_save(
        action=newham.actions.first(), quarter=quarters[0], user=None, progress="p", status="red"
    )
    # Havering's plan of a later year, which has no quarters yet.
    london = template_2021.vru
    template_2022 = template_create_from_content(
        vru=london, year=2022, title="2022", themes=london_template().themes_2021, published=True
    )
    plan_create(area=havering, template=template_2022, user=None)
    return {"plan": plan, "missing": len(actions) - 2}


def test_reminders_go_to_active_editors_of_current_plans_counting_actions_still_to_update(reminder_world):
    rows = services.reminders_due(today=D(2021, 7, 7), days_before=7)
    assert [(r["user"], r["area"], r["area_name"], r["quarter"], r["due"]) for r in rows] == [
        ("a.hav.editor", "E09000016", "Havering", "Q1 2021/22", "2021-07-14"),
        ("hav.editor", "E09000016", "Havering", "Q1 2021/22", "2021-07-14"),
    ]
    assert {r["actions_missing"] for r in rows} == {reminder_world["missing"]}
    assert {r["overdue"] for r in rows} == {False}
    assert rows[1]["email"] == "hav.editor@example.org"


def test_the_reminder_window_and_overdue_start_exactly_on_their_days(reminder_world, settings):
    assert services.reminders_due(today=D(2021, 7, 6), days_before=7) == []
    assert services.reminders_due(today=D(2021, 7, 13), days_before=0) == []
    assert {r["overdue"] for r in services.reminders_due(today=D(2021, 7, 14), days_before=0)} == {False}
    assert {r["overdue"] for r in services.reminders_due(today=D(2021, 7, 15), days_before=0)} == {True}
    settings.REMINDER_DAYS_BEFORE = 3
    assert services.reminders_due(today=D(2021, 7, 10)) == []
    assert len(services.reminders_due(today=D(2021, 7, 11))) == 2


def test_reminders_can_be_limited_to_one_vru(reminder_world, london):
    other = Organisation.objects.create(kind="vru", code="VRU-X", name="Other VRU")
    assert services.reminders_due(today=D(2021, 7, 14), vru=other) == []
    assert len(services.reminders_due(today=D(2021, 7, 14), vru=london)) == 2


def test_no_reminder_once_every_undertaken_action_is_updated(plan, quarters, editor):
    for action in plan.actions.all():
        services.quarterly_update_save(action=action, quarter=quarters[0], user=editor, progress="p", status="green")
    assert services.reminders_due(today=D(2021, 7, 14), days_before=0) == []


def test_reminder_email_names_the_borough_quarter_and_deadline(reminder_world, settings):
    settings.SITE_URL = "https://vrhub.example.org"
    calls = []
    sent = services.reminders_send(today=D(2021, 7, 15), progress=lambda *args: calls.append(args))
    missing, plan = reminder_world["missing"], reminder_world["plan"]
    assert calls == [(0, 2, "Havering, Q1 2021/22"), (1, 2, "Havering, Q1 2021/22")]
    assert sent == [
        {
            "user": user,
            "area": "E09000016",
            "quarter": "Q1 2021/22",
            "due": "2021-07-14",
            "overdue": True,
            "actions_missing": missing,
        }
        for user in ("a.hav.editor", "hav.editor")
    ]
    assert [m.to for m in mail.outbox] == [["a.hav.editor@example.org"], ["hav.editor@example.org"]]
    message = mail.outbox[1]
    assert message.subject == "vrhub: Havering Q1 2021/22 updates were due on 14 July 2021"
    assert missing > 1
    assert message.body == (
        f"{missing} actions in the Havering plan have no Q1 2021/22 update yet. Updates were due by 14 July 2021.\n\n"
        f"Add them at https://vrhub.example.org/plans/{plan.pk}/quarters/\n"
    )
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    recorded = ReminderSent.objects.get(user__username="hav.editor")
    assert (recorded.plan, recorded.sent_on, recorded.actions_missing) == (plan, D(2021, 7, 15), missing)
    assert recorded.quarter.number == 1


def test_a_reminder_before_the_deadline_says_are_due(reminder_world):
    services.reminders_send(today=D(2021, 7, 10))
    assert mail.outbox[0].subject == "vrhub: Havering Q1 2021/22 updates are due on 14 July 2021"
    assert "Updates are due by 14 July 2021." in mail.outbox[0].body


def test_a_dry_run_sends_and_records_nothing(reminder_world):
    rows = services.reminders_send(today=D(2021, 7, 10), dry_run=True)
    assert len(rows) == 2 and mail.outbox == [] and not ReminderSent.objects.exists()
    assert len(services.reminders_send(today=D(2021, 7, 10), dry_run=True)) == 2


def test_a_reminder_recorded_today_is_not_sent_again_but_one_from_yesterday_is(reminder_world):
    services.reminders_send(today=D(2021, 7, 10))
    assert services.reminders_send(today=D(2021, 7, 10)) == []
    assert services.reminders_send(today=D(2021, 7, 10), dry_run=True) == []
    assert len(services.reminders_send(today=D(2021, 7, 11))) == 2
    assert len(mail.outbox) == 4


def test_a_plan_with_one_action_to_update_is_reminded_and_a_finished_plan_does_not_stop_the_others(
    plan, quarters, editor, template_2021
):
    actions = list(plan.actions.all())
    for action in actions[1:]:
        services.quarterly_update_save(action=action, quarter=quarters[0], user=editor, progress="p", status="green")
    rows = services.reminders_due(today=D(2021, 7, 14), days_before=0)
    assert [(r["user"], r["actions_missing"]) for r in rows] == [("hav.editor", 1)]
    services.quarterly_update_save(action=actions[0], quarter=quarters[0], user=editor, progress="p", status="green")
    newham = Organisation.objects.get(code="E09000025")
    plan_create(area=newham, template=template_2021, user=None)
    UserFactory(username="new.editor", organisation=newham)
    rows = services.reminders_due(today=D(2021, 7, 14), days_before=0)
    assert [r["user"] for r in rows] == ["new.editor"], "Havering (done) is listed before Newham and must not stop it"


def test_two_overdue_quarters_are_two_reminders_and_one_already_sent_does_not_stop_the_rest(reminder_world):
    rows = services.reminders_due(today=D(2021, 10, 20))
    assert [(r["user"], r["quarter"]) for r in rows] == [
        ("a.hav.editor", "Q1 2021/22"),
        ("hav.editor", "Q1 2021/22"),
        ("a.hav.editor", "Q2 2021/22"),
        ("hav.editor", "Q2 2021/22"),
    ]
    first = User.objects.get(username="a.hav.editor")
    plan = reminder_world["plan"]
    ReminderSent.objects.create(
        user=first, plan=plan, quarter=plan.template.quarters.get(number=1), sent_on=D(2021, 10, 20), actions_missing=1
    )
    sent = services.reminders_send(today=D(2021, 10, 20))
    assert [(r["user"], r["quarter"]) for r in sent] == [
        ("hav.editor", "Q1 2021/22"),
        ("a.hav.editor", "Q2 2021/22"),
        ("hav.editor", "Q2 2021/22"),
    ]
    assert len(mail.outbox) == 3


def test_sending_can_be_limited_to_one_vru(reminder_world, london):
    other = Organisation.objects.create(kind="vru", code="VRU-X", name="Other VRU")
    assert services.reminders_send(today=D(2021, 7, 14), vru=other) == []
    assert mail.outbox == []
    assert len(services.reminders_send(today=D(2021, 7, 14), vru=london)) == 2


def test_a_stale_quarterly_update_is_refused_naming_the_other_persons_change(plan, quarters, editor, havering):
    action = plan.actions.get(code="GOV-M1")
    first = services.quarterly_update_save(action=action, quarter=quarters[0], user=editor, progress="a", status="red")
    colleague = UserFactory(username="hav.colleague", organisation=havering)
    services.quarterly_update_save(
        action=action, quarter=quarters[0], user=colleague, progress="b", status="red", expected_version=1
    )
    with pytest.raises(services.ConflictError) as exc:
        services.quarterly_update_save(
            action=action, quarter=quarters[0], user=editor, progress="c", status="green", expected_version=1
        )
    assert str(exc.value) == "changed by someone else"
    assert exc.value.update.pk == first.pk and exc.value.update.progress == "b"
    assert [(c.actor, c.field, c.new) for c in exc.value.changes] == [(colleague, "progress", "b")]


# The services that were decorated before the merge (reached by mutmut since) ---------------------------


def messages_by_field(exc_info) -> dict:
    return exc_info.value.message_dict


def test_new_quarters_are_audited_once_as_created_by_whoever_created_them(template_2021, london):
    admin = UserFactory(organisation=london, role=User.Role.VRU_ADMIN)
    quarters = services.quarters_create(template=template_2021, user=admin)
    entries = AuditEntry.objects.filter(object_type="cycle.reportingquarter")
    fields = ["number", "starts_on", "ends_on", "due_on"]
    assert sorted((e.object_id, e.field, e.new) for e in entries) == sorted(
        (str(q.pk), f, str(getattr(q, f))) for q in quarters for f in fields
    )
    assert {(e.action, e.actor, e.old) for e in entries} == {(AuditEntry.Action.CREATE, admin, "")}
    services.quarters_create(template=template_2021, user=admin)
    assert entries.count() == 4 * len(fields), "existing quarters are not audited again"


@pytest.fixture
def gov_m1(plan):
    return plan.actions.get(code="GOV-M1")


def save(action, quarter, user, **kwargs):
    data = {"progress": "Board met", "status": "green"} | kwargs
    return services.quarterly_update_save(action=action, quarter=quarter, user=user, **data)


def test_a_first_update_is_stored_and_audited_against_its_plan_and_action(gov_m1, quarters, editor):
    update = save(gov_m1, quarters[0], editor, progress="  Board met  ", measured_value=dt_decimal("12"))
    update.refresh_from_db()
    assert (update.progress, update.status, update.measured_value) == ("Board met", "green", dt_decimal("12"))
    assert (update.version, update.updated_by, update.quarter, update.action) == (1, editor, quarters[0], gov_m1)
    entries = AuditEntry.objects.filter(object_type="cycle.quarterlyupdate", object_id=str(update.pk))
    assert sorted((e.field, e.new) for e in entries) == [
        ("measured_value", "12"),
        ("progress", "Board met"),
        ("status", "green"),
    ]
    assert {(e.action, e.actor, e.plan_id, e.action_id) for e in entries} == {
        (AuditEntry.Action.CREATE, editor, gov_m1.plan_id, gov_m1.pk)
    }


def test_only_the_boroughs_editors_report_progress(gov_m1, quarters, havering):
    viewer = UserFactory(organisation=havering, role=User.Role.BOROUGH_VIEWER)
    other_editor = UserFactory(organisation=Organisation.objects.get(code="E09000026"))
    for user in (viewer, other_editor):
        with pytest.raises(PermissionDenied) as refused:
            save(gov_m1, quarters[0], user)
        assert refused.value.args == ("You cannot report progress for this borough.",)
    assert not gov_m1.quarterly_updates.exists()


def test_a_quarter_of_another_plan_year_is_refused_on_its_field(gov_m1, editor, london):
    template_2022 = template_create_from_content(
        vru=london, year=2022, title="2022", themes=london_template().themes_2021, published=True
    )
    other_year = services.quarters_create(template=template_2022)[0]
    with pytest.raises(ValidationError) as refused:
        save(gov_m1, other_year, editor)
    assert messages_by_field(refused) == {"quarter": ["That quarter belongs to another plan year."]}
    assert not gov_m1.quarterly_updates.exists()


def test_a_quarter_closed_meanwhile_refuses_the_update(gov_m1, quarters, editor, reviewer):
    page_quarter = ReportingQuarter.objects.get(pk=quarters[0].pk)  # loaded before the VRU closed it
    services.quarter_close(quarter=quarters[0], user=reviewer)
    with pytest.raises(ValidationError) as refused:
        save(gov_m1, page_quarter, editor)
    assert refused.value.messages == ["Q1 2021/22 has been closed by the VRU; its updates can no longer be changed."]
    assert not gov_m1.quarterly_updates.exists()


def test_an_earlier_version_of_the_plan_takes_no_progress(gov_m1, quarters, editor):
    Plan.objects.filter(pk=gov_m1.plan_id).update(is_current=False)  # gov_m1.plan still says current
    with pytest.raises(ValidationError) as refused:
        save(gov_m1, quarters[0], editor)
    assert refused.value.messages == ["This is an earlier version of the plan."]
    assert not gov_m1.quarterly_updates.exists()


def test_an_update_needs_progress_and_a_known_status_each_named(gov_m1, quarters, editor):
    with pytest.raises(ValidationError) as refused:
        save(gov_m1, quarters[0], editor, progress=" \n ", status="purple")
    assert messages_by_field(refused) == {"progress": ["Describe progress this quarter"], "status": ["Choose a status"]}
    with pytest.raises(ValidationError) as refused:
        save(gov_m1, quarters[0], editor, progress=None)
    assert list(messages_by_field(refused)) == ["progress"]
    with pytest.raises(ValidationError) as refused:
        save(gov_m1, quarters[0], editor, progress="x" * 4_001)
    assert list(messages_by_field(refused)) == ["progress"]
    assert "4,000" in messages_by_field(refused)["progress"][0]
    assert not gov_m1.quarterly_updates.exists()


def test_a_page_that_saw_an_update_cannot_create_one(gov_m1, quarters, editor):
    """Version 1 expected but no update stored: someone deleted it meanwhile, or the page is forged."""
    with pytest.raises(services.ConflictError) as conflict:
        save(gov_m1, quarters[0], editor, expected_version=1)
    assert conflict.value.changes == [] and conflict.value.update.pk is None
    # The quarter page finds the form to flag by the conflicting update's action.
    assert (conflict.value.update.action, conflict.value.update.quarter) == (gov_m1, quarters[0])
    assert not gov_m1.quarterly_updates.exists()
    assert save(gov_m1, quarters[0], editor, expected_version=0).version == 1


def test_a_version_the_update_never_had_is_refused_on_the_version_field(gov_m1, quarters, editor):
    save(gov_m1, quarters[0], editor)
    for version in (2, -1):
        with pytest.raises(ValidationError) as refused:
            save(gov_m1, quarters[0], editor, progress="Changed", expected_version=version)
        assert messages_by_field(refused) == {
            "version": [f"This page was loaded for version {version} of the update, which it has never had."]
        }
    assert gov_m1.quarterly_updates.get().progress == "Board met"
    assert save(gov_m1, quarters[0], editor, progress="Changed", expected_version=1).version == 2


def test_saving_the_same_update_changes_nothing(gov_m1, quarters, editor):
    first = save(gov_m1, quarters[0], editor, measured_value=dt_decimal("12.35"))
    audited = AuditEntry.objects.count()
    assert save(gov_m1, quarters[0], editor, measured_value=dt_decimal("12.35"), expected_version=1) is None
    # A figure that rounds to the stored one (two decimal places) is the same figure.
    assert save(gov_m1, quarters[0], editor, measured_value=dt_decimal("12.354"), expected_version=1) is None
    first.refresh_from_db()
    assert (first.version, first.measured_value) == (1, dt_decimal("12.35"))
    assert AuditEntry.objects.count() == audited


def test_a_change_bumps_the_version_names_who_changed_it_and_audits_only_what_changed(
    gov_m1, quarters, editor, havering
):
    first = save(gov_m1, quarters[0], editor, measured_value=dt_decimal("10"))
    colleague = UserFactory(organisation=havering)
    changed = save(gov_m1, quarters[0], colleague, measured_value=dt_decimal("10.456"), expected_version=1)
    assert changed.pk == first.pk
    changed.refresh_from_db()
    assert (changed.version, changed.updated_by, changed.measured_value) == (2, colleague, dt_decimal("10.46"))
    entries = AuditEntry.objects.filter(
        object_type="cycle.quarterlyupdate", object_id=str(first.pk), action=AuditEntry.Action.UPDATE
    )
    assert [(e.field, e.old, e.new) for e in entries] == [("measured_value", "10.00", "10.46")]
    assert [(e.actor, e.plan_id, e.action_id, e.object_version) for e in entries] == [
        (colleague, gov_m1.plan_id, gov_m1.pk, 2)
    ]


# Closing a quarter --------------------------------------------------------------------------------------


def test_only_the_templates_vru_closes_its_quarters(quarters, editor, london):
    other_vru = Organisation.objects.create(kind="vru", code="VRU-X", name="Other VRU")
    refused = [
        editor,
        UserFactory(organisation=other_vru, role=User.Role.VRU_ADMIN),
        UserFactory(organisation=london, role=User.Role.BOROUGH_EDITOR),  # at the VRU but not VRU staff
    ]
    for user in refused:
        with pytest.raises(PermissionDenied) as denied:
            services.quarter_close(quarter=quarters[0], user=user)
        assert denied.value.args == ("Only the VRU can close a reporting quarter.",)
    assert not ReportingQuarter.objects.filter(closed_at__isnull=False).exists()


def test_closing_a_quarter_records_when_and_who_once(quarters, reviewer):
    page_quarter = ReportingQuarter.objects.get(pk=quarters[0].pk)
    closed = services.quarter_close(quarter=quarters[0], user=reviewer)
    stored = ReportingQuarter.objects.get(pk=quarters[0].pk)
    assert stored.closed_at is not None and stored.closed_at == closed.closed_at
    assert stored.closed_by == reviewer
    entry = AuditEntry.objects.get(
        object_type="cycle.reportingquarter", object_id=str(stored.pk), action=AuditEntry.Action.UPDATE
    )
    assert (entry.field, entry.old, entry.new, entry.actor) == ("closed_at", "", str(stored.closed_at), reviewer)
    with pytest.raises(ValidationError) as refused:
        services.quarter_close(quarter=page_quarter, user=reviewer)
    assert refused.value.messages == ["Q1 2021/22 is already closed."]
    assert ReportingQuarter.objects.get(pk=stored.pk).closed_at == stored.closed_at
    assert ReportingQuarter.objects.filter(closed_at__isnull=False).count() == 1


# Signing ----------------------------------------------------------------------------------------------


def test_signing_needs_a_signatory_with_an_office_who_signs_for_the_borough(complete_plan, havering, reviewer):
    # The database refuses both (an office if and only if a signatory); the service does not rely on it.
    no_office = UserFactory.build(organisation=havering, role=User.Role.SIGNATORY, office="")
    editor_with_office = UserFactory.build(organisation=havering, office=User.Office.LEADER)
    for user in (no_office, editor_with_office, reviewer):
        with pytest.raises(PermissionDenied) as denied:
            sign(complete_plan, user)
        assert denied.value.args == (
            "Only the Chief Executive, the Leader or Elected Mayor and the BCU Commander sign plans.",
        )
    elsewhere = UserFactory(
        organisation=Organisation.objects.get(code="E09000026"), role=User.Role.SIGNATORY, office=User.Office.LEADER
    )
    with pytest.raises(PermissionDenied) as denied:
        sign(complete_plan, elsewhere)
    assert denied.value.args == ("You do not sign for this borough.",)
    assert not Signature.objects.exists()


def test_a_plan_submitted_meanwhile_cannot_be_signed(complete_plan, signatories, editor):
    page_plan = Plan.objects.get(pk=complete_plan.pk)  # the signatory's page, loaded while it was a draft
    sign_all(complete_plan, {k: u for k, u in signatories.items() if k != "leader"})
    sign(complete_plan, signatories["leader"])
    services.plan_submit(plan=complete_plan, user=editor)
    Signature.objects.filter(office="leader").update(voided_at=dt.datetime(2021, 5, 1, tzinfo=dt.UTC))
    with pytest.raises(ValidationError) as refused:
        sign(page_plan, signatories["leader"])
    assert refused.value.messages == ["This plan is submitted; it can be signed only before submission."]
    assert Signature.objects.filter(office="leader").count() == 1


def test_a_signature_needs_a_name_and_the_confirmation_each_named(complete_plan, signatories):
    leader = signatories["leader"]
    with pytest.raises(ValidationError) as refused:
        services.plan_sign(
            plan=complete_plan, user=leader, name=None, confirmed=False, seen_hash=plan_content_hash(complete_plan)
        )
    assert refused.value.message_dict == {
        "name": ["Enter your name as it should appear on the sign-off"],
        "confirmed": ["Confirm that you have reviewed the plan"],
    }
    with pytest.raises(ValidationError) as refused:
        services.plan_sign(
            plan=complete_plan, user=leader, name="Lee", confirmed=False, seen_hash=plan_content_hash(complete_plan)
        )
    assert list(refused.value.message_dict) == ["confirmed"]
    assert not Signature.objects.exists()


def test_a_signature_records_the_signatory_office_trimmed_name_statement_and_hash_and_is_audited(
    complete_plan, signatories
):
    leader = signatories["leader"]
    seen = plan_content_hash(complete_plan)
    sig = services.plan_sign(plan=complete_plan, user=leader, name="  Lee Leader ", confirmed=True, seen_hash=seen)
    sig.refresh_from_db()
    assert (sig.plan, sig.signatory, sig.office, sig.name) == (complete_plan, leader, "leader", "Lee Leader")
    assert (sig.statement, sig.content_hash, sig.voided_at) == (services.STATEMENT, seen, None)
    entries = AuditEntry.objects.filter(object_type="cycle.signature", object_id=str(sig.pk))
    assert sorted((e.field, e.new) for e in entries) == [
        ("content_hash", seen),
        ("name", "Lee Leader"),
        ("office", "leader"),
    ]
    assert {(e.action, e.actor, e.plan_id) for e in entries} == {(AuditEntry.Action.CREATE, leader, complete_plan.pk)}


def test_signing_the_same_version_twice_is_refused_naming_the_office(complete_plan, signatories):
    sign(complete_plan, signatories["leader"])
    with pytest.raises(ValidationError) as refused:
        sign(complete_plan, signatories["leader"])
    assert refused.value.messages == [
        "The Leader of the Council or Elected Mayor has already signed this version of the plan."
    ]
    assert Signature.objects.filter(plan=complete_plan).count() == 1


def test_a_new_signature_replaces_the_offices_live_one_and_audits_the_replacement(complete_plan, signatories):
    """A live signature of another version (as after a change that does not void): signing replaces it."""
    leader = signatories["leader"]
    old = sign(complete_plan, leader)
    ceo = sign(complete_plan, signatories["chief_executive"])
    Signature.objects.filter(pk__in=[old.pk, ceo.pk]).update(content_hash="0" * 64)
    new = sign(complete_plan, leader)
    old.refresh_from_db()
    ceo.refresh_from_db()
    assert old.voided_at is not None and old.void_reason == "replaced by a new signature"
    assert ceo.voided_at is None, "another office's signature stays"
    assert list(Signature.objects.filter(office="leader", voided_at__isnull=True)) == [new]
    entries = AuditEntry.objects.filter(object_type="cycle.signature", object_id=str(old.pk)).exclude(
        action=AuditEntry.Action.CREATE
    )
    assert sorted((e.field, e.old, e.new) for e in entries) == [
        ("void_reason", "", "replaced by a new signature"),
        ("voided_at", "", str(old.voided_at)),
    ]
    assert {(e.actor, e.plan_id) for e in entries} == {(leader, complete_plan.pk)}


# Submission -------------------------------------------------------------------------------------------


def test_submission_names_the_offices_still_to_sign(complete_plan, signatories, editor):
    sign(complete_plan, signatories["leader"])
    with pytest.raises(ValidationError) as refused:
        services.plan_submit(plan=complete_plan, user=editor)
    assert refused.value.messages == [
        "The plan needs valid signatures from all three signatories: still to sign Chief Executive, BCU Commander."
    ]
    with pytest.raises(PermissionDenied) as denied:
        services.plan_submit(plan=complete_plan, user=signatories["leader"])
    assert denied.value.args == ("Only the borough's editors submit its plan.",)


def test_an_incomplete_plan_is_refused_with_the_number_of_items_to_complete(plan, signatories, editor):
    from vrhub.plans.completeness import plan_completeness

    problems = len(plan_completeness(plan).problems)
    assert problems > 1
    with pytest.raises(ValidationError) as refused:
        sign(plan, signatories["leader"])
    assert refused.value.messages == [
        f"The plan is not complete: {problems} items are still to complete. "
        "It can be signed once every item is complete."
    ]
    assert not Signature.objects.filter(plan=plan).exists()
    with pytest.raises(ValidationError) as refused:
        services.plan_submit(plan=plan, user=editor)
    assert refused.value.messages[0].startswith("The plan needs valid signatures")
    assert Plan.objects.get(pk=plan.pk).state == "draft"


def test_a_signed_plan_that_becomes_incomplete_is_not_submitted(complete_plan, signatories, editor):
    """A mandatory action the VRU adds to the template after signing makes the plan incomplete without
    changing its content (so the signatures stay valid): submission still checks completeness."""
    from tests.factories import TemplateActionFactory

    sign_all(complete_plan, signatories)
    TemplateActionFactory(theme=complete_plan.template.themes.first(), kind="mandatory", code="GOV-M99")
    with pytest.raises(ValidationError) as refused:
        services.plan_submit(plan=complete_plan, user=editor)
    assert refused.value.messages == [
        "The plan is not complete: 1 item is still to complete. It can be submitted once every item is complete."
    ]
    assert Plan.objects.get(pk=complete_plan.pk).state == "draft"


def test_resubmission_keeps_the_first_submission_date_and_records_the_last(
    complete_plan, signatories, editor, reviewer
):
    sign_all(complete_plan, signatories)
    services.plan_submit(plan=complete_plan, user=editor)
    first = Plan.objects.get(pk=complete_plan.pk)
    assert first.submitted_at is not None and first.last_submitted_at == first.submitted_at
    services.plan_return(plan=complete_plan, user=reviewer, comment="Add a baseline")
    resubmitted = services.plan_submit(plan=complete_plan, user=editor)
    stored = Plan.objects.get(pk=complete_plan.pk)
    assert (stored.state, resubmitted.state) == ("resubmitted", "resubmitted")
    assert stored.submitted_at == first.submitted_at
    assert stored.last_submitted_at > first.last_submitted_at
    entry = AuditEntry.objects.filter(object_type="plans.plan", field="state").order_by("id").last()
    assert (entry.old, entry.new, entry.actor, entry.plan_id) == ("returned", "resubmitted", editor, complete_plan.pk)


# Review decisions and comments --------------------------------------------------------------------------


@pytest.fixture
def submitted(complete_plan, signatories, editor):
    sign_all(complete_plan, signatories)
    return services.plan_submit(plan=complete_plan, user=editor)


def test_a_return_needs_a_comment_on_the_comment_field_and_changes_nothing_without_one(submitted, reviewer):
    for comment in ("", "  ", None):
        with pytest.raises(ValidationError) as refused:
            services.plan_return(plan=submitted, user=reviewer, comment=comment)
        assert refused.value.message_dict == {"comment": ["Say what the borough needs to change"]}
    assert Plan.objects.get(pk=submitted.pk).state == "submitted"
    assert not submitted.review_comments.exists()


def test_a_return_is_stored_audited_and_its_comment_starts_a_plan_thread(submitted, reviewer, editor):
    page_plan = Plan.objects.get(pk=submitted.pk)
    returned = services.plan_return(plan=page_plan, user=reviewer, comment="  Add a baseline for GOV-M2 ")
    assert returned.state == Plan.State.RETURNED == Plan.objects.get(pk=submitted.pk).state
    entry = AuditEntry.objects.filter(object_type="plans.plan", field="state").order_by("id").last()
    assert (entry.old, entry.new, entry.actor, entry.plan_id) == ("submitted", "returned", reviewer, submitted.pk)
    comment = submitted.review_comments.get()
    assert (comment.body, comment.author, comment.action, comment.theme, comment.parent) == (
        "Add a baseline for GOV-M2",
        reviewer,
        None,
        None,
        None,
    )
    with pytest.raises(PermissionDenied) as denied:
        services.plan_return(plan=returned, user=editor, comment="Returned by the borough")
    assert denied.value.args == ("Only VRU reviewers return plans.",)


def test_an_acceptance_is_stored_dated_and_audited(submitted, reviewer, editor):
    with pytest.raises(PermissionDenied) as denied:
        services.plan_accept(plan=submitted, user=editor)
    assert denied.value.args == ("Only VRU reviewers accept plans.",)
    accepted = services.plan_accept(plan=Plan.objects.get(pk=submitted.pk), user=reviewer)
    stored = Plan.objects.get(pk=submitted.pk)
    assert (stored.state, accepted.state) == ("accepted", "accepted")
    assert stored.accepted_at is not None and stored.accepted_at >= stored.last_submitted_at
    assert not stored.review_comments.exists(), "no comment given, none added"
    entry = AuditEntry.objects.filter(object_type="plans.plan", field="state").order_by("id").last()
    assert (entry.old, entry.new, entry.actor, entry.plan_id) == ("submitted", "accepted", reviewer, submitted.pk)


def test_a_comment_needs_a_body_within_the_limit_named_body(complete_plan, reviewer):
    for body in ("", " \n ", None):
        with pytest.raises(ValidationError) as refused:
            services.review_comment_add(plan=complete_plan, user=reviewer, body=body)
        assert refused.value.message_dict == {"body": ["Enter a comment"]}
    with pytest.raises(ValidationError) as refused:
        services.review_comment_add(plan=complete_plan, user=reviewer, body="x" * 5_001)
    assert list(refused.value.message_dict) == ["body"] and "5,000" in refused.value.message_dict["body"][0]
    assert not complete_plan.review_comments.exists()


def test_a_comment_on_an_action_is_filed_under_its_theme_trimmed_and_audited(complete_plan, reviewer):
    action = complete_plan.actions.get(code="GOV-M1")
    comment = services.review_comment_add(plan=complete_plan, user=reviewer, body=" Quorate? ", action=action)
    comment.refresh_from_db()
    assert (comment.body, comment.author, comment.action, comment.theme) == ("Quorate?", reviewer, action, action.theme)
    entry = AuditEntry.objects.get(object_type="cycle.reviewcomment", object_id=str(comment.pk))
    assert (entry.action, entry.field, entry.new, entry.actor) == (
        AuditEntry.Action.CREATE,
        "body",
        "Quorate?",
        reviewer,
    )
    assert (entry.plan_id, entry.action_id) == (complete_plan.pk, action.pk)
    on_plan = services.review_comment_add(plan=complete_plan, user=reviewer, body="Overall")
    entry = AuditEntry.objects.get(object_type="cycle.reviewcomment", object_id=str(on_plan.pk))
    assert (entry.plan_id, entry.action_id) == (complete_plan.pk, None)


def test_a_reply_to_a_reply_joins_the_threads_root_and_its_action(complete_plan, reviewer, editor):
    action = complete_plan.actions.get(code="GOV-M1")
    root = services.review_comment_add(plan=complete_plan, user=reviewer, body="Quorate?", action=action)
    reply = services.review_comment_add(plan=complete_plan, user=editor, body="Yes", parent=root)
    other = complete_plan.actions.get(code="GOV-M2")
    again = services.review_comment_add(
        plan=complete_plan, user=reviewer, body="Minutes?", parent=reply, action=other, theme=None
    )
    again.refresh_from_db()
    assert (again.parent, again.action, again.theme) == (root, action, action.theme)
    entry = AuditEntry.objects.get(object_type="cycle.reviewcomment", object_id=str(again.pk))
    assert entry.action_id == action.pk


def test_only_the_boroughs_editors_reply_and_nobody_else(complete_plan, reviewer, havering):
    root = services.review_comment_add(plan=complete_plan, user=reviewer, body="Quorate?")
    viewer = UserFactory(organisation=havering, role=User.Role.BOROUGH_VIEWER)
    other_editor = UserFactory(organisation=Organisation.objects.get(code="E09000026"))
    for user in (viewer, other_editor):
        with pytest.raises(PermissionDenied) as denied:
            services.review_comment_add(plan=complete_plan, user=user, body="Me too", parent=root)
        assert denied.value.args == ("Only VRU reviewers start review comments; the borough replies to them.",)
    assert list(complete_plan.review_comments.all()) == [root]


def test_a_comment_cannot_point_into_another_plan_each_refusal_naming_its_field(complete_plan, reviewer, template_2021):
    redbridge = Organisation.objects.get(code="E09000026")
    other_plan = plan_create(area=redbridge, template=template_2021, user=None).plan
    elsewhere = services.review_comment_add(plan=other_plan, user=reviewer, body="Theirs")
    london = template_2021.vru
    template_2022 = template_create_from_content(
        vru=london, year=2022, title="2022", themes=london_template().themes_2021, published=True
    )
    cases = [
        ({"parent": elsewhere}, {"parent": ["That comment belongs to another plan."]}),
        ({"action": other_plan.actions.get(code="GOV-M1")}, {"action": ["That action belongs to another plan."]}),
        ({"theme": template_2022.themes.get(code="GOV")}, {"theme": ["That theme is not in this plan."]}),
    ]
    for kwargs, errors in cases:
        with pytest.raises(ValidationError) as refused:
            services.review_comment_add(plan=complete_plan, user=reviewer, body="Misplaced", **kwargs)
        assert refused.value.message_dict == errors
    assert not complete_plan.review_comments.exists()
    theme = template_2021.themes.get(code="GOV")
    on_theme = services.review_comment_add(plan=complete_plan, user=reviewer, body="Fine", theme=theme)
    assert (on_theme.theme, on_theme.action) == (theme, None)


def test_a_page_loaded_before_the_first_update_meets_a_conflict_not_an_error(gov_m1, quarters, editor, havering):
    colleague = UserFactory(organisation=havering)
    theirs = save(gov_m1, quarters[0], colleague, progress="Theirs")
    with pytest.raises(services.ConflictError) as conflict:
        save(gov_m1, quarters[0], editor, progress="Mine", expected_version=0)
    assert (conflict.value.update.pk, conflict.value.update.progress) == (theirs.pk, "Theirs")
    assert gov_m1.quarterly_updates.get().progress == "Theirs"


def test_a_conflict_names_only_the_changes_made_since_the_page_was_loaded(gov_m1, quarters, editor, havering):
    save(gov_m1, quarters[0], editor, progress="One")
    save(gov_m1, quarters[0], editor, progress="Two", expected_version=1)
    colleague = UserFactory(organisation=havering)
    update = save(gov_m1, quarters[0], colleague, status="amber", progress="Two", expected_version=2)
    # Another action's update, changed as often: its changes are not this update's.
    other = plan_action_of(gov_m1, "GOV-M2")
    for version, progress in enumerate(["A", "B", "C"]):
        save(other, quarters[0], colleague, progress=progress, expected_version=version or None)
    # Another kind of record that happens to share the update's id and a later version.
    AuditEntry.objects.create(
        object_type="plans.planaction", object_id=str(update.pk), object_version=3, field="outcome", new="Other"
    )
    with pytest.raises(services.ConflictError) as conflict:
        save(gov_m1, quarters[0], editor, progress="Three", expected_version=2)
    assert [(c.actor, c.field, c.old, c.new) for c in conflict.value.changes] == [
        (colleague, "status", "green", "amber")
    ]


def test_a_measured_value_can_be_cleared(gov_m1, quarters, editor):
    update = save(gov_m1, quarters[0], editor, measured_value=dt_decimal("12"))
    cleared = save(gov_m1, quarters[0], editor, measured_value=None, expected_version=1)
    assert cleared.version == 2
    update.refresh_from_db()
    assert update.measured_value is None
    entry = AuditEntry.objects.get(object_id=str(update.pk), action=AuditEntry.Action.UPDATE)
    assert (entry.field, entry.old, entry.new) == ("measured_value", "12.00", "")


def test_each_quarter_keeps_its_own_update(gov_m1, quarters, editor):
    q1 = save(gov_m1, quarters[0], editor, progress="Q1 progress", status="amber")
    q2 = save(gov_m1, quarters[1], editor, progress="Q2 progress", status="green")
    assert q2.pk != q1.pk and q2.version == 1
    stored = {u.quarter.number: (u.progress, u.status, u.version) for u in gov_m1.quarterly_updates.all()}
    assert stored == {1: ("Q1 progress", "amber", 1), 2: ("Q2 progress", "green", 1)}


def test_signing_again_after_a_change_is_undone_keeps_the_earlier_void_reason(complete_plan, signatories, editor):
    """Changed and changed back: the content is the one first signed, but that signature stays void (and
    keeps why); the signatory signs it again."""
    leader = signatories["leader"]
    action = complete_plan.actions.get(code="GOV-M1")
    first = sign(complete_plan, leader)
    before = action.progress
    plan_action_update(action=action, user=editor, data={"progress": "Changed"})
    plan_action_update(action=complete_plan.actions.get(code="GOV-M1"), user=editor, data={"progress": before})
    assert plan_content_hash(complete_plan) == first.content_hash
    again = sign(complete_plan, leader)
    first.refresh_from_db()
    assert again.pk != first.pk and again.content_hash == first.content_hash
    assert first.void_reason == "GOV-M1 changed"
    assert AuditEntry.objects.filter(object_id=str(first.pk), field="void_reason").count() == 1


def test_a_signature_on_a_version_no_longer_shown_is_refused_with_the_reason(complete_plan, signatories, editor):
    seen = plan_content_hash(complete_plan)
    plan_action_update(action=complete_plan.actions.get(code="GOV-M1"), user=editor, data={"progress": "Changed"})
    with pytest.raises(ValidationError) as refused:
        services.plan_sign(plan=complete_plan, user=signatories["leader"], name="Lee", confirmed=True, seen_hash=seen)
    assert refused.value.messages == [
        "The plan has changed since you opened it. Review the current version and sign again."
    ]


def plan_action_of(action, code):
    return action.plan.actions.get(code=code)


def test_with_no_update_yet_every_undertaken_action_is_missing(plan, quarters, editor):
    plan.actions.filter(code="GOV-M1").update(status="not_undertaken")
    undertaken = plan.actions.exclude(status="not_undertaken").count()
    rows = services.reminders_due(today=D(2021, 7, 14), days_before=0)
    assert [(r["user"], r["actions_missing"]) for r in rows] == [("hav.editor", undertaken)]


def test_a_plan_with_every_action_not_undertaken_needs_no_reminder(plan, quarters, editor):
    plan.actions.update(status="not_undertaken")
    assert services.reminders_due(today=D(2021, 7, 14), days_before=0) == []
