"""Groups, terms of reference, members, substitutes, interests and the membership import in the permission
matrix (see test_permissions)."""

from django.urls import reverse

from vrhub.governance.models import Interest, Substitute

GROUP_FORM = {
    "name": "A new board",
    "slug": "a-new-board",
    "frequency": "quarterly",
    "quorum_numerator": "1",
    "quorum_denominator": "2",
    "quorum_rounding": "up",
    "decision_mode": "consensus",
    "agenda_days_before": "5",
}
MEMBER_FORM = {"name": "Matrix Person", "office": "member", "sector": "health"}


def _member(w, key="havering"):
    return w[key]["member"]


def _member_url(name, key="havering", slug="havering-csp"):
    return lambda w: reverse(f"governance:{name}", args=[slug, _member(w, key).pk])


def _terms_form(w, key="havering"):
    group = w[key]["group"]
    return {**GROUP_FORM, "name": group.name, "slug": group.slug, "version": str(group.version)}


def _substitute_url(w):
    member = _member(w)
    sub, _ = Substitute.objects.get_or_create(member=member, name="Matrix Substitute")
    return reverse("governance:substitute_remove", args=["havering-csp", member.pk, sub.pk])


def _interest_url(w):
    member = _member(w)
    interest, _ = Interest.objects.get_or_create(
        member=member, description="Trustee of a youth charity", declared_on="2026-01-05"
    )
    return reverse("governance:interest_remove", args=["havering-csp", member.pk, interest.pk])


def _import_confirm_url(slug):
    return lambda w: reverse("governance:members_import_confirm", args=[slug])


URLS = {
    "group_new": ("get", lambda w: reverse("governance:group_new"), "create"),
    "group_new_post": ("post", lambda w: reverse("governance:group_new"), "create"),
    "group_edit": ("get", lambda w: reverse("governance:group_edit", args=["havering-csp"]), "view"),
    "group_edit_prg": ("get", lambda w: reverse("governance:group_edit", args=["prg"]), "vru_view"),
    "group_edit_post": ("post", lambda w: reverse("governance:group_edit", args=["havering-csp"]), "edit"),
    "group_edit_prg_post": ("post", lambda w: reverse("governance:group_edit", args=["prg"]), "vru_edit"),
    "members": ("get", lambda w: reverse("governance:members", args=["havering-csp"]), "view"),
    "members_prg": ("get", lambda w: reverse("governance:members", args=["prg"]), "vru_view"),
    "member": ("get", _member_url("member"), "view"),
    "member_prg": ("get", _member_url("member", "prg", "prg"), "vru_view"),
    "member_new": ("get", lambda w: reverse("governance:member_new", args=["havering-csp"]), "edit"),
    "member_new_post": ("post", lambda w: reverse("governance:member_new", args=["havering-csp"]), "edit"),
    "member_new_prg_post": ("post", lambda w: reverse("governance:member_new", args=["prg"]), "vru_edit"),
    "member_edit": ("get", _member_url("member_edit"), "edit"),
    "member_edit_post": ("post", _member_url("member_edit"), "edit"),
    "member_remove": ("get", _member_url("member_remove"), "edit"),
    "member_remove_post": ("post", _member_url("member_remove"), "edit"),
    "substitute_add": ("post", _member_url("substitute_add"), "edit"),
    "substitute_remove": ("post", _substitute_url, "edit"),
    "interest_add": ("post", _member_url("interest_add"), "edit"),
    "interest_add_prg": ("post", _member_url("interest_add", "prg", "prg"), "vru_edit"),
    "interest_remove": ("post", _interest_url, "edit"),
    "members_import": ("get", lambda w: reverse("governance:members_import", args=["havering-csp"]), "edit"),
    "members_import_prg": ("get", lambda w: reverse("governance:members_import", args=["prg"]), "vru_edit"),
    # With no upload kept in the session, confirming sends the person back to upload again (a redirect).
    "members_import_confirm": ("post", _import_confirm_url("havering-csp"), "edit"),
    "members_import_confirm_prg": ("post", _import_confirm_url("prg"), "vru_edit"),
}

POST_DATA = {
    "group_new_post": GROUP_FORM,
    "group_edit_post": _terms_form,
    "group_edit_prg_post": lambda w: _terms_form(w, "prg"),
    "member_new_post": MEMBER_FORM,
    "member_new_prg_post": MEMBER_FORM,
    "member_edit_post": lambda w: {**MEMBER_FORM, "name": _member(w).name},
    "substitute_add": {"name": "A Deputy", "title": "Deputy Director"},
    "interest_add": {"description": "Trustee of a youth charity", "declared_on": "2026-01-05"},
    "interest_add_prg": {"description": "Trustee of a youth charity", "declared_on": "2026-01-05"},
    "members_import_confirm": {"token": "0" * 32, "fingerprint": "x"},
    "members_import_confirm_prg": {"token": "0" * 32, "fingerprint": "x"},
}

DESTRUCTIVE = {"member_remove_post", "substitute_remove", "interest_remove"}
