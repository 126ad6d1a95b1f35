"""Citing a figure in a signed plan's baseline names the signatures it voids and needs them confirmed
(issue 12, part 1): which plan is known only once the action is chosen, so the first post asks."""

import lxml.html
import pytest
from django.urls import reverse

from tests.cycle.conftest import signatories  # noqa: F401  (fixture)
from tests.evidence.test_citations import robberies  # noqa: F401  (fixture)
from tests.plans.conftest import complete_content
from tests.plans.test_void_confirm import all_valid, none_valid, sign_all, text
from vrhub.evidence.models import Citation
from vrhub.plans.services import plan_action_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(request):
    """The three signatories of Havering (tests/cycle/conftest.py)."""
    return request.getfixturevalue("signatories")


@pytest.fixture
def loaded(request):
    """Five robberies in Havering 013C (tests/evidence/test_citations.py)."""
    return request.getfixturevalue("robberies")


URL = "?area=E01002356&measure=police.uk:Robbery&period=2023-01:2023-02"


def test_citing_in_a_signed_plan_asks_first_and_a_stale_confirmation_is_refused(client, plan, editor, loaded, people):
    for action in plan.actions.all():
        plan_action_update(action=action, user=editor, data=complete_content())
    people = dict(people)
    late = people.pop("bcu_commander")
    early = sign_all(plan, people)
    action = plan.actions.get(code="ANE-M1")
    baseline = action.baseline
    url = reverse("evidence_cite") + URL
    client.force_login(editor)

    refused = client.post(url, {"action": action.pk})
    assert refused.status_code == 200
    page = lxml.html.fromstring(refused.content.decode())
    names = "Casey Chief (Chief Executive) and Lee Leader (Leader of the Council or Elected Mayor)"
    assert f"voids the signatures of {names}. Nothing has been saved" in text(page)
    assert f"I understand this change voids the signatures of {names}" in text(page)
    assert not Citation.objects.exists() and plan.actions.get(pk=action.pk).baseline == baseline
    shown = {k for k in (page.xpath('//input[@name="void_keys"]')[0].get("value") or "").split(",") if k}
    assert shown == early

    # A third signature since the page was shown: ticking the box agrees only to the two it named.
    sign_all(plan, {"bcu_commander": late})
    stale = client.post(url, {"action": action.pk, "void_keys": ",".join(shown), "confirm_void": "on"})
    assert stale.status_code == 200
    assert "voids the signature of Cam Commander (BCU Commander). Nothing has been saved" in text(
        lxml.html.fromstring(stale.content.decode())
    )
    assert not Citation.objects.exists() and all_valid(plan)

    now = lxml.html.fromstring(stale.content.decode()).xpath('//input[@name="void_keys"]')[0].get("value")
    done = client.post(url, {"action": action.pk, "void_keys": now, "confirm_void": "on"})
    assert done.status_code == 302
    assert Citation.objects.get().action == action and none_valid(plan)
