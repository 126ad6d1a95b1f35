"""The fast library search (issue 16) returns exactly what the search before it returned (kept in
``library_reference``): the same actions in the same order with the same tiers, scores and matched words, with
and without search words, over several years and with ties; and a constant number of queries."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import UserFactory
from tests.learning.library_reference import library_search_reference
from vrhub.accounts.models import User
from vrhub.learning import selectors
from vrhub.learning.selectors import library_search
from vrhub.learning.services import good_practice_flag
from vrhub.organisations.models import Organisation
from vrhub.plans.models import Plan
from vrhub.plans.services import plan_action_update, plan_create, template_create_from_content
from vrhub.plans.templates import london_template

pytestmark = pytest.mark.django_db

CODES_2021 = ["E09000016", "E09000022", "E09000028", "E09000002", "E09000003"]
CODES_2022 = ["E09000016", "E09000022", "E09000028"]
# Whole phrase, words apart, one word only, the same text in several actions (equal scores), nothing to match.
TEXTS = [
    "Knife arches used at the station during the festival.",
    "Knife crime talks in schools; the railway arches are a robbery hotspot.",
    "Knife crime talks, knife surrender bins and knife safety lessons: knife awareness week.",
    "Detached youth work on the estates, mentoring young people at risk.",
    "Mentoring by youth workers for pupils at risk of school exclusion.",
    "Knife arches used at the station during the festival.",
    "",
]


def _plans(template, codes):
    return [plan_create(area=Organisation.objects.get(code=c), template=template, user=None).plan for c in codes]


@pytest.fixture
def corpus(template_2021, london):
    template_2022 = template_create_from_content(
        vru=london, year=2022, title="2022 template", themes=london_template().themes_2021, published=True
    )
    plans = _plans(template_2021, CODES_2021) + _plans(template_2022, CODES_2022)
    reviewer = UserFactory(organisation=london, role=User.Role.VRU_REVIEWER)
    n = 0
    for plan in plans:
        for action in plan.actions.order_by("code")[:6]:
            fields = {"progress": TEXTS[n % len(TEXTS)], "comments": TEXTS[(3 * n) % len(TEXTS)]}
            plan_action_update(action=action, user=None, data=fields)
            if n % 9 == 4:
                good_practice_flag(action=action, user=reviewer, note="Worth copying")
            n += 1
    Plan.objects.filter(pk__in=[plans[1].pk, plans[5].pk]).update(state=Plan.State.ACCEPTED)
    return {"plans": plans, "reviewer": reviewer, "template_2022": template_2022}


def rows(results):
    return [
        (r["action"].pk, r["action"].plan.area.name, r["score"], r["tier"], r["match"], r["matched"]) for r in results
    ]


SEARCHES: list[dict[str, Any]] = [
    {"q": "knife arches"},
    {"q": "knife arches", "limit": 7},
    {"q": "knife", "year": 2022},
    {"q": "mentoring youth workers", "area": "E09000022"},
    {"q": "knife crime", "status": "", "good_practice_only": True},
    {},
    {"limit": 9},
    {"year": 2021, "limit": 12},
    {"good_practice_only": True},
]


def test_library_search_returns_what_the_search_before_it_returned(corpus):
    reviewer = corpus["reviewer"]
    editor = UserFactory(organisation=corpus["plans"][0].area, role=User.Role.BOROUGH_EDITOR)
    for search in SEARCHES:  # one corpus for all the searches: building it is the slow part
        for user in (reviewer, editor):
            expected = rows(library_search_reference(user=user, **search))
            assert expected, f"{search} finds something to compare"
            assert rows(library_search(user=user, **search)) == expected, search
            assert rows(library_search(user=user, **search)) == expected, f"{search}: the index reused differs"


def test_the_corpus_has_ties_tiers_years_and_good_practice(corpus):
    """What the comparisons above rest on: equal scores, every tier, two years, flagged actions first."""
    reviewer = corpus["reviewer"]
    found = library_search_reference(user=reviewer, q="knife arches")
    scores = [r["score"] for r in found]
    assert len(scores) > len(set(scores)), "equal scores: the action id decides"
    assert {r["tier"] for r in found} == {0, 1, 2}
    assert {r["action"].plan.template.year for r in found} == {2021, 2022}
    listed = library_search_reference(user=reviewer, limit=1000)
    flagged = [hasattr(r["action"], "good_practice") for r in listed]
    assert flagged[:2] == [True, True] and not all(flagged)
    unflagged = [r["action"] for r in listed if not hasattr(r["action"], "good_practice")]
    pairs = [(a.plan.area.name, a.code) for a in unflagged]
    assert len(pairs) > len(set(pairs)), "the same borough and code in two years: the plan decides"


def test_an_edit_is_searched_at_once(corpus):
    """The index is reused only for exactly the same texts: an edit changes the ranking on the next search."""
    reviewer = corpus["reviewer"]
    before = rows(library_search(user=reviewer, q="zeppelin"))
    action = corpus["plans"][3].actions.order_by("code").first()
    plan_action_update(action=action, user=None, data={"comments": "A zeppelin over the knife arches."})
    after = library_search(user=reviewer, q="zeppelin")
    assert before == [] and [r["action"].pk for r in after] == [action.pk]
    assert rows(library_search(user=reviewer, q="knife arches")) == rows(
        library_search_reference(user=reviewer, q="knife arches")
    )


def test_index_cache_keeps_at_most_its_documents(corpus, monkeypatch):
    reviewer = corpus["reviewer"]
    selectors._index_cache.clear()
    library_search(user=reviewer, q="knife", year=2021)
    one_year = sum(len(k) for k in selectors._index_cache)
    monkeypatch.setattr(selectors, "INDEX_CACHE_DOCUMENTS", one_year)
    library_search(user=reviewer, q="knife", year=2022)
    assert len(selectors._index_cache) == 1, "the older corpus is let go"
    assert rows(library_search(user=reviewer, q="knife", year=2021)) == rows(
        library_search_reference(user=reviewer, q="knife", year=2021)
    )


@pytest.mark.parametrize("q", ["knife arches", ""])
def test_library_search_queries_do_not_grow_with_actions(template_2021, london, q):
    reviewer = UserFactory(organisation=london, role=User.Role.VRU_REVIEWER)
    counts = []
    for codes in (CODES_2021[:1], CODES_2021[1:]):
        for plan in _plans(template_2021, codes):
            for action in plan.actions.all()[:6]:
                plan_action_update(action=action, user=None, data={"progress": TEXTS[0]})
        with CaptureQueriesContext(connection) as ctx:
            found = library_search(user=reviewer, q=q, limit=5)
        assert len(found) == 5
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
