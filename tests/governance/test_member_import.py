"""The membership import: every kind of problem named with its sheet/row/column or line/column, nothing
saved unless all is right, the preview (added, changed, leaving; the share before and after), the save
(audited, refused if the membership changed), the command and the pages."""

import datetime as dt
import io
import json
from fractions import Fraction

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from tests.governance import factories as f
from vrhub.core.models import AuditEntry
from vrhub.governance.catalogue import Sector
from vrhub.governance.models import MEMBERS_MAX, Interest, Member
from vrhub.governance.selectors.members import membership_fingerprint
from vrhub.governance.services import members as member_services
from vrhub.governance.services.member_import import ImportRefused, member_import_preview, member_import_save

pytestmark = pytest.mark.django_db

HEADER = "name,office,sector,quorum_role,organisation,term_start,term_end"
# The prg fixture's six members, Health Person left out, two new community members, the Chair's organisation
# changed: Health Person leaves.
GOOD = "\n".join(
    [
        HEADER,
        "Chair Person,chair,local_government,chair,Greater London Authority,2018-01-01,",
        "Deputy Person,Deputy Chair,police,deputy_chair,An organisation,2018-01-01,",
        "Police Person,member,police,police,An organisation,2018-01-01,",
        "Councils Person,member,london_councils,london_councils,An organisation,2018-01-01,",
        "Community Person,member,community,community,An organisation,2018-01-01,",
        "New Voice,member,Voluntary and community sector,,Youth charity,6/3/2019,",
        "Second Voice,adviser,community,,Faith network,2019-03-06,2030-03-05",
    ]
).encode()


def _csv(*lines: str) -> bytes:
    return "\n".join([HEADER, *lines]).encode()


def _refused(group, content: bytes, filename: str = "members.csv") -> list[str]:
    with pytest.raises(ImportRefused) as caught:
        member_import_preview(group=group, filename=filename, content=content)
    return caught.value.errors


def _rows(group):
    return sorted(Member.objects.filter(group=group).values_list(*[f.name for f in Member._meta.fields]))


def test_preview_says_who_is_added_changed_and_leaves(prg):
    before = _rows(prg)
    preview = member_import_preview(group=prg, filename="members.csv", content=GOOD)
    assert [r.name for r in preview.added] == ["New Voice", "Second Voice"]
    assert preview.added[0].values["sector"] == Sector.COMMUNITY
    assert preview.added[0].values["term_start"] == dt.date(2019, 3, 6)
    # Deputy Person's row gives "Deputy Chair" (a label) and the same values as now: unchanged.
    assert {c.row.name: set(c.changes) for c in preview.changed} == {"Chair Person": {"organisation"}}
    assert {r.name for r in preview.unchanged} == {
        "Deputy Person",
        "Police Person",
        "Councils Person",
        "Community Person",
    }
    assert [(leaver.name, leaver.outcome) for leaver in preview.left] == [("Health Person", "deleted")]
    assert _rows(prg) == before  # a preview changes nothing


def test_preview_share_after_is_computed_from_the_file(prg):
    preview = member_import_preview(group=prg, filename="members.csv", content=GOOD)
    # Independently: the file's rows in office today, and of them the community ones.
    import csv

    today = timezone.localdate()
    rows = list(csv.DictReader(io.StringIO(GOOD.decode())))
    in_office = [r for r in rows if not r["term_end"] or dt.date.fromisoformat(r["term_end"]) >= today]
    community = [r for r in in_office if r["sector"].lower() in ("community", "voluntary and community sector")]
    assert (preview.share_after.members, preview.share_after.community) == (len(in_office), len(community))
    met = Fraction(len(community), len(in_office)) >= Fraction(30, 100)
    assert preview.share_after.met is met


