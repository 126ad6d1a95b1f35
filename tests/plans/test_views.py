import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import UserFactory
from vrhub.core.models import AuditEntry
from vrhub.plans.models import PlanAction, SupportingDocument
from vrhub.plans.services import plan_action_update

pytestmark = pytest.mark.django_db


def theme_post_data(actions, **changes):
    """The POST a browser sends for a theme page: every action's current values, plus ``changes``."""
    data = {}
    for a in actions:
        prefix = f"a{a.pk}"
        for f in PlanAction.EDITABLE_FIELDS:
            value = getattr(a, f)
            if isinstance(value, bool):
                if value:
                    data[f"{prefix}-{f}"] = "on"
            else:
                data[f"{prefix}-{f}"] = "" if value is None else str(value)
        data[f"{prefix}-version"] = str(a.version)
        if a.source == PlanAction.Source.LOCAL:
            data[f"{prefix}-title"] = a.title
    data.update(changes)
    return data


@pytest.fixture
def signed_in(client, editor):
    client.force_login(editor)
    return client


def test_theme_page_lists_actions_with_completeness(signed_in, plan):
    response = signed_in.get(reverse("plans:theme", args=[plan.pk, "GOV"]))
    assert response.status_code == 200
    body = response.content.decode()
    for action in plan.actions.filter(theme__code="GOV"):
        assert action.code in body
    assert "Entry incomplete: 7 items missing" in body


def test_saving_a_theme_updates_changed_actions_only(signed_in, plan, editor):
    actions = list(plan.actions.filter(theme__code="GOV"))
    target = actions[0]
    data = theme_post_data(actions, **{f"a{target.pk}-progress": "Board met in May", f"a{target.pk}-status": "amber"})
    response = signed_in.post(reverse("plans:theme", args=[plan.pk, "GOV"]), data)
    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.progress, target.status, target.version) == ("Board met in May", "amber", 2)
    assert all(a.version == 1 for a in PlanAction.objects.filter(pk__in=[a.pk for a in actions[1:]]))
    assert AuditEntry.objects.filter(object_id=str(target.pk), field="status", new="amber", actor=editor).exists()


