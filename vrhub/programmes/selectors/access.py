"""Who may see and change funded programmes' records: the single source of truth.

* VRU staff see everything of their VRU (its own budget and programmes, its areas' budgets and programmes,
  the logic model) and change their VRU's own records (budget, programmes, recipients, logic model);
* the local policing body (MOPAC in London) sees the same as the VRU it works with, and changes nothing;
* borough staff and signatories see their own area's budget and programmes, the programmes that serve their
  area (named, or VRU-wide), their VRU's budget (it is published in the VRU's annual report) and its logic
  model; borough editors change their own area's budget and programmes. A borough never sees another area's
  budget, nor a programme that neither belongs to it nor serves it.
* Programmes marked ``published`` are open data (360Giving) on the public pages for everyone.

Every page, command and job fetches a programmes object through one of the ``*_get_for_user`` helpers here:
each raises ``NotFound`` (never revealing that the object exists) when the person may not see it, and
``PermissionDenied`` when they may see but not change it.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from vrhub.core.exceptions import NotFound
from vrhub.organisations.models import Organisation
from vrhub.organisations.selectors import areas_visible_to
from vrhub.programmes.catalogue import YEAR_MAX, YEAR_MIN
from vrhub.programmes.models import Budget, LogicNode, MonitoringReturn, Programme, Recipient

Kind = Organisation.Kind
CODE_MAX = 20


def _org(user) -> Organisation | None:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    return getattr(user, "organisation", None)


def overseen_vru(*, user) -> Organisation | None:
    """The VRU whose records ``user`` sees in full: VRU staff's own, or the one the local policing body works
    with. None for everyone else."""
    org = _org(user)
    if org is None:
        return None
    if user.is_vru_user and org.kind == Kind.VRU:
        return org
    if getattr(user, "is_policing_body", False) and org.kind == Kind.POLICING_BODY:
        return org.vru
    return None


def vru_of(*, user) -> Organisation | None:
    """The VRU ``user`` works in or with (staff, policing body, boroughs and signatories); None otherwise."""
    vru = overseen_vru(user=user)
    if vru is not None:
        return vru
    org = _org(user)
    if org is None or not (user.is_borough_user or user.is_signatory):
        return None
    return org.vru if org.kind in (Kind.AREA, Kind.BCU) else None


def _own_editable_org(user) -> Organisation | None:
    """The organisation whose records ``user`` changes: a borough editor's area, VRU staff's VRU."""
    org = _org(user)
    if org is None:
        return None
    if (user.is_borough_editor and org.kind == Kind.AREA) or (user.is_vru_user and org.kind == Kind.VRU):
        return org
    return None


# Budgets ---------------------------------------------------------------------------------------------------


def budgets_visible_to(*, user) -> QuerySet[Budget]:
    vru = overseen_vru(user=user)
    if vru is not None:
        return Budget.objects.filter(vru=vru)
    org = _org(user)
    if org is not None and (user.is_borough_user or user.is_signatory):
        areas = areas_visible_to(user=user)
        own_vru = vru_of(user=user)
        return Budget.objects.filter(Q(owner__in=areas) | Q(owner=own_vru, owner__isnull=False))
    return Budget.objects.none()


def budget_owners_for(*, user) -> QuerySet[Organisation]:
    """The organisations whose budgets ``user`` may set up and change (their own area or VRU)."""
    org = _own_editable_org(user)
    return Organisation.objects.filter(pk=org.pk) if org is not None else Organisation.objects.none()


def user_can_edit_budget(*, user, budget: Budget) -> bool:
    org = _own_editable_org(user)
    return org is not None and budget.owner_id == org.pk


def checked_code(code: str) -> str:
    if not isinstance(code, str) or not code or len(code) > CODE_MAX or "\x00" in code:
        raise NotFound("No such organisation")
    return code


def checked_year(year) -> int:
    try:
        value = int(year)
    except (TypeError, ValueError, OverflowError) as exc:
        raise NotFound("No such financial year") from exc
    if not YEAR_MIN <= value <= YEAR_MAX:
        raise NotFound("No such financial year")
    return value


def budget_get_for_user(*, user, code: str, year: int, edit: bool = False) -> Budget:
    """The budget of the organisation with ``code`` for financial ``year``."""
    code, year = checked_code(code), checked_year(year)
    try:
        budget = budgets_visible_to(user=user).select_related("owner", "vru").get(owner__code=code, year=year)
    except Budget.DoesNotExist as exc:
        raise NotFound("No such budget") from exc
    if edit and not user_can_edit_budget(user=user, budget=budget):
        raise PermissionDenied("You can look at this budget but not change it.")
    return budget


def budget_owner_get_for_user(*, user, code: str) -> Organisation:
    """An organisation ``user`` may set up a budget for (to create one): NotFound otherwise."""
    code = checked_code(code)
    try:
        return budget_owners_for(user=user).get(code=code)
    except Organisation.DoesNotExist as exc:
        raise NotFound("No such organisation") from exc


# Programmes ------------------------------------------------------------------------------------------------


def programmes_visible_to(*, user) -> QuerySet[Programme]:
    vru = overseen_vru(user=user)
    if vru is not None:
        return Programme.objects.filter(vru=vru)
    org = _org(user)
    if org is not None and (user.is_borough_user or user.is_signatory):
        areas = areas_visible_to(user=user)
        own_vru = vru_of(user=user)
        ids = Programme.objects.filter(
            Q(owner__in=areas) | Q(areas__in=areas) | Q(all_areas=True, vru=own_vru, vru__isnull=False)
        ).values("pk")
        return Programme.objects.filter(pk__in=ids)
    return Programme.objects.none()


def programmes_editable_by(*, user) -> QuerySet[Programme]:
    org = _own_editable_org(user)
    return Programme.objects.filter(owner=org) if org is not None else Programme.objects.none()


def user_can_edit_programme(*, user, programme: Programme) -> bool:
    org = _own_editable_org(user)
    return org is not None and programme.owner_id == org.pk


def programme_owners_for(*, user) -> QuerySet[Organisation]:
    """The organisations ``user`` may set up a new programme for."""
    return budget_owners_for(user=user)


def programme_get_for_user(*, user, pk: int, edit: bool = False) -> Programme:
    try:
        programme = programmes_visible_to(user=user).select_related("vru", "owner", "recipient", "theme").get(pk=pk)
    except (Programme.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise NotFound("No such programme") from exc
    if edit and not user_can_edit_programme(user=user, programme=programme):
        raise PermissionDenied("You can look at this programme but not change it.")
    return programme


def return_get_for_user(*, user, pk: int, year: int, quarter: int, edit: bool = False) -> MonitoringReturn:
    """Programme ``pk``'s monitoring return for ``year`` quarter ``quarter``."""
    programme = programme_get_for_user(user=user, pk=pk, edit=edit)
    year = checked_year(year)
    try:
        return programme.returns.get(year=year, quarter=int(quarter))
    except (MonitoringReturn.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise NotFound("No such monitoring return") from exc


# Recipients and the logic model belong to a VRU ------------------------------------------------------------


def recipients_visible_to(*, user) -> QuerySet[Recipient]:
    vru = vru_of(user=user)
    return Recipient.objects.filter(vru=vru) if vru is not None else Recipient.objects.none()


def recipients_editable_by(*, user) -> QuerySet[Recipient]:
    """Recipients are shared by the VRU and its areas' programmes: their editors may add and correct them."""
    org = _own_editable_org(user)
    if org is None:
        return Recipient.objects.none()
    return Recipient.objects.filter(vru=org.owning_vru)


def recipient_get_for_user(*, user, pk: int, edit: bool = False) -> Recipient:
    queryset = recipients_editable_by(user=user) if edit else recipients_visible_to(user=user)
    try:
        return queryset.get(pk=pk)
    except (Recipient.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        if edit and recipients_visible_to(user=user).filter(pk=pk).exists():
            raise PermissionDenied("You can look at this organisation but not change it.") from exc
        raise NotFound("No such organisation") from exc


def logic_model_vru_for(*, user) -> Organisation:
    """The VRU whose logic model ``user`` sees: NotFound for people outside any VRU."""
    vru = vru_of(user=user)
    if vru is None:
        raise NotFound("No logic model")
    return vru


def user_can_edit_logic_model(*, user, vru: Organisation) -> bool:
    org = _own_editable_org(user)
    return org is not None and org.kind == Kind.VRU and org.pk == vru.pk


def user_can_edit_funder_profile(*, user, vru: Organisation) -> bool:
    """How the VRU publishes its grants (its 360Giving funder profile): its admins only."""
    return bool(getattr(user, "is_vru_admin", False)) and user_can_edit_logic_model(user=user, vru=vru)


def logic_node_get_for_user(*, user, pk: int, edit: bool = False) -> LogicNode:
    vru = logic_model_vru_for(user=user)
    try:
        node = LogicNode.objects.get(vru=vru, pk=pk)
    except (LogicNode.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise NotFound("No such objective, outcome or aim") from exc
    if edit and not user_can_edit_logic_model(user=user, vru=vru):
        raise PermissionDenied("You can look at the logic model but not change it.")
    return node


# The command line (run by the service's operators) --------------------------------------------------------


def vru_get_for_command(*, code: str) -> Organisation:
    """A VRU by its code or its slug-like short name (``london`` finds VRU-LDN's "London" VRU)."""
    if not isinstance(code, str) or not code or len(code) > 100 or "\x00" in code:
        raise NotFound(f"No VRU is called {code!r}")
    vrus = Organisation.objects.filter(kind=Kind.VRU)
    found = vrus.filter(code__iexact=code).first() or vrus.filter(name__iexact=code).first()
    if found is None:
        matches = [v for v in vrus if code.lower() in v.name.lower().split()]
        found = matches[0] if len(matches) == 1 else None
    if found is None:
        raise NotFound(f"No VRU is called {code!r}: give its code (e.g. VRU-LDN) or name")
    return found
