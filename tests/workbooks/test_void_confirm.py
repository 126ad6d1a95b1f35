"""The plan workbook's import names the signatures saving it will void and needs them confirmed
(issue 12, part 1); a preview shown before someone signed cannot void their signature silently."""

import lxml.html
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.cycle.conftest import signatories  # noqa: F401  (fixture)
from tests.plans.conftest import complete_content
from tests.plans.test_void_confirm import SIGNERS, all_valid, none_valid, sign_all, text
from tests.workbooks.test_views import edited_workbook
from vrhub.plans.services import plan_action_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(request):
    """The three signatories of Havering (tests/cycle/conftest.py)."""
    return request.getfixturevalue("signatories")


PROGRESS = 14  # the Progress column of a theme sheet


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def complete(plan, editor):
    for action in plan.actions.all():
        plan_action_update(action=action, user=editor, data=complete_content())
    return plan


def preview(client, plan, progress: str) -> lxml.html.HtmlElement:
    data = edited_workbook(plan, {("GOV-M1", PROGRESS): progress})
    response = client.post(reverse("workbooks:upload", args=[plan.pk]), {"file": SimpleUploadedFile("p.xlsx", data)})
    return lxml.html.fromstring(response.content.decode())


def confirm_form(page) -> dict:
    form = page.xpath('//form[contains(@action, "/confirm")]')[0]
    return {i.get("name"): i.get("value") or "" for i in form.xpath(".//input[@type='hidden']")}


def test_the_preview_names_the_signatures_and_saving_needs_confirming(client, complete, people, editor):
    plan = complete
    keys = sign_all(plan, people)
    client.force_login(editor)
    page = preview(client, plan, "Met in May")
    assert f"signed by {SIGNERS}" in text(page.xpath('//*[@data-testid="void-warning"]')[0])
    fields = confirm_form(page)
    assert set(fields["void_keys"].split(",")) == keys
    url = reverse("workbooks:confirm", args=[plan.pk])

    refused = client.post(url, fields)
    assert refused.status_code == 200
    body = lxml.html.fromstring(refused.content.decode())
    assert f"voids the signatures of {SIGNERS}. Nothing has been saved" in text(body)
    assert f"I understand this change voids the signatures of {SIGNERS}" in text(body)
    assert "Met in May" in text(body.xpath('//*[@data-testid="import-changes"]')[0])  # the preview again
    assert plan.actions.get(code="GOV-M1").progress != "Met in May" and all_valid(plan)

    # The upload is kept: ticking the box on the page shown saves it.
    done = client.post(url, confirm_form(body) | {"confirm_void": "on"})
    assert done.status_code == 302
    assert plan.actions.get(code="GOV-M1").progress == "Met in May" and none_valid(plan)


def test_a_preview_shown_before_signing_cannot_void_silently(client, complete, people, editor):
    plan = complete
    client.force_login(editor)
    page = preview(client, plan, "Met in June")
    assert not page.xpath('//*[@data-testid="void-warning"]')
    fields = confirm_form(page)
    assert fields["void_keys"] == ""
    sign_all(plan, people)  # meanwhile
    refused = client.post(reverse("workbooks:confirm", args=[plan.pk]), fields | {"confirm_void": "on"})
    assert refused.status_code == 200
    assert f"voids the signatures of {SIGNERS}. Nothing has been saved" in text(lxml.html.fromstring(refused.content))
    assert plan.actions.get(code="GOV-M1").progress != "Met in June" and all_valid(plan)


def test_an_unsigned_plan_imports_as_before(client, complete, editor):
    plan = complete
    client.force_login(editor)
    page = preview(client, plan, "Met in July")
    assert not page.xpath('//*[@data-testid="void-warning"]') and not page.xpath('//input[@name="confirm_void"]')
    assert client.post(reverse("workbooks:confirm", args=[plan.pk]), confirm_form(page)).status_code == 302
    assert plan.actions.get(code="GOV-M1").progress == "Met in July"
