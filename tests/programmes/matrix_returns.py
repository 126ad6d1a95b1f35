"""Monitoring returns in the permission matrix (see test_permissions): a programme's returns, one quarter's
return, and the spreadsheet import (editors of a borough or of the VRU; their own programmes only)."""

from django.urls import reverse

from vrhub.programmes.selectors.returns import return_version

RETURN_FORM = {"reached_direct": "41", "reached_indirect": "120", "spend_to_date": "12000", "outputs": "Sessions"}


def _returns(key):
    return lambda w: reverse("programmes:returns", args=[w[key].pk])


def _edit(key, quarter=1):
    return lambda w: reverse("programmes:return_edit", args=[w[key].pk, 2020, quarter])


URLS = {
    "returns": ("get", _returns("havering_programme"), "view"),
    "returns__london": ("get", _returns("vru_programme"), "london_view"),
    "returns__lambeth": ("get", _returns("vru_lambeth_programme"), "lambeth_view"),
    "return_edit": ("get", _edit("havering_programme"), "edit"),
    "return_edit__new_quarter": ("get", _edit("havering_programme", 2), "edit"),
    "return_edit__post": ("post", _edit("havering_programme"), "edit"),
    "return_edit__vru": ("get", _edit("vru_programme"), "vru_edit"),
    "return_edit__vru_post": ("post", _edit("vru_programme"), "vru_edit"),
    "returns_import": ("get", lambda w: reverse("programmes:returns_import"), "create"),
    # With no upload kept in the session, confirming sends the person back to upload again (a redirect).
    "returns_import_confirm": ("post", lambda w: reverse("programmes:returns_import_confirm"), "create"),
    "returns_template": ("get", lambda w: reverse("programmes:returns_template"), "create"),
}


def _form(key):
    """The form as loaded: with the version of the world's Q1 return."""
    return lambda w: {**RETURN_FORM, "version": return_version(monitoring_return=w[key].returns.get(quarter=1))}


# The upload itself (POST returns_import) is checked role by role in test_returns_views: its answer depends on
# whose programmes the file names.
POST_DATA = {"return_edit__post": _form("havering_programme"), "return_edit__vru_post": _form("vru_programme")}
