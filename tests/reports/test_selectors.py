from datetime import date, datetime

import pytest
from django.utils import timezone

from tests.factories import AreaFactory
from tests.reports.conftest import INTERNAL_DOC, LEAD_NAME, PUBLIC_DOC
from vrhub.cycle.services import quarters_create
from vrhub.organisations.models import Organisation
from vrhub.plans.models import Plan, PlanTemplate, Status
from vrhub.plans.services import plan_create, plan_set_optional_actions
from vrhub.reports.selectors import london_summary_data, scrutiny_report_data

pytestmark = pytest.mark.django_db


def _keys(value) -> set[str]:
    """Every dictionary key anywhere in the data."""
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list | tuple):
        return {k for v in value for k in _keys(v)}
    return set()


def test_scrutiny_status_counts_per_theme(reported_plan):
    data = scrutiny_report_data(plan=reported_plan)
    assert data["file_stem"] == "E09000016-2021-scrutiny"
    assert data["area"] == {"name": "Havering", "code": "E09000016", "bcu": "East Area BCU"}
    assert data["statuses"] == [s.label for s in Status] + ["No status yet"]
    ane = next(t for t in data["themes"] if t["code"] == "ANE")
    expected = dict.fromkeys(data["statuses"], 0)
    expected["Green"] = ane["actions"] - 1
    expected["Red"] = 1
    assert dict(zip(data["statuses"], ane["status_counts"], strict=True)) == expected
    assert sum(data["status_totals"]) == data["counts"]["actions"] == reported_plan.actions.count()
    assert data["status_sentence"] == (
        f"Status of the {data['counts']['actions']} actions: 1 Red, {data['counts']['actions'] - 1} Green."
    )
    assert [t["code"] for t in data["themes"]] == list(
        reported_plan.template.themes.order_by("order").values_list("code", flat=True)
    )
    assert data["completeness"]["complete"] is True and data["completeness"]["percent"] == 100


def test_scrutiny_changes_since_last_quarter(reported_plan):
    changes = scrutiny_report_data(plan=reported_plan)["changes"]
    assert (changes["latest"], changes["previous"]) == ("Q2 2021/22", "Q1 2021/22")
    assert [(c["code"], c["old"], c["new"]) for c in changes["changed"]] == [("GOV-M1", "Amber", "Green")]
    assert [(c["code"], c["new"]) for c in changes["new"]] == [("GOV-M4", "Not started")]
    assert [(c["code"], c["old"]) for c in changes["not_updated"]] == [("GOV-M3", "Red")]
    assert changes["unchanged"] == 1


def test_scrutiny_changes_with_no_updates_or_one_quarter(plan, editor):
    assert scrutiny_report_data(plan=plan)["changes"]["latest"] == ""
    from vrhub.cycle.services import quarterly_update_save

    q1 = quarters_create(template=plan.template)[0]
    action = plan.actions.get(code="GOV-M1")
    quarterly_update_save(action=action, quarter=q1, user=editor, progress="Started", status="amber")
    changes = scrutiny_report_data(plan=plan)["changes"]
    assert (changes["latest"], changes["previous"]) == ("Q1 2021/22", "")
    assert [(c["code"], c["new"]) for c in changes["new"]] == [("GOV-M1", "Amber")]


def test_scrutiny_leaves_out_personal_data_and_internal_documents(reported_plan):
    data = scrutiny_report_data(plan=reported_plan)
    text = repr(data)
    assert "lead_name" not in _keys(data)
    assert LEAD_NAME not in text
    assert "@" not in text
    assert INTERNAL_DOC not in text
    gov_m1 = next(i for t in data["themes"] for i in t["items"] if i["code"] == "GOV-M1")
    assert gov_m1["documents"] == [PUBLIC_DOC]
    assert gov_m1["lead"] == "Community Safety Manager, Council"


