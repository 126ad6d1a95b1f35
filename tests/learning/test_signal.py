"""Learning that is signal: emerging themes, similar work and library search read what boroughs wrote themselves.

Results are checked against the labelled corpus (tests/learning/corpus.py) by plain substring counts, never
against the code's own phrase extraction."""

import json
import re
from collections import defaultdict
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.factories import UserFactory
from tests.learning import corpus
from vrhub.accounts.models import User
from vrhub.cycle.models import QuarterlyUpdate
from vrhub.cycle.services import quarters_create
from vrhub.learning.selectors import emerging_themes, library_scope, library_search, similar_actions, similar_work
from vrhub.organisations.models import Organisation
from vrhub.plans.models import Plan, PlanAction
from vrhub.plans.services import plan_action_update, plan_create
from vrhub.plans.templates import london_template

pytestmark = pytest.mark.django_db

JUNK = ["rated green", "delivery outcomes", "data still", "partners will deliver outcomes", "deliver outcomes"]


@pytest.fixture
def corpus_loaded(template_2021, london):
    entries = corpus.build()
    quarters = quarters_create(template=template_2021)
    actions = {}
    for code in {e.borough for e in entries}:
        plan = plan_create(area=Organisation.objects.get(code=code), template=template_2021, user=None).plan
        for a in plan.actions.filter(code__in=corpus.ACTIONS):
            actions[(code, a.code)] = a
    QuarterlyUpdate.objects.bulk_create(
        QuarterlyUpdate(
            action=actions[(e.borough, e.action)], quarter=quarters[e.quarter - 1], progress=e.text, status="green"
        )
        for e in entries
    )
    return entries


def boroughs_writing(entries, phrase: str, quarter: int) -> set[str]:
    return {e.name for e in entries if e.quarter == quarter and phrase in e.text.lower()}


def rising_boroughs(entries, phrase: str) -> set[str]:
    """Boroughs whose share of updates using the phrase grew from the first quarter to the second."""
    used, total = defaultdict(int), defaultdict(int)
    for e in entries:
        total[(e.name, e.quarter)] += 1
        used[(e.name, e.quarter)] += phrase in e.text.lower()
    names = {e.name for e in entries}
    return {n for n in names if used[(n, 2)] / total[(n, 2)] > used[(n, 1)] / total[(n, 1)]}


def test_planted_themes_lead_and_no_boilerplate_does(corpus_loaded, london):
    entries = corpus_loaded
    rows = emerging_themes(vru=london, year=2021, quarter=2)
    top = [r["term"].lower() for r in rows[:5]]
    for theme in corpus.PLANTED:
        assert any(theme in term for term in top), f"{theme!r} is not in the top five: {top}"
    boilerplate = [s.lower() for e in entries for label, s in e.sentences if label in {"stock", "status", "template"}]
    for term in top:
        assert not any(term in s for s in boilerplate), f"{term!r} in the top five comes from boilerplate"
    assert not [r for r in rows if any(j in r["term"].lower() for j in JUNK)]
    # Boilerplate did rise: a naive count of boroughs would have ranked "rated green" first.
    assert len(boroughs_writing(entries, "rated green", 2)) > len(boroughs_writing(entries, "rated green", 1)) + 10
    assert all("knife arches" not in r["term"].lower() for r in rows), "a steady theme is not rising"
    assert boroughs_writing(entries, "knife arches", 1) == boroughs_writing(entries, "knife arches", 2)


def test_each_theme_has_its_boroughs_counts_and_quoted_examples(corpus_loaded, london):
    entries = corpus_loaded
    rows = {r["term"].lower(): r for r in emerging_themes(vru=london, year=2021, quarter=2)}
    row = rows["zombie knives"]
    assert row["count"] == len(boroughs_writing(entries, "zombie knives", 2))
    assert row["previous"] == len(boroughs_writing(entries, "zombie knives", 1)) == 0
    assert set(row["boroughs"]) == rising_boroughs(entries, "zombie knives")
    assert 1 <= len(row["quotes"]) <= 3
    assert row["examples"] == [q["action"] for q in row["quotes"]]
    for example in row["quotes"]:
        action = PlanAction.objects.get(pk=example["action"])
        assert action.plan.area.name == example["borough"] and action.code == example["action_code"]
        written = [e.text for e in entries if e.name == example["borough"] and e.quarter == 2]
        assert any(example["sentence"] in text for text in written)
        assert "zombie knives" in example["sentence"].lower()
    scooter = next(r for t, r in rows.items() if "e-scooter" in t)
    assert scooter["previous"] == len({n for n in boroughs_writing(entries, "e-scooter", 1)})
    assert scooter["count"] == len(boroughs_writing(entries, "e-scooter", 2))


