"""What the programme pages show: the list with its filters, one programme's amounts and links, the choices
the edit forms offer, and the funded programmes behind a plan's actions (a section of the plan page).

Programmes come from ``access.programmes_visible_to`` only; amounts from ``figures.programme_amounts``."""

import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from vrhub.organisations.models import Organisation
from vrhub.organisations.selectors import areas_visible_to
from vrhub.plans.models import Plan, PlanAction, Theme
from vrhub.programmes.catalogue import YEAR_MAX, YEAR_MIN, EvaluationStatus, LogicLevel, year_label
from vrhub.programmes.models import Budget, IncomeLine, LogicNode, Programme, ProgrammeAmount, Recipient
from vrhub.programmes.selectors import access, figures

FILTERS = ("year", "owner", "area", "source", "theme", "evaluation")


def served_areas(*, programme: Programme) -> QuerySet[Organisation]:
    """The CSP areas ``programme`` serves: every area of its VRU when it serves all of them."""
    vru_areas = Organisation.objects.filter(kind=Organisation.Kind.AREA, vru=programme.vru)
    return vru_areas if programme.all_areas else vru_areas.filter(pk__in=programme.areas.values("pk"))


@dataclass
class ProgrammeRow:
    programme: Programme
    amount: Decimal | None
    areas: str


def _clean(value: Any, limit: int = 150) -> str:
    if not isinstance(value, str) or "\x00" in value or len(value) > limit:
        return ""
    return value.strip()


def _year(value: Any) -> int | None:
    try:
        found = int(str(value))
    except (TypeError, ValueError, OverflowError):
        return None
    return found if YEAR_MIN <= found <= YEAR_MAX else None


def areas_words(programme: Programme) -> str:
    if programme.all_areas:
        return f"Every area of {programme.vru.name}"
    names = [a.name for a in programme.areas.all()]
    return ", ".join(sorted(names)) if names else "No area named"


def programme_list(*, user, params: Any) -> dict[str, Any]:
    """The programmes ``user`` sees, filtered by ``params`` (a GET QueryDict or dict), with each row's amount
    for the chosen financial year and the options of every filter."""
    visible = access.programmes_visible_to(user=user)
    years = sorted(set(ProgrammeAmount.objects.filter(programme__in=visible).values_list("year", flat=True)))
    chosen_year = _year(params.get("year"))
    if chosen_year is None:
        chosen_year = years[-1] if years else None
    owner = _clean(params.get("owner"), 20)
    area = _clean(params.get("area"), 20)
    source = _clean(params.get("source"))
    theme = _year_or_pk(params.get("theme"))
    evaluation = _clean(params.get("evaluation"), 20)
    shown = visible
    if owner:
        shown = shown.filter(owner__code=owner)
    if area:
        found = Organisation.objects.filter(kind=Organisation.Kind.AREA, code=area).first()
        shown = shown.filter(Q(areas=found) | Q(all_areas=True, vru_id=found.vru_id)) if found else shown.none()
    if source:
        shown = shown.filter(funding_source=source)
    if theme:
        shown = shown.filter(theme_id=theme)
    if evaluation in EvaluationStatus.values:
        shown = shown.filter(evaluation_status=evaluation)
    programmes = list(
        shown.distinct()
        .select_related("owner", "vru", "recipient", "theme")
        .prefetch_related("areas")
        .order_by("title", "pk")
    )
    amounts = figures.programme_amounts(programmes=programmes, year=chosen_year) if chosen_year else {}
    rows = [ProgrammeRow(p, amounts.get(p.pk), areas_words(p)) for p in programmes]
    visible_list = visible.select_related("owner", "theme")
    return {
        "rows": rows,
        "year": chosen_year,
        "year_label": year_label(chosen_year) if chosen_year else "",
        "total": sum((r.amount for r in rows if r.amount is not None), Decimal("0.00")),
        "without_amount": sum(1 for r in rows if r.amount is None),
        "filters": {
            "year": chosen_year,
            "owner": owner,
            "area": area,
            "source": source,
            "theme": theme,
            "evaluation": evaluation if evaluation in EvaluationStatus.values else "",
        },
        "options": {
            "years": [(y, year_label(y)) for y in years],
            "owners": sorted({(p.owner.code, p.owner.name) for p in visible_list}, key=lambda o: o[1]),
            "areas": _area_options(user=user, visible=visible),
            "sources": sorted({p.funding_source for p in visible_list if p.funding_source}),
            "themes": sorted(
                {(p.theme.pk, f"{p.theme.code} {p.theme.title}") for p in visible_list if p.theme is not None},
                key=lambda t: t[1],
            ),
            "evaluation": list(EvaluationStatus.choices),
        },
        "filtered": any([owner, area, source, theme, evaluation in EvaluationStatus.values]),
    }


def _year_or_pk(value: Any) -> int | None:
    try:
        found = int(str(value))
    except (TypeError, ValueError, OverflowError):
        return None
    return found if 0 < found < 2**31 else None


