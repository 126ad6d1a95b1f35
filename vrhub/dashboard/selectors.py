"""The VRU's view across all its boroughs, built in a fixed number of queries whatever the data size."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q
from django.utils import timezone

from vrhub.core.exceptions import NotFound
from vrhub.cycle.models import Signature
from vrhub.cycle.palette import BY_VALUE, STYLES
from vrhub.organisations.models import Organisation
from vrhub.plans.completeness import PlanCompleteness, completeness_from, mandatory_actions
from vrhub.plans.models import Plan, PlanAction, PlanTemplate, Status, TemplateAction, Theme


@dataclass
class BoroughRow:
    area: Organisation
    plan: Plan | None
    completeness: int = 0
    actions: int = 0
    complete_actions: int = 0
    signed: int = 0
    status: Counter = field(default_factory=Counter)
    by_theme: dict = field(default_factory=dict)  # theme code -> Counter of statuses
    adopted: set = field(default_factory=set)  # template action ids
    check: PlanCompleteness | None = None
    shown: Counter = field(default_factory=Counter)  # statuses ("" for none yet) in the themes shown
    overdue: int = 0  # in the themes shown
    not_started: int = 0  # mandatory actions not started, in the themes shown

    @property
    def state(self) -> str:
        return self.plan.get_state_display() if self.plan else "No plan"

    @property
    def late(self) -> bool:
        return bool(self.plan and self.plan.late)

    @property
    def shown_actions(self) -> int:
        """Actions in the themes shown, with or without a status."""
        return sum(self.shown.values())

    def share(self, status: str) -> float:
        return self.shown.get(status, 0) / self.shown_actions if self.shown_actions else 0.0

    @property
    def red_share(self) -> float:
        return self.share(Status.RED)

    @property
    def overdue_share(self) -> float:
        return self.overdue / self.shown_actions if self.shown_actions else 0.0

    def heat(self, theme_code: str) -> dict:
        """A heatmap cell: the share of the theme's actions in each status, never just the worst one."""
        counts = self.by_theme.get(theme_code, Counter())
        total = sum(counts.values())
        segments = []
        for style in (*STYLES, BY_VALUE[""]):
            n = counts.get(style.value, 0)
            if n:
                segments.append({"style": style, "count": n, "share": n / total})
        return {
            "total": total,
            "segments": segments,
            "text": " · ".join(f"{s['style'].letter} {s['count']}" for s in segments),
            "label": ", ".join(f"{s['count']} {s['style'].label.lower()}" for s in segments)
            + f" (of {total} action{'s' if total != 1 else ''})",
        }


# The one rule for an overdue action on the London view, until the quarterly updates' due-date rule
# (vrhub.cycle) replaces it: its end date has passed and it is neither complete nor not being undertaken.
FINISHED = (Status.COMPLETE, Status.NOT_UNDERTAKEN)


def is_overdue(*, action: PlanAction, today: date) -> bool:
    return bool(action.end_date and action.end_date < today and action.status not in FINISHED)


def is_mandatory_not_started(*, action: PlanAction) -> bool:
    return action.source == PlanAction.Source.MANDATORY and action.status in ("", Status.NOT_STARTED)


HEAT_SORTS = ("name", "red", "overdue")


def template_for(*, vru: Organisation, year: int) -> PlanTemplate | None:
    return PlanTemplate.objects.filter(vru=vru, year=year).first()


