"""The plan cycle: quarterly updates, sign-off, submission and review. Each function validates,
writes in a transaction and records the audit trail; the state machine lives only here.

Each function opens its transaction itself (``with transaction.atomic():``) rather than with the
decorator: mutmut skips decorated functions, and these are the ones mutation testing must reach."""

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from vrhub.accounts.models import User
from vrhub.core.audit import audit_changes, audit_created, diff_fields
from vrhub.core.limits import text_length_errors
from vrhub.core.models import AuditEntry
from vrhub.cycle import selectors
from vrhub.cycle.models import QuarterlyUpdate, ReminderSent, ReportingQuarter, ReviewComment, Signature
from vrhub.organisations.selectors import areas_editable_by, areas_visible_to
from vrhub.plans.completeness import plan_completeness
from vrhub.plans.content import plan_content_hash
from vrhub.plans.models import Plan, PlanAction, PlanTemplate, Status

State = Plan.State
OFFICES = list(User.Office)  # every office signs; pages list them in this order
STATEMENT = "I confirm that I have reviewed this local violence and vulnerability reduction action plan."

TRANSITIONS: dict[str, dict[str, str]] = {
    "submit": {State.DRAFT: State.SUBMITTED, State.RETURNED: State.RESUBMITTED},
    "return": {State.SUBMITTED: State.RETURNED, State.RESUBMITTED: State.RETURNED},
    "accept": {State.SUBMITTED: State.ACCEPTED, State.RESUBMITTED: State.ACCEPTED},
}


class ConflictError(Exception):
    def __init__(self, update: QuarterlyUpdate, changes: list):
        self.update = update
        self.changes = changes
        super().__init__("changed by someone else")


def _is_reviewer(user, plan: Plan) -> bool:
    return user.is_vru_user and areas_visible_to(user=user).filter(pk=plan.area_id).exists()


def _is_editor(user, plan: Plan) -> bool:
    return areas_editable_by(user=user).filter(pk=plan.area_id).exists()


# Quarters and quarterly updates --------------------------------------------------------------


def quarters_create(*, template: PlanTemplate, due_days: int = 14, user=None) -> list[ReportingQuarter]:
    """The four financial-year quarters (April to March) of a template's year; idempotent.
    ``user=None`` is the system (demo data, commands)."""
    with transaction.atomic():
        year = template.year
        bounds = [
            (date(year, 4, 1), date(year, 6, 30)),
            (date(year, 7, 1), date(year, 9, 30)),
            (date(year, 10, 1), date(year, 12, 31)),
            (date(year + 1, 1, 1), date(year + 1, 3, 31)),
        ]
        quarters = []
        for number, (start, end) in enumerate(bounds, start=1):
            quarter, created = ReportingQuarter.objects.get_or_create(
                template=template,
                number=number,
                defaults={"starts_on": start, "ends_on": end, "due_on": end + timedelta(days=due_days)},
            )
            if created:
                audit_created(actor=user, obj=quarter, fields=["number", "starts_on", "ends_on", "due_on"])
            quarters.append(quarter)
        return quarters


