"""Adding and correcting the organisations a VRU funds (recipients), shared by the VRU's and its areas'
programmes.

Identifiers give a recipient its 360Giving organisation identifier, so they are checked here:
* charity number (England and Wales, Charity Commission): 6 to 8 digits, optionally ``-N`` for a linked
  charity (``1123456``, ``1123456-1``);
* company number (Companies House): 8 characters, digits or two letters and six digits (``01234567``,
  ``SC123456``);
* other identifier: org-id.guide form ``XX-XXX-…`` (country, list code, identifier; e.g. ``GB-LAE-HAV``).
The name is unique in the VRU (ignoring case). Validation first, then one transaction; every change audited.
"""

import re
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from vrhub.core.audit import audit_changes, audit_created, diff_fields
from vrhub.organisations.models import Organisation
from vrhub.programmes import checks_programmes as checks
from vrhub.programmes.catalogue import TITLE_MAX
from vrhub.programmes.models import Recipient
from vrhub.programmes.selectors import access
from vrhub.programmes.selectors.programmes import recipient_fingerprint

CHARITY = re.compile(r"^\d{6,8}(?:-\d{1,3})?$")
COMPANY = re.compile(r"^(?:\d{8}|[A-Z]{2}\d{6})$")
ORG_ID = re.compile(r"^[A-Z]{2}-[A-Z0-9]{2,10}-[A-Za-z0-9][A-Za-z0-9._/-]*$")
POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")
FIELDS = ("name", "charity_number", "company_number", "other_identifier", "postcode")


def _values(data: Mapping[str, Any], *, vru: Organisation, recipient: Recipient | None) -> dict[str, str]:
    errors: dict[str, str] = {}
    name = checks.text(data, "name", "Name", TITLE_MAX, errors, required=True)
    if "name" not in errors and (
        Recipient.objects.filter(vru=vru, name__iexact=name)
        .exclude(pk__in=[recipient.pk] if recipient is not None else [])
        .exists()
    ):
        errors["name"] = f"{vru.name} already has an organisation called {name!r}"
    charity = checks.text(data, "charity_number", "Charity number", 20, errors).replace(" ", "")
    if charity and "charity_number" not in errors and not CHARITY.match(charity):
        errors["charity_number"] = (
            "Charity number must be the Charity Commission's 6 to 8 digits, optionally with -N for a linked "
            "charity, such as 1123456 or 1123456-1"
        )
    company = checks.text(data, "company_number", "Company number", 20, errors).replace(" ", "").upper()
    if company and "company_number" not in errors and not COMPANY.match(company):
        errors["company_number"] = "Company number must be Companies House's 8 characters, such as 01234567 or SC123456"
    other = checks.text(data, "other_identifier", "Other identifier", 60, errors)
    if other and "other_identifier" not in errors and not ORG_ID.match(other):
        errors["other_identifier"] = (
            "Other identifier must be an org-id.guide identifier: a country code, a list code and the "
            "identifier, separated by hyphens, such as GB-LAE-HAV"
        )
    postcode = checks.text(data, "postcode", "Postcode", 10, errors).upper()
    if postcode and "postcode" not in errors and not POSTCODE.match(postcode):
        errors["postcode"] = "Postcode must be a UK postcode, such as RM1 3BD"
    if errors:
        raise ValidationError(errors)
    return {
        "name": name,
        "charity_number": charity,
        "company_number": company,
        "other_identifier": other,
        "postcode": postcode,
    }


@transaction.atomic
def recipient_create(*, vru: Organisation, user, data: Mapping[str, Any]) -> Recipient:
    """Add an organisation ``vru`` funds (its staff, or its areas' editors)."""
    vru = Organisation.objects.select_for_update().get(pk=vru.pk)
    if vru.kind != Organisation.Kind.VRU:
        raise ValidationError({"vru": "Recipients belong to a VRU"})
    if user is not None:
        owners = access.programme_owners_for(user=user)
        if not any(o.owning_vru is not None and o.owning_vru.pk == vru.pk for o in owners):
            raise PermissionDenied("You cannot add organisations for this VRU.")
    values = _values(data, vru=vru, recipient=None)
    recipient = Recipient(vru=vru, **values)
    recipient.full_clean()
    recipient.save()
    audit_created(actor=user, obj=recipient, fields=("vru", *FIELDS))
    return recipient


@transaction.atomic
def recipient_update(*, recipient: Recipient, user, data: Mapping[str, Any], loaded: str | None = None) -> Recipient:
    """Correct an organisation's name and identifiers. ``loaded``: the recipient's ``recipient_fingerprint``
    when the form was opened; a change made since refuses the save (None: no form, the system itself)."""
    locked = Recipient.objects.select_for_update().get(pk=recipient.pk)
    if user is not None and not access.recipients_editable_by(user=user).filter(pk=locked.pk).exists():
        raise PermissionDenied("You can look at this organisation but not change it.")
    if loaded is not None and loaded != recipient_fingerprint(recipient=locked):
        raise ValidationError(
            {
                "version": "Someone else changed this organisation while you were editing it: your changes have "
                "not been saved. Check it as it is now, then make your changes again."
            }
        )
    values = _values(data, vru=locked.vru, recipient=locked)
    changes = diff_fields(locked, values)
    if not changes:
        return locked
    for name, value in values.items():
        setattr(locked, name, value)
    locked.full_clean()
    locked.save()
    audit_changes(actor=user, obj=locked, changes=changes)
    return locked
