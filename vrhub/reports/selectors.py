"""Reads for the reports: plain dictionaries of text, ready for the PDF and DOCX renderers.

The reports go to public committees, so nothing here copies a lead's name (``lead_name``), an
e-mail address, a signatory's name or an internal document into the data: only roles, agencies,
offices and the titles of documents that are not marked internal.
"""

from collections import defaultdict
from datetime import date
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.dateformat import format as date_format

from vrhub.cycle.models import QuarterlyUpdate
from vrhub.cycle.services import signatures_status
from vrhub.dashboard.selectors import london_overview
from vrhub.organisations.models import Organisation
from vrhub.plans.completeness import plan_completeness
from vrhub.plans.models import Plan, PlanAction, PlanTemplate, Status, SupportingDocument

NO_STATUS = "No status yet"
STATUS_LABELS = [s.label for s in Status] + [NO_STATUS]
# Short forms for the London table, always printed with their key: text, never colour alone.
STATUS_ABBREVIATIONS = {
    Status.RED.value: "R",
    Status.AMBER.value: "A",
    Status.GREEN.value: "G",
    Status.NOT_STARTED.value: "NS",
    Status.COMPLETE.value: "C",
    Status.NOT_UNDERTAKEN.value: "NU",
    "": "U",
}
STATUS_KEY = [(STATUS_ABBREVIATIONS[s.value], s.label) for s in Status] + [("U", "No status yet (unrated)")]
STATUS_ORDER = [s.value for s in Status] + [""]
STATUS_COLUMNS = [{"label": s.label, "key": s.value} for s in Status] + [{"label": NO_STATUS, "key": "none"}]
SOURCE_ORDER: dict[str, int] = {
    PlanAction.Source.MANDATORY: 0,
    PlanAction.Source.OPTIONAL: 1,
    PlanAction.Source.LOCAL: 2,
}


def _day(value) -> str:
    """``12 December 2021`` for a date or datetime (local time); ``""`` for none."""
    if value is None:
        return ""
    if hasattr(value, "tzinfo"):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return date_format(value, "j F Y")


def _year_label(year: int) -> str:
    return f"{year}/{str(year + 1)[-2:]}"


def _status_label(value: str) -> str:
    return Status(value).label if value else NO_STATUS


def _count_statuses(values) -> list[int]:
    counts = dict.fromkeys(STATUS_ORDER, 0)
    for value in values:
        counts[value if value in counts else ""] += 1
    return [counts[s] for s in STATUS_ORDER]


def _status_sentence(total: int, counts: list[int]) -> str:
    labels = [s.label for s in Status] + ["with no status yet"]
    parts = [f"{n} {label}" for label, n in zip(labels, counts, strict=True) if n]
    noun = "action" if total == 1 else "actions"
    if not parts:
        return f"The plan has {total} {noun}."
    return f"Status of the {total} {noun}: " + ", ".join(parts) + "."


def _submission(plan: Plan | None, deadline: date | None, today: date) -> str:
    """Whether the plan went in on time, late, or is still to come (and overdue)."""
    if plan is None:
        return ""
    if plan.submitted_at:
        return "Late" if plan.late else "On time"
    if deadline and today > deadline:
        return "Not yet – overdue"
    return "Not yet"


def _dates(start, start_estimated: bool, end, end_estimated: bool) -> str:
    def one(value, estimated):
        if value is None:
            return "not set"
        return _day(value) + (" (estimate)" if estimated else "")

    if start is None and end is None:
        return ""
    return f"{one(start, start_estimated)} to {one(end, end_estimated)}"


def _action_entry(action: PlanAction) -> dict:
    """One action for the appendix. Deliberately leaves out ``lead_name``: a report names roles, not people."""
    lead = ", ".join(p for p in (action.lead_role.strip(), action.lead_agency.strip()) if p)
    return {
        "code": action.code,
        "title": action.title,
        "description": action.description,
        "source": action.get_source_display(),
        "status": _status_label(action.status),
        "status_value": action.status,
        "lead": lead,
        "lead_role": action.lead_role,
        "lead_agency": action.lead_agency,
        "dates": _dates(action.start_date, action.start_estimated, action.end_date, action.end_estimated),
        "outcome": action.outcome,
        "baseline": action.baseline,
        "progress": action.progress,
        "comments": action.comments,
        # Only documents that may be published; internal ones never leave the system.
        "documents": [d.title for d in action.documents.all()],
    }


