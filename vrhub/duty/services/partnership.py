"""Writes of an area's partnership: the lead body, local policing body and governance group; the specified
authorities (Schedule 1) and their named leads; the relevant authorities (Schedule 2) and their consultation.

Every function here runs in one transaction that locks the partnership row (or, when setting one up, the
area's row), checks the person may change it (the one rule, ``duty.selectors.access``), validates everything
before writing anything, and audits each row made, changed or removed (who, when, old → new).
``user=None`` is the system itself (demo data, commands run by an operator).
"""

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import models, transaction
from django.utils import timezone

from vrhub.core.audit import audit_changes, audit_created, audit_deleted, audit_deleted_with_cascade, diff_fields
from vrhub.core.limits import text_length, text_length_message
from vrhub.duty.catalogue import AuthorityKind, RelevantKind
from vrhub.duty.models import TEXT_LIMIT, Consultation, Partnership, RelevantAuthority, SpecifiedAuthority
from vrhub.duty.selectors import access
from vrhub.duty.selectors.partnership import kind_words, owning_groups_for
from vrhub.governance.models import Group
from vrhub.organisations.models import Organisation

BODY_FIELDS = ("lead_body", "local_policing_body", "governance_group")
AUTHORITY_FIELDS = ("kind", "organisation", "lead_name", "lead_role", "lead_email")
CONSULTATION_FIELDS = ("consulted_on", "contact", "asked", "response", "responded_on")
BODY_LABELS = {
    "lead_body": "Lead body",
    "local_policing_body": "Local policing body",
    "governance_group": "Governance group",
}
AUTHORITY_LABELS = {
    "kind": "Kind of authority",
    "organisation": "Organisation",
    "lead_name": "Lead's name",
    "lead_role": "Lead's role",
    "lead_email": "Lead's e-mail address",
}
CONSULTATION_LABELS = {
    "consulted_on": "Date consulted",
    "contact": "Who was consulted",
    "asked": "What was asked",
    "response": "Their response",
    "responded_on": "Date of the response",
}
STALE = "Someone else changed the partnership since you opened this page: check it and make your change again"


# Shared checks -------------------------------------------------------------------------------------


def _clean(data: Mapping[str, Any], fields: Iterable[str]) -> dict[str, Any]:
    """Only ``fields`` of ``data``, text stripped (absent text as "")."""
    out: dict[str, Any] = {}
    for name in fields:
        if name not in data:
            continue
        value = data[name]
        out[name] = value.strip() if isinstance(value, str) else ("" if value is None else value)
    return out


def _length_errors(model: type[models.Model], data: Mapping[str, Any], labels: Mapping[str, str]) -> dict[str, str]:
    """Each text value over its field's limit (a short field's ``max_length``, a long text's ``TEXT_LIMIT``),
    the message naming the field and the limit."""
    errors = {}
    for name, value in data.items():
        field = model._meta.get_field(name)
        limit = TEXT_LIMIT if isinstance(field, models.TextField) else getattr(field, "max_length", None)
        if limit and isinstance(value, str) and text_length(value) > limit:
            errors[name] = text_length_message(label=labels.get(name, name), limit=limit, length=text_length(value))
    return errors


REQUIRED = {
    "lead_body": "Enter the lead body",
    "kind": "Choose the kind of authority",
    "organisation": "Enter the organisation",
    "lead_name": "Enter the lead's name",
    "consulted_on": "Enter the date consulted",
    "contact": "Enter who was consulted",
    "asked": "Enter what was asked",
}


def _required(data: Mapping[str, Any], names: Iterable[str], labels: Mapping[str, str]) -> dict[str, str]:
    """A message for each of ``names`` left empty (``labels`` name fields with no message of their own)."""
    return {n: REQUIRED.get(n, f"Enter the {labels[n].lower()}") for n in names if not data.get(n)}


def _require_edit(*, user, partnership: Partnership) -> None:
    """Defence in depth behind the pages' fetch-and-authorise helpers (``user=None``: the system)."""
    if user is not None and not access.user_can_edit_partnership(user=user, partnership=partnership):
        raise PermissionDenied("You cannot change this partnership's Duty records.")


def _lock(partnership: Partnership) -> Partnership:
    return Partnership.objects.select_for_update().select_related("area").get(pk=partnership.pk)


def _actor(user):
    return user if getattr(user, "pk", None) else None


def _covers_checked(*, area: Organisation, covers: Iterable[Organisation] | None) -> list[Organisation]:
    """The areas a VRU footprint covers: at least one, each a CSP area of that VRU. Refused for a CSP area."""
    covers = list(covers or [])
    if area.kind != Organisation.Kind.VRU:
        if covers:
            raise ValidationError({"covers": "Only a VRU footprint covers other areas"})
        return []
    if not covers:
        raise ValidationError({"covers": "Choose at least one area the footprint covers"})
    foreign = [c.name for c in covers if c.kind != Organisation.Kind.AREA or c.vru_id != area.pk]
    if foreign:
        raise ValidationError({"covers": f"{', '.join(sorted(foreign))}: not an area of {area.name}"})
    return sorted({c.pk: c for c in covers}.values(), key=lambda c: c.name)


