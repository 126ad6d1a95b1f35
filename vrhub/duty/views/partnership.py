"""The partnership pages: the bodies around it, the specified authorities and their leads, the relevant
authorities and their consultation. Every object is fetched through ``duty.selectors.access``; every change
goes through ``duty.services.partnership``."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_http_methods

from vrhub.core.forms import apply_validation_errors
from vrhub.core.words import count_noun, date_words
from vrhub.duty.catalogue import AuthorityKind, RelevantKind
from vrhub.duty.forms_partnership import (
    ConsultationForm,
    PartnershipForm,
    RelevantAuthorityForm,
    SpecifiedAuthorityForm,
)
from vrhub.duty.models import Partnership
from vrhub.duty.selectors import access
from vrhub.duty.selectors import partnership as selectors
from vrhub.duty.selectors.readiness import area_readiness
from vrhub.duty.services import partnership as services
from vrhub.organisations.models import Organisation


def _page(code: str) -> str:
    return reverse("duty:partnership", args=[code])


def partnership(request, code: str):
    """The partnership as it stands: for its editors with links to change it, for everyone else read-only."""
    area = access.duty_area_get_for_user(user=request.user, code=code)
    record = (
        Partnership.objects.filter(area=area, pk__in=access.partnerships_visible_to(user=request.user))
        .select_related("owning_group")
        .first()
    )
    readiness = area_readiness(area=area)
    context = {
        "area": area,
        "partnership": record,
        "readiness": readiness,
        "missing": readiness.elements_missing("partnership") + readiness.elements_missing("consultation"),
        "can_start": record is None and access.user_can_start_partnership(user=request.user, area=area),
        "can_edit": record is not None and access.user_can_edit_partnership(user=request.user, partnership=record),
    }
    if context["can_start"]:  # the set-up form, right here (it posts to the details page)
        areas = list(selectors.footprint_areas(vru=area)) if area.kind == Organisation.Kind.VRU else None
        context["form"] = PartnershipForm(
            initial={"local_policing_body": selectors.policing_body_default(area=area)},
            areas=areas,
            groups=list(selectors.owning_groups_for(user=request.user, area=area)),
        )
    if record is not None:
        context |= {
            "kinds": selectors.specified_by_kind(partnership=record, readiness=readiness),
            "relevant": selectors.relevant_by_kind(partnership=record),
            "covers": list(record.covers.order_by("name")) if area.kind == Organisation.Kind.VRU else None,
            # The owning group's page, for those who may open it (governance's one visibility rule).
            "group_link": selectors.owning_groups_for(user=request.user, area=area)
            .filter(pk=record.owning_group_id)
            .first()
            if record.owning_group_id
            else None,
        }
    return render(request, "duty/partnership/page.html", context)


@require_http_methods(["GET", "POST"])
def bodies(request, code: str):
    """Set up the partnership (when the area has none) or change its lead body, local policing body and
    governance group (and a VRU footprint's areas)."""
    area = access.duty_area_get_for_user(user=request.user, code=code)
    record = Partnership.objects.filter(area=area).first()
    if record is None:
        if not access.user_can_start_partnership(user=request.user, area=area):
            raise PermissionDenied("You cannot set up this area's partnership.")
        initial = {"local_policing_body": selectors.policing_body_default(area=area)}
    else:
        record = access.partnership_get_for_user(user=request.user, code=code, edit=True)
        initial = {
            "lead_body": record.lead_body,
            "local_policing_body": record.local_policing_body,
            "governance_group": record.governance_group,
            "owning_group": str(record.owning_group_id or ""),
            "covers": [str(pk) for pk in record.covers.values_list("pk", flat=True)],
            "version": record.version,
        }
    areas = list(selectors.footprint_areas(vru=area)) if area.kind == Organisation.Kind.VRU else None
    groups = list(selectors.owning_groups_for(user=request.user, area=area))
    form = PartnershipForm(request.POST or None, initial=initial, areas=areas, groups=groups)
    if request.method == "POST" and form.is_valid():
        try:
            if record is None:
                services.partnership_create(
                    area=area, user=request.user, data=form.body_data(), covers=form.chosen_areas()
                )
                messages.success(request, "Partnership set up. Now add the specified authorities and their leads.")
            else:
                changes = services.partnership_update(
                    partnership=record,
                    user=request.user,
                    data=form.body_data(),
                    covers=form.chosen_areas(),
                    expected_version=form.cleaned_data.get("version"),
                )
                messages.success(request, "Partnership details saved." if changes else "Nothing had changed.")
        except ValidationError as exc:
            apply_validation_errors(form, exc)
        else:
            return redirect("duty:partnership", code=area.code)
    return render(request, "duty/partnership/bodies.html", {"area": area, "partnership": record, "form": form})


@require_http_methods(["GET", "POST"])
def authority_add(request, code: str):
    record = access.partnership_get_for_user(user=request.user, code=code, edit=True)
    kind = request.GET.get("kind", "")
    form = SpecifiedAuthorityForm(request.POST or None, initial={"kind": kind if kind in AuthorityKind.values else ""})
    if request.method == "POST" and form.is_valid():
        try:
            authority = services.specified_authority_add(partnership=record, user=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            apply_validation_errors(form, exc)
        else:
            messages.success(
                request, f"{authority.organisation} added as the {selectors.kind_words(authority.get_kind_display())}."
            )
            return redirect(_page(code) + f"#kind-{authority.kind}")
    return render(
        request,
        "duty/partnership/authority_form.html",
        {"area": record.area, "partnership": record, "form": form, "authority": None},
    )


@require_http_methods(["GET", "POST"])
def authority_change(request, code: str, pk: int):
    authority = access.specified_authority_get_for_user(user=request.user, code=code, pk=pk, edit=True)
    initial = {f: getattr(authority, f) for f in services.AUTHORITY_FIELDS}
    form = SpecifiedAuthorityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            changes = services.specified_authority_update(
                authority=authority, user=request.user, data=form.cleaned_data
            )
        except ValidationError as exc:
            apply_validation_errors(form, exc)
        else:
            messages.success(request, f"{authority.organisation} saved." if changes else "Nothing had changed.")
            return redirect(_page(code) + f"#kind-{authority.kind}")
    return render(
        request,
        "duty/partnership/authority_form.html",
        {
            "area": authority.partnership.area,
            "partnership": authority.partnership,
            "form": form,
            "authority": authority,
        },
    )


@require_http_methods(["GET", "POST"])
def authority_remove(request, code: str, pk: int):
    authority = access.specified_authority_get_for_user(user=request.user, code=code, pk=pk, edit=True)
    if request.method == "POST":
        services.specified_authority_remove(authority=authority, user=request.user)
        messages.success(request, f"{authority.organisation} removed from the partnership.")
        return redirect(_page(code) + f"#kind-{authority.kind}")
    return render(
        request,
        "duty/partnership/remove.html",
        {
            "area": authority.partnership.area,
            "title": f"Remove {authority.organisation} from the partnership?",
            "what": (
                f"{authority.organisation}, {selectors.kind_words(authority.get_kind_display())}, "
                "and its lead's details"
            ),
            "consequence": "",
            "button": "Remove from the partnership",
        },
    )


@require_http_methods(["GET", "POST"])
def relevant_add(request, code: str):
    record = access.partnership_get_for_user(user=request.user, code=code, edit=True)
    kind = request.GET.get("kind", "")
    form = RelevantAuthorityForm(request.POST or None, initial={"kind": kind if kind in RelevantKind.values else ""})
    if request.method == "POST" and form.is_valid():
        try:
            relevant = services.relevant_authority_add(partnership=record, user=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            apply_validation_errors(form, exc)
        else:
            messages.success(request, f"{relevant.organisation} added. Now record its consultation.")
            return redirect(_page(code) + f"#relevant-{relevant.pk}")
    return render(request, "duty/partnership/relevant_form.html", {"area": record.area, "form": form})


@require_http_methods(["GET", "POST"])
def relevant_remove(request, code: str, pk: int):
    relevant = access.relevant_authority_get_for_user(user=request.user, code=code, pk=pk, edit=True)
    consultations = relevant.consultations.count()
    if request.method == "POST":
        gone = services.relevant_authority_remove(authority=relevant, user=request.user)
        text = f"{relevant.organisation} removed"
        messages.success(request, text + (f" with {count_noun(gone, 'consultation record')}." if gone else "."))
        return redirect(_page(code) + "#relevant")
    return render(
        request,
        "duty/partnership/remove.html",
        {
            "area": relevant.partnership.area,
            "title": f"Remove {relevant.organisation} from the authorities consulted?",
            "what": f"{relevant.organisation}, {selectors.kind_words(relevant.get_kind_display())}",
            "consequence": (
                f"Its {count_noun(consultations, 'consultation record')} will be removed too." if consultations else ""
            ),
            "button": "Remove",
        },
    )


@require_http_methods(["GET", "POST"])
def consultation_add(request, code: str, pk: int):
    relevant = access.relevant_authority_get_for_user(user=request.user, code=code, pk=pk, edit=True)
    form = ConsultationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.consultation_add(authority=relevant, user=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            apply_validation_errors(form, exc)
        else:
            messages.success(request, f"Consultation of {relevant.organisation} recorded.")
            return redirect(_page(code) + f"#relevant-{relevant.pk}")
    return render(
        request,
        "duty/partnership/consultation_form.html",
        {"area": relevant.partnership.area, "relevant": relevant, "form": form, "consultation": None},
    )


@require_http_methods(["GET", "POST"])
def consultation_change(request, code: str, pk: int):
    consultation = access.consultation_get_for_user(user=request.user, code=code, pk=pk, edit=True)
    initial = {f: getattr(consultation, f) for f in services.CONSULTATION_FIELDS}
    form = ConsultationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            changes = services.consultation_update(consultation=consultation, user=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            apply_validation_errors(form, exc)
        else:
            messages.success(
                request,
                f"Consultation of {consultation.authority.organisation} saved." if changes else "Nothing had changed.",
            )
            return redirect(_page(code) + f"#relevant-{consultation.authority_id}")
    return render(
        request,
        "duty/partnership/consultation_form.html",
        {
            "area": consultation.authority.partnership.area,
            "relevant": consultation.authority,
            "form": form,
            "consultation": consultation,
        },
    )


@require_http_methods(["GET", "POST"])
def consultation_remove(request, code: str, pk: int):
    consultation = access.consultation_get_for_user(user=request.user, code=code, pk=pk, edit=True)
    if request.method == "POST":
        services.consultation_remove(consultation=consultation, user=request.user)
        messages.success(request, f"Consultation of {consultation.authority.organisation} removed.")
        return redirect(_page(code) + f"#relevant-{consultation.authority_id}")
    return render(
        request,
        "duty/partnership/remove.html",
        {
            "area": consultation.authority.partnership.area,
            "title": f"Remove the consultation of {consultation.authority.organisation}?",
            "what": f"The consultation of {date_words(consultation.consulted_on)} with {consultation.contact}",
            "consequence": "",
            "button": "Remove the consultation record",
        },
    )


urlpatterns = [
    path("duty/<str:code>/partnership/", partnership, name="partnership"),
    path("duty/<str:code>/partnership/details/", bodies, name="partnership_bodies"),
    path("duty/<str:code>/partnership/authorities/add/", authority_add, name="partnership_authority_add"),
    path("duty/<str:code>/partnership/authorities/<int:pk>/", authority_change, name="partnership_authority"),
    path(
        "duty/<str:code>/partnership/authorities/<int:pk>/remove/",
        authority_remove,
        name="partnership_authority_remove",
    ),
    path("duty/<str:code>/partnership/consulted/add/", relevant_add, name="partnership_relevant_add"),
    path("duty/<str:code>/partnership/consulted/<int:pk>/remove/", relevant_remove, name="partnership_relevant_remove"),
    path(
        "duty/<str:code>/partnership/consulted/<int:pk>/consultations/add/",
        consultation_add,
        name="partnership_consultation_add",
    ),
    path(
        "duty/<str:code>/partnership/consultations/<int:pk>/",
        consultation_change,
        name="partnership_consultation",
    ),
    path(
        "duty/<str:code>/partnership/consultations/<int:pk>/remove/",
        consultation_remove,
        name="partnership_consultation_remove",
    ),
]
