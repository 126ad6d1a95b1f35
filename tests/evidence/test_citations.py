import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.cycle import conftest as cycle_fixtures
from tests.cycle.test_signoff_and_review import sign_all
from vrhub.core.models import AuditEntry
from vrhub.cycle.models import Signature
from vrhub.cycle.services import signatures_status
from vrhub.evidence.citations import citation_add
from vrhub.evidence.loaders.police_uk import HEADER, load_police_uk
from vrhub.evidence.models import Citation
from vrhub.plans.content import plan_content_hash

pytestmark = pytest.mark.django_db

signatories = cycle_fixtures.signatories  # the three signatories for Havering


ROBBERIES = {"2023-01": 3, "2023-02": 2}


@pytest.fixture
def robberies(write):
    rows = [",".join(HEADER)]
    for month, n in ROBBERIES.items():
        for i in range(n):
            rows.append(
                f"id-{month}-{i},{month},Metropolitan Police Service,Metropolitan Police Service,"
                f"0.2,51.5,On or near X,E01002356,Havering 013C,Robbery,Under investigation,"
            )
    load_police_uk(paths=[write("2023-02-metropolitan-street.csv", "\n".join(rows) + "\n")])


def test_citing_a_figure_fixes_it_in_the_baseline_and_voids_the_signatures(plan, editor, robberies, signatories):
    action = plan.actions.get(code="ANE-M1")
    sign_all(plan, signatories)
    assert [s["valid"] for s in signatures_status(plan=plan)] == [True, True, True]
    before = plan_content_hash(plan)
    citation = citation_add(
        action=action, user=editor, area_code="E01002356", measure="police.uk:Robbery", period="2023-01:2023-02"
    )
    total = sum(ROBBERIES.values())
    assert (citation.value, citation.period, citation.area_name) == (total, "2023-01:2023-02", "Havering 013C")
    action.refresh_from_db()
    assert f"{total} robbery offences, Havering 013C, 2023-01 to 2023-02" in action.baseline
    assert plan_content_hash(plan) != before
    status = signatures_status(plan=plan)
    assert [s["valid"] for s in status] == [False, False, False]
    sigs = Signature.objects.filter(plan=plan)
    assert sigs.count() == 3 and not sigs.filter(voided_at__isnull=True).exists()
    assert set(sigs.values_list("void_reason", flat=True)) == {"ANE-M1 changed"}
    voided = AuditEntry.objects.filter(object_type="cycle.signature", field="void_reason", plan_id=plan.pk)
    assert sorted(voided.values_list("object_id", "old", "new")) == sorted(
        (str(pk), "", "ANE-M1 changed") for pk in sigs.values_list("pk", flat=True)
    )
    assert set(voided.values_list("actor", flat=True)) == {editor.pk}


def test_an_unknown_measure_or_empty_period_is_refused(plan, editor, robberies):
    action = plan.actions.get(code="ANE-M1")
    with pytest.raises(ValidationError, match="Unknown measure"):
        citation_add(
            action=action, user=editor, area_code="E01002356", measure="police.uk:Nothing", period="2023-01:2023-02"
        )
    with pytest.raises(ValidationError, match="no"):
        citation_add(
            action=action, user=editor, area_code="E01002356", measure="police.uk:Robbery", period="2019-01:2019-02"
        )
    assert not Citation.objects.exists()


def test_cite_page_posts_to_the_editors_own_plan(client, plan, editor, robberies):
    client.force_login(editor)
    url = reverse("evidence_cite") + "?area=E01002356&measure=police.uk:Robbery&period=2023-01:2023-02"
    body = client.get(url).content.decode()
    assert "<strong>5</strong>" in body
    action = plan.actions.get(code="ANE-M1")
    response = client.post(url, {"action": action.pk})
    assert response.status_code == 302
    assert Citation.objects.get().action == action
    theme = client.get(reverse("plans:theme", args=[plan.pk, "ANE"])).content.decode()
    assert "Evidence cited in the baseline" in theme


def test_plan_page_shows_the_problem_profile_panel(client, plan, editor):
    from pathlib import Path

    from vrhub.evidence.loaders.mps import load_mps

    root = Path(__file__).resolve().parents[2] / "data" / "mps"
    load_mps(paths=[root / "recorded-crime-borough.parquet"])
    client.force_login(editor)
    body = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert "Problem profile: headline trends" in body
    assert "in a baseline</a>" in body
