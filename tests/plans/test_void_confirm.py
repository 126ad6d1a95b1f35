"""Every page that changes a signed plan's content names the signatures it voids and asks to confirm
(issue 12, part 1): without the confirmation the change is refused naming the signatories and nothing is
written; with it the change is made and the signatures are void; a confirmation given on a page shown
before someone signed (the keys of signatures that did not exist then) is refused too."""

import lxml.html
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.cycle.conftest import signatories  # noqa: F401  (fixture)
from tests.plans.conftest import complete_content
from vrhub.cycle.models import Signature
from vrhub.cycle.services import plan_sign, signatures_status
from vrhub.plans import services
from vrhub.plans.content import plan_content_hash
from vrhub.plans.models import PlanAction, SupportingDocument, TemplateAction

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(request):
    """The three signatories of Havering (tests/cycle/conftest.py)."""
    return request.getfixturevalue("signatories")


SIGNERS = (
    "Casey Chief (Chief Executive), Lee Leader (Leader of the Council or Elected Mayor) "
    "and Cam Commander (BCU Commander)"
)


def doc_of(response) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(response.content.decode())


def text(node) -> str:
    return " ".join(node.text_content().split())


def sign_all(plan, people) -> set[str]:
    for user in people.values():
        plan_sign(plan=plan, user=user, name=user.display_name, confirmed=True, seen_hash=plan_content_hash(plan))
    return {str(pk) for pk in Signature.objects.filter(plan=plan, voided_at__isnull=True).values_list("pk", flat=True)}


def all_valid(plan) -> bool:
    status = signatures_status(plan=plan)
    return len(status) == 3 and all(s["valid"] for s in status)


def none_valid(plan) -> bool:
    status = signatures_status(plan=plan)
    return len(status) == 3 and not any(s["valid"] for s in status)


@pytest.fixture
def ready(plan, editor, settings, tmp_path):
    """A complete plan with a complete local action (GOV-L1) and a linked document on GOV-M1, not signed."""
    settings.MEDIA_ROOT = tmp_path
    for action in plan.actions.all():
        services.plan_action_update(action=action, user=editor, data=complete_content())
    theme = plan.template.themes.get(code="GOV")
    local = services.plan_add_local_action(plan=plan, theme=theme, user=editor, title="Our own work")
    services.plan_action_update(action=local, user=editor, data=complete_content())
    gov_m1 = plan.actions.get(code="GOV-M1")
    services.document_add(action=gov_m1, user=editor, title="Strategy", url="https://example.org/s.pdf")
    return plan


def keys_on(doc, name="void_keys") -> set[str]:
    inputs = doc.xpath(f'//input[@name="{name}"]')
    assert len(inputs) == 1, inputs
    return {k for k in (inputs[0].get("value") or "").split(",") if k}


def refused_naming_signers(response) -> None:
    assert response.status_code == 200
    assert f"voids the signatures of {SIGNERS}. Nothing has been saved" in text(doc_of(response))


# Adopting optional actions -------------------------------------------------------------------------


def test_adopting_an_optional_action_on_a_signed_plan_asks_first(client, ready, people, editor):
    plan = ready
    keys = sign_all(plan, people)
    optional = TemplateAction.objects.filter(theme__template=plan.template, theme__code="DIV", kind="optional")[0]
    url = reverse("plans:optional", args=[plan.pk, "DIV"])
    client.force_login(editor)
    page = doc_of(client.get(url))
    assert f"signed by {SIGNERS}" in text(page.xpath('//*[@data-testid="void-warning"]')[0])
    assert keys_on(page) == keys
    before = plan.actions.count()

    refused = client.post(url, {"adopted": [str(optional.pk)], "void_keys": ",".join(keys)})
    refused_naming_signers(refused)
    assert plan.actions.count() == before and all_valid(plan)

    done = client.post(url, {"adopted": [str(optional.pk)], "void_keys": ",".join(keys), "confirm_void": "on"})
    assert done.status_code == 302
    assert plan.actions.filter(template_action=optional).exists() and none_valid(plan)