def test_invalid_theme_post_shows_error_summary_and_saves_nothing(signed_in, plan):
    actions = list(plan.actions.filter(theme__code="GOV"))
    first, second = actions[0], actions[1]
    data = theme_post_data(
        actions,
        **{
            f"a{first.pk}-progress": "this must not be saved",
            f"a{second.pk}-start_date": "2022-01-01",
            f"a{second.pk}-end_date": "2021-01-01",
        },
    )
    response = signed_in.post(reverse("plans:theme", args=[plan.pk, "GOV"]), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body
    assert f'href="#id_a{second.pk}-end_date"' in body
    assert f"{second.code} End date: End date must be the same as or after the start date" in body
    assert "<title>Error:" in body
    first.refresh_from_db()
    assert first.progress == ""


def test_bad_date_and_status_are_named(signed_in, plan):
    actions = list(plan.actions.filter(theme__code="GOV"))
    a = actions[0]
    data = theme_post_data(actions, **{f"a{a.pk}-start_date": "31/02/2021", f"a{a.pk}-status": "purple"})
    body = signed_in.post(reverse("plans:theme", args=[plan.pk, "GOV"]), data).content.decode()
    assert "Start date must be a real date" in body
    assert "Choose a status from the list" in body


def test_concurrent_edit_of_the_same_field_is_refused_and_shows_the_other_change(signed_in, plan):
    actions = list(plan.actions.filter(theme__code="GOV"))
    a, b = actions[0], actions[1]
    data = theme_post_data(actions, **{f"a{a.pk}-progress": "my progress", f"a{b.pk}-progress": "also mine"})
    colleague = UserFactory(organisation=plan.area, first_name="Pat", last_name="Colleague")
    plan_action_update(action=PlanAction.objects.get(pk=a.pk), user=colleague, data={"progress": "their progress"})
    response = signed_in.post(reverse("plans:theme", args=[plan.pk, "GOV"]), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "was changed by someone else" in body and "Pat Colleague" in body and "their progress" in body
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.progress == "their progress" and b.progress == "", "nothing on the page is saved"
    # Saving again applies this person's input deliberately, over the other change.
    data[f"a{a.pk}-version"] = str(a.version)
    assert signed_in.post(reverse("plans:theme", args=[plan.pk, "GOV"]), data).status_code == 302
    a.refresh_from_db()
    assert a.progress == "my progress"


def test_someone_elses_change_to_another_action_is_kept(signed_in, plan):
    """A stale page that did not touch GOV-M1 must not revert a colleague's change to it."""
    actions = list(plan.actions.filter(theme__code="GOV"))
    a, b = actions[0], actions[1]
    data = theme_post_data(actions, **{f"a{b.pk}-progress": "mine"})
    colleague = UserFactory(organisation=plan.area)
    plan_action_update(action=PlanAction.objects.get(pk=a.pk), user=colleague, data={"lead_name": "Jo Okafor"})
    assert signed_in.post(reverse("plans:theme", args=[plan.pk, "GOV"]), data).status_code == 302
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.lead_name == "Jo Okafor" and b.progress == "mine"


def test_adopt_optional_actions_page(signed_in, plan):
    theme = plan.template.themes.get(code="DIV")
    optional = list(theme.template_actions.filter(kind="optional"))
    url = reverse("plans:optional", args=[plan.pk, "DIV"])
    assert signed_in.get(url).status_code == 200
    response = signed_in.post(url, {"adopted": [str(optional[0].pk)]})
    assert response.status_code == 302
    assert plan.actions.filter(code=optional[0].code, source="optional").exists()
    response = signed_in.post(url, {"adopted": ["999999"]})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_add_local_action_requires_title(signed_in, plan):
    url = reverse("plans:local_new", args=[plan.pk, "COM"])
    body = signed_in.post(url, {"title": ""}).content.decode()
    assert "Enter a title for the local action" in body
    assert signed_in.post(url, {"title": "Estate walkabouts"}).status_code == 302
    assert plan.actions.get(code="COM-L1").title == "Estate walkabouts"


def _pdf(name="strategy.pdf", content=b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_upload_and_download_a_document(signed_in, plan):
    action = plan.actions.first()
    url = reverse("plans:documents", args=[plan.pk, action.pk])
    response = signed_in.post(url, {"title": "Violence strategy", "file": _pdf()})
    assert response.status_code == 302
    doc = SupportingDocument.objects.get(action=action)
    assert (doc.title, doc.content_type, doc.original_name) == ("Violence strategy", "application/pdf", "strategy.pdf")
    download = signed_in.get(reverse("plans:document_download", args=[plan.pk, action.pk, doc.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


def test_add_a_link_document(signed_in, plan):
    action = plan.actions.first()
    url = reverse("plans:documents", args=[plan.pk, action.pk])
    assert signed_in.post(url, {"title": "SNA", "url": "https://example.org/sna.pdf"}).status_code == 302
    body = signed_in.post(url, {"title": "Bad", "url": "javascript:alert(1)"}).content.decode()
    assert "Enter a link in the correct format" in body
    assert SupportingDocument.objects.filter(action=action).count() == 1


def _zip(members: dict[str, bytes | str]) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buffer.getvalue()


DOCX = {"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"}


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", b"MZ\x90\x00", "must be one of"),
        ("fake.pdf", b"<html>not a pdf</html>", "not a real PDF"),
        ("empty.pdf", b"", "empty"),
        ("macro.docx", _zip(DOCX | {"word/vbaProject.bin": b"macro"}), "macros"),
        (
            "macro2.docx",
            _zip(
                {
                    "[Content_Types].xml": "<Types><Default ContentType='application/"
                    "vnd.ms-word.document.macroEnabled.main+xml'/></Types>",
                    "word/document.xml": "x",
                }
            ),
            "macros",
        ),
        ("ole.docx", _zip(DOCX | {"word/embeddings/oleObject1.bin": b"ole"}), "embedded"),
        ("sheet.docx", _zip({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"}), "not a real DOCX"),
        (
            "basic.odt",
            _zip({"mimetype": "application/vnd.oasis.opendocument.text", "Basic/Standard/Module1.xml": "x"}),
            "macros",
        ),
        ("bomb.docx", _zip(DOCX | {"word/huge.xml": b"\x00" * (101 * 1024 * 1024)}), "expands to too much"),
    ],
    ids=lambda value: value if isinstance(value, str) and len(value) < 40 else "-",  # zips carry their time
)
def test_hostile_uploads_are_refused(signed_in, plan, name, content, message):
    action = plan.actions.first()
    url = reverse("plans:documents", args=[plan.pk, action.pk])
    response = signed_in.post(url, {"title": "Doc", "file": SimpleUploadedFile(name, content)})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not SupportingDocument.objects.exists()


def test_a_real_docx_is_accepted(signed_in, plan):
    action = plan.actions.first()
    url = reverse("plans:documents", args=[plan.pk, action.pk])
    response = signed_in.post(url, {"title": "Doc", "file": SimpleUploadedFile("ok.docx", _zip(DOCX))})
    assert response.status_code == 302
    assert SupportingDocument.objects.get().content_type.endswith("wordprocessingml.document")


def test_oversized_upload_is_refused(signed_in, plan, settings):
    settings.DOCUMENT_MAX_BYTES = 1024
    action = plan.actions.first()
    url = reverse("plans:documents", args=[plan.pk, action.pk])
    response = signed_in.post(url, {"title": "Big", "file": _pdf(content=b"%PDF-" + b"x" * 2048)})
    assert "must be smaller than" in response.content.decode()
    assert not SupportingDocument.objects.exists()


def test_start_new_plan_from_last_year(signed_in, plan, template_2021):
    from vrhub.plans.services import template_create_for_year

    t2022 = template_create_for_year(source=template_2021, year=2022, title="2022 template")
    t2022.published = True
    t2022.save()
    url = reverse("plans:start")
    assert "2022/23" in signed_in.get(url).content.decode()
    response = signed_in.post(url, {"template": str(t2022.pk), "copy_previous": "on"})
    assert response.status_code == 302
    assert plan.successors.get().template == t2022


def test_login_page_shows_error_summary(client, editor):
    body = client.post(reverse("login"), {"username": editor.username, "password": "wrong"}).content.decode()
    assert "There is a problem" in body
    assert client.post(reverse("login"), {"username": editor.username, "password": "pw"}).status_code == 302
