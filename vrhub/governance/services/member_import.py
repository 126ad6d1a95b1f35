"""Importing a group's membership from a clerk's spreadsheet (CSV or XLSX), all or nothing.

The file has a header row naming its columns, in any order: ``name``, ``office`` and ``sector`` are needed;
``quorum_role``, ``organisation``, ``term_start``, ``term_end`` and ``title`` may be there too. Any other
column is refused (a misspelt heading would otherwise drop its values without a word). Codes or the labels
people read are taken (``deputy_chair`` or "Deputy Chair", any case); dates as 2019-03-06 or 6/3/2019.

The import REPLACES the group's current membership:

* a row whose name (any case) is a member's updates that member (only the columns the file has);
* a row with a new name adds a member;
* a member in office (or starting later) whom the file does not name leaves: their term ends the day before
  the import (so that from the import date they are not in office), or, if the minutes never refer to them
  (no attendance, no recorded dissent), they are deleted with their substitutes and interests;
* past members (term already ended) stay as they are, unless the file names them: then they are updated
  like any member (with no ``term_end`` column, their old end date is cleared: they rejoin).

``member_import_preview`` reads and checks everything and changes nothing; ``member_import_save`` saves a
preview in one transaction, locking the group, and only if the membership is still what the preview was
made against (``membership_fingerprint``). Any problem refuses the whole file, each error naming the
sheet, row and column (XLSX) or line and column (CSV).
"""

import datetime as dt
import re
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from vrhub.core.audit import audit_changes, audit_created, diff_fields
from vrhub.core.words import date_words
from vrhub.governance.catalogue import Office, QuorumRole, Sector
from vrhub.governance.models import MEMBERS_MAX, Group, Member
from vrhub.governance.selectors import access
from vrhub.governance.selectors.members import (
    CommunityShare,
    community_share,
    member_has_records,
    membership_fingerprint,
    more_needed,
)
from vrhub.governance.services.members import EARLIEST, FURTHEST_YEARS, LIMITS, _member_leave, _term_end_for_leaving
from vrhub.governance.tables import TableRefused, TableRow, read_table

REQUIRED_COLUMNS = ("name", "office", "sector")
OPTIONAL_COLUMNS = ("quorum_role", "organisation", "term_start", "term_end", "title")
CHOICES = {"office": Office, "sector": Sector, "quorum_role": QuorumRole}
DATE_COLUMNS = ("term_start", "term_end")
ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
FIELD_LABELS = {
    "name": "name",
    "title": "title",
    "organisation": "organisation",
    "office": "office",
    "sector": "sector",
    "quorum_role": "role in the quorum",
    "term_start": "start of term",
    "term_end": "end of term",
}


