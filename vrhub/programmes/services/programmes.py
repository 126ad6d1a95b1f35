"""Setting up and changing a funded programme: its details, amounts by financial year, areas and wards served,
its links (logic-model objectives, plan actions, theme) and whether it is published.

Every function validates everything first (``ValidationError({field: message})`` naming the field and its
limit), then in ONE transaction locks the Programme row, refuses a stale form (``version``), writes and audits
each change (many-to-many changes as old -> new lists). ``user`` is who acts; ``None`` is the system itself
(demo seeding, the command line). Rules:

* the reference is unique in the VRU and safe (letters, digits and hyphens: it becomes part of a 360Giving id);
* dates: start <= end, award <= end; an amount for a year must lie within the financial years the dates span
  (when the dates are set), and changing the dates is refused while an amount lies outside them;
* amounts are pounds and pence, never negative, at most ``catalogue.MONEY_MAX``;
* only the VRU's objectives, its areas, the plan actions of plans of the areas served and the themes of the
  VRU's templates may be linked; a recipient must be one of the VRU's.
"""

import re
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from vrhub.core.audit import audit_changes, audit_created, audit_deleted, diff_fields
from vrhub.organisations.models import Organisation
from vrhub.plans.models import PlanAction, Theme
from vrhub.programmes import checks_programmes as checks
from vrhub.programmes.catalogue import (
    NAME_MAX,
    REFERENCE_MAX,
    TEXT_LIMIT,
    TITLE_MAX,
    WARDS_MAX,
    LogicLevel,
    year_label,
    year_of,
)
from vrhub.programmes.models import LogicNode, Programme, ProgrammeAmount, Recipient
from vrhub.programmes.selectors import access
from vrhub.programmes.selectors import programmes as selectors

REFERENCE = re.compile(r"^[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$")
WARD_MAX = 100

DETAIL_FIELDS = (
    "reference",
    "title",
    "description",
    "recipient",
    "funding_source",
    "spend_category",
    "award_date",
    "start_date",
    "end_date",
)
STALE = (
    "Someone else changed this programme while you were editing it: your changes have not been saved. "
    "Check the programme as it is now, then make your changes again."
)


def _lock(programme: Programme, *, user, version: int | None) -> Programme:
    locked = Programme.objects.select_for_update().get(pk=programme.pk)
    if user is not None and not access.user_can_edit_programme(user=user, programme=locked):
        raise PermissionDenied("You can look at this programme but not change it.")
    if version is not None and locked.version != version:
        raise ValidationError({"version": STALE})
    return locked


def _amounts_text(programme: Programme) -> str:
    return "; ".join(
        f"{year_label(a.year)}: {a.amount}{' (estimated split)' if a.estimated else ''}"
        for a in ProgrammeAmount.objects.filter(programme=programme).order_by("year")
    )


def _bump(programme: Programme, *, user, before: str) -> None:
    """A change of the amounts is a change of the programme: its version moves on (stale forms are refused)
    and the programme's own trail records the amounts before and after."""
    programme.version += 1
    programme.save(update_fields=["version", "updated_at"])
    audit_changes(
        actor=user,
        obj=programme,
        changes={"amounts": (before, _amounts_text(programme))},
        object_version=programme.version,
    )


def _span_years(start, end) -> tuple[int | None, int | None]:
    return (year_of(start) if start else None, year_of(end) if end else None)


def _year_outside(year: int, start, end) -> bool:
    first, last = _span_years(start, end)
    return (first is not None and year < first) or (last is not None and year > last)


