"""The good-practice library, the similar-work finder and emerging themes.

Similar work and emerging themes read only what boroughs wrote themselves: the template's wording (titles,
guidance, worked examples, London's reference template) and sentences that many boroughs wrote word for word are
set aside first (``text.Boilerplate``), so copied text can neither look similar nor look like a new theme.
"""

import math
import threading
from collections import Counter, OrderedDict, defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import BooleanField, ExpressionWrapper, F, Q, QuerySet
from django.db.models.functions import Collate

from vrhub.cycle.models import QuarterlyUpdate, ReportingQuarter
from vrhub.learning.text import Boilerplate, Index, display_forms, is_generic, phrases, tokens
from vrhub.organisations.models import Organisation
from vrhub.organisations.selectors import areas_visible_to
from vrhub.plans.models import Plan, PlanAction, TemplateAction, Theme
from vrhub.plans.templates import london_template

# --- Who sees which plans in the library ------------------------------------------------------------------------


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


@dataclass(frozen=True)
class LibraryScope:
    """The plans a user's library reads: every plan (any state) of ``own_areas``, and plans of the VRU's other
    boroughs in ``peer_states``. ``library_actions`` filters with this, and ``sentence`` says it in words, so the
    page cannot claim more or less than the search returns."""

    own_areas: list[Organisation] = field(default_factory=list)
    vru: Organisation | None = None
    peer_states: tuple[str, ...] = ()
    all_vru_areas: bool = False

    @property
    def sentence(self) -> str:
        stages = _join([label.lower() for label in Plan.State.labels])
        if self.all_vru_areas:
            return (
                f"You see every current plan of the {len(self.own_areas)} boroughs of {self.vru}, at every stage "
                f"({stages})."
            )
        if not self.own_areas:
            return "Your account is not linked to a borough or the VRU, so the library has no plans to show you."
        own = _join([a.name for a in self.own_areas])
        hidden = [label.lower() for value, label in Plan.State.choices if value not in self.peer_states]
        peers = _join([Plan.State(s).label.lower() for s in self.peer_states])
        return (
            f"You see {own}'s current plan{'s' if len(self.own_areas) > 1 else ''} at every stage, drafts included, "
            f"and other boroughs' {peers} plans only; other boroughs' {_join(hidden)} plans are not shown."
        )


def library_scope(*, user) -> LibraryScope:
    """VRU staff read every plan of their VRU; borough users and signatories their own area's plans at any stage
    and other boroughs' accepted plans (never another borough's drafts)."""
    org = getattr(user, "organisation", None)
    if org is None:
        return LibraryScope()
    own = list(areas_visible_to(user=user).order_by("name"))
    if user.is_vru_user:
        return LibraryScope(own_areas=own, vru=org, all_vru_areas=True)
    if not own:
        return LibraryScope()
    return LibraryScope(own_areas=own, vru=org.owning_vru, peer_states=(Plan.State.ACCEPTED,))


def library_actions(*, user) -> QuerySet[PlanAction]:
    """Actions a user may read in the library (see ``library_scope``)."""
    scope = library_scope(user=user)
    base = PlanAction.objects.filter(plan__is_current=True).select_related("plan__area", "plan__template", "theme")
    if not scope.own_areas:
        return base.none()
    own = Q(plan__area__in=[a.pk for a in scope.own_areas])
    if scope.all_vru_areas:
        return base.filter(own)
    return base.filter(own | Q(plan__area__vru=scope.vru, plan__state__in=scope.peer_states))


# --- What boroughs wrote themselves -----------------------------------------------------------------------------


TEXT_FIELDS = ("source", "title", "description", "outcome", "baseline", "progress", "comments")


def _text(source: str, title: str, description: str, outcome: str, baseline: str, progress: str, comments: str) -> str:
    own = [title, description] if source == PlanAction.Source.LOCAL else []
    return "\n".join([*own, outcome, baseline, progress, comments])


def action_text(action: PlanAction) -> str:
    """What the borough wrote about the action. A template action's title is the same in every plan, so
    only a local action's own title and description count."""
    return _text(*(getattr(action, name) for name in TEXT_FIELDS))


SEARCH_FIELDS = ("title", "description", "outcome", "progress", "comments")


def search_text(action: PlanAction) -> str:
    """What the library searches: the action's title, description, outcome, progress and comments."""
    return "\n".join(getattr(action, name) for name in SEARCH_FIELDS)


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def template_texts(*, vru) -> list[str]:
    """Wording that comes from a template, not from a borough: every theme and action title, description and
    guidance of the VRU's templates, and London's reference template (its themes, actions, worked examples and
    sample progress sentences; not its sample local actions, which stand for boroughs' own ideas)."""
    content = london_template()
    reference = [content.themes_2021, content.vawg_theme, content.new_actions_2022, content.progress_updates]
    texts = [s for part in reference for s in _strings(part)]
    for title, description in Theme.objects.filter(template__vru=vru).values_list("title", "description"):
        texts += [title, description]
    for title, guidance in TemplateAction.objects.filter(theme__template__vru=vru).values_list("title", "guidance"):
        texts += [title, guidance]
    return texts