def quarterly_update_save(
    *,
    action: PlanAction,
    quarter: ReportingQuarter,
    user,
    progress: str,
    status: str,
    measured_value: Decimal | None = None,
    expected_version: int | None = None,
) -> QuarterlyUpdate | None:
    """Create or change an action's update for a quarter. Returns None when nothing changed.

    ``expected_version`` is the update's version the person's page was loaded with (0 when it had no
    update yet): if someone else has saved since, nothing is saved and ConflictError says who. Pages
    always give it; only trusted callers with no page (demo data, tests) leave it out.
    """
    with transaction.atomic():
        if user is not None and not _is_editor(user, action.plan):
            raise PermissionDenied("You cannot report progress for this borough.")
        if quarter.template_id != action.plan.template_id:
            raise ValidationError({"quarter": "That quarter belongs to another plan year."})
        # Progress is reported on plans in any state, but only on the current version: lock the plan's row
        # (the same lock as submission, review and new versions take, always before the quarter's) and
        # re-check that under it.
        plan = Plan.objects.select_for_update(of=("self",)).get(pk=action.plan_id)
        quarter = ReportingQuarter.objects.select_for_update().get(pk=quarter.pk)
        if quarter.is_closed:
            raise ValidationError(f"{quarter.label} has been closed by the VRU; its updates can no longer be changed.")
        if not plan.is_current:
            raise ValidationError("This is an earlier version of the plan.")
        errors = {}
        progress = (progress or "").strip()
        if not progress:
            errors["progress"] = "Describe progress this quarter"
        if status not in Status.values:
            errors["status"] = "Choose a status"
        errors |= text_length_errors(model=QuarterlyUpdate, data={"progress": progress})
        if errors:
            raise ValidationError(errors)
        data = {"progress": progress, "status": status, "measured_value": measured_value}
        existing = QuarterlyUpdate.objects.select_for_update().filter(action=action, quarter=quarter).first()
        if existing is None:
            if expected_version not in (None, 0):
                raise ConflictError(QuarterlyUpdate(action=action, quarter=quarter), [])
            update = QuarterlyUpdate.objects.create(action=action, quarter=quarter, updated_by=user, **data)
            audit_created(actor=user, obj=update, fields=list(data), plan_id=action.plan_id, action_id=action.pk)
            return update
        if expected_version is not None and not 0 <= expected_version <= existing.version:
            raise ValidationError(
                {
                    "version": f"This page was loaded for version {expected_version} of the update, "
                    "which it has never had."
                }
            )
        if expected_version is not None and existing.version != expected_version:
            theirs = AuditEntry.objects.filter(
                object_type="cycle.quarterlyupdate", object_id=str(existing.pk), object_version__gt=expected_version
            ).select_related("actor")
            raise ConflictError(existing, list(theirs))
        if existing.measured_value is not None and measured_value is not None:
            data["measured_value"] = Decimal(measured_value).quantize(Decimal("0.01"))
        changes = diff_fields(existing, data)
        if not changes:
            return None
        for f, (_old, new) in changes.items():
            setattr(existing, f, new)
        existing.version += 1
        existing.updated_by = user
        existing.save()
        audit_changes(
            actor=user,
            obj=existing,
            changes=changes,
            plan_id=action.plan_id,
            action_id=action.pk,
            object_version=existing.version,
        )
        return existing


def quarter_close(*, quarter: ReportingQuarter, user) -> ReportingQuarter:
    with transaction.atomic():
        if not user.is_vru_user or user.organisation_id != quarter.template.vru_id:
            raise PermissionDenied("Only the VRU can close a reporting quarter.")
        quarter = ReportingQuarter.objects.select_for_update().get(pk=quarter.pk)
        if quarter.is_closed:
            raise ValidationError(f"{quarter.label} is already closed.")
        quarter.closed_at, quarter.closed_by = timezone.now(), user
        quarter.save()
        audit_changes(actor=user, obj=quarter, changes={"closed_at": (None, quarter.closed_at)})
        return quarter


# Signatures ---------------------------------------------------------------------------------


def _incomplete_refusal(plan: Plan, done: str) -> str | None:
    """The one completeness rule for signing and for submission (``plans.completeness``): why a plan
    cannot yet be ``done`` ("signed", "submitted"), or None when it is complete."""
    check = plan_completeness(plan)
    if check.complete:
        return None
    n = len(check.problems)
    return (
        f"The plan is not complete: {n} item{'s are' if n != 1 else ' is'} still to complete. "
        f"It can be {done} once every item is complete."
    )


def signature_is_valid(signature: Signature, current_hash: str) -> bool:
    return signature.voided_at is None and signature.content_hash == current_hash


def signatures_void(*, plan: Plan, user, reason: str) -> int:
    """Void every live signature: called by the plan services on any change of content."""
    live = list(Signature.objects.filter(plan=plan, voided_at__isnull=True))
    now = timezone.now()
    for sig in live:
        sig.voided_at, sig.void_reason = now, reason[:300]
        sig.save(update_fields=["voided_at", "void_reason"])
        audit_changes(
            actor=user, obj=sig, changes={"voided_at": (None, now), "void_reason": ("", reason)}, plan_id=plan.pk
        )
    return len(live)


