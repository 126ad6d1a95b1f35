"""Quarterly update reminders as a background job a VRU admin can start (the daily run is `send_reminders`)."""

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from vrhub.cycle.services import reminders_send
from vrhub.jobs.registry import JobContext, job_kind


def _admin_vru(user):
    if not getattr(user, "is_vru_admin", False) or user.organisation is None:
        raise PermissionDenied("Only a VRU admin can send reminders.")
    return user.organisation


def _authorise(*, user, params: dict) -> None:
    _admin_vru(user)


@job_kind(name="cycle.reminders", label="Quarterly update reminders", authorise=_authorise)
def reminders_job(*, context: JobContext) -> dict:
    vru = _admin_vru(context.user)
    rows = reminders_send(today=timezone.localdate(), vru=vru, progress=context.progress)
    return {
        "summary": f"Sent {len(rows)} reminder{'s' if len(rows) != 1 else ''} to borough editors.",
        "sent": [{k: v for k, v in r.items() if not k.startswith("_")} for r in rows],
    }
