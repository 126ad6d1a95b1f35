"""Sign-off that flows (issue 12, part 1): signing waits for the completeness check, signatories are told
(to-do list and e-mail, each event once) and the re-sign page shows every change since they signed."""

import datetime as dt

import lxml.html
import pytest
from django.db import transaction
from django.urls import reverse

from tests.plans.conftest import complete_content
from vrhub.core.models import AuditEntry
from vrhub.cycle import services
from vrhub.cycle.models import Signature
from vrhub.plans.content import plan_content_hash
from vrhub.plans.models import Plan
from vrhub.plans.services import plan_action_update

pytestmark = pytest.mark.django_db


def page(client, url) -> lxml.html.HtmlElement:
    response = client.get(url)
    assert response.status_code == 200
    return lxml.html.fromstring(response.content.decode())


def text(node) -> str:
    return " ".join(node.text_content().split())


def complete_all_but(plan, editor, code: str, **blank):
    """Complete every action; ``code`` gets ``blank`` (fields left empty) instead."""
    for action in plan.actions.order_by("code"):
        data = complete_content(**blank) if action.code == code else complete_content()
        plan_action_update(action=action, user=editor, data=data)


def sign_post(client, plan, user):
    client.force_login(user)
    return client.post(
        reverse("cycle:sign", args=[plan.pk]),
        {"name": user.display_name, "confirmed": "on", "content_hash": plan_content_hash(plan)},
    )


def test_signing_waits_for_the_check_then_one_round_of_signing_is_enough_to_submit(client, plan, signatories, editor):
    # Two items left: GOV-M2's baseline and its lead's name (everything else complete).
    complete_all_but(plan, editor, "GOV-M2", baseline="", lead_name="")
    gov_m2 = plan.actions.get(code="GOV-M2")
    client.force_login(signatories["chief_executive"])
    url = reverse("cycle:sign", args=[plan.pk])
    doc = page(client, url)
    assert "Signing waits until the plan is complete: 2 items still to complete" in text(
        doc.xpath('//*[@data-testid="signing-waits"]')[0]
    )
    rows = [[text(td) for td in tr.xpath("./td")] for tr in doc.xpath('//table[@data-testid="problem-list"]/tbody/tr')]
    assert [(r[1], r[2]) for r in rows] == [
        ("Baseline", "Enter a baseline for the outcome"),
        ("Lead name", "Name the lead for this action"),
    ]
    assert all(r[0].startswith("GOV-M2 ") for r in rows)
    links = doc.xpath('//table[@data-testid="problem-list"]//a/@href')
    assert links == [reverse("plans:theme", args=[plan.pk, gov_m2.theme.code]) + f"#action-{gov_m2.pk}"] * 2
    assert not doc.xpath('//button[normalize-space()="Sign the plan"]'), "no sign button before the check passes"
    # A stale or hand-made POST is refused by the service, with the reason, and nothing is signed.
    body = sign_post(client, plan, signatories["chief_executive"]).content.decode()
    assert (
        "The plan is not complete: 2 items are still to complete. It can be signed once every item is complete." in body
    )
    assert not Signature.objects.exists()

    plan_action_update(action=gov_m2, user=editor, data=complete_content())
    doc = page(client, url)
    assert "All " in text(doc.xpath('//*[@data-testid="check-passed"]')[0])
    assert doc.xpath('//button[normalize-space()="Sign the plan"]')
    for user in signatories.values():
        assert sign_post(client, plan, user).status_code == 302
    assert Signature.objects.filter(plan=plan, voided_at__isnull=True).count() == 3
    submitted = services.plan_submit(plan=plan, user=editor)
    assert submitted.state == Plan.State.SUBMITTED
    assert Signature.objects.filter(plan=plan).count() == 3, "one round of signing, no void and re-sign"