def _codes(orgs: Iterable[Organisation]) -> str:
    return ", ".join(sorted(o.code for o in orgs))


def _owning_group_checked(*, user, area: Organisation, data: Mapping[str, Any]) -> tuple[bool, Group | None]:
    """(given, group): whether ``data`` names the owning group at all, and the group (None to clear it). Only a
    group of the partnership's own area (a footprint: the VRU's) that the person may see: another area's group
    is refused, naming the field."""
    if "owning_group" not in data:
        return False, None
    group = data["owning_group"]
    if group in (None, ""):
        return True, None
    if not isinstance(group, Group) or not owning_groups_for(user=user, area=area).filter(pk=group.pk).exists():
        raise ValidationError({"owning_group": f"Choose one of {area.name}'s governance groups from the list"})
    return True, group


def _body_errors(data: dict[str, Any]) -> dict[str, str]:
    errors = _length_errors(Partnership, data, BODY_LABELS)
    errors.update({k: v for k, v in _required(data, ["lead_body"], BODY_LABELS).items() if k not in errors})
    return errors


# The partnership ----------------------------------------------------------------------------------


@transaction.atomic
def partnership_create(
    *, area: Organisation, user, data: Mapping[str, Any], covers: Iterable[Organisation] | None = None
) -> Partnership:
    """Set up ``area``'s partnership (a CSP area; or a VRU's footprint, with the areas it ``covers``).

    ``data``: lead_body (required), local_policing_body, governance_group (a name), owning_group (a
    ``governance.Group`` of the area, or None)."""
    area = Organisation.objects.select_for_update().get(pk=area.pk)
    if user is not None and not access.user_can_start_partnership(user=user, area=area):
        raise PermissionDenied("You cannot set up this area's partnership.")
    if area.kind not in (Organisation.Kind.AREA, Organisation.Kind.VRU) or area.owning_vru is None:
        raise ValidationError({"area": f"{area.name} is not a Community Safety Partnership area or a VRU"})
    if Partnership.objects.filter(area=area).exists():
        raise ValidationError({"area": f"{area.name} already has a partnership record"})
    values = _clean(data, BODY_FIELDS)
    errors = _body_errors(values)
    group: Group | None = None
    try:
        _given, group = _owning_group_checked(user=user, area=area, data=data)
    except ValidationError as exc:
        errors |= {field: messages[0] for field, messages in exc.message_dict.items()}
    try:
        chosen = _covers_checked(area=area, covers=covers)
    except ValidationError as exc:
        errors |= {field: messages[0] for field, messages in exc.message_dict.items()}
    if errors:
        raise ValidationError(errors)
    partnership = Partnership.objects.create(area=area, vru=area.owning_vru, owning_group=group, **values)
    audit_created(actor=_actor(user), obj=partnership, fields=["area", "vru", "owning_group", *values])
    if chosen:
        partnership.covers.set(chosen)
        audit_changes(actor=_actor(user), obj=partnership, changes={"covers": ("", _codes(chosen))})
    return partnership


@transaction.atomic
def partnership_update(
    *,
    partnership: Partnership,
    user,
    data: Mapping[str, Any],
    covers: Iterable[Organisation] | None = None,
    expected_version: int | None = None,
) -> dict[str, tuple[Any, Any]]:
    """Change the lead body, local policing body and governance group (and a footprint's areas, when
    ``covers`` is given). Returns the changes made; ``version`` goes up only when something changed."""
    locked = _lock(partnership)
    _require_edit(user=user, partnership=locked)
    if expected_version is not None and expected_version != locked.version:
        raise ValidationError({"version": STALE})
    values = _clean(data, BODY_FIELDS)
    errors = _body_errors({**{f: getattr(locked, f) for f in BODY_FIELDS}, **values})
    given, group = False, None
    try:
        given, group = _owning_group_checked(user=user, area=locked.area, data=data)
    except ValidationError as exc:
        errors |= {field: messages[0] for field, messages in exc.message_dict.items()}
    if errors:
        raise ValidationError(errors)
    changes = diff_fields(locked, values)
    if given and locked.owning_group_id != (group.pk if group else None):
        old_name = locked.owning_group.name if locked.owning_group is not None else ""
        changes["owning_group"] = (old_name, group.name if group else "")
        locked.owning_group = group
    old_covers = list(locked.covers.all())
    new_covers = old_covers if covers is None else _covers_checked(area=locked.area, covers=covers)
    if _codes(old_covers) != _codes(new_covers):
        changes["covers"] = (_codes(old_covers), _codes(new_covers))
        locked.covers.set(new_covers)
    if not changes:
        return {}
    for name, (_old, new) in changes.items():
        if name not in ("covers", "owning_group"):
            setattr(locked, name, new)
    changes["version"] = (locked.version, locked.version + 1)
    locked.version += 1
    locked.save(update_fields=[*(n for n in changes if n != "covers"), "updated_at"])
    audit_changes(actor=_actor(user), obj=locked, changes=changes, object_version=locked.version)
    partnership.refresh_from_db()
    return changes


