import json
import re
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from tests.factories import UserFactory
from vrhub.accounts.models import User
from vrhub.core.models import AuditEntry
from vrhub.learning.models import GoodPractice
from vrhub.learning.selectors import library_search, similar_actions
from vrhub.learning.services import good_practice_flag, good_practice_unflag
from vrhub.learning.text import STOP_WORDS, Index, stem, terms
from vrhub.organisations.models import Organisation
from vrhub.plans.models import Plan
from vrhub.plans.services import plan_action_update, plan_create

pytestmark = pytest.mark.django_db


def test_terms_are_stemmed_words_and_pairs():
    assert terms("Knife crime exclusions") == ["knife", "crime", "exclus", "knife crime", "crime exclus"]
    index = Index(
        {
            1: "mentoring for young people excluded from school",
            2: "school exclusions mentoring scheme",
            3: "CCTV in the town centre",
        }
    )
    top = index.similar(1, [2, 3], 5)
    assert [k for k, _s, _t in top] == [2]
    assert set(top[0][2]) >= {"mentor", "school"}


def boroughs(template, codes):
    return {c: plan_create(area=Organisation.objects.get(code=c), template=template, user=None).plan for c in codes}


def test_similar_actions_in_other_boroughs_explained(template_2021, london):
    plans = boroughs(template_2021, ["E09000016", "E09000022", "E09000028"])
    texts = {
        "E09000016": "Detached youth workers mentoring young people excluded from school",
        "E09000022": "Mentoring by youth workers for pupils at risk of school exclusion",
        "E09000028": "CCTV upgrade on the high street",
    }
    for code, text in texts.items():
        plan_action_update(action=plans[code].actions.get(code="SYP-M1"), user=None, data={"progress": text})
    source = plans["E09000016"].actions.get(code="SYP-M1")
    rows = similar_actions(action=source, limit=5)
    assert rows[0]["action"].plan.area.code == "E09000022"
    # The words both texts use (stop words aside) and the adjacent pairs of such words both use.
    kept = {
        code: [w for w in re.findall(r"[a-z]+", text.lower()) if len(w) > 2 and w not in STOP_WORDS]
        for code, text in texts.items()
    }
    pairs = {code: set(zip(words, words[1:], strict=False)) for code, words in kept.items()}
    expected = (set(kept["E09000016"]) & set(kept["E09000022"])) | {
        " ".join(p) for p in pairs["E09000016"] & pairs["E09000022"]
    }
    assert expected == {"youth", "workers", "mentoring", "school", "youth workers"}
    # "excluded" and "exclusion" are one word to the stemmer: the sixth shared term (at most 6 are listed), and
    # "youth" and "workers" are shown once, inside "youth workers".
    shared = set(rows[0]["shared_terms"])
    assert shared - expected in ({"excluded"}, {"exclusion"})
    assert shared & expected == expected - {"youth", "workers"}
    assert [r["action"].plan.area.code for r in rows] == ["E09000022"], "the CCTV text shares no term"
    assert all(r["action"].plan.area_id != source.plan.area_id for r in rows)
    out = StringIO()
    call_command("similar_actions", "--action", str(source.pk), "--limit", "2", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert set(data[0]) == {"action", "area", "title", "score", "shared_terms", "synthetic"}
    assert (data[0]["area"], data[0]["synthetic"]) == ("E09000022", False)


def test_library_shows_accepted_peers_but_never_drafts(template_2021, london):
    plans = boroughs(template_2021, ["E09000016", "E09000022", "E09000028"])
    for plan in plans.values():
        plan_action_update(
            action=plan.actions.get(code="DIV-M1"),
            user=None,
            data={"progress": f"Boxing club mentoring in {plan.area.name}"},
        )
    Plan.objects.filter(pk=plans["E09000022"].pk).update(state="accepted")
    editor = UserFactory(organisation=Organisation.objects.get(code="E09000016"))
    found = {r["action"].plan.area.code for r in library_search(user=editor, q="boxing mentoring")}
    assert found == {"E09000016", "E09000022"}
    reviewer = UserFactory(organisation=london, role=User.Role.VRU_REVIEWER)
    assert {r["action"].plan.area.code for r in library_search(user=reviewer, q="boxing")} == set(plans)


def test_peer_can_open_accepted_plan_but_not_draft(client, template_2021, london):
    plans = boroughs(template_2021, ["E09000016", "E09000022"])
    Plan.objects.filter(pk=plans["E09000022"].pk).update(state="accepted")
    client.force_login(UserFactory(organisation=Organisation.objects.get(code="E09000016")))
    assert client.get(reverse("plans:detail", args=[plans["E09000022"].pk])).status_code == 200
    assert client.post(reverse("plans:theme", args=[plans["E09000022"].pk, "GOV"]), {}).status_code == 403
    Plan.objects.filter(pk=plans["E09000022"].pk).update(state="draft")
    assert client.get(reverse("plans:detail", args=[plans["E09000022"].pk])).status_code == 404


def test_good_practice_flag_by_reviewer_only(client, template_2021, london):
    plans = boroughs(template_2021, ["E09000016"])
    action = plans["E09000016"].actions.get(code="DIV-M1")
    reviewer = UserFactory(organisation=london, role=User.Role.VRU_REVIEWER)
    editor = UserFactory(organisation=Organisation.objects.get(code="E09000016"))
    client.force_login(editor)
    url = reverse("learning:good_practice", args=[action.plan_id, action.pk])
    assert client.post(url, {"note": "x"}).status_code == 403
    client.force_login(reviewer)
    assert client.post(url, {"note": "Strong outcomes"}).status_code == 302
    results = library_search(user=reviewer, good_practice_only=True)
    assert [r["action"].pk for r in results] == [action.pk]
    with pytest.raises(Exception, match="already flagged"):
        good_practice_flag(action=action, user=reviewer, note="again")


def test_stemmer_groups_the_forms_its_docstring_names():
    assert len({stem(w) for w in ("exclusions", "excluded", "exclusion")}) == 1


def test_good_practice_unflag_removes_it_from_the_library_and_is_audited(client, template_2021, london):
    plans = boroughs(template_2021, ["E09000016"])
    action = plans["E09000016"].actions.get(code="DIV-M1")
    reviewer = UserFactory(organisation=london, role=User.Role.VRU_REVIEWER)
    editor = UserFactory(organisation=Organisation.objects.get(code="E09000016"))
    gp = good_practice_flag(action=action, user=reviewer, note="Strong outcomes")
    library = reverse("learning:library") + "?good_practice=on"
    client.force_login(reviewer)
    listed = client.get(library).content.decode()
    assert "1 result<" in listed and f"#action-{action.pk}" in listed and "Strong outcomes" in listed
    url = reverse("learning:good_practice", args=[action.plan_id, action.pk])
    client.force_login(editor)
    assert client.post(url, {"remove": "1"}).status_code == 403
    assert GoodPractice.objects.filter(action=action).exists()
    client.force_login(reviewer)
    assert client.post(url, {"remove": "1"}).status_code == 302
    assert not GoodPractice.objects.exists()
    assert library_search(user=reviewer, good_practice_only=True) == []
    after = client.get(library).content.decode()
    assert "0 results<" in after and f"#action-{action.pk}" not in after and "Strong outcomes" not in after
    all_actions = client.get(reverse("learning:library") + "?area=E09000016&theme=DIV").content.decode()
    assert f"#action-{action.pk}" in all_actions and "govuk-tag--turquoise" not in all_actions
    (entry,) = AuditEntry.objects.filter(object_type="learning.goodpractice", action=AuditEntry.Action.DELETE)
    assert (entry.object_id, entry.actor, entry.plan_id, entry.action_id) == (
        str(gp.pk),
        reviewer,
        action.plan_id,
        action.pk,
    )
    with pytest.raises(ValidationError, match="not flagged"):
        good_practice_unflag(action=action, user=reviewer)
