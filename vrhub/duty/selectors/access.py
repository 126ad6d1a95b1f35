"""Who may see and change a partnership's Duty records: the single source of truth.

* VRU staff see every partnership of their VRU, and change their VRU footprint's own partnership;
* the local policing body (PCC; MOPAC in London) sees every partnership of the VRU it works with (to monitor
  them, s.14) and makes information requests (s.17); it changes nothing else;
* borough staff and signatories see their own area's partnership (a BCU commander: each area of the BCU);
  borough editors change it. A borough never sees another borough's records.

Every page, command and job fetches a Duty object through one of the ``*_get_for_user`` helpers here: each
raises ``NotFound`` (never revealing that the object exists) when the person may not see it, and
``PermissionDenied`` when they may see but not change it.
"""

from typing import TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Model, QuerySet

from vrhub.core.exceptions import NotFound
from vrhub.duty.catalogue import SnaSectionKey
from vrhub.duty.models import (
    AnnualReview,
    Consultation,
    Disclosure,
    InformationRequest,
    NeedsAssessment,
    Partnership,
    RelevantAuthority,
    SharingAgreement,
    SnaSection,
    SpecifiedAuthority,
    Strategy,
)
from vrhub.organisations.models import Organisation
from vrhub.organisations.selectors import areas_visible_to

Kind = Organisation.Kind
M = TypeVar("M", bound=Model)


AREA_CODE_MAX = 20


def _checked_code(code: str) -> str:
    """An area code as typed in a URL, form or command: NotFound (never a database error) for one no area can
    have: empty, too long, or with a NUL character (PostgreSQL refuses NUL in text)."""
    if not isinstance(code, str) or not code or len(code) > AREA_CODE_MAX or "\x00" in code:
        raise NotFound("No such area")
    return code


def _org(user) -> Organisation | None:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    return getattr(user, "organisation", None)


def monitoring_vru(*, user) -> Organisation | None:
    """The VRU whose partnerships ``user`` monitors: VRU staff's own VRU, or the VRU the local policing body
    works with. None for anyone else."""
    org = _org(user)
    if org is None:
        return None
    if user.is_vru_user and org.kind == Kind.VRU:
        return org
    if getattr(user, "is_policing_body", False) and org.kind == Kind.POLICING_BODY:
        return org.vru
    return None


def partnerships_visible_to(*, user) -> QuerySet[Partnership]:
    org = _org(user)
    if org is None:
        return Partnership.objects.none()
    vru = monitoring_vru(user=user)
    if vru is not None:
        return Partnership.objects.filter(vru=vru)
    if user.is_borough_user or user.is_signatory:
        return Partnership.objects.filter(area__in=areas_visible_to(user=user))
    return Partnership.objects.none()


def partnerships_editable_by(*, user) -> QuerySet[Partnership]:
    """Partnerships whose records ``user`` may change: a borough editor's own area; VRU staff's footprint."""
    org = _org(user)
    if org is None:
        return Partnership.objects.none()
    if user.is_borough_editor and org.kind == Kind.AREA:
        return Partnership.objects.filter(area=org)
    if user.is_vru_user and org.kind == Kind.VRU:
        return Partnership.objects.filter(area=org)
    return Partnership.objects.none()


def user_can_edit_partnership(*, user, partnership: Partnership) -> bool:
    return partnerships_editable_by(user=user).filter(pk=partnership.pk).exists()


def user_can_start_partnership(*, user, area: Organisation) -> bool:
    """Who may set up an area's partnership record: the people who would then change it."""
    org = _org(user)
    if org is None or org.pk != area.pk:
        return False
    return bool((user.is_borough_editor and org.kind == Kind.AREA) or (user.is_vru_user and org.kind == Kind.VRU))


def user_can_request_information(*, user, partnership: Partnership) -> bool:
    """s.17: only the local policing body asks, of the partnerships it monitors."""
    return bool(
        getattr(user, "is_policing_body", False)
        and partnerships_visible_to(user=user).filter(pk=partnership.pk).exists()
    )


def areas_with_duty_visible_to(*, user) -> QuerySet[Organisation]:
    """Areas (and footprints) whose Duty pages ``user`` may open, with or without a partnership record yet."""
    vru = monitoring_vru(user=user)
    if vru is not None:
        return Organisation.objects.filter(pk=vru.pk) | Organisation.objects.filter(kind=Kind.AREA, vru=vru)
    return areas_visible_to(user=user)


def duty_area_get_for_user(*, user, code: str) -> Organisation:
    """The area (or VRU footprint) with this code whose Duty pages the user may open; NotFound otherwise."""
    code = _checked_code(code)
    try:
        return areas_with_duty_visible_to(user=user).get(code=code)
    except Organisation.DoesNotExist as exc:
        raise NotFound("No such area") from exc