def _changes_since_last_quarter(*, plan: Plan, actions: list[PlanAction]) -> dict:
    """Compare the latest quarter with updates for the plan against the one before it that has updates."""
    updates = list(
        QuarterlyUpdate.objects.filter(action__plan=plan)
        .select_related("quarter__template")
        .only("action", "status", "quarter__number", "quarter__template__year")
    )
    by_quarter: dict[int, dict[int, QuarterlyUpdate]] = defaultdict(dict)
    quarters = {}
    for u in updates:
        by_quarter[u.quarter.number][u.action_id] = u
        quarters[u.quarter.number] = u.quarter
    numbers = sorted(by_quarter)
    result: dict[str, Any] = {"latest": "", "previous": "", "changed": [], "new": [], "not_updated": [], "unchanged": 0}
    if not numbers:
        return result
    latest_n = numbers[-1]
    previous_n = numbers[-2] if len(numbers) > 1 else None
    result["latest"] = quarters[latest_n].label
    result["previous"] = quarters[previous_n].label if previous_n else ""
    latest = by_quarter[latest_n]
    previous = by_quarter[previous_n] if previous_n else {}
    for action in actions:  # already in theme and action order
        now, before = latest.get(action.pk), previous.get(action.pk)
        row = {"code": action.code, "title": action.title, "theme": action.theme.title}
        if now and before:
            if now.status != before.status:
                result["changed"].append(row | {"old": _status_label(before.status), "new": _status_label(now.status)})
            else:
                result["unchanged"] += 1
        elif now:
            result["new"].append(row | {"new": _status_label(now.status)})
        elif before:
            result["not_updated"].append(row | {"old": _status_label(before.status)})
    return result


def _signatures(*, plan: Plan) -> list[dict]:
    """Each office's sign-off state and date. The signatory's name is left out, as with leads."""
    rows = []
    for s in signatures_status(plan=plan):
        sig = s["signature"]
        if s["valid"]:
            state = "Signed"
        elif sig:
            state = "Signature void: the plan changed after signing"
        else:
            state = "Not signed"
        rows.append({"office": s["label"], "state": state, "signed_on": _day(sig.signed_at) if sig else ""})
    return rows


def scrutiny_report_data(*, plan: Plan) -> dict:
    """A borough's report to its scrutiny committee: summary, themes, status counts, changes, the full plan.

    A bounded number of queries, whatever the plan's size.
    """
    plan = (
        Plan.objects.select_related("area__bcu", "area__vru", "template__vru")
        .prefetch_related("template__themes")
        .get(pk=plan.pk)
    )
    template = plan.template
    themes = list(template.themes.all())
    actions = sorted(
        plan.actions.select_related("theme").prefetch_related(
            Prefetch(
                "documents",
                queryset=SupportingDocument.objects.filter(internal=False).only("id", "action", "title"),
            )
        ),
        key=lambda a: (a.theme.order, SOURCE_ORDER.get(a.source, 9), a.order, a.code),
    )
    check = plan_completeness(plan, actions)
    by_theme: dict[int, list[PlanAction]] = defaultdict(list)
    for action in actions:
        by_theme[action.theme_id].append(action)

    theme_rows = []
    for theme in themes:
        items = by_theme[theme.pk]
        theme_rows.append(
            {
                "order": theme.order,
                "code": theme.code,
                "title": theme.title,
                "description": theme.description,
                "actions": len(items),
                "complete": check.themes[theme.code].complete,
                "status_counts": _count_statuses(a.status for a in items),
                "items": [_action_entry(a) for a in items],
            }
        )
    totals = _count_statuses(a.status for a in actions)
    sources: defaultdict[str, int] = defaultdict(int)
    for a in actions:
        sources[a.source] += 1
    area = plan.area
    today = timezone.localdate()
    year_label = _year_label(template.year)
    return {
        "kind": "scrutiny",
        "file_stem": f"{area.code}-{template.year}-scrutiny",
        "title": f"{area.name} Violence and Vulnerability Reduction Action Plan {year_label}",
        "area": {"name": area.name, "code": area.code, "bcu": area.bcu.name if area.bcu else ""},
        "vru": template.vru.name,
        "year": template.year,
        "year_label": year_label,
        "template_title": template.title,
        "state": plan.get_state_display(),
        "version": plan.version,
        "is_current": plan.is_current,
        "synthetic": plan.synthetic,
        "deadline": _day(template.submission_deadline),
        "submitted_on": _day(plan.submitted_at),
        "accepted_on": _day(plan.accepted_at),
        "submission": _submission(plan, template.submission_deadline, today),
        "generated_on": _day(today),
        "counts": {
            "themes": len(themes),
            "actions": len(actions),
            "mandatory": sources[PlanAction.Source.MANDATORY],
            "optional": sources[PlanAction.Source.OPTIONAL],
            "local": sources[PlanAction.Source.LOCAL],
        },
        "completeness": {
            "percent": check.percent,
            "complete_actions": check.complete_actions,
            "actions": check.actions,
            "problems": len(check.problems),
            "complete": check.complete,
        },
        "statuses": STATUS_LABELS,
        "status_columns": STATUS_COLUMNS,
        "status_totals": totals,
        "status_sentence": _status_sentence(len(actions), totals),
        "themes": theme_rows,
        "changes": _changes_since_last_quarter(plan=plan, actions=actions),
        "signatures": _signatures(plan=plan),
    }