# Specified authorities (Schedule 1) ---------------------------------------------------------------


def _authority_errors(*, partnership: Partnership, values: dict[str, Any], exclude: int | None = None) -> dict:
    errors = _length_errors(SpecifiedAuthority, {k: v for k, v in values.items() if k != "kind"}, AUTHORITY_LABELS)
    for name, message in _required(values, ["kind", "organisation", "lead_name"], AUTHORITY_LABELS).items():
        errors.setdefault(name, message)
    if values.get("kind") and values["kind"] not in AuthorityKind.values:
        errors["kind"] = "Choose the kind of specified authority from the list"
    if values.get("lead_email") and "lead_email" not in errors:
        try:
            validate_email(values["lead_email"])
        except ValidationError:
            errors["lead_email"] = "Enter the lead's e-mail address in the right format, like name@example.org"
    if not errors:
        same = SpecifiedAuthority.objects.filter(
            partnership=partnership, kind=values["kind"], organisation__iexact=values["organisation"]
        )
        if exclude is not None:
            same = same.exclude(pk=exclude)
        if same.exists():
            errors["organisation"] = (
                f"{values['organisation']} is already in the partnership as the "
                f"{kind_words(AuthorityKind(values['kind']).label)}"
            )
    return errors


@transaction.atomic
def specified_authority_add(*, partnership: Partnership, user, data: Mapping[str, Any]) -> SpecifiedAuthority:
    """Add a specified authority with its named lead: kind, organisation and lead_name required; lead_role,
    lead_email optional. The same organisation twice as the same kind is refused."""
    locked = _lock(partnership)
    _require_edit(user=user, partnership=locked)
    values = {f: "" for f in AUTHORITY_FIELDS} | _clean(data, AUTHORITY_FIELDS)
    errors = _authority_errors(partnership=locked, values=values)
    if errors:
        raise ValidationError(errors)
    authority = SpecifiedAuthority.objects.create(partnership=locked, **values)
    audit_created(actor=_actor(user), obj=authority, fields=["partnership", *AUTHORITY_FIELDS])
    return authority


@transaction.atomic
def specified_authority_update(
    *, authority: SpecifiedAuthority, user, data: Mapping[str, Any]
) -> dict[str, tuple[Any, Any]]:
    """Change an authority's kind, organisation or lead. Returns the changes made."""
    locked = _lock(authority.partnership)
    _require_edit(user=user, partnership=locked)
    current = SpecifiedAuthority.objects.get(pk=authority.pk, partnership=locked)
    values = _clean(data, AUTHORITY_FIELDS)
    errors = _authority_errors(
        partnership=locked, values={f: getattr(current, f) for f in AUTHORITY_FIELDS} | values, exclude=current.pk
    )
    if errors:
        raise ValidationError(errors)
    changes = diff_fields(current, values)
    if changes:
        for name, (_old, new) in changes.items():
            setattr(current, name, new)
        current.save(update_fields=list(changes))
        audit_changes(actor=_actor(user), obj=current, changes=changes)
        authority.refresh_from_db()
    return changes


@transaction.atomic
def specified_authority_remove(*, authority: SpecifiedAuthority, user) -> None:
    locked = _lock(authority.partnership)
    _require_edit(user=user, partnership=locked)
    current = SpecifiedAuthority.objects.get(pk=authority.pk, partnership=locked)
    audit_deleted(actor=_actor(user), obj=current)
    current.delete()


# Relevant authorities (Schedule 2) and their consultation ------------------------------------------


@transaction.atomic
def relevant_authority_add(*, partnership: Partnership, user, data: Mapping[str, Any]) -> RelevantAuthority:
    """Add a relevant authority the partnership consults: kind and organisation, both required."""
    locked = _lock(partnership)
    _require_edit(user=user, partnership=locked)
    values = {"kind": "", "organisation": ""} | _clean(data, ("kind", "organisation"))
    labels = {"kind": "Kind of authority", "organisation": "Organisation"}
    errors = _length_errors(RelevantAuthority, {"organisation": values["organisation"]}, labels)
    for name, message in _required(values, ["kind", "organisation"], labels).items():
        errors.setdefault(name, message)
    if values["kind"] and values["kind"] not in RelevantKind.values:
        errors["kind"] = "Choose the kind of relevant authority from the list"
    if not errors and RelevantAuthority.objects.filter(
        partnership=locked, kind=values["kind"], organisation__iexact=values["organisation"]
    ):
        errors["organisation"] = (
            f"{values['organisation']} is already consulted as the {kind_words(RelevantKind(values['kind']).label)}"
        )
    if errors:
        raise ValidationError(errors)
    relevant = RelevantAuthority.objects.create(partnership=locked, **values)
    audit_created(actor=_actor(user), obj=relevant, fields=["partnership", "kind", "organisation"])
    return relevant