def plan_sign(*, plan: Plan, user, name: str, confirmed: bool, seen_hash: str) -> Signature:
    """A signatory signs the version of the plan they were shown (``seen_hash``)."""
    with transaction.atomic():
        plan = Plan.objects.select_for_update(of=("self",)).get(pk=plan.pk)
        if not user.is_signatory or user.office not in OFFICES:
            raise PermissionDenied(
                "Only the Chief Executive, the Leader or Elected Mayor and the BCU Commander sign plans."
            )
        if not areas_visible_to(user=user).filter(pk=plan.area_id).exists():
            raise PermissionDenied("You do not sign for this borough.")
        if not plan.is_editable:  # read under the lock taken above, as plan_lock_editable does
            raise ValidationError(
                f"This plan is {plan.get_state_display().lower()}; it can be signed only before submission."
            )
        errors = {}
        name = (name or "").strip()
        if not name:
            errors["name"] = "Enter your name as it should appear on the sign-off"
        if not confirmed:
            errors["confirmed"] = "Confirm that you have reviewed the plan"
        if errors:
            raise ValidationError(errors)
        current = plan_content_hash(plan)
        if seen_hash != current:
            raise ValidationError(
                "The plan has changed since you opened it. Review the current version and sign again."
            )
        if refusal := _incomplete_refusal(plan, "signed"):
            raise ValidationError(refusal)
        if Signature.objects.filter(
            plan=plan, office=user.office, voided_at__isnull=True, content_hash=current
        ).exists():
            raise ValidationError(f"The {user.get_office_display()} has already signed this version of the plan.")
        for old in Signature.objects.filter(plan=plan, office=user.office, voided_at__isnull=True):
            old.voided_at, old.void_reason = timezone.now(), REPLACED
            old.save(update_fields=["voided_at", "void_reason"])
            audit_changes(
                actor=user,
                obj=old,
                changes={"voided_at": (None, old.voided_at), "void_reason": ("", old.void_reason)},
                plan_id=plan.pk,
            )
        sig = Signature.objects.create(
            plan=plan, signatory=user, office=user.office, name=name, statement=STATEMENT, content_hash=current
        )
        audit_created(actor=user, obj=sig, fields=["office", "name", "content_hash"], plan_id=plan.pk)
        return sig


# Sign-off e-mails: each event once, recorded in the audit trail (field names below), sent on commit.
NOTICE_READY = "ready_to_sign_notice"  # on the plan; ``new`` is the signatory's username
NOTICE_VOIDED = "void_notice"  # on the voided signature; ``new`` is the address written to
REPLACED = "replaced by a new signature"


def _signatories_for(plan: Plan) -> list[User]:
    """The people who sign ``plan``: the area's Chief Executive and Leader, and its BCU's Commander."""
    orgs = [plan.area_id] + ([plan.area.bcu_id] if plan.area.bcu_id else [])
    return list(
        User.objects.filter(role=User.Role.SIGNATORY, is_active=True, organisation_id__in=orgs)
        .exclude(office="")
        .order_by("username")
    )


def _mail_on_commit(*, subject: str, message: str, to: str) -> None:
    transaction.on_commit(
        lambda: send_mail(subject=subject, message=message, from_email=settings.DEFAULT_FROM_EMAIL, recipient_list=[to])
    )


def signoff_notices_send(*, plan: Plan, user=None) -> list[dict]:
    """E-mail each signatory whose signature on ``plan`` was voided, and, when the plan passes the
    completeness check, each signatory who has not signed it yet that it is ready to sign. Never twice
    for the same event: each e-mail is recorded in the audit trail (``user``, whose change caused it, as
    the actor) and that record is checked first. Called in the transaction of the change (which holds the
    plan's lock); the e-mails go when it commits. Returns ``[{"to", "kind"}]`` of the e-mails queued."""
    plan = Plan.objects.select_related("area", "template").get(pk=plan.pk)
    year = f"{plan.template.year}/{str(plan.template.year + 1)[-2:]}"
    link = f"{settings.SITE_URL}/plans/{plan.pk}/sign/"
    queued = []
    voided = list(
        Signature.objects.filter(plan=plan, voided_at__isnull=False)
        .exclude(void_reason=REPLACED)
        .select_related("signatory")
    )
    told = set(
        AuditEntry.objects.filter(
            object_type="cycle.signature", field=NOTICE_VOIDED, object_id__in=[str(s.pk) for s in voided]
        ).values_list("object_id", flat=True)
    )
    for sig in voided:
        if str(sig.pk) in told or not sig.signatory.email:
            continue
        audit_changes(actor=user, obj=sig, changes={NOTICE_VOIDED: ("", sig.signatory.email)}, plan_id=plan.pk)
        _mail_on_commit(
            subject=f"vrhub: your signature on the {plan.area.name} {year} plan has been voided",
            message=(
                f"Your signature as {sig.get_office_display()} on the {plan.area.name} {year} plan, given on "
                f"{timezone.localtime(sig.signed_at):%-d %B %Y}, was voided on "
                f"{timezone.localtime(sig.voided_at):%-d %B %Y} because the plan changed ({sig.void_reason}).\n\n"
                f"See every change since you signed, and sign again, at {link}\n"
            ),
            to=sig.signatory.email,
        )
        queued.append({"to": sig.signatory.email, "kind": "voided"})
    if not (plan.is_current and plan.is_editable and plan_completeness(plan).complete):
        return queued
    signed = set(Signature.objects.filter(plan=plan).values_list("signatory_id", flat=True))
    already = set(
        AuditEntry.objects.filter(object_type="plans.plan", object_id=str(plan.pk), field=NOTICE_READY).values_list(
            "new", flat=True
        )
    )
    for person in _signatories_for(plan):
        if person.pk in signed or person.username in already or not person.email:
            continue
        audit_changes(actor=user, obj=plan, changes={NOTICE_READY: ("", person.username)}, plan_id=plan.pk)
        _mail_on_commit(
            subject=f"vrhub: the {plan.area.name} {year} plan is ready for you to sign",
            message=(
                f"The {plan.area.name} {year} plan has passed its completeness check and is ready for your "
                f"signature as {person.get_office_display()}.\n\nRead it and sign at {link}\n"
            ),
            to=person.email,
        )
        queued.append({"to": person.email, "kind": "ready"})
    return queued


