"""The one task the queue runs: a Job row, by id. Everything else about a job lives in ``services``."""

from django_tasks import task


@task()
def run_job(job_id: str) -> None:
    from vrhub.jobs.services import job_run

    job_run(job_id=job_id)
