"""Reads for the plan cycle; objects are reached through the plan's fetch-and-authorise helper."""

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from datetime import date as date_type

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Count, TextChoices

from vrhub.core.exceptions import NotFound
from vrhub.core.models import AuditEntry
from vrhub.cycle.models import QuarterlyUpdate, ReportingQuarter, ReviewComment, Signature
from vrhub.plans.models import Plan, PlanAction, Status, Theme


def quarters_for_plan(*, plan: Plan) -> list[ReportingQuarter]:
    return list(ReportingQuarter.objects.filter(template_id=plan.template_id).order_by("number"))


class QuarterState(TextChoices):
    """Where a borough's updates for a quarter stand; decided only by ``quarter_state``."""

    OPEN = "open", "Open"
    DUE_SOON = "due_soon", "Due soon"
    OVERDUE = "overdue", "Overdue"
    SUBMITTED = "submitted", "Submitted"
    CLOSED = "closed", "Closed"


# A tag for each state; the state's words are always in the tag, so colour is never the only signal.
QUARTER_STATE_TAGS = {
    QuarterState.OPEN: "govuk-tag--blue",
    QuarterState.DUE_SOON: "govuk-tag--yellow",
    QuarterState.OVERDUE: "govuk-tag--red",
    QuarterState.SUBMITTED: "govuk-tag--green",
    QuarterState.CLOSED: "govuk-tag--grey",
}


@dataclass(frozen=True)
class QuarterProgress:
    """One plan's updates for one quarter: how many are in, what is missing and the state that follows."""

    quarter: ReportingQuarter
    done: int
    total: int
    state: QuarterState
    days_to_due: int  # negative once the due date has passed

    @property
    def missing(self) -> int:
        return max(self.total - self.done, 0)

    @property
    def label(self) -> str:
        return self.state.label

    @property
    def tag_class(self) -> str:
        return QUARTER_STATE_TAGS[self.state]

    @property
    def needs_reminder(self) -> bool:
        return self.state in (QuarterState.DUE_SOON, QuarterState.OVERDUE)

    @property
    def overdue(self) -> bool:
        return self.state == QuarterState.OVERDUE

    @property
    def days_overdue(self) -> int:
        return max(-self.days_to_due, 0)

    @property
    def detail(self) -> str:
        """The state in a sentence, with the numbers behind it."""
        n = self.missing
        still = f"{n} action{'s' if n != 1 else ''} still to update"
        if self.state == QuarterState.CLOSED:
            return "Closed by the VRU: updates can no longer be changed"
        if self.state == QuarterState.SUBMITTED:
            return "Every action has its update"
        if self.state == QuarterState.OVERDUE:
            d = self.days_overdue
            return f"{d} day{'s' if d != 1 else ''} past the due date; {still}"
        if self.state == QuarterState.DUE_SOON:
            d = self.days_to_due
            when = "today" if d == 0 else f"in {d} day{'s' if d != 1 else ''}"
            return f"Due {when}; {still}"
        return still[0].upper() + still[1:]


def quarter_state(
    *, quarter: ReportingQuarter, done: int, total: int, today: date, due_soon_days: int | None = None
) -> QuarterProgress:
    """The one rule for a quarter's state, used by the quarters pages, the reminders and the London view.

    Closed: the VRU has closed the quarter. Submitted: every action to report on has its update.
    Overdue: the due date has passed (the day after ``due_on``) with updates missing. Due soon: updates
    missing and the due date is at most ``due_soon_days`` (``settings.REMINDER_DAYS_BEFORE``) days away.
    Open: otherwise.
    """
    days = settings.REMINDER_DAYS_BEFORE if due_soon_days is None else due_soon_days
    days_to_due = (quarter.due_on - today).days
    if quarter.is_closed:
        state = QuarterState.CLOSED
    elif done >= total:
        state = QuarterState.SUBMITTED
    elif days_to_due < 0:
        state = QuarterState.OVERDUE
    elif days_to_due <= days:
        state = QuarterState.DUE_SOON
    else:
        state = QuarterState.OPEN
    return QuarterProgress(quarter=quarter, done=done, total=total, state=state, days_to_due=days_to_due)


