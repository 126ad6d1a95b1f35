import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.cycle import conftest as cycle_fixtures
from tests.cycle.test_signoff_and_review import sign_all
from tests.factories import UserFactory
from vrhub.core.models import AuditEntry
from vrhub.cycle.models import Signature
from vrhub.cycle.services import signatures_status
from vrhub.evidence.loaders.police_uk import HEADER, load_police_uk
from vrhub.evidence.models import Citation
from vrhub.evidence.services import citation_add
from vrhub.organisations.models import Organisation
from vrhub.plans.content import plan_content_hash
from vrhub.plans.services import plan_add_local_action

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
    from tests.plans.conftest import complete_content
    from vrhub.plans.services import plan_action_update

    for each in plan.actions.all():  # only a complete plan can be signed
        plan_action_update(action=each, user=editor, data=complete_content())
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
    no_data = (
        r"^\['There is no .+ data for Havering 013C in January 2019 to February 2019: No data: .+ does not cover .+'\]$"
    )
    with pytest.raises(ValidationError, match=no_data):
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
    assert "Problem profile: Home Office headline measures" in body
    assert "in a baseline</a>" in body


# Query counts: constant in the number of plans, actions and citations ----------------------------


def _queries(client, url, **kwargs):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **kwargs)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def _more_plans(london, havering, editor, years):
    from vrhub.plans.services import plan_create, template_create_from_content
    from vrhub.plans.templates import london_template

    for year in years:
        template = template_create_from_content(
            vru=london, year=year, title=f"{year} template", themes=london_template().themes_2021, published=True
        )
        plan_create(area=havering, template=template, user=editor)


def _cite_rows(count, action, editor):
    Citation.objects.bulk_create(
        Citation(
            action=action,
            area_code="E01002356",
            area_name="Havering 013C",
            measure="police.uk:Robbery",
            period=f"2023-{month:02d}:2023-{month:02d}",
            value=month,
            source="data.police.uk",
            cited_by=editor,
        )
        for month in range(1, count + 1)
    )


def test_cite_page_queries_do_not_grow_with_the_editors_plans(client, london, havering, plan, editor, robberies):
    client.force_login(editor)
    url = reverse("evidence_cite") + "?area=E01002356&measure=police.uk:Robbery&period=2023-01:2023-02"
    one_plan, body = _queries(client, url)
    assert body.count("Havering 2021: ") == plan.actions.count()
    _more_plans(london, havering, editor, years=[2022, 2023, 2024])
    four_plans, body = _queries(client, url)
    assert [body.count(f"Havering {year}: ") for year in (2021, 2022, 2023, 2024)] == [plan.actions.count()] * 4
    assert four_plans == one_plan


def test_cite_page_lists_only_actions_of_plans_the_user_may_change_now(
    client, london, havering, plan, editor, robberies
):
    from vrhub.plans.models import Plan

    _more_plans(london, havering, editor, years=[2022, 2023])
    Plan.objects.filter(pk=plan.pk).update(state=Plan.State.SUBMITTED)  # with the VRU: not changeable now
    Plan.objects.filter(template__year=2023).update(is_current=False)  # an earlier version: read-only
    lambeth = Organisation.objects.get(code="E09000022")
    lambeth_editor = UserFactory(username="lam.editor", organisation=lambeth, role="borough_editor")
    client.force_login(editor)
    url = reverse("evidence_cite") + "?area=E01002356&measure=police.uk:Robbery&period=2023-01:2023-02"
    body = client.get(url).content.decode()
    assert [body.count(f"Havering {year}: ") for year in (2021, 2022, 2023)] == [0, plan.actions.count(), 0]
    stale = plan.actions.get(code="ANE-M1")
    response = client.post(url, {"action": stale.pk})
    assert response.status_code == 200 and "Choose an action from the list" in response.content.decode()
    client.force_login(lambeth_editor)
    assert "You have no plan you can change at the moment." in client.get(url).content.decode()
    assert not Citation.objects.exists()


def test_theme_page_queries_do_not_grow_with_citations(client, plan, editor):
    client.force_login(editor)
    url = reverse("plans:theme", args=[plan.pk, "ANE"])
    actions = list(plan.actions.filter(theme__code="ANE").order_by("code"))
    _cite_rows(1, actions[0], editor)
    few, body = _queries(client, url)
    assert body.count("(source: data.police.uk)") == 1
    for action in actions[1:]:
        _cite_rows(4, action, editor)
    _cite_rows(3, actions[0], editor)
    # More actions in the theme too (local ones, each cited), so a query per action shows.
    theme = actions[0].theme
    for n in range(3):
        local = plan_add_local_action(plan=plan, theme=theme, user=editor, title=f"Local {n}", description="")
        _cite_rows(2, local, editor)
        actions.append(local)
    many, body = _queries(client, url)
    assert plan.actions.filter(theme=theme).count() == len(actions)
    assert all(f"Local {n}" in body for n in range(3))
    assert body.count("(source: data.police.uk)") == Citation.objects.filter(action__in=actions).count() > 10
    assert many == few


def test_citing_costs_the_same_queries_however_many_citations_the_plan_has(plan, editor, robberies):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    action = plan.actions.get(code="ANE-M1")
    kwargs = {"user": editor, "area_code": "E01002356", "measure": "police.uk:Robbery", "period": "2023-01:2023-02"}
    citation_add(action=action, **kwargs)  # the first change of the plan does one-off work (e.g. none to void)
    action.refresh_from_db()
    with CaptureQueriesContext(connection) as first:
        citation_add(action=action, **kwargs)
    for other in plan.actions.exclude(pk=action.pk):
        _cite_rows(3, other, editor)
    action.refresh_from_db()
    with CaptureQueriesContext(connection) as later:
        citation_add(action=action, **kwargs)
    assert Citation.objects.filter(action=action).count() == 3
    assert len(later.captured_queries) == len(first.captured_queries)


def test_citing_keeps_a_colleagues_baseline_saved_after_the_page_was_loaded(plan, editor, robberies):
    from vrhub.plans.services import plan_action_update

    stale = plan.actions.get(code="ANE-M1")  # as the cite page loaded it
    plan_action_update(
        action=plan.actions.get(code="ANE-M1"), user=editor, data={"baseline": "Colleague's careful baseline"}
    )
    citation_add(
        action=stale, user=editor, area_code="E01002356", measure="police.uk:Robbery", period="2023-01:2023-02"
    )
    fresh = plan.actions.get(code="ANE-M1")
    assert fresh.baseline.startswith("Colleague's careful baseline\n5 robbery offences, Havering 013C")
