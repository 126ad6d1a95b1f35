"""Reads of the strategy, its versions, annual reviews and reminders, and of published strategies for the public
pages. Who may see what is decided by ``duty.selectors.access`` only; these functions take rows already fetched
through it (or, for the public pages, read published versions only)."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from vrhub.accounts.models import User
from vrhub.core.exceptions import NotFound
from vrhub.core.words import date_words
from vrhub.duty.catalogue import PUBLIC_HEALTH_PRINCIPLES, REVIEW_WARNING_DAYS, STRATEGY_CONTENTS
from vrhub.duty.due import DUE_LABELS, Due, review_due
from vrhub.duty.models import AnnualReview, NeedsAssessment, Partnership, Strategy
from vrhub.duty.readiness import Inputs, Missing, Readiness, readiness_from
from vrhub.duty.selectors import access
from vrhub.organisations.models import Organisation
from vrhub.plans.models import Plan, PlanAction

# Readiness elements of the strategy that publishing itself settles (it sets the dates and the state), so they
# never stop a publication.
SETTLED_BY_PUBLISHING = frozenset({"strategy.published", "strategy.next_review", "strategy.review_overdue"})
# Publication also needs the needs assessment the strategy rests on to exist and be agreed (the Duty's strategy is
# prepared on the basis of the assessment). The partnership and the definition are not conditions: the area page
# shows them missing, but a gap there (a lead's name, one consultation) must not stop the strategy being published.
PUBLISH_NEEDS = ("strategy", "sna.agreed", "sna")

# The strategy's fields in the order pages and comparisons show them: (field, label).
STRATEGY_FIELDS: tuple[tuple[str, str], ...] = (
    ("title", "Title"),
    ("assessment", "Needs assessment it rests on"),
    *((name, label) for name, label, _message in STRATEGY_CONTENTS),
    ("public_health", "How it applies the public health approach"),
    ("published_on", "Publication date"),
    ("next_review", "Next review date"),
)


def one_year_on(day: dt.date) -> dt.date:
    """The same day a year later (29 February becomes 28 February): when a yearly review falls due."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def strategies_of(*, partnership: Partnership) -> list[Strategy]:
    """Every version, newest first, with the assessment it rests on."""
    return list(partnership.strategies.select_related("assessment", "published_by").order_by("-version"))


def strategy_draft(*, partnership: Partnership) -> Strategy | None:
    return partnership.strategies.filter(state=Strategy.State.DRAFT).order_by("-version").first()


def strategy_published(*, partnership: Partnership) -> Strategy | None:
    return partnership.strategies.filter(state=Strategy.State.PUBLISHED).order_by("-version").first()


def delivery_plans(*, partnership: Partnership) -> list[Plan]:
    """The action plans that deliver the strategy: the current version of the latest year's plan of the
    partnership's area (of each area a VRU footprint covers). Only these areas' plans: never another borough's."""
    areas = [partnership.area_id, *partnership.covers.values_list("pk", flat=True)]
    latest: dict[int, Plan] = {}
    for plan in (
        Plan.objects.filter(area_id__in=areas, is_current=True)
        .select_related("area", "template")
        .order_by("area_id", "-template__year")
    ):
        latest.setdefault(plan.area_id, plan)
    return sorted(latest.values(), key=lambda p: p.area.name)


def linkable_actions(*, partnership: Partnership) -> QuerySet[PlanAction]:
    """The actions an editor may link the strategy to: those of ``delivery_plans``."""
    plans = [p.pk for p in delivery_plans(partnership=partnership)]
    return PlanAction.objects.filter(plan_id__in=plans).select_related("plan__area", "plan__template", "theme")


def linked_actions(*, strategy: Strategy) -> list[PlanAction]:
    return list(
        strategy.plan_actions.select_related("plan__area", "plan__template", "theme").order_by(
            "plan__area__name", "plan__template__year", "code"
        )
    )


def funded_programmes(*, strategy: Strategy) -> list[Any]:
    """The funded programmes behind the strategy ("funding and resources"): those that serve its area (named, or
    VRU-wide for its VRU; for a VRU footprint, any area it covers) or that the area owns, and that are published
    or owned by the area itself (another body's unpublished programme is never shown here). Each with its amount
    for the strategy's financial years: from the year the strategy was published in (a draft: the year it was
    started) to the year of its next review, at most ten years; ``amount`` None when no amount is recorded for
    those years ("No data", never 0)."""
    from django.db.models import Q

    from vrhub.programmes.catalogue import year_label, year_of
    from vrhub.programmes.models import Programme
    from vrhub.programmes.selectors import figures

    partnership = strategy.partnership
    served = [partnership.area_id, *partnership.covers.values_list("pk", flat=True)]
    serving = Q(areas__in=served) | Q(all_areas=True, vru_id=partnership.vru_id) | Q(owner_id=partnership.area_id)
    shown = Q(published=True) | Q(owner_id=partnership.area_id)
    ids = Programme.objects.filter(serving, vru_id=partnership.vru_id).values("pk")
    programmes = list(
        Programme.objects.filter(pk__in=ids).filter(shown).select_related("owner", "recipient").order_by("title", "pk")
    )
    start_day = strategy.published_on or strategy.created_at.date()
    first = year_of(start_day)
    last = year_of(strategy.next_review) if strategy.next_review else first
    last = min(max(first, last), first + 9)
    totals: dict[int, Any] = {}
    for year in range(first, last + 1):
        for pk, amount in figures.programme_amounts(programmes=programmes, year=year).items():
            totals[pk] = totals.get(pk, 0) + amount
    years = year_label(first) if first == last else f"{year_label(first)} to {year_label(last)}"
    return [{"programme": p, "amount": totals.get(p.pk), "years": years} for p in programmes]


