"""One completeness figure per plan: the plan page, the scrutiny PDF, the London view, the London PDF,
``manage.py plan_check`` and the JSON API all show the same one, for every demo plan.

The expected figures are worked out here from the database rows, by the explanatory notes' rule
written out again (not by calling ``vrhub.plans.completeness``), so a wrong rule in the app fails too.
"""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.reports.conftest import pdf_text
from vrhub.accounts.models import User
from vrhub.organisations.models import Organisation
from vrhub.plans.models import Plan, PlanAction, TemplateAction
from vrhub.reports import render
from vrhub.reports.selectors import scrutiny_report_data

pytestmark = pytest.mark.django_db

OPEN_ENDED = {"ongoing", "on-going", "continuous", "business as usual", "bau"}


def _entry_complete(a: PlanAction) -> bool:
    if not a.status:
        return False
    if a.status == "not_undertaken":
        return bool(a.comments.strip())
    filled = all(v.strip() for v in (a.outcome, a.baseline, a.lead_name, a.lead_agency))
    start = a.start_date is not None or a.start_note.strip().lower() in OPEN_ENDED
    end = a.end_date is not None or a.end_note.strip().lower() in OPEN_ENDED
    progress = a.status == "not_started" or bool(a.progress.strip())
    return filled and start and end and progress


