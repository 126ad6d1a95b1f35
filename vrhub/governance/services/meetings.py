"""Meetings: arranging one, its agenda items and papers, minutes per item with decisions, dissent and the
interests declared at it, and the three publication steps (agenda, approval of the minutes, minutes).

Every function runs in one transaction that locks the row it guards (the group's to arrange a meeting, the
meeting's for everything else), checks a form's ``version`` against the meeting's (a stale form is refused,
nothing written), validates everything before writing anything, bumps the meeting's version, and audits each
change (who, when, old -> new). ``user`` is who acts; ``None`` is the system (the command line, demo seeding).
"""

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from vrhub.core.audit import audit_changes, audit_created, audit_deleted, diff_fields
from vrhub.core.limits import text_length, text_length_message
from vrhub.core.words import count_noun, date_words
from vrhub.governance.catalogue import DecisionMode
from vrhub.governance.models import ITEMS_MAX, AgendaItem, Dissent, Group, Interest, Meeting, Member
from vrhub.governance.selectors import access
from vrhub.governance.selectors.meetings import agenda_problems
from vrhub.governance.selectors.quorum import meeting_quorum
from vrhub.plans.documents import validate_upload

# The opening items of most boards' agendas, offered when a meeting is arranged.
STANDARD_ITEMS = (
    "Apologies for absence and Chair's announcements",
    "Declarations of interest",
    "Minutes of the last meeting",
    "Actions arising",
)
# No meeting before this (a typing slip such as 0019 is refused); none more than FURTHEST_YEARS ahead.
EARLIEST = dt.date(2000, 1, 1)
FURTHEST_YEARS = 5
# A paper is a report: PDF, Word or OpenDocument text (checked for real, as plan documents are).
PAPER_EXTENSIONS = (".pdf", ".docx", ".odt")

ITEM_FIELDS = ("title", "presenter", "paper_title", "exempt", "exemption", "equality_considerations")
PAPER_FIELDS = ("paper", "paper_original_name", "paper_content_type", "paper_size")
MINUTES_FIELDS = ("minutes", "decision", "votes_for", "votes_against", "abstentions")
MEETING_FIELDS = ("group", "date", "starts_at", "place")

STALE = (
    "Someone else changed this meeting while you were working on it, so your changes have not been saved. "
    "Check the meeting and save again."
)


def _today() -> dt.date:
    return timezone.localdate()


def _require_editor(*, user, group: Group) -> None:
    """Defence in depth behind the pages' fetch-and-authorise helpers (``None``: the system)."""
    if user is not None and not access.user_can_edit_group(user=user, group=group):
        raise PermissionDenied("You can look at this group's records but not change them.")


def _lock_meeting(*, meeting: Meeting, user, version: int | None) -> Meeting:
    """The meeting's row, locked until the transaction ends; a stale ``version`` is refused."""
    locked = Meeting.objects.select_for_update(of=("self",)).select_related("group").get(pk=meeting.pk)
    _require_editor(user=user, group=locked.group)
    if version is not None and version != locked.version:
        raise ValidationError({"version": STALE})
    return locked


def _bump(*, meeting: Meeting, user) -> None:
    """A change to the meeting or its items: a form loaded before it is now stale."""
    old = meeting.version
    meeting.version = old + 1
    meeting.save(update_fields=["version"])
    audit_changes(actor=user, obj=meeting, changes={"version": (old, meeting.version)})


def _text(data: Mapping[str, Any], name: str) -> str:
    value = data.get(name) or ""
    return value.replace("\r\n", "\n").strip() if isinstance(value, str) else str(value)


def _length_errors(model, values: Mapping[str, str]) -> dict[str, str]:
    errors = {}
    for name, value in values.items():
        field = model._meta.get_field(name)
        limit = field.max_length or next((v.limit_value for v in field.validators if hasattr(v, "limit_value")), None)
        if limit and text_length(value) > limit:
            label = str(field.verbose_name)
            label = label[:1].upper() + label[1:]
            errors[name] = text_length_message(label=label, limit=limit, length=text_length(value))
    return errors


def _check_date(date: dt.date | None, *, field: str = "date", label: str = "The meeting's date") -> dict[str, str]:
    if not isinstance(date, dt.date):
        return {field: "Enter the date of the meeting as a real date"}
    furthest = _today().replace(year=_today().year + FURTHEST_YEARS)
    if date < EARLIEST or date > furthest:
        return {field: f"{label} must be between {date_words(EARLIEST)} and {date_words(furthest)}"}
    return {}