def _details(data: Mapping[str, Any], *, vru: Organisation, programme: Programme | None) -> dict[str, Any]:
    errors: dict[str, str] = {}
    reference = checks.text(data, "reference", "Reference", REFERENCE_MAX, errors, required=True)
    if "reference" not in errors:
        # References are unique in the VRU whatever their case, and the VRU's areas set up programmes too:
        # lock the VRU's row so that two people saving the same reference at once are checked one after the
        # other (the second is told, never an IntegrityError nor two references differing only in case).
        Organisation.objects.select_for_update().filter(pk=vru.pk).first()
        if not REFERENCE.match(reference):
            errors["reference"] = (
                "Reference must be letters, digits and single hyphens between them, such as LDN-2020-01: "
                "it becomes part of the grant's 360Giving identifier"
            )
        elif (
            Programme.objects.filter(vru=vru, reference__iexact=reference)
            .exclude(pk__in=[programme.pk] if programme is not None else [])
            .exists()
        ):
            errors["reference"] = f"Reference {reference!r} is already used by another programme of {vru.name}"
    title = checks.text(data, "title", "Title", TITLE_MAX, errors, required=True)
    description = checks.text(data, "description", "Description", TEXT_LIMIT, errors)
    funding_source = checks.text(data, "funding_source", "Funding source", NAME_MAX, errors)
    spend_category = checks.text(data, "spend_category", "Spend category", NAME_MAX, errors)
    recipient = data.get("recipient")
    if recipient in (None, ""):
        recipient = None
    else:
        pk = recipient.pk if isinstance(recipient, Recipient) else recipient
        try:
            recipient = Recipient.objects.get(vru=vru, pk=int(str(pk)))
        except (Recipient.DoesNotExist, ValueError, OverflowError):
            errors["recipient"] = f"Choose the recipient from {vru.name}'s organisations"
            recipient = None
    award = checks.date(data.get("award_date"), "award_date", "Award date", errors)
    start = checks.date(data.get("start_date"), "start_date", "Start date", errors)
    end = checks.date(data.get("end_date"), "end_date", "End date", errors)
    if start and end and start > end and "end_date" not in errors:
        errors["end_date"] = f"End date ({end:%d %B %Y}) must be on or after the start date ({start:%d %B %Y})"
    if award and end and award > end and "award_date" not in errors:
        errors["award_date"] = f"Award date ({award:%d %B %Y}) must be on or before the end date ({end:%d %B %Y})"
    if programme is not None and not {"start_date", "end_date"} & set(errors):
        outside = [a.year for a in programme.amounts.all() if _year_outside(a.year, start, end)]
        if outside:
            field = "start_date" if start and any(y < year_of(start) for y in outside) else "end_date"
            errors[field] = (
                f"The programme has amounts for {checks.years_text(outside)}, outside the financial years its "
                "dates span: change or remove those amounts first"
            )
    if errors:
        raise ValidationError(errors)
    return {
        "reference": reference,
        "title": title,
        "description": description,
        "recipient": recipient,
        "funding_source": funding_source,
        "spend_category": spend_category,
        "award_date": award,
        "start_date": start,
        "end_date": end,
    }


@transaction.atomic
def programme_create(*, owner: Organisation, user, data: Mapping[str, Any]) -> Programme:
    """Set up a programme for ``owner`` (the VRU or a CSP area of it), with its details."""
    owner = Organisation.objects.select_for_update().get(pk=owner.pk)
    if user is not None and not access.programme_owners_for(user=user).filter(pk=owner.pk).exists():
        raise PermissionDenied("You cannot set up a programme for this organisation.")
    vru = owner.owning_vru
    if vru is None:
        raise ValidationError({"owner": "A programme belongs to a VRU or to a CSP area of one"})
    values = _details(data, vru=vru, programme=None)
    programme = Programme(owner=owner, vru=vru, **values)
    programme.full_clean()
    programme.save()
    audit_created(actor=user, obj=programme, fields=("owner", "vru", *DETAIL_FIELDS))
    return programme


@transaction.atomic
def programme_update(*, programme: Programme, user, data: Mapping[str, Any], version: int) -> Programme:
    """Change the details (every field at once, as the form shows them)."""
    locked = _lock(programme, user=user, version=version)
    values = _details(data, vru=locked.vru, programme=locked)
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


