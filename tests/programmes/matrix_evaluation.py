"""Evaluation pages in the permission matrix (see test_permissions). The prioritisation list is open to everyone
who sees programmes: each person sees the programmes open to them (perhaps none)."""

from django.urls import reverse

from vrhub.programmes.models import Programme

URLS = {
    "evaluation_priorities": ("get", lambda w: reverse("programmes:evaluation_priorities"), "front"),
    "evaluation_priorities__gap": ("get", lambda w: reverse("programmes:evaluation_priorities") + "?sort=gap", "front"),
    "programme_evaluation": (
        "get",
        lambda w: reverse("programmes:programme_evaluation", args=[w["havering_programme"].pk]),
        "edit",
    ),
    "programme_evaluation__vru": (
        "get",
        lambda w: reverse("programmes:programme_evaluation", args=[w["vru_programme"].pk]),
        "vru_edit",
    ),
    "programme_evaluation__post": (
        "post",
        lambda w: reverse("programmes:programme_evaluation", args=[w["havering_programme"].pk]),
        "edit",
    ),
}

POST_DATA = {
    "programme_evaluation__post": lambda w: {
        "evaluation_status": "planned",
        "evaluator": "University evaluators",
        "evidence_strength": "",
        "version": str(Programme.objects.get(pk=w["havering_programme"].pk).version),
    },
}
