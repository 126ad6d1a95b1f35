"""Evaluation: the rules of a programme's evaluation, the evidence gap (defined once) and the prioritisation
list sorted by spend and by gap, checked against an independent computation over the raw rows (pandas)."""

from decimal import Decimal

import pandas as pd
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tests.programmes import factories as f
from vrhub.core.models import AuditEntry
from vrhub.programmes.models import Programme, ProgrammeAmount
from vrhub.programmes.selectors import evaluation as selectors
from vrhub.programmes.services import evaluation as services

pytestmark = pytest.mark.django_db

REPORTED = {
    "evaluation_status": "reported",
    "evaluator": "University of Somewhere",
    "evaluation_method": "Matched comparison group",
    "findings": "Fewer exclusions among those mentored.",
    "evidence_strength": "3",
    "report_url": "https://example.org/evaluation.pdf",
}


def test_reported_evaluation_saved_and_audited(programmes_world, editor):
    programme = programmes_world["havering_programme"]
    saved = services.programme_evaluation_update(programme=programme, user=editor, data=REPORTED, version=1)
    assert (saved.evaluation_status, saved.evidence_strength) == ("reported", 3)
    entry = AuditEntry.objects.get(
        object_type="programmes.programme", object_id=str(programme.pk), field="evidence_strength"
    )
    assert (entry.old, entry.new) == ("", "3")


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"findings": ""}, "findings", "reported evaluation needs them"),
        ({"report_url": ""}, "report_url", "reported evaluation needs it"),
        ({"report_url": "javascript:alert(1)"}, "report_url", "http:// or https://"),
        ({"report_url": "ftp://example.org/r.pdf"}, "report_url", "http:// or https://"),
        ({"evidence_strength": "6"}, "evidence_strength", "from the list"),
        ({"evidence_strength": "0"}, "evidence_strength", "from the list"),
        ({"evaluation_status": "planned"}, "evidence_strength", "only when an evaluation is in progress"),
        ({"evaluation_status": "none"}, "evidence_strength", "only when an evaluation is in progress"),
        ({"evaluation_status": "finished"}, "evaluation_status", "from the list"),
        ({"findings": "F\x00"}, "findings", "NUL"),
        ({"evaluator": "E" * 201}, "evaluator", "200"),
    ],
)
def test_rules_refuse_naming_the_field(programmes_world, editor, change, field, words):
    programme = programmes_world["havering_programme"]
    with pytest.raises(ValidationError) as exc:
        services.programme_evaluation_update(programme=programme, user=editor, data={**REPORTED, **change}, version=1)
    assert words in " ".join(exc.value.message_dict[field])
    programme.refresh_from_db()
    assert programme.evaluation_status == "none"


def test_in_progress_may_carry_an_interim_rating_and_planned_is_unrated(programmes_world, editor):
    programme = programmes_world["havering_programme"]
    data = {"evaluation_status": "in_progress", "evidence_strength": "2"}
    assert (
        services.programme_evaluation_update(programme=programme, user=editor, data=data, version=1).evidence_strength
        == 2
    )
    data = {"evaluation_status": "planned", "evidence_strength": ""}
    saved = services.programme_evaluation_update(programme=programme, user=editor, data=data, version=2)
    assert saved.evidence_strength is None


def test_lookers_cannot_change_it(programmes_world, lambeth_editor, vru_officer):
    with pytest.raises(PermissionDenied):
        services.programme_evaluation_update(
            programme=programmes_world["havering_programme"], user=vru_officer, data=REPORTED, version=1
        )


def test_evidence_gap_definition():
    assert selectors.evidence_gap(None) == 5  # not yet rated: the whole gap, never level 1's 4
    assert selectors.evidence_gap(1) == 4
    assert selectors.evidence_gap(5) == 0
    assert "not yet rated is never treated as level 1" in selectors.GAP_DEFINITION


@pytest.fixture
def rated(programmes_world, london):
    """The world's four programmes (each £60,000 in 2020/21) plus amounts and ratings that make the two orders
    differ; and a programme with no amount at all."""
    w = programmes_world
    Programme.objects.filter(pk=w["vru_programme"].pk).update(evaluation_status="reported", evidence_strength=4)
    Programme.objects.filter(pk=w["vru_lambeth_programme"].pk).update(
        evaluation_status="in_progress", evidence_strength=1
    )
    Programme.objects.filter(pk=w["havering_programme"].pk).update(evaluation_status="reported")  # unrated
    f.ProgrammeAmountFactory(programme=w["vru_programme"], year=2021, amount=Decimal("250000.00"))
    f.ProgrammeAmountFactory(programme=w["vru_lambeth_programme"], year=2021, amount=Decimal("10000.00"))
    f.ProgrammeFactory(owner=london, reference="LDN-NONE", title="No money yet", all_areas=True)
    return w


