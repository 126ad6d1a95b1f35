from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Q

from vrhub.core import geo
from vrhub.core.audit import audit_changes, audit_created_many, diff_fields
from vrhub.core.exceptions import NotFound
from vrhub.core.models import AuditEntry
from vrhub.organisations import london, west_midlands
from vrhub.organisations.area_files import AreaFeature, read_area_file
from vrhub.organisations.models import Boundary, Organisation
from vrhub.organisations.selectors import area_records

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


def _vru_load(
    *,
    vru: dict[str, str],
    bodies: list[tuple[str, dict[str, str]]],
    force: dict[str, str],
    bcu_prefix: str,
    bcus: dict[str, tuple[str, list[str]]],
    areas: dict[str, str],
    csp_codes: dict[str, str],
    user,
) -> Organisation:
    """A VRU as reference data: the VRU, its other bodies (``(kind, fields)``), its police force, the force's
    BCUs (``{short: (name, area codes)}``) and the CSP areas they cover (``{code: name}``, ``csp_codes``)."""
    org = organisation_upsert(kind=Kind.VRU, user=user, **vru)
    others = organisations_upsert(
        rows=[{"kind": kind, "vru": org, **fields} for kind, fields in bodies]
        + [{"kind": Kind.POLICE_FORCE, "vru": org, **force}],
        user=user,
    )
    police = others[force["code"]]
    units = organisations_upsert(
        rows=[
            {"code": f"{bcu_prefix}-{short}", "kind": Kind.BCU, "name": name, "vru": org, "parent": police}
            for short, (name, _codes) in bcus.items()
        ],
        user=user,
    )
    organisations_upsert(
        rows=[
            {
                "code": code,
                "kind": Kind.AREA,
                "name": areas[code],
                "vru": org,
                "bcu": units[f"{bcu_prefix}-{short}"],
                "csp_code": csp_codes[code],
                "police_force": police,
            }
            for short, (_name, codes) in bcus.items()
            for code in codes
        ],
        user=user,
    )
    return org


@transaction.atomic
def london_load(*, user=None) -> Organisation:
    """Load (idempotently) the London VRU, its partners, the Met's BCUs and the 32 borough CSPs."""
    return _vru_load(
        vru=london.LONDON_VRU,
        bodies=[(Kind.PARTNER, london.LONDON_COUNCILS), (Kind.POLICING_BODY, london.MOPAC)],
        force=london.MET_POLICE,
        bcu_prefix="MPS",
        bcus=london.BCUS,
        areas=london.BOROUGHS,
        csp_codes=london.CSP_CODES,
        user=user,
    )


@transaction.atomic
def west_midlands_load(*, user=None) -> Organisation:
    """Load (idempotently) a second VRU: the West Midlands VRP, its PCC, West Midlands Police, its local
    policing areas and the force area's seven CSPs (coded by their ONS CSP codes)."""
    wm = west_midlands
    return _vru_load(
        vru=wm.WM_VRU,
        bodies=[(Kind.POLICING_BODY, wm.WM_PCC)],
        force=wm.WM_POLICE,
        bcu_prefix="WMP",
        bcus=wm.LPAS,
        areas=wm.CSPS,
        csp_codes={code: code for code in wm.CSPS},
        user=user,
    )


# Areas as data: load all of England and Wales; VRU admins assign them ------------------------------


def _geometry_summary(geometry: dict[str, Any]) -> str:
    """A boundary as the audit trail records it: its type and size, not its coordinates."""
    points = sum(len(ring) for polygon in geo.polygons(geometry) for ring in polygon)
    return f"{geometry['type']}, {points:,} points"


def _force_of_csps(*, csps: list[AreaFeature], forces: list[AreaFeature], csp_file: str) -> dict[str, str]:
    """``{csp code: force code}``: the force area holding each CSP's interior point (exactly one, or an error)."""
    boxes = [(f, geo.bbox(f.geometry)) for f in forces]
    found: dict[str, str] = {}
    problems = []
    for csp in csps:
        x, y = geo.interior_point(csp.geometry)
        hits = [
            f.code
            for f, (x0, y0, x1, y1) in boxes
            if x0 <= x <= x1 and y0 <= y <= y1 and geo.contains(f.geometry, x, y)
        ]
        if len(hits) == 1:
            found[csp.code] = hits[0]
        else:
            where = "no police force area" if not hits else f"{len(hits)} police force areas ({', '.join(hits)})"
            problems.append(f"{csp_file}, feature {csp.index}: {csp.code} {csp.name} lies in {where}")
    if problems:
        raise ValidationError(problems)
    return found


