"""Attendance, its import and the quorum pages in the permission matrix (see test_permissions)."""

from django.urls import reverse


def _meeting_url(name: str, key: str = "havering"):
    return lambda w: reverse(f"governance:{name}", args=[w[key]["group"].slug, w[key]["meeting"].pk])


def _sheet(w):
    """The Havering board's sheet, keeping its one member present (a valid save changes nothing)."""
    meeting, member = w["havering"]["meeting"], w["havering"]["member"]
    meeting.refresh_from_db()
    return {"version": meeting.version, f"attendance_{member.pk}": "present"}


URLS = {
    "attendance": ("get", _meeting_url("attendance"), "view"),
    "attendance_prg": ("get", _meeting_url("attendance", "prg"), "vru_view"),
    "attendance_post": ("post", _meeting_url("attendance"), "edit"),
    "quorum": ("get", _meeting_url("quorum"), "view"),
    "quorum_prg": ("get", _meeting_url("quorum", "prg"), "vru_view"),
    "attendance_import": ("get", _meeting_url("attendance_import"), "edit"),
    "attendance_import_prg": ("get", _meeting_url("attendance_import", "prg"), "vru_edit"),
    "attendance_import_confirm_post": ("post", _meeting_url("attendance_import_confirm"), "edit"),
}
POST_DATA = {"attendance_post": _sheet}