def _cell(counts: list[int]) -> str:
    """``G3 A2 R1``-style text for one borough and theme; ``–`` when the theme has no actions."""
    parts = [f"{STATUS_ABBREVIATIONS[s]}{n}" for s, n in zip(STATUS_ORDER, counts, strict=True) if n]
    return " ".join(parts) if parts else "–"


def london_summary_data(*, vru: Organisation, year: int) -> dict:
    """Every area of the VRU for one template year: state, submission, completeness, status counts by theme.

    Built on the London view's data (``dashboard.selectors.london_overview``), so the report and the page
    give the same figures. Raises ``PlanTemplate.DoesNotExist`` when the VRU has no template for the year.
    A fixed number of queries, whatever the number of plans and actions.
    """
    template = PlanTemplate.objects.get(vru=vru, year=year)
    overview = london_overview(vru=vru, year=year)
    themes = overview["all_themes"]
    today = timezone.localdate()
    rows = []
    theme_totals = {t.code: [0] * len(STATUS_ORDER) for t in themes}
    state_counts: dict[str, int] = defaultdict(int)
    for borough in overview["rows"]:
        area, plan, check = borough.area, borough.plan, borough.check
        if plan is None or check is None:
            rows.append(
                {
                    "area": area.name,
                    "code": area.code,
                    "has_plan": False,
                    "state": "No plan",
                    "synthetic": False,
                    "submission": "",
                    "percent": None,
                    "actions": 0,
                    "complete_actions": 0,
                    "complete": False,
                    "cells": ["–"] * len(themes),
                    "theme_counts": [[0] * len(STATUS_ORDER) for _ in themes],
                }
            )
            state_counts["No plan"] += 1
            continue
        per_theme = []
        for theme in themes:
            counts = borough.by_theme.get(theme.code, {})
            per_theme.append([counts.get(s, 0) for s in STATUS_ORDER])
            theme_totals[theme.code] = [x + y for x, y in zip(theme_totals[theme.code], per_theme[-1], strict=True)]
        state = plan.get_state_display()
        state_counts[state] += 1
        rows.append(
            {
                "area": area.name,
                "code": area.code,
                "has_plan": True,
                "state": state,
                "version": plan.version,
                "synthetic": plan.synthetic,
                "submission": _submission(plan, template.submission_deadline, today),
                "percent": check.percent,
                "actions": check.actions,
                "complete_actions": check.complete_actions,
                "complete": check.complete,
                "cells": [_cell(c) for c in per_theme],
                "theme_counts": per_theme,
            }
        )
    state_order = [s.label for s in Plan.State] + ["No plan"]
    with_plan = [r for r in rows if r["has_plan"]]
    year_label = _year_label(year)
    return {
        "kind": "london",
        "file_stem": f"{vru.code}-{year}-london",
        "title": f"{vru.name}: borough action plans {year_label}",
        "vru": vru.name,
        "vru_code": vru.code,
        "place": vru.place_name,
        "year": year,
        "year_label": year_label,
        "template_title": template.title,
        "deadline": _day(template.submission_deadline),
        "generated_on": _day(today),
        "synthetic": any(r["synthetic"] for r in rows),
        "themes": [{"order": t.order, "code": t.code, "title": t.title} for t in themes],
        "statuses": STATUS_LABELS,
        "status_columns": STATUS_COLUMNS,
        "status_key": STATUS_KEY,
        "rows": rows,
        "summary": {
            "areas": len(rows),
            "with_plan": len(with_plan),
            "by_state": [(s, state_counts[s]) for s in state_order if state_counts.get(s)],
            "late": sum(1 for r in rows if r["submission"] == "Late"),
            "overdue": sum(1 for r in rows if r["submission"] == "Not yet – overdue"),
            "complete": sum(1 for r in with_plan if r["complete"]),
            "average_percent": round(sum(r["percent"] for r in with_plan) / len(with_plan)) if with_plan else 0,
        },
        "theme_totals": [
            {"code": t.code, "title": t.title, "counts": theme_totals[t.code], "actions": sum(theme_totals[t.code])}
            for t in themes
        ],
        "status_totals": [sum(t[i] for t in theme_totals.values()) for i in range(len(STATUS_ORDER))],
        "total_actions": sum(sum(t) for t in theme_totals.values()),
    }