def _boundaries_save(*, geometries: dict[int, tuple[dict[str, Any], str]], user) -> None:
    """Create or update the boundary of each organisation id in ``geometries`` ({id: (geometry, source)}), audited."""
    existing = {b.organisation_id: b for b in Boundary.objects.filter(organisation_id__in=geometries)}
    new = [
        Boundary(organisation_id=org_id, geometry=geometry, source=source)
        for org_id, (geometry, source) in geometries.items()
        if org_id not in existing
    ]
    for boundary in Boundary.objects.bulk_create(new):
        audit_changes(  # one write per boundary: what audit_created records, with the shape summarised
            actor=user,
            obj=boundary,
            changes={
                "organisation": (None, boundary.organisation_id),
                "source": (None, boundary.source),
                "geometry": (None, _geometry_summary(boundary.geometry)),
            },
            action=AuditEntry.Action.CREATE,
        )
    changed = []
    for org_id, boundary in existing.items():
        geometry, source = geometries[org_id]
        changes = diff_fields(boundary, {"geometry": geometry, "source": source})
        if not changes:
            continue
        if "geometry" in changes:
            changes["geometry"] = (_geometry_summary(boundary.geometry), _geometry_summary(geometry) + " (changed)")
        boundary.geometry, boundary.source = geometry, source
        changed.append(boundary)
        audit_changes(actor=user, obj=boundary, changes=changes)
    Boundary.objects.bulk_update(changed, ["geometry", "source"])


# Two loads at once would both create the same new areas (and the second fail on the unique codes): on
# PostgreSQL a load takes this transaction-level advisory lock first, so the second waits, then finds them all.
# (SQLite lets one transaction write at a time anyway.)
AREAS_LOAD_LOCK = 0x0A4EA5  # the lock's key: any number no other lock of vrhub's uses


def _areas_load_lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [AREAS_LOAD_LOCK])


def areas_load(*, csp_path: str | Path, force_path: str | Path, user=None) -> dict[str, dict[str, int]]:
    """Create (idempotently, in one transaction) every Community Safety Partnership area and police force area
    of the two ONS files, with their boundaries.

    Existing forces are matched by code, existing areas by CSP code (London's boroughs carry an E09 code) or
    by code; their names and VRUs are kept, their boundaries added or updated, and an area without a force
    gets the one found. New areas are unassigned (no VRU), coded by their CSP code, in the force area holding
    their interior point. Both files are checked in full first: on any problem nothing is written and a
    ValidationError lists every problem (file, feature, property).
    """
    csp_file, force_file = Path(csp_path).name, Path(force_path).name
    problems: list[str] = []
    read: dict[str, list[AreaFeature]] = {}
    for kind, path in (("csp", csp_path), ("police_force", force_path)):
        try:
            read[kind] = read_area_file(path, kind=kind)
        except ValidationError as exc:
            problems.extend(exc.messages)
    if problems:
        raise ValidationError(problems)
    csps, forces = read["csp"], read["police_force"]
    force_of = _force_of_csps(csps=csps, forces=forces, csp_file=csp_file)
    csp_source = f"ONS boundary file {csp_file}"[:200]
    force_source = f"ONS boundary file {force_file}"[:200]

    with transaction.atomic():
        _areas_load_lock()
        force_codes = [f.code for f in forces]
        csp_codes = [c.code for c in csps]
        known = {
            o.code: o
            for o in Organisation.objects.select_for_update().filter(code__in=force_codes + csp_codes).order_by("pk")
        }
        by_csp_code = {
            o.csp_code: o
            for o in Organisation.objects.select_for_update().filter(csp_code__in=csp_codes).order_by("pk")
        }
        for f in forces:
            if f.code in known and known[f.code].kind != Kind.POLICE_FORCE:
                org = known[f.code]
                problems.append(
                    f"{force_file}, feature {f.index}: AREACD {f.code} is already the code of {org.name} "
                    f"({org.get_kind_display()}), not a police force"
                )
        areas: dict[str, Organisation] = {}
        for c in csps:
            match = by_csp_code.get(c.code) or known.get(c.code)
            if match is None:
                continue
            org = match
            if org.kind != Kind.AREA or (org.csp_code and org.csp_code != c.code):
                problems.append(
                    f"{csp_file}, feature {c.index}: AREACD {c.code} is already the code of {org.name} "
                    f"({org.get_kind_display()}{f', CSP code {org.csp_code}' if org.csp_code else ''})"
                )
            areas[c.code] = org
        if problems:
            raise ValidationError(problems)

        force_orgs = {code: org for code, org in known.items() if code in set(force_codes)}
        new_forces = Organisation.objects.bulk_create(
            [Organisation(kind=Kind.POLICE_FORCE, code=f.code, name=f.name) for f in forces if f.code not in force_orgs]
        )
        audit_created_many(actor=user, created=[(org, ["code", "kind", "name"]) for org in new_forces])
        force_orgs.update({org.code: org for org in new_forces})

        existing_areas = dict(areas)
        new_areas = Organisation.objects.bulk_create(
            [
                Organisation(
                    kind=Kind.AREA, code=c.code, csp_code=c.code, name=c.name, police_force=force_orgs[force_of[c.code]]
                )
                for c in csps
                if c.code not in existing_areas
            ]
        )
        audit_created_many(
            actor=user, created=[(org, ["code", "kind", "name", "csp_code", "police_force"]) for org in new_areas]
        )
        for org in new_areas:
            areas[org.csp_code or org.code] = org
        filled = []
        for code, org in existing_areas.items():
            changes: dict[str, tuple[Any, Any]] = {}
            if org.csp_code is None:
                changes["csp_code"] = (None, code)
            if org.police_force_id is None:
                changes["police_force"] = (None, force_orgs[force_of[code]])
            if changes:
                for field, (_old, new) in changes.items():
                    setattr(org, field, new)
                filled.append(org)
                audit_changes(actor=user, obj=org, changes=changes)
        Organisation.objects.bulk_update(filled, ["csp_code", "police_force"])

        _boundaries_save(
            geometries={
                **{force_orgs[f.code].pk: (f.geometry, force_source) for f in forces},
                **{areas[c.code].pk: (c.geometry, csp_source) for c in csps},
            },
            user=user,
        )
    return {
        "csp": {"created": len(new_areas), "existing": len(existing_areas), "total": len(csps)},
        "police_force": {
            "created": len(new_forces),
            "existing": len(forces) - len(new_forces),
            "total": len(forces),
        },
    }