def test_scrutiny_signatures_show_offices_not_names(reported_plan):
    signatures = scrutiny_report_data(plan=reported_plan)["signatures"]
    assert [s["office"] for s in signatures] == [
        "Chief Executive",
        "Leader of the Council or Elected Mayor",
        "BCU Commander",
    ]
    assert {s["state"] for s in signatures} == {"Not signed"}
    assert "name" not in _keys(signatures)


def test_scrutiny_synthetic_flag(plan):
    assert scrutiny_report_data(plan=plan)["synthetic"] is False
    plan.synthetic = True
    plan.save()
    assert scrutiny_report_data(plan=plan)["synthetic"] is True


def test_scrutiny_queries_do_not_grow_with_the_plan(plan, editor, reported_plan, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        scrutiny_report_data(plan=plan)
    for theme in plan.template.themes.all():
        plan_set_optional_actions(
            plan=plan, theme=theme, user=editor, adopted=list(theme.template_actions.filter(kind="optional"))
        )
    with django_assert_max_num_queries(12):
        data = scrutiny_report_data(plan=plan)
    assert data["counts"]["optional"] > 0


def test_london_every_area_with_state_late_flag_and_counts(template_2021, plan, editor):
    template_2021.submission_deadline = date(2021, 12, 10)
    template_2021.save()
    Plan.objects.filter(pk=plan.pk).update(
        state=Plan.State.SUBMITTED, submitted_at=timezone.make_aware(datetime(2021, 12, 20, 12))
    )
    lambeth = Organisation.objects.get(code="E09000022")
    plan_create(area=lambeth, template=template_2021, user=None)
    data = london_summary_data(vru=template_2021.vru, year=2021)

    assert data["file_stem"] == "VRU-LDN-2021-london"
    assert len(data["rows"]) == 32
    assert [r["area"] for r in data["rows"]] == sorted(r["area"] for r in data["rows"])
    by_code = {r["code"]: r for r in data["rows"]}
    havering, lambeth_row, barnet = by_code["E09000016"], by_code["E09000022"], by_code["E09000003"]
    assert (havering["state"], havering["submission"]) == ("Submitted", "Late")
    assert (lambeth_row["state"], lambeth_row["percent"]) == ("Draft", 0)
    assert (barnet["state"], barnet["has_plan"], barnet["cells"][0]) == ("No plan", False, "–")
    assert [t["code"] for t in data["themes"]] == ["GOV", "ANE", "WPN", "SYP", "COM", "VIC", "DIV"]
    gov_actions = plan.actions.filter(theme__code="GOV").count()
    assert havering["cells"][0] == f"U{gov_actions}"  # nothing has a status yet
    assert data["summary"]["with_plan"] == 2 and data["summary"]["late"] == 1
    assert ("No plan", 30) in data["summary"]["by_state"]


def test_london_counts_statuses_by_theme(reported_plan):
    data = london_summary_data(vru=reported_plan.template.vru, year=2021)
    havering = next(r for r in data["rows"] if r["code"] == "E09000016")
    ane = data["themes"].index(next(t for t in data["themes"] if t["code"] == "ANE"))
    n = reported_plan.actions.filter(theme__code="ANE").count()
    assert havering["cells"][ane] == f"R1 G{n - 1}"
    assert havering["percent"] == 100


def test_london_only_the_vrus_own_areas(template_2021, plan):
    other = AreaFactory()  # an area of another VRU
    data = london_summary_data(vru=template_2021.vru, year=2021)
    assert other.code not in {r["code"] for r in data["rows"]}


def test_london_unknown_year(london):
    with pytest.raises(PlanTemplate.DoesNotExist):
        london_summary_data(vru=london, year=1999)


def test_london_queries_bounded_by_plans_not_actions(template_2021, editor, django_assert_max_num_queries):
    for code in ["E09000016", "E09000022", "E09000003"]:
        plan_create(area=Organisation.objects.get(code=code), template=template_2021, user=None)
    # A few queries, plus one per plan for the completeness check's missing mandatory actions.
    with django_assert_max_num_queries(8 + 3):
        london_summary_data(vru=template_2021.vru, year=2021)