def test_a_page_shown_before_signing_cannot_adopt_silently(client, ready, people, editor):
    plan = ready
    optional = TemplateAction.objects.filter(theme__template=plan.template, theme__code="DIV", kind="optional")[0]
    url = reverse("plans:optional", args=[plan.pk, "DIV"])
    client.force_login(editor)
    page = doc_of(client.get(url))
    assert keys_on(page) == set() and not page.xpath('//*[@data-testid="void-warning"]')
    sign_all(plan, people)  # meanwhile
    refused = client.post(url, {"adopted": [str(optional.pk)], "void_keys": "", "confirm_void": "on"})
    refused_naming_signers(refused)
    assert not plan.actions.filter(template_action=optional).exists() and all_valid(plan)
    # The refusal carries the signatures live now: confirming them saves.
    again = keys_on(doc_of(refused))
    assert again == {str(s.pk) for s in Signature.objects.filter(plan=plan)}
    done = client.post(url, {"adopted": [str(optional.pk)], "void_keys": ",".join(again), "confirm_void": "on"})
    assert done.status_code == 302 and none_valid(plan)


def test_an_unsigned_plan_shows_no_warning_and_saves_as_before(client, ready, editor):
    plan = ready
    optional = TemplateAction.objects.filter(theme__template=plan.template, theme__code="DIV", kind="optional")[0]
    url = reverse("plans:optional", args=[plan.pk, "DIV"])
    client.force_login(editor)
    page = doc_of(client.get(url))
    assert not page.xpath('//*[@data-testid="void-warning"]') and not page.xpath('//input[@name="confirm_void"]')
    assert client.post(url, {"adopted": [str(optional.pk)]}).status_code == 302
    assert plan.actions.filter(template_action=optional).exists()


# Local actions, removing actions -------------------------------------------------------------------


def test_adding_a_local_action_to_a_signed_plan_asks_first(client, ready, people, editor):
    plan = ready
    keys = sign_all(plan, people)
    url = reverse("plans:local_new", args=[plan.pk, "GOV"])
    client.force_login(editor)
    assert keys_on(doc_of(client.get(url))) == keys
    refused = client.post(url, {"title": "Late idea", "void_keys": ",".join(keys)})
    refused_naming_signers(refused)
    assert "Late idea" in refused.content.decode()
    assert not plan.actions.filter(title="Late idea").exists() and all_valid(plan)
    done = client.post(url, {"title": "Late idea", "void_keys": ",".join(keys), "confirm_void": "on"})
    assert done.status_code == 302
    assert plan.actions.filter(title="Late idea").exists() and none_valid(plan)


def test_removing_an_action_from_a_signed_plan_asks_first(client, ready, people, editor):
    plan = ready
    keys = sign_all(plan, people)
    local = plan.actions.get(title="Our own work")
    url = reverse("plans:action_remove", args=[plan.pk, local.pk])
    client.force_login(editor)
    page = doc_of(client.get(url))
    assert keys_on(page) == keys and page.xpath('//*[@data-testid="void-warning"]')
    refused_naming_signers(client.post(url, {"void_keys": ",".join(keys)}))
    assert PlanAction.objects.filter(pk=local.pk).exists() and all_valid(plan)
    assert client.post(url, {"void_keys": ",".join(keys), "confirm_void": "on"}).status_code == 302
    assert not PlanAction.objects.filter(pk=local.pk).exists() and none_valid(plan)


# Documents ---------------------------------------------------------------------------------------


def test_adding_and_removing_documents_of_a_signed_plan_asks_first(client, ready, people, editor):
    plan = ready
    keys = sign_all(plan, people)
    action = plan.actions.get(code="GOV-M1")
    doc = SupportingDocument.objects.get(action=action)
    url = reverse("plans:documents", args=[plan.pk, action.pk])
    client.force_login(editor)
    page = doc_of(client.get(url))
    assert keys_on(page) == keys and keys_on(page, f"d{doc.pk}-void_keys") == keys

    link = {"title": "Minutes", "url": "https://example.org/m.pdf", "void_keys": ",".join(keys)}
    refused_naming_signers(client.post(url, link))
    assert not SupportingDocument.objects.filter(title="Minutes").exists() and all_valid(plan)

    delete = reverse("plans:document_delete", args=[plan.pk, action.pk, doc.pk])
    refused = client.post(delete, {f"d{doc.pk}-void_keys": ",".join(keys)}, follow=True)
    assert f"“Strategy” was not removed. Saving this change voids the signatures of {SIGNERS}" in text(doc_of(refused))
    assert SupportingDocument.objects.filter(pk=doc.pk).exists() and all_valid(plan)

    assert client.post(link_url := url, link | {"confirm_void": "on"}).status_code == 302
    assert SupportingDocument.objects.filter(title="Minutes").exists() and none_valid(plan)
    assert link_url == url


