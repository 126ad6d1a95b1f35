"""Starting, running and re-running background jobs: the one write path for ``Job`` rows."""

import logging
import uuid
from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from vrhub.core.audit import audit_changes, audit_created, audit_deleted
from vrhub.jobs.models import Job
from vrhub.jobs.registry import JobContext, kind_get

logger = logging.getLogger(__name__)

# A running job reports progress at least this often; one silent for longer has lost its worker.
STALE_AFTER = timedelta(minutes=10)
MAX_PARAMS_BYTES = 10_000


class JobFailed(Exception):
    """Raised by a handler to fail its job with a message meant for the person who started it."""


def job_is_stale(job: Job, *, now=None) -> bool:
    now = now or timezone.now()
    seen = job.heartbeat_at or job.started_at or job.created_at
    return job.state == Job.State.RUNNING and seen is not None and now - seen > STALE_AFTER


def job_start(*, kind: str, user, params: dict[str, Any] | None = None) -> Job:
    """Queue a job of ``kind`` for ``user`` once the surrounding transaction commits."""
    import json

    params = dict(params or {})
    try:
        job_kind = kind_get(kind)
    except LookupError as exc:
        raise ValidationError({"kind": str(exc)}) from exc
    if len(json.dumps(params, default=str)) > MAX_PARAMS_BYTES:
        raise ValidationError({"params": f"A job's parameters must be under {MAX_PARAMS_BYTES:,} bytes"})
    job_kind.authorise(user=user, params=params)
    with transaction.atomic():
        job = Job.objects.create(kind=kind, started_by=user, params=params)
        audit_created(actor=user, obj=job, fields=["kind", "params"])
        transaction.on_commit(lambda: _enqueue(job))
    return job


def _enqueue(job: Job) -> None:
    from vrhub.jobs.tasks import run_job

    run_job.enqueue(str(job.pk))


def _progress(job_id) -> Any:
    def progress(done: int, total: int | None = None, message: str = "") -> None:
        fields: dict[str, Any] = {"progress_done": max(0, int(done)), "heartbeat_at": timezone.now()}
        if total is not None:
            fields["progress_total"] = max(0, int(total))
        if message:
            fields["message"] = message[:300]
        Job.objects.filter(pk=job_id).update(**fields)

    return progress


def _set_output(job: Job) -> Any:
    def set_output(*, name: str, content_type: str, data: bytes) -> None:
        job.output.save(f"{job.pk}/{uuid.uuid4().hex}-{name}", ContentFile(data), save=False)
        job.output_name, job.output_type = name[:200], content_type[:100]

    return set_output


def job_run(*, job_id: str) -> Job | None:
    """Run a queued job (the worker calls this). A job already running elsewhere, or done, is left alone."""
    with transaction.atomic():
        job = Job.objects.select_for_update(of=("self",)).select_related("started_by").filter(pk=job_id).first()
        if job is None:
            logger.warning("job %s no longer exists", job_id)
            return None
        if job.state != Job.State.QUEUED:
            return job
        job.state, job.started_at, job.heartbeat_at = Job.State.RUNNING, timezone.now(), timezone.now()
        job.attempt += 1
        job.save(update_fields=["state", "started_at", "heartbeat_at", "attempt"])
    context = JobContext(
        job_id=str(job.pk), user=job.started_by, progress=_progress(job.pk), set_output=_set_output(job)
    )
    state, result, error = Job.State.SUCCEEDED, None, ""
    try:
        # Every job acts for the person who started it: someone who can no longer sign in runs nothing.
        if job.started_by is None or not job.started_by.is_active:
            raise PermissionDenied("The person who started this job can no longer use vrhub, so it was not run.")
        result = kind_get(job.kind).handler(context=context, **job.params)
    except (JobFailed, ValidationError, PermissionDenied) as exc:
        state = Job.State.FAILED
        error = "; ".join(getattr(exc, "messages", None) or [str(exc)])
    except Exception:
        state = Job.State.FAILED
        ref = uuid.uuid4().hex[:8]
        logger.exception("job %s (%s) failed, reference %s", job.pk, job.kind, ref)
        error = (
            f"Something went wrong and nothing was saved (reference {ref}). "
            "Run the job again, or tell your administrator."
        )
    with transaction.atomic():
        fresh = Job.objects.select_for_update().get(pk=job.pk)
        if fresh.state != Job.State.RUNNING:
            # Marked stopped (and perhaps run again) while this worker was still at it: the record of
            # what happened stays as its starter was told; the work itself was all-or-nothing.
            logger.warning("job %s finished (%s) after it had been marked %s", job.pk, state, fresh.state)
            return fresh
        fresh.state, fresh.result, fresh.error = state, result, error[:2000]
        fresh.finished_at = fresh.heartbeat_at = timezone.now()
        if state == Job.State.SUCCEEDED:
            fresh.progress_done = fresh.progress_total or fresh.progress_done
        if job.output:
            fresh.output, fresh.output_name, fresh.output_type = job.output, job.output_name, job.output_type
        fresh.save()
        audit_changes(actor=None, obj=fresh, changes={"state": (Job.State.RUNNING, state)})
    return fresh


def job_retry(*, job: Job, user) -> Job:
    """Run a failed job (or one whose worker died) again, as a new job with the same parameters."""
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job.pk)
        if job.started_by_id != user.pk:
            raise PermissionDenied("Only the person who started a job can run it again.")
        stale = job_is_stale(job)
        if job.state != Job.State.FAILED and not stale:
            raise ValidationError("Only a job that failed or stopped can be run again.")
        if stale:
            job.state, job.finished_at = Job.State.FAILED, timezone.now()
            job.error = "The worker running this job stopped before it finished; nothing it was doing was saved."
            job.save(update_fields=["state", "finished_at", "error"])
            audit_changes(actor=user, obj=job, changes={"state": (Job.State.RUNNING, Job.State.FAILED)})
        again = job_start(kind=job.kind, user=user, params=job.params)
        again.retry_of = job
        again.save(update_fields=["retry_of"])
    return again


def jobs_purge(*, older_than: timedelta, user=None) -> int:
    """Delete finished jobs (and their output files) older than ``older_than``; returns how many.
    Each deletion is audited; ``user=None`` is the system (the purge_jobs command)."""
    cutoff = timezone.now() - older_than
    old = Job.objects.filter(finished_at__lt=cutoff, state__in=[Job.State.SUCCEEDED, Job.State.FAILED])
    count = 0
    for job in old.iterator():
        output = job.output.name if job.output else None
        with transaction.atomic():
            audit_deleted(actor=user, obj=job)
            job.delete()
        if output:
            job.output.storage.delete(output)
        count += 1
    return count