def quarter_update_counts(
    *, plans: Iterable[Plan], quarters: Iterable[ReportingQuarter]
) -> dict[tuple[int, int], tuple[int, int]]:
    """``{(quarter id, plan id): (updates in, actions to report on)}`` in two queries.

    Actions marked "Not being undertaken" have nothing to report and are left out of both counts.
    """
    plans, quarters = list(plans), list(quarters)
    counted = PlanAction.objects.filter(plan__in=plans).exclude(status=Status.NOT_UNDERTAKEN)
    totals = dict(counted.values("plan").annotate(n=Count("pk")).values_list("plan", "n"))
    updated = (
        QuarterlyUpdate.objects.filter(quarter__in=quarters, action__plan__in=plans)
        .exclude(action__status=Status.NOT_UNDERTAKEN)
        .values("quarter", "action__plan")
        .annotate(n=Count("pk"))
    )
    done = {(u["quarter"], u["action__plan"]): u["n"] for u in updated}
    return {
        (q.pk, p.pk): (done.get((q.pk, p.pk), 0), totals.get(p.pk, 0))
        for q in quarters
        for p in plans
        if p.template_id == q.template_id
    }


def plan_quarter_progress(*, plan: Plan, today: date) -> list[QuarterProgress]:
    """The state of each of the plan's quarters on ``today``."""
    quarters = quarters_for_plan(plan=plan)
    counts = quarter_update_counts(plans=[plan], quarters=quarters)
    return [
        quarter_state(quarter=q, done=counts[(q.pk, plan.pk)][0], total=counts[(q.pk, plan.pk)][1], today=today)
        for q in quarters
    ]


def quarter_get_for_plan(*, plan: Plan, number: int) -> ReportingQuarter:
    try:
        return ReportingQuarter.objects.select_related("template").get(template_id=plan.template_id, number=number)
    except ReportingQuarter.DoesNotExist as exc:
        raise NotFound("No such quarter") from exc


def comment_get_for_plan(*, plan: Plan, pk: int) -> ReviewComment:
    try:
        return ReviewComment.objects.get(plan=plan, pk=pk)
    except ReviewComment.DoesNotExist as exc:
        raise NotFound("No such comment") from exc


def comment_targets(*, plan: Plan) -> list[tuple[str, str]]:
    """What a review comment on ``plan`` can be about: the plan, one of its themes or one of its actions."""
    targets = [("", "The plan as a whole")]
    targets += [(f"theme:{t.pk}", f"Theme: {t.title}") for t in plan.template.themes.all()]
    targets += [(f"action:{a.pk}", f"Action {a.code}: {a.title[:80]}") for a in plan.actions.order_by("code")]
    return targets


def review_threads(*, plan: Plan, theme: Theme | None = None) -> list[dict]:
    """Top-level review comments, each with its replies, ordered by time (only those about ``theme`` or
    its actions, if given)."""
    comments = ReviewComment.objects.filter(plan=plan).select_related(
        "author__organisation", "action", "theme", "addressed_by"
    )
    if theme is not None:
        comments = comments.filter(theme=theme)
    replies = defaultdict(list)
    for c in comments:
        if c.parent_id:
            replies[c.parent_id].append(c)
    return [{"comment": c, "replies": replies[c.pk]} for c in comments if not c.parent_id]


def return_notice(*, plan: Plan) -> dict | None:
    """For a plan returned for changes: the reviewer's reason (who, when, what) and the review comments
    still open, each with where it is about. None for a plan in any other state."""
    if plan.state != Plan.State.RETURNED:
        return None
    reason = (
        ReviewComment.objects.filter(plan=plan, is_return_reason=True, parent__isnull=True)
        .select_related("author__organisation")
        .order_by("-created_at", "-id")
        .first()
    )
    open_comments = ReviewComment.objects.filter(plan=plan, parent__isnull=True, addressed_at__isnull=True)
    if reason is not None:
        open_comments = open_comments.exclude(pk=reason.pk)
    return {
        "reason": reason,
        "open_comments": list(open_comments.select_related("action", "theme").order_by("created_at", "id")),
    }


