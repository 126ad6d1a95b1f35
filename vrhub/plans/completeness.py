"""The explanatory notes' pointers, checked for every action and for the plan as a whole.

Every action needs a RAG status. An action marked "Not being undertaken" needs only the rationale
(in comments). Every other action needs outcome(s), a baseline, a named lead (person and agency),
start and end dates (estimates allowed) and, once started, progress to date.
"""

from dataclasses import dataclass, field

from vrhub.plans.models import Plan, PlanAction, Status, TemplateAction


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


def plan_completeness(plan: Plan, actions: list[PlanAction] | None = None) -> PlanCompleteness:
    """Check a plan; pass ``actions`` (with ``theme`` loaded) to avoid re-querying."""
    if actions is None:
        actions = list(plan.actions.select_related("theme").order_by("theme__order", "order", "code"))
    themes_qs = plan.template.themes.all()
    themes = {t.code: ThemeCompleteness(code=t.code, title=t.title) for t in themes_qs}
    problems: list[Problem] = []
    complete_actions = 0
    for action in actions:
        found = action_problems(action)
        problems.extend(found)
        entry = themes[action.theme.code]
        entry.actions += 1
        if not found:
            entry.complete += 1
            complete_actions += 1

    present = {a.template_action_id for a in actions if a.template_action_id}
    missing = TemplateAction.objects.filter(
        theme__template_id=plan.template_id, kind=TemplateAction.Kind.MANDATORY
    ).exclude(pk__in=present)
    for ta in missing:
        problems.append(Problem(ta.code, "action", "This mandatory action is missing from the plan"))
    return PlanCompleteness(actions=len(actions), complete_actions=complete_actions, themes=themes, problems=problems)
