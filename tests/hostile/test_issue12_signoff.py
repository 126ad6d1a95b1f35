# ruff: noqa: F811  (fixtures imported from tests.cycle.conftest are parameters here)
"""Issue 12 break-it: sign-off gating, void confirmation, signatory e-mails, comment addressed/reopen."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.cycle.conftest import complete_plan, reviewer, signatories  # noqa: F401  (fixtures)
from tests.factories import UserFactory, VruFactory
from tests.hostile.conftest import theme_post
from vrhub.accounts.models import User
from vrhub.cycle import services as cycle
from vrhub.cycle.models import ReviewComment, Signature
from vrhub.organisations.models import Organisation
from vrhub.plans.content import plan_content_hash
from vrhub.plans.services import plan_action_update, plan_create

pytestmark = pytest.mark.django_db


def sign_all(plan, people):
    for user in people.values():
        cycle.plan_sign(plan=plan, user=user, name=user.display_name, confirmed=True, seen_hash=plan_content_hash(plan))


def live(plan):
    return Signature.objects.filter(plan=plan, voided_at__isnull=True).count()


@pytest.fixture
def lambeth_signatory():
    return UserFactory(
        organisation=Organisation.objects.get(code="E09000022"),
        role=User.Role.SIGNATORY,
        office=User.Office.CHIEF_EXECUTIVE,
        email="lambeth.chief@example.org",
    )


@pytest.fixture
def lambeth_plan(template_2021):
    lambeth = Organisation.objects.get(code="E09000022")
    ed = UserFactory(organisation=lambeth, role=User.Role.BOROUGH_EDITOR)
    return plan_create(area=lambeth, template=template_2021, user=ed).plan


# E-mails ---------------------------------------------------------------------------------------


def test_void_email_sent_once_per_voided_signature_over_several_changes(
    complete_plan,
    signatories,
    editor,
    django_capture_on_commit_callbacks,  # noqa: F811
):
    sign_all(complete_plan, signatories)
    mail.outbox.clear()
    action = complete_plan.actions.first()
    for i in range(3):
        action.refresh_from_db()
        with django_capture_on_commit_callbacks(execute=True):
            plan_action_update(action=action, user=editor, data={"progress": f"change {i}"})
    voided = [m for m in mail.outbox if "voided" in m.subject]
    recipients = sorted(r for m in voided for r in m.to)
    assert len(recipients) == len(set(recipients)) == len(signatories)


def test_ready_to_sign_email_only_to_this_boroughs_signatories(
    plan,
    signatories,
    editor,
    lambeth_signatory,
    django_capture_on_commit_callbacks,  # noqa: F811
):
    from tests.plans.conftest import complete_content

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        for action in plan.actions.all():
            plan_action_update(action=action, user=editor, data=complete_content())
    to = [r for m in mail.outbox for r in m.to]
    assert lambeth_signatory.email not in to
    assert sorted(to) == sorted(u.email for u in signatories.values() if u.email)
    # a further change to a complete plan nobody has signed sends no second "ready" mail
    mail.outbox.clear()
    action = plan.actions.first()
    with django_capture_on_commit_callbacks(execute=True):
        plan_action_update(action=action, user=editor, data={"progress": "again"})
    assert not [m for m in mail.outbox if "ready" in m.subject]


# Signing ---------------------------------------------------------------------------------------


def test_signatory_of_another_borough_cannot_see_or_sign(client, complete_plan, lambeth_signatory):  # noqa: F811
    client.force_login(lambeth_signatory)
    url = reverse("cycle:sign", args=[complete_plan.pk])
    assert client.get(url).status_code in (403, 404)
    r = client.post(url, {"name": "X", "confirmed": "on", "content_hash": plan_content_hash(complete_plan)})
    assert r.status_code in (403, 404)
    assert not Signature.objects.filter(plan=complete_plan).exists()


def test_incomplete_plan_cannot_be_signed_through_the_page(client, plan, signatories):  # noqa: F811
    user = signatories["chief_executive"]
    client.force_login(user)
    url = reverse("cycle:sign", args=[plan.pk])
    r = client.post(url, {"name": "Casey", "confirmed": "on", "content_hash": plan_content_hash(plan)})
    assert r.status_code in (200, 302)
    assert not Signature.objects.filter(plan=plan).exists()


def test_get_on_sign_page_changes_nothing(client, complete_plan, signatories):  # noqa: F811
    client.force_login(signatories["chief_executive"])
    client.get(reverse("cycle:sign", args=[complete_plan.pk]) + "?name=x&confirmed=on")
    assert not Signature.objects.filter(plan=complete_plan).exists()


# Void confirmation -----------------------------------------------------------------------------


def test_theme_save_without_confirming_keeps_signatures(client, complete_plan, signatories, editor):  # noqa: F811
    sign_all(complete_plan, signatories)
    client.force_login(editor)
    action = complete_plan.actions.get(code="GOV-M1")
    data = theme_post(complete_plan, action, progress="changed")
    client.post(reverse("plans:theme", args=[complete_plan.pk, "GOV"]), data)
    assert live(complete_plan) == 3


def test_forged_void_keys_for_signatures_that_do_not_exist_do_not_void(
    client,
    complete_plan,
    signatories,
    editor,  # noqa: F811
):
    sign_all(complete_plan, signatories)
    client.force_login(editor)
    action = complete_plan.actions.get(code="GOV-M1")
    data = theme_post(complete_plan, action, progress="changed", confirm_void="on")
    data[f"a{action.pk}-void_keys"] = "999991,999992,999993"
    client.post(reverse("plans:theme", args=[complete_plan.pk, "GOV"]), data)
    assert live(complete_plan) == 3


def test_adding_a_local_action_to_a_signed_plan_asks_before_voiding(
    client,
    complete_plan,
    signatories,
    editor,  # noqa: F811
):
    sign_all(complete_plan, signatories)
    client.force_login(editor)
    client.post(reverse("plans:local_new", args=[complete_plan.pk, "GOV"]), {"title": "New hub", "description": "d"})
    assert live(complete_plan) == 3


def test_adding_a_document_to_a_signed_plan_asks_before_voiding(client, complete_plan, signatories, editor):  # noqa: F811
    sign_all(complete_plan, signatories)
    client.force_login(editor)
    action = complete_plan.actions.get(code="GOV-M1")
    f = SimpleUploadedFile("s.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    client.post(reverse("plans:documents", args=[complete_plan.pk, action.pk]), {"title": "Doc", "file": f})
    assert live(complete_plan) == 3


# Comments addressed / reopen ---------------------------------------------------------------------


@pytest.fixture
def comments(complete_plan, lambeth_plan, reviewer):  # noqa: F811
    mine = cycle.review_comment_add(plan=complete_plan, user=reviewer, body="Say who leads")
    theirs = cycle.review_comment_add(plan=lambeth_plan, user=reviewer, body="Lambeth comment")
    return mine, theirs


def test_mark_addressed_with_another_plans_comment_id_is_404(client, complete_plan, lambeth_plan, editor, comments):  # noqa: F811
    mine, theirs = comments
    client.force_login(editor)
    r = client.post(reverse("cycle:comment_addressed", args=[complete_plan.pk, theirs.pk]))
    assert r.status_code == 404
    r = client.post(reverse("cycle:comment_addressed", args=[lambeth_plan.pk, theirs.pk]))
    assert r.status_code == 404
    theirs.refresh_from_db()
    assert theirs.addressed_at is None


def test_mark_addressed_needs_post_and_an_editor(client, complete_plan, editor, comments, havering):  # noqa: F811
    mine, _ = comments
    url = reverse("cycle:comment_addressed", args=[complete_plan.pk, mine.pk])
    client.force_login(editor)
    assert client.get(url).status_code == 405
    viewer = UserFactory(organisation=havering, role=User.Role.BOROUGH_VIEWER)
    client.force_login(viewer)
    assert client.post(url).status_code in (403, 404)
    client.logout()
    assert client.post(url).status_code in (302, 403, 404)
    mine.refresh_from_db()
    assert mine.addressed_at is None


def test_double_mark_addressed_is_refused_once(client, complete_plan, editor, comments):  # noqa: F811
    mine, _ = comments
    url = reverse("cycle:comment_addressed", args=[complete_plan.pk, mine.pk])
    client.force_login(editor)
    client.post(url)
    mine.refresh_from_db()
    first = mine.addressed_at
    client.post(url)
    mine.refresh_from_db()
    assert mine.addressed_at == first


def test_reopen_by_reviewer_of_another_vru_is_404(client, complete_plan, editor, comments):  # noqa: F811
    mine, _ = comments
    cycle.review_comment_mark_addressed(comment=mine, user=editor)
    other_vru = VruFactory()
    outsider = UserFactory(organisation=other_vru, role=User.Role.VRU_REVIEWER)
    client.force_login(outsider)
    r = client.post(reverse("cycle:comment_reopen", args=[complete_plan.pk, mine.pk]))
    assert r.status_code == 404
    mine.refresh_from_db()
    assert mine.addressed_at is not None


def test_reopen_by_borough_editor_is_refused(client, complete_plan, editor, comments):  # noqa: F811
    mine, _ = comments
    cycle.review_comment_mark_addressed(comment=mine, user=editor)
    client.force_login(editor)
    assert client.post(reverse("cycle:comment_reopen", args=[complete_plan.pk, mine.pk])).status_code in (403, 404)
    assert ReviewComment.objects.get(pk=mine.pk).addressed_at is not None


def test_signoff_todo_on_home_lists_only_own_borough(client, complete_plan, lambeth_plan, lambeth_signatory):  # noqa: F811
    client.force_login(lambeth_signatory)
    body = client.get("/").content.decode()
    assert "Havering" not in body


def test_adopting_an_optional_action_on_a_signed_plan_asks_before_voiding(
    client,
    complete_plan,
    signatories,
    editor,  # noqa: F811
):
    sign_all(complete_plan, signatories)
    client.force_login(editor)
    gov = complete_plan.template.themes.get(code="GOV")
    optional = gov.template_actions.filter(kind="optional").first()
    r = client.post(reverse("plans:optional", args=[complete_plan.pk, "GOV"]), {"adopted": [str(optional.pk)]})
    # Not confirmed: refused, naming the signatories; nothing adopted and every signature still valid.
    assert r.status_code == 200 and "voids the signatures" in r.content.decode()
    assert not complete_plan.actions.filter(template_action=optional).exists()
    assert live(complete_plan) == 3
