"""How a VRU publishes its grants in the 360Giving Data Standard: its funder profile (organisation identifier,
name as funder, 360Giving grant prefix). Only the VRU's admins change it.

Validates everything first (each error names the field and its limit), then in one transaction locks the VRU's
row (so two first saves cannot both create a profile) and the profile, refuses a stale form (``version``, the
fingerprint the form was loaded with), writes and audits the change.
"""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from vrhub.core.audit import audit_changes, audit_created, diff_fields
from vrhub.core.limits import text_length_message
from vrhub.organisations.models import Organisation
from vrhub.programmes import giving360
from vrhub.programmes.catalogue import TITLE_MAX
from vrhub.programmes.models import FunderProfile
from vrhub.programmes.selectors.access import user_can_edit_funder_profile
from vrhub.programmes.selectors.open_data import funder_profile_version

IDENTIFIER_MAX = 60
LABELS = {
    "org_identifier": "Organisation identifier",
    "funder_name": "Name as funder",
    "grant_prefix": "360Giving prefix",
}
FIELDS = tuple(LABELS)


def _text(data: Mapping[str, Any], name: str, limit: int, errors: dict[str, str]) -> str:
    value = data.get(name)
    value = value.strip() if isinstance(value, str) else ""
    label = LABELS[name]
    if "\x00" in value:
        errors[name] = f"{label} must not contain a NUL character"
    elif not value:
        errors[name] = f"Enter the {label[0].lower()}{label[1:]}"
    elif len(value) > limit:
        errors[name] = text_length_message(label=label, limit=limit, length=len(value))
    return value


def _values(data: Mapping[str, Any]) -> dict[str, str]:
    errors: dict[str, str] = {}
    org_identifier = _text(data, "org_identifier", IDENTIFIER_MAX, errors)
    if "org_identifier" not in errors and not giving360.ORG_IDENTIFIER.match(org_identifier):
        errors["org_identifier"] = (
            "Organisation identifier must be an org-id.guide identifier: a list code and the organisation's id "
            "in it, such as GB-GOR-PB123 or GB-LAE-LND (capital letters, digits and hyphens)"
        )
    funder_name = _text(data, "funder_name", TITLE_MAX, errors)
    grant_prefix = _text(data, "grant_prefix", IDENTIFIER_MAX, errors)
    if "grant_prefix" not in errors and not giving360.GRANT_PREFIX.match(grant_prefix):
        errors["grant_prefix"] = (
            "360Giving prefix must start 360G- and then be letters, digits and single hyphens, such as "
            "360G-londonvru (360Giving gives each publisher its prefix)"
        )
    if errors:
        raise ValidationError(errors)
    return {"org_identifier": org_identifier, "funder_name": funder_name, "grant_prefix": grant_prefix}


@transaction.atomic
def funder_profile_save(*, vru: Organisation, user, data: Mapping[str, Any]) -> FunderProfile:
    """Set up or change ``vru``'s funder profile from ``data`` (``org_identifier``, ``funder_name``,
    ``grant_prefix`` and, from a form, ``version``). ``user`` must be an admin of the VRU (None: the system)."""
    vru = Organisation.objects.select_for_update().get(pk=vru.pk)
    if vru.kind != Organisation.Kind.VRU:
        raise ValidationError({"vru": "Only a VRU has a funder profile"})
    if user is not None and not user_can_edit_funder_profile(user=user, vru=vru):
        raise PermissionDenied("Only the VRU's admins change how it publishes its grants.")
    profile = FunderProfile.objects.select_for_update().filter(vru=vru).first()
    version = data.get("version")
    if version not in (None, "") and version != funder_profile_version(profile):
        raise ValidationError(
            {
                "version": "Someone else changed the funder profile while you were editing it: your changes have "
                "not been saved. Check the profile below, then make your changes again."
            }
        )
    values = _values(data)
    if profile is None:
        profile = FunderProfile(vru=vru, **values)
        profile.full_clean()
        profile.save()
        audit_created(actor=user, obj=profile, fields=("vru", *FIELDS, "licence_url", "synthetic"))
        return profile
    changes = diff_fields(profile, values)
    if not changes:
        return profile
    for name, value in values.items():
        setattr(profile, name, value)
    profile.full_clean()
    profile.save()
    audit_changes(actor=user, obj=profile, changes=changes)
    return profile
