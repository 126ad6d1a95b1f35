"""Setting up a partnership group and changing its terms of reference.

Every function works in one transaction, locks the Group row it changes, validates everything before
writing anything (each error names the field and its limit) and audits each change (who, when, old -> new).
A stale form is refused: ``group_update`` takes the ``version`` the form was loaded at. ``user`` is who acts;
``None`` is the system itself (demo seeding, the command line).
"""

import re
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from vrhub.core.audit import audit_changes, audit_created, diff_fields
from vrhub.core.limits import text_length, text_length_message
from vrhub.governance.catalogue import DecisionMode, Frequency, RequiredRole, Rounding
from vrhub.governance.models import TEXT_LIMIT, Group
from vrhub.governance.selectors import access
from vrhub.organisations.models import Organisation

SLUG_MAX = access.SLUG_MAX
NAME_MAX = 200
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Slugs that would read as another governance address.
RESERVED_SLUGS = frozenset({"new"})
FRACTION_MAX = 100
AGENDA_DAYS_MAX = 60

GROUP_FIELDS = (
    "name",
    "slug",
    "purpose",
    "frequency",
    "quorum_numerator",
    "quorum_denominator",
    "quorum_rounding",
    "required_roles",
    "remote_counts",
    "decision_mode",
    "dissent_recorded",
    "agenda_days_before",
    "minutes_published",
    "equality_statement_required",
    "community_target_percent",
)

LABELS = {
    "name": "Name",
    "slug": "Short name",
    "purpose": "Purpose",
    "frequency": "How often it meets",
    "quorum_numerator": "Quorum fraction's top number",
    "quorum_denominator": "Quorum fraction's bottom number",
    "quorum_rounding": "Rounding",
    "required_roles": "Roles that must be present",
    "decision_mode": "How decisions are made",
    "agenda_days_before": "Days before a meeting the agenda is published",
    "community_target_percent": "Community membership target",
}


def _whole(data: Mapping[str, Any], name: str, errors: dict[str, str], *, low: int, high: int, required: bool = True):
    value = data.get(name)
    label = LABELS[name]
    if value in (None, ""):
        if required:
            errors[name] = f"Enter the {label[0].lower()}{label[1:]}"
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        try:
            value = int(str(value).strip())
        except ValueError:
            errors[name] = f"{label} must be a whole number"
            return None
    if not low <= value <= high:
        errors[name] = f"{label} must be between {low} and {high} (it is {value})"
        return None
    return value


def _choice(data: Mapping[str, Any], name: str, choices, errors: dict[str, str]) -> str:
    value = data.get(name) or ""
    if value not in choices.values:
        errors[name] = f"Choose {LABELS[name][0].lower()}{LABELS[name][1:]} from the list"
    return value


