# ruff: noqa: F811  (fixtures imported from tests.cycle.conftest are parameters here)
"""Issue 12 break-it: return banner, comments beside actions, quarter states."""

import pytest
from django.urls import reverse

from tests.cycle.conftest import complete_plan, quarters, reviewer, signatories  # noqa: F401  (fixtures)
from tests.factories import UserFactory
from vrhub.accounts.models import User
from vrhub.cycle import services as cycle
from vrhub.cycle.models import QuarterlyUpdate, ReportingQuarter, ReviewComment
from vrhub.organisations.models import Organisation
from vrhub.plans.content import plan_content_hash
from vrhub.plans.services import plan_create

pytestmark = pytest.mark.django_db

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def returned(plan, signatories, editor, reviewer):  # noqa: F811
    for user in signatories.values():
        cycle.plan_sign(plan=plan, user=user, name=user.display_name, confirmed=True, seen_hash=plan_content_hash(plan))
    cycle.plan_submit(plan=plan, user=editor)
    action = plan.actions.get(code="GOV-M1")
    cycle.review_comment_add(plan=plan, user=reviewer, body="Action note " + XSS, action=action)
    cycle.review_comment_add(plan=plan, user=reviewer, body="Theme note " + XSS, theme=action.theme)
    cycle.plan_return(plan=plan, user=reviewer, comment="Reason " + XSS)
    plan.refresh_from_db()
    return plan


def test_return_banner_and_comments_beside_actions_escape_html(client, complete_plan, signatories, editor, reviewer):  # noqa: F811
    plan = returned(complete_plan, signatories, editor, reviewer)
    client.force_login(editor)
    for url in (reverse("plans:detail", args=[plan.pk]), reverse("plans:theme", args=[plan.pk, "GOV"])):
        body = client.get(url).content.decode()
        assert "<script>alert" not in body and "<img src=x" not in body, url
    body = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert "Reason" in body


def test_return_reason_not_shown_to_another_borough(client, complete_plan, signatories, editor, reviewer):  # noqa: F811
    plan = returned(complete_plan, signatories, editor, reviewer)
    lambeth = Organisation.objects.get(code="E09000022")
    client.force_login(UserFactory(organisation=lambeth, role=User.Role.BOROUGH_EDITOR))
    assert client.get(reverse("plans:detail", args=[plan.pk])).status_code == 404
    assert client.get(reverse("plans:theme", args=[plan.pk, "GOV"])).status_code == 404


def test_comment_target_an_action_of_another_plan_is_not_attached(client, complete_plan, reviewer, template_2021):  # noqa: F811
    lambeth = Organisation.objects.get(code="E09000022")
    other = plan_create(
        area=lambeth, template=template_2021, user=UserFactory(organisation=lambeth, role=User.Role.BOROUGH_EDITOR)
    ).plan
    foreign = other.actions.first()
    client.force_login(reviewer)
    client.post(reverse("cycle:comment_add", args=[complete_plan.pk]), {"target": f"action:{foreign.pk}", "body": "Hi"})
    assert not ReviewComment.objects.filter(action=foreign).exists()
    assert not ReviewComment.objects.filter(plan=other).exists()


def test_addressing_a_reply_is_refused(client, complete_plan, signatories, editor, reviewer):  # noqa: F811
    plan = returned(complete_plan, signatories, editor, reviewer)
    first = ReviewComment.objects.filter(plan=plan, parent__isnull=True).first()
    reply = cycle.review_comment_add(plan=plan, user=editor, body="done", parent=first)
    client.force_login(editor)
    client.post(reverse("cycle:comment_addressed", args=[plan.pk, reply.pk]))
    reply.refresh_from_db()
    assert reply.addressed_at is None


def test_quarter_close_only_by_vru_and_only_by_post(client, plan, quarters, editor, reviewer):  # noqa: F811
    url = reverse("cycle:quarter_close", args=[plan.pk, 1])
    client.force_login(editor)
    assert client.post(url).status_code in (302, 403)
    client.force_login(reviewer)
    assert client.get(url).status_code == 405
    assert not ReportingQuarter.objects.filter(closed_at__isnull=False).exists()


def test_closed_quarter_page_post_saves_nothing(client, plan, quarters, editor, reviewer):  # noqa: F811
    cycle.quarter_close(quarter=quarters[0], user=reviewer)
    action = plan.actions.get(code="GOV-M1")
    client.force_login(editor)
    data = {}
    for a in plan.actions.filter(theme__code="GOV"):
        data |= {f"a{a.pk}-progress": "", f"a{a.pk}-status": "", f"a{a.pk}-measured_value": "", f"a{a.pk}-version": "0"}
    data |= {f"a{action.pk}-progress": "late", f"a{action.pk}-status": "green"}
    r = client.post(reverse("cycle:quarter_theme", args=[plan.pk, 1, "GOV"]), data)
    assert r.status_code in (200, 302, 403)
    assert not QuarterlyUpdate.objects.exists()


def test_quarter_pages_of_another_borough_404(client, plan, quarters):  # noqa: F811
    lambeth = Organisation.objects.get(code="E09000022")
    client.force_login(UserFactory(organisation=lambeth, role=User.Role.BOROUGH_EDITOR))
    for url in (
        reverse("cycle:quarters", args=[plan.pk]),
        reverse("cycle:quarter_theme", args=[plan.pk, 1, "GOV"]),
    ):
        assert client.get(url).status_code == 404, url