def signatures_status(*, plan: Plan) -> list[dict]:
    """For each office: the latest signature (if any), whether it is valid, and whether it is needed."""
    current = plan_content_hash(plan)
    sigs = list(Signature.objects.filter(plan=plan).select_related("signatory").order_by("signed_at", "id"))
    result = []
    for office in OFFICES:
        latest = [s for s in sigs if s.office == office]
        sig = latest[-1] if latest else None
        valid = bool(sig and signature_is_valid(sig, current))
        result.append({"office": office, "label": User.Office(office).label, "signature": sig, "valid": valid})
    return result


# Submission and review ----------------------------------------------------------------------


def _check_transition(plan: Plan, name: str) -> None:
    if not plan.is_current or plan.state not in TRANSITIONS[name]:
        raise ValidationError(f"A plan that is {plan.get_state_display().lower()} cannot be {_PAST[name]}.")


def _transition(plan: Plan, name: str, user) -> str:
    _check_transition(plan, name)
    old, new = plan.state, TRANSITIONS[name][plan.state]
    plan.state = new
    audit_changes(actor=user, obj=plan, changes={"state": (old, new)}, plan_id=plan.pk)
    return new


_PAST = {"submit": "submitted", "return": "returned", "accept": "accepted"}


def plan_submit(*, plan: Plan, user) -> Plan:
    with transaction.atomic():
        plan = Plan.objects.select_for_update(of=("self",)).select_related("template", "area").get(pk=plan.pk)
        if not _is_editor(user, plan):
            raise PermissionDenied("Only the borough's editors submit its plan.")
        _check_transition(plan, "submit")
        missing = [s["label"] for s in signatures_status(plan=plan) if not s["valid"]]
        if missing:
            raise ValidationError(
                f"The plan needs valid signatures from all three signatories: still to sign {', '.join(missing)}."
            )
        if refusal := _incomplete_refusal(plan, "submitted"):
            raise ValidationError(refusal)
        _transition(plan, "submit", user)
        now = timezone.now()
        plan.submitted_at = plan.submitted_at or now
        plan.last_submitted_at = now
        plan.save()
        return plan


def _review_comment_clean(comment: str) -> str:
    """A decision's comment, checked before the decision writes anything (errors name ``comment``)."""
    comment = (comment or "").strip()
    if errors := text_length_errors(model=ReviewComment, data={"body": comment}):
        raise ValidationError({"comment": errors["body"]})
    return comment


def plan_return(*, plan: Plan, user, comment: str) -> Plan:
    """Return a submitted plan to the borough with a comment saying what must change: all or nothing."""
    with transaction.atomic():
        plan = Plan.objects.select_for_update(of=("self",)).get(pk=plan.pk)
        if not _is_reviewer(user, plan):
            raise PermissionDenied("Only VRU reviewers return plans.")
        comment = _review_comment_clean(comment)
        if not comment:
            raise ValidationError({"comment": "Say what the borough needs to change"})
        _check_transition(plan, "return")
        _transition(plan, "return", user)
        plan.save()
        review_comment_add(plan=plan, user=user, body=comment, is_return_reason=True)
        return plan