def test_theme_written_equally_last_quarter_is_not_rising(template_2021, london):
    places = {"E09000016": "Romford", "E09000022": "Brixton", "E09000028": "Peckham", "E09000002": "Barking"}
    quarters = quarters_create(template=template_2021)
    for code, place in places.items():
        plan = plan_create(area=Organisation.objects.get(code=code), template=template_2021, user=None).plan
        action = plan.actions.get(code="DIV-M1")
        for n, quarter in enumerate(quarters[:2]):
            text = f"Mentoring at the boxing gym in {place} for girls."  # the same in both quarters
            if n == 1 and code != "E09000002":
                text += f" Vape shops selling knives around {place} worried parents."
            QuarterlyUpdate.objects.create(action=action, quarter=quarter, progress=text, status="green")
    rows = emerging_themes(vru=london, year=2021, quarter=2)
    assert [(r["previous"], r["count"]) for r in rows] == [(0, 3)]
    words = rows[0]["term"].split()
    assert len(words) >= 2 and " ".join(words) in "vape shops selling knives", "one phrase of the planted sentence"
    assert rows[0]["boroughs"] == ["Havering", "Lambeth", "Southwark"]
    q1 = emerging_themes(vru=london, year=2021, quarter=1)
    assert q1 == [], "the first quarter has no quarter before it in this data, so nothing is rising"
    QuarterlyUpdate.objects.filter(quarter=quarters[0]).delete()
    assert emerging_themes(vru=london, year=2021, quarter=2) == [], "a quarter before without updates is no baseline"


def test_emerging_page_shows_examples_linked_to_actions(client, corpus_loaded, london):
    client.force_login(UserFactory(organisation=london, role=User.Role.VRU_REVIEWER))
    html = client.get(reverse("learning:emerging", args=[2021]) + "?quarter=2").content.decode()
    row = next(r for r in emerging_themes(vru=london, year=2021, quarter=2) if r["term"] == "zombie knives")
    example = row["quotes"][0]
    action = PlanAction.objects.get(pk=example["action"])
    assert f'href="{reverse("plans:theme", args=[action.plan_id, action.theme.code])}#action-{action.pk}"' in html
    assert example["sentence"].replace("'", "&#x27;") in html
    assert "Q1 2021/22" in html and "Q2 2021/22" in html
    results = html[html.index('data-testid="emerging"') :]
    assert not re.search(r"rated green|delivery outcomes", results, re.I)


def test_emerging_command_json_says_what_it_compared(corpus_loaded, london):
    out = StringIO()
    call_command("emerging_themes", "--year", "2021", "--quarter", "2", "--json", stdout=out)
    data = json.loads(out.getvalue())
    expected = emerging_themes(vru=london, year=2021, quarter=2)
    assert isinstance(data, list) and [t["term"] for t in data] == [r["term"] for r in expected]
    assert "zombie knives" in {t["term"].lower() for t in data}, "the planted theme is in the command's output"
    assert [(t["count"], t["previous"]) for t in data] == [(r["count"], r["previous"]) for r in expected]
    for row in data:  # the contract of issue 5, and the synthetic label
        assert {"term", "count", "previous", "boroughs", "examples", "synthetic"} <= set(row)
        assert all(isinstance(a, int) for a in row["examples"]) and row["synthetic"] is False
    text = StringIO()
    call_command("emerging_themes", "--year", "2021", "--quarter", "2", stdout=text)
    assert "in Q2 2021/22 against Q1 2021/22" in text.getvalue()


# --- Similar work: local content only ---------------------------------------------------------------------------

SHARED = "Partners will deliver outcomes as agreed at the board."


def _plans(template, codes):
    return {c: plan_create(area=Organisation.objects.get(code=c), template=template, user=None).plan for c in codes}