def updates_by_action(*, plan: Plan) -> dict[int, dict[int, QuarterlyUpdate]]:
    """``{action_id: {quarter number: update}}`` for the whole plan, in one query."""
    result: dict[int, dict[int, QuarterlyUpdate]] = defaultdict(dict)
    for u in QuarterlyUpdate.objects.filter(action__plan=plan).select_related("quarter"):
        result[u.action_id][u.quarter.number] = u
    return result


def theme_status_trend(*, plan: Plan) -> list[dict]:
    """Per theme and quarter, how many actions reported each status."""
    quarters = quarters_for_plan(plan=plan)
    counts: dict[tuple[int, int], Counter] = defaultdict(Counter)
    rows = QuarterlyUpdate.objects.filter(action__plan=plan).values_list(
        "action__theme_id", "quarter__number", "status"
    )
    for theme_id, number, status in rows:
        counts[(theme_id, number)][status] += 1
    trend = []
    for theme in Theme.objects.filter(template_id=plan.template_id).order_by("order"):
        trend.append(
            {
                "theme": theme,
                "quarters": [
                    {
                        "quarter": q,
                        "counts": [(s, counts[(theme.pk, q.number)][s.value]) for s in Status],
                        "total": sum(counts[(theme.pk, q.number)].values()),
                    }
                    for q in quarters
                ],
            }
        )
    return trend


def action_history(*, action: PlanAction) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action_id=action.pk).select_related("actor").order_by("at", "id"))


# Sign-off ------------------------------------------------------------------------------------------

REPLACED = "replaced by a new signature"  # the void reason of a signature its signatory replaced
# What a signature covers (``plans.content.plan_content_hash``): actions, their documents and citations.
SIGNED_CONTENT = ("plans.planaction", "plans.supportingdocument", "evidence.citation")
_OBJECT_WORDS = {"plans.supportingdocument": "Document", "evidence.citation": "Evidence citation"}


def _field_label(object_type: str, name: str) -> str:
    if object_type == "plans.planaction" and name:
        try:
            return str(getattr(PlanAction._meta.get_field(name), "verbose_name", name)).capitalize()
        except FieldDoesNotExist:
            pass
    return name.replace("_", " ").capitalize()


def _value_text(object_type: str, name: str, value: str) -> str:
    """An audited value in words: statuses by their label, dates written out, yes/no kept, blank said."""
    if value == "":
        return "(blank)"
    if object_type == "plans.planaction" and name == "status" and value in Status.values:
        return str(Status(value).label)
    if object_type == "plans.planaction" and name in ("start_date", "end_date"):
        try:
            return date_type.fromisoformat(value).strftime("%-d %B %Y")
        except ValueError:
            return value
    return value