def plan_accept(*, plan: Plan, user, comment: str = "") -> Plan:
    """Accept a submitted plan, with an optional comment to the borough: the comment is checked first,
    and the plan is accepted with its comment or, on any error, not at all."""
    with transaction.atomic():
        plan = Plan.objects.select_for_update(of=("self",)).get(pk=plan.pk)
        if not _is_reviewer(user, plan):
            raise PermissionDenied("Only VRU reviewers accept plans.")
        comment = _review_comment_clean(comment)
        _check_transition(plan, "accept")
        _transition(plan, "accept", user)
        plan.accepted_at = timezone.now()
        plan.save()
        if comment:
            review_comment_add(plan=plan, user=user, body=comment)
        return plan


def review_comment_add(
    *,
    plan: Plan,
    user,
    body: str,
    action: PlanAction | None = None,
    theme=None,
    parent: ReviewComment | None = None,
    is_return_reason: bool = False,
) -> ReviewComment:
    """Reviewers start threads on the plan, a theme or an action; the borough and reviewers reply.
    ``is_return_reason`` marks the comment a reviewer returned the plan with (``plan_return`` sets it)."""
    with transaction.atomic():
        reviewer = _is_reviewer(user, plan)
        if not reviewer and not (_is_editor(user, plan) and parent is not None):
            raise PermissionDenied("Only VRU reviewers start review comments; the borough replies to them.")
        body = (body or "").strip()
        if not body:
            raise ValidationError({"body": "Enter a comment"})
        if errors := text_length_errors(model=ReviewComment, data={"body": body}):
            raise ValidationError(errors)
        if parent is not None:
            if parent.plan_id != plan.pk:
                raise ValidationError({"parent": "That comment belongs to another plan."})
            root = parent
            while root.parent_id and root.parent is not None:
                root = root.parent
            parent, action, theme = root, root.action, root.theme
        if action is not None and action.plan_id != plan.pk:
            raise ValidationError({"action": "That action belongs to another plan."})
        if action is not None:
            theme = action.theme
        if theme is not None and theme.template_id != plan.template_id:
            raise ValidationError({"theme": "That theme is not in this plan."})
        if is_return_reason and (not reviewer or parent is not None):
            raise ValidationError("Only a reviewer's new comment can be the reason for returning a plan.")
        comment = ReviewComment.objects.create(
            plan=plan,
            theme=theme,
            action=action,
            parent=parent,
            author=user,
            body=body,
            is_return_reason=is_return_reason,
        )
        audit_created(
            actor=user,
            obj=comment,
            fields=["body", "is_return_reason"] if is_return_reason else ["body"],
            plan_id=plan.pk,
            action_id=action.pk if action else None,
        )
        return comment


def _comment_lock(comment: ReviewComment) -> ReviewComment:
    """The comment's row, locked for the rest of the transaction, with its plan; only a thread's first
    comment (not a reply) is marked addressed or reopened."""
    locked = ReviewComment.objects.select_for_update(of=("self",)).select_related("plan").get(pk=comment.pk)
    if locked.parent_id is not None:
        raise ValidationError("A reply cannot be marked addressed: mark the comment it replies to.")
    return locked


def review_comment_mark_addressed(*, comment: ReviewComment, user) -> ReviewComment:
    """The borough's editor says a review comment has been dealt with; reviewers see who did and when."""
    with transaction.atomic():
        comment = _comment_lock(comment)
        if not _is_editor(user, comment.plan):
            raise PermissionDenied("Only the borough's editors mark review comments addressed.")
        if comment.addressed_at is not None:
            raise ValidationError(
                f"This comment was already marked addressed on {timezone.localtime(comment.addressed_at):%-d %B %Y}."
            )
        now = timezone.now()
        comment.addressed_at, comment.addressed_by = now, user
        comment.save(update_fields=["addressed_at", "addressed_by"])
        audit_changes(
            actor=user,
            obj=comment,
            changes={"addressed_at": (None, now), "addressed_by": ("", user.display_name)},
            plan_id=comment.plan_id,
            action_id=comment.action_id,
        )
        return comment


def review_comment_reopen(*, comment: ReviewComment, user) -> ReviewComment:
    """A VRU reviewer reopens a comment the borough marked addressed: it shows as open again."""
    with transaction.atomic():
        comment = _comment_lock(comment)
        if not _is_reviewer(user, comment.plan):
            raise PermissionDenied("Only VRU reviewers reopen review comments.")
        if comment.addressed_at is None:
            raise ValidationError("This comment is open already.")
        old_at, old_by = comment.addressed_at, comment.addressed_by
        comment.addressed_at, comment.addressed_by = None, None
        comment.save(update_fields=["addressed_at", "addressed_by"])
        audit_changes(
            actor=user,
            obj=comment,
            changes={"addressed_at": (old_at, None), "addressed_by": (old_by.display_name if old_by else "", "")},
            plan_id=comment.plan_id,
            action_id=comment.action_id,
        )
        return comment


