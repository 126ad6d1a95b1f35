"""Theme pages on real plans (issue 12, parts 1 and 5): each action is saved on its own with its version
(optimistic locking kept), and a save that would void signatures says whose and needs confirming."""

import lxml.html
import pytest
from django.urls import reverse

from tests.cycle.conftest import complete_plan, signatories  # noqa: F401  (fixtures)
from tests.plans.test_views import theme_post_data
from vrhub.cycle.models import Signature
from vrhub.cycle.services import plan_sign, signatures_status
from vrhub.plans.content import plan_content_hash
from vrhub.plans.models import PlanAction
from vrhub.plans.services import plan_action_update

pytestmark = pytest.mark.django_db


def doc_of(response) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(response.content.decode())


def text(node) -> str:
    return " ".join(node.text_content().split())


def theme_actions(plan, code="GOV"):
    return list(plan.actions.filter(theme__code=code).order_by("source", "order", "code"))


@pytest.fixture
def people(request):
    """The three signatories (tests/cycle/conftest.py)."""
    return request.getfixturevalue("signatories")


@pytest.fixture
def done_plan(request):
    """A complete plan, ready to sign (tests/cycle/conftest.py)."""
    return request.getfixturevalue("complete_plan")


def sign_all(plan, people):
    for user in people.values():
        plan_sign(plan=plan, user=user, name=user.display_name, confirmed=True, seen_hash=plan_content_hash(plan))


SIGNERS = (
    "Casey Chief (Chief Executive), Lee Leader (Leader of the Council or Elected Mayor) "
    "and Cam Commander (BCU Commander)"
)


def test_each_action_has_its_own_form_and_is_saved_alone(client, plan, editor):
    client.force_login(editor)
    actions = theme_actions(plan)
    url = reverse("plans:theme", args=[plan.pk, "GOV"])
    doc = doc_of(client.get(url))
    forms = doc.xpath('//form[@data-testid="action-form"]')
    assert len(forms) == len(actions) > 1
    for form, action in zip(forms, actions, strict=True):
        assert form.xpath(f'.//input[@name="a{action.pk}-version"]/@value') == [str(action.version)]
        assert not form.xpath(".//input[contains(@name, '-version')]")[1:], "one action per form"
    contents = doc.xpath('//nav[@data-testid="action-contents"]//a/@href')
    assert contents == [f"#action-{a.pk}" for a in actions]

    first, second = actions[0], actions[1]
    response = client.post(url, theme_post_data([first], **{f"a{first.pk}-outcome": "Fewer injuries"}))
    assert response.status_code == 302 and response["Location"] == f"{url}?saved={first.pk}#action-{first.pk}"
    assert PlanAction.objects.get(pk=first.pk).outcome == "Fewer injuries"
    assert [PlanAction.objects.get(pk=a.pk).version for a in actions] == [2] + [1] * (len(actions) - 1)
    first.refresh_from_db()
    response = client.post(url, theme_post_data([first], **{f"a{first.pk}-baseline": "120", "continue": "1"}))
    assert response["Location"] == f"{url}?saved={first.pk}#action-{second.pk}"
    saved = doc_of(client.get(response["Location"]))
    assert text(saved.xpath(f'//section[@id="action-{first.pk}"]//*[@data-testid="saved-note"]')[0]) == (
        f"Saved {first.code}."
    )
    last = actions[-1]
    response = client.post(url, theme_post_data([last], **{f"a{last.pk}-comments": "End", "continue": "1"}))
    following = plan.template.themes.filter(order__gt=first.theme.order).order_by("order").first()
    assert response["Location"] == reverse("plans:theme", args=[plan.pk, following.code])


def test_a_stale_action_form_is_refused_and_keeps_what_was_typed(client, plan, editor):
    client.force_login(editor)
    action = theme_actions(plan)[0]
    stale = theme_post_data([action], **{f"a{action.pk}-outcome": "My careful wording"})
    plan_action_update(action=action, user=editor, data={"outcome": "Someone else's wording"})
    response = client.post(reverse("plans:theme", args=[plan.pk, "GOV"]), stale)
    assert response.status_code == 200
    body = response.content.decode()
    assert f"{action.code} was changed by someone else while you were editing it" in body
    assert "My careful wording" in body
    assert PlanAction.objects.get(pk=action.pk).outcome == "Someone else's wording"


def test_saving_a_signed_plan_names_the_signatures_it_voids_and_needs_confirming(client, done_plan, people, editor):
    plan = done_plan
    sign_all(plan, people)
    client.force_login(editor)
    url = reverse("plans:theme", args=[plan.pk, "GOV"])
    doc = doc_of(client.get(url))
    assert f"voids the signatures of {SIGNERS}" in text(doc.xpath('//*[@data-testid="void-warning"]')[0])
    action = theme_actions(plan)[0]
    keys = doc.xpath(f'//input[@name="a{action.pk}-void_keys"]/@value')[0]
    assert sorted(keys.split(",")) == sorted(str(s.pk) for s in Signature.objects.filter(plan=plan))
    data = theme_post_data([action], **{f"a{action.pk}-progress": "Typed by the editor"})

    refused = client.post(url, data)
    assert refused.status_code == 200
    body = text(doc_of(refused))
    assert f"Saving this change voids the signatures of {SIGNERS}. Nothing has been saved" in body
    assert "Typed by the editor" in refused.content.decode()
    assert PlanAction.objects.get(pk=action.pk).version == action.version
    assert all(s["valid"] for s in signatures_status(plan=plan))

    # The page always posts the hidden keys back: without the box ticked, that alone confirms nothing.
    unticked = client.post(url, data | {f"a{action.pk}-void_keys": keys})
    assert unticked.status_code == 200
    assert f"Saving this change voids the signatures of {SIGNERS}. Nothing has been saved" in text(doc_of(unticked))
    assert PlanAction.objects.get(pk=action.pk).version == action.version
    assert all(s["valid"] for s in signatures_status(plan=plan))

    confirmed = data | {f"a{action.pk}-confirm_void": "on", f"a{action.pk}-void_keys": keys}
    response = client.post(url, confirmed, follow=True)
    assert f"Saved {action.code}. This voided the signatures of {SIGNERS}." in text(doc_of(response))
    assert PlanAction.objects.get(pk=action.pk).progress == "Typed by the editor"
    assert not any(s["valid"] for s in signatures_status(plan=plan))


def test_a_page_loaded_before_signing_cannot_void_the_signatures_silently(client, done_plan, people, editor):
    plan = done_plan
    client.force_login(editor)
    url = reverse("plans:theme", args=[plan.pk, "GOV"])
    doc = doc_of(client.get(url))
    action = theme_actions(plan)[0]
    assert doc.xpath(f'//input[@name="a{action.pk}-void_keys"]/@value') in ([], [""])
    assert not doc.xpath('//*[@data-testid="void-warning"]')
    sign_all(plan, people)  # meanwhile, all three sign
    data = theme_post_data([action], **{f"a{action.pk}-progress": "Late edit", f"a{action.pk}-confirm_void": "on"})
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert f"voids the signatures of {SIGNERS}. Nothing has been saved" in text(doc_of(refused))
    assert all(s["valid"] for s in signatures_status(plan=plan))
    # The page now names them; confirming them saves.
    keys = doc_of(refused).xpath(f'//input[@name="a{action.pk}-void_keys"]/@value')[0]
    assert client.post(url, data | {f"a{action.pk}-void_keys": keys}).status_code == 302
    assert not any(s["valid"] for s in signatures_status(plan=plan))