@transaction.atomic
def relevant_authority_remove(*, authority: RelevantAuthority, user) -> int:
    """Remove a relevant authority and its consultation records (each audited). Returns how many
    consultation records went with it."""
    locked = _lock(authority.partnership)
    _require_edit(user=user, partnership=locked)
    current = RelevantAuthority.objects.get(pk=authority.pk, partnership=locked)
    going = audit_deleted_with_cascade(actor=_actor(user), objects=[current])
    current.delete()
    return sum(isinstance(o, Consultation) for o in going)


def _consultation_errors(values: dict[str, Any], *, today: dt.date) -> dict[str, str]:
    errors = _length_errors(
        Consultation, {k: v for k, v in values.items() if k in ("contact", "asked", "response")}, CONSULTATION_LABELS
    )
    for name, message in _required(values, ["consulted_on", "contact", "asked"], CONSULTATION_LABELS).items():
        errors.setdefault(name, message)
    consulted, responded = values.get("consulted_on"), values.get("responded_on")
    for name, value in (("consulted_on", consulted), ("responded_on", responded)):
        if value is not None and value != "" and not isinstance(value, dt.date):
            errors[name] = f"{CONSULTATION_LABELS[name]} must be a real date"
    if isinstance(consulted, dt.date) and consulted > today:
        errors["consulted_on"] = "Date consulted must be today or in the past"
    if isinstance(responded, dt.date):
        if responded > today:
            errors["responded_on"] = "Date of the response must be today or in the past"
        elif isinstance(consulted, dt.date) and responded < consulted:
            errors["responded_on"] = "Date of the response must be the same as or after the date consulted"
        if not values.get("response") and "response" not in errors:
            errors["response"] = "Enter their response, or leave the date of the response blank"
    elif values.get("response") and "responded_on" not in errors:
        errors["responded_on"] = "Enter the date of the response"
    return errors


@transaction.atomic
def consultation_add(*, authority: RelevantAuthority, user, data: Mapping[str, Any]) -> Consultation:
    """Record a consultation of a relevant authority: consulted_on, contact, asked (required); response and
    responded_on together (not before the consultation; neither date in the future)."""
    locked = _lock(authority.partnership)
    _require_edit(user=user, partnership=locked)
    relevant = RelevantAuthority.objects.get(pk=authority.pk, partnership=locked)
    values = {"consulted_on": None, "contact": "", "asked": "", "response": "", "responded_on": None}
    values |= _clean(data, CONSULTATION_FIELDS)
    values["responded_on"] = values["responded_on"] or None
    errors = _consultation_errors(values, today=timezone.localdate())
    if errors:
        raise ValidationError(errors)
    consultation = Consultation.objects.create(authority=relevant, recorded_by=_actor(user), **values)
    audit_created(actor=_actor(user), obj=consultation, fields=["authority", *CONSULTATION_FIELDS])
    return consultation


@transaction.atomic
def consultation_update(*, consultation: Consultation, user, data: Mapping[str, Any]) -> dict[str, tuple[Any, Any]]:
    locked = _lock(consultation.authority.partnership)
    _require_edit(user=user, partnership=locked)
    current = Consultation.objects.get(pk=consultation.pk, authority__partnership=locked)
    values = _clean(data, CONSULTATION_FIELDS)
    if "responded_on" in values:
        values["responded_on"] = values["responded_on"] or None
    errors = _consultation_errors(
        {f: getattr(current, f) for f in CONSULTATION_FIELDS} | values, today=timezone.localdate()
    )
    if errors:
        raise ValidationError(errors)
    changes = diff_fields(current, values)
    if changes:
        for name, (_old, new) in changes.items():
            setattr(current, name, new)
        current.save(update_fields=list(changes))
        audit_changes(actor=_actor(user), obj=current, changes=changes)
        consultation.refresh_from_db()
    return changes


@transaction.atomic
def consultation_remove(*, consultation: Consultation, user) -> None:
    locked = _lock(consultation.authority.partnership)
    _require_edit(user=user, partnership=locked)
    current = Consultation.objects.get(pk=consultation.pk, authority__partnership=locked)
    audit_deleted(actor=_actor(user), obj=current)
    current.delete()