def _div_m1_example():
    (example,) = [a["example"] for t in london_template().themes_2021 for a in t["actions"] if a["code"] == "DIV-M1"]
    return example


def test_identical_template_and_boilerplate_text_is_not_similar(template_2021, london):
    plans = _plans(template_2021, ["E09000016", "E09000022", "E09000028", "E09000002"])
    example = _div_m1_example()
    for plan in plans.values():
        plan_action_update(
            action=plan.actions.get(code="DIV-M1"),
            user=None,
            data={"outcome": example["outcome"], "progress": f"{example['progress']} {SHARED}"},
        )
    source = plans["E09000016"].actions.get(code="DIV-M1")
    texts = [a.outcome + a.progress for a in PlanAction.objects.filter(code="DIV-M1")]
    assert len(set(texts)) == 1, "all four boroughs wrote exactly the same"
    work = similar_work(action=source, limit=5)
    assert (work["own_sentences"], work["rows"]) == ([], [])


def test_same_local_idea_is_similar_and_boilerplate_is_not_what_matches(template_2021, london):
    plans = _plans(template_2021, ["E09000016", "E09000022", "E09000028", "E09000002"])
    example = _div_m1_example()
    local = {
        "E09000016": "Girls' boxing club mentoring for young women at risk of exploitation, with a gym in Romford.",
        "E09000022": "Mentoring through boxing sessions for girls at risk of exploitation in Brixton.",
        "E09000028": "CCTV cameras upgraded along Rye Lane after robberies.",
        "E09000002": "",
    }
    for code, plan in plans.items():
        plan_action_update(
            action=plan.actions.get(code="DIV-M1"),
            user=None,
            data={"outcome": example["outcome"], "progress": f"{SHARED} {local[code]}".strip()},
        )
    source = plans["E09000016"].actions.get(code="DIV-M1")
    rows = similar_actions(action=source, limit=5)
    assert [r["action"].plan.area.code for r in rows] == ["E09000022"]
    assert 0 < rows[0]["score"] < 1
    words = {code: set(re.findall(r"[a-z]+", text.lower())) for code, text in local.items()}
    both = words["E09000016"] & words["E09000022"]
    boilerplate_words = set(re.findall(r"[a-z]+", (SHARED + " " + example["outcome"]).lower()))
    for term in rows[0]["shared_terms"]:
        assert set(term.split()) <= both, f"{term!r} is not in both boroughs' own text"
        assert not set(term.split()) & (boilerplate_words - both), f"{term!r} comes from boilerplate"
    assert {"boxing", "girls", "exploitation", "mentoring"} <= {w for t in rows[0]["shared_terms"] for w in t.split()}


def test_similar_page_says_when_an_action_has_no_text_of_its_own(client, template_2021, london):
    plans = _plans(template_2021, ["E09000016", "E09000022", "E09000028"])
    example = _div_m1_example()
    for plan in plans.values():
        plan_action_update(action=plan.actions.get(code="DIV-M1"), user=None, data={"outcome": example["outcome"]})
    source = plans["E09000016"].actions.get(code="DIV-M1")
    client.force_login(UserFactory(organisation=london, role=User.Role.VRU_REVIEWER))
    html = client.get(reverse("learning:similar", args=[source.plan_id, source.pk])).content.decode()
    assert 'data-testid="no-own-text"' in html
    assert 'data-testid="similar"' not in html, "no table of scores when nothing was compared"


# --- Library: phrases first, and a truthful sentence about what the reader sees ---------------------------------


def test_library_ranks_the_whole_phrase_above_its_words(template_2021, london):
    plans = _plans(template_2021, ["E09000016", "E09000022", "E09000028", "E09000002"])
    texts = {
        "E09000016": "Knife arches used at the station during the festival.",
        "E09000022": "Knife crime talks in schools; the railway arches are a robbery hotspot.",
        "E09000028": "Knife crime talks, knife surrender bins and knife safety lessons: knife awareness week.",
        "E09000002": "Detached youth work on the estates.",
    }
    for code, plan in plans.items():
        plan_action_update(action=plan.actions.get(code="DIV-M1"), user=None, data={"progress": texts[code]})
    reviewer = UserFactory(organisation=london, role=User.Role.VRU_REVIEWER)
    results = [r for r in library_search(user=reviewer, q="knife arches") if r["action"].code == "DIV-M1"]

    def expected_tier(text: str) -> int:
        text = text.lower()
        if "knife arches" in text:
            return 0
        return 1 if "knife" in text and "arches" in text else 2

    codes = [r["action"].plan.area.code for r in results]
    assert codes == ["E09000016", "E09000022", "E09000028"]
    assert [r["tier"] for r in results] == [expected_tier(texts[c]) for c in codes] == [0, 1, 2]
    assert [r["match"] for r in results] == ["the whole phrase", "all the words, apart", "some of the words"]


