"""Break-it pass on issue 14: papers, over-long inputs, NUL characters, double submits on governance forms."""
# ruff: noqa: F811

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import UserFactory
from tests.governance import factories as f
from tests.governance.conftest import havering_board, lambeth, lambeth_board  # noqa: F401
from vrhub.accounts.models import User
from vrhub.governance.models import Action, AgendaItem, Meeting, Member
from vrhub.organisations.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(client, havering_board):
    editor = UserFactory(organisation=Organisation.objects.get(code="E09000016"), role=User.Role.BOROUGH_EDITOR)
    client.force_login(editor)
    meeting = f.meeting_with_items(group=havering_board, date=dt.date(2026, 3, 6))
    return client, meeting


def _item_post(client, meeting, **extra):
    meeting.refresh_from_db()
    data = {
        "version": meeting.version,
        "title": "Item",
        "presenter": "",
        "paper_title": "A paper",
        "exemption": "",
        "equality_considerations": "",
    }
    data.update(extra)
    return client.post(reverse("governance:item_edit", args=[meeting.group.slug, meeting.pk, 1]), data)


@pytest.mark.parametrize(
    "name, content",
    [
        ("evil.pdf", b"<html><script>alert(document.cookie)</script></html>"),
        ("evil.html", b"%PDF-1.4 looks like a pdf"),
        ("evil.pdf.exe", b"MZ\x90\x00"),
        ("evil.svg", b"<svg onload=alert(1)></svg>"),
        ("evil.docx", b"not a zip at all"),
        ("../../etc/passwd.pdf", b"<html></html>"),
    ],
)
def test_bad_papers_are_refused_and_nothing_stored(setup, name, content):
    client, meeting = setup
    response = _item_post(client, meeting, paper=SimpleUploadedFile(name, content, content_type="application/pdf"))
    assert response.status_code in (200, 400)
    item = AgendaItem.objects.get(meeting=meeting, number=1)
    assert not item.paper and item.title != "Item"


def test_a_too_big_paper_is_refused(setup, settings):
    client, meeting = setup
    settings.DOCUMENT_MAX_BYTES = 1024
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * 5000, content_type="application/pdf")
    response = _item_post(client, meeting, paper=big)
    assert response.status_code in (200, 400, 413)
    assert not AgendaItem.objects.get(meeting=meeting, number=1).paper


def test_a_pdf_paper_is_served_as_an_attachment_never_inline_html(setup):
    client, meeting = setup
    _item_post(client, meeting, paper=SimpleUploadedFile("p.pdf", b"%PDF-1.4 ok", content_type="text/html"))
    item = AgendaItem.objects.get(meeting=meeting, number=1)
    assert item.paper
    response = client.get(reverse("governance:item_paper", args=[meeting.group.slug, meeting.pk, 1]))
    assert response["Content-Disposition"].startswith("attachment")
    assert "html" not in response["Content-Type"]
    assert response.get("X-Content-Type-Options") == "nosniff"


@pytest.mark.parametrize(
    "field, value",
    [
        ("title", "T" * 301),
        ("presenter", "P" * 201),
        ("paper_title", "X" * 301),
        ("exemption", "E" * 301),
        ("title", "bad\x00title"),
        ("presenter", "nul\x00"),
    ],
)
def test_over_long_and_nul_item_fields_are_refused(setup, field, value):
    client, meeting = setup
    before = AgendaItem.objects.get(meeting=meeting, number=1).title
    response = _item_post(client, meeting, **{"paper_title": "", field: value})
    assert response.status_code in (200, 400)
    assert AgendaItem.objects.get(meeting=meeting, number=1).title == before


def test_over_long_member_fields_are_refused_with_the_limit_named(setup, havering_board):
    client, _meeting = setup
    url = reverse("governance:member_new", args=[havering_board.slug])
    for field, value, limit in (
        ("name", "N" * 151, "150"),
        ("title", "T" * 201, "200"),
        ("organisation", "O" * 201, "200"),
        ("email", "a" * 250 + "@x.org", "254"),
    ):
        data = {"name": "Someone", "office": "member", "sector": "other", field: value}
        response = client.post(url, data)
        assert response.status_code in (200, 400) and limit in response.content.decode(), field
    assert not Member.objects.filter(group=havering_board).exists()


def test_nul_in_member_name_is_refused(setup, havering_board):
    client, _meeting = setup
    response = client.post(
        reverse("governance:member_new", args=[havering_board.slug]),
        {"name": "Nul\x00Person", "office": "member", "sector": "other"},
    )
    assert response.status_code in (200, 400)
    assert not Member.objects.filter(group=havering_board).exists()


def test_stale_action_edit_is_refused(setup, havering_board):
    client, meeting = setup
    url = reverse("governance:action_new", args=[havering_board.slug]) + f"?meeting={meeting.pk}"
    data = {"item": "", "text": "Circulate the paper", "owner": "Clerk", "deadline": "2026-03-31"}
    client.post(url, data)
    assert Action.objects.filter(meeting=meeting).count() == 1
    action = Action.objects.filter(meeting=meeting).first()
    edit = reverse("governance:action_edit", args=[havering_board.slug, action.pk])
    ok = {"item": "", "text": "First edit", "owner": "Clerk", "deadline": "", "version": action.version}
    client.post(edit, ok)
    stale = {**ok, "text": "Stale edit"}
    client.post(edit, stale)
    assert Action.objects.get(pk=action.pk).text == "First edit"


def test_double_submit_of_a_new_meeting_does_not_make_two(setup, havering_board):
    client, _meeting = setup
    url = reverse("governance:meeting_new", args=[havering_board.slug])
    data = {"date": "2026-09-09", "place": "Town Hall", "items": "3"}
    client.post(url, data)
    client.post(url, data)
    assert Meeting.objects.filter(group=havering_board, date=dt.date(2026, 9, 9)).count() == 1


def test_removing_a_member_keeps_interests_declared_in_the_minutes(setup, havering_board):
    from vrhub.governance.models import Interest

    client, meeting = setup
    member = f.MemberFactory(group=havering_board, name="Declares Interest")
    item = meeting.items.get(number=1)
    Interest.objects.create(member=member, item=item, description="Trustee of a bidder", declared_on=meeting.date)
    Meeting.objects.filter(pk=meeting.pk).update(minutes_approved_on=dt.date(2026, 4, 1))
    client.post(reverse("governance:member_remove", args=[havering_board.slug, member.pk]))
    assert Interest.objects.filter(item=item, description="Trustee of a bidder").exists()


def test_action_update_reported_to_another_groups_meeting_is_refused(setup, havering_board, lambeth_board):
    from vrhub.governance.models import ActionUpdate

    client, meeting = setup
    action = f.ActionFactory(meeting=meeting)
    other = f.meeting_with_items(group=lambeth_board, date=dt.date(2026, 6, 1))
    earlier = f.meeting_with_items(group=havering_board, date=dt.date(2025, 6, 1))
    url = reverse("governance:action_update", args=[havering_board.slug, action.pk])
    for forged in (other.pk, earlier.pk, meeting.pk, 2**63):
        data = {
            "update": "Done",
            "status": "ongoing",
            "written_on": "",
            "completed_on": "",
            "reported_at": forged,
            "version": action.version,
        }
        response = client.post(url, data)
        assert response.status_code in (200, 400), forged
    assert not ActionUpdate.objects.filter(action=action).exists()
    for fmt in ("../../etc", "html", "PDF", "pdf%00"):
        assert client.get(f"/governance/{havering_board.slug}/actions/report/{fmt}/").status_code == 404, fmt
