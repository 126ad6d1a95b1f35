"""Data sharing: the information-sharing agreements, the s.16 disclosure log and the s.17 information
requests of an area; and the local policing body's requests across the areas it monitors.

Thin: each view fetches through ``duty.selectors.access``, reads through ``duty.selectors.sharing`` and
writes through ``duty.services.sharing``."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vrhub.core.forms import apply_validation_errors
from vrhub.core.words import date_words
from vrhub.duty.forms_sharing import AgreementForm, AnswerForm, DisclosureForm, RefuseForm, RequestForm
from vrhub.duty.models import InformationRequest
from vrhub.duty.selectors import access
from vrhub.duty.selectors import sharing as selectors
from vrhub.duty.services import sharing as services


def _context(request, partnership, **extra) -> dict:
    return {
        "area": partnership.area,
        "partnership": partnership,
        "can_edit": access.user_can_edit_partnership(user=request.user, partnership=partnership),
        "can_request": access.user_can_request_information(user=request.user, partnership=partnership),
        **extra,
    }


@require_GET
def sharing(request, code: str):
    partnership = access.partnership_get_for_user(user=request.user, code=code)
    registers = selectors.sharing_registers(partnership=partnership)
    return render(request, "duty/sharing/index.html", _context(request, partnership, **registers))


# Agreements ------------------------------------------------------------------------------------------


@require_GET
def agreement(request, code: str, pk: int):
    found = access.agreement_get_for_user(user=request.user, code=code, pk=pk)
    partnership = access.partnership_get_for_user(user=request.user, code=code)
    due, warning = selectors.agreement_warning(review_on=found.review_on, today=timezone.localdate())
    return render(
        request,
        "duty/sharing/agreement.html",
        _context(
            request,
            partnership,
            agreement=found,
            due=due,
            warning=warning,
            review_words=selectors.agreement_review_words(review_on=found.review_on, today=timezone.localdate()),
            disclosures=found.disclosures.order_by("-disclosed_on", "-pk"),
        ),
    )


@require_http_methods(["GET", "POST"])
def agreement_add(request, code: str):
    partnership = access.partnership_get_for_user(user=request.user, code=code, edit=True)
    form = AgreementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            made = services.agreement_create(partnership=partnership, user=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            apply_validation_errors(form, exc)
        else:
            messages.success(request, f"Agreement “{made.title}” added to the register.")
            return redirect("duty:sharing_agreement", code=code, pk=made.pk)
    return render(
        request, "duty/sharing/agreement_form.html", _context(request, partnership, form=form, agreement=None)
    )


@require_http_methods(["GET", "POST"])
def agreement_edit(request, code: str, pk: int):
    found = access.agreement_get_for_user(user=request.user, code=code, pk=pk, edit=True)
    partnership = access.partnership_get_for_user(user=request.user, code=code, edit=True)
    form = AgreementForm(request.POST or None, agreement=found)
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_update(agreement=found, user=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            apply_validation_errors(form, exc)
        else:
            messages.success(request, f"Agreement “{found.title}” saved.")
            return redirect("duty:sharing_agreement", code=code, pk=found.pk)
    return render(
        request, "duty/sharing/agreement_form.html", _context(request, partnership, form=form, agreement=found)
    )


@require_http_methods(["GET", "POST"])
def agreement_remove(request, code: str, pk: int):
    found = access.agreement_get_for_user(user=request.user, code=code, pk=pk, edit=True)
    partnership = access.partnership_get_for_user(user=request.user, code=code, edit=True)
    problem = ""
    if request.method == "POST":
        try:
            services.agreement_remove(agreement=found, user=request.user)
        except ValidationError as exc:
            problem = exc.messages[0]
        else:
            messages.success(request, f"Agreement “{found.title}” removed from the register.")
            return redirect("duty:sharing", code=code)
    return render(
        request, "duty/sharing/agreement_remove.html", _context(request, partnership, agreement=found, problem=problem)
    )


# Disclosures -----------------------------------------------------------------------------------------


@require_GET
def disclosure(request, code: str, pk: int):
    found = access.disclosure_get_for_user(user=request.user, code=code, pk=pk)
    partnership = access.partnership_get_for_user(user=request.user, code=code)
    return render(request, "duty/sharing/disclosure.html", _context(request, partnership, disclosure=found))


@require_http_methods(["GET", "POST"])
def disclosure_add(request, code: str):
    partnership = access.partnership_get_for_user(user=request.user, code=code, edit=True)
    form = DisclosureForm(request.POST or None, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        try:
            made = services.disclosure_record(
                partnership=partnership,
                user=request.user,
                data=form.data_for_service(),
                confirmations=form.confirmations(),
            )
        except ValidationError as exc:
            apply_validation_errors(form, exc)
        else:
            messages.success(
                request,
                f"Disclosure from {made.from_organisation} to {made.to_organisation} on "
                f"{date_words(made.disclosed_on)} added to the log.",
            )
            return redirect("duty:sharing", code=code)
    return render(request, "duty/sharing/disclosure_form.html", _context(request, partnership, form=form))


# s.17 information requests ---------------------------------------------------------------------------


def _request_page(request, code: str, found: InformationRequest, *, answer=None, refuse=None, status: int = 200):
    partnership = access.partnership_get_for_user(user=request.user, code=code)
    due, words = selectors.request_status(info_request=found, today=timezone.localdate())
    open_ = found.state == InformationRequest.State.OPEN
    answer_form, refuse_form = answer or AnswerForm(), refuse or RefuseForm()
    return render(
        request,
        "duty/sharing/request.html",
        _context(
            request,
            partnership,
            info_request=found,
            due=due,
            status_words=words,
            is_open=open_,
            answer_form=answer_form,
            refuse_form=refuse_form,
            response_forms=[answer_form, refuse_form],
        ),
        status=status,
    )


@require_GET
def request_detail(request, code: str, pk: int):
    found = access.information_request_get_for_user(user=request.user, code=code, pk=pk)
    return _request_page(request, code, found)


@require_http_methods(["GET", "POST"])
def request_add(request, code: str):
    partnership = access.partnership_get_for_user(user=request.user, code=code)
    if not access.user_can_request_information(user=request.user, partnership=partnership):
        raise PermissionDenied("Only the local policing body makes information requests under section 17.")
    form = RequestForm(request.POST or None, partnership=partnership, initial={"requested_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            made = services.information_request_create(
                partnership=partnership, user=request.user, data=form.cleaned_data
            )
        except ValidationError as exc:
            apply_validation_errors(form, exc)
        else:
            messages.success(
                request,
                f"Request sent to {made.addressed_to}: the response is due by {date_words(made.due_on)}.",
            )
            return redirect("duty:sharing_request", code=code, pk=made.pk)
    return render(request, "duty/sharing/request_form.html", _context(request, partnership, form=form))


def _respond(request, code: str, pk: int, *, form_class, service, done: str):
    found = access.information_request_get_for_user(user=request.user, code=code, pk=pk, edit=True)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            service(info_request=found, user=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):  # already responded to: say so at the top of the page
                messages.error(request, exc.messages[0])
                return redirect("duty:sharing_request", code=code, pk=pk)
            apply_validation_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("duty:sharing_request", code=code, pk=pk)
    forms = {"answer": form} if form_class is AnswerForm else {"refuse": form}
    return _request_page(request, code, found, **forms)


@require_POST
def request_answer(request, code: str, pk: int):
    return _respond(
        request,
        code,
        pk,
        form_class=AnswerForm,
        service=services.information_request_answer,
        done="Answer recorded: the request is answered.",
    )


@require_POST
def request_refuse(request, code: str, pk: int):
    return _respond(
        request,
        code,
        pk,
        form_class=RefuseForm,
        service=services.information_request_refuse,
        done="Refusal recorded, with its legal reason: the request is refused.",
    )


@require_GET
def requests(request):
    """The local policing body's (and the VRU's) s.17 requests across the areas it monitors."""
    if access.monitoring_vru(user=request.user) is None:
        raise PermissionDenied("Only the VRU and the local policing body monitor information requests.")
    area = request.GET.get("area", "")
    if area:  # "Make a request" chooses the area first
        partnership = access.partnership_get_for_user(user=request.user, code=area)
        return redirect("duty:sharing_request_add", code=partnership.area.code)
    state = request.GET.get("state", "")
    found = selectors.requests_monitored(user=request.user, state=state)
    return render(
        request,
        "duty/sharing/requests.html",
        {
            **found,
            "state": state if state in InformationRequest.State.values else "",
            "states": InformationRequest.State.choices,
            "partnerships": access.partnerships_visible_to(user=request.user).select_related("area"),
            "is_policing_body": request.user.is_policing_body,
        },
    )


urlpatterns = [
    path("duty/monitoring/information-requests/", requests, name="requests"),
    path("duty/<str:code>/data-sharing/", sharing, name="sharing"),
    path("duty/<str:code>/data-sharing/agreements/add/", agreement_add, name="sharing_agreement_add"),
    path("duty/<str:code>/data-sharing/agreements/<int:pk>/", agreement, name="sharing_agreement"),
    path("duty/<str:code>/data-sharing/agreements/<int:pk>/change/", agreement_edit, name="sharing_agreement_edit"),
    path("duty/<str:code>/data-sharing/agreements/<int:pk>/remove/", agreement_remove, name="sharing_agreement_remove"),
    path("duty/<str:code>/data-sharing/disclosures/add/", disclosure_add, name="sharing_disclosure_add"),
    path("duty/<str:code>/data-sharing/disclosures/<int:pk>/", disclosure, name="sharing_disclosure"),
    path("duty/<str:code>/data-sharing/requests/add/", request_add, name="sharing_request_add"),
    path("duty/<str:code>/data-sharing/requests/<int:pk>/", request_detail, name="sharing_request"),
    path("duty/<str:code>/data-sharing/requests/<int:pk>/answer/", request_answer, name="sharing_request_answer"),
    path("duty/<str:code>/data-sharing/requests/<int:pk>/refuse/", request_refuse, name="sharing_request_refuse"),
]