# Arranging a meeting -----------------------------------------------------------------------------------


@transaction.atomic
def meeting_create(
    *,
    group: Group,
    user,
    date: dt.date,
    items: int,
    standard_items: bool = False,
    starts_at: dt.time | None = None,
    place: str = "",
) -> Meeting:
    """Arrange a meeting of ``group`` on ``date`` with agenda items 1..``items`` titled "Item 1" … (the
    standard opening items first, when ``standard_items``). One meeting a day per group."""
    locked = Group.objects.select_for_update().get(pk=group.pk)
    _require_editor(user=user, group=locked)
    place = (place or "").strip()
    errors = _check_date(date)
    if isinstance(items, bool) or not isinstance(items, int) or not 1 <= items <= ITEMS_MAX:
        errors["items"] = f"The number of agenda items must be a whole number from 1 to {ITEMS_MAX}"
    errors |= _length_errors(Meeting, {"place": place})
    if "date" not in errors and Meeting.objects.filter(group=locked, date=date).exists():
        errors["date"] = f"{locked.name} already has a meeting on {date_words(date)}: choose another date"
    if errors:
        raise ValidationError(errors)
    meeting = Meeting.objects.create(group=locked, date=date, starts_at=starts_at, place=place)
    audit_created(actor=user, obj=meeting, fields=MEETING_FIELDS)
    for number in range(1, items + 1):
        title = STANDARD_ITEMS[number - 1] if standard_items and number <= len(STANDARD_ITEMS) else f"Item {number}"
        item = AgendaItem.objects.create(meeting=meeting, number=number, title=title)
        audit_created(actor=user, obj=item, fields=("meeting", "number", "title"))
    return meeting


# Agenda items ------------------------------------------------------------------------------------------


