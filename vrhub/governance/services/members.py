"""A group's members, their substitutes and the register of declared interests.

Every function works in one transaction, locks the group's row (so that two clerks' changes to one
membership, or a change and an import, happen one after the other), validates everything before writing
anything and audits each change. A member the minutes refer to (attendance, recorded dissent) is never
deleted: removing them ends their term the day before, so that from today they are no longer in office.
"""

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone

from vrhub.core.audit import audit_changes, audit_created, audit_deleted_with_cascade, diff_fields
from vrhub.core.limits import text_length_message
from vrhub.core.words import date_words
from vrhub.governance.catalogue import Office, QuorumRole, Sector
from vrhub.governance.models import MEMBERS_MAX, Group, Interest, Member, Substitute
from vrhub.governance.selectors import access
from vrhub.governance.selectors.members import member_fingerprint, member_has_records

# No term date before this or more than FURTHEST_YEARS ahead (a typing slip such as 0219 is refused).
EARLIEST = dt.date(1990, 1, 1)
FURTHEST_YEARS = 20
SUBSTITUTES_MAX = 10  # per member
INTERESTS_MAX = 50  # per member, in the register

MEMBER_FIELDS = ("name", "title", "organisation", "office", "sector", "quorum_role", "term_start", "term_end", "email")
LIMITS = {"name": 150, "title": 200, "organisation": 200, "email": 254, "description": 1000}
LABELS = {
    "name": "Name",
    "title": "Title",
    "organisation": "Organisation",
    "office": "Office",
    "sector": "Sector",
    "quorum_role": "Role in the quorum",
    "term_start": "Start of term",
    "term_end": "End of term",
    "email": "Email address",
    "description": "Interest",
    "declared_on": "Date declared",
}


def _today() -> dt.date:
    return timezone.localdate()


def _lock_group(group: Group, *, user) -> Group:
    locked = Group.objects.select_for_update().get(pk=group.pk)
    if user is not None and not access.user_can_edit_group(user=user, group=locked):
        raise PermissionDenied("You can look at this group's records but not change them.")
    return locked


def _text(data: Mapping[str, Any], name: str, errors: dict[str, str], *, required: bool = False) -> str:
    value = data.get(name)
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors[name] = f"{LABELS[name]} must be text"
        return ""
    value = value.strip()
    if required and not value:
        errors[name] = f"Enter the {LABELS[name].lower()}"
    elif len(value) > LIMITS[name]:
        errors[name] = text_length_message(label=LABELS[name], limit=LIMITS[name], length=len(value))
    elif "\x00" in value:
        errors[name] = f"{LABELS[name]} must not contain a NUL character"
    return value


def _check_date(value: Any, name: str, errors: dict[str, str], *, today: dt.date) -> dt.date | None:
    """A term date: empty, or a real date between EARLIEST and FURTHEST_YEARS from today."""
    if value in (None, ""):
        return None
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        errors[name] = f"{LABELS[name]} must be a real date"
        return None
    furthest = dt.date(today.year + FURTHEST_YEARS, 12, 31)
    if value < EARLIEST:
        errors[name] = f"{LABELS[name]} must be on or after {date_words(EARLIEST)}, not {date_words(value)}"
        return None
    if value > furthest:
        errors[name] = f"{LABELS[name]} must be by {date_words(furthest)}, not {date_words(value)}"
        return None
    return value


def _member_values(data: Mapping[str, Any], *, group: Group, member: Member | None = None) -> dict[str, Any]:
    """A member's fields from ``data``, checked: ValidationError({field: message})."""
    errors: dict[str, str] = {}
    today = _today()
    values: dict[str, Any] = {
        "name": _text(data, "name", errors, required=True),
        "title": _text(data, "title", errors),
        "organisation": _text(data, "organisation", errors),
        "email": _text(data, "email", errors),
    }
    for name, choices in (("office", Office), ("sector", Sector), ("quorum_role", QuorumRole)):
        value = data.get(name) or ""
        if not (value in choices.values or (name == "quorum_role" and value == "")):
            errors[name] = f"Choose the {LABELS[name].lower()} from the list"
        values[name] = value
    if values["email"] and "email" not in errors:
        try:
            validate_email(values["email"])
        except ValidationError:
            errors["email"] = "Enter an email address in the correct format, like name@example.com"
    values["term_start"] = _check_date(data.get("term_start"), "term_start", errors, today=today)
    values["term_end"] = _check_date(data.get("term_end"), "term_end", errors, today=today)
    start, end = values["term_start"], values["term_end"]
    if start and end and end < start:
        errors["term_end"] = f"End of term must be on or after the start of term ({date_words(start)})"
    if values["name"] and "name" not in errors:
        same = group.members.annotate(lower=Lower("name")).filter(lower=values["name"].lower())
        if member is not None:
            same = same.exclude(pk=member.pk)
        if same.exists():
            errors["name"] = f"{values['name']} is already a member of this group (names must differ)"
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def member_add(*, group: Group, user, data: Mapping[str, Any]) -> Member:
    """Add a member (at most MEMBERS_MAX in a group, past members included)."""
    group = _lock_group(group, user=user)
    values = _member_values(data, group=group)
    if group.members.count() >= MEMBERS_MAX:
        raise ValidationError(f"A group has at most {MEMBERS_MAX} members, past members included: remove one first.")
    member = Member(group=group, **values)
    member.full_clean()
    member.save()
    audit_created(actor=user, obj=member, fields=("group", *MEMBER_FIELDS))
    return member


