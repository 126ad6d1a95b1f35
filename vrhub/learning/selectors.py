"""The good-practice library, the similar-work finder and emerging themes."""

from collections import defaultdict
from typing import Any

from django.db.models import Q, QuerySet

from vrhub.cycle.models import QuarterlyUpdate, ReportingQuarter
from vrhub.learning.text import Index, display_forms, terms
from vrhub.organisations.selectors import areas_visible_to
from vrhub.plans.models import Plan, PlanAction


def library_actions(*, user) -> QuerySet[PlanAction]:
    """Actions a user may read in the library: VRU staff, every plan of their VRU; borough users, their own
    borough's plans and other boroughs' accepted plans (never another borough's drafts)."""
    org = getattr(user, "organisation", None)
    base = PlanAction.objects.filter(plan__is_current=True).select_related("plan__area", "plan__template", "theme")
    if org is None:
        return base.none()
    if user.is_vru_user:
        return base.filter(plan__area__in=areas_visible_to(user=user))
    own = areas_visible_to(user=user)
    if not own.exists():
        return base.none()
    vru = org.owning_vru
    return base.filter(Q(plan__area__in=own) | Q(plan__area__vru=vru, plan__state=Plan.State.ACCEPTED))


def action_text(action: PlanAction) -> str:
    """What the borough wrote about the action. A template action's title is the same in every plan, so
    only a local action's own title and description count."""
    own = [action.title, action.description] if action.source == PlanAction.Source.LOCAL else []
    return " ".join([*own, action.outcome, action.baseline, action.progress, action.comments])


def search_text(action: PlanAction) -> str:
    return " ".join([action.title, action.description, action.outcome, action.progress, action.comments])


def library_search(
    *,
    user,
    q: str = "",
    theme: str = "",
    area: str = "",
    year: int | None = None,
    status: str = "",
    good_practice_only: bool = False,
    limit: int = 50,
) -> list[dict]:
    qs = library_actions(user=user).select_related("good_practice")
    if theme:
        qs = qs.filter(theme__code=theme)
    if area:
        qs = qs.filter(plan__area__code=area)
    if year:
        qs = qs.filter(plan__template__year=year)
    if status:
        qs = qs.filter(status=status)
    if good_practice_only:
        qs = qs.filter(good_practice__isnull=False)
    actions = {a.pk: a for a in qs}
    if q.strip():
        index = Index({pk: search_text(a) for pk, a in actions.items()})
        scores = index.search(q)
        wanted = set(terms(q))
        ranked = sorted(scores, key=lambda pk: (-scores[pk], pk))[:limit]
        return [
            {"action": actions[pk], "score": round(scores[pk], 3), "matched": sorted(wanted & set(index.counts[pk]))}
            for pk in ranked
        ]
    ordered = sorted(actions.values(), key=lambda a: (not hasattr_gp(a), a.plan.area.name, a.code))
    return [{"action": a, "score": None, "matched": []} for a in ordered[:limit]]


def hasattr_gp(action: PlanAction) -> bool:
    try:
        return action.good_practice is not None
    except PlanAction.good_practice.RelatedObjectDoesNotExist:
        return False


def similar_actions(*, action: PlanAction, limit: int = 5, user=None) -> list[dict]:
    """The most similar actions in other boroughs' plans of the same year, with the terms they share."""
    pool = (
        library_actions(user=user)
        if user is not None
        else PlanAction.objects.filter(plan__is_current=True, plan__area__vru=action.plan.area.vru_id)
    )
    pool = pool.filter(plan__template__year=action.plan.template.year).exclude(plan__area=action.plan.area_id)
    pool = pool.select_related("plan__area")
    candidates = {a.pk: a for a in pool}
    documents = {pk: action_text(a) for pk, a in candidates.items()} | {action.pk: action_text(action)}
    index = Index(documents)
    forms = display_forms(documents.values())
    return [
        {"action": candidates[pk], "score": round(score, 3), "shared_terms": [forms.get(t, t) for t in shared]}
        for pk, score, shared in index.similar(action.pk, candidates, limit)
    ]


def emerging_themes(*, vru, year: int, quarter: int, limit: int = 20) -> list[dict]:
    """Terms whose use across boroughs' quarterly progress updates (and local actions reported on) rose most
    from the previous quarter. Counts are of boroughs using the term, so one verbose borough cannot dominate."""
    quarters = {q.number: q for q in ReportingQuarter.objects.filter(template__vru=vru, template__year=year)}
    if quarter not in quarters:
        return []
    updates = QuarterlyUpdate.objects.filter(
        quarter__number__in=[quarter, quarter - 1],
        quarter__template__vru=vru,
        quarter__template__year=year,
        action__plan__is_current=True,
    ).select_related("action__plan__area", "quarter")
    usage: dict[int, dict[str, set]] = {quarter: defaultdict(set), quarter - 1: defaultdict(set)}
    examples: dict[str, list[int]] = defaultdict(list)
    texts = []
    for u in updates:
        text = u.progress
        if u.action.source == PlanAction.Source.LOCAL:
            text += " " + u.action.title + " " + u.action.description
        texts.append(text)
        for term in set(terms(text)):
            usage[u.quarter.number][term].add(u.action.plan.area.name)
            if u.quarter.number == quarter and u.action_id not in examples[term]:
                examples[term].append(u.action_id)
    forms = display_forms(texts)
    rows: list[dict[str, Any]] = []
    for term, boroughs in usage[quarter].items():
        count, previous = len(boroughs), len(usage[quarter - 1].get(term, ()))
        if count < 2 or count <= previous:
            continue
        rows.append(
            {
                "term": forms.get(term, term),
                "count": count,
                "previous": previous,
                "boroughs": sorted(boroughs),
                "examples": sorted(examples[term])[:10],
            }
        )
    rows.sort(key=lambda r: (-(r["count"] - r["previous"]), -r["count"], r["term"]))
    # Drop a single word when a phrase containing it rose at least as much (keeps the list readable).
    phrases = [r for r in rows if " " in r["term"]]
    result = [
        r
        for r in rows
        if " " in r["term"]
        or not any(
            r["term"] in p["term"].split() and p["count"] - p["previous"] >= r["count"] - r["previous"] for p in phrases
        )
    ]
    return result[:limit]
