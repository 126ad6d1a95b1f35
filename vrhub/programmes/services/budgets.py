"""Budgets: setting one up for a financial year, its published totals and notes, its income and spend lines,
and the owner's multi-year commitments.

Every function is keyword-only, validates everything before writing anything (``ValidationError({field:
message})`` naming the field and its limit), works in ONE transaction that locks the Budget row it changes
(the owner's Organisation row for a new budget or a commitment), refuses a stale form (``version``: the
budget's version the form was loaded at; any change to the budget or one of its lines moves it on) and audits
every change (old -> new). ``user`` is who acts; ``None`` is the system itself (demo data, the command line).

Money is typed in pounds and pence: "12500.50", "12,500.50" and "£12,500.50" are the same amount; negative
amounts, more than two decimal places and more than ``catalogue.MONEY_MAX`` are refused.
"""

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from vrhub.core.audit import audit_changes, audit_created, audit_deleted, diff_fields
from vrhub.organisations.models import Organisation
from vrhub.programmes.catalogue import NAME_MAX, TEXT_LIMIT, YEAR_MAX, YEAR_MIN, year_label
from vrhub.programmes.models import Budget, Commitment, IncomeLine, SpendLine
from vrhub.programmes.money import parse_money
from vrhub.programmes.selectors import access
from vrhub.programmes.selectors.budgets import commitment_fingerprint, money_text

STALE = (
    "Someone else changed this budget while you were editing it: your changes have not been saved. "
    "Check the budget as it is now, then make your changes again."
)

BUDGET_FIELDS = ("stated_income_total", "stated_expenditure_total", "notes")
INCOME_FIELDS = (
    "source",
    "amount",
    "ring_fenced",
    "labour_amount",
    "non_labour_amount",
    "match_funding",
    "conditions",
    "order",
)
SPEND_FIELDS = ("category", "amount", "order")
COMMITMENT_FIELDS = ("funder", "source", "year", "amount", "description")
ORDER_MAX = 999


def _parse_money(value: Any, *, label: str) -> Decimal | None:
    """``value`` as pounds and pence by the one rule (``programmes.money``), or None when empty."""
    return parse_money(value, label=label)


def _money(data: Mapping[str, Any], name: str, label: str, errors: dict[str, str], *, required: bool):
    try:
        amount = _parse_money(data.get(name), label=label)
    except ValueError as exc:
        errors[name] = str(exc)
        return None
    if amount is None and required:
        errors[name] = f"Enter the {label[0].lower()}{label[1:]}, in pounds and pence"
    return amount


def _text(data: Mapping[str, Any], name: str, label: str, errors: dict[str, str], *, limit: int, required: bool):
    value = data.get(name)
    value = value.replace("\r\n", "\n").strip() if isinstance(value, str) else ""
    if "\x00" in value:
        errors[name] = f"{label} must not contain a NUL character"
    elif required and not value:
        errors[name] = f"Enter the {label[0].lower()}{label[1:]}"
    elif len(value) > limit:
        errors[name] = f"{label} must be {limit:,} characters or fewer (it has {len(value):,})"
    return value


def _whole(data: Mapping[str, Any], name: str, label: str, errors: dict[str, str], *, low: int, high: int):
    value = data.get(name)
    if value in (None, ""):
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        errors[name] = f"{label} must be a whole number"
        return None
    if not low <= number <= high:
        errors[name] = f"{label} must be between {low} and {high} (it is {number})"
        return None
    return number


def _check_edit(budget: Budget, user) -> None:
    if user is not None and not access.user_can_edit_budget(user=user, budget=budget):
        raise PermissionDenied("You can look at this budget but not change it.")


def _lock(budget: Budget, user, version: int) -> Budget:
    locked = Budget.objects.select_for_update().get(pk=budget.pk)
    _check_edit(locked, user)
    if locked.version != version:
        raise ValidationError({"version": STALE})
    return locked


def _bump(budget: Budget, user) -> None:
    """A line of the budget changed: move the budget's version on (audited), so open forms become stale."""
    old = budget.version
    budget.version += 1
    budget.save(update_fields=["version", "updated_at"])
    audit_changes(actor=user, obj=budget, changes={"version": (old, budget.version)}, object_version=budget.version)


# The budget ------------------------------------------------------------------------------------------------


@transaction.atomic
def budget_create(*, owner: Organisation, year: int, user, synthetic: bool = False) -> Budget:
    """Set up ``owner``'s (a VRU's or a CSP area's) budget for financial ``year``, with no lines yet."""
    owner = Organisation.objects.select_for_update().get(pk=owner.pk)
    if user is not None and not access.budget_owners_for(user=user).filter(pk=owner.pk).exists():
        raise PermissionDenied("You cannot set up a budget for this organisation.")
    errors: dict[str, str] = {}
    number = _whole({"year": year}, "year", "Financial year", errors, low=YEAR_MIN, high=YEAR_MAX)
    if number is None and "year" not in errors:
        errors["year"] = "Enter the financial year, such as 2020 for 2020/21"
    vru = owner.owning_vru
    if vru is None:
        errors["owner"] = "A budget belongs to a VRU or to a CSP area of one"
    if number is not None and Budget.objects.filter(owner=owner, year=number).exists():
        errors["year"] = f"{owner.name} already has a budget for {year_label(number)}: change that one"
    if errors:
        raise ValidationError(errors)
    assert number is not None  # noqa: S101 - checked above
    budget = Budget(owner=owner, vru=vru, year=number, synthetic=synthetic)
    budget.full_clean()
    budget.save()
    audit_created(actor=user, obj=budget, fields=("owner", "vru", "year", "synthetic"))
    return budget