class ImportRefused(Exception):
    """The file was not imported; ``errors`` names every problem and where it is."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("; ".join(errors))


@dataclass(frozen=True)
class Row:
    """One member as the file gives them: ``values`` holds only the columns the file has."""

    number: int
    values: dict

    @property
    def name(self) -> str:
        return self.values["name"]


@dataclass(frozen=True)
class Changed:
    member_pk: int
    row: Row
    changes: dict  # field -> (old, new)


@dataclass(frozen=True)
class Leaver:
    member_pk: int
    name: str
    office: str
    outcome: str  # "ended" (term ended on ``term_end``) or "deleted"
    term_end: dt.date | None


@dataclass
class MembershipPreview:
    group: Group
    fingerprint: str
    today: dt.date
    columns: tuple[str, ...]
    added: list[Row]
    changed: list[Changed]
    unchanged: list[Row]
    left: list[Leaver]
    share_before: CommunityShare
    share_after: CommunityShare
    saved: bool = False
    counts: dict = field(default_factory=dict)

    @property
    def has_changes(self) -> bool:
        return bool(self.added or self.changed or self.left)

    def as_json(self) -> dict:
        """The ``import_members --json`` contract (codes, not labels: it is for programs)."""
        return {
            "group": self.group.slug,
            "synthetic": self.group.synthetic,
            "added": [{"row": r.number, **{k: _json(v) for k, v in r.values.items()}} for r in self.added],
            "changed": [
                {
                    "row": c.row.number,
                    "name": c.row.name,
                    "changes": {k: [_json(old), _json(new)] for k, (old, new) in c.changes.items()},
                }
                for c in self.changed
            ],
            "left": [
                {"name": leaver.name, "outcome": leaver.outcome, "term_end": _json(leaver.term_end)}
                for leaver in self.left
            ],
            "saved": self.saved,
        }


def _json(value):
    return value.isoformat() if isinstance(value, dt.date) else value


def _token(text: str) -> str:
    return "_".join(text.strip().lower().replace("-", " ").split())


def _choice(text: str, choices) -> str | None:
    """A code from its code or its label, any case ("Deputy Chair", "deputy_chair", "deputy chair")."""
    wanted = _token(text)
    for code, label in choices.choices:
        if wanted in (code, _token(label)):
            return code
    return None


def _parse_date(text: str) -> dt.date | None:
    """2019-03-06 or 6/3/2019 (day first, as in the UK); None for anything else or an impossible date."""
    text = text.strip()
    if " " in text and text.endswith("00:00:00"):  # a workbook's date cell read as a timestamp
        text = text.split(" ", 1)[0]
    match = ISO.match(text)
    if match:
        year, month, day = (int(x) for x in match.groups())
    else:
        match = DMY.match(text)
        if not match:
            return None
        day, month, year = (int(x) for x in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _check_row(record: TableRow, columns: tuple[str, ...], *, today: dt.date, errors: list[str]) -> Row:
    raw = record.values
    values: dict = {}
    where = record.where
    name = raw["name"]
    if not name:
        errors.append(f"{_cap(where('name'))}: enter the member's name.")
    elif len(name) > LIMITS["name"]:
        errors.append(f"{_cap(where('name'))}: the name has {len(name):,} characters; the limit is {LIMITS['name']}.")
    values["name"] = name
    for column, choices in CHOICES.items():
        if column not in columns:
            continue
        text = raw[column]
        if not text:
            if column == "quorum_role":
                values[column] = ""
            else:
                errors.append(f"{_cap(where(column))}: enter the {FIELD_LABELS[column]}.")
            continue
        code = _choice(text, choices)
        if code is None:
            allowed = ", ".join(f"{c} ({label})" for c, label in choices.choices)
            empty = " or leave it empty" if column == "quorum_role" else ""
            article = "an" if FIELD_LABELS[column][0] in "aeiou" else "a"
            errors.append(
                f"{_cap(where(column))}: {text[:60]!r} is not {article} {FIELD_LABELS[column]}; "
                f"use one of {allowed}{empty}."
            )
        values[column] = code or ""
    for column in ("organisation", "title"):
        if column in columns:
            text = raw[column]
            if len(text) > LIMITS[column]:
                errors.append(
                    f"{_cap(where(column))}: the {column} has {len(text):,} characters; the limit is {LIMITS[column]}."
                )
            values[column] = text
    furthest = dt.date(today.year + FURTHEST_YEARS, 12, 31)
    for column in DATE_COLUMNS:
        if column not in columns:
            continue
        text = raw[column]
        if not text:
            values[column] = None
            continue
        day = _parse_date(text)
        if day is None:
            errors.append(f"{_cap(where(column))}: {text[:40]!r} is not a date; write it as 2019-03-06 or 6/3/2019.")
        elif not EARLIEST <= day <= furthest:
            errors.append(
                f"{_cap(where(column))}: {date_words(day)} is outside {date_words(EARLIEST)} to {date_words(furthest)}."
            )
            day = None
        values[column] = day
    start, end = values.get("term_start"), values.get("term_end")
    if start and end and end < start:
        errors.append(
            f"{_cap(where('term_end'))}: the term ends ({date_words(end)}) before it starts ({date_words(start)})."
        )
    return Row(number=record.number, values=values)


def _rows(*, filename: str, content: bytes, today: dt.date) -> tuple[tuple[str, ...], list[Row]]:
    try:
        records = read_table(
            filename=filename,
            content=content,
            required=REQUIRED_COLUMNS,
            optional=OPTIONAL_COLUMNS,
            max_rows=MEMBERS_MAX,
        )
    except TableRefused as exc:
        raise ImportRefused(list(exc.errors)) from exc
    if not records:
        raise ImportRefused(["The file names no members: an import replaces the membership, so it needs at least one."])
    columns = tuple(c for c in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS) if c in records[0].places)
    errors: list[str] = []
    rows = [_check_row(record, columns, today=today, errors=errors) for record in records]
    seen: dict[str, Row] = {}
    for record, row in zip(records, rows, strict=True):
        key = row.name.casefold()
        if not key:
            continue
        if key in seen:
            errors.append(
                f"{_cap(record.where('name'))}: {row.name!r} is named twice (also row {seen[key].number}); "
                "each member once."
            )
        else:
            seen[key] = row
    if errors:
        raise ImportRefused(errors)
    return columns, rows


def _in_office(values: dict, today: dt.date) -> bool:
    start, end = values.get("term_start"), values.get("term_end")
    return (start is None or start <= today) and (end is None or today <= end)


def member_import_preview(*, group: Group, filename: str, content: bytes) -> MembershipPreview:
    """Read and check the membership list; say who is added, changed and leaves. Changes nothing.
    ImportRefused names every problem (and nothing can be saved)."""
    today = timezone.localdate()
    columns, rows = _rows(filename=filename, content=content, today=today)
    existing = {m.name.casefold(): m for m in group.members.all()}
    added: list[Row] = []
    changed: list[Changed] = []
    unchanged: list[Row] = []
    after: list[dict] = []
    for row in rows:
        member = existing.get(row.name.casefold())
        if member is None:
            added.append(row)
            after.append(dict(row.values))
            continue
        if "term_end" not in columns and member.term_end is not None and member.term_end < today:
            # A past member named again, with no end date in the file: they rejoin (their term no longer ends).
            row = Row(number=row.number, values={**row.values, "term_end": None})
        changes = diff_fields(member, row.values)
        if changes:
            changed.append(Changed(member_pk=member.pk, row=row, changes=changes))
        else:
            unchanged.append(row)
        after.append({f: getattr(member, f) for f in ("sector", "term_start", "term_end")} | row.values)
    named = {row.name.casefold() for row in rows}
    left = []
    for member in sorted(existing.values(), key=lambda m: m.name.casefold()):
        if member.name.casefold() in named or (member.term_end is not None and member.term_end < today):
            continue
        if member_has_records(member=member):
            left.append(
                Leaver(member.pk, member.name, member.office, "ended", _term_end_for_leaving(member, today=today))
            )
        else:
            left.append(Leaver(member.pk, member.name, member.office, "deleted", None))
    in_office = [values for values in after if _in_office(values, today)]
    members = len(in_office)
    community = sum(1 for values in in_office if values.get("sector") == Sector.COMMUNITY)
    target = group.community_target_percent
    share_after = CommunityShare(
        members=members,
        community=community,
        target_percent=target,
        more_needed=None
        if target is None
        else more_needed(members=members, community=community, target_percent=target),
        on=today,
    )
    return MembershipPreview(
        group=group,
        fingerprint=membership_fingerprint(group=group),
        today=today,
        columns=columns,
        added=added,
        changed=changed,
        unchanged=unchanged,
        left=left,
        share_before=community_share(group=group, on=today),
        share_after=share_after,
    )


@transaction.atomic
def member_import_save(*, preview: MembershipPreview, user) -> MembershipPreview:
    """Save a preview: every change or none. Refused (nothing saved) if the group's membership changed
    since the preview was made."""
    group = Group.objects.select_for_update().get(pk=preview.group.pk)
    if user is not None and not access.user_can_edit_group(user=user, group=group):
        raise PermissionDenied("You can look at this group's records but not change them.")
    if membership_fingerprint(group=group) != preview.fingerprint:
        raise ValidationError(
            "The group's membership changed since this list was checked, so nothing was saved: "
            "upload the list again to see the changes against the current membership."
        )
    members = {m.pk: m for m in group.members.select_for_update()}
    for leaver in preview.left:
        _member_leave(member=members[leaver.member_pk], user=user, today=preview.today)
    for change in preview.changed:
        member = members[change.member_pk]
        for name, (_old, new) in change.changes.items():
            setattr(member, name, new)
        member.full_clean()
        member.save(update_fields=list(change.changes))
        audit_changes(actor=user, obj=member, changes=change.changes)
    for row in preview.added:
        member = Member(group=group, **row.values)
        member.full_clean()
        member.save()
        audit_created(actor=user, obj=member, fields=("group", *row.values))
    preview.saved = True
    return preview
