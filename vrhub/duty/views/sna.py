"""The strategic needs assessment: the partnership's assessments (one a year), an assessment's sections with
their text and cited figures, a page per section for editors, agreeing and reopening. Thin: the rules are in
``duty.services.sna`` and ``duty.selectors.sna``; who may see and change what in ``duty.selectors.access``."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from vrhub.core.forms import apply_validation_errors
from vrhub.core.words import count_noun
from vrhub.duty.forms_sna import FigureForm, SectionForm, StartForm
from vrhub.duty.models import NeedsAssessment, Partnership, SnaSection
from vrhub.duty.selectors import access
from vrhub.duty.selectors import sna as selectors
from vrhub.duty.selectors.readiness import area_readiness
from vrhub.duty.services import sna as services


def _start_form(partnership: Partnership, data=None) -> StartForm:
    first, last = selectors.year_range(today=timezone.localdate())
    years = set(NeedsAssessment.objects.filter(partnership=partnership).values_list("year", flat=True))
    this_year = timezone.localdate().year
    initial = {"year": this_year} if this_year not in years else {}
    return StartForm(data, first=first, last=last, can_copy=bool(years), initial=initial)


@require_http_methods(["GET", "POST"])
def assessments(request, code: str):
    """The partnership's assessments; an editor starts the year's."""
    partnership = access.partnership_get_for_user(user=request.user, code=code, edit=request.method == "POST")
    can_edit = access.user_can_edit_partnership(user=request.user, partnership=partnership)
    form = _start_form(partnership, request.POST or None) if can_edit else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            assessment = services.assessment_start(
                partnership=partnership,
                user=request.user,
                year=form.cleaned_data["year"],
                copy_previous=form.cleaned_data.get("copy_previous", False),
            )
        except ValidationError as exc:
            apply_validation_errors(form, exc)
        else:
            copied = " from the texts of the one before" if form.cleaned_data.get("copy_previous") else ""
            empty = len(selectors.empty_sections(list(assessment.sections.all())))
            messages.success(
                request,
                f"The {assessment.year} needs assessment is started{copied}: {count_noun(empty, 'section')} to write.",
            )
            return redirect("duty:assessment", code=code, pk=assessment.pk)
    readiness = area_readiness(area=partnership.area)
    return render(
        request,
        "duty/sna/assessments.html",
        {
            "area": partnership.area,
            "partnership": partnership,
            "assessments": selectors.assessments_of(partnership=partnership),
            "missing": readiness.elements_missing("sna"),
            "can_edit": can_edit,
            "form": form,
        },
    )


def _assessment_page(request, code: str, assessment: NeedsAssessment, *, error: str = ""):
    sections = selectors.sections_of(assessment=assessment)
    empty = selectors.empty_sections(sections)
    for section in sections:
        section.paragraphs = selectors.paragraphs(section.text)  # type: ignore[attr-defined]
        section.figure_rows = [  # type: ignore[attr-defined]
            {"figure": f, "words": selectors.figure_words(f), "measure": selectors.measure_name(f.measure)}
            for f in section.figures.all()
        ]
    partnership = assessment.partnership
    return render(
        request,
        "duty/sna/assessment.html",
        {
            "area": partnership.area,
            "partnership": partnership,
            "assessment": assessment,
            "sections": sections,
            "written": len(sections) - len(empty),
            "empty": empty,
            "can_edit": access.user_can_edit_partnership(user=request.user, partnership=partnership),
            "error": error,
        },
    )


def assessment(request, code: str, pk: int):
    found = access.assessment_get_for_user(user=request.user, code=code, pk=pk)
    return _assessment_page(request, code, found)


@require_POST
def assessment_agree(request, code: str, pk: int):
    found = access.assessment_get_for_user(user=request.user, code=code, pk=pk, edit=True)
    try:
        services.assessment_agree(assessment=found, user=request.user)
    except ValidationError as exc:
        return _assessment_page(request, code, found, error=exc.messages[0])
    messages.success(request, f"The {found.year} needs assessment is agreed.")
    return redirect("duty:assessment", code=code, pk=found.pk)


@require_POST
def assessment_reopen(request, code: str, pk: int):
    found = access.assessment_get_for_user(user=request.user, code=code, pk=pk, edit=True)
    try:
        services.assessment_reopen(assessment=found, user=request.user)
    except ValidationError as exc:
        return _assessment_page(request, code, found, error=exc.messages[0])
    messages.success(request, f"The {found.year} needs assessment is a draft again: change it, then agree it again.")
    return redirect("duty:assessment", code=code, pk=found.pk)


def _figure_form(partnership: Partnership, data=None) -> tuple[FigureForm, selectors.Offered]:
    offered = selectors.figures_offered(partnership=partnership)
    return FigureForm(data, offered=offered, areas=selectors.area_choices(partnership=partnership)), offered


def _section_page(request, code: str, section: SnaSection, *, form=None, figure_form=None, offered=None, status=200):
    assessment = section.assessment
    partnership = assessment.partnership
    if figure_form is None:
        figure_form, offered = _figure_form(partnership)
    if form is None:
        form = SectionForm(
            initial={"text": section.text, "loaded_hash": selectors.text_hash(section.text)},
            label=section.get_key_display(),
        )
    figures = [
        {"figure": f, "words": selectors.figure_words(f), "measure": selectors.measure_name(f.measure)}
        for f in section.figures.select_related("cited_by").order_by("cited_at", "pk")
    ]
    return render(
        request,
        "duty/sna/section.html",
        {
            "area": partnership.area,
            "partnership": partnership,
            "assessment": assessment,
            "section": section,
            "form": form,
            "figure_form": figure_form,
            "figure_forms": [figure_form],
            "offered": offered,
            "figures": figures,
            "agreed": assessment.state == NeedsAssessment.State.AGREED,
            "paragraphs": selectors.paragraphs(section.text),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def section(request, code: str, pk: int, key: str):
    """One section's page, for editors: its text, and the figures it cites."""
    found = access.sna_section_get_for_user(user=request.user, code=code, assessment_pk=pk, key=key, edit=True)
    if request.method == "GET":
        return _section_page(request, code, found)
    form = SectionForm(request.POST, label=found.get_key_display())
    if form.is_valid():
        try:
            services.assessment_section_save(
                section=found,
                user=request.user,
                text=form.cleaned_data["text"],
                loaded_hash=form.cleaned_data["loaded_hash"] or None,
            )
        except ValidationError as exc:
            apply_validation_errors(form, exc)
        else:
            messages.success(request, f"Saved the section: {found.get_key_display()}.")
            return redirect(reverse("duty:assessment", args=[code, pk]) + f"#section-{found.key}")
    return _section_page(request, code, found, form=form)