@transaction.atomic
def programme_amount_save(
    *, programme: Programme, user, year: Any, amount: Any, estimated: bool = False, version: int
) -> ProgrammeAmount:
    """Add or change the amount for financial ``year``."""
    locked = _lock(programme, user=user, version=version)
    errors: dict[str, str] = {}
    found_year = checks.year(year, "year", errors)
    value = checks.money(amount, "amount", "Amount", errors)
    if found_year is not None and _year_outside(found_year, locked.start_date, locked.end_date):
        first, last = _span_years(locked.start_date, locked.end_date)
        span = f"{year_label(first) if first else 'any year'} to {year_label(last) if last else 'any year'}"
        errors["year"] = (
            f"Financial year {year_label(found_year)} is outside the programme's dates (its financial years run "
            f"{span}): change the dates first, or choose a year within them"
        )
    if errors:
        raise ValidationError(errors)
    assert found_year is not None and value is not None
    before = _amounts_text(locked)
    row = ProgrammeAmount.objects.filter(programme=locked, year=found_year).first()
    estimated = bool(estimated)
    if row is None:
        row = ProgrammeAmount(programme=locked, year=found_year, amount=value, estimated=estimated)
        row.full_clean()
        row.save()
        audit_created(actor=user, obj=row, fields=("programme", "year", "amount", "estimated"))
    else:
        changes = diff_fields(row, {"amount": value, "estimated": estimated})
        if not changes:
            return row
        row.amount, row.estimated = value, estimated
        row.full_clean()
        row.save()
        audit_changes(actor=user, obj=row, changes=changes)
    _bump(locked, user=user, before=before)
    return row


@transaction.atomic
def programme_amount_remove(*, programme: Programme, user, year: Any, version: int) -> None:
    """Remove the amount for financial ``year``."""
    locked = _lock(programme, user=user, version=version)
    errors: dict[str, str] = {}
    found_year = checks.year(year, "year", errors)
    if errors or found_year is None:
        raise ValidationError(errors)
    row = ProgrammeAmount.objects.filter(programme=locked, year=found_year).first()
    if row is None:
        raise ValidationError({"year": f"The programme has no amount for {year_label(found_year)}"})
    before = _amounts_text(locked)
    audit_deleted(actor=user, obj=row)
    row.delete()
    _bump(locked, user=user, before=before)


def _m2m_change(programme: Programme, field: str, new: list) -> dict[str, tuple[str, str]]:
    old = sorted(getattr(programme, field).all(), key=lambda o: o.pk)
    new = sorted(new, key=lambda o: o.pk)
    if [o.pk for o in old] == [o.pk for o in new]:
        return {}
    words = lambda items: "; ".join(f"{o.pk}: {o}" for o in items)  # noqa: E731
    return {field: (words(old), words(new))}


THROUGH_KEYS = {"objectives": "logicnode_id", "plan_actions": "planaction_id", "areas": "organisation_id"}


def _through_set(programme: Programme, field: str, wanted: list, *, user) -> None:
    """Make ``programme``'s ``field`` links exactly ``wanted``, auditing each link row added or removed (the
    programme's own entry gives the old -> new lists)."""
    through = getattr(Programme, field).through
    key = THROUGH_KEYS[field]
    rows = through.objects.filter(programme_id=programme.pk)
    wanted_ids = {o.pk for o in wanted}
    current = set(rows.values_list(key, flat=True))
    gone = list(rows.exclude(**{f"{key}__in": wanted_ids}))
    for row in gone:
        audit_deleted(actor=user, obj=row)
    through.objects.filter(pk__in=[r.pk for r in gone]).delete()
    added = through.objects.bulk_create(
        [through(programme_id=programme.pk, **{key: pk}) for pk in sorted(wanted_ids - current)]
    )
    for row in added:
        audit_created(actor=user, obj=row, fields=("programme_id", key))