def _group_values(data: Mapping[str, Any], *, group: Group | None = None) -> dict[str, Any]:
    """The terms of reference from ``data``, checked: ValidationError({field: message}) naming each problem."""
    errors: dict[str, str] = {}
    name = data.get("name")
    name = name.strip() if isinstance(name, str) else ""
    if not name:
        errors["name"] = "Enter the group's name"
    elif len(name) > NAME_MAX:
        errors["name"] = text_length_message(label="Name", limit=NAME_MAX, length=len(name))
    slug = data.get("slug")
    slug = slug.strip() if isinstance(slug, str) else ""
    if not slug:
        errors["slug"] = "Enter a short name"
    elif len(slug) > SLUG_MAX:
        errors["slug"] = text_length_message(label="Short name", limit=SLUG_MAX, length=len(slug))
    elif not SLUG.match(slug):
        errors["slug"] = (
            "Short name must be lower-case letters, digits and single hyphens between them, such as prg or havering-csp"
        )
    elif slug in RESERVED_SLUGS:
        errors["slug"] = f"Short name {slug!r} is used by the service itself: choose another"
    elif Group.objects.filter(slug=slug).exclude(pk=group.pk if group is not None else 0).exists():
        errors["slug"] = f"Short name {slug!r} is already used by another group: choose another"
    purpose = data.get("purpose")
    purpose = purpose.replace("\r\n", "\n").strip() if isinstance(purpose, str) else ""
    if text_length(purpose) > TEXT_LIMIT:
        errors["purpose"] = text_length_message(label="Purpose", limit=TEXT_LIMIT, length=text_length(purpose))
    numerator = _whole(data, "quorum_numerator", errors, low=1, high=FRACTION_MAX)
    denominator = _whole(data, "quorum_denominator", errors, low=1, high=FRACTION_MAX)
    if numerator is not None and denominator is not None and numerator > denominator:
        errors["quorum_numerator"] = (
            f"The quorum fraction's top number ({numerator}) must not be more than its bottom number "
            f"({denominator}): a quorum cannot be more than all the members"
        )
    roles = data.get("required_roles") or []
    if isinstance(roles, str) or not isinstance(roles, list | tuple):
        roles = [roles]
    unknown = [r for r in roles if r not in RequiredRole.values]
    if unknown:
        errors["required_roles"] = "Choose the roles that must be present from the list"
    target = _whole(data, "community_target_percent", errors, low=0, high=100, required=False)
    values = {
        "name": name,
        "slug": slug,
        "purpose": purpose,
        "frequency": _choice(data, "frequency", Frequency, errors),
        "quorum_numerator": numerator,
        "quorum_denominator": denominator,
        "quorum_rounding": _choice(data, "quorum_rounding", Rounding, errors),
        # In the catalogue's order, each once.
        "required_roles": [r for r in RequiredRole.values if r in roles],
        "remote_counts": bool(data.get("remote_counts")),
        "decision_mode": _choice(data, "decision_mode", DecisionMode, errors),
        "dissent_recorded": bool(data.get("dissent_recorded")),
        "agenda_days_before": _whole(data, "agenda_days_before", errors, low=0, high=AGENDA_DAYS_MAX),
        "minutes_published": bool(data.get("minutes_published")),
        "equality_statement_required": bool(data.get("equality_statement_required")),
        "community_target_percent": target,
    }
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def group_create(*, owner: Organisation, user, data: Mapping[str, Any]) -> Group:
    """Set up a group for ``owner`` (a VRU or a CSP area) with its terms of reference. The person must be
    allowed to set up groups for that owner (``access.group_owners_for``)."""
    owner = Organisation.objects.select_for_update().get(pk=owner.pk)
    if user is not None and not access.group_owners_for(user=user).filter(pk=owner.pk).exists():
        raise PermissionDenied("You cannot set up a group for this organisation.")
    vru = owner.owning_vru
    if vru is None:
        raise ValidationError({"owner": "A group belongs to a VRU or to a CSP area of one"})
    values = _group_values(data)
    group = Group(owner=owner, vru=vru, **values)
    group.full_clean()
    group.save()
    audit_created(actor=user, obj=group, fields=("owner", "vru", *GROUP_FIELDS))
    return group


@transaction.atomic
def group_update(*, group: Group, user, data: Mapping[str, Any], version: int) -> Group:
    """Change the terms of reference (every field at once, as the form shows them). Refused, with nothing
    saved, if the group was changed since the form was loaded at ``version``."""
    locked = Group.objects.select_for_update().get(pk=group.pk)
    if user is not None and not access.user_can_edit_group(user=user, group=locked):
        raise PermissionDenied("You can look at this group's records but not change them.")
    if locked.version != version:
        raise ValidationError(
            {
                "version": "Someone else changed these terms of reference while you were editing them: "
                "your changes have not been saved. Check the current terms below, then make your changes again."
            }
        )
    values = _group_values(data, group=locked)
    changes = diff_fields(locked, values)
    if not changes:
        return locked
    for name, value in values.items():
        setattr(locked, name, value)
    locked.version += 1
    locked.full_clean()
    locked.save()
    audit_changes(actor=user, obj=locked, changes=changes, object_version=locked.version)
    return locked
