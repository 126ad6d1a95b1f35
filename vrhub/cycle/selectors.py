"""Reads for the plan cycle; objects are reached through the plan's fetch-and-authorise helper."""

from collections import Counter, defaultdict

from vrhub.core.exceptions import NotFound
from vrhub.core.models import AuditEntry
from vrhub.cycle.models import QuarterlyUpdate, ReportingQuarter, ReviewComment
from vrhub.plans.models import Plan, PlanAction, Status, Theme


def quarters_for_plan(*, plan: Plan) -> list[ReportingQuarter]:
    return list(ReportingQuarter.objects.filter(template_id=plan.template_id).order_by("number"))


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