@transaction.atomic
def programme_areas_set(
    *, programme: Programme, user, all_areas: bool, areas: Any, wards: Any, version: int
) -> Programme:
    """Set the areas served (every area of the VRU, or those named) and the wards, if targeted. Plan actions
    of areas no longer served are unlinked (and the unlinking audited)."""
    locked = _lock(programme, user=user, version=version)
    errors: dict[str, str] = {}
    all_areas = bool(all_areas)
    area_ids = checks.ids(areas)
    vru_areas = Organisation.objects.filter(kind=Organisation.Kind.AREA, vru=locked.vru)
    chosen: list[Organisation] = []
    if area_ids is None:
        errors["areas"] = f"Choose the areas from {locked.vru.name}'s areas"
    else:
        chosen = list(vru_areas.filter(pk__in=area_ids))
        if len(chosen) != len(area_ids):
            errors["areas"] = f"Choose the areas from {locked.vru.name}'s areas"
    if isinstance(wards, str):
        wards = [w for w in wards.replace("\r\n", "\n").split("\n")]
    ward_list: list[str] = []
    for ward in wards or []:
        if not isinstance(ward, str) or "\x00" in ward:
            errors["wards"] = "Wards must be text, without NUL characters"
            break
        ward = ward.strip()
        if not ward:
            continue
        if len(ward) > WARD_MAX:
            errors["wards"] = f"Each ward must be at most {WARD_MAX} characters (one is {len(ward)})"
            break
        if ward not in ward_list:
            ward_list.append(ward)
    if len(ward_list) > WARDS_MAX and "wards" not in errors:
        errors["wards"] = f"A programme can name at most {WARDS_MAX} wards (you gave {len(ward_list)})"
    if errors:
        raise ValidationError(errors)
    changes: dict[str, tuple[Any, Any]] = diff_fields(locked, {"all_areas": all_areas, "wards": ward_list})
    area_change = _m2m_change(locked, "areas", chosen)
    served = list(vru_areas) if all_areas else chosen
    dropped = list(locked.plan_actions.exclude(plan__area__in=served))
    if not changes and not area_change:
        return locked
    if dropped:
        kept = list(locked.plan_actions.filter(plan__area__in=served))
        changes.update(_m2m_change(locked, "plan_actions", kept))
        _through_set(locked, "plan_actions", kept, user=user)
    changes.update(area_change)
    locked.all_areas, locked.wards = all_areas, ward_list
    _through_set(locked, "areas", chosen, user=user)
    locked.version += 1
    locked.full_clean()
    locked.save()
    audit_changes(actor=user, obj=locked, changes=changes, object_version=locked.version)
    return locked


@transaction.atomic
def programme_links_set(
    *, programme: Programme, user, objectives: Any, plan_actions: Any, theme: Any, version: int
) -> Programme:
    """Set the logic-model objectives, the plan actions and the theme the programme supports."""
    locked = _lock(programme, user=user, version=version)
    errors: dict[str, str] = {}
    objective_ids = checks.ids(objectives)
    action_ids = checks.ids(plan_actions)
    chosen_objectives: list[LogicNode] = []
    chosen_actions: list[PlanAction] = []
    if objective_ids is None:
        errors["objectives"] = f"Choose objectives from {locked.vru.name}'s logic model"
    else:
        chosen_objectives = list(
            LogicNode.objects.filter(vru=locked.vru, level=LogicLevel.OBJECTIVE, pk__in=objective_ids)
        )
        if len(chosen_objectives) != len(objective_ids):
            errors["objectives"] = f"Choose objectives from {locked.vru.name}'s logic model"
    if action_ids is None:
        errors["plan_actions"] = "Choose plan actions of the plans of the areas the programme serves"
    else:
        chosen_actions = list(
            PlanAction.objects.filter(
                plan__area__in=selectors.served_areas(programme=locked), pk__in=action_ids
            ).select_related("plan__area")
        )
        if len(chosen_actions) != len(action_ids):
            errors["plan_actions"] = "Choose plan actions of the plans of the areas the programme serves"
    chosen_theme = None
    if theme not in (None, ""):
        pk = theme.pk if isinstance(theme, Theme) else theme
        try:
            chosen_theme = Theme.objects.get(template__vru=locked.vru, pk=int(str(pk)))
        except (Theme.DoesNotExist, ValueError, OverflowError):
            errors["theme"] = f"Choose a theme of {locked.vru.name}'s action-plan templates"
    if errors:
        raise ValidationError(errors)
    changes: dict[str, tuple[Any, Any]] = diff_fields(locked, {"theme": chosen_theme})
    changes.update(_m2m_change(locked, "objectives", chosen_objectives))
    changes.update(_m2m_change(locked, "plan_actions", chosen_actions))
    if not changes:
        return locked
    locked.theme = chosen_theme
    _through_set(locked, "objectives", chosen_objectives, user=user)
    _through_set(locked, "plan_actions", chosen_actions, user=user)
    locked.version += 1
    locked.save()
    audit_changes(actor=user, obj=locked, changes=changes, object_version=locked.version)
    return locked


@transaction.atomic
def programme_publication_set(*, programme: Programme, user, published: bool, version: int) -> Programme:
    """Publish the programme (open data, public pages) or withdraw it."""
    locked = _lock(programme, user=user, version=version)
    published = bool(published)
    if locked.published == published:
        return locked
    changes = {"published": (locked.published, published)}
    locked.published = published
    locked.version += 1
    locked.save()
    audit_changes(actor=user, obj=locked, changes=changes, object_version=locked.version)
    return locked
