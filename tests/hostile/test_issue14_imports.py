"""Break-it pass on issue 14: crafted membership and attendance files (services, pages, confirm steps)."""
# ruff: noqa: F811

import datetime as dt
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from tests.factories import UserFactory
from tests.governance import factories as f
from tests.governance.conftest import havering_board, lambeth, lambeth_board, prg, vru_clerk  # noqa: F401
from vrhub.accounts.models import User
from vrhub.governance.models import AttendanceRecord, Member
from vrhub.governance.services.attendance_import import attendance_import_preview
from vrhub.governance.services.member_import import ImportRefused, member_import_preview
from vrhub.governance.tables import TableRefused
from vrhub.organisations.models import Organisation

pytestmark = pytest.mark.django_db

HEADER = "name,office,sector,quorum_role,organisation,term_start,term_end\n"


def _xlsx(sheets: dict, ext_macro=False) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _members_refused(group, content, filename="members.csv") -> str:
    with pytest.raises((ImportRefused, TableRefused)) as caught:
        member_import_preview(group=group, filename=filename, content=content)
    return " ".join(caught.value.errors)


@pytest.fixture
def meeting(prg):
    return f.meeting_with_items(group=prg, date=dt.date(2026, 3, 6), items=3)


def _attendance_refused(meeting, content, filename="a.csv") -> str:
    with pytest.raises(TableRefused) as caught:
        attendance_import_preview(meeting=meeting, filename=filename, content=content)
    return " ".join(caught.value.errors)


# --- Membership --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "row, words",
    [
        ("A Person,member,other,,Org,31/02/2020,", "not a date"),
        ("A Person,member,other,,Org,2020-02-31,", "not a date"),
        ("A Person,member,other,,Org,2021-01-01,2020-01-01", "before it starts"),
        ("A Person,king,other,,Org,,", "office"),
        ("A Person,member,<script>,,Org,,", "sector"),
        ("A Person,member,other,mayor,Org,,", "quorum"),
        ('=HYPERLINK("x"),member,other,,Org,,', "formula"),
        ("A Person,member,other,,@SUM(1),,", "formula"),
        ("A Person,member,other,,Org,0001-01-01,", "outside"),
        ("A Person,member,other,,Org,,99999-01-01", "not a date"),
        ("A Person,member,other,,Org,1/1/2020 junk,", "not a date"),
    ],
)
def test_member_rows_refused_with_the_place_named(prg, row, words):
    errors = _members_refused(prg, (HEADER + row + "\n").encode())
    assert words in errors.lower() or words in errors
    assert "line 2" in errors.lower() or "row 2" in errors.lower()


def test_member_files_refused_whole(prg):
    before = list(Member.objects.order_by("pk").values())
    cases = {
        "nul": (HEADER + "A\x00B,member,other,,,,\n").encode(),
        "dup header": (b"name,name,office,sector\nA,B,member,other\n"),
        "huge cell": (HEADER + "A" * 5000 + ",member,other,,,,\n").encode(),
        "too many rows": (HEADER + "".join(f"P{n},member,other,,,,\n" for n in range(10_000))).encode(),
        "named twice": (HEADER + "A Person,member,other,,,,\na person ,member,health,,,,\n").encode(),
        "latin-1": (HEADER + "Ren\xe9,member,other,,,,\n").encode("latin-1"),
        "html as csv": b"<html><body><script>alert(1)</script></body></html>",
    }
    for label, content in cases.items():
        errors = _members_refused(prg, content)
        assert errors, label
    assert list(Member.objects.order_by("pk").values()) == before


def test_bom_header_is_read(prg):
    preview = member_import_preview(
        group=prg, filename="m.csv", content=("\ufeff" + HEADER + "New Person,member,other,,Org,,\n").encode()
    )
    assert [r.name for r in preview.added] == ["New Person"]


def test_hostile_workbooks_are_refused(prg):
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", "<a>" + "A" * 300_000_000 + "</a>")
    for filename, content in (
        ("bomb.xlsx", bomb.getvalue()),
        ("m.xlsm", _xlsx({"Members": [HEADER.strip().split(","), ["A", "member", "other"]]})),
        ("m.xlsx", b"PK\x03\x04 not really a zip"),
        ("m.xlsx", _xlsx({"Notes": [["Just notes"]], "Members": [HEADER.strip().split(",")]})),
        ("m.xls", b"\xd0\xcf\x11\xe0 old excel"),
        ("m.pdf", b"%PDF-1.4"),
    ):
        assert _members_refused(prg, content, filename), filename


def test_workbook_formula_cell_refused(prg):
    content = _xlsx({"Members": [HEADER.strip().split(","), ["=1+2", "member", "other"]]})
    errors = _members_refused(prg, content, "m.xlsx")
    assert "formula" in errors and "row 2" in errors


def test_two_members_of_one_group_cannot_share_a_name(prg):
    """Matching by name (imports) relies on names being unique in a group: the database refuses a second."""
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        f.MemberFactory(group=prg, name="Chair Person")


# --- Attendance ----------------------------------------------------------------------------------------


def test_unknown_members_left_after_item_and_twice_named_by_row(meeting):
    content = (
        b"name,attendance,left_after_item\n"
        b"Chair Person,present,\n"
        b"Nobody Known,present,\n"
        b"Police Person,remote,0\n"
        b"Health Person,remote,99\n"
        b"Councils Person,remote,3.5\n"
        b"chair person,present,\n"
        b"Deputy Person,teleported,\n"
        b"Deputy Person,apologies,1\n"
    )
    errors = _attendance_refused(meeting, content)
    assert "Line 3" in errors and "Nobody Known" in errors
    assert "Line 4" in errors and "Line 5" in errors and "Line 6" in errors
    assert "twice" in errors and "Line 7" in errors
    assert "Line 8" in errors and "Line 9" in errors
    assert AttendanceRecord.objects.count() == 0 and not Member.objects.filter(name="Nobody Known").exists()


