from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from vrhub.core.audit import audit_changes, audit_created_many
from vrhub.organisations import london, west_midlands
from vrhub.organisations.models import Organisation

Kind = Organisation.Kind


def organisation_upsert(*, code: str, kind: str, name: str, user=None, **links) -> Organisation:
    """Create or update an organisation by its code, auditing what changed."""
    return organisations_upsert(rows=[{"code": code, "kind": kind, "name": name, **links}], user=user)[code]


def organisations_upsert(*, rows: Sequence[dict[str, Any]], user=None) -> dict[str, Organisation]:
    """Create or update organisations by their codes, validating each as ``full_clean`` does and auditing every
    created field and every change: one query finds them all and one insert makes the new ones (loads of
    hundreds of areas stay quick). Rows may refer only to organisations that exist already (parents first)."""
    found = {org.code: org for org in Organisation.objects.filter(code__in=[row["code"] for row in rows])}
    created: list[tuple[Organisation, list[str]]] = []
    for row in rows:
        values = {k: v for k, v in row.items() if k != "code"}
        org = found.get(row["code"])
        if org is None:
            org = found[row["code"]] = Organisation(code=row["code"], **values)
            created.append((org, list(row)))
            continue
        changes = {f: (getattr(org, f), v) for f, v in values.items() if getattr(org, f) != v}
        if changes:
            for f, (_old, new) in changes.items():
                setattr(org, f, new)
            org.full_clean()
            org.save()
            audit_changes(actor=user, obj=org, changes=changes)
    if created:
        new = [org for org, _fields in created]
        _validate_new(new)
        Organisation.objects.bulk_create(new)
        audit_created_many(actor=user, created=created)
    return found


def _validate_new(orgs: list[Organisation]) -> None:
    """What ``full_clean`` checks of new organisations, with one query for the lot rather than several each:
    the fields (links are to organisations just loaded), the ONS code rules (``Organisation.clean``) and
    unique codes. The database's constraints stand behind it."""
    links = [f.name for f in Organisation._meta.fields if f.is_relation]  # instances loaded just before
    for org in orgs:
        org.clean_fields(exclude=links)
        org.clean()
    codes = [o.code for o in orgs]
    csp_codes = [o.csp_code for o in orgs if o.csp_code]
    # A CSP code is taken whether another organisation carries it as its code or as its CSP code.
    existing = Organisation.objects.filter(Q(code__in=codes + csp_codes) | Q(csp_code__in=codes + csp_codes))
    taken = {value for pair in existing.values_list("code", "csp_code") for value in pair if value}
    for field, values in (("code", codes), ("csp_code", csp_codes)):
        repeated = {v for v in values if values.count(v) > 1} | (set(values) & taken)
        if repeated:
            raise ValidationError({field: f"Already used by another organisation: {', '.join(sorted(repeated))}."})


@transaction.atomic
def london_load(*, user=None) -> Organisation:
    """Load (idempotently) the London VRU, its partners, the Met's BCUs and the 32 borough CSPs."""
    vru = organisation_upsert(kind=Kind.VRU, user=user, **london.LONDON_VRU)
    others = organisations_upsert(
        rows=[
            {"kind": Kind.PARTNER, "vru": vru, **london.LONDON_COUNCILS},
            {"kind": Kind.POLICING_BODY, "vru": vru, **london.MOPAC},
            {"kind": Kind.POLICE_FORCE, "vru": vru, **london.MET_POLICE},
        ],
        user=user,
    )
    force = others[london.MET_POLICE["code"]]
    bcus = organisations_upsert(
        rows=[
            {"code": f"MPS-{short}", "kind": Kind.BCU, "name": name, "vru": vru, "parent": force}
            for short, (name, _boroughs) in london.BCUS.items()
        ],
        user=user,
    )
    organisations_upsert(
        rows=[
            {
                "code": code,
                "kind": Kind.AREA,
                "name": london.BOROUGHS[code],
                "vru": vru,
                "bcu": bcus[f"MPS-{short}"],
                "csp_code": london.CSP_CODES[code],
                "police_force": force,
            }
            for short, (_name, boroughs) in london.BCUS.items()
            for code in boroughs
        ],
        user=user,
    )
    return vru


@transaction.atomic
def west_midlands_load(*, user=None) -> Organisation:
    """Load (idempotently) a second VRU: the West Midlands VRP, its PCC, West Midlands Police, its local
    policing areas and the force area's seven CSPs (coded by their ONS CSP codes)."""
    wm = west_midlands
    vru = organisation_upsert(kind=Kind.VRU, user=user, **wm.WM_VRU)
    others = organisations_upsert(
        rows=[
            {"kind": Kind.POLICING_BODY, "vru": vru, **wm.WM_PCC},
            {"kind": Kind.POLICE_FORCE, "vru": vru, **wm.WM_POLICE},
        ],
        user=user,
    )
    force = others[wm.WM_POLICE["code"]]
    bcus = organisations_upsert(
        rows=[
            {"code": f"WMP-{short}", "kind": Kind.BCU, "name": name, "vru": vru, "parent": force}
            for short, (name, _csps) in wm.LPAS.items()
        ],
        user=user,
    )
    organisations_upsert(
        rows=[
            {
                "code": code,
                "kind": Kind.AREA,
                "name": wm.CSPS[code],
                "vru": vru,
                "bcu": bcus[f"WMP-{short}"],
                "csp_code": code,
                "police_force": force,
            }
            for short, (_name, csps) in wm.LPAS.items()
            for code in csps
        ],
        user=user,
    )
    return vru