def test_library_sentence_says_exactly_which_plans_are_searched(client, template_2021, london):
    states = ["draft", "accepted", "draft", "submitted", "returned", "resubmitted"]
    codes = ["E09000016", "E09000022", "E09000028", "E09000002", "E09000003", "E09000004"]
    plans = _plans(template_2021, codes)
    for code, state in zip(codes, states, strict=True):
        plan = plans[code]
        plan_action_update(action=plan.actions.get(code="DIV-M1"), user=None, data={"progress": "Boxing mentoring"})
        Plan.objects.filter(pk=plan.pk).update(state=state)
    editor = UserFactory(organisation=Organisation.objects.get(code="E09000016"))
    seen = {(r["action"].plan.area.code, r["action"].plan.state) for r in library_search(user=editor, q="boxing")}
    assert seen == {("E09000016", "draft"), ("E09000022", "accepted")}
    sentence = library_scope(user=editor).sentence
    assert sentence.startswith("You see Havering's current plan at every stage, drafts included")
    peer_states = {state for code, state in seen if code != "E09000016"}
    for value, label in Plan.State.choices:
        said_shown = f"other boroughs' {label.lower()} plans only" in sentence
        assert said_shown == (value in peer_states), f"the sentence and the results disagree on {label}"
        if not said_shown:
            assert label.lower() in sentence.split("; ")[1], f"{label} plans of other boroughs are said to be hidden"
    client.force_login(editor)
    html = client.get(reverse("learning:library")).content.decode()
    assert sentence.replace("'", "&#x27;") in html
    reviewer = UserFactory(organisation=london, role=User.Role.VRU_REVIEWER)
    seen = {(r["action"].plan.area.code, r["action"].plan.state) for r in library_search(user=reviewer, q="boxing")}
    assert seen == set(zip(codes, states, strict=True))
    assert library_scope(user=reviewer).sentence.startswith(
        f"You see every current plan of the {Organisation.objects.filter(kind='area', vru=london).count()} boroughs"
    )
    assert "draft" in library_scope(user=reviewer).sentence


def test_first_quarter_rises_against_the_fourth_quarter_of_the_year_before(template_2021, london):
    from vrhub.plans.services import template_create_from_content

    template_2022 = template_create_from_content(
        vru=london, year=2022, title="2022 template", themes=london_template().themes_2021, published=True
    )
    q4 = quarters_create(template=template_2021)[3]
    q1 = quarters_create(template=template_2022)[0]
    places = {"E09000016": "Romford", "E09000022": "Brixton", "E09000028": "Peckham", "E09000002": "Barking"}
    for code, place in places.items():
        area = Organisation.objects.get(code=code)
        old = plan_create(area=area, template=template_2021, user=None).plan.actions.get(code="DIV-M1")
        new = plan_create(area=area, template=template_2022, user=None).plan.actions.get(code="DIV-M1")
        QuarterlyUpdate.objects.create(action=old, quarter=q4, progress=f"Mentoring in {place}.", status="green")
        text = f"Mentoring in {place}." + (
            f" Drill music videos from {place} taunt rivals." if code != "E09000002" else ""
        )
        QuarterlyUpdate.objects.create(action=new, quarter=q1, progress=text, status="green")
    rows = emerging_themes(vru=london, year=2022, quarter=1)
    assert [(r["previous"], r["count"]) for r in rows] == [(0, 3)]
    # The longest phrase all three boroughs wrote (the place names differ, so no longer one is shared).
    assert rows[0]["term"] == "drill music videos"
    out = StringIO()
    call_command("emerging_themes", "--year", "2022", "--quarter", "1", stdout=out)
    assert "against Q4 2021/22" in out.getvalue()
