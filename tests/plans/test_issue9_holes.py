"""Holes found in review (issue 9): internal documents, unbounded text, versions, odd numbers in queries."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse

from tests.factories import UserFactory
from tests.plans.test_views import theme_post_data
from vrhub.accounts.models import User
from vrhub.core.limits import LONG_TEXT
from vrhub.core.models import AuditEntry
from vrhub.cycle.models import QuarterlyUpdate
from vrhub.cycle.services import quarterly_update_save, quarters_create
from vrhub.organisations.models import Organisation
from vrhub.plans.models import Plan, SupportingDocument
from vrhub.plans.services import plan_action_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def documents(plan, editor):
    """An accepted Havering plan with one internal and one publishable document on one action."""
    action = plan.actions.order_by("code").first()
    made = {}
    for title, internal in (("Gang matrix extract", True), ("Published strategy", False)):
        doc = SupportingDocument(action=action, title=title, internal=internal, uploaded_by=editor)
        doc.file.save(f"{title}.pdf", ContentFile(b"%PDF-1.4 " + title.encode()), save=True)
        made[internal] = doc
    Plan.objects.filter(pk=plan.pk).update(state=Plan.State.ACCEPTED)
    return action, made


@pytest.fixture
def peer(london):
    return UserFactory(organisation=Organisation.objects.get(code="E09000022"), role=User.Role.BOROUGH_EDITOR)


def _download(client, action, doc):
    return client.get(reverse("plans:document_download", args=[action.plan_id, action.pk, doc.pk]))


def test_a_peer_borough_never_opens_or_sees_an_internal_document_of_an_accepted_plan(client, documents, peer):
    action, docs = documents
    client.force_login(peer)
    assert _download(client, action, docs[True]).status_code == 404
    assert _download(client, action, docs[False]).status_code == 200
    theme = client.get(reverse("plans:theme", args=[action.plan_id, action.theme.code])).content.decode()
    assert f'Supporting documents (1)<span class="govuk-visually-hidden"> for {action.code}' in theme
    page = client.get(reverse("plans:documents", args=[action.plan_id, action.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Published strategy" in body
    assert "Gang matrix extract" not in body


@pytest.mark.parametrize("role", ["owner", "vru"])
def test_the_owning_borough_and_its_vru_still_open_internal_documents(client, documents, editor, london, role):
    action, docs = documents
    user = editor if role == "owner" else UserFactory(organisation=london, role=User.Role.VRU_REVIEWER)
    client.force_login(user)
    assert _download(client, action, docs[True]).status_code == 200
    assert (
        "Gang matrix extract"
        in client.get(reverse("plans:documents", args=[action.plan_id, action.pk])).content.decode()
    )


def test_a_peer_sees_no_review_comments_on_an_accepted_plan(client, plan, peer, london):
    from vrhub.cycle.models import ReviewComment

    reviewer = UserFactory(organisation=london, role=User.Role.VRU_REVIEWER)
    ReviewComment.objects.create(plan=plan, author=reviewer, body="Internal: the BCU disputes these figures")
    Plan.objects.filter(pk=plan.pk).update(state=Plan.State.ACCEPTED)
    client.force_login(peer)
    page = client.get(reverse("plans:detail", args=[plan.pk]))
    assert page.status_code == 200
    assert "disputes these figures" not in page.content.decode()
    client.force_login(plan.area.users.get(role=User.Role.BOROUGH_EDITOR))
    assert "disputes these figures" in client.get(reverse("plans:detail", args=[plan.pk])).content.decode()


def test_free_text_over_its_limit_is_refused_by_the_service_naming_field_and_limit(plan, editor):
    action = plan.actions.order_by("code").first()
    with pytest.raises(ValidationError) as refused:
        plan_action_update(action=action, user=editor, data={"outcome": "x" * (LONG_TEXT + 1)})
    assert refused.value.message_dict["outcome"] == [
        f"Outcome(s) must be {LONG_TEXT:,} characters or fewer (it has {LONG_TEXT + 1:,})"
    ]
    action.refresh_from_db()
    assert action.outcome == "" and action.version == 1
    assert plan_action_update(action=action, user=editor, data={"outcome": "x" * LONG_TEXT}) != {}


def test_a_huge_outcome_posted_on_the_theme_page_is_refused_with_a_clear_error(client, plan, editor):
    client.force_login(editor)
    actions = list(plan.actions.filter(theme__code="GOV").order_by("code"))
    first = actions[0]
    data = theme_post_data(actions, **{f"a{first.pk}-outcome": "y" * 4_500_000})
    response = client.post(reverse("plans:theme", args=[plan.pk, "GOV"]), data)
    assert response.status_code == 200
    assert f"must be {LONG_TEXT:,} characters or fewer (it has 4,500,000)" in response.content.decode()
    first.refresh_from_db()
    assert first.outcome == ""


def test_theme_page_refuses_a_version_the_action_never_had(client, plan, editor):
    client.force_login(editor)
    actions = list(plan.actions.filter(theme__code="GOV").order_by("code"))
    first = actions[0]
    data = theme_post_data(actions, **{f"a{first.pk}-version": "999", f"a{first.pk}-outcome": "Overwrite"})
    response = client.post(reverse("plans:theme", args=[plan.pk, "GOV"]), data)
    assert response.status_code == 200
    assert "version 999" in response.content.decode()
    first.refresh_from_db()
    assert first.outcome == "" and first.version == 1


def test_quarterly_update_post_without_version_saves_nothing(client, plan, editor, template_2021):
    quarters = quarters_create(template=template_2021)
    action = plan.actions.filter(theme__code="GOV").order_by("code").first()
    quarterly_update_save(action=action, quarter=quarters[0], user=editor, progress="Theirs", status="green")
    client.force_login(editor)
    url = reverse("cycle:quarter_theme", args=[plan.pk, 1, "GOV"])
    response = client.post(url, {f"a{action.pk}-progress": "Mine, blind", f"a{action.pk}-status": "red"})
    assert response.status_code == 200
    assert "This page is out of date" in response.content.decode()
    assert QuarterlyUpdate.objects.get(action=action, quarter=quarters[0]).progress == "Theirs"


def test_quarterly_update_over_the_limit_is_refused(plan, editor, template_2021):
    quarters = quarters_create(template=template_2021)
    action = plan.actions.order_by("code").first()
    with pytest.raises(ValidationError) as refused:
        quarterly_update_save(action=action, quarter=quarters[0], user=editor, progress="p" * 5000, status="green")
    assert "Progress this quarter must be 4,000 characters or fewer (it has 5,000)" in refused.value.messages
    assert not QuarterlyUpdate.objects.exists()
    assert not AuditEntry.objects.filter(object_type="cycle.quarterlyupdate").exists()


@pytest.mark.parametrize("year", ["²", "١٢", "99999999999999999999", "-1", "2021 ", "0x7e5"])
def test_odd_years_in_queries_are_answered_not_500(client, demo, year):
    client.force_login(User.objects.get(username="havering.editor"))
    assert client.get(reverse("learning:library"), {"year": year}).status_code == 200
    from vrhub.transparency.models import ApiToken

    token, key = ApiToken.issue(user=User.objects.get(username="vru.reviewer"), name="test")
    api = client.get(reverse("transparency:api_plans"), {"year": year}, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert api.status_code == 400
    assert "year must be a year from 2000 to 2100" in api.json()["error"]


def test_a_plain_year_still_filters_the_api_and_the_library(client, demo):
    from vrhub.transparency.models import ApiToken

    token, key = ApiToken.issue(user=User.objects.get(username="vru.reviewer"), name="test")
    plans = client.get(reverse("transparency:api_plans"), {"year": "2021"}, HTTP_AUTHORIZATION=f"Bearer {key}").json()
    assert len(plans["plans"]) == 32 and {p["year"] for p in plans["plans"]} == {2021}
    none = client.get(reverse("transparency:api_plans"), {"year": "2030"}, HTTP_AUTHORIZATION=f"Bearer {key}").json()
    assert none["plans"] == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2000", 2000),
        ("2100", 2100),
        ("000002021", 2021),
        ("1999", None),
        ("2101", None),
        ("0123456789", None),
        ("", None),
        (None, None),
        ("20 21", None),
        ("²", None),
    ],
)
def test_year_param_takes_only_ascii_digits_in_range(value, expected):
    from vrhub.core.params import year_param

    assert year_param(value) == expected


def test_action_form_refuses_over_long_text_itself(plan):
    from vrhub.plans.forms import PlanActionForm

    action = plan.actions.order_by("code").first()
    prefix = f"a{action.pk}"
    form = PlanActionForm({f"{prefix}-version": "1", f"{prefix}-outcome": "z" * (LONG_TEXT + 5)}, action=action)
    assert not form.is_valid()
    assert form.errors["outcome"] == [
        f"Outcome(s) must be {LONG_TEXT:,} characters or fewer (it has {LONG_TEXT + 5:,})"
    ]


@pytest.mark.parametrize("version", [0, 2])
def test_plan_action_update_refuses_versions_outside_the_actions_history(plan, editor, version):
    action = plan.actions.order_by("code").first()
    with pytest.raises(ValidationError) as refused:
        plan_action_update(action=action, user=editor, data={"outcome": "x"}, expected_version=version)
    assert f"loaded for version {version} of {action.code}, which it has never had" in refused.value.messages[0]
    action.refresh_from_db()
    assert (action.outcome, action.version) == ("", 1)


def test_quarterly_update_refuses_a_version_the_update_never_had(plan, editor, template_2021):
    quarters = quarters_create(template=template_2021)
    action = plan.actions.order_by("code").first()
    quarterly_update_save(action=action, quarter=quarters[0], user=editor, progress="First", status="green")
    with pytest.raises(ValidationError) as refused:
        quarterly_update_save(
            action=action, quarter=quarters[0], user=editor, progress="Later", status="red", expected_version=7
        )
    assert "loaded for version 7 of the update, which it has never had" in refused.value.messages[0]
    assert QuarterlyUpdate.objects.get(action=action, quarter=quarters[0]).progress == "First"


def _pdf_upload(size: int):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * size, content_type="application/pdf")


def test_a_full_disk_while_storing_a_document_leaves_nothing_and_says_so(
    client, plan, editor, monkeypatch, settings, tmp_path
):
    import errno
    from pathlib import Path

    from django.core.files.storage import FileSystemStorage

    settings.MEDIA_ROOT = tmp_path / "media"  # the settings fixture: restored after the test
    real_save = FileSystemStorage._save

    def save_then_run_out_of_room(self, name, content):
        real_save(self, name, _pdf_upload(10))  # a partial file is on disk when the disk fills
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(FileSystemStorage, "_save", save_then_run_out_of_room)
    action = plan.actions.order_by("code").first()
    client.force_login(editor)
    response = client.post(
        reverse("plans:documents", args=[plan.pk, action.pk]), {"title": "Strategy", "file": _pdf_upload(1000)}
    )
    assert response.status_code == 200
    assert "The server could not store this file" in response.content.decode()
    assert not SupportingDocument.objects.exists()
    assert not AuditEntry.objects.filter(object_type="plans.supportingdocument").exists()
    stored = [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file() and "documents" in p.parts]
    assert stored == []


def test_a_full_disk_while_receiving_an_upload_gets_a_clear_507(client, plan, editor, monkeypatch):
    import errno

    from django.core.files.uploadhandler import TemporaryFileUploadHandler

    partial = []

    def no_room(self, raw_data, start):
        self.file.write(raw_data)  # some of it is on disk when the disk fills
        partial.append(self.file.temporary_file_path())
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(TemporaryFileUploadHandler, "receive_data_chunk", no_room)
    action = plan.actions.order_by("code").first()
    client.force_login(editor)
    response = client.post(
        reverse("plans:documents", args=[plan.pk, action.pk]), {"title": "Big", "file": _pdf_upload(3_000_000)}
    )
    assert response.status_code == 507
    assert "The server has no room for your upload" in response.content.decode()
    assert not SupportingDocument.objects.exists()
    from pathlib import Path

    assert partial and not Path(partial[0]).exists()  # the partial temporary file is gone


def test_a_blank_update_on_a_page_loaded_before_someone_else_saved_it_is_left_alone(
    client, plan, editor, template_2021
):
    """A and B open the quarter page; A reports GOV-M2; B saves GOV-M1 and never touched GOV-M2."""
    quarters_create(template=template_2021)
    first, second = plan.actions.filter(theme__code="GOV").order_by("code")[:2]
    url = reverse("cycle:quarter_theme", args=[plan.pk, 1, "GOV"])
    client.force_login(editor)
    blank = {
        f"a{a.pk}-{f}": v
        for a in plan.actions.filter(theme__code="GOV")
        for f, v in (("progress", ""), ("status", ""), ("version", "0"))
    }
    a_saves = blank | {f"a{second.pk}-progress": "A's report", f"a{second.pk}-status": "green"}
    assert client.post(url, a_saves).status_code == 302
    b_saves = blank | {f"a{first.pk}-progress": "B's report", f"a{first.pk}-status": "amber"}
    assert client.post(url, b_saves).status_code == 302
    updates = dict(QuarterlyUpdate.objects.filter(quarter__number=1).values_list("action__code", "progress"))
    assert updates == {second.code: "A's report", first.code: "B's report"}


def test_a_peer_cannot_open_the_history_of_an_accepted_plans_action(client, documents, peer, editor):
    """The history names people and holds internal document names and review comments."""
    action, _docs = documents
    url = reverse("cycle:history", args=[action.plan_id, action.pk])
    client.force_login(peer)
    assert client.get(url).status_code == 404
    assert client.get(url + "?format=csv").status_code == 404
    theme = client.get(reverse("plans:theme", args=[action.plan_id, action.theme.code])).content.decode()
    assert url not in theme
    client.force_login(editor)
    assert client.get(url).status_code == 200
    assert url in client.get(reverse("plans:theme", args=[action.plan_id, action.theme.code])).content.decode()


def test_an_upload_from_someone_not_signed_in_is_refused_before_it_is_read(client, monkeypatch):
    from django.core.files.uploadhandler import TemporaryFileUploadHandler

    def must_not_write(self, *args, **kwargs):
        raise AssertionError("an anonymous upload was written to disk")

    monkeypatch.setattr(TemporaryFileUploadHandler, "new_file", must_not_write)
    response = client.post(reverse("login"), {"file": _pdf_upload(3_000_000)})
    assert response.status_code == 403
    assert "Sign in before uploading files" in response.content.decode()


def test_an_upload_request_over_the_limit_is_refused_before_it_is_read(client, plan, editor, settings):
    settings.UPLOAD_REQUEST_MAX_BYTES = 2 * 1024 * 1024
    action = plan.actions.order_by("code").first()
    client.force_login(editor)
    response = client.post(
        reverse("plans:documents", args=[plan.pk, action.pk]), {"title": "Big", "file": _pdf_upload(3_000_000)}
    )
    assert response.status_code == 413
    assert "at most 2 MB in all" in response.content.decode()
    assert not SupportingDocument.objects.exists()


def test_line_breaks_count_once_whatever_the_browser_sends(plan):
    from vrhub.plans.forms import PlanActionForm

    action = plan.actions.order_by("code").first()
    typed = "\r\n".join(["xxxxx"] * 600)  # 3,599 characters as typed; 4,198 as sent
    form = PlanActionForm({f"a{action.pk}-version": "1", f"a{action.pk}-outcome": typed}, action=action)
    assert form.is_valid(), form.errors
    over = typed + "x" * (LONG_TEXT - 3599 + 1)
    form = PlanActionForm({f"a{action.pk}-version": "1", f"a{action.pk}-outcome": over}, action=action)
    assert form.errors["outcome"] == [
        f"Outcome(s) must be {LONG_TEXT:,} characters or fewer (it has {LONG_TEXT + 1:,})"
    ]
