"""Who may see and change a partnership group's records: the single source of truth.

* A group belongs to a VRU (the Partnership Reference Group) or to a CSP area (its community safety board).
* VRU staff see every group of their VRU (its own and its boroughs' boards) and change their VRU's own groups;
* the local policing body (MOPAC in London) sees the same groups as the VRU it works with, and changes none;
* borough staff and signatories see their own area's groups (a BCU commander: each area of the BCU); borough
  editors change them. A borough never sees another borough's groups, nor the VRU's unpublished records
  (published agendas and minutes are on the public pages for everyone).

Every page, command and job fetches a governance object through one of the ``*_get_for_user`` helpers here:
each raises ``NotFound`` (never revealing that the object exists) when the person may not see it, and
``PermissionDenied`` when they may see but not change it.
"""

from typing import TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Model, Q, QuerySet

from vrhub.core.exceptions import NotFound
from vrhub.governance.models import Action, AgendaItem, Group, Meeting, Member
from vrhub.organisations.models import Organisation
from vrhub.organisations.selectors import areas_visible_to

Kind = Organisation.Kind
M = TypeVar("M", bound=Model)

SLUG_MAX = 50


def checked_slug(slug: str) -> str:
    """A group's slug as typed in a URL, form or command: NotFound (never a database error) for one no group
    can have: empty, too long, or with a NUL character (PostgreSQL refuses NUL in text)."""
    if not isinstance(slug, str) or not slug or len(slug) > SLUG_MAX or "\x00" in slug:
        raise NotFound("No such group")
    return slug


def _org(user) -> Organisation | None:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    return getattr(user, "organisation", None)


def _overseen_vru(user, org: Organisation) -> Organisation | None:
    """The VRU whose groups ``user`` oversees: VRU staff's own, or the one the local policing body works with."""
    if user.is_vru_user and org.kind == Kind.VRU:
        return org
    if getattr(user, "is_policing_body", False) and org.kind == Kind.POLICING_BODY:
        return org.vru
    return None


def groups_visible_to(*, user) -> QuerySet[Group]:
    org = _org(user)
    if org is None:
        return Group.objects.none()
    vru = _overseen_vru(user, org)
    if vru is not None:
        return Group.objects.filter(vru=vru)
    if user.is_borough_user or user.is_signatory:
        return Group.objects.filter(owner__in=areas_visible_to(user=user))
    return Group.objects.none()


def groups_editable_by(*, user) -> QuerySet[Group]:
    """Groups whose records ``user`` may change: a borough editor's own area's; VRU staff's own VRU's."""
    org = _org(user)
    if org is None:
        return Group.objects.none()
    if (user.is_borough_editor and org.kind == Kind.AREA) or (user.is_vru_user and org.kind == Kind.VRU):
        return Group.objects.filter(owner=org)
    return Group.objects.none()


def user_can_edit_group(*, user, group: Group) -> bool:
    return groups_editable_by(user=user).filter(pk=group.pk).exists()


def group_owners_for(*, user) -> QuerySet[Organisation]:
    """The organisations ``user`` may set up a new group for: their own area (borough editors) or VRU (VRU
    staff). Empty for everyone else."""
    org = _org(user)
    if org is None:
        return Organisation.objects.none()
    if (user.is_borough_editor and org.kind == Kind.AREA) or (user.is_vru_user and org.kind == Kind.VRU):
        return Organisation.objects.filter(pk=org.pk)
    return Organisation.objects.none()


def group_get_for_user(*, user, slug: str, edit: bool = False) -> Group:
    """The group with this slug. NotFound if the user may not see it; PermissionDenied if ``edit`` and they may
    only look."""
    slug = checked_slug(slug)
    try:
        group = groups_visible_to(user=user).select_related("owner", "vru").get(slug=slug)
    except Group.DoesNotExist as exc:
        raise NotFound("No such group") from exc
    if edit and not user_can_edit_group(user=user, group=group):
        raise PermissionDenied("You can look at this group's records but not change them.")
    return group


def _child_get(queryset: QuerySet[M], *, user, group_path: str, slug: str, pk: int, edit: bool) -> M:
    slug = checked_slug(slug)
    visible = groups_visible_to(user=user)
    try:
        obj = queryset.get(Q(**{f"{group_path}__in": visible, f"{group_path}__slug": slug, "pk": pk}))
    except (ObjectDoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise NotFound(f"No such {queryset.model._meta.verbose_name}") from exc
    if edit:
        group = Group.objects.get(slug=slug)
        if not user_can_edit_group(user=user, group=group):
            raise PermissionDenied("You can look at this group's records but not change them.")
    return obj


def member_get_for_user(*, user, slug: str, pk: int, edit: bool = False) -> Member:
    return _child_get(
        Member.objects.select_related("group"), user=user, group_path="group", slug=slug, pk=pk, edit=edit
    )


def meeting_get_for_user(*, user, slug: str, pk: int, edit: bool = False) -> Meeting:
    return _child_get(
        Meeting.objects.select_related("group", "group__owner"),
        user=user,
        group_path="group",
        slug=slug,
        pk=pk,
        edit=edit,
    )


def item_get_for_user(*, user, slug: str, meeting_pk: int, number: int, edit: bool = False) -> AgendaItem:
    meeting = meeting_get_for_user(user=user, slug=slug, pk=meeting_pk, edit=edit)
    try:
        return meeting.items.select_related("meeting", "meeting__group").get(number=number)
    except (AgendaItem.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise NotFound("No such agenda item") from exc


def action_get_for_user(*, user, slug: str, pk: int, edit: bool = False) -> Action:
    return _child_get(
        Action.objects.select_related("meeting", "meeting__group", "item"),
        user=user,
        group_path="meeting__group",
        slug=slug,
        pk=pk,
        edit=edit,
    )


def meeting_get_for_command(*, pk: int) -> Meeting:
    """A meeting by id for the command line (run by the service's operators, who see every group)."""
    try:
        return Meeting.objects.select_related("group").get(pk=pk)
    except (Meeting.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise NotFound(f"No meeting has the id {pk}") from exc


def group_get_for_command(*, slug: str) -> Group:
    """A group by slug for the command line."""
    try:
        return Group.objects.select_related("owner", "vru").get(slug=checked_slug(slug))
    except Group.DoesNotExist as exc:
        raise NotFound(f"No group has the slug {slug!r}") from exc