def london_overview(
    *,
    vru: Organisation,
    year: int,
    bcu: str = "",
    theme: str = "",
    sort: str = "name",
    descending: bool = False,
    heat_sort: str = "name",
    today: date | None = None,
) -> dict:
    """Every borough's plan for ``year``: table rows, heatmap cells, adoption and the counts needing attention.

    ``heat_sort`` orders the heatmap: ``name``, ``red`` (largest share of red actions first) or
    ``overdue`` (largest share of overdue actions first).
    """
    today = today or timezone.localdate()
    template = template_for(vru=vru, year=year)
    found = Organisation.objects.filter(kind=Organisation.Kind.AREA, vru=vru).select_related("bcu").order_by("name")
    if bcu:
        found = found.filter(bcu__code=bcu)
    areas = list(found)
    themes = list(Theme.objects.filter(template=template).order_by("order")) if template else []
    shown_themes = [t for t in themes if not theme or t.code == theme]
    plans = (
        {
            p.area_id: p
            for p in Plan.objects.filter(template=template, is_current=True, area__in=[a.pk for a in areas])
            .select_related("template")
            .order_by()  # a dictionary: no need for Plan's ordering, which joins the area
        }
        if template
        else {}
    )
    rows = {a.pk: BoroughRow(area=a, plan=plans.get(a.pk)) for a in areas}
    by_plan = {p.pk: rows[area_id] for area_id, p in plans.items()}

    optional = (
        list(
            TemplateAction.objects.filter(theme__template=template, kind=TemplateAction.Kind.OPTIONAL)
            .select_related("theme")
            .order_by("theme__order", "order")
        )
        if template
        else []
    )
    mandatory = list(mandatory_actions(template_ids=[template.pk])) if template else []
    theme_codes = {t.pk: t.code for t in themes}
    fields = [
        "id",
        "plan_id",
        "theme_id",
        "template_action_id",
        "source",
        "code",
        "title",
        "status",
        "outcome",
        "baseline",
        "lead_name",
        "lead_agency",
        "start_date",
        "end_date",
        "start_note",
        "end_note",
        "progress",
        "comments",
    ]
    actions = PlanAction.objects.filter(plan_id__in=list(by_plan)).only(*fields).order_by("plan_id", "code")
    actions_by_plan: dict[int, list[PlanAction]] = defaultdict(list)
    for action in actions:
        actions_by_plan[action.plan_id].append(action)
        row = by_plan[action.plan_id]
        code = theme_codes.get(action.theme_id)
        if action.source == PlanAction.Source.OPTIONAL:
            row.adopted.add(action.template_action_id)
        # Actions with no status yet are counted under "" (the heatmap shows them as "no status yet").
        row.by_theme.setdefault(code, Counter())[action.status] += 1
        if action.status:
            row.status[action.status] += 1
        if theme and code != theme:
            continue
        row.shown[action.status] += 1
        if is_mandatory_not_started(action=action):
            row.not_started += 1
        if is_overdue(action=action, today=today):
            row.overdue += 1
    for plan_id, row in by_plan.items():
        # The plan page's rule (plans.completeness), from the rows read above: no query per plan.
        row.check = completeness_from(actions=actions_by_plan[plan_id], themes=themes, mandatory=mandatory)
        row.actions = row.check.actions
        row.complete_actions = row.check.complete_actions
        row.completeness = row.check.percent
    signed = (
        Signature.objects.filter(plan_id__in=list(by_plan), voided_at__isnull=True)
        .values("plan_id")
        .annotate(n=Count("office", distinct=True))
    )
    for item in signed:
        by_plan[item["plan_id"]].signed = item["n"]

    ordered = list(rows.values())
    keys = {
        "name": lambda r: r.area.name,
        "state": lambda r: (r.state, r.area.name),
        "completeness": lambda r: (r.completeness, r.area.name),
        "late": lambda r: (r.late, r.area.name),
        "signed": lambda r: (r.signed, r.area.name),
        "bcu": lambda r: (r.area.bcu.name if r.area.bcu else "", r.area.name),
    }
    ordered.sort(key=keys.get(sort, keys["name"]), reverse=descending)

    with_plan = [r for r in ordered if r.plan]
    heat_rows = sorted(with_plan, key=lambda r: r.area.name)
    if heat_sort in ("red", "overdue"):
        share = (lambda r: r.red_share) if heat_sort == "red" else (lambda r: r.overdue_share)
        heat_rows.sort(key=share, reverse=True)  # stable: boroughs with the same share stay in name order
    adoption = []
    for ta in optional:
        if theme and ta.theme.code != theme:
            continue
        adopters = [r for r in ordered if ta.pk in r.adopted]
        adoption.append(
            {
                "action": ta,
                "cells": [ta.pk in r.adopted for r in ordered],
                "rate": round(100 * len(adopters) / len(with_plan)) if with_plan else 0,
            }
        )
    return {
        "template": template,
        "year": year,
        "rows": ordered,
        "themes": shown_themes,
        "all_themes": themes,
        "adoption": adoption,
        "heat_rows": heat_rows,
        "heat_sort": heat_sort if heat_sort in HEAT_SORTS else "name",
        "attention": [r for r in ordered if r.plan and (r.overdue or r.not_started)],
        "bcus": list(Organisation.objects.filter(kind=Organisation.Kind.BCU, vru=vru).order_by("name")),
        "totals": {
            "plans": len(with_plan),
            "submitted": sum(1 for r in with_plan if r.plan is not None and r.plan.state != Plan.State.DRAFT),
            "accepted": sum(1 for r in with_plan if r.plan is not None and r.plan.state == Plan.State.ACCEPTED),
            "late": sum(1 for r in with_plan if r.late),
        },
    }