def test_preview_share_after_leaves_out_rows_not_in_office_today(prg):
    """Rows whose term has ended, or not yet begun, are members of the file but not of today's share."""
    today = timezone.localdate()
    ended, starts = today - dt.timedelta(days=1), today + dt.timedelta(days=30)
    content = (
        GOOD
        + (
            f"\nPast Voice,member,community,,Old charity,2018-01-01,{ended.isoformat()}"
            f"\nFuture Voice,member,community,,New charity,{starts.isoformat()},"
        ).encode()
    )
    preview = member_import_preview(group=prg, filename="members.csv", content=content)
    assert {"Past Voice", "Future Voice"} <= {r.name for r in preview.added}
    # Worked by hand from GOOD: seven rows in office, three of them community (Community Person, New Voice,
    # Second Voice); the two rows above are not counted.
    assert (preview.share_after.members, preview.share_after.community) == (7, 3)


def test_a_save_that_fails_part_way_changes_nothing(prg, vru_clerk, monkeypatch):
    """Every change or none: the leaver, the change and the first new member are written before the second new
    member fails; all of it is undone."""
    from vrhub.governance.services import member_import

    before, audits = _rows(prg), AuditEntry.objects.count()
    preview = member_import_preview(group=prg, filename="members.csv", content=GOOD)
    real, calls = member_import.audit_created, []

    def fail_on_the_second(**kwargs):
        calls.append(kwargs["obj"].name)
        if len(calls) == 2:
            raise RuntimeError("the disk is full")
        return real(**kwargs)

    monkeypatch.setattr(member_import, "audit_created", fail_on_the_second)
    with pytest.raises(RuntimeError):
        member_import_save(preview=preview, user=vru_clerk)
    assert calls == ["New Voice", "Second Voice"]  # the failure came after writes
    assert _rows(prg) == before
    assert AuditEntry.objects.count() == audits


def test_save_applies_everything_and_audits(prg, vru_clerk):
    attended = prg.members.get(name="Councils Person")
    leaving = prg.members.get(name="Health Person")
    f.AttendanceFactory(member=leaving, meeting=f.MeetingFactory(group=prg))
    Interest.objects.create(member=attended, description="Trustee", declared_on=dt.date(2025, 1, 1))
    preview = member_import_preview(group=prg, filename="members.csv", content=GOOD)
    assert [(leaver.name, leaver.outcome) for leaver in preview.left] == [("Health Person", "ended")]
    member_import_save(preview=preview, user=vru_clerk)
    today = timezone.localdate()
    leaving.refresh_from_db()
    assert leaving.term_end == today - dt.timedelta(days=1)  # not in office from the import date
    assert prg.members.get(name="Chair Person").organisation == "Greater London Authority"
    added = prg.members.get(name="New Voice")
    assert (added.office, added.sector, added.term_start) == ("member", "community", dt.date(2019, 3, 6))
    assert AuditEntry.objects.filter(object_type="governance.member", object_id=str(added.pk), action="create").exists()
    entry = AuditEntry.objects.get(
        object_type="governance.member", object_id=str(prg.members.get(name="Chair Person").pk), field="organisation"
    )
    assert (entry.old, entry.new, entry.actor_id) == ("An organisation", "Greater London Authority", vru_clerk.pk)
    assert attended.interests.count() == 1  # a member still named keeps their interests


def test_a_past_member_named_again_rejoins(prg, vru_clerk):
    gone = f.MemberFactory(group=prg, name="Returning Person", sector=Sector.YOUTH, term_end=dt.date(2020, 1, 1))
    lines = [f"{m.name},{m.office},{m.sector}" for m in prg.members.exclude(pk=gone.pk)] + [
        "returning person,member,youth"
    ]
    preview = member_import_preview(
        group=prg, filename="m.csv", content="\n".join(["name,office,sector", *lines]).encode()
    )
    assert [(c.row.name, c.changes) for c in preview.changed] == [
        (
            "returning person",
            {"name": ("Returning Person", "returning person"), "term_end": (dt.date(2020, 1, 1), None)},
        )
    ]
    member_import_save(preview=preview, user=vru_clerk)
    gone.refresh_from_db()
    assert gone.term_end is None and gone.in_office_on(timezone.localdate())