# Reminders ---------------------------------------------------------------------------------


def reminders_due(*, today: date, days_before: int | None = None, vru=None) -> list[dict]:
    """Editors whose quarterly updates are due within ``days_before`` days or overdue (of one VRU, if given)."""
    days_before = settings.REMINDER_DAYS_BEFORE if days_before is None else days_before
    open_quarters = ReportingQuarter.objects.filter(
        closed_at__isnull=True, due_on__lte=today + timedelta(days=days_before)
    ).select_related("template")
    if vru is not None:
        open_quarters = open_quarters.filter(template__vru=vru)
    quarters = list(open_quarters)
    # Five queries whatever the number of quarters, plans and editors (tests/cycle pins the count).
    plans = list(
        Plan.objects.filter(template_id__in={q.template_id for q in quarters}, is_current=True).select_related("area")
    )
    counts = selectors.quarter_update_counts(plans=plans, quarters=quarters)
    editors: dict[int, list[User]] = defaultdict(list)
    for editor in User.objects.filter(
        organisation_id__in={p.area_id for p in plans}, role=User.Role.BOROUGH_EDITOR, is_active=True
    ).order_by("username"):
        if editor.organisation_id is not None:
            editors[editor.organisation_id].append(editor)
    rows = []
    for quarter in quarters:
        for plan in (p for p in plans if p.template_id == quarter.template_id):
            done, total = counts[(quarter.pk, plan.pk)]
            # The same rule as the quarters pages: remind when a quarter is due soon or overdue.
            progress = selectors.quarter_state(
                quarter=quarter, done=done, total=total, today=today, due_soon_days=days_before
            )
            if not progress.needs_reminder:
                continue
            for editor in editors[plan.area_id]:
                rows.append(
                    {
                        "user": editor.username,
                        "email": editor.email,
                        "area": plan.area.code,
                        "area_name": plan.area.name,
                        "quarter": quarter.label,
                        "due": quarter.due_on.isoformat(),
                        "overdue": progress.overdue,
                        "actions_missing": progress.missing,
                        "_ids": (editor.pk, plan.pk, quarter.pk),
                    }
                )
    return rows


def reminders_send(*, today: date, dry_run: bool = False, vru=None, progress=None) -> list[dict]:
    """Send each due reminder once per day; returns the reminders sent (or, dry, that would be).

    Each reminder is recorded and sent in its own transaction, so a run stopped part-way can simply be
    run again: those already sent today are not sent twice.
    """
    sent = []
    due = reminders_due(today=today, vru=vru)
    for number, row in enumerate(due):
        if progress is not None:
            progress(number, len(due), f"{row['area_name']}, {row['quarter']}")
        user_id, plan_id, quarter_id = row["_ids"]
        if ReminderSent.objects.filter(user_id=user_id, plan_id=plan_id, quarter_id=quarter_id, sent_on=today).exists():
            continue
        if not dry_run:
            with transaction.atomic():
                _, created = ReminderSent.objects.get_or_create(
                    user_id=user_id,
                    plan_id=plan_id,
                    quarter_id=quarter_id,
                    sent_on=today,
                    defaults={"actions_missing": row["actions_missing"]},
                )
                if not created:
                    continue
                state = "were due" if row["overdue"] else "are due"
                due_on = date.fromisoformat(row["due"])
                due_text = f"{due_on.day} {due_on:%B %Y}"
                n = row["actions_missing"]
                send_mail(
                    subject=f"vrhub: {row['area_name']} {row['quarter']} updates {state} on {due_text}",
                    message=(
                        f"{n} action{'s' if n != 1 else ''} in the {row['area_name']} plan "
                        f"{'have' if n != 1 else 'has'} no {row['quarter']} update yet. "
                        f"Updates {state} by {due_text}.\n\n"
                        f"Add them at {settings.SITE_URL}/plans/{plan_id}/quarters/\n"
                    ),
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    recipient_list=[row["email"]],
                )
        sent.append({k: v for k, v in row.items() if not k.startswith("_") and k not in {"email", "area_name"}})
    return sent