def _budget_values(data: Mapping[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    values = {
        "stated_income_total": _money(data, "stated_income_total", "Published income total", errors, required=False),
        "stated_expenditure_total": _money(
            data, "stated_expenditure_total", "Published expenditure total", errors, required=False
        ),
        "notes": _text(data, "notes", "Notes", errors, limit=TEXT_LIMIT, required=False),
    }
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def budget_update(*, budget: Budget, user, data: Mapping[str, Any], version: int) -> Budget:
    """Change the totals as published (empty: none published) and the notes."""
    locked = _lock(budget, user, version)
    values = _budget_values(data)
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


# Lines -----------------------------------------------------------------------------------------------------


def _unique_name(model, budget: Budget, field: str, value: str, line, label: str, errors: dict[str, str]) -> None:
    if not value or field in errors:
        return
    clash = model.objects.filter(budget=budget, **{f"{field}__iexact": value})
    if line is not None:
        clash = clash.exclude(pk=line.pk)
    if clash.exists():
        errors[field] = f"The budget already has a {label} called {value!r}: change that line, or use another name"


def _income_values(data: Mapping[str, Any], *, budget: Budget, line: IncomeLine | None) -> dict[str, Any]:
    errors: dict[str, str] = {}
    source = _text(data, "source", "Source", errors, limit=NAME_MAX, required=True)
    _unique_name(IncomeLine, budget, "source", source, line, "source", errors)
    amount = _money(data, "amount", "Amount", errors, required=True)
    labour = _money(data, "labour_amount", "Labour costs", errors, required=False)
    non_labour = _money(data, "non_labour_amount", "Non-labour costs", errors, required=False)
    if amount is not None and labour is not None and non_labour is not None and labour + non_labour > amount:
        errors["labour_amount"] = (
            f"Labour costs ({money_text(labour)}) and non-labour costs ({money_text(non_labour)}) add up to "
            f"{money_text(labour + non_labour)}: more than the amount ({money_text(amount)})"
        )
    for name, part, label in (
        ("labour_amount", labour, "Labour costs"),
        ("non_labour_amount", non_labour, "Non-labour"),
    ):
        if amount is not None and part is not None and part > amount and name not in errors:
            errors[name] = f"{label} ({money_text(part)}) must not be more than the amount ({money_text(amount)})"
    values = {
        "source": source,
        "amount": amount,
        "ring_fenced": bool(data.get("ring_fenced")),
        "labour_amount": labour,
        "non_labour_amount": non_labour,
        "match_funding": _money(data, "match_funding", "Match funding", errors, required=False),
        "conditions": _text(data, "conditions", "Conditions", errors, limit=TEXT_LIMIT, required=False),
        "order": _whole(data, "order", "Order", errors, low=0, high=ORDER_MAX),
    }
    if errors:
        raise ValidationError(errors)
    return values


def _spend_values(data: Mapping[str, Any], *, budget: Budget, line: SpendLine | None) -> dict[str, Any]:
    errors: dict[str, str] = {}
    category = _text(data, "category", "Category", errors, limit=NAME_MAX, required=True)
    _unique_name(SpendLine, budget, "category", category, line, "category", errors)
    values = {
        "category": category,
        "amount": _money(data, "amount", "Amount", errors, required=True),
        "order": _whole(data, "order", "Order", errors, low=0, high=ORDER_MAX),
    }
    if errors:
        raise ValidationError(errors)
    return values


def _line_save(model, fields, values_of, *, budget, user, data, line, version):
    locked = _lock(budget, user, version)
    if line is not None and (line.budget_id != locked.pk or not model.objects.filter(pk=line.pk).exists()):
        raise ValidationError({"version": "That line is no longer in this budget: it may have been removed."})
    current = model.objects.select_for_update().get(pk=line.pk) if line is not None else None
    values = values_of(data, budget=locked, line=current)
    if values["order"] is None:
        values["order"] = current.order if current is not None else _next_order(model, locked)
    if current is None:
        created = model(budget=locked, **values)
        created.full_clean()
        created.save()
        audit_created(actor=user, obj=created, fields=("budget", *fields))
        _bump(locked, user)
        return created
    changes = diff_fields(current, values)
    if not changes:
        return current
    for name, value in values.items():
        setattr(current, name, value)
    current.full_clean()
    current.save()
    audit_changes(actor=user, obj=current, changes=changes)
    _bump(locked, user)
    return current


def _next_order(model, budget: Budget) -> int:
    last = model.objects.filter(budget=budget).order_by("-order").values_list("order", flat=True).first()
    return min((last or 0) + 1, ORDER_MAX)


@transaction.atomic
def income_line_save(
    *, budget: Budget, user, data: Mapping[str, Any], version: int, line: IncomeLine | None = None
) -> IncomeLine:
    """Add an income line to ``budget`` (``line`` None) or change ``line``: source (unique in the budget,
    whatever its case), amount, ring-fencing, the labour/non-labour split, match funding, conditions."""
    return _line_save(
        IncomeLine, INCOME_FIELDS, _income_values, budget=budget, user=user, data=data, line=line, version=version
    )


@transaction.atomic
def spend_line_save(
    *, budget: Budget, user, data: Mapping[str, Any], version: int, line: SpendLine | None = None
) -> SpendLine:
    """Add a spend line to ``budget`` (``line`` None) or change ``line``: category (unique) and amount."""
    return _line_save(
        SpendLine, SPEND_FIELDS, _spend_values, budget=budget, user=user, data=data, line=line, version=version
    )


@transaction.atomic
def line_delete(*, budget: Budget, user, line: IncomeLine | SpendLine, version: int) -> None:
    """Remove an income or spend line from ``budget``."""
    locked = _lock(budget, user, version)
    model = type(line)
    current = model.objects.select_for_update().filter(pk=line.pk, budget=locked).first()
    if current is None:
        raise ValidationError({"version": "That line is no longer in this budget: it may have been removed."})
    audit_deleted(actor=user, obj=current)
    current.delete()
    _bump(locked, user)


# Commitments -----------------------------------------------------------------------------------------------


def _commitment_values(
    data: Mapping[str, Any], *, owner: Organisation, commitment: Commitment | None
) -> dict[str, Any]:
    errors: dict[str, str] = {}
    source = _text(data, "source", "Source", errors, limit=NAME_MAX, required=True)
    year = _whole(data, "year", "Financial year", errors, low=YEAR_MIN, high=YEAR_MAX)
    if year is None and "year" not in errors:
        errors["year"] = "Enter the financial year, such as 2021 for 2021/22"
    if source and year is not None and "source" not in errors:
        clash = Commitment.objects.filter(owner=owner, source__iexact=source, year=year)
        if commitment is not None:
            clash = clash.exclude(pk=commitment.pk)
        if clash.exists():
            errors["source"] = (
                f"There is already a commitment of {source!r} for {year_label(year)}: change that one instead"
            )
    values = {
        "funder": _text(data, "funder", "Funder", errors, limit=NAME_MAX, required=True),
        "source": source,
        "year": year,
        "amount": _money(data, "amount", "Amount", errors, required=True),
        "description": _text(data, "description", "Description", errors, limit=TEXT_LIMIT, required=False),
    }
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def commitment_save(
    *,
    owner: Organisation,
    user,
    data: Mapping[str, Any],
    commitment: Commitment | None = None,
    loaded: str | None = None,
) -> Commitment:
    """Record a funder's commitment to ``owner`` for a financial year (``commitment`` None), or change one.
    Locks the owner's row: commitments are the owner's, across its budgets' years. ``loaded``: the commitment's
    ``commitment_fingerprint`` when the form was opened; a change made since refuses the save (None: no
    form, the system itself)."""
    owner = Organisation.objects.select_for_update().get(pk=owner.pk)
    if user is not None and not access.budget_owners_for(user=user).filter(pk=owner.pk).exists():
        raise PermissionDenied("You cannot change this organisation's commitments.")
    current = None
    if commitment is not None:
        current = Commitment.objects.select_for_update().filter(pk=commitment.pk, owner=owner).first()
        if current is None:
            raise ValidationError({"source": "That commitment no longer exists: it may have been removed."})
        if loaded is not None and loaded != commitment_fingerprint(commitment=current):
            raise ValidationError(
                {
                    "version": "Someone else changed this commitment while you were editing it: your changes have "
                    "not been saved. Check the commitment as it is now, then make your changes again."
                }
            )
    values = _commitment_values(data, owner=owner, commitment=current)
    if current is None:
        created = Commitment(owner=owner, vru=owner.owning_vru, **values)
        created.full_clean()
        created.save()
        audit_created(actor=user, obj=created, fields=("owner", "vru", *COMMITMENT_FIELDS))
        return created
    changes = diff_fields(current, values)
    if changes:
        for name, value in values.items():
            setattr(current, name, value)
        current.full_clean()
        current.save()
        audit_changes(actor=user, obj=current, changes=changes)
    return current


@transaction.atomic
def commitment_delete(*, commitment: Commitment, user) -> None:
    owner = Organisation.objects.select_for_update().get(pk=commitment.owner_id)
    if user is not None and not access.budget_owners_for(user=user).filter(pk=owner.pk).exists():
        raise PermissionDenied("You cannot change this organisation's commitments.")
    current = Commitment.objects.select_for_update().filter(pk=commitment.pk).first()
    if current is None:
        return
    audit_deleted(actor=user, obj=current)
    current.delete()