def partnership_get_for_user(*, user, code: str, edit: bool = False) -> Partnership:
    """The partnership of the area with this code. NotFound if the user may not see it (or there is none);
    PermissionDenied if ``edit`` and they may only look."""
    code = _checked_code(code)
    try:
        partnership = partnerships_visible_to(user=user).select_related("area", "vru").get(area__code=code)
    except Partnership.DoesNotExist as exc:
        raise NotFound("No such partnership") from exc
    if edit and not user_can_edit_partnership(user=user, partnership=partnership):
        raise PermissionDenied("You can look at this partnership's Duty records but not change them.")
    return partnership


def _child_get(queryset: QuerySet[M], *, user, partnership_path: str, pk: int, edit: bool) -> M:
    visible = partnerships_visible_to(user=user)
    try:
        obj = queryset.get(**{f"{partnership_path}__in": visible, "pk": pk})
    except ObjectDoesNotExist as exc:
        raise NotFound(f"No such {queryset.model._meta.verbose_name}") from exc
    if edit:
        partnership = Partnership.objects.get(pk=_partnership_id(obj, partnership_path))
        if not user_can_edit_partnership(user=user, partnership=partnership):
            raise PermissionDenied("You can look at this partnership's Duty records but not change them.")
    return obj


def _partnership_id(obj: Model, path: str) -> int:
    for step in path.split("__")[:-1]:
        obj = getattr(obj, step)
    return getattr(obj, f"{path.split('__')[-1]}_id")


# One helper per kind of object: each checks the object belongs to a partnership the user may see (and change).


def specified_authority_get_for_user(*, user, code: str, pk: int, edit: bool = False) -> SpecifiedAuthority:
    code = _checked_code(code)
    return _child_get(
        SpecifiedAuthority.objects.filter(partnership__area__code=code),
        user=user,
        partnership_path="partnership",
        pk=pk,
        edit=edit,
    )


def relevant_authority_get_for_user(*, user, code: str, pk: int, edit: bool = False) -> RelevantAuthority:
    code = _checked_code(code)
    return _child_get(
        RelevantAuthority.objects.filter(partnership__area__code=code),
        user=user,
        partnership_path="partnership",
        pk=pk,
        edit=edit,
    )


def consultation_get_for_user(*, user, code: str, pk: int, edit: bool = False) -> Consultation:
    code = _checked_code(code)
    return _child_get(
        Consultation.objects.filter(authority__partnership__area__code=code).select_related("authority"),
        user=user,
        partnership_path="authority__partnership",
        pk=pk,
        edit=edit,
    )


def assessment_get_for_user(*, user, code: str, pk: int, edit: bool = False) -> NeedsAssessment:
    code = _checked_code(code)
    return _child_get(
        NeedsAssessment.objects.filter(partnership__area__code=code).select_related("partnership__area"),
        user=user,
        partnership_path="partnership",
        pk=pk,
        edit=edit,
    )


def sna_section_get_for_user(*, user, code: str, assessment_pk: int, key: str, edit: bool = False) -> SnaSection:
    code = _checked_code(code)
    if key not in SnaSectionKey.values:
        raise NotFound("No such section")
    section = (
        SnaSection.objects.filter(assessment__partnership__area__code=code, assessment_id=assessment_pk, key=key)
        .values_list("pk", flat=True)
        .first()
    )
    if section is None:
        raise NotFound("No such section")
    return _child_get(
        SnaSection.objects.select_related("assessment__partnership__area"),
        user=user,
        partnership_path="assessment__partnership",
        pk=section,
        edit=edit,
    )


def strategy_get_for_user(*, user, code: str, pk: int, edit: bool = False) -> Strategy:
    code = _checked_code(code)
    return _child_get(
        Strategy.objects.filter(partnership__area__code=code).select_related("partnership__area"),
        user=user,
        partnership_path="partnership",
        pk=pk,
        edit=edit,
    )


def annual_review_get_for_user(*, user, code: str, pk: int, edit: bool = False) -> AnnualReview:
    code = _checked_code(code)
    return _child_get(
        AnnualReview.objects.filter(partnership__area__code=code),
        user=user,
        partnership_path="partnership",
        pk=pk,
        edit=edit,
    )


def agreement_get_for_user(*, user, code: str, pk: int, edit: bool = False) -> SharingAgreement:
    code = _checked_code(code)
    return _child_get(
        SharingAgreement.objects.filter(partnership__area__code=code),
        user=user,
        partnership_path="partnership",
        pk=pk,
        edit=edit,
    )


def disclosure_get_for_user(*, user, code: str, pk: int, edit: bool = False) -> Disclosure:
    code = _checked_code(code)
    return _child_get(
        Disclosure.objects.filter(partnership__area__code=code),
        user=user,
        partnership_path="partnership",
        pk=pk,
        edit=edit,
    )


def information_request_get_for_user(*, user, code: str, pk: int, edit: bool = False) -> InformationRequest:
    """``edit``: answering or refusing, which the partnership's editors do (the asker cannot answer)."""
    code = _checked_code(code)
    return _child_get(
        InformationRequest.objects.filter(partnership__area__code=code),
        user=user,
        partnership_path="partnership",
        pk=pk,
        edit=edit,
    )