def _item_values(data: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    values: dict[str, Any] = {name: _text(data, name) for name in ITEM_FIELDS if name != "exempt"}
    values["exempt"] = bool(data.get("exempt"))
    errors: dict[str, str] = {}
    if not values["title"]:
        errors["title"] = "Enter the item's title"
    if values["exempt"] and not values["exemption"]:
        errors["exemption"] = "Enter the Freedom of Information Act exemption relied on (the item is exempt)"
    if not values["exempt"]:
        values["exemption"] = ""
    errors |= _length_errors(AgendaItem, {k: v for k, v in values.items() if isinstance(v, str)})
    return values, errors


def _name_for_disk(name: str, limit: int = 120) -> str:
    """The upload's name cut to ``limit`` bytes of UTF-8, keeping its extension (a path holds 300 characters)."""
    if len(name.encode()) <= limit:
        return name
    stem, dot, ext = name.rpartition(".")
    suffix = f".{ext[:10]}" if dot else ""
    return (stem if dot else name).encode()[: limit - len(suffix.encode())].decode("utf-8", "ignore") + suffix


def _check_paper(paper: UploadedFile) -> tuple[str, dict[str, str]]:
    ext = Path(paper.name or "").suffix.lower()
    if ext not in PAPER_EXTENSIONS:
        kinds = ", ".join(e.lstrip(".").upper() for e in PAPER_EXTENSIONS)
        return "", {"paper": f"The paper must be a {kinds} file"}
    try:
        return validate_upload(paper), {}
    except ValidationError as exc:
        return "", {"paper": exc.messages[0]}


@transaction.atomic
def item_add(*, meeting: Meeting, user, version: int | None, data: Mapping[str, Any]) -> AgendaItem:
    """Add an item at the end of the agenda (at most ITEMS_MAX)."""
    locked = _lock_meeting(meeting=meeting, user=user, version=version)
    values, errors = _item_values(data)
    count = locked.items.count()
    if count >= ITEMS_MAX:
        errors["title"] = f"The agenda already has {ITEMS_MAX} items, the most a meeting can have"
    if errors:
        raise ValidationError(errors)
    item = AgendaItem.objects.create(meeting=locked, number=count + 1, **values)
    audit_created(actor=user, obj=item, fields=("meeting", "number", *ITEM_FIELDS))
    _bump(meeting=locked, user=user)
    return item


@transaction.atomic
def item_update(
    *,
    item: AgendaItem,
    user,
    version: int | None,
    data: Mapping[str, Any],
    paper: UploadedFile | None = None,
    remove_paper: bool = False,
) -> AgendaItem:
    """Change an item: title, presenter, its paper (PDF, DOCX or ODT within the upload limit) and the paper's
    title, exempt with its FOI exemption, equality considerations. Allowed after the agenda is published (a
    correction, audited like any change)."""
    locked = _lock_meeting(meeting=item.meeting, user=user, version=version)
    item = AgendaItem.objects.get(pk=item.pk)
    values, errors = _item_values(data)
    content_type = ""
    if paper:
        content_type, paper_errors = _check_paper(paper)
        errors |= paper_errors
    has_paper = bool(paper) or (bool(item.paper) and not remove_paper)
    if has_paper and not values["paper_title"]:
        errors["paper_title"] = "Enter the paper's title"
    if errors:
        raise ValidationError(errors)
    changes = diff_fields(item, values)
    old_paper = item.paper.name if item.paper else ""
    for name, value in values.items():
        setattr(item, name, value)
    if paper or remove_paper:
        new: dict[str, Any] = {"paper_original_name": "", "paper_content_type": "", "paper_size": None}
        if paper:
            new = {
                "paper_original_name": (paper.name or "paper")[:255],
                "paper_content_type": content_type,
                "paper_size": paper.size,
            }
        for name, value in new.items():
            if getattr(item, name) != value:
                changes[name] = (getattr(item, name), value)
            setattr(item, name, value)
        item.paper = None
        if paper:
            item.paper.save(_name_for_disk(paper.name or "paper"), paper, save=False)
        changes["paper"] = (old_paper, item.paper.name if item.paper else "")
    try:
        item.save()
        if changes:
            audit_changes(actor=user, obj=item, changes=changes)
        _bump(meeting=locked, user=user)
    except BaseException:
        if paper and item.paper.name:  # the transaction rolls back: the stored file goes with it
            item.paper.storage.delete(item.paper.name)
        raise
    if old_paper and (paper or remove_paper):
        storage = item.paper.storage
        transaction.on_commit(lambda: storage.delete(old_paper))
    return item


def _require_unpublished(meeting: Meeting, what: str) -> None:
    if meeting.agenda_published_on:
        raise ValidationError(
            f"The agenda was published on {date_words(meeting.agenda_published_on)}: items can no longer be {what}"
        )


@transaction.atomic
def item_remove(*, item: AgendaItem, user, version: int | None) -> None:
    """Take an item off the agenda before it is published; later items move up one."""
    locked = _lock_meeting(meeting=item.meeting, user=user, version=version)
    _require_unpublished(locked, "removed")
    item = AgendaItem.objects.get(pk=item.pk)
    if item.actions.exists() or item.dissents.exists() or item.interests.exists():
        raise ValidationError(
            "This item has actions, dissent or declared interests recorded against it: it cannot be removed"
        )
    paper = item.paper.name if item.paper else ""
    storage = item.paper.storage
    audit_deleted(actor=user, obj=item)
    number = item.number
    item.delete()
    for later in locked.items.filter(number__gt=number).order_by("number"):
        audit_changes(actor=user, obj=later, changes={"number": (later.number, later.number - 1)})
        later.number -= 1
        later.save(update_fields=["number"])
    _bump(meeting=locked, user=user)
    if paper:
        transaction.on_commit(lambda: storage.delete(paper))


@transaction.atomic
def item_move(*, item: AgendaItem, user, version: int | None, up: bool) -> AgendaItem:
    """Swap an item with the one above (``up``) or below it, before the agenda is published."""
    locked = _lock_meeting(meeting=item.meeting, user=user, version=version)
    _require_unpublished(locked, "reordered")
    item = AgendaItem.objects.get(pk=item.pk)
    target = item.number - 1 if up else item.number + 1
    other = locked.items.filter(number=target).first()
    if other is None:
        raise ValidationError(f"Item {item.number} is already the {'first' if up else 'last'} item")
    mine, theirs = item.number, other.number
    item.number = 0  # a free number while the two swap (numbers are unique in a meeting)
    item.save(update_fields=["number"])
    other.number = mine
    other.save(update_fields=["number"])
    item.number = theirs
    item.save(update_fields=["number"])
    audit_changes(actor=user, obj=item, changes={"number": (mine, theirs)})
    audit_changes(actor=user, obj=other, changes={"number": (theirs, mine)})
    _bump(meeting=locked, user=user)
    return item


# Minutes, dissent and interests ------------------------------------------------------------------------


def _require_minutes_open(meeting: Meeting) -> None:
    if meeting.minutes_approved_on:
        raise ValidationError(
            f"The minutes were approved on {date_words(meeting.minutes_approved_on)}: they can no longer be changed"
        )


@transaction.atomic
def item_minutes_save(*, item: AgendaItem, user, version: int | None, data: Mapping[str, Any]) -> AgendaItem:
    """The minutes of an item and its decision; for a group that votes, the votes for and against and the
    abstentions, together not more than the members counted for this item (``meeting_quorum``)."""
    locked = _lock_meeting(meeting=item.meeting, user=user, version=version)
    _require_minutes_open(locked)
    item = AgendaItem.objects.get(pk=item.pk)
    values: dict[str, Any] = {"minutes": _text(data, "minutes"), "decision": _text(data, "decision")}
    errors = _length_errors(AgendaItem, values)
    votes = {name: data.get(name) for name in ("votes_for", "votes_against", "abstentions")}
    given = {k: v for k, v in votes.items() if v not in (None, "")}
    if locked.group.decision_mode != DecisionMode.VOTE:
        for name in given:
            errors[name] = "This group decides by consensus, with no vote: leave the votes empty"
    else:
        for name, value in given.items():
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                errors[name] = "Enter the number of votes as a whole number, 0 or more"
        if given and not errors:
            counted = meeting_quorum(meeting=locked, item=item.number).present
            total = sum(given.values())
            if total > counted:
                errors["votes_for"] = (
                    f"{count_noun(total, 'vote')} recorded, but only {count_noun(counted, 'member')} "
                    f"{'was' if counted == 1 else 'were'} counted for item {item.number}: "
                    "votes, against and abstentions together cannot be more"
                )
    if errors:
        raise ValidationError(errors)
    values |= {name: given.get(name) for name in votes}
    changes = diff_fields(item, values)
    if changes:
        for name, value in values.items():
            setattr(item, name, value)
        item.save(update_fields=list(values))
        audit_changes(actor=user, obj=item, changes=changes)
        _bump(meeting=locked, user=user)
    return item


def _member_of(item_meeting: Meeting, member: Member | None, errors: dict[str, str]) -> None:
    if member is None or member.group_id != item_meeting.group_id:
        errors["member"] = "Choose a member of the group"


@transaction.atomic
def dissent_record(*, item: AgendaItem, user, version: int | None, member: Member | None, text: str) -> Dissent:
    """Record a member's dissent from an item's decision, at their wish (only where the group records it)."""
    locked = _lock_meeting(meeting=item.meeting, user=user, version=version)
    _require_minutes_open(locked)
    text = _text({"text": text}, "text")
    errors: dict[str, str] = {}
    if not locked.group.dissent_recorded:
        raise ValidationError("This group's terms of reference do not record dissent in the minutes")
    _member_of(locked, member, errors)
    if not text:
        errors["text"] = "Enter the dissent as the member wishes it recorded"
    errors |= _length_errors(Dissent, {"text": text})
    if not errors and Dissent.objects.filter(item=item, member=member).exists():
        errors["member"] = f"{member}'s dissent on item {item.number} is already recorded"
    if errors or member is None:
        raise ValidationError(errors)
    dissent = Dissent.objects.create(item=item, member=member, text=text)
    audit_created(actor=user, obj=dissent, fields=("item", "member", "text"))
    _bump(meeting=locked, user=user)
    return dissent


@transaction.atomic
def dissent_remove(*, dissent: Dissent, user, version: int | None) -> None:
    """Take out a dissent recorded by mistake, before the minutes are approved."""
    locked = _lock_meeting(meeting=dissent.item.meeting, user=user, version=version)
    _require_minutes_open(locked)
    audit_deleted(actor=user, obj=dissent)
    dissent.delete()
    _bump(meeting=locked, user=user)


@transaction.atomic
def interest_declare(
    *, item: AgendaItem, user, version: int | None, member: Member | None, description: str
) -> Interest:
    """A member declares an interest at an item: recorded with the meeting's date, so it is also in the
    member's register of interests."""
    locked = _lock_meeting(meeting=item.meeting, user=user, version=version)
    _require_minutes_open(locked)
    description = _text({"description": description}, "description")
    errors: dict[str, str] = {}
    _member_of(locked, member, errors)
    if not description:
        errors["description"] = "Describe the interest declared"
    errors |= _length_errors(Interest, {"description": description})
    if errors or member is None:
        raise ValidationError(errors)
    interest = Interest.objects.create(member=member, description=description, declared_on=locked.date, item=item)
    audit_created(actor=user, obj=interest, fields=("member", "description", "declared_on", "item"))
    _bump(meeting=locked, user=user)
    return interest


@transaction.atomic
def interest_remove(*, interest: Interest, user, version: int | None) -> None:
    """Take out an interest recorded against an item by mistake, before the minutes are approved."""
    if interest.item is None:
        raise ValidationError("This interest is in the register, not declared at a meeting")
    locked = _lock_meeting(meeting=interest.item.meeting, user=user, version=version)
    _require_minutes_open(locked)
    audit_deleted(actor=user, obj=interest)
    interest.delete()
    _bump(meeting=locked, user=user)


# Publication -------------------------------------------------------------------------------------------


def _publish_date(on: dt.date | None, *, field: str) -> dt.date:
    day = on or _today()
    if day > _today():
        raise ValidationError({field: f"The date cannot be in the future (today is {date_words(_today())})"})
    return day


@transaction.atomic
def meeting_publish_agenda(*, meeting: Meeting, user, version: int | None, on: dt.date | None = None) -> Meeting:
    """Publish the agenda and its non-exempt papers: refused, with every reason, while an item lacks what
    the group's rules require."""
    locked = _lock_meeting(meeting=meeting, user=user, version=version)
    if locked.agenda_published_on:
        raise ValidationError(f"The agenda was already published on {date_words(locked.agenda_published_on)}")
    problems = agenda_problems(meeting=locked)
    if problems:
        raise ValidationError(problems)
    day = _publish_date(on, field="on")
    audit_changes(actor=user, obj=locked, changes={"agenda_published_on": (None, day)})
    locked.agenda_published_on = day
    locked.save(update_fields=["agenda_published_on"])
    _bump(meeting=locked, user=user)
    return locked


@transaction.atomic
def meeting_approve_minutes(*, meeting: Meeting, user, version: int | None, on: dt.date | None) -> Meeting:
    """Record the minutes' approval (usually at the next meeting): on or after the meeting, not in the
    future, and only once some item has minutes."""
    locked = _lock_meeting(meeting=meeting, user=user, version=version)
    errors: dict[str, str] = {}
    if locked.minutes_approved_on:
        raise ValidationError(f"The minutes were already approved on {date_words(locked.minutes_approved_on)}")
    if not locked.items.exclude(minutes="").exists():
        raise ValidationError("No item has minutes yet: write the minutes before they are approved")
    if not isinstance(on, dt.date):
        errors["on"] = "Enter the date the minutes were approved as a real date"
    elif on < locked.date:
        errors["on"] = f"The minutes cannot be approved before the meeting ({date_words(locked.date)})"
    elif on > _today():
        errors["on"] = f"The date of approval cannot be in the future (today is {date_words(_today())})"
    if errors:
        raise ValidationError(errors)
    audit_changes(actor=user, obj=locked, changes={"minutes_approved_on": (None, on)})
    locked.minutes_approved_on = on
    locked.save(update_fields=["minutes_approved_on"])
    _bump(meeting=locked, user=user)
    return locked


@transaction.atomic
def meeting_publish_minutes(*, meeting: Meeting, user, version: int | None, on: dt.date | None = None) -> Meeting:
    """Publish approved minutes (only where the group's rules publish them)."""
    locked = _lock_meeting(meeting=meeting, user=user, version=version)
    if locked.minutes_published_on:
        raise ValidationError(f"The minutes were already published on {date_words(locked.minutes_published_on)}")
    if not locked.group.minutes_published:
        raise ValidationError("This group's terms of reference do not publish its minutes")
    if not locked.minutes_approved_on:
        raise ValidationError("The minutes must be approved before they are published")
    day = _publish_date(on, field="on")
    if day < locked.minutes_approved_on:
        raise ValidationError({"on": "The minutes cannot be published before they were approved"})
    audit_changes(actor=user, obj=locked, changes={"minutes_published_on": (None, day)})
    locked.minutes_published_on = day
    locked.save(update_fields=["minutes_published_on"])
    _bump(meeting=locked, user=user)
    return locked
