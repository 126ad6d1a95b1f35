"""Meetings, agenda items, papers, minutes and publication in the permission matrix (see test_permissions)."""

from django.core.files.base import ContentFile
from django.urls import reverse

from vrhub.governance.models import Dissent, Interest, Meeting

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _m(w, key="havering"):
    return w[key]["meeting"]


def _meeting(name, w, key="havering", *args):
    meeting = _m(w, key)
    return reverse(f"governance:{name}", args=[w[key]["group"].slug, meeting.pk, *args])


def _with_paper(w):
    """Item 1 of Havering's meeting with a paper (made once, directly: this is the matrix's set-up)."""
    item = w["havering"]["item"]
    item.refresh_from_db()
    if not item.paper:
        item.paper.save("paper.pdf", ContentFile(PDF), save=False)
        item.paper_title, item.paper_original_name = "A paper", "paper.pdf"
        item.paper_content_type, item.paper_size = "application/pdf", len(PDF)
        item.save()
    return _meeting("item_paper", w, "havering", item.number)


def _dissent(w):
    item = w["havering"]["item"]
    item.refresh_from_db()  # moved by item_move, perhaps
    dissent, _ = Dissent.objects.get_or_create(item=item, member=w["havering"]["member"], defaults={"text": "No"})
    return _meeting("dissent_remove", w, "havering", item.number, dissent.pk)


def _interest(w):
    item = w["havering"]["item"]
    item.refresh_from_db()
    interest = Interest.objects.filter(item=item).first() or Interest.objects.create(
        item=item, member=w["havering"]["member"], description="Trustee", declared_on=_m(w).date
    )
    return _meeting("item_interest_remove", w, "havering", item.number, interest.pk)


def _version(w, **more):
    return {"version": Meeting.objects.get(pk=_m(w).pk).version, **more}


URLS = {
    "meeting_new": ("get", lambda w: reverse("governance:meeting_new", args=["havering-csp"]), "edit"),
    "meeting_new_post": ("post", lambda w: reverse("governance:meeting_new", args=["havering-csp"]), "edit"),
    "meeting_new_prg": ("get", lambda w: reverse("governance:meeting_new", args=["prg"]), "vru_edit"),
    "meeting": ("get", lambda w: _meeting("meeting", w), "view"),
    "meeting_prg": ("get", lambda w: _meeting("meeting", w, "prg"), "vru_view"),
    "item_new": ("get", lambda w: _meeting("item_new", w), "edit"),
    "item_new_post": ("post", lambda w: _meeting("item_new", w), "edit"),
    "item_edit": ("get", lambda w: _meeting("item_edit", w, "havering", 1), "edit"),
    "item_edit_post": ("post", lambda w: _meeting("item_edit", w, "havering", 1), "edit"),
    "item_edit_prg": ("get", lambda w: _meeting("item_edit", w, "prg", 1), "vru_edit"),
    "item_paper": ("get", _with_paper, "download"),
    "item_remove": ("get", lambda w: _meeting("item_remove", w, "havering", 3), "edit"),
    "item_remove_post": ("post", lambda w: _meeting("item_remove", w, "havering", 3), "edit"),
    "item_move": ("post", lambda w: _meeting("item_move", w, "havering", 2), "edit"),
    "item_minutes": ("get", lambda w: _meeting("item_minutes", w, "havering", 1), "edit"),
    "item_minutes_post": ("post", lambda w: _meeting("item_minutes", w, "havering", 1), "edit"),
    "item_dissent": ("post", lambda w: _meeting("item_dissent", w, "havering", 2), "edit"),
    "item_interest": ("post", lambda w: _meeting("item_interest", w, "havering", 2), "edit"),
    "dissent_remove": ("post", _dissent, "edit"),
    "item_interest_remove": ("post", _interest, "edit"),
    "publish_agenda": ("post", lambda w: _meeting("publish_agenda", w), "edit"),
    "publish_agenda_prg": ("post", lambda w: _meeting("publish_agenda", w, "prg"), "vru_edit"),
    "approve_minutes": ("get", lambda w: _meeting("approve_minutes", w), "edit"),
    "approve_minutes_post": ("post", lambda w: _meeting("approve_minutes", w), "edit"),
    "publish_minutes": ("post", lambda w: _meeting("publish_minutes", w), "edit"),
}

POST_DATA = {
    "meeting_new_post": {"date": "2026-05-01", "items": "3"},
    "item_new_post": lambda w: _version(w, title="Community safety plan"),
    "item_edit_post": lambda w: _version(w, title="Renamed item"),
    "item_remove_post": lambda w: _version(w),
    "item_move": lambda w: _version(w, direction="up"),
    "item_minutes_post": lambda w: _version(w, minutes="Discussed.", decision="Agreed."),
    "item_dissent": lambda w: {
        "dissent-version": _version(w)["version"],
        "dissent-member": w["havering"]["member"].pk,
        "dissent-text": "Disagreed.",
    },
    "item_interest": lambda w: {
        "interest-version": _version(w)["version"],
        "interest-member": w["havering"]["member"].pk,
        "interest-description": "Trustee of a charity bidding for the fund.",
    },
    "dissent_remove": lambda w: _version(w),
    "item_interest_remove": lambda w: _version(w),
    "publish_agenda": lambda w: _version(w),
    "publish_agenda_prg": lambda w: {"version": Meeting.objects.get(pk=_m(w, "prg").pk).version},
    "approve_minutes_post": lambda w: _version(w, on="2026-03-06"),
    "publish_minutes": lambda w: _version(w),
}

DESTRUCTIVE = {"item_remove_post", "dissent_remove", "item_interest_remove"}