# --- The library ------------------------------------------------------------------------------------------------


# Document indexes of the library kept in this process, keyed on the documents themselves (every id and text): a
# search reuses an index only when its corpus is exactly the same, so an edit, a new plan or a plan leaving the
# scope makes a new one. At most INDEX_CACHE_DOCUMENTS documents are kept across corpora (least recently used go
# first; the newest is always kept). An index takes about 4 KB a document (54 MB for London's 12,800 actions of
# five years in the national-scale benchmark), so this bounds a process's cache to about 130 MB.
INDEX_CACHE_DOCUMENTS = 30_000
_index_cache: OrderedDict[tuple[tuple[int, str], ...], Index] = OrderedDict()
_index_cache_lock = threading.Lock()


def _library_index(documents: dict[int, str]) -> Index:
    """The ``Index`` of ``documents`` (id -> search text), built once per exact corpus."""
    key = tuple(sorted(documents.items()))
    with _index_cache_lock:
        index = _index_cache.get(key)
        if index is not None:
            _index_cache.move_to_end(key)
            return index
    index = Index(documents)
    with _index_cache_lock:
        _index_cache[key] = index
        kept = sum(len(k) for k in _index_cache)
        while len(_index_cache) > 1 and kept > INDEX_CACHE_DOCUMENTS:
            oldest, _ = _index_cache.popitem(last=False)
            kept -= len(oldest)
    return index


def _codepoint_order(name: str) -> F | Collate:
    """Order a text column by code point, as Python compares strings (the database's own collation may ignore
    spaces and case): PostgreSQL's "C" collation; SQLite's default (BINARY) already does."""
    return Collate(F(name), "C") if connection.vendor == "postgresql" else F(name)


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
    """Actions matching the filters. With a query, actions holding its words as a whole phrase come first,
    then those holding all of its words apart, then those holding some (``match`` says which). Without one,
    actions flagged as good practice first, then by borough name and action code (then plan).

    Only the searched text of the matching actions is read to rank them (``search_text``'s fields), and whole
    actions only for the ``limit`` shown; the ranking is that of an ``Index`` over every matching action."""
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
    if q.strip():
        documents = {pk: "\n".join(fields) for pk, *fields in qs.order_by().values_list("pk", *SEARCH_FIELDS)}
        index = _library_index(documents)
        ranked = index.search_ranked(q)
        forms = display_forms([q])
        wanted = set(tokens(q))
        order = sorted(ranked, key=lambda pk: (ranked[pk][0], -ranked[pk][1], pk))[:limit]
        actions = qs.in_bulk(order)
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
    # (plan, code) is unique: the plan settles what borough name and code leave tied.
    no_good_practice = ExpressionWrapper(Q(good_practice__isnull=True), output_field=BooleanField())
    ordered = qs.annotate(no_good_practice=no_good_practice).order_by(
        "no_good_practice", _codepoint_order("plan__area__name"), _codepoint_order("code"), "plan_id"
    )
    return [{"action": a, "score": None, "tier": None, "match": "", "matched": []} for a in ordered[:limit]]


# --- Similar work -----------------------------------------------------------------------------------------------


def similar_work(*, action: PlanAction, limit: int = 5, user=None) -> dict[str, Any]:
    """The actions in other boroughs' plans of the same year whose own text (template wording and sentences many
    boroughs share set aside) is most like this action's own text, with the terms they share.

    Returns ``own_sentences`` (what the comparison used from this action) and ``rows``. An action with no text of
    its own is similar to nothing: copied wording is never scored."""
    year, vru_id = action.plan.template.year, action.plan.area.vru_id
    everyone = PlanAction.objects.filter(plan__is_current=True, plan__area__vru=vru_id, plan__template__year=year)
    texts_by_area: dict[int, list[str]] = defaultdict(list)
    for area_id, *fields in everyone.values_list("plan__area_id", *TEXT_FIELDS):
        texts_by_area[area_id].append(_text(*fields))
    boilerplate = Boilerplate(template_texts=template_texts(vru=vru_id), texts_by_area=texts_by_area)
    own_sentences = boilerplate.local_sentences(action_text(action))
    pool = library_actions(user=user) if user is not None else everyone
    pool = pool.filter(plan__template__year=year).exclude(plan__area=action.plan.area_id)
    documents = {pk: boilerplate.local_text(_text(*fields)) for pk, *fields in pool.values_list("pk", *TEXT_FIELDS)}
    documents = {pk: text for pk, text in documents.items() if text.strip()}
    rows: list[dict[str, Any]] = []
    if own_sentences and documents:
        candidates = set(documents)
        documents[action.pk] = " ".join(own_sentences)
        index = Index(documents)
        forms = display_forms(documents.values())
        found = index.similar(action.pk, candidates, limit)
        shown = PlanAction.objects.select_related("plan__area", "plan__template", "theme").in_bulk(
            [pk for pk, *_ in found]
        )
        rows = [
            {"action": shown[pk], "score": round(score, 3), "shared_terms": _without_parts(shared, forms)}
            for pk, score, shared in found
        ]
    return {"own_sentences": own_sentences, "rows": rows}


