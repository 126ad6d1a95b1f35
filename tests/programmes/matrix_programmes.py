"""Programmes and grants, and recipients, in the permission matrix (see test_permissions)."""

from django.urls import reverse

from vrhub.programmes.models import Programme


def _url(name, key):
    return lambda w: reverse(f"programmes:{name}", args=[w[key].pk])


def _version(w, key="havering_programme") -> str:
    return str(Programme.objects.get(pk=w[key].pk).version)


URLS = {
    "index": ("get", lambda w: reverse("programmes:index"), "front"),
    "index__filtered": ("get", lambda w: reverse("programmes:index") + "?year=2020&area=E09000016", "front"),
    "programme_new": ("get", lambda w: reverse("programmes:programme_new"), "create"),
    "programme_new__post": ("post", lambda w: reverse("programmes:programme_new"), "create"),
    "recipients": ("get", lambda w: reverse("programmes:recipients"), "front"),
    "recipient_new": ("get", lambda w: reverse("programmes:recipient_new"), "create"),
    "recipient_new__post": ("post", lambda w: reverse("programmes:recipient_new"), "create"),
    "recipient_edit": (
        "get",
        lambda w: reverse("programmes:recipient_edit", args=[w["havering_programme"].recipient_id]),
        "london_view",
    ),
    "programme_detail__havering": ("get", _url("programme_detail", "havering_programme"), "view"),
    "programme_detail__lambeth": ("get", _url("programme_detail", "vru_lambeth_programme"), "lambeth_view"),
    "programme_detail__london": ("get", _url("programme_detail", "vru_programme"), "london_view"),
    "programme_edit": ("get", _url("programme_edit", "havering_programme"), "edit"),
    "programme_edit__vru": ("get", _url("programme_edit", "vru_programme"), "vru_edit"),
    "programme_edit__post": ("post", _url("programme_edit", "havering_programme"), "edit"),
    "programme_amounts": ("get", _url("programme_amounts", "havering_programme"), "edit"),
    "programme_amounts__post": ("post", _url("programme_amounts", "havering_programme"), "edit"),
    "programme_amount_remove": (
        "post",
        lambda w: reverse("programmes:programme_amount_remove", args=[w["havering_programme"].pk, 2020]),
        "edit",
    ),
    "programme_areas": ("get", _url("programme_areas", "havering_programme"), "edit"),
    "programme_areas__post": ("post", _url("programme_areas", "havering_programme"), "edit"),
    "programme_links": ("get", _url("programme_links", "havering_programme"), "edit"),
    "programme_links__vru": ("get", _url("programme_links", "vru_programme"), "vru_edit"),
    "programme_publication": ("get", _url("programme_publication", "havering_programme"), "edit"),
    "programme_publication__post": ("post", _url("programme_publication", "havering_programme"), "edit"),
}

POST_DATA = {
    "programme_new__post": {"reference": "MATRIX-1", "title": "Matrix programme"},
    "recipient_new__post": {"name": "Matrix Youth Trust", "charity_number": "1123456"},
    "programme_edit__post": lambda w: {
        "reference": "HAV-1",
        "title": "Programme HAV-1 renamed",
        "version": _version(w),
    },
    "programme_amounts__post": lambda w: {"year": "2020", "amount": "61000.00", "version": _version(w)},
    "programme_amount_remove": lambda w: {"version": _version(w)},
    "programme_areas__post": lambda w: {
        "areas": [str(w["havering_programme"].areas.first().pk)],
        "version": _version(w),
    },
    "programme_publication__post": lambda w: {"published": "on", "version": _version(w)},
}

DESTRUCTIVE = {"programme_amount_remove"}