DRILL_KINDS = {"overdue": "Overdue actions", "not-started": "Mandatory actions not started"}


def borough_attention(
    *, vru: Organisation, year: int, area_code: str, theme: str = "", today: date | None = None
) -> dict:
    """One borough's overdue actions and mandatory actions not started, for the London view's drill-down.

    ``NotFound`` unless the borough is one of ``vru``'s and has a current plan for ``year``: the VRU sees
    every borough's plan, whatever its state.
    """
    today = today or timezone.localdate()
    area = Organisation.objects.filter(kind=Organisation.Kind.AREA, vru=vru, code=area_code).first()
    template = template_for(vru=vru, year=year)
    plan = (
        Plan.objects.filter(template=template, area=area, is_current=True).select_related("area", "template").first()
        if area and template
        else None
    )
    if plan is None:
        raise NotFound(f"No {year} plan for that borough")
    actions = (
        PlanAction.objects.filter(plan=plan)
        .select_related("theme")
        .only(
            "id",
            "plan_id",
            "theme__code",
            "theme__title",
            "theme__order",
            "source",
            "code",
            "title",
            "status",
            "end_date",
        )
        .order_by("theme__order", "code")
    )
    if theme:
        actions = actions.filter(theme__code=theme)
    overdue: list[dict] = []
    not_started: list[dict] = []
    for action in actions:
        if action.end_date and is_overdue(action=action, today=today):
            overdue.append({"action": action, "days": (today - action.end_date).days})
        if is_mandatory_not_started(action=action):
            not_started.append({"action": action})
    overdue.sort(key=lambda o: -int(o["days"]))
    return {"area": area, "plan": plan, "year": year, "today": today, "overdue": overdue, "not_started": not_started}


def london_summary(*, vru: Organisation, year: int) -> dict:
    """The data of ``manage.py london_summary``: every borough's state, completeness and status counts."""
    data = london_overview(vru=vru, year=year)
    boroughs = []
    for r in data["rows"]:
        boroughs.append(
            {
                "area": r.area.code,
                "name": r.area.name,
                "state": r.plan.state if r.plan else "no_plan",
                "completeness": r.completeness,
                "status": {Status(s).label: r.status.get(s.value, 0) for s in Status},
                "late": r.late,
            }
        )
    themes = []
    for t in data["all_themes"]:
        counts: Counter[str] = Counter()
        for r in data["rows"]:
            counts.update(r.by_theme.get(t.code, Counter()))
        themes.append(
            {"code": t.code, "title": t.title, "status": {Status(s).label: counts.get(s.value, 0) for s in Status}}
        )
    return {
        "year": year,
        "boroughs": boroughs,
        "themes": themes,
        "optional_adoption": {a["action"].code: round(a["rate"] / 100, 3) for a in data["adoption"]},
    }


__all__ = ["borough_attention", "london_overview", "london_summary", "Q"]