@pytest.mark.parametrize("value", ["=1+2", "-1", "+2", "٣", "1e0", " 2 ", "2" * 400, "0x2"])
def test_left_after_item_crafted_numbers(meeting, value):
    content = f"name,attendance,left_after_item\nChair Person,remote,{value}\n".encode()
    if value.strip() == "2":
        preview = attendance_import_preview(meeting=meeting, filename="a.csv", content=content)
        assert preview.entries[0].left_after_item == 2
        return
    errors = _attendance_refused(meeting, content)
    assert "Line 2" in errors


def test_attendance_10000_rows_and_zip_bomb_refused_quickly(meeting):
    big = ("name,attendance\n" + "".join(f"P{n},present\n" for n in range(10_000))).encode()
    assert "limit" in _attendance_refused(meeting, big)
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", "<a>" + "A" * 300_000_000 + "</a>")
    assert _attendance_refused(meeting, bomb.getvalue(), "a.xlsx")


# --- Confirm steps (pages) ---------------------------------------------------------------------------------


def _editor(code="E09000016"):
    return UserFactory(organisation=Organisation.objects.get(code=code), role=User.Role.BOROUGH_EDITOR)


def _upload_members(client, slug, content=None):
    content = content or (HEADER + "New Person,member,other,,Org,,\n").encode()
    response = client.post(
        reverse("governance:members_import", args=[slug]), {"file": SimpleUploadedFile("m.csv", content)}
    )
    assert response.status_code == 200
    return response.context["token"], response.context["preview"].fingerprint


def test_a_members_preview_cannot_be_confirmed_on_another_group_or_by_another_user(client, havering_board, london):
    from vrhub.governance.services.groups import group_create  # noqa: F401  (import check only)

    editor = _editor()
    second = f.GroupFactory(owner=havering_board.owner, slug="havering-youth", name="Havering Youth Board")
    client.force_login(editor)
    token, fingerprint = _upload_members(client, havering_board.slug)
    # the same editor, the token on another of their groups
    client.post(
        reverse("governance:members_import_confirm", args=[second.slug]), {"token": token, "fingerprint": fingerprint}
    )
    assert not Member.objects.filter(name="New Person").exists()
    # another editor of the same borough, with the token and fingerprint
    other = _editor()
    other_client = client.__class__()
    other_client.force_login(other)
    other_client.post(
        reverse("governance:members_import_confirm", args=[havering_board.slug]),
        {"token": token, "fingerprint": fingerprint},
    )
    assert not Member.objects.filter(name="New Person").exists()
    # the first editor can still confirm on the right group (the token was not spent)
    client.post(
        reverse("governance:members_import_confirm", args=[havering_board.slug]),
        {"token": token, "fingerprint": fingerprint},
    )
    assert Member.objects.filter(name="New Person", group=havering_board).exists()


def test_a_members_preview_confirmed_after_the_membership_changed_saves_nothing(client, havering_board):
    client.force_login(_editor())
    token, fingerprint = _upload_members(client, havering_board.slug)
    f.MemberFactory(group=havering_board, name="Added Meanwhile")
    client.post(
        reverse("governance:members_import_confirm", args=[havering_board.slug]),
        {"token": token, "fingerprint": fingerprint},
    )
    assert not Member.objects.filter(name="New Person").exists()
    assert Member.objects.filter(name="Added Meanwhile").exists()


def test_attendance_preview_confirmed_after_the_sheet_changed_saves_nothing(client, havering_board):
    from vrhub.governance.services.attendance import Entry, attendance_save

    editor = _editor()
    member = f.MemberFactory(group=havering_board, name="Board Member")
    meeting = f.meeting_with_items(group=havering_board, date=dt.date(2026, 3, 6))
    client.force_login(editor)
    response = client.post(
        reverse("governance:attendance_import", args=[havering_board.slug, meeting.pk]),
        {"file": SimpleUploadedFile("a.csv", b"name,attendance\nBoard Member,present\n")},
    )
    assert response.status_code == 200 and response.context["preview"] is not None
    meeting.refresh_from_db()
    attendance_save(
        meeting=meeting, user=editor, rows=[Entry(member=member.pk, attendance="apologies")], version=meeting.version
    )
    client.post(reverse("governance:attendance_import_confirm", args=[havering_board.slug, meeting.pk]))
    assert AttendanceRecord.objects.get(meeting=meeting, member=member).attendance == "apologies"


def test_attendance_preview_of_one_meeting_cannot_be_confirmed_on_another(client, havering_board):
    editor = _editor()
    f.MemberFactory(group=havering_board, name="Board Member")
    one = f.meeting_with_items(group=havering_board, date=dt.date(2026, 3, 6))
    two = f.meeting_with_items(group=havering_board, date=dt.date(2026, 6, 6))
    client.force_login(editor)
    client.post(
        reverse("governance:attendance_import", args=[havering_board.slug, one.pk]),
        {"file": SimpleUploadedFile("a.csv", b"name,attendance\nBoard Member,present\n")},
    )
    client.post(reverse("governance:attendance_import_confirm", args=[havering_board.slug, two.pk]))
    assert not AttendanceRecord.objects.filter(meeting=two).exists()