def _area_options(*, user, visible: QuerySet[Programme]) -> list[tuple[str, str]]:
    """VRU staff and the policing body: every area of the VRU; boroughs: their own and those named by the
    programmes they see."""
    areas = Organisation.objects.filter(kind=Organisation.Kind.AREA)
    overseen = access.overseen_vru(user=user)
    if overseen is not None:
        areas = areas.filter(vru=overseen)
    else:
        named = [pk for pk in visible.values_list("areas", flat=True) if pk is not None]
        areas = areas.filter(pk__in=[*named, *areas_visible_to(user=user).values_list("pk", flat=True)])
    return [(a.code, a.name) for a in areas.distinct().order_by("name")]


@dataclass
class AmountRow:
    year: int
    label: str
    amount: Decimal
    estimated: bool


def programme_detail(*, programme: Programme) -> dict[str, Any]:
    """Everything the programme's page shows beyond its own fields."""
    amounts = [AmountRow(a.year, year_label(a.year), a.amount, a.estimated) for a in programme.amounts.all()]
    return {
        "amounts": amounts,
        "amount_total": sum((a.amount for a in amounts), Decimal("0.00")) if amounts else None,
        "any_estimated": any(a.estimated for a in amounts),
        "areas_words": areas_words(programme),
        "areas": list(served_areas(programme=programme).order_by("name")) if not programme.all_areas else [],
        "objectives": list(programme.objectives.order_by("number")),
        "plan_actions": list(
            programme.plan_actions.select_related("plan__area", "plan__template", "theme").order_by(
                "plan__area__name", "plan__template__year", "code"
            )
        ),
    }


# Choices for the edit forms --------------------------------------------------------------------------------


def recipient_choices(*, vru: Organisation) -> list[tuple[int, str]]:
    return [(r.pk, str(r)) for r in Recipient.objects.filter(vru=vru).order_by("name")]


def funding_source_choices(*, owner: Organisation) -> list[str]:
    """The income sources of the owner's budgets (any year), for the funding-source list."""
    budgets = Budget.objects.filter(owner=owner)
    return sorted(set(IncomeLine.objects.filter(budget__in=budgets).values_list("source", flat=True)))


def spend_category_choices(*, owner: Organisation) -> list[str]:
    from vrhub.programmes.models import SpendLine

    return sorted(set(SpendLine.objects.filter(budget__owner=owner).values_list("category", flat=True)))


def area_choices(*, vru: Organisation) -> list[tuple[int, str]]:
    return [(a.pk, a.name) for a in Organisation.objects.filter(kind=Organisation.Kind.AREA, vru=vru).order_by("name")]


def objective_choices(*, vru: Organisation) -> list[tuple[int, str]]:
    return [
        (n.pk, f"Objective {n.number}: {n.title}")
        for n in LogicNode.objects.filter(vru=vru, level=LogicLevel.OBJECTIVE).order_by("number")
    ]


def plan_action_choices(*, programme: Programme) -> list[tuple[int, str]]:
    """Actions of the current plans of the areas served (and any already linked)."""
    actions = PlanAction.objects.filter(
        plan__area__in=served_areas(programme=programme), plan__is_current=True
    ) | PlanAction.objects.filter(pk__in=programme.plan_actions.values("pk"))
    return [
        (a.pk, f"{a.plan.area.name} {a.plan.template.year} plan: {a.code} {a.title}")
        for a in actions.distinct()
        .select_related("plan__area", "plan__template")
        .order_by("plan__area__name", "-plan__template__year", "code")
    ]


def theme_choices(*, vru: Organisation) -> list[tuple[int, str]]:
    return [
        (t.pk, f"{t.template.year} template: {t.code} {t.title}")
        for t in Theme.objects.filter(template__vru=vru).select_related("template").order_by("-template__year", "code")
    ]


# The plan page's section -------------------------------------------------------------------------------------


@dataclass
class PlanProgramme:
    programme: Programme
    amount: Decimal | None  # for the plan's financial year
    total: Decimal | None  # every year
    actions: str


def plan_funded_programmes(*, plan: Plan, user) -> dict[str, Any]:
    """The programmes linked to ``plan``'s actions that ``user`` may see, with the amount for the plan's
    financial year (the template's year) and over every year, and the funder."""
    if not getattr(user, "is_authenticated", False):
        return {"funded_programmes": []}
    programmes = list(
        access.programmes_visible_to(user=user)
        .filter(plan_actions__plan=plan)
        .distinct()
        .select_related("owner", "recipient")
        .order_by("title", "pk")
    )
    if not programmes:
        return {"funded_programmes": []}
    year = plan.template.year
    amounts = figures.programme_amounts(programmes=programmes, year=year)
    totals = figures.programme_amounts(programmes=programmes)
    rows = []
    for p in programmes:
        codes = sorted(p.plan_actions.filter(plan=plan).values_list("code", flat=True))
        rows.append(PlanProgramme(p, amounts.get(p.pk), totals.get(p.pk), ", ".join(codes)))
    return {"funded_programmes": rows, "funded_programmes_year": year_label(year)}


def recipient_fingerprint(*, recipient: Recipient) -> str:
    """A digest of a recipient as its form shows it: a save carrying an older digest is refused (the form was
    opened before a colleague's change; the VRU's and its areas' editors share recipients)."""
    row = [getattr(recipient, name) for name in ("name", "charity_number", "company_number", "other_identifier")]
    row.append(recipient.postcode)
    return hashlib.sha256(json.dumps(row).encode()).hexdigest()[:32]