def assessments_of(*, partnership: Partnership) -> list[NeedsAssessment]:
    return list(partnership.assessments.order_by("-year"))


def strategy_readiness(*, strategy: Strategy, today: dt.date) -> Readiness:
    """The ONE readiness rule (``duty.readiness``) applied to this version of the strategy and the needs
    assessment it rests on (else the partnership's latest)."""
    partnership = strategy.partnership
    assessment = strategy.assessment or partnership.assessments.order_by("-year").first()
    return readiness_from(
        Inputs(
            area_code=partnership.area.code,
            area_name=partnership.area.name,
            partnership=partnership,
            assessment=assessment,
            sections=list(assessment.sections.all()) if assessment else [],
            strategy=strategy,
            strategy_actions=strategy.plan_actions.count(),
        ),
        today=today,
    )


def strategy_missing(*, strategy: Strategy, today: dt.date) -> list[Missing]:
    """Every element of the strategy the readiness rule finds missing (``strategy.*``)."""
    return strategy_readiness(strategy=strategy, today=today).elements_missing("strategy")


def publish_blockers(*, strategy: Strategy, today: dt.date) -> list[Missing]:
    """What stops this version being published: see PUBLISH_NEEDS and SETTLED_BY_PUBLISHING."""
    readiness = strategy_readiness(strategy=strategy, today=today)
    found: list[Missing] = []
    for prefix in PUBLISH_NEEDS:
        for m in readiness.missing:
            if (m.element == prefix or (prefix == "strategy" and m.element.startswith("strategy."))) and (
                m.element not in SETTLED_BY_PUBLISHING and m not in found
            ):
                found.append(m)
    return found


@dataclass(frozen=True)
class ReviewBanner:
    due: Due
    label: str
    message: str


def review_banner(*, strategy: Strategy | None, today: dt.date) -> ReviewBanner | None:
    """The "review due soon / overdue" banner of the published strategy (``duty.due``, the one rule)."""
    if strategy is None or strategy.state != Strategy.State.PUBLISHED:
        return None
    due = review_due(strategy.next_review, today=today)
    if due == Due.OVERDUE:
        return ReviewBanner(due, DUE_LABELS[due], f"The annual review was due on {date_words(strategy.next_review)}")
    if due == Due.SOON:
        return ReviewBanner(due, DUE_LABELS[due], f"The annual review is due on {date_words(strategy.next_review)}")
    return None


# Versions and their differences ------------------------------------------------------------------------------


def _shown(strategy: Strategy, name: str) -> str:
    value = getattr(strategy, name)
    if value is None or value == "":
        return "Not given"
    if isinstance(value, dt.date):
        return date_words(value)
    return str(value)


def strategy_diff(*, old: Strategy, new: Strategy) -> dict[str, Any]:
    """What changed from ``old`` to ``new`` (two versions of one partnership's strategy): each field changed
    (label, old text, new text) and the plan actions linked and unlinked."""
    if old.partnership_id != new.partnership_id:
        raise NotFound("Those versions belong to different partnerships")
    fields = []
    for name, label in STRATEGY_FIELDS:
        key = "assessment_id" if name == "assessment" else name
        if getattr(old, key) != getattr(new, key):
            fields.append({"field": name, "label": label, "old": _shown(old, name), "new": _shown(new, name)})
    old_actions = {a.pk: a for a in linked_actions(strategy=old)}
    new_actions = {a.pk: a for a in linked_actions(strategy=new)}
    return {
        "old": old,
        "new": new,
        "fields": fields,
        "linked": [new_actions[pk] for pk in new_actions if pk not in old_actions],
        "unlinked": [old_actions[pk] for pk in old_actions if pk not in new_actions],
    }


def strategy_contents(*, strategy: Strategy) -> list[dict[str, str]]:
    """The required contents as (label, text) rows, in the order of the guidance."""
    return [{"field": n, "label": label, "text": getattr(strategy, n)} for n, label, _m in STRATEGY_CONTENTS]


def public_health_principles() -> tuple[str, ...]:
    return PUBLIC_HEALTH_PRINCIPLES


# Annual reviews and reminders --------------------------------------------------------------------------------