def _expected(sort: str) -> list[str]:
    programmes = pd.DataFrame(list(Programme.objects.values("pk", "reference", "title", "evidence_strength")))
    amounts = pd.DataFrame(list(ProgrammeAmount.objects.values("programme_id", "amount")))
    spend = amounts.groupby("programme_id")["amount"].sum()
    programmes["spend"] = programmes["pk"].map(spend)
    programmes["gap"] = programmes["evidence_strength"].apply(lambda s: 5 if pd.isna(s) else 5 - int(s))
    programmes["no_spend"] = programmes["spend"].isna()
    programmes["neg_spend"] = -programmes["spend"].fillna(0).astype(float)
    programmes["neg_gap"] = -programmes["gap"]
    programmes["title_key"] = programmes["title"].str.lower()
    keys = ["no_spend", "neg_spend", "title_key", "pk"]
    if sort == "gap":
        keys = ["neg_gap", *keys]
    return list(programmes.sort_values(keys)["reference"])


@pytest.mark.parametrize("sort", ["spend", "gap"])
def test_priorities_sorted_as_computed_independently(rated, vru_officer, sort):
    rows = selectors.evaluation_priorities(user=vru_officer, sort=sort)["rows"]
    assert [r.programme.reference for r in rows] == _expected(sort)


def test_equal_gaps_are_ordered_by_spend_largest_first(rated, vru_officer):
    # HAV-1 and LAM-1 are both unrated (gap 5) at £60,000; £1 more for LAM-1 must put it first although its
    # title sorts after HAV-1's; LDN-NONE (gap 5, no amount at all) comes last of the three.
    f.ProgrammeAmountFactory(programme=Programme.objects.get(reference="LAM-1"), year=2021, amount=Decimal("1.00"))
    expected = _expected("gap")
    rows = selectors.evaluation_priorities(user=vru_officer, sort="gap")["rows"]
    assert [r.programme.reference for r in rows] == expected
    assert [ref for ref in expected if ref in {"HAV-1", "LAM-1", "LDN-NONE"}] == ["LAM-1", "HAV-1", "LDN-NONE"]


def test_priorities_figures(rated, vru_officer):
    rows = {r.programme.reference: r for r in selectors.evaluation_priorities(user=vru_officer)["rows"]}
    # Every row's spend (over every year) and gap against pandas over the raw rows.
    programmes = pd.DataFrame(list(Programme.objects.values("pk", "reference", "evidence_strength")))
    amounts = pd.DataFrame(list(ProgrammeAmount.objects.values("programme_id", "amount")))
    spend = amounts.groupby("programme_id")["amount"].apply(lambda a: sum(a, Decimal(0)))
    for _, p in programmes.iterrows():
        expected_spend = spend.get(p["pk"])
        assert rows[p["reference"]].spend == expected_spend, p["reference"]
        expected_gap = 5 if pd.isna(p["evidence_strength"]) else 5 - int(p["evidence_strength"])
        assert rows[p["reference"]].gap == expected_gap, p["reference"]
    assert len(rows) == len(programmes)
    assert rows["LDN-1"].spend == Decimal("310000.00")
    assert rows["LDN-1"].gap == 1
    assert rows["HAV-1"].gap == 5  # reported but unrated: reduces nothing
    assert rows["HAV-1"].strength_label == "Not yet rated"
    assert rows["LDN-NONE"].spend is None


def test_priorities_page_for_a_borough_shows_only_its_programmes(client, rated, editor):
    client.force_login(editor)
    page = client.get(reverse("programmes:evaluation_priorities") + "?sort=gap").content.decode()
    assert 'data-reference="HAV-1"' in page
    assert 'data-reference="LDN-1"' in page  # London-wide: serves Havering
    assert 'data-reference="LDN-2"' not in page  # serves Lambeth only
    assert 'data-reference="LAM-1"' not in page
    assert "Evidence gap = 5" in page
    assert 'aria-sort="descending"' in page
    assert page.index('data-reference="HAV-1"') < page.index('data-reference="LDN-1"')  # gap 5 before gap 1
    assert "No data" in client.get(reverse("programmes:evaluation_priorities")).content.decode()


def test_evaluation_page_saves_and_shows_errors(client, programmes_world, editor):
    programme = programmes_world["havering_programme"]
    client.force_login(editor)
    url = reverse("programmes:programme_evaluation", args=[programme.pk])
    response = client.post(url, {**REPORTED, "findings": "", "version": "1"})
    assert response.status_code == 200
    assert "Enter the findings" in response.content.decode()
    response = client.post(url, {**REPORTED, "version": "1"})
    assert response.status_code == 302
    page = client.get(reverse("programmes:programme_detail", args=[programme.pk])).content.decode()
    assert "Level 3: change shown against a comparison group" in page
