import datetime as dt
import hashlib
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from vrhub.core.models import AuditEntry
from vrhub.cycle import services
from vrhub.cycle.models import Signature
from vrhub.plans.content import plan_content_hash
from vrhub.plans.models import Plan, PlanAction
from vrhub.plans.services import document_add, plan_action_update, plan_new_version

pytestmark = pytest.mark.django_db


def sign_all(plan, signatories):
    for user in signatories.values():
        services.plan_sign(
            plan=plan, user=user, name=user.display_name, confirmed=True, seen_hash=plan_content_hash(plan)
        )


def expected_hash(plan) -> str:
    """The SHA-256 of the plan's signable content, rebuilt here from the database rows: the area, year and
    version, and per action (by code) its wording, every editable field (dates as ISO text) and its documents."""
    actions = []
    for a in PlanAction.objects.filter(plan_id=plan.pk).select_related("theme").order_by("code"):
        entry = {"code": a.code, "theme": a.theme.code, "source": a.source, "title": a.title}
        entry["description"] = a.description
        for f in PlanAction.EDITABLE_FIELDS:
            value = getattr(a, f)
            entry[f] = value.isoformat() if isinstance(value, dt.date) else value
        entry["documents"] = sorted(
            [d.title, d.url, d.file.name or "", d.size or 0, d.internal] for d in a.documents.all()
        )
        entry["citations"] = []
        actions.append(entry)
    plan = Plan.objects.select_related("area", "template").get(pk=plan.pk)
    content = {"area": plan.area.code, "year": plan.template.year, "version": plan.version, "actions": actions}
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_signature_records_sha256_of_the_content(complete_plan, signatories, editor):
    assert {"outcome", "lead_name", "progress", "status", "start_date"} <= set(PlanAction.EDITABLE_FIELDS)
    action = complete_plan.actions.get(code="GOV-M1")
    document_add(action=action, user=editor, title="Board terms", url="https://example.org/tor", internal=True)
    seen = plan_content_hash(complete_plan)
    assert seen == expected_hash(complete_plan)
    sig = services.plan_sign(
        plan=complete_plan, user=signatories["leader"], name="Lee Leader", confirmed=True, seen_hash=seen
    )
    assert sig.content_hash == seen and sig.office == "leader"
    assert services.signature_is_valid(sig, plan_content_hash(complete_plan))
    plan_action_update(action=action, user=editor, data={"end_date": dt.date(2022, 2, 28)})
    changed = plan_content_hash(complete_plan)
    assert changed == expected_hash(complete_plan) != seen
    sig.refresh_from_db()
    assert not services.signature_is_valid(sig, changed)


def test_replacing_a_signature_leaves_one_live_signature_per_office(complete_plan, signatories, editor):
    leader = signatories["leader"]
    sign_all(complete_plan, signatories)
    first = Signature.objects.get(plan=complete_plan, office=leader.office)
    with pytest.raises(ValidationError, match="has already signed this version"):
        services.plan_sign(
            plan=complete_plan, user=leader, name="Lee", confirmed=True, seen_hash=plan_content_hash(complete_plan)
        )
    plan_action_update(action=complete_plan.actions.get(code="GOV-M2"), user=editor, data={"progress": "Later"})
    first.refresh_from_db()
    assert first.voided_at is not None and first.void_reason == "GOV-M2 changed"
    voids = AuditEntry.objects.filter(object_type="cycle.signature", object_id=str(first.pk), field="void_reason")
    assert list(voids.values_list("old", "new")) == [("", "GOV-M2 changed")]
    second = services.plan_sign(
        plan=complete_plan, user=leader, name="Lee Leader", confirmed=True, seen_hash=plan_content_hash(complete_plan)
    )
    assert second.pk != first.pk and second.content_hash == plan_content_hash(complete_plan) != first.content_hash
    live = Signature.objects.filter(plan=complete_plan, voided_at__isnull=True)
    assert list(live.values_list("office", flat=True)) == [leader.office]
    assert Signature.objects.filter(plan=complete_plan, office=leader.office).count() == 2
    status = {s["office"]: s for s in services.signatures_status(plan=complete_plan)}
    assert status[leader.office]["signature"] == second and status[leader.office]["valid"]
    assert [o for o, s in status.items() if not s["valid"]] == ["chief_executive", "bcu_commander"]
    sign_all(complete_plan, {k: u for k, u in signatories.items() if k != "leader"})
    live_offices = sorted(live.values_list("office", flat=True))
    assert live_offices == sorted(services.OFFICES), "exactly one live signature per office"


def test_content_hash_changes_with_any_field_and_is_stable(complete_plan, editor):
    before = plan_content_hash(complete_plan)
    assert plan_content_hash(complete_plan) == before
    plan_action_update(action=complete_plan.actions.first(), user=editor, data={"comments": "new"})
    assert plan_content_hash(complete_plan) != before
    assert before != hashlib.sha256(b"").hexdigest()


def test_change_voids_signatures_and_names_who_must_sign_again(complete_plan, signatories, editor):
    sign_all(complete_plan, signatories)
    assert all(s["valid"] for s in services.signatures_status(plan=complete_plan))
    plan_action_update(action=complete_plan.actions.get(code="GOV-M1"), user=editor, data={"progress": "More"})
    status = services.signatures_status(plan=complete_plan)
    assert not any(s["valid"] for s in status)
    assert all("GOV-M1" in s["signature"].void_reason for s in status)
    assert AuditEntry.objects.filter(object_type="cycle.signature", field="voided_at").count() == 3