def _without_parts(terms: list[str], forms: dict[str, str]) -> list[str]:
    """Shared terms as written, without a word that a listed phrase already shows ("young" beside "young people")."""
    phrases_listed = [t.split() for t in terms if " " in t]
    return [forms.get(t, t) for t in terms if " " in t or not any(t in p for p in phrases_listed)]


def similar_actions(*, action: PlanAction, limit: int = 5, user=None) -> list[dict]:
    """The rows of ``similar_work``."""
    return similar_work(action=action, limit=limit, user=user)["rows"]


# --- Emerging themes --------------------------------------------------------------------------------------------

ESTABLISHED_SHARE = 0.5  # a phrase already written by half the boroughs last quarter is not emerging
FOLD_SHARE = 0.5  # a phrase written mostly in the same sentences as a higher-ranked one is part of its theme
EXAMPLES_PER_THEME = 3


def previous_quarter(*, quarter: ReportingQuarter) -> ReportingQuarter | None:
    """The quarter before: the same year's, or the fourth quarter of the year before."""
    if quarter.number > 1:
        return ReportingQuarter.objects.filter(template=quarter.template, number=quarter.number - 1).first()
    return (
        ReportingQuarter.objects.filter(
            template__vru=quarter.template.vru_id, template__year=quarter.template.year - 1, number=4
        )
        .select_related("template")
        .first()
    )