def test_signatories_get_one_ready_email_then_one_void_email_per_signature(
    plan, signatories, editor, mailoutbox, django_capture_on_commit_callbacks
):
    complete_all_but(plan, editor, "GOV-M1", outcome="")
    assert mailoutbox == [], "an incomplete plan is not ready to sign"
    with django_capture_on_commit_callbacks(execute=True):
        plan_action_update(action=plan.actions.get(code="GOV-M1"), user=editor, data=complete_content())
    addresses = sorted(u.email for u in signatories.values())
    assert sorted(m.to[0] for m in mailoutbox) == addresses
    assert all("is ready for you to sign" in m.subject and f"/plans/{plan.pk}/sign/" in m.body for m in mailoutbox)
    # A further change to the complete plan is not a new event for people who have not signed.
    with django_capture_on_commit_callbacks(execute=True):
        plan_action_update(action=plan.actions.get(code="GOV-M1"), user=editor, data={"comments": "More"})
    assert len(mailoutbox) == 3
    for user in signatories.values():
        services.plan_sign(
            plan=plan, user=user, name=user.display_name, confirmed=True, seen_hash=plan_content_hash(plan)
        )
    with django_capture_on_commit_callbacks(execute=True):
        plan_action_update(action=plan.actions.get(code="GOV-M3"), user=editor, data={"progress": "Changed"})
    voided = mailoutbox[3:]
    assert sorted(m.to[0] for m in voided) == addresses
    assert all("has been voided" in m.subject and "GOV-M3 changed" in m.body for m in voided)
    with django_capture_on_commit_callbacks(execute=True):
        plan_action_update(action=plan.actions.get(code="GOV-M3"), user=editor, data={"progress": "Again"})
    assert len(mailoutbox) == 6, "never twice for the same event"
    # Each e-mail is recorded in the audit trail, naming the editor whose change caused it.
    notices = AuditEntry.objects.filter(field__in=[services.NOTICE_READY, services.NOTICE_VOIDED])
    assert notices.count() == 6 and set(notices.values_list("actor", flat=True)) == {editor.pk}


def test_nothing_is_sent_or_recorded_when_the_change_rolls_back(
    plan, signatories, editor, mailoutbox, django_capture_on_commit_callbacks
):
    complete_all_but(plan, editor, "GOV-M1", outcome="")
    gov_m1 = plan.actions.get(code="GOV-M1")
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            plan_action_update(action=gov_m1, user=editor, data=complete_content())
            raise RuntimeError("a later step of the same change fails")
    assert mailoutbox == []
    assert not AuditEntry.objects.filter(field=services.NOTICE_READY).exists()
    gov_m1.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        plan_action_update(action=gov_m1, user=editor, data=complete_content())
    assert len(mailoutbox) == 3, "the event happens when the change commits"


