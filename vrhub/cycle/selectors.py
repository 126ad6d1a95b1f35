"""Reads for the plan cycle; objects are reached through the plan's fetch-and-authorise helper."""

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Count, TextChoices

from vrhub.core.exceptions import NotFound
from vrhub.core.models import AuditEntry
from vrhub.cycle.models import QuarterlyUpdate, ReportingQuarter, ReviewComment
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


def review_threads(*, plan: Plan) -> list[dict]:
    """Top-level review comments, each with its replies, ordered by time."""
    comments = list(ReviewComment.objects.filter(plan=plan).select_related("author__organisation", "action", "theme"))
    replies = defaultdict(list)
    for c in comments:
        if c.parent_id:
            replies[c.parent_id].append(c)
    return [{"comment": c, "replies": replies[c.pk]} for c in comments if not c.parent_id]


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
