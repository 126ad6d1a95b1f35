"""The readiness rule and the duty_readiness command's --json contract."""

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.duty.factories import (
    DefinitionFactory,
    PartnershipFactory,
    RelevantAuthorityFactory,
    SpecifiedAuthorityFactory,
    StrategyFactory,
    assessment_with_sections,
    complete_partnership,
)
from tests.factories import AreaFactory, PlanActionFactory
from vrhub.duty.catalogue import AuthorityKind, SnaSectionKey
from vrhub.duty.models import NeedsAssessment, SnaSection, Strategy
from vrhub.duty.selectors.readiness import area_readiness, readiness_many

TODAY = dt.date(2026, 12, 1)
KINDS = [k.value for k in AuthorityKind]


def _ready_strategy(partnership, **kwargs) -> Strategy:
    values = {
        "state": Strategy.State.PUBLISHED,
        "published_on": dt.date(2026, 4, 1),
        "next_review": dt.date(2027, 4, 1),
        **kwargs,
    }
    strategy = StrategyFactory(partnership=partnership, **values)
    strategy.plan_actions.add(PlanActionFactory(plan__area=partnership.area))
    return strategy


def _readiness(area, today=TODAY):
    return area_readiness(area=area, today=today)


@pytest.mark.django_db
def test_an_area_without_records_misses_everything():
    area = AreaFactory()
    r = _readiness(area)
    data = r.as_json()
    assert data["partnership"] == {"specified_authorities": [], "missing": KINDS}
    assert data["definition"] == {"offence_types": [], "complete": False}
    assert data["sna"] == {"state": "not_started", "sections_complete": 0, "sections": len(SnaSectionKey)}
    assert data["strategy"] == {"state": "not_started", "published": None, "next_review": None}
    elements = [m["element"] for m in data["missing"]]
    assert elements[0] == "partnership"
    assert {"sna", "strategy", "definition.offence_types", "definition.rationale"} <= set(elements)
    assert [e for e in elements if e.startswith("partnership.")] == [f"partnership.{k}" for k in KINDS]
    assert data["ready"] is False


@pytest.mark.django_db
def test_a_complete_partnership_with_a_published_linked_strategy_is_ready():
    partnership = complete_partnership()
    _ready_strategy(partnership)
    r = _readiness(partnership.area)
    assert r.missing == []
    assert r.ready is True
    assert r.as_json()["strategy"] == {"state": "published", "published": "2026-04-01", "next_review": "2027-04-01"}
    assert r.sections_complete == r.sections == 8


@pytest.mark.django_db
def test_each_missing_element_is_named():
    partnership = PartnershipFactory(governance_group="")
    SpecifiedAuthorityFactory(partnership=partnership, kind=AuthorityKind.POLICE, organisation="Met")
    DefinitionFactory(partnership=partnership, offence_types=["homicide", "not-a-code"], factor_community="  ")
    assessment = assessment_with_sections(partnership=partnership)
    SnaSection.objects.filter(assessment=assessment, key=SnaSectionKey.COHORTS).update(text=" ")
    StrategyFactory(partnership=partnership, funding="", state=Strategy.State.DRAFT)
    r = _readiness(partnership.area)
    elements = [m.element for m in r.missing]
    assert "partnership.governance_group" in elements
    assert "partnership.police" not in elements
    assert r.missing_kinds == [k for k in KINDS if k != "police"]
    assert r.offence_types == ["homicide"]  # an unknown code is not counted
    assert "definition.factor_community" in elements and r.definition_complete is False
    assert "sna.cohorts" in elements and "sna.agreed" in elements and "sna.summary" not in elements
    assert r.sections_complete == 7
    for element in ("strategy.funding", "strategy.plan_actions", "strategy.published", "strategy.next_review"):
        assert element in elements
    assert "strategy.interventions" not in elements
    assert "consultation" in elements  # no relevant authority recorded


