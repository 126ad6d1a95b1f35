"""Reads of background jobs: a person sees the jobs they started, no one else's."""

from django.db.models import QuerySet

from vrhub.jobs.models import Job
from vrhub.jobs.registry import KINDS
from vrhub.jobs.services import job_is_stale


class JobNotFound(LookupError):
    pass


def jobs_for_user(*, user) -> QuerySet[Job]:
    return Job.objects.filter(started_by=user)


def job_get_for_user(*, user, pk) -> Job:
    job = jobs_for_user(user=user).filter(pk=pk).first()
    if job is None:
        raise JobNotFound(pk)
    return job


def job_status(job: Job) -> dict:
    """What the job page and its status JSON show."""
    stale = job_is_stale(job)
    kind = KINDS.get(job.kind)
    return {
        "id": str(job.pk),
        "kind": job.kind,
        "label": kind.label if kind else job.kind,
        "state": "stopped" if stale else job.state,
        "state_label": "Stopped: the worker ended before it finished" if stale else job.get_state_display(),
        "done": job.progress_done,
        "total": job.progress_total,
        "percent": job.percent,
        "message": job.message,
        "error": job.error,
        "result": job.result,
        "has_output": bool(job.output),
        "finished": job.state in {Job.State.SUCCEEDED, Job.State.FAILED} or stale,
        "can_retry": job.state == Job.State.FAILED or stale,
        "created_at": job.created_at.isoformat(),
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
    }
