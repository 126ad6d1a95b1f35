"""A worker killed (SIGKILL) in the middle of an evidence load: nothing partial is left, and a re-run works."""

import datetime as dt
import hashlib
import signal
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

import duckdb
import pytest
from django.conf import settings
from django.utils import timezone

from tests.helpers import subprocess_env
from vrhub.evidence.jobs import uploads_root
from vrhub.evidence.synthetic import write_istv
from vrhub.jobs import selectors, services
from vrhub.jobs.models import Job

DB_QUEUE = "django_tasks_db.DatabaseBackend"


def _store_state() -> str | None:
    path = Path(settings.EVIDENCE_DUCKDB)
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


def _istv_rows() -> int:
    con = duckdb.connect(str(settings.EVIDENCE_DUCKDB), read_only=True)
    try:
        return con.execute("SELECT count(*) FROM istv").fetchone()[0]
    finally:
        con.close()


def _worker() -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay"],
        cwd=settings.BASE_DIR,
        env=subprocess_env(TASKS_BACKEND=DB_QUEUE),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.django_db(transaction=True)
def test_a_load_killed_mid_way_leaves_the_store_as_it_was_and_runs_again(settings, tmp_path, london):
    from tests.factories import UserFactory
    from vrhub.accounts.models import User

    settings.EVIDENCE_DUCKDB = str(tmp_path / "store" / "evidence.duckdb")
    settings.TASKS = {"default": {"BACKEND": DB_QUEUE, "QUEUES": ["default"]}}
    admin = UserFactory(organisation=london, role=User.Role.VRU_ADMIN)
    folder = uploads_root() / uuid.uuid4().hex
    folder.mkdir(parents=True)
    write_istv(
        path=folder / "istv.csv", site_code="RJ122", lsoas=[], start=dt.date(2020, 1, 1), months=60, per_month=5000
    )
    relative = str((folder / "istv.csv").relative_to(uploads_root()))
    before = _store_state()

    job = services.job_start(
        kind="evidence.load", user=admin, params={"kind": "istv", "file": relative, "name": "istv.csv"}
    )
    worker = _worker()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.state == Job.State.RUNNING and job.progress_done >= 100:  # reading the file: the load is under way
            break
        time.sleep(0.02)
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=30)
    job.refresh_from_db()
    assert job.state == Job.State.RUNNING, f"the load was not caught mid-way: {job.state} {job.error}"
    assert _store_state() == before  # nothing partial in the evidence store
    assert (folder / "istv.csv").is_file()  # the upload is kept for the re-run

    # Ten minutes later the job shows as stopped, and its starter runs it again.
    Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - services.STALE_AFTER - timedelta(seconds=1))
    job.refresh_from_db()
    assert selectors.job_status(job)["state"] == "stopped"
    again = services.job_retry(job=job, user=admin)
    rerun = _worker()
    assert rerun.wait(timeout=120) == 0, rerun.stderr.read()[-2000:]
    again.refresh_from_db()
    assert again.state == Job.State.SUCCEEDED, again.error
    loaded = dict(again.result["facts"])["Loaded"]
    assert f"{_istv_rows():,}" == loaded and _istv_rows() > 0
    assert not folder.exists()
