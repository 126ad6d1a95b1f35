"""Actions arising in the permission matrix (see test_permissions): Havering's board and the PRG."""

from django.urls import reverse

from vrhub.governance.models import Action


def _action(w, key="havering"):
    return w[key]["action"]


def _version(w, key="havering") -> int:
    return Action.objects.get(pk=_action(w, key).pk).version


def _url(name, key="havering", **query):
    def build(w):
        slug = w[key]["group"].slug
        if name in {"actions", "action_new"}:
            return reverse(f"governance:{name}", args=[slug])
        return reverse(f"governance:{name}", args=[slug, _action(w, key).pk])

    return build


URLS = {
    "actions": ("get", _url("actions"), "view"),
    "actions_prg": ("get", _url("actions", "prg"), "vru_view"),
    "actions_download": (
        "get",
        lambda w: reverse("governance:actions_download", args=["havering-csp", "docx"]),
        "download",
    ),
    "actions_download_prg": (
        "get",
        lambda w: reverse("governance:actions_download", args=["prg", "pdf"]) + f"?meeting={w['prg']['meeting'].pk}",
        "vru_view",
    ),
    "action": ("get", _url("action"), "view"),
    "action_prg": ("get", _url("action", "prg"), "vru_view"),
    "action_new": ("get", _url("action_new"), "edit"),
    "action_new_post": ("post", _url("action_new"), "edit"),
    "action_new_prg": ("post", _url("action_new", "prg"), "vru_edit"),
    "action_edit": ("get", _url("action_edit"), "edit"),
    "action_edit_post": ("post", _url("action_edit"), "edit"),
    "action_update": ("get", _url("action_update"), "edit"),
    "action_update_post": ("post", _url("action_update"), "edit"),
    "action_update_prg": ("post", _url("action_update", "prg"), "vru_edit"),
    "action_remove": ("get", _url("action_remove"), "edit"),
    "action_remove_post": ("post", _url("action_remove"), "edit"),
}


def _new(key):
    return lambda w: {
        "item": w[key]["item"].pk,
        "text": "To circulate the paper.",
        "owner": "Clerk",
        "deadline": "2026-03-31",
    }


POST_DATA = {
    "action_new_post": _new("havering"),
    "action_new_prg": _new("prg"),
    "action_edit_post": lambda w: {
        "item": w["havering"]["item"].pk,
        "text": "To circulate the revised paper.",
        "owner": "Clerk",
        "deadline": "2026-04-30",
        "version": _version(w),
    },
    "action_update_post": lambda w: {"update": "Sent.", "status": "complete", "version": _version(w)},
    "action_update_prg": lambda w: {"update": "Sent.", "status": "complete", "version": _version(w, "prg")},
    "action_remove_post": lambda w: {"version": _version(w)},
}
DESTRUCTIVE = {"action_remove_post"}
