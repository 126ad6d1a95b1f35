"""Providers' quarterly monitoring returns: entering or correcting one quarter's return.

A return reports, for one quarter of one financial year, the people a programme reached in that quarter
(directly, and indirectly; the direct count by ``AgeBand`` where known), its outputs and its spend in the
financial year up to the quarter's end. The rules its values follow are ``returns_rules.return_check`` (the
form and the spreadsheet import check through it alike).

``return_save``, in one transaction, locks the programme, checks the return is still
the one the form was loaded with (``version``: ``selectors.returns.return_version``), checks the values against
the year's other quarters (nothing is written if any is wrong), writes and audits
old -> new.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from vrhub.core.audit import audit_changes, audit_created, diff_fields
from vrhub.programmes.models import MonitoringReturn, Programme
from vrhub.programmes.returns_rules import FIELDS, return_check
from vrhub.programmes.selectors import access
from vrhub.programmes.selectors.returns import return_version, year_amount


@dataclass(frozen=True)
class Saved:
    monitoring_return: MonitoringReturn
    created: bool
    changes: dict
    warnings: list[str]


def write_return(*, programme: Programme, user, year: int, quarter: int, values: dict[str, Any]) -> Saved:
    """Write checked values (inside the caller's transaction, with the programme locked) and audit them."""
    existing = MonitoringReturn.objects.select_for_update().filter(programme=programme, year=year, quarter=quarter)
    found = existing.first()
    if found is None:
        found = MonitoringReturn(programme=programme, year=year, quarter=quarter, submitted_by=user, **values)
        found.full_clean()
        found.save()
        audit_created(actor=user, obj=found, fields=("programme", "year", "quarter", *FIELDS))
        return Saved(found, True, {f: (None, values[f]) for f in FIELDS}, [])
    changes = diff_fields(found, values)
    if changes:
        for name, (_old, new) in changes.items():
            setattr(found, name, new)
        found.submitted_by = user
        found.full_clean()
        found.save(update_fields=[*changes, "submitted_by", "updated_at"])
        audit_changes(actor=user, obj=found, changes=changes)
    return Saved(found, False, changes, [])


def return_save(
    *, programme: Programme, user, year: int, quarter: int, data: Mapping[str, Any], version: str | None = None
) -> Saved:
    """Enter or correct ``programme``'s return for ``year`` quarter ``quarter``. ``version``: the return as the
    form was loaded (``return_version``); a return changed since is refused. Returns what changed and the
    warnings (spend above the year's amount)."""
    with transaction.atomic():
        locked = Programme.objects.select_for_update().get(pk=programme.pk)
        if user is not None and not access.user_can_edit_programme(user=user, programme=locked):
            raise PermissionDenied("You can look at this programme but not change it.")
        current = MonitoringReturn.objects.filter(programme=locked, year=year, quarter=quarter).first()
        if version is not None and version != return_version(monitoring_return=current):
            raise ValidationError(
                "This return was changed by someone else since you opened it, so nothing was saved: "
                "check the figures below and save again."
            )
        others = dict(
            MonitoringReturn.objects.filter(programme=locked, year=year)
            .exclude(quarter=quarter)
            .values_list("quarter", "spend_to_date")
        )
        checked = return_check(
            programme=locked,
            year=year,
            quarter=quarter,
            data=data,
            others=others,
            amount=year_amount(programme=locked, year=year),
        )
        saved = write_return(programme=locked, user=user, year=year, quarter=quarter, values=checked.values)
    return Saved(saved.monitoring_return, saved.created, saved.changes, checked.warnings)
