"""The library search as it was before issue 16 made it fast (commit 98b9c9c), kept to check that the fast one
returns exactly the same: every action of the scope loaded, an ``Index`` over all of them, sorting in Python."""

from vrhub.learning.selectors import library_actions
from vrhub.learning.text import Index, display_forms, tokens
from vrhub.plans.models import PlanAction


def search_text(action: PlanAction) -> str:
    return "\n".join([action.title, action.description, action.outcome, action.progress, action.comments])


def hasattr_gp(action: PlanAction) -> bool:
    try:
        return action.good_practice is not None
    except PlanAction.good_practice.RelatedObjectDoesNotExist:
        return False


def library_search_reference(
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
        ranked = index.search_ranked(q)
        forms = display_forms([q])
        wanted = set(tokens(q))
        order = sorted(ranked, key=lambda pk: (ranked[pk][0], -ranked[pk][1], pk))[:limit]
        matches = {0: "the whole phrase", 1: "all the words, apart", 2: "some of the words"}
        return [
            {
                "action": actions[pk],
                "score": round(ranked[pk][1], 3),
                "tier": ranked[pk][0],
                "match": matches[ranked[pk][0]] if len(wanted) > 1 else "the word",
                "matched": sorted(forms.get(t, t) for t in wanted & set(index.counts[pk])),
            }
            for pk in order
        ]
    ordered = sorted(actions.values(), key=lambda a: (not hasattr_gp(a), a.plan.area.name, a.code))
    return [{"action": a, "score": None, "tier": None, "match": "", "matched": []} for a in ordered[:limit]]
