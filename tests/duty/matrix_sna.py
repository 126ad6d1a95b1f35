"""The strategic needs assessment's pages in the permission matrix (see test_permissions)."""

from django.urls import reverse


def _assessment(w) -> int:
    return w["havering"]["assessment"].pk


def _figure_url(w) -> str:
    """Havering's first section's figure (made here: the matrix world has no evidence store to cite from)."""
    from vrhub.duty.models import SnaFigure

    section = w["havering"]["assessment"].sections.get(key="problem")
    figure = SnaFigure.objects.filter(section=section).first() or SnaFigure.objects.create(
        section=section,
        area_code="E09000016",
        area_name="Havering",
        measure="mps:Knife Crime/Knife Crime",
        unit="offences",
        period="2025-03:2026-02",
        value=10,
        source="Metropolitan Police monthly crime dashboard (London Datastore)",
    )
    return reverse("duty:sna_figure_remove", args=["E09000016", _assessment(w), "problem", figure.pk])


URLS = {
    "assessments": ("get", lambda w: reverse("duty:assessments", args=["E09000016"]), "view"),
    "assessments_post": ("post", lambda w: reverse("duty:assessments", args=["E09000016"]), "edit"),
    "assessment": ("get", lambda w: reverse("duty:assessment", args=["E09000016", _assessment(w)]), "view"),
    "assessment_agree": (
        "post",
        lambda w: reverse("duty:assessment_agree", args=["E09000016", _assessment(w)]),
        "edit",
    ),
    "assessment_reopen": (
        "post",
        lambda w: reverse("duty:assessment_reopen", args=["E09000016", _assessment(w)]),
        "edit",
    ),
    "sna_section": (
        "get",
        lambda w: reverse("duty:sna_section", args=["E09000016", _assessment(w), "problem"]),
        "edit",
    ),
    "sna_section_post": (
        "post",
        lambda w: reverse("duty:sna_section", args=["E09000016", _assessment(w), "problem"]),
        "edit",
    ),
    "sna_figure_cite": (
        "post",
        lambda w: reverse("duty:sna_figure_cite", args=["E09000016", _assessment(w), "problem"]),
        "edit",
    ),
    "sna_figure_remove": ("post", _figure_url, "edit"),
}
POST_DATA = {
    "assessments_post": {"year": "2025"},
    "sna_section_post": {"text": "Knife crime is concentrated in two wards."},
    "sna_figure_cite": {
        "measure": "mps:Knife Crime/Knife Crime",
        "area": "E09000016",
        "period_choice": "other",
        "period": "2025-03:2026-02",
    },
}
DESTRUCTIVE = {"sna_figure_remove", "assessment_reopen"}