def test_save_refused_if_membership_changed_since_preview(prg, vru_clerk):
    preview = member_import_preview(group=prg, filename="members.csv", content=GOOD)
    member_services.member_add(
        group=prg, user=vru_clerk, data={"name": "Late Person", "office": "member", "sector": "other"}
    )
    before = _rows(prg)
    with pytest.raises(ValidationError) as caught:
        member_import_save(preview=preview, user=vru_clerk)
    assert "membership changed since this list was checked" in caught.value.messages[0]
    assert _rows(prg) == before


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Bad Office,chiar,police,,,,", "Line 2, column 2 (office): 'chiar' is not an office"),
        ("Bad Sector,member,polise,,,,", "Line 2, column 3 (sector): 'polise' is not a sector"),
        ("Bad Role,member,police,mayor,,,", "Line 2, column 4 (quorum_role): 'mayor' is not a role in the quorum"),
        (",member,police,,,,", "Line 2, column 1 (name): enter the member's name."),
        ("No Office,,police,,,,", "Line 2, column 2 (office): enter the office."),
        ("Bad Date,member,police,,,2019-02-30,", "Line 2, column 6 (term_start): '2019-02-30' is not a date"),
        ("Bad Date,member,police,,,,March 2019", "Line 2, column 7 (term_end): 'March 2019' is not a date"),
        ("Old Date,member,police,,,1901-01-01,", "Line 2, column 6 (term_start): 1 January 1901 is outside"),
        (
            "Backwards,member,police,,,2020-01-01,2019-12-31",
            "Line 2, column 7 (term_end): the term ends (31 December 2019) before it starts (1 January 2020).",
        ),
        ("N" * 151 + ",member,police,,,,", "Line 2, column 1 (name): the name has 151 characters; the limit is 150."),
        ("Long Org,member,police,," + "o" * 201 + ",,", "Line 2, column 5 (organisation): the organisation has 201"),
        ('=HYPERLINK("http://x"),member,police,,,,', "Line 2, column 1 (name) looks like a formula"),
        ("@SUM(A1),member,police,,,,", "Line 2, column 1 (name) looks like a formula"),
    ],
)
def test_every_bad_cell_named_by_line_and_column(prg, line, expected):
    before = _rows(prg)
    errors = _refused(prg, _csv(line))
    assert any(expected in e for e in errors), errors
    assert _rows(prg) == before


def test_duplicate_names_name_both_rows(prg):
    errors = _refused(prg, _csv("Same Name,member,police,,,,", "same name,member,health,,,,"))
    assert errors == ["Line 3, column 1 (name): 'same name' is named twice (also row 2); each member once."]


def test_every_problem_reported_at_once(prg):
    errors = _refused(prg, _csv("A,chiar,police,,,,", "B,member,polise,,,,", "C,member,police,,,2019-13-01,"))
    assert [e.split(":")[0] for e in errors] == [
        "Line 2, column 2 (office)",
        "Line 3, column 3 (sector)",
        "Line 4, column 6 (term_start)",
    ]


def test_header_problems(prg):
    assert "has no column 'sector'" in _refused(prg, b"name,office\nA,member\n")[0]
    extra = _refused(prg, b"name,office,sector,phone\nA,member,police,0207\n")
    assert "column 'phone' this import does not take" in extra[0]


def test_empty_and_header_only_files(prg):
    assert _refused(prg, b"") == ["The file is empty."]
    assert "names no members" in _refused(prg, (HEADER + "\n").encode())[0]


def test_too_many_rows(prg):
    lines = [f"Person {n},member,other,,,," for n in range(MEMBERS_MAX + 1)]
    errors = _refused(prg, _csv(*lines))
    assert errors == [f"The file has {MEMBERS_MAX + 1:,} rows below the header; the limit is {MEMBERS_MAX:,}."]


