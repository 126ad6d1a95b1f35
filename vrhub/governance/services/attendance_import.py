"""Importing a meeting's attendance from a clerk's spreadsheet (CSV or XLSX), all or nothing (part C).

Columns: ``name`` and ``attendance`` (one of present, remote, apologies, absent), and optionally
``left_after_item`` (the number of the agenda item after which the member dropped out). Names are matched to
the members in office on the meeting's date, ignoring case and extra spaces. Everything wrong is refused
together, each problem named by its sheet/row/column or line/column: a name that is not a member (never
added), a member listed twice, an attendance code not in the list, a ``left_after_item`` that is not a whole
number or not an item of the meeting, or given for someone who did not take part.

Members of the group who are not in the file are **left as they are** (their attendance, if recorded, is kept;
if not, it stays not recorded): the preview names them. Saving goes through ``attendance_save`` with the
meeting's version read at the preview, so a save is refused if the attendance changed in between.
"""

from dataclasses import dataclass, field

from vrhub.core.words import date_words
from vrhub.governance.catalogue import ATTENDING, Attendance
from vrhub.governance.models import MEMBERS_MAX, Meeting
from vrhub.governance.selectors.attendance import in_office_order, items_words
from vrhub.governance.selectors.membership import members_in_office
from vrhub.governance.services.attendance import Entry
from vrhub.governance.tables import TableRefused, read_table

REQUIRED = ("name", "attendance")
OPTIONAL = ("left_after_item",)
CODES = (Attendance.PRESENT, Attendance.REMOTE, Attendance.APOLOGIES, Attendance.ABSENT)
CODES_WORDS = ", ".join(str(c.value) for c in CODES)


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _capital(text: str) -> str:
    return f"{text[:1].upper()}{text[1:]}"


def _words(attendance: str, left_after_item: int | None) -> str:
    if not attendance:
        return "Not recorded"
    text = Attendance(attendance).label
    return f"{text}, left after item {left_after_item}" if left_after_item is not None else text


@dataclass(frozen=True)
class PreviewRow:
    row: int  # the file's row (XLSX) or line (CSV)
    member: int
    name: str
    before: str  # the attendance recorded now, in words
    after: str  # the attendance the file gives, in words
    changed: bool


@dataclass
class ImportPreview:
    meeting: int
    version: int  # the meeting's version the preview was made at (the save is refused if it moved)
    members: int  # members in office on the meeting's date
    rows: list[PreviewRow]
    entries: list[Entry]
    not_in_file: list[str] = field(default_factory=list)  # members in office the file does not list

    @property
    def recorded(self) -> int:
        """Members whose attendance saving the file would record or change."""
        return sum(1 for r in self.rows if r.changed)

    @property
    def unchanged(self) -> int:
        """Members in office whose attendance stays as it is (listed as recorded already, or not listed)."""
        return self.members - self.recorded

    def session_data(self) -> dict:
        """What the confirm step needs, as JSON-safe data (member ids and codes, no names)."""
        return {
            "meeting": self.meeting,
            "version": self.version,
            "entries": [[e.member, e.attendance, e.left_after_item] for e in self.entries],
        }

    @staticmethod
    def entries_from_session(data: dict) -> list[Entry]:
        return [
            Entry(member=int(member), attendance=str(attendance), left_after_item=left)
            for member, attendance, left in data.get("entries", [])
        ]


def attendance_import_preview(*, meeting: Meeting, filename: str, content: bytes) -> ImportPreview:
    """Read an attendance file for ``meeting`` and say what saving it would change; writes nothing.

    Raises ``TableRefused`` listing every problem, each with its sheet/row/column or line/column."""
    table = read_table(filename=filename, content=content, required=REQUIRED, optional=OPTIONAL, max_rows=MEMBERS_MAX)
    in_office = list(in_office_order(members_in_office(group=meeting.group, on=meeting.date)))
    by_key = {_key(m.name): m for m in in_office}
    others = {_key(m.name) for m in meeting.group.members.all()} - set(by_key)
    items = sorted(meeting.items.values_list("number", flat=True))
    records = {r.member_id: r for r in meeting.attendance.all()}
    errors: list[str] = []
    seen: dict[int, str] = {}  # member -> "row 3" or "line 3", where first listed
    rows: list[PreviewRow] = []
    entries: list[Entry] = []
    for record in table:
        name = record.values["name"]
        where = _capital(record.where("name"))
        member = by_key.get(_key(name))
        if not name:
            errors.append(f"{where}: the name is empty.")
        elif member is None and _key(name) in others:
            errors.append(
                f"{where}: {name[:150]} is a member of {meeting.group.name} but not in office on "
                f"{date_words(meeting.date)}."
            )
        elif member is None:
            errors.append(
                f"{where}: {name[:150]} is not a member of {meeting.group.name}. Check the spelling against the "
                "membership list; the import never adds members."
            )
        elif member.pk in seen:
            errors.append(f"{where}: {member.name} is listed twice (also on {seen[member.pk]}).")
            member = None
        else:
            seen[member.pk] = f"{'line' if where.startswith('Line') else 'row'} {record.number}"
        code = record.values["attendance"].strip().lower()
        if code not in CODES:
            shown = f"{record.values['attendance'][:40]!r}" if record.values["attendance"] else "empty"
            errors.append(
                f"{_capital(record.where('attendance'))}: the attendance is {shown}; it must be one of {CODES_WORDS}."
            )
        left_text = record.values["left_after_item"]
        left: int | None = None
        if left_text:
            place = _capital(record.where("left_after_item"))
            if not (left_text.isascii() and left_text.isdigit()):
                errors.append(f"{place}: {left_text[:40]!r} is not a whole number (an agenda item's number).")
            elif int(left_text) not in items:
                errors.append(f"{place}: item {int(left_text)} is not an item of this meeting ({items_words(items)}).")
            elif code in CODES and code not in ATTENDING:
                errors.append(
                    f"{place}: the member's attendance is {code}, so they cannot have left after an item; leave "
                    "left_after_item empty."
                )
            else:
                left = int(left_text)
        if member is None or errors:
            continue
        record_now = records.get(member.pk)
        before_attendance = record_now.attendance if record_now else ""
        before_left = record_now.left_after_item if record_now else None
        changed = (before_attendance, before_left) != (code, left) or bool(record_now and record_now.substitute_name)
        rows.append(
            PreviewRow(
                row=record.number,
                member=member.pk,
                name=member.name,
                before=_words(before_attendance, before_left),
                after=_words(code, left),
                changed=changed,
            )
        )
        entries.append(Entry(member=member.pk, attendance=code, left_after_item=left))
    if not table:
        errors.append("The file has a header row but no members below it.")
    if errors:
        raise TableRefused(errors)
    return ImportPreview(
        meeting=meeting.pk,
        version=meeting.version,
        members=len(in_office),
        rows=rows,
        entries=entries,
        not_in_file=[m.name for m in in_office if m.pk not in seen],
    )