@require_POST
def figure_cite(request, code: str, pk: int, key: str):
    found = access.sna_section_get_for_user(user=request.user, code=code, assessment_pk=pk, key=key, edit=True)
    form, offered = _figure_form(found.assessment.partnership, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        period = (data.get("period") or "").strip()
        try:
            if data["period_choice"] != "other":
                recent = selectors.recent_periods(area_code=data["area"], measure=data["measure"])
                if not recent:
                    raise ValidationError(
                        {"period_choice": "The workbench has no data for this measure in this area: no period to cite"}
                    )
                period = recent[data["period_choice"]]
            figure = services.figure_cite(
                section=found, user=request.user, area_code=data["area"], measure=data["measure"], period=period
            )
        except selectors.EvidenceError as exc:
            form.add_error("measure", str(exc))
        except ValidationError as exc:
            apply_validation_errors(form, exc)
        else:
            messages.success(request, f"Cited: {selectors.figure_words(figure)}.")
            return redirect(reverse("duty:sna_section", args=[code, pk, key]) + "#figures")
    return _section_page(request, code, found, figure_form=form, offered=offered)


@require_POST
def figure_remove(request, code: str, pk: int, key: str, figure: int):
    found = selectors.figure_get_for_user(user=request.user, code=code, assessment_pk=pk, key=key, pk=figure, edit=True)
    words = selectors.figure_words(found)
    try:
        services.figure_remove(figure=found, user=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, f"Removed the figure: {words}.")
    return redirect(reverse("duty:sna_section", args=[code, pk, key]) + "#figures")


urlpatterns = [
    path("duty/<str:code>/needs-assessment/", assessments, name="assessments"),
    path("duty/<str:code>/needs-assessment/<int:pk>/", assessment, name="assessment"),
    path("duty/<str:code>/needs-assessment/<int:pk>/agree/", assessment_agree, name="assessment_agree"),
    path("duty/<str:code>/needs-assessment/<int:pk>/reopen/", assessment_reopen, name="assessment_reopen"),
    path("duty/<str:code>/needs-assessment/<int:pk>/<slug:key>/", section, name="sna_section"),
    path("duty/<str:code>/needs-assessment/<int:pk>/<slug:key>/cite/", figure_cite, name="sna_figure_cite"),
    path(
        "duty/<str:code>/needs-assessment/<int:pk>/<slug:key>/figures/<int:figure>/remove/",
        figure_remove,
        name="sna_figure_remove",
    ),
]