def test_oversize_file(prg, settings):
    settings.DOCUMENT_MAX_BYTES = 1000
    errors = _refused(prg, _csv(*[f"Person {n},member,other,,,," for n in range(60)]))
    assert errors == ["The file is larger than the 1,000 bytes limit."]


def test_csv_with_bom_and_crlf(prg):
    content = b"\xef\xbb\xbf" + GOOD.replace(b"\n", b"\r\n")
    preview = member_import_preview(group=prg, filename="members.csv", content=content)
    assert [r.name for r in preview.added] == ["New Voice", "Second Voice"]


def _xlsx(rows, *, title="Members") -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_xlsx_with_date_cells_and_errors_named_by_sheet_row_column(prg):
    # Columns in another order: the header names them.
    header = ["office", "name", "sector", "term_start"]
    good = _xlsx([header, ["chair", "Chair Person", "local_government", dt.datetime(2018, 1, 1)]])
    preview = member_import_preview(group=prg, filename="list.xlsx", content=good)
    assert preview.added == [] and [leaver.name for leaver in preview.left] == sorted(
        ["Deputy Person", "Police Person", "Councils Person", "Health Person", "Community Person"]
    )
    bad = _xlsx([header, ["chair", "Chair Person", "local_government", None], ["member", "X", "spaceship", None]])
    errors = _refused(prg, bad, "list.xlsx")
    assert errors == [
        "Sheet Members, row 3, column C (sector): 'spaceship' is not a sector; use one of police (Police), "
        "local_government (Local government), london_councils (London Councils), health (Health), "
        "education (Education), probation (Probation), community (Voluntary and community sector), "
        "youth (Youth), funders (Funders), other (Other)."
    ]


def test_xlsx_formula_cell_refused(prg):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Members"
    sheet.append(["name", "office", "sector"])
    sheet.append(["A", "member", "police"])
    sheet["A3"] = '=CONCAT("B","C")'
    sheet["B3"], sheet["C3"] = "member", "police"
    out = io.BytesIO()
    book.save(out)
    errors = _refused(prg, out.getvalue(), "list.xlsx")
    assert errors == ["Sheet Members, row 3, column A holds a formula: type the value instead."]


def test_a_file_that_is_not_a_workbook(prg):
    errors = _refused(prg, b"PK\x03\x04not really a zip", "list.xlsx")
    assert len(errors) == 1 and "xlsx" in errors[0].lower()


# The command -----------------------------------------------------------------------------------------


def _write(tmp_path, content: bytes, name="members.csv"):
    path = tmp_path / name
    path.write_bytes(content)
    return str(path)


