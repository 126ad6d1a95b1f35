"""Which areas a user may see or change: the single source of truth for area access."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from vrhub.core.exceptions import NotFound
from vrhub.organisations.models import Organisation

Kind = Organisation.Kind
CODE_MAX: int = Organisation._meta.get_field("code").max_length or 20


def _looked_up(code: object) -> bool:
    """Whether ``code`` (from a URL or a form) can be an organisation's code, so worth looking up: a string of
    at most CODE_MAX characters without NUL (PostgreSQL refuses NUL in text: a crafted code is not found, never
    a database error)."""
    return isinstance(code, str) and 0 < len(code) <= CODE_MAX and "\x00" not in code


def areas_visible_to(*, user) -> QuerySet[Organisation]:
    """CSP areas a user may see: VRU staff see their VRU's areas; borough staff their own; signatories
    the area they sign for (a BCU commander: every area of the BCU)."""
    areas = Organisation.objects.filter(kind=Kind.AREA)
    org = getattr(user, "organisation", None)
    if not getattr(user, "is_authenticated", False) or org is None or not user.is_active:
        return areas.none()
    if user.is_vru_user and org.kind == Kind.VRU:
        return areas.filter(vru=org)
    if user.is_borough_user and org.kind == Kind.AREA:
        return areas.filter(pk=org.pk)
    if user.is_signatory:
        if org.kind == Kind.AREA:
            return areas.filter(pk=org.pk)
        if org.kind == Kind.BCU:
            return areas.filter(bcu=org)
    return areas.none()


def areas_editable_by(*, user) -> QuerySet[Organisation]:
    """Areas whose plans the user may change: borough editors, their own area only."""
    if getattr(user, "is_borough_editor", False):
        return areas_visible_to(user=user)
    return Organisation.objects.none()


def area_get_for_user(*, user, code: str) -> Organisation:
    """The area with this ONS code if the user may see it; NotFound otherwise (no existence leak)."""
    if not _looked_up(code):
        raise NotFound("No such area")
    try:
        return areas_visible_to(user=user).get(code=code)
    except Organisation.DoesNotExist as exc:
        raise NotFound("No such area") from exc


# Assigning areas to a VRU --------------------------------------------------------------------------


def area_admin_vru(*, user) -> Organisation:
    """The VRU whose areas ``user`` assigns: their own, if they are one of its admins; PermissionDenied otherwise."""
    org = getattr(user, "organisation", None)
    if not getattr(user, "is_vru_admin", False) or org is None or org.kind != Kind.VRU:
        raise PermissionDenied("Only a VRU's admins assign its areas.")
    return org


def areas_of_vru(*, vru: Organisation) -> QuerySet[Organisation]:
    """The VRU's CSP areas, by name, with their force and BCU (either may be unset)."""
    return Organisation.objects.filter(kind=Kind.AREA, vru=vru).select_related("police_force", "bcu").order_by("name")


def areas_unassigned() -> QuerySet[Organisation]:
    """CSP areas no VRU has taken yet, by force area then name."""
    return (
        Organisation.objects.filter(kind=Kind.AREA, vru__isnull=True)
        .select_related("police_force")
        .order_by("police_force__name", "name")
    )


@dataclass
class ForceGroup:
    code: str  # "" for areas with no police force area recorded
    name: str
    areas: list[Organisation] = field(default_factory=list)


def unassigned_by_force(*, force_code: str = "") -> list[ForceGroup]:
    """The unassigned areas grouped by police force area (only ``force_code``'s when given), forces by name."""
    found = areas_unassigned()
    if force_code:
        found = found.filter(police_force__code=force_code) if _looked_up(force_code) else found.none()
    groups: dict[str, ForceGroup] = {}
    for area in found:
        force = area.police_force
        key = force.code if force else ""
        group = groups.setdefault(key, ForceGroup(key, force.name if force else "No police force area recorded"))
        group.areas.append(area)
    return sorted(groups.values(), key=lambda g: (g.code == "", g.name))


def areas_assignable_get(*, vru: Organisation, codes: Iterable[str]) -> list[Organisation]:
    """The unassigned (or the VRU's own) areas with these codes; NotFound if any is another VRU's or unknown."""
    codes = {c for c in codes if c}
    if not all(_looked_up(c) for c in codes):
        raise NotFound("No such area")
    found = list(Organisation.objects.filter(kind=Kind.AREA, code__in=codes).filter(Q(vru__isnull=True) | Q(vru=vru)))
    if len(found) != len(codes):
        raise NotFound("No such area")
    return found


def areas_unassigned_of_force(*, force_code: str) -> list[Organisation]:
    """Every unassigned area of one police force area; NotFound for a code that is not a police force's."""
    if not _looked_up(force_code) or not Organisation.objects.filter(kind=Kind.POLICE_FORCE, code=force_code).exists():
        raise NotFound("No such police force area")
    return list(areas_unassigned().filter(police_force__code=force_code))


def area_of_vru_get(*, vru: Organisation, code: str) -> Organisation:
    """One of the VRU's areas by code; NotFound otherwise (another VRU's area cannot be told from none)."""
    if not _looked_up(code):
        raise NotFound("No such area")
    try:
        return areas_of_vru(vru=vru).get(code=code)
    except Organisation.DoesNotExist as exc:
        raise NotFound("No such area") from exc


# Relations that are part of an area itself, not records it holds.
_AREA_OWN = {"boundary"}


def area_records(*, area: Organisation) -> list[str]:
    """What holds on to ``area`` ("2 plans", "1 user", …): every model with a link to it, counted, skipping its
    own boundary. An area that holds any record cannot be given back by its VRU."""
    found = []
    for relation in Organisation._meta.related_objects:
        if relation.name in _AREA_OWN:
            continue
        model = relation.related_model
        count = model._default_manager.filter(**{relation.field.name: area}).count()
        if count:
            meta = model._meta
            found.append(f"{count} {meta.verbose_name if count == 1 else meta.verbose_name_plural}")
    return found


def area_vru_change_refusal(*, area: Organisation, vru_id: int | None) -> str:
    """Why an area may not move from its VRU to ``vru_id`` (another VRU or none), or "" when it may: an area
    holding records (plans, users, …) would take them to another VRU. Areas no VRU has yet may be given one."""
    if area.pk is None or area.kind != Kind.AREA or area.vru_id is None or area.vru_id == vru_id:
        return ""
    held = area_records(area=area)
    if not held:
        return ""
    return f"{area.name} cannot leave its VRU: it has {', '.join(held)}."