def test_signing_an_out_of_date_version_is_refused(complete_plan, signatories, editor):
    seen = plan_content_hash(complete_plan)
    plan_action_update(action=complete_plan.actions.first(), user=editor, data={"progress": "Changed meanwhile"})
    with pytest.raises(ValidationError, match="has changed since you opened it"):
        services.plan_sign(plan=complete_plan, user=signatories["leader"], name="Lee", confirmed=True, seen_hash=seen)
    assert not Signature.objects.exists()


def test_signing_needs_the_statement_and_a_name(complete_plan, signatories):
    with pytest.raises(ValidationError) as exc:
        services.plan_sign(
            plan=complete_plan,
            user=signatories["leader"],
            name=" ",
            confirmed=False,
            seen_hash=plan_content_hash(complete_plan),
        )
    assert set(exc.value.message_dict) == {"name", "confirmed"}


def test_only_signatories_for_the_borough_sign(complete_plan, editor, london):
    from tests.factories import UserFactory
    from vrhub.accounts.models import User
    from vrhub.organisations.models import Organisation

    other = UserFactory(
        organisation=Organisation.objects.get(code="MPS-AS"), role=User.Role.SIGNATORY, office=User.Office.BCU_COMMANDER
    )
    for user in (editor, other):
        with pytest.raises(PermissionDenied):
            services.plan_sign(
                plan=complete_plan, user=user, name="X", confirmed=True, seen_hash=plan_content_hash(complete_plan)
            )


def test_submission_requires_three_valid_signatures(complete_plan, signatories, editor):
    services.plan_sign(
        plan=complete_plan,
        user=signatories["leader"],
        name="Lee",
        confirmed=True,
        seen_hash=plan_content_hash(complete_plan),
    )
    with pytest.raises(ValidationError, match="Chief Executive, BCU Commander"):
        services.plan_submit(plan=complete_plan, user=editor)
    complete_plan.refresh_from_db()
    assert complete_plan.state == Plan.State.DRAFT and complete_plan.submitted_at is None


def test_an_incomplete_plan_can_be_neither_signed_nor_submitted(plan, signatories, editor):
    with pytest.raises(ValidationError, match="not complete.*can be signed once every item is complete"):
        sign_all(plan, signatories)
    with pytest.raises(ValidationError, match="still to sign"):
        services.plan_submit(plan=plan, user=editor)


def test_full_cycle_and_state_machine(complete_plan, signatories, editor, reviewer):
    plan = complete_plan
    sign_all(plan, signatories)
    plan = services.plan_submit(plan=plan, user=editor)
    assert plan.state == Plan.State.SUBMITTED and plan.submitted_at
    with pytest.raises(ValidationError):
        plan_action_update(action=plan.actions.first(), user=editor, data={"progress": "locked"})
    with pytest.raises(ValidationError, match="cannot be submitted"):
        services.plan_submit(plan=plan, user=editor)
    with pytest.raises(PermissionDenied):
        services.plan_accept(plan=plan, user=editor)
    with pytest.raises(ValidationError):
        services.plan_return(plan=plan, user=reviewer, comment="  ")
    plan = services.plan_return(plan=plan, user=reviewer, comment="Add a baseline for GOV-M2")
    assert plan.state == Plan.State.RETURNED
    plan_action_update(action=plan.actions.get(code="GOV-M2"), user=editor, data={"baseline": "2020/21: 12"})
    with pytest.raises(ValidationError, match="still to sign"):
        services.plan_submit(plan=plan, user=editor)
    sign_all(plan, signatories)
    plan = services.plan_submit(plan=plan, user=editor)
    assert plan.state == Plan.State.RESUBMITTED
    plan = services.plan_accept(plan=plan, user=reviewer)
    assert plan.state == Plan.State.ACCEPTED and plan.accepted_at
    with pytest.raises(ValidationError, match="start a new version"):
        plan_action_update(action=plan.actions.first(), user=editor, data={"progress": "after acceptance"})
    states = list(
        AuditEntry.objects.filter(object_type="plans.plan", field="state").order_by("id").values_list("old", "new")
    )
    assert states == [
        ("draft", "submitted"),
        ("submitted", "returned"),
        ("returned", "resubmitted"),
        ("resubmitted", "accepted"),
    ]


def test_new_version_reopens_an_accepted_plan(complete_plan, signatories, editor, reviewer):
    sign_all(complete_plan, signatories)
    services.plan_submit(plan=complete_plan, user=editor)
    accepted = services.plan_accept(plan=complete_plan, user=reviewer)
    new = plan_new_version(plan=accepted, user=editor)
    accepted.refresh_from_db()
    assert (new.version, new.state, new.is_current) == (2, Plan.State.DRAFT, True)
    assert not accepted.is_current and accepted.state == Plan.State.ACCEPTED
    assert new.actions.count() == accepted.actions.count()
    assert new.actions.get(code="GOV-M1").outcome == accepted.actions.get(code="GOV-M1").outcome
    assert not any(s["valid"] for s in services.signatures_status(plan=new))


def test_late_submission_is_flagged(complete_plan, signatories, editor, template_2021):
    template_2021.submission_deadline = timezone.localdate() - dt.timedelta(days=1)
    template_2021.save()
    sign_all(complete_plan, signatories)
    plan = services.plan_submit(plan=complete_plan, user=editor)
    assert plan.late is True


def test_review_comment_threads(complete_plan, signatories, editor, reviewer):
    action = complete_plan.actions.get(code="GOV-M1")
    root = services.review_comment_add(plan=complete_plan, user=reviewer, body="Is the board quorate?", action=action)
    reply = services.review_comment_add(plan=complete_plan, user=editor, body="Yes, since May.", parent=root)
    assert reply.parent == root and reply.action == action
    with pytest.raises(PermissionDenied):
        services.review_comment_add(plan=complete_plan, user=editor, body="A new thread")
    with pytest.raises(ValidationError):
        services.review_comment_add(plan=complete_plan, user=reviewer, body="")