def expected_figures() -> dict[str, tuple[int, int, int]]:
    """``{area code: (complete actions, actions, percent)}`` for every current plan, from the rows."""
    result = {}
    for plan in Plan.objects.filter(is_current=True, template__year=2021).select_related("area"):
        rows = list(PlanAction.objects.filter(plan=plan))
        complete = sum(1 for a in rows if _entry_complete(a))
        result[plan.area.code] = (complete, len(rows), 100 * complete // len(rows))
    return result


@pytest.fixture
def demo_with_a_gap(demo):
    """The demo data as ``make run`` loads it, with one mandatory action taken out of Havering's plan:
    the London view used to count the missing action into its percentage; the plan page did not."""
    havering = Plan.objects.get(area__code="E09000016", template__year=2021, is_current=True)
    PlanAction.objects.filter(plan=havering, source="mandatory").order_by("code").first().delete()
    # Two plans get the rule's other branches: an "Ongoing" end for a date (still complete), "TBC" (not),
    # "not being undertaken" without a rationale (not complete) and with one but nothing else (complete).
    for code in WITH_NOTES:
        plan = Plan.objects.get(area__code=code, template__year=2021, is_current=True)
        done = [a for a in plan.actions.filter(end_date__isnull=False).order_by("code") if _entry_complete(a)]
        assert len(done) >= 2, code  # the demo has complete actions with end dates to change
        ongoing, tbc = done[0], done[1]
        PlanAction.objects.filter(pk=ongoing.pk).update(end_date=None, end_note=" Ongoing ")
        PlanAction.objects.filter(pk=tbc.pk).update(end_date=None, end_note="TBC")
        others = list(plan.actions.exclude(pk__in=[ongoing.pk, tbc.pk]).order_by("-code")[:2])
        PlanAction.objects.filter(pk=others[0].pk).update(status="not_undertaken", comments="  ")
        PlanAction.objects.filter(pk=others[1].pk).update(
            status="not_undertaken", comments="Funding ended", outcome="", baseline="", lead_name="", end_date=None
        )
        changed = {
            a.pk: _entry_complete(a)
            for a in PlanAction.objects.filter(pk__in=[ongoing.pk, tbc.pk, others[0].pk, others[1].pk])
        }
        assert changed == {ongoing.pk: True, tbc.pk: False, others[0].pk: False, others[1].pk: True}, code
    return demo


WITH_NOTES = ("E09000022", "E09000007")


def test_every_output_gives_the_same_completeness_for_every_demo_plan(client, demo_with_a_gap, tmp_path):
    expected = expected_figures()
    assert len(expected) == 32
    # The demo's plans differ, so a constant figure could not pass.
    assert len({p for _, _, p in expected.values()}) > 5
    plans = {p.area.code: p for p in Plan.objects.filter(is_current=True, template__year=2021).select_related("area")}
    missing = TemplateAction.objects.filter(
        theme__template__year=2021, kind="mandatory", theme__template__vru__code="VRU-LDN"
    ).exclude(plan_actions__plan=plans["E09000016"])
    assert missing.count() == 1  # the gap is there, and counted as a problem, not a percentage point
    out = StringIO()
    call_command("plan_check", "--area", "E09000016", "--year", "2021", stdout=out)
    assert f"  - {missing.get().code} action: This mandatory action is missing from the plan\n" in out.getvalue()
    client.force_login(User.objects.get(username="vru.reviewer"))

    # The London view: one row per borough, with its completeness.
    html = client.get(reverse("dashboard:overview", args=[2021])).content.decode()
    london_view = {
        code: int(pct)
        for code, pct in re.findall(
            r'data-area="(E\d+)">.*?data-testid="completeness">(\d+)%</td>', html, flags=re.DOTALL
        )
    }
    assert london_view == {code: pct for code, (_, _, pct) in expected.items()}

    # The London summary PDF: the boroughs in name order, each "P% (complete/actions)".
    response = client.get(reverse("reports:london", args=[2021, "pdf"]))
    assert response.status_code == 200
    cells = re.findall(r"(\d+)% \((\d+)/(\d+)\)", pdf_text(response.content, tmp_path))
    by_name = [a.code for a in Organisation.objects.filter(kind="area", vru__code="VRU-LDN").order_by("name")]
    assert [(int(c), int(n), int(p)) for p, c, n in cells] == [expected[code] for code in by_name]

    # The JSON API's London summary.
    summary = client.get(reverse("transparency:api_london_summary", args=[2021])).json()
    assert {b["area"]: b["completeness"] for b in summary["boroughs"]} == {
        code: pct for code, (_, _, pct) in expected.items()
    }

    # Weasyprint takes seconds per scrutiny PDF: every plan's report is checked in the HTML the PDF is made
    # from, and three plans' (the gap, the least and the most complete) in the PDF itself.
    in_pdf = {"E09000016", min(expected, key=lambda c: expected[c][2]), max(expected, key=lambda c: expected[c][2])}
    for code, (complete, actions, percent) in expected.items():
        plan = plans[code]
        # The plan page.
        page = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
        start = page.index('data-testid="completeness-summary"')
        summary_box = page[start : page.index("</div>", start)]
        assert re.search(r"\((\d+)%\)", summary_box).group(1) == str(percent), code
        assert f'data-testid="complete-count">{complete}<' in summary_box, code
        assert f'data-testid="action-count">{actions}<' in summary_box, code
        # The JSON API.
        assert client.get(reverse("transparency:api_plan", args=[plan.pk])).json()["completeness"] == percent, code
        # manage.py plan_check: the same figures, and the same number of problems as the plan page.
        out = StringIO()
        call_command("plan_check", "--area", code, "--year", "2021", stdout=out)
        assert f"{complete} of {actions} actions complete" in out.getvalue(), code
        problems = re.search(r"(\d+) problems? to fix\.", out.getvalue())
        shown = re.search(r'data-testid="problem-count">(\d+) items? to complete<', summary_box)
        assert (problems and int(problems.group(1))) == (shown and int(shown.group(1))), code
        # The scrutiny report.
        sentence = f"{complete} of {actions} action entries ({percent}%) are complete"
        html = render.render_html(kind="scrutiny", data=scrutiny_report_data(plan=plan))
        assert sentence in " ".join(html.split()), code
        if code in in_pdf:
            report = client.get(reverse("reports:scrutiny", args=[plan.pk, "pdf"]))
            assert sentence in pdf_text(report.content, tmp_path), code


def test_the_batch_check_of_the_plan_list_is_the_plan_pages_check(plan, editor):
    from tests.plans.conftest import complete_content
    from vrhub.plans.completeness import plan_completeness, plans_completeness
    from vrhub.plans.services import plan_action_update, plan_create

    other = plan_create(area=Organisation.objects.get(code="E09000022"), template=plan.template, user=None).plan
    for action in plan.actions.order_by("code")[:5]:
        plan_action_update(action=action, user=editor, data=complete_content())
    PlanAction.objects.filter(plan=other, source="mandatory").order_by("code").last().delete()
    batch = plans_completeness(plans=[plan, other])
    assert batch[plan.pk] == plan_completeness(plan) and batch[other.pk] == plan_completeness(other)
    assert batch[plan.pk].complete_actions == 5 and batch[other.pk].complete_actions == 0
    assert [p.field for p in batch[other.pk].problems].count("action") == 1