def reviews_of(*, partnership: Partnership) -> list[AnnualReview]:
    return list(partnership.reviews.select_related("strategy", "recorded_by").order_by("-year"))


def review_reminders_due(*, today: dt.date) -> list[dict[str, Any]]:
    """One row per editor of each partnership whose published strategy's review is due soon or overdue."""
    strategies = list(
        Strategy.objects.filter(
            state=Strategy.State.PUBLISHED,
            next_review__lte=today + dt.timedelta(days=REVIEW_WARNING_DAYS),
        )
        .select_related("partnership__area")
        .order_by("partnership__area__name")
    )
    editors: dict[int, list[User]] = {}
    area_ids = {s.partnership.area_id for s in strategies}
    for user in (
        User.objects.filter(organisation_id__in=area_ids, is_active=True).exclude(email="").order_by("username")
    ):
        if user.organisation_id is not None:
            editors.setdefault(user.organisation_id, []).append(user)
    rows = []
    for strategy in strategies:
        due = review_due(strategy.next_review, today=today)
        if due not in (Due.SOON, Due.OVERDUE):
            continue
        for user in editors.get(strategy.partnership.area_id, []):
            # Who edits is the one access rule's (a query per person: reminders are few).
            if access.user_can_edit_partnership(user=user, partnership=strategy.partnership):
                rows.append({"strategy": strategy, "user": user, "due": due, "review_on": strategy.next_review})
    return rows


# Public pages: published versions only, and no personal data -------------------------------------------------


def public_strategy_vrus() -> list[Organisation]:
    """VRUs with at least one partnership whose strategy is published."""
    vru_ids = Strategy.objects.filter(state=Strategy.State.PUBLISHED).values("partnership__vru_id")
    return list(Organisation.objects.filter(pk__in=vru_ids).order_by("name"))


def public_vru_get(*, vru_code: str) -> Organisation:
    code = (vru_code or "").strip()
    if not code or len(code) > 20 or "\x00" in code:
        raise NotFound("No such VRU")
    try:
        return Organisation.objects.get(code=code, kind=Organisation.Kind.VRU)
    except Organisation.DoesNotExist as exc:
        raise NotFound("No such VRU") from exc


def public_strategies(*, vru: Organisation) -> list[dict[str, Any]]:
    """Each area of the VRU (and the VRU's own footprint) with its published strategy, or None."""
    published = {
        s.partnership.area_id: s
        for s in Strategy.objects.filter(state=Strategy.State.PUBLISHED, partnership__vru=vru).select_related(
            "partnership__area"
        )
    }
    areas = Organisation.objects.filter(kind=Organisation.Kind.AREA, vru=vru).order_by("name")
    rows = [{"area": a, "strategy": published.get(a.pk)} for a in areas]
    if vru.pk in published:
        rows.insert(0, {"area": vru, "strategy": published[vru.pk]})
    return rows


def public_strategy_get(*, vru: Organisation, area_code: str) -> dict[str, Any]:
    """What the public page shows of an area's published strategy. Drafts and superseded versions are never
    public; leads' names, e-mails and consultation contacts are not read at all."""
    code = (area_code or "").strip()
    if not code or len(code) > 20 or "\x00" in code:
        raise NotFound("No published strategy")
    strategy = (
        Strategy.objects.filter(state=Strategy.State.PUBLISHED, partnership__vru=vru, partnership__area__code=code)
        .select_related("partnership__area")
        .first()
    )
    if strategy is None:
        raise NotFound("No published strategy")
    partnership = strategy.partnership
    actions = list(
        strategy.plan_actions.select_related("plan__area", "plan__template").order_by(
            "plan__area__name", "plan__template__year", "code"
        )
    )
    public_actions = [a for a in actions if a.plan.state == Plan.State.ACCEPTED]
    organisations = [
        {"kind": a.get_kind_display(), "organisation": a.organisation}
        for a in partnership.specified_authorities.only("kind", "organisation", "partnership_id").order_by(
            "kind", "organisation"
        )
    ]
    return {
        "strategy": strategy,
        "partnership": {
            "area": partnership.area.name,
            "lead_body": partnership.lead_body,
            "local_policing_body": partnership.local_policing_body,
            "governance_group": partnership.governance_group_name,
            # The owning group's public page (every group's terms of reference and membership are public).
            "governance_group_slug": partnership.owning_group.slug if partnership.owning_group is not None else "",
            "synthetic": partnership.synthetic,
        },
        "organisations": organisations,
        "contents": strategy_contents(strategy=strategy),
        "public_health": strategy.public_health,
        "actions": [
            {
                "code": a.code,
                "title": a.title,
                "status": a.get_status_display() if a.status else "No status reported yet",
                "status_class": a.status_tag_class,
                "plan": f"{a.plan.area.name} {a.plan.template.year} plan",
            }
            for a in public_actions
        ],
        "actions_not_public": len(actions) - len(public_actions),
    }