def _require_vru_admin(*, user, vru: Organisation) -> None:
    if user is None or not getattr(user, "is_vru_admin", False) or user.organisation_id != vru.pk or not vru.is_vru:
        raise PermissionDenied("Only the VRU's admins assign its areas.")


def areas_assign(*, vru: Organisation, areas: Iterable[Organisation], user) -> list[Organisation]:
    """Assign unassigned CSP areas to ``vru`` (its admins only), in one transaction with the areas' rows locked,
    each audited (old → new VRU). Areas already the VRU's are left as they are; an area of another VRU is
    never taken (NotFound, as if it did not exist). Returns the areas assigned now."""
    _require_vru_admin(user=user, vru=vru)
    ids = sorted({a.pk for a in areas})
    if not ids:
        raise ValidationError("Select at least one area to assign.")
    with transaction.atomic():
        locked = list(Organisation.objects.select_for_update().filter(pk__in=ids, kind=Kind.AREA).order_by("pk"))
        if len(locked) != len(ids) or any(a.vru_id not in (None, vru.pk) for a in locked):
            raise NotFound("No such area")
        assigned = []
        for area in locked:
            if area.vru_id == vru.pk:
                continue
            changes: dict[str, tuple[Any, Any]] = {"vru": (None, vru)}
            if area.bcu_id is not None:  # a BCU left from an earlier VRU is not this VRU's
                changes["bcu"] = (area.bcu, None)
            for field, (_old, new) in changes.items():
                setattr(area, field, new)
            area.save(update_fields=list(changes))
            audit_changes(actor=user, obj=area, changes=changes)
            assigned.append(area)
    return assigned


def area_release(*, area: Organisation, user) -> Organisation:
    """Give an area of the user's VRU back (unassigned, without its BCU), audited; refused while the area has
    plans, users or any other record."""
    with transaction.atomic():
        locked = Organisation.objects.select_for_update().get(pk=area.pk)
        if locked.kind != Kind.AREA or locked.vru is None:
            raise NotFound("No such area")
        _require_vru_admin(user=user, vru=locked.vru)
        held = area_records(area=locked)
        if held:
            raise ValidationError(
                f"{locked.name} cannot be released: it has {', '.join(held)}. "
                "Only an area with no records of its own can go back to being unassigned."
            )
        changes: dict[str, tuple[Any, Any]] = {"vru": (locked.vru, None)}
        if locked.bcu_id is not None:
            changes["bcu"] = (locked.bcu, None)
        for field, (_old, new) in changes.items():
            setattr(locked, field, new)
        locked.save(update_fields=list(changes))
        audit_changes(actor=user, obj=locked, changes=changes)
    return locked