def emerging_themes(*, vru, year: int, quarter: int, limit: int = 20, min_boroughs: int = 3) -> list[dict]:
    """Phrases boroughs wrote themselves in their quarterly progress updates that rose against the previous
    quarter.

    Template wording and sentences many boroughs wrote the same way are set aside, and so are phrases made only of
    status or reporting words ("rated green", "delivery outcomes"). For each phrase and borough, the share of the
    borough's updates that use it is compared with the quarter before: a phrase is rising when that share grew
    in at least ``min_boroughs`` boroughs and more boroughs use it than before. Phrases already used by half the
    boroughs last quarter are established, not emerging. Ranked by (boroughs now - before) x log2 of their ratio
    (equal scores: the phrase in more sentences first, then the longer phrase); a phrase written mostly in the
    same sentences as a higher-ranked one is folded into it (its words and context are part of that theme). Each
    row has the rising boroughs and example sentences quoted from their updates. With no quarter before, nothing
    is rising."""
    current = ReportingQuarter.objects.filter(template__vru=vru, template__year=year, number=quarter).first()
    if current is None:
        return []
    before = previous_quarter(quarter=current)
    if before is None:
        return []  # nothing to rise against
    quarter_ids = [current.pk, before.pk]
    updates = list(
        QuarterlyUpdate.objects.filter(quarter_id__in=quarter_ids, action__plan__is_current=True)
        .exclude(progress="")
        .order_by("action__plan__area__name", "action__code", "pk")
        .values(
            "quarter_id",
            "progress",
            "action_id",
            "action__code",
            "action__title",
            "action__plan_id",
            "action__plan__synthetic",
            "action__plan__area_id",
            "action__plan__area__name",
            "action__theme__code",
        )
    )
    texts_by_area: dict[int, list[str]] = defaultdict(list)
    for u in updates:
        texts_by_area[u["action__plan__area_id"]].append(u["progress"])
    boilerplate = Boilerplate(template_texts=template_texts(vru=vru), texts_by_area=texts_by_area)

    reports: dict[int, Counter] = {pk: Counter() for pk in quarter_ids}  # updates per area in each quarter
    uses: dict[int, dict[str, Counter]] = {pk: defaultdict(Counter) for pk in quarter_ids}
    surfaces: dict[str, Counter] = defaultdict(Counter)
    written_in: dict[str, set[int]] = defaultdict(set)  # this quarter's sentences (numbered) holding the phrase
    sentence_no = 0
    examples: dict[str, dict[int, dict]] = defaultdict(dict)
    names: dict[int, str] = {}
    synthetic: dict[int, bool] = {}
    for u in updates:
        area, quarter_id = u["action__plan__area_id"], u["quarter_id"]
        names[area], synthetic[area] = u["action__plan__area__name"], u["action__plan__synthetic"]
        reports[quarter_id][area] += 1
        found: dict[str, str] = {}
        for sentence in boilerplate.local_sentences(u["progress"]):
            sentence_no += 1
            for key, surface in phrases(sentence).items():
                if is_generic(key) or boilerplate.is_template_phrase(key):
                    continue
                surfaces[key][surface] += 1
                if quarter_id == current.pk:
                    written_in[key].add(sentence_no)
                if key not in found:
                    found[key] = sentence
        for key, sentence in found.items():
            uses[quarter_id][key][area] += 1
            if quarter_id == current.pk and area not in examples[key]:
                examples[key][area] = {
                    "borough": names[area],
                    "action": u["action_id"],
                    "action_code": u["action__code"],
                    "action_title": u["action__title"],
                    "plan": u["action__plan_id"],
                    "theme": u["action__theme__code"],
                    "sentence": sentence,
                }

    def share(quarter_id: int, key: str, area: int) -> float:
        n = reports[quarter_id][area]
        return uses[quarter_id][key][area] / n if n else 0.0

    if not reports[before.pk]:
        return []  # no updates the quarter before: nothing to rise against
    established = ESTABLISHED_SHARE * len(reports[before.pk])
    candidates = []
    for key, areas_now in uses[current.pk].items():
        now, previous = len(areas_now), len(uses[before.pk].get(key, ()))
        if now < min_boroughs or now <= previous or (previous and previous >= established):
            continue
        rising = [a for a in areas_now if share(current.pk, key, a) > share(before.pk, key, a)]
        if len(rising) < min_boroughs:
            continue
        score = (now - previous) * math.log2((now + 1) / (previous + 1))
        candidates.append((score, key, now, previous, rising))
    # Equal evidence: the phrase written in more sentences (the theme rather than one way of putting it), then the
    # longer phrase ("zombie knives" before "zombie").
    candidates.sort(key=lambda c: (-c[0], -len(written_in[c[1]]), -len(c[1].split()), c[1]))

    rows: list[dict[str, Any]] = []
    kept: list[set[int]] = []
    for _score, key, now, previous, rising in candidates:
        mine = written_in[key]
        if any(len(mine & theirs) >= FOLD_SHARE * len(mine) for theirs in kept):
            continue  # written mostly beside a phrase already listed: part of its theme ("zombie" in "zombie knives")
        kept.append(mine)
        sample = [examples[key][a] for a in sorted(rising, key=lambda a: names[a]) if a in examples[key]]
        rows.append(
            {
                "term": surfaces[key].most_common(1)[0][0],
                "count": now,
                "previous": previous,
                "boroughs": sorted(names[a] for a in rising),
                # The command-line contract (issue 5): examples are action ids; the quoted sentences are beside.
                "examples": [e["action"] for e in sample[:EXAMPLES_PER_THEME]],
                "quotes": sample[:EXAMPLES_PER_THEME],
                "synthetic": any(synthetic[a] for a in rising),
            }
        )
        if len(rows) >= limit:
            break
    return rows


def quarter_choices(*, vru, year: int) -> list[tuple[int, str]]:
    """(number, "Q2: July to September 2021") for each quarter of the year, for people to choose from."""
    names = []
    for number in (1, 2, 3, 4):
        first_month = 4 + 3 * (number - 1)
        start = date(year + (first_month - 1) // 12, (first_month - 1) % 12 + 1, 1)
        end_month = first_month + 2
        end = date(year + (end_month - 1) // 12, (end_month - 1) % 12 + 1, 1)
        names.append((number, f"Q{number}: {start:%B} to {end:%B %Y}"))
    found = {q.number: q for q in ReportingQuarter.objects.filter(template__vru=vru, template__year=year)}
    return [
        (n, f"Q{n}: {found[n].starts_on:%B} to {found[n].ends_on:%B %Y}" if n in found else label) for n, label in names
    ]


def emerging_context(*, vru, year: int, quarter: int) -> dict[str, Any]:
    """The quarter compared, the one before it (None when there is none with updates, as ``emerging_themes``
    then finds nothing rising), and whether any plan read is synthetic demo content."""
    current = ReportingQuarter.objects.filter(template__vru=vru, template__year=year, number=quarter).first()
    before = previous_quarter(quarter=current) if current else None
    if before is not None and not QuarterlyUpdate.objects.filter(quarter=before).exclude(progress="").exists():
        before = None  # a quarter before with no updates is nothing to compare with
    synthetic = Plan.objects.filter(area__vru=vru, template__year=year, is_current=True, synthetic=True).exists()
    return {"current": current, "previous": before, "synthetic": synthetic}