def test_home_page_to_do_list_follows_the_signatory(client, plan, signatories, editor):
    leader = signatories["leader"]
    client.force_login(leader)
    complete_all_but(plan, editor, "GOV-M1", outcome="")
    doc = page(client, reverse("home"))
    assert [text(li) for li in doc.xpath('//*[@data-testid="todo-waiting"]/li')] == [
        "Havering 2021/22 plan: 1 item still to complete. You will get an e-mail when it is ready."
    ]
    assert not doc.xpath('//*[@data-testid="todo-to-sign"]')
    plan_action_update(action=plan.actions.get(code="GOV-M1"), user=editor, data=complete_content())
    doc = page(client, reverse("home"))
    (item,) = doc.xpath('//*[@data-testid="todo-to-sign"]/li')
    assert text(item).startswith("Sign the Havering 2021/22 plan – complete")
    assert item.xpath(".//a/@href") == [reverse("cycle:sign", args=[plan.pk])]
    sign_post(client, plan, leader)
    doc = page(client, reverse("home"))
    assert not doc.xpath('//*[@data-testid="todo-to-sign"]') and not doc.xpath('//*[@data-testid="todo-voided"]')
    assert "Nothing is waiting for your signature." in text(doc.xpath('//*[@data-testid="signoff-todo"]')[0])
    plan_action_update(action=plan.actions.get(code="GOV-M4"), user=editor, data={"progress": "Moved on"})
    doc = page(client, reverse("home"))
    (row,) = doc.xpath('//table[@data-testid="todo-voided"]/tbody/tr')
    assert text(row).endswith("The plan changed: GOV-M4 changed")
    assert row.xpath(".//a/@href") == [reverse("cycle:sign", args=[plan.pk]) + "#changes"]
    assert text(doc.xpath('//*[@data-testid="todo-to-sign"]/li')[0]).startswith(
        "Sign the Havering 2021/22 plan again (see what changed since you signed)"
    )
    # Editors see no to-do list; another borough's signatory does not see Havering's plan in theirs.
    client.force_login(editor)
    assert not page(client, reverse("home")).xpath('//*[@data-testid="signoff-todo"]')
    from tests.factories import UserFactory
    from vrhub.accounts.models import User
    from vrhub.organisations.models import Organisation

    lambeth_leader = UserFactory(
        organisation=Organisation.objects.get(code="E09000022"), role=User.Role.SIGNATORY, office=User.Office.LEADER
    )
    client.force_login(lambeth_leader)
    todo = page(client, reverse("home")).xpath('//*[@data-testid="signoff-todo"]')
    assert todo, "a signatory of another borough has a to-do list"
    assert "Havering" not in text(todo[0]), "but Havering's plan is not in it"


def test_the_re_sign_page_shows_every_change_since_signing_field_by_field(client, complete_plan, signatories, editor):
    plan = complete_plan
    leader = signatories["leader"]
    sign_post(client, plan, leader)
    before = {a.code: a for a in plan.actions.all()}
    changed = {
        "GOV-M1": {"status": "amber"},
        "GOV-M2": {"end_date": dt.date(2022, 2, 28)},
        "GOV-M3": {"baseline": "2020/21: 98 offences"},
        "GOV-M4": {"lead_name": "Jo Bloggs"},
        "GOV-M5": {"progress": "Step one", "outcome": "Safer streets"},
    }
    for code, data in changed.items():
        plan_action_update(action=plan.actions.get(code=code), user=editor, data=data)
    # Changed and changed back: no net change, so not listed.
    plan_action_update(action=plan.actions.get(code="GOV-M5"), user=editor, data={"outcome": before["GOV-M5"].outcome})
    client.force_login(leader)
    doc = page(client, reverse("cycle:sign", args=[plan.pk]))
    tables = doc.xpath('//table[@data-testid="change-table"]')
    got = {
        text(t.xpath("./caption")[0]).split()[0]: [
            [text(c) for c in tr.xpath("./th|./td")][:3] for tr in t.xpath("./tbody/tr")
        ]
        for t in tables
    }
    labels = {
        "GOV-M1": "Status",
        "GOV-M2": "End date",
        "GOV-M3": "Baseline",
        "GOV-M4": "Lead name",
        "GOV-M5": "Progress to date",
    }
    assert got == {
        "GOV-M1": [[labels["GOV-M1"], before["GOV-M1"].get_status_display(), "Amber"]],
        "GOV-M2": [[labels["GOV-M2"], before["GOV-M2"].end_date.strftime("%-d %B %Y"), "28 February 2022"]],
        "GOV-M3": [[labels["GOV-M3"], before["GOV-M3"].baseline, "2020/21: 98 offences"]],
        "GOV-M4": [[labels["GOV-M4"], before["GOV-M4"].lead_name, "Jo Bloggs"]],
        "GOV-M5": [[labels["GOV-M5"], before["GOV-M5"].progress, "Step one"]],
    }
    assert "5 actions have changed since" in text(doc)
    assert "amber" not in [c for rows in got.values() for r in rows for c in r], "no raw status value"