def test_removing_a_document_with_confirmation_voids_the_signatures(client, ready, people, editor):
    plan = ready
    keys = sign_all(plan, people)
    action = plan.actions.get(code="GOV-M1")
    doc = SupportingDocument.objects.get(action=action)
    delete = reverse("plans:document_delete", args=[plan.pk, action.pk, doc.pk])
    client.force_login(editor)
    response = client.post(delete, {f"d{doc.pk}-void_keys": ",".join(keys), f"d{doc.pk}-confirm_void": "on"})
    assert response.status_code == 302
    assert not SupportingDocument.objects.filter(pk=doc.pk).exists() and none_valid(plan)


# Missing mandatory actions -------------------------------------------------------------------------


def test_adding_missing_mandatory_actions_to_a_signed_plan_asks_first(client, ready, people, editor):
    plan = ready
    keys = sign_all(plan, people)
    theme = plan.template.themes.get(code="GOV")
    late = TemplateAction.objects.create(theme=theme, code="GOV-M9", kind="mandatory", title="Added late", order=99)
    client.force_login(editor)
    page = doc_of(client.get(reverse("plans:detail", args=[plan.pk])))
    assert keys_on(page, "missing-void_keys") == keys
    url = reverse("plans:add_missing", args=[plan.pk])
    refused = client.post(url, {"missing-void_keys": ",".join(keys)}, follow=True)
    assert f"were not added. Saving this change voids the signatures of {SIGNERS}" in text(doc_of(refused))
    assert not plan.actions.filter(template_action=late).exists() and all_valid(plan)
    client.post(url, {"missing-void_keys": ",".join(keys), "missing-confirm_void": "on"})
    assert plan.actions.filter(template_action=late).exists() and none_valid(plan)


# The services themselves -------------------------------------------------------------------------


def test_each_service_refuses_a_stale_confirmation_and_writes_nothing(ready, people, editor):
    """Keys from before a new signature: the service names the new signatory and writes nothing."""
    plan = ready
    people = dict(people)
    late_signer = people.pop("bcu_commander")
    early = sign_all(plan, people)  # two sign; a page is shown naming them
    plan_sign(
        plan=plan, user=late_signer, name=late_signer.display_name, confirmed=True, seen_hash=plan_content_hash(plan)
    )
    local = plan.actions.get(title="Our own work")
    doc = SupportingDocument.objects.get(action__code="GOV-M1")
    theme = plan.template.themes.get(code="GOV")
    optional = TemplateAction.objects.filter(theme__template=plan.template, kind="optional")[0]
    calls = {
        "plan_set_optional_actions": lambda: services.plan_set_optional_actions(
            plan=plan, theme=optional.theme, user=editor, adopted=[optional], confirmed_voids=early
        ),
        "plan_add_local_action": lambda: services.plan_add_local_action(
            plan=plan, theme=theme, user=editor, title="X", confirmed_voids=early
        ),
        "plan_remove_action": lambda: services.plan_remove_action(action=local, user=editor, confirmed_voids=early),
        "document_add": lambda: services.document_add(
            action=local, user=editor, title="D", url="https://example.org/d", confirmed_voids=early
        ),
        "document_delete": lambda: services.document_delete(document=doc, user=editor, confirmed_voids=early),
    }
    count = plan.actions.count(), SupportingDocument.objects.count()
    for name, call in calls.items():
        with pytest.raises(ValidationError) as refused:
            call()
        assert refused.value.message_dict["confirm_void"][0].startswith(
            "Saving this change voids the signature of Cam Commander (BCU Commander). Nothing has been saved"
        ), name
        assert (plan.actions.count(), SupportingDocument.objects.count()) == count, name
        assert all_valid(plan), name
