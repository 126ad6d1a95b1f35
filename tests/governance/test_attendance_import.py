"""Importing a meeting's attendance (services.attendance_import, the upload → preview → confirm pages): every
problem named by sheet/row/column or line/column, nothing saved unless every row is right."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from tests.governance import factories as f
from tests.governance.attendance_world import ATTENDANCE_CSV, prg_meeting
from vrhub.governance.models import AttendanceRecord
from vrhub.governance.services.attendance import Entry, attendance_save
from vrhub.governance.services.attendance_import import attendance_import_preview
from vrhub.governance.tables import TableRefused

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(prg):
    return prg_meeting(prg)


def _xlsx(rows, title="Attendance") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _refused(meeting, content: bytes, filename="attendance.csv") -> list[str]:
    with pytest.raises(TableRefused) as caught:
        attendance_import_preview(meeting=meeting, filename=filename, content=content)
    return caught.value.errors


def test_the_seed_file_previews_every_member_matched_ignoring_case_and_spaces(meeting):
    preview = attendance_import_preview(meeting=meeting, filename="a.csv", content=ATTENDANCE_CSV.read_bytes())
    assert len(preview.rows) == 9
    by_name = {r.name: r for r in preview.rows}
    assert by_name["Councils Person"].row == 5  # "councils person " on line 5
    assert by_name["Community Person"].after == "Remote (telephone or video), left after item 2"
    assert by_name["Community Person"].before == "Not recorded"
    assert (preview.recorded, preview.unchanged, preview.members) == (9, 0, 9)
    assert preview.not_in_file == []
    assert AttendanceRecord.objects.count() == 0  # a preview writes nothing


def test_members_not_in_the_file_are_left_as_they_are_and_named(meeting, vru_clerk):
    gamma = meeting.group.members.get(name="Member Gamma")
    attendance_save(meeting=meeting, user=vru_clerk, rows=[Entry(member=gamma.pk, attendance="apologies")], version=1)
    meeting.refresh_from_db()
    preview = attendance_import_preview(
        meeting=meeting, filename="a.csv", content=b"name,attendance\nChair Person,present\nMember Gamma,apologies\n"
    )
    assert [(r.name, r.changed) for r in preview.rows] == [("Chair Person", True), ("Member Gamma", False)]
    assert (preview.recorded, preview.unchanged) == (1, 8)
    assert "Member Gamma" not in preview.not_in_file and len(preview.not_in_file) == 7
    attendance_save(meeting=meeting, user=vru_clerk, rows=preview.entries, version=preview.version)
    assert dict(AttendanceRecord.objects.values_list("member__name", "attendance")) == {
        "Chair Person": "present",
        "Member Gamma": "apologies",
    }


def test_every_problem_is_named_by_line_and_column(meeting, havering_board):
    f.MemberFactory(group=havering_board, name="Borough Person")
    content = (
        b"name,attendance,left_after_item\n"
        b"Chair Person,present,\n"
        b"Nobody Known,present,\n"  # line 3: not a member
        b"CHAIR PERSON,remote,\n"  # line 4: twice
        b"Police Person,late,\n"  # line 5: bad code
        b"Health Person,remote,7\n"  # line 6: no item 7
        b"Community Person,remote,two\n"  # line 7: not a whole number
        b"Member Alpha,apologies,2\n"  # line 8: left without taking part
        b"Borough Person,present,\n"  # line 9: another group's member
        b"Former Member,present,\n"  # line 10: not in office on the date
        b"Member Beta,remote,2.5\n"  # line 11: not whole
    )
    assert _refused(meeting, content) == [
        "Line 3, column 1 (name): Nobody Known is not a member of Partnership Reference Group. Check the spelling "
        "against the membership list; the import never adds members.",
        "Line 4, column 1 (name): Chair Person is listed twice (also on line 2).",
        "Line 5, column 2 (attendance): the attendance is 'late'; it must be one of present, remote, apologies, "
        "absent.",
        "Line 6, column 3 (left_after_item): item 7 is not an item of this meeting (its items are 1 to 6).",
        "Line 7, column 3 (left_after_item): 'two' is not a whole number (an agenda item's number).",
        "Line 8, column 3 (left_after_item): the member's attendance is apologies, so they cannot have left after "
        "an item; leave left_after_item empty.",
        "Line 9, column 1 (name): Borough Person is not a member of Partnership Reference Group. Check the "
        "spelling against the membership list; the import never adds members.",
        "Line 10, column 1 (name): Former Member is a member of Partnership Reference Group but not in office on "
        "6 March 2019.",
        "Line 11, column 3 (left_after_item): '2.5' is not a whole number (an agenda item's number).",
    ]


def test_xlsx_problems_name_sheet_row_and_column(meeting):
    content = _xlsx(
        [
            ["Name", "Attendance", "Left after item"],
            ["Chair Person", "present", None],
            ["Who", "", 0],
            ["chair person", "absent", None],
        ]
    )
    assert _refused(meeting, content, "attendance.xlsx") == [
        "Sheet Attendance, row 3, column A (name): Who is not a member of Partnership Reference Group. Check the "
        "spelling against the membership list; the import never adds members.",
        "Sheet Attendance, row 3, column B (attendance): the attendance is empty; it must be one of present, "
        "remote, apologies, absent.",
        "Sheet Attendance, row 3, column C (left_after_item): item 0 is not an item of this meeting (its items "
        "are 1 to 6).",
        "Sheet Attendance, row 4, column A (name): Chair Person is listed twice (also on row 2).",
    ]


def test_a_crafted_workbook_is_refused_not_evaluated(meeting):
    book = Workbook()
    sheet = book.active
    sheet.title = "Attendance"
    sheet.append(["name", "attendance"])
    sheet.append(["Chair Person", '=HYPERLINK("http://evil.example","present")'])
    out = io.BytesIO()
    book.save(out)
    errors = _refused(meeting, out.getvalue(), "attendance.xlsx")
    assert errors == ["Sheet Attendance, row 2, column B holds a formula: type the value instead."]
    assert _refused(meeting, b"PK\x03\x04 not really a zip", "attendance.xlsx")  # damaged
    macro = io.BytesIO()
    with zipfile.ZipFile(macro, "w") as archive, zipfile.ZipFile(io.BytesIO(out.getvalue())) as source:
        for name in source.namelist():
            archive.writestr(name, source.read(name))
        archive.writestr("xl/vbaProject.bin", b"macro")
    assert _refused(meeting, macro.getvalue(), "attendance.xlsx")
    assert AttendanceRecord.objects.count() == 0


def test_oversize_and_too_many_rows_are_refused_naming_the_limit(meeting, settings):
    settings.DOCUMENT_MAX_BYTES = 1024
    assert _refused(meeting, b"name,attendance\n" + b"Chair Person,present\n" * 100) == [
        "The file is larger than the 1 KB limit."
    ]
    settings.DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
    assert _refused(meeting, b"name,attendance\n" + b"Chair Person,present\n" * 201) == [
        "The file has 201 rows below the header; the limit is 200."
    ]


def test_a_header_without_rows_is_refused(meeting):
    assert _refused(meeting, b"name,attendance\n") == ["The file has a header row but no members below it."]


# The pages ---------------------------------------------------------------------------------------------


def _url(meeting, name):
    return reverse(f"governance:{name}", args=[meeting.group.slug, meeting.pk])


def _upload(client, meeting, content: bytes, name="attendance.csv"):
    return client.post(_url(meeting, "attendance_import"), {"file": SimpleUploadedFile(name, content)})


def test_upload_preview_confirm_saves_all_rows(client, meeting, vru_clerk):
    client.force_login(vru_clerk)
    preview = _upload(client, meeting, ATTENDANCE_CSV.read_bytes())
    html = preview.content.decode()
    assert "Saving records the attendance of all 9 members in office." in html
    assert AttendanceRecord.objects.count() == 0
    response = client.post(_url(meeting, "attendance_import_confirm"))
    assert response.status_code == 302 and response["Location"] == _url(meeting, "quorum")
    assert AttendanceRecord.objects.filter(meeting=meeting).count() == 9
    assert AttendanceRecord.objects.get(member__name="Community Person").left_after_item == 2


def test_a_refused_file_lists_every_problem_and_saves_nothing(client, meeting, vru_clerk):
    client.force_login(vru_clerk)
    html = _upload(client, meeting, b"name,attendance\nChair Person,present\nNobody,present\n").content.decode()
    assert "The file was not imported: 1 problem to put right" in html
    assert "Line 3, column 1 (name): Nobody is not a member" in html
    assert "Save this attendance" not in html
    assert client.post(_url(meeting, "attendance_import_confirm")).status_code == 302
    assert AttendanceRecord.objects.count() == 0  # no preview was kept, so the confirm saved nothing


def test_confirm_is_refused_when_the_attendance_changed_since_the_preview(client, meeting, vru_clerk):
    client.force_login(vru_clerk)
    _upload(client, meeting, ATTENDANCE_CSV.read_bytes())
    beta = meeting.group.members.get(name="Member Beta")
    attendance_save(meeting=meeting, user=vru_clerk, rows=[Entry(member=beta.pk, attendance="present")], version=1)
    response = client.post(_url(meeting, "attendance_import_confirm"), follow=True)
    assert "Someone changed this meeting&#x27;s attendance after you opened it" in response.content.decode()
    assert dict(AttendanceRecord.objects.values_list("member__name", "attendance")) == {"Member Beta": "present"}


def test_cancel_saves_nothing(client, meeting, vru_clerk):
    client.force_login(vru_clerk)
    _upload(client, meeting, ATTENDANCE_CSV.read_bytes())
    client.post(_url(meeting, "attendance_import_confirm"), {"cancel": "1"})
    assert client.post(_url(meeting, "attendance_import_confirm")).status_code == 302
    assert AttendanceRecord.objects.count() == 0


def test_an_upload_over_the_limit_names_the_limit(client, meeting, vru_clerk, settings):
    settings.DOCUMENT_MAX_BYTES = 1024
    client.force_login(vru_clerk)
    html = _upload(client, meeting, b"name,attendance\n" + b"x" * 5000).content.decode()
    assert "The selected file must be smaller than 1 KB" in html
