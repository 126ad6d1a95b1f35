"""The explanatory notes' pointers, checked for every action and for the plan as a whole.

Every action needs a RAG status. An action marked "Not being undertaken" needs only the rationale
(in comments). Every other action needs outcome(s), a baseline, a named lead (person and agency),
start and end dates (estimates allowed) and, once started, progress to date.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.db.models import F, QuerySet

from vrhub.plans.models import Plan, PlanAction, Status, TemplateAction, Theme


@dataclass(frozen=True)
class Problem:
    action: str  # action code, or "" for a plan-level problem
    field: str
    message: str

    def as_dict(self) -> dict:
        return {"action": self.action, "field": self.field, "message": self.message}


@dataclass
class ThemeCompleteness:
    code: str
    title: str
    actions: int = 0
    complete: int = 0


@dataclass
class PlanCompleteness:
    actions: int
    complete_actions: int
    themes: dict[str, ThemeCompleteness]
    problems: list[Problem] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.problems

    @property
    def percent(self) -> int:
        if not self.actions:
            return 0
        return int(100 * self.complete_actions / self.actions)

    def problems_for(self, code: str) -> list[Problem]:
        return [p for p in self.problems if p.action == code]


OPEN_ENDED = {"ongoing", "on-going", "continuous", "business as usual", "bau"}


def _open_ended(note: str) -> bool:
    """'Ongoing' stands in for a date; 'TBC' does not."""
    return note.strip().lower() in OPEN_ENDED


def action_problems(action: PlanAction) -> list[Problem]:
    code = action.code
    problems: list[Problem] = []

    def need(field_name: str, message: str) -> None:
        problems.append(Problem(code, field_name, message))

    if not action.status:
        need("status", "Choose a status")
    if action.status == Status.NOT_UNDERTAKEN:
        if not action.comments.strip():
            need("comments", "Give the rationale for not undertaking this action in the comments")
        return problems
    if not action.outcome.strip():
        need("outcome", "Enter the outcome(s) this action aims for")
    if not action.baseline.strip():
        need("baseline", "Enter a baseline for the outcome")
    if not action.lead_name.strip():
        need("lead_name", "Name the lead for this action")
    if not action.lead_agency.strip():
        need("lead_agency", "Enter the lead's agency")
    if action.start_date is None and not _open_ended(action.start_note):
        need("start_date", "Enter a start date (an estimate is allowed)")
    if action.end_date is None and not _open_ended(action.end_note):
        need("end_date", "Enter an end date (an estimate is allowed)")
    if action.status and action.status != Status.NOT_STARTED and not action.progress.strip():
        need("progress", "Describe progress to date")
    return problems


def completeness_from(
    *, actions: Iterable[PlanAction], themes: Iterable[Theme], mandatory: Iterable[TemplateAction]
) -> PlanCompleteness:
    """The one completeness rule, from rows already read: no queries.

    ``themes`` are the plan template's themes, ``mandatory`` its mandatory template actions (in the order
    their problems should be listed). Each action needs the fields ``action_problems`` reads and
    ``theme_id``; its theme need not be loaded. The percentage counts the plan's actions that are
    complete out of the plan's actions; a missing mandatory action is a problem, not a percentage point.
    """
    by_theme = {t.pk: ThemeCompleteness(code=t.code, title=t.title) for t in themes}
    problems: list[Problem] = []
    complete_actions = 0
    present = set()
    count = 0
    for action in actions:
        count += 1
        found = action_problems(action)
        problems.extend(found)
        entry = by_theme[action.theme_id]
        entry.actions += 1
        if not found:
            entry.complete += 1
            complete_actions += 1
        if action.template_action_id:
            present.add(action.template_action_id)
    for ta in mandatory:
        if ta.pk not in present:
            problems.append(Problem(ta.code, "action", "This mandatory action is missing from the plan"))
    return PlanCompleteness(
        actions=count,
        complete_actions=complete_actions,
        themes={t.code: t for t in by_theme.values()},
        problems=problems,
    )


def mandatory_actions(*, template_ids: Iterable[int]) -> QuerySet[TemplateAction]:
    """The templates' mandatory actions, each with ``template_id``, in the order their problems are listed."""
    return (
        TemplateAction.objects.filter(
            theme__template_id__in=list(template_ids), kind=TemplateAction.Kind.MANDATORY, retired=False
        )
        .annotate(template_id=F("theme__template_id"))
        .only("id", "code", "theme_id")
        .order_by("theme__order", "order", "code", "pk")
    )


def plan_completeness(plan: Plan, actions: list[PlanAction] | None = None) -> PlanCompleteness:
    """Check a plan; pass ``actions`` to avoid re-querying them. Three queries at most."""
    if actions is None:
        actions = list(plan.actions.order_by("theme__order", "order", "code"))
    return completeness_from(
        actions=actions, themes=plan.template.themes.all(), mandatory=mandatory_actions(template_ids=[plan.template_id])
    )


def plans_completeness(
    *, plans: Iterable[Plan], actions_by_plan: Mapping[int, list[PlanAction]] | None = None
) -> dict[int, PlanCompleteness]:
    """``{plan id: completeness}`` for many plans in three queries (two with ``actions_by_plan``)."""
    plans = list(plans)
    if not plans:
        return {}
    template_ids = {p.template_id for p in plans}
    themes: dict[int, list[Theme]] = defaultdict(list)
    for theme in Theme.objects.filter(template_id__in=template_ids).order_by("template_id", "order"):
        themes[theme.template_id].append(theme)
    mandatory: dict[int, list[TemplateAction]] = defaultdict(list)
    for ta in mandatory_actions(template_ids=template_ids):
        mandatory[ta.template_id].append(ta)
    if actions_by_plan is None:
        grouped: dict[int, list[PlanAction]] = defaultdict(list)
        for action in PlanAction.objects.filter(plan__in=[p.pk for p in plans]).order_by(
            "plan_id", "theme__order", "order", "code"
        ):
            grouped[action.plan_id].append(action)
        actions_by_plan = grouped
    return {
        p.pk: completeness_from(
            actions=actions_by_plan.get(p.pk, []), themes=themes[p.template_id], mandatory=mandatory[p.template_id]
        )
        for p in plans
    }