@transaction.atomic
def member_update(*, member: Member, user, data: Mapping[str, Any], loaded: str | None = None) -> Member:
    """Change a member (every field at once, as the form shows them); audits each changed field. ``loaded`` is
    the member's fingerprint when the form was opened (``selectors.members.member_fingerprint``): a save from a
    page opened before someone else's change is refused, so it never silently undoes that change."""
    group = _lock_group(member.group, user=user)
    locked = Member.objects.select_for_update().get(pk=member.pk, group=group)
    if loaded is not None and loaded != member_fingerprint(member=locked):
        raise ValidationError(
            "Someone else changed this member after you opened the page. Your changes are shown below but were "
            "not saved: check the member's details and save again."
        )
    values = _member_values(data, group=group, member=locked)
    changes = diff_fields(locked, values)
    if not changes:
        return locked
    for name, value in values.items():
        setattr(locked, name, value)
    locked.full_clean()
    locked.save(update_fields=list(changes))
    audit_changes(actor=user, obj=locked, changes=changes)
    return locked


def _term_end_for_leaving(member: Member, *, today: dt.date) -> dt.date:
    """The day a leaving member's term ends: yesterday (so that from today they are not in office), never
    before their term started."""
    end = today - dt.timedelta(days=1)
    if member.term_start is not None and member.term_start > end:
        end = member.term_start
    if member.term_end is not None and member.term_end < end:
        end = member.term_end  # already ended: leave it
    return end


def _member_leave(*, member: Member, user, today: dt.date) -> str:
    """Take a member off the group (the caller holds the group's lock): "ended" (the minutes refer to them,
    so their term ends) or "deleted" (with their substitutes and interests)."""
    if member_has_records(member=member):
        end = _term_end_for_leaving(member, today=today)
        if member.term_end != end:
            changes = {"term_end": (member.term_end, end)}
            member.term_end = end
            member.save(update_fields=["term_end"])
            audit_changes(actor=user, obj=member, changes=changes)
        return "ended"
    audit_deleted_with_cascade(actor=user, objects=[member])
    member.delete()
    return "deleted"


@transaction.atomic
def member_remove(*, member: Member, user) -> str:
    """Remove a member: deleted if the minutes never refer to them, otherwise their term is ended (the
    record stays for the minutes). Returns "deleted" or "ended"."""
    group = _lock_group(member.group, user=user)
    locked = Member.objects.select_for_update().get(pk=member.pk, group=group)
    return _member_leave(member=locked, user=user, today=_today())


# Substitutes -----------------------------------------------------------------------------------------


@transaction.atomic
def substitute_add(*, member: Member, user, data: Mapping[str, Any]) -> Substitute:
    """Name someone who may attend in the member's place (at most SUBSTITUTES_MAX per member)."""
    group = _lock_group(member.group, user=user)
    locked = Member.objects.get(pk=member.pk, group=group)
    errors: dict[str, str] = {}
    name = _text(data, "name", errors, required=True)
    title = _text(data, "title", errors)
    if name and "name" not in errors and locked.substitutes.filter(name__iexact=name).exists():
        errors["name"] = f"{name} is already a substitute for {locked.name}"
    if errors:
        raise ValidationError(errors)
    if locked.substitutes.count() >= SUBSTITUTES_MAX:
        raise ValidationError(f"A member has at most {SUBSTITUTES_MAX} substitutes: remove one first.")
    substitute = Substitute(member=locked, name=name, title=title)
    substitute.full_clean()
    substitute.save()
    audit_created(actor=user, obj=substitute, fields=("member", "name", "title"))
    return substitute


@transaction.atomic
def substitute_remove(*, substitute: Substitute, user) -> None:
    _lock_group(substitute.member.group, user=user)
    locked = Substitute.objects.select_for_update().get(pk=substitute.pk)
    audit_deleted_with_cascade(actor=user, objects=[locked])
    locked.delete()


# The register of declared interests ------------------------------------------------------------------


@transaction.atomic
def interest_add(*, member: Member, user, data: Mapping[str, Any]) -> Interest:
    """Enter a declared interest in the register (at most INTERESTS_MAX per member)."""
    group = _lock_group(member.group, user=user)
    locked = Member.objects.get(pk=member.pk, group=group)
    errors: dict[str, str] = {}
    description = _text(data, "description", errors, required=True)
    today = _today()
    declared_on = _check_date(data.get("declared_on"), "declared_on", errors, today=today)
    if declared_on is None and "declared_on" not in errors:
        errors["declared_on"] = "Enter the date the interest was declared"
    elif declared_on is not None and declared_on > today:
        errors["declared_on"] = f"Date declared must be today or in the past, not {date_words(declared_on)}"
    if errors:
        raise ValidationError(errors)
    assert declared_on is not None  # an error above otherwise
    if locked.interests.filter(item__isnull=True).count() >= INTERESTS_MAX:
        raise ValidationError(f"A member has at most {INTERESTS_MAX} interests in the register: remove one first.")
    interest = Interest(member=locked, description=description, declared_on=declared_on)
    interest.full_clean()
    interest.save()
    audit_created(actor=user, obj=interest, fields=("member", "description", "declared_on"))
    return interest


@transaction.atomic
def interest_remove(*, interest: Interest, user) -> None:
    _lock_group(interest.member.group, user=user)
    locked = Interest.objects.select_for_update().get(pk=interest.pk)
    audit_deleted_with_cascade(actor=user, objects=[locked])
    locked.delete()