def test_command_json_preview_saves_nothing_without_yes(prg, tmp_path):
    out = io.StringIO()
    before = _rows(prg)
    call_command("import_members", _write(tmp_path, GOOD), "--group", "prg", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["group"] == "prg" and data["saved"] is False and data["synthetic"] is False
    assert [a["name"] for a in data["added"]] == ["New Voice", "Second Voice"]
    assert data["left"] == [{"name": "Health Person", "outcome": "deleted", "term_end": None}]
    assert _rows(prg) == before


def test_command_yes_saves(prg, tmp_path):
    out = io.StringIO()
    call_command("import_members", _write(tmp_path, GOOD), "--group", "prg", "--json", "--yes", stdout=out)
    assert json.loads(out.getvalue())["saved"] is True
    assert set(prg.members.values_list("name", flat=True)) == {
        "Chair Person",
        "Deputy Person",
        "Police Person",
        "Councils Person",
        "Community Person",
        "New Voice",
        "Second Voice",
    }


def test_command_text_output_in_words(prg, tmp_path):
    out = io.StringIO()
    call_command("import_members", _write(tmp_path, GOOD), "--group", "prg", stdout=out)
    text = out.getvalue()
    assert "2 members added, 1 member changed, 1 member leaving" in text
    assert "Health Person: deleted (never attended a meeting)" in text
    assert "Nothing was saved (run again with --yes to save)." in text
    assert "community" not in text.replace("community member", "").replace("community sector", "")


def test_command_errors_as_json_exit_2(prg, tmp_path):
    out = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command(
            "import_members", _write(tmp_path, _csv("A,chiar,police,,,,")), "--group", "prg", "--json", stdout=out
        )
    assert caught.value.returncode == 2
    data = json.loads(out.getvalue())
    assert list(data) == ["errors"] and data["errors"][0].startswith("Line 2, column 2 (office)")


def test_command_unknown_group_and_file(prg, tmp_path):
    with pytest.raises(CommandError) as caught:
        call_command("import_members", _write(tmp_path, GOOD), "--group", "nope")
    assert str(caught.value) == "No group has the slug 'nope'"
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_members", str(tmp_path / "missing.csv"), "--group", "prg")


def test_command_oversize_file(prg, tmp_path, settings):
    settings.DOCUMENT_MAX_BYTES = 100
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_members", _write(tmp_path, GOOD), "--group", "prg", "--json", stdout=out)
    assert json.loads(out.getvalue()) == {"errors": ["members.csv: the file is larger than the 100 bytes limit."]}


# The pages -------------------------------------------------------------------------------------------


def _upload(client, content: bytes, name="members.csv", slug="prg"):
    return client.post(reverse("governance:members_import", args=[slug]), {"file": SimpleUploadedFile(name, content)})


def test_upload_preview_confirm(client, vru_clerk, prg):
    client.force_login(vru_clerk)
    response = _upload(client, GOOD)
    page = response.content.decode()
    assert response.status_code == 200
    assert "New Voice" in page and "Voluntary and community sector" in page
    assert "Deleted, with their substitutes and interests" in page
    assert "Community share after the import" in page
    token = response.context["token"]
    fingerprint = response.context["preview"].fingerprint
    response = client.post(
        reverse("governance:members_import_confirm", args=["prg"]), {"token": token, "fingerprint": fingerprint}
    )
    assert response.status_code == 302
    assert prg.members.filter(name="New Voice").exists() and not prg.members.filter(name="Health Person").exists()
    # The kept upload is used once.
    response = client.post(
        reverse("governance:members_import_confirm", args=["prg"]), {"token": token, "fingerprint": fingerprint}
    )
    assert response.status_code == 302 and response["Location"].endswith("/members/import/")


def test_upload_errors_listed_and_nothing_saved(client, vru_clerk, prg):
    client.force_login(vru_clerk)
    before = _rows(prg)
    response = _upload(client, _csv("A,chiar,police,,,,", "B,member,polise,,,,"))
    page = response.content.decode()
    assert response.status_code == 400
    assert "2 problems" in page and "Line 2, column 2 (office)" in page and "Line 3, column 3 (sector)" in page
    assert _rows(prg) == before


def test_confirm_refused_when_membership_changed(client, vru_clerk, prg):
    client.force_login(vru_clerk)
    response = _upload(client, GOOD)
    token, fingerprint = response.context["token"], response.context["preview"].fingerprint
    f.MemberFactory(group=prg, name="Sneaked In")
    assert membership_fingerprint(group=prg) != fingerprint
    before = _rows(prg)
    response = client.post(
        reverse("governance:members_import_confirm", args=["prg"]),
        {"token": token, "fingerprint": fingerprint},
        follow=True,
    )
    assert "membership changed since you checked this list" in response.content.decode()
    assert _rows(prg) == before


def test_cancel_saves_nothing(client, vru_clerk, prg):
    client.force_login(vru_clerk)
    response = _upload(client, GOOD)
    before = _rows(prg)
    client.post(
        reverse("governance:members_import_confirm", args=["prg"]),
        {"token": response.context["token"], "fingerprint": response.context["preview"].fingerprint, "cancel": "1"},
    )
    assert _rows(prg) == before


def test_lookers_cannot_import(client, mopac_officer, prg):
    client.force_login(mopac_officer)
    assert _upload(client, GOOD).status_code == 403
