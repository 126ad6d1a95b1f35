"""Funded programmes and grants: the list, a programme's page, setting one up and changing its details,
amounts by financial year, areas and wards, links and publication; the organisations funded (recipients).

Thin: each view fetches through ``programmes.selectors.access`` and writes through ``programmes.services``."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vrhub.core.forms import apply_validation_errors
from vrhub.programmes.catalogue import year_label
from vrhub.programmes.forms_programmes import (
    AmountForm,
    AreasForm,
    LinksForm,
    ProgrammeForm,
    PublicationForm,
    RecipientForm,
)
from vrhub.programmes.models import Recipient
from vrhub.programmes.selectors import access
from vrhub.programmes.selectors import programmes as selectors
from vrhub.programmes.services import programmes as services
from vrhub.programmes.services import recipients as recipient_services


def _version(form) -> int:
    try:
        return int(form.data.get("version") or 0)
    except (TypeError, ValueError):
        return 0


@require_GET
def index(request):
    context = selectors.programme_list(user=request.user, params=request.GET)
    context["can_create"] = access.programme_owners_for(user=request.user).exists()
    context["show_open_data"] = access.overseen_vru(user=request.user) is not None
    return render(request, "programmes/index.html", context)


def _programme_form(request, *, owner, programme=None):
    return ProgrammeForm(
        request.POST or None,
        programme=programme,
        recipients=selectors.recipient_choices(vru=owner.owning_vru),
        sources=selectors.funding_source_choices(owner=owner),
    )


@require_http_methods(["GET", "POST"])
def programme_new(request):
    owner = access.programme_owners_for(user=request.user).first()
    if owner is None:
        raise PermissionDenied("You cannot set up a programme.")
    form = _programme_form(request, owner=owner)
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.programme_create(owner=owner, user=request.user, data=form.data_for_service())
        except ValidationError as exc:
            apply_validation_errors(form, exc)
        else:
            messages.success(request, f"{programme.title} set up. Add its amounts by financial year next.")
            return redirect("programmes:programme_amounts", pk=programme.pk)
    return render(
        request,
        "programmes/programme_form.html",
        {"form": form, "programme": None, "owner": owner, "categories": selectors.spend_category_choices(owner=owner)},
    )


@require_GET
def programme_detail(request, pk: int):
    programme = access.programme_get_for_user(user=request.user, pk=pk)
    return render(
        request,
        "programmes/programme.html",
        {
            "programme": programme,
            "can_edit": access.user_can_edit_programme(user=request.user, programme=programme),
            **selectors.programme_detail(programme=programme),
        },
    )


@require_http_methods(["GET", "POST"])
def programme_edit(request, pk: int):
    programme = access.programme_get_for_user(user=request.user, pk=pk, edit=True)
    form = _programme_form(request, owner=programme.owner, programme=programme)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.programme_update(
                programme=programme, user=request.user, data=form.data_for_service(), version=_version(form)
            )
        except ValidationError as exc:
            apply_validation_errors(form, exc)
            programme.refresh_from_db()
            form.set_version(programme.version)
        else:
            messages.success(request, f"Details of {saved.title} saved.")
            return redirect("programmes:programme_detail", pk=saved.pk)
    return render(
        request,
        "programmes/programme_form.html",
        {
            "form": form,
            "programme": programme,
            "owner": programme.owner,
            "categories": selectors.spend_category_choices(owner=programme.owner),
        },
    )


@require_http_methods(["GET", "POST"])
def programme_amounts(request, pk: int):
    programme = access.programme_get_for_user(user=request.user, pk=pk, edit=True)
    initial = {"version": programme.version}
    chosen = request.GET.get("year", "")
    current = programme.amounts.filter(year=int(chosen)).first() if chosen.isdigit() and len(chosen) == 4 else None
    if current is not None:
        initial.update({"year": current.year, "amount": f"{current.amount:.2f}", "estimated": current.estimated})
    form = AmountForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            row = services.programme_amount_save(
                programme=programme,
                user=request.user,
                year=form.cleaned_data["year"],
                amount=form.cleaned_data["amount"],
                estimated=form.cleaned_data["estimated"],
                version=_version(form),
            )
        except ValidationError as exc:
            apply_validation_errors(form, exc)
            programme.refresh_from_db()
            form.data = form.data.copy()
            form.data["version"] = str(programme.version)
        else:
            messages.success(request, f"Amount for {year_label(row.year)} saved: £{row.amount:,.2f}.")
            return redirect("programmes:programme_amounts", pk=programme.pk)
    return render(
        request,
        "programmes/programme_amounts.html",
        {"programme": programme, "form": form, "changing": current, **selectors.programme_detail(programme=programme)},
    )


@require_POST
def programme_amount_remove(request, pk: int, year: int):
    programme = access.programme_get_for_user(user=request.user, pk=pk, edit=True)
    try:
        version = int(request.POST.get("version") or 0)
    except ValueError:
        version = 0
    try:
        services.programme_amount_remove(programme=programme, user=request.user, year=year, version=version)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"Amount for {year_label(year)} removed.")
    return redirect("programmes:programme_amounts", pk=programme.pk)


@require_http_methods(["GET", "POST"])
def programme_areas(request, pk: int):
    programme = access.programme_get_for_user(user=request.user, pk=pk, edit=True)
    form = AreasForm(request.POST or None, programme=programme, areas=selectors.area_choices(vru=programme.vru))
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.programme_areas_set(
                programme=programme,
                user=request.user,
                all_areas=form.cleaned_data["all_areas"],
                areas=form.cleaned_data["areas"],
                wards=form.cleaned_data["wards"],
                version=_version(form),
            )
        except ValidationError as exc:
            apply_validation_errors(form, exc)
            programme.refresh_from_db()
            form.set_version(programme.version)
        else:
            messages.success(request, f"Areas and wards of {saved.title} saved.")
            return redirect("programmes:programme_detail", pk=saved.pk)
    return render(request, "programmes/programme_areas.html", {"programme": programme, "form": form})


@require_http_methods(["GET", "POST"])
def programme_links(request, pk: int):
    programme = access.programme_get_for_user(user=request.user, pk=pk, edit=True)
    form = LinksForm(
        request.POST or None,
        programme=programme,
        objectives=selectors.objective_choices(vru=programme.vru),
        plan_actions=selectors.plan_action_choices(programme=programme),
        themes=selectors.theme_choices(vru=programme.vru),
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.programme_links_set(
                programme=programme,
                user=request.user,
                objectives=form.cleaned_data["objectives"],
                plan_actions=form.cleaned_data["plan_actions"],
                theme=form.cleaned_data["theme"],
                version=_version(form),
            )
        except ValidationError as exc:
            apply_validation_errors(form, exc)
            programme.refresh_from_db()
            form.set_version(programme.version)
        else:
            messages.success(request, f"Objectives, plan actions and theme of {saved.title} saved.")
            return redirect("programmes:programme_detail", pk=saved.pk)
    return render(request, "programmes/programme_links.html", {"programme": programme, "form": form})


@require_http_methods(["GET", "POST"])
def programme_publication(request, pk: int):
    programme = access.programme_get_for_user(user=request.user, pk=pk, edit=True)
    form = PublicationForm(
        request.POST or None, initial={"published": programme.published, "version": programme.version}
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.programme_publication_set(
                programme=programme, user=request.user, published=form.cleaned_data["published"], version=_version(form)
            )
        except ValidationError as exc:
            apply_validation_errors(form, exc)
            programme.refresh_from_db()
            form.set_version(programme.version)
        else:
            messages.success(request, f"{saved.title} is {'published' if saved.published else 'not published'}.")
            return redirect("programmes:programme_detail", pk=saved.pk)
    return render(request, "programmes/programme_publication.html", {"programme": programme, "form": form})


# Recipients ------------------------------------------------------------------------------------------------


@require_GET
def recipients(request):
    found = access.recipients_visible_to(user=request.user).order_by("name")
    return render(
        request,
        "programmes/recipients.html",
        {
            "recipients": list(found),
            "can_add": access.programme_owners_for(user=request.user).exists(),
            "editable": set(access.recipients_editable_by(user=request.user).values_list("pk", flat=True)),
        },
    )


@require_http_methods(["GET", "POST"])
def recipient_new(request):
    owner = access.programme_owners_for(user=request.user).first()
    if owner is None or owner.owning_vru is None:
        raise PermissionDenied("You cannot add organisations.")
    form = RecipientForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            recipient = recipient_services.recipient_create(
                vru=owner.owning_vru, user=request.user, data=form.data_for_service()
            )
        except ValidationError as exc:
            apply_validation_errors(form, exc)
        else:
            messages.success(request, f"{recipient.name} added.")
            return redirect("programmes:recipients")
    return render(request, "programmes/recipient_form.html", {"form": form, "recipient": None})


@require_http_methods(["GET", "POST"])
def recipient_edit(request, pk: int):
    recipient = access.recipient_get_for_user(user=request.user, pk=pk, edit=request.method == "POST")
    can_edit = access.recipients_editable_by(user=request.user).filter(pk=recipient.pk).exists()
    programmes = access.programmes_visible_to(user=request.user).filter(recipient=recipient).order_by("title")
    if not can_edit:
        return render(request, "programmes/recipient.html", {"recipient": recipient, "programmes": programmes})
    form = RecipientForm(request.POST or None, recipient=recipient)
    if request.method == "POST" and form.is_valid():
        try:
            saved = recipient_services.recipient_update(
                recipient=recipient,
                user=request.user,
                data=form.data_for_service(),
                loaded=form.cleaned_data.get("loaded") or None,
            )
        except ValidationError as exc:
            apply_validation_errors(form, exc)
            form.data = form.data.copy()  # the next save is checked against the recipient as it is now
            form.data["loaded"] = selectors.recipient_fingerprint(recipient=Recipient.objects.get(pk=recipient.pk))
        else:
            messages.success(request, f"{saved.name} saved.")
            return redirect("programmes:recipients")
    return render(
        request, "programmes/recipient_form.html", {"form": form, "recipient": recipient, "programmes": programmes}
    )


urlpatterns = [
    path("programmes/", index, name="index"),
    path("programmes/new/", programme_new, name="programme_new"),
    path("programmes/recipients/", recipients, name="recipients"),
    path("programmes/recipients/new/", recipient_new, name="recipient_new"),
    path("programmes/recipients/<int:pk>/", recipient_edit, name="recipient_edit"),
    path("programmes/<int:pk>/", programme_detail, name="programme_detail"),
    path("programmes/<int:pk>/edit/", programme_edit, name="programme_edit"),
    path("programmes/<int:pk>/amounts/", programme_amounts, name="programme_amounts"),
    path("programmes/<int:pk>/amounts/<int:year>/remove/", programme_amount_remove, name="programme_amount_remove"),
    path("programmes/<int:pk>/areas/", programme_areas, name="programme_areas"),
    path("programmes/<int:pk>/links/", programme_links, name="programme_links"),
    path("programmes/<int:pk>/publication/", programme_publication, name="programme_publication"),
]
