"""London's template content is a data file, checked with messages that name the theme or action at fault."""

import copy
import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from vrhub.plans.models import PlanTemplate
from vrhub.plans.services import template_create_from_content
from vrhub.plans.templates import (
    LONDON_TEMPLATE_PATH,
    london_template,
    london_template_load,
    london_template_problems,
    template_themes_validate,
)


@pytest.fixture
def content():
    return json.loads(LONDON_TEMPLATE_PATH.read_text(encoding="utf-8"))


def problems_after(content, change):
    changed = copy.deepcopy(content)
    change(changed)
    return london_template_problems(content=changed)


def test_the_shipped_file_follows_every_rule(content):
    assert london_template_problems(content=content) == []
    london = london_template()
    assert [t["code"] for t in london.themes_2021] == ["GOV", "ANE", "WPN", "SYP", "COM", "VIC", "DIV"]
    assert london.vawg_theme["code"] == "VAWG"
    assert sum(len(t["actions"]) for t in london.themes_2021) == 66
    assert (len(london.local_action_examples), len(london.progress_updates)) == (13, 22)
    assert london.retired_in_2022 == ["VIC-O4", "WPN-O3"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda c: c["themes_2021"][1]["actions"][1].update(code="ANE-M1"), "Action ANE-M1: the code is used twice."),
        (
            lambda c: c["themes_2021"][0]["actions"][0].update(kind="optional"),
            "Action GOV-M1: kind is 'optional', but its code says 'mandatory'.",
        ),
        (
            lambda c: c["themes_2021"][0]["actions"][0].update(code="GOV-X1"),
            "Action GOV-X1: its code must be GOV-M<n> (mandatory) or GOV-O<n> (optional).",
        ),
        (
            lambda c: c["themes_2021"][2]["actions"][3].update(title="x" * 121),
            "Action WPN-M4: the title has 121 characters; at most 120.",
        ),
        (lambda c: c["themes_2021"][0]["actions"][0].update(guidance=" "), "Action GOV-M1: the guidance is empty."),
        (
            lambda c: c["vawg_theme"]["actions"][0]["example"].update(baseline="none yet"),
            "Action VAWG-M1: the example's baseline needs a number.",
        ),
        (
            lambda c: c["themes_2021"][2].update(title="Weapons"),
            "Theme WPN: the title must be 'Reducing Access to Weapons', not 'Weapons'.",
        ),
        (lambda c: c["themes_2021"][3].update(description=""), "Theme SYP: the description is empty."),
        (
            lambda c: c["themes_2021"][3].update(
                actions=[a for a in c["themes_2021"][3]["actions"] if a["code"] != "SYP-M6"]
            ),
            "Theme SYP: has 5 mandatory actions; it needs at least 6.",
        ),
        (
            lambda c: c["themes_2021"][0].update(
                actions=[a for a in c["themes_2021"][0]["actions"] if a["code"] != "GOV-M2"]
            ),
            "Theme GOV: its mandatory actions must be numbered 1, 2, 3 ... in order, not [1, 3, 4, 5].",
        ),
        (
            lambda c: c["themes_2021"].insert(0, c["themes_2021"].pop()),
            "themes_2021: the themes must be ['GOV', 'ANE', 'WPN', 'SYP', 'COM', 'VIC', 'DIV'] in that order",
        ),
        (lambda c: c["vawg_theme"].update(code="VAW"), "vawg_theme: its code must be VAWG."),
        (
            lambda c: c["retired_in_2022"].__setitem__(0, "GOV-M1"),
            "retired_in_2022: GOV-M1 is mandatory; only optional actions can be retired.",
        ),
        (
            lambda c: c["retired_in_2022"].__setitem__(0, "GOV-O99"),
            "retired_in_2022: GOV-O99 is not an action of themes_2021.",
        ),
        (
            lambda c: c["new_actions_2022"]["ANE"][0].update(code="ANE-O9"),
            "Action ANE-O9: must continue the optional numbering as ANE-O5.",
        ),
        (
            lambda c: c["new_actions_2022"]["ANE"][0].update(kind="mandatory"),
            "Action ANE-O5: new 2022 actions must be optional.",
        ),
        (
            lambda c: c["local_action_examples"][0].update(theme="XYZ"),
            "Local action 'Hold a joint annual session of the CSP and the Health and Wellbeing Board on violence': "
            "'XYZ' is not a London theme.",
        ),
        (
            lambda c: c.update(local_action_examples=c["local_action_examples"][:9]),
            "local_action_examples: has 9; it needs 10 to 15.",
        ),
        (
            lambda c: c["progress_updates"].append(c["progress_updates"][0]),
            "progress_updates: an update is listed twice.",
        ),
        (lambda c: c.pop("vawg_theme"), "The file must hold exactly"),
    ],
)
def test_each_broken_rule_is_named(content, change, message):
    problems = problems_after(content, change)
    assert any(p.startswith(message) for p in problems), problems


def test_a_bad_file_is_refused_with_every_problem_and_the_file_name(content, tmp_path):
    content["themes_2021"][0]["actions"][0]["guidance"] = ""
    content["progress_updates"] = content["progress_updates"][:3]
    bad = tmp_path / "london_template.json"
    bad.write_text(json.dumps(content), encoding="utf-8")
    with pytest.raises(ValidationError) as refused:
        london_template_load(path=bad)
    assert refused.value.messages == [
        "london_template.json: Action GOV-M1: the guidance is empty.",
        "london_template.json: progress_updates: has 3; it needs 18 to 25.",
    ]
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(ValidationError, match=r"london_template.json: cannot be read as JSON"):
        london_template_load(path=bad)


def test_the_template_service_refuses_bad_themes_before_creating_anything(london, content):
    themes = content["themes_2021"]
    themes[1]["code"] = "GOV"
    with CaptureQueriesContext(connection) as ctx, pytest.raises(ValidationError) as refused:
        template_create_from_content(vru=london, year=2031, title="bad", themes=themes)
    assert "Theme GOV: the code is used twice." in refused.value.messages
    writes = [q["sql"] for q in ctx.captured_queries if re.match(r"\s*(INSERT|UPDATE|DELETE)\b", q["sql"], re.I)]
    assert writes == []  # refused before anything was written, not rolled back after
    assert not PlanTemplate.objects.filter(year=2031).exists()


def test_any_templates_themes_need_a_mandatory_action_and_ordered_numbers():
    themes = [
        {"code": "X", "title": "X", "actions": [{"code": "X-O2", "kind": "optional", "title": "Do it"}]},
    ]
    with pytest.raises(ValidationError) as refused:
        template_themes_validate(themes=themes)
    assert refused.value.messages == [
        "Theme X: it has no mandatory action.",
        "Theme X: its optional actions must be numbered 1, 2, 3 ... in order, not [2].",
    ]
    template_themes_validate(themes=[])