@pytest.mark.django_db
def test_an_overdue_review_is_missing_and_names_the_date():
    partnership = complete_partnership()
    _ready_strategy(partnership, next_review=dt.date(2026, 3, 1))
    r = _readiness(partnership.area)
    assert [m.as_dict() for m in r.missing] == [
        {"element": "strategy.review_overdue", "message": "The strategy's annual review was due on 1 March 2026"}
    ]
    assert _readiness(partnership.area, today=dt.date(2026, 3, 1)).ready is True
    # The day after the review date it is overdue (the boundary, not only nine months later).
    late = _readiness(partnership.area, today=dt.date(2026, 3, 2))
    assert [m.element for m in late.missing] == ["strategy.review_overdue"]


@pytest.mark.django_db
def test_a_relevant_authority_never_consulted_is_missing():
    partnership = complete_partnership()
    _ready_strategy(partnership)
    unconsulted = RelevantAuthorityFactory(partnership=partnership, organisation="Feltham YOI")
    r = _readiness(partnership.area)
    assert [m.as_dict() for m in r.missing] == [
        {"element": f"consultation.{unconsulted.kind}", "message": "Record the consultation of Feltham YOI"}
    ]
    assert r.ready is False


@pytest.mark.django_db
def test_the_published_version_is_in_force_while_a_revision_is_drafted():
    partnership = complete_partnership()
    _ready_strategy(partnership, version=1)
    StrategyFactory(partnership=partnership, version=2, state=Strategy.State.DRAFT, funding="")
    r = _readiness(partnership.area)
    assert r.strategy_state == "published" and r.ready is True


@pytest.mark.django_db
def test_the_latest_assessment_counts():
    partnership = complete_partnership()
    _ready_strategy(partnership)
    NeedsAssessment.objects.create(partnership=partnership, year=2027, title="2027 SNA")
    r = _readiness(partnership.area)
    assert r.sna_state == "draft" and r.sections_complete == 0
    assert "sna.summary" in [m.element for m in r.missing]


@pytest.mark.django_db
def test_many_areas_in_a_fixed_number_of_queries(django_assert_max_num_queries):
    areas = [complete_partnership().area for _ in range(3)] + [AreaFactory()]
    with django_assert_max_num_queries(9):
        few = readiness_many(areas=areas, today=TODAY)
    areas += [complete_partnership().area for _ in range(5)]
    with django_assert_max_num_queries(9):
        many = readiness_many(areas=areas, today=TODAY)
    assert set(few) < set(many)
    assert many[areas[3].pk].as_json()["partnership"]["missing"] == KINDS


@pytest.mark.django_db
def test_command_json_contract():
    partnership = complete_partnership(synthetic=True)
    _ready_strategy(partnership, next_review=dt.date(2099, 1, 1))
    out = StringIO()
    call_command("duty_readiness", "--area", partnership.area.code, "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert list(data) == [
        "area",
        "name",
        "partnership",
        "definition",
        "sna",
        "strategy",
        "missing",
        "ready",
        "synthetic",
    ]
    assert data["area"] == partnership.area.code and data["name"] == partnership.area.name
    assert {a["kind"] for a in data["partnership"]["specified_authorities"]} == set(KINDS)
    assert set(data["partnership"]["specified_authorities"][0]) == {"kind", "organisation", "lead"}
    assert data["definition"] == {"offence_types": ["homicide", "weapons", "county_lines"], "complete": True}
    assert data["sna"] == {"state": "agreed", "sections_complete": 8, "sections": 8}
    assert data["strategy"]["next_review"] == "2099-01-01"
    assert data["missing"] == [] and data["ready"] is True and data["synthetic"] is True


@pytest.mark.django_db
def test_command_text_labels_synthetic_and_lists_missing():
    partnership = PartnershipFactory(synthetic=True)
    out = StringIO()
    call_command("duty_readiness", "--area", partnership.area.code, stdout=out)
    text = out.getvalue()
    assert "SYNTHETIC" in text.splitlines()[0]
    assert "not ready" in text.splitlines()[0]
    assert "Add the chief officer of police to the partnership, with its lead [partnership.police]" in text


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["E09999999", "", "x" * 500, "E09000016'; DROP TABLE duty_partnership;--"])
def test_command_refuses_an_unknown_area_in_one_line(code):
    with pytest.raises(CommandError) as exc:
        call_command("duty_readiness", "--area", code, "--json", stdout=StringIO())
    assert "No area has the code" in str(exc.value)
    assert "\n" not in str(exc.value)
