from django.db import transaction

from vrhub.core.audit import audit_changes, audit_created
from vrhub.organisations import london, west_midlands
from vrhub.organisations.models import Organisation

Kind = Organisation.Kind


def organisation_upsert(*, code: str, kind: str, name: str, user=None, **links) -> Organisation:
    """Create or update an organisation by its code, auditing what changed."""
    org = Organisation.objects.filter(code=code).first()
    values = {"kind": kind, "name": name, **links}
    if org is None:
        org = Organisation(code=code, **values)
        org.full_clean()
        org.save()
        audit_created(actor=user, obj=org, fields=["code", *values])
        return org
    changes = {f: (getattr(org, f), v) for f, v in values.items() if getattr(org, f) != v}
    if changes:
        for f, (_old, new) in changes.items():
            setattr(org, f, new)
        org.full_clean()
        org.save()
        audit_changes(actor=user, obj=org, changes=changes)
    return org


@transaction.atomic
def london_load(*, user=None) -> Organisation:
    """Load (idempotently) the London VRU, its partners, the Met's BCUs and the 32 borough CSPs."""
    vru = organisation_upsert(kind=Kind.VRU, user=user, **london.LONDON_VRU)
    organisation_upsert(kind=Kind.PARTNER, vru=vru, user=user, **london.LONDON_COUNCILS)
    organisation_upsert(kind=Kind.POLICING_BODY, vru=vru, user=user, **london.MOPAC)
    force = organisation_upsert(kind=Kind.POLICE_FORCE, vru=vru, user=user, **london.MET_POLICE)
    for short, (name, boroughs) in london.BCUS.items():
        bcu = organisation_upsert(code=f"MPS-{short}", kind=Kind.BCU, name=name, vru=vru, parent=force, user=user)
        for code in boroughs:
            organisation_upsert(
                code=code,
                kind=Kind.AREA,
                name=london.BOROUGHS[code],
                vru=vru,
                bcu=bcu,
                csp_code=london.CSP_CODES[code],
                police_force=force,
                user=user,
            )
    return vru


@transaction.atomic
def west_midlands_load(*, user=None) -> Organisation:
    """Load (idempotently) a second VRU: the West Midlands VRP, its PCC, West Midlands Police, its local
    policing areas and the force area's seven CSPs (coded by their ONS CSP codes)."""
    wm = west_midlands
    vru = organisation_upsert(kind=Kind.VRU, user=user, **wm.WM_VRU)
    organisation_upsert(kind=Kind.POLICING_BODY, vru=vru, user=user, **wm.WM_PCC)
    force = organisation_upsert(kind=Kind.POLICE_FORCE, vru=vru, user=user, **wm.WM_POLICE)
    for short, (name, csps) in wm.LPAS.items():
        bcu = organisation_upsert(code=f"WMP-{short}", kind=Kind.BCU, name=name, vru=vru, parent=force, user=user)
        for code in csps:
            organisation_upsert(
                code=code,
                kind=Kind.AREA,
                name=wm.CSPS[code],
                vru=vru,
                bcu=bcu,
                csp_code=code,
                police_force=force,
                user=user,
            )
    return vru