def changes_since(*, plan: Plan, since: datetime) -> list[dict]:
    """Every change to what a signature covers since ``since``, read from the audit trail, field by field:
    ``[{"code", "title", "action_id", "rows": [{"what", "field", "old", "new", "who", "at"}]}]`` per action,
    in the plan's order. Several changes to one field show as one row from the first old value to the
    last new one (with everyone who changed it); a field changed and changed back is left out."""
    entries = list(
        AuditEntry.objects.filter(plan_id=plan.pk, at__gt=since, object_type__in=SIGNED_CONTENT)
        .select_related("actor")
        .order_by("at", "id")
    )
    net: dict[tuple, dict] = {}
    for e in entries:
        key = (e.action_id, e.object_type, e.object_id, e.field if e.action == AuditEntry.Action.UPDATE else e.action)
        who = e.actor.display_name if e.actor else "the system"
        if key not in net:
            what = _OBJECT_WORDS.get(e.object_type, "")
            if e.action == AuditEntry.Action.CREATE:
                label = f"{what} added" if what else "Action added"
            elif e.action == AuditEntry.Action.DELETE:
                label = f"{what} removed" if what else "Action removed"
            else:
                label = (
                    f"{what}: {_field_label(e.object_type, e.field)}" if what else _field_label(e.object_type, e.field)
                )
            net[key] = {"field": label, "old": e.old, "new": e.new, "who": [who], "at": e.at, "type": e.object_type}
            net[key]["name"] = e.field
            net[key]["repr"] = e.object_repr
        else:
            row = net[key]
            row["new"], row["at"] = e.new, e.at
            if who not in row["who"]:
                row["who"].append(who)
    by_action: dict[int | None, list[dict]] = defaultdict(list)
    for (action_id, object_type, _oid, kind), row in net.items():
        if kind in (AuditEntry.Action.CREATE, AuditEntry.Action.DELETE):
            if kind == AuditEntry.Action.CREATE and row["name"] not in ("title", "code"):
                continue  # one row per object added: its title (documents) or code (actions)
            old, new = ("", row["repr"]) if kind == AuditEntry.Action.CREATE else (row["repr"], "")
        elif row["old"] == row["new"]:
            continue
        else:
            old, new = (
                _value_text(object_type, row["name"], row["old"]),
                _value_text(object_type, row["name"], row["new"]),
            )
        by_action[action_id].append(
            {"field": row["field"], "old": old or "–", "new": new or "–", "who": ", ".join(row["who"]), "at": row["at"]}
        )
    actions = {
        a.pk: a
        for a in plan.actions.filter(pk__in=[k for k in by_action if k]).order_by("theme__order", "order", "code")
    }
    result = []
    for action_id, rows in sorted(
        by_action.items(), key=lambda item: list(actions).index(item[0]) if item[0] in actions else len(actions)
    ):
        action = actions.get(action_id) if action_id else None
        result.append(
            {
                "action_id": action_id,
                "code": action.code if action else "",
                "title": action.title if action else "An action since removed",
                "theme_code": action.theme.code if action else "",
                "rows": rows,
            }
        )
    return result


def signoff_todo(*, user) -> dict:
    """A signatory's to-do list: plans ready for their signature (complete, current, not yet submitted, with
    no valid signature of their office), plans still being completed, and their signatures that were voided
    on plans they have not signed again, with when and why."""
    from vrhub.organisations.selectors import areas_visible_to
    from vrhub.plans.completeness import plans_completeness
    from vrhub.plans.content import plan_content_hash

    plans = list(
        Plan.objects.filter(area__in=areas_visible_to(user=user), is_current=True, state__in=Plan.EDITABLE_STATES)
        .select_related("area", "template")
        .order_by("area__name", "-template__year")
    )
    checks = plans_completeness(plans=plans)
    sigs = defaultdict(list)
    for sig in Signature.objects.filter(plan__in=plans, office=user.office).order_by("signed_at", "id"):
        sigs[sig.plan_id].append(sig)
    to_sign: list[dict] = []
    waiting: list[dict] = []
    voided: list[dict] = []
    for plan in plans:
        latest = sigs[plan.pk][-1] if sigs[plan.pk] else None
        valid = latest is not None and latest.voided_at is None and latest.content_hash == plan_content_hash(plan)
        if valid:
            continue
        mine = [s for s in sigs[plan.pk] if s.signatory_id == user.pk and s.voided_at and s.void_reason != REPLACED]
        if mine:
            voided.append({"plan": plan, "signature": mine[-1]})
        check = checks[plan.pk]
        (to_sign if check.complete else waiting).append({"plan": plan, "check": check, "resign": bool(mine)})
    return {"to_sign": to_sign, "waiting": waiting, "voided": voided}


def signature_last_of(*, plan: Plan, user) -> Signature | None:
    """The latest signature ``user`` gave ``plan`` (valid or voided), if any."""
    return Signature.objects.filter(plan=plan, signatory=user).order_by("-signed_at", "-id").first()
