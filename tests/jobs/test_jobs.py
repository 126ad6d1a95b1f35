"""Background jobs: started by a person, run by the worker, followed and re-run by that person only."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory
from tests.helpers import manage, subprocess_env
from vrhub.accounts.models import User
from vrhub.core.models import AuditEntry
from vrhub.jobs import registry, selectors, services
from vrhub.jobs.models import Job
from vrhub.organisations.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewer(london):
    return UserFactory(username="rev", organisation=london, role=User.Role.VRU_REVIEWER)


@pytest.fixture
def failing_kind():
    """A kind of job whose handler fails part-way, the first time only."""
    calls = []

    def handler(*, context, n: int) -> dict:
        context.progress(1, 3, "first step")
        calls.append(n)
        if len(calls) == 1:
            raise RuntimeError("disk on fire")
        return {"summary": f"done {n}"}

    registry.job_kind(name="tests.flaky", label="Flaky", authorise=lambda *, user, params: None)(handler)
    yield calls
    registry.KINDS.pop("tests.flaky")


def test_scrutiny_report_job_makes_the_pdf_for_its_starter_only(
    client, plan, editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.job_start(kind="reports.scrutiny", user=editor, params={"plan": plan.pk, "fmt": "pdf"})
    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED, job.error
    assert job.output_name.endswith(".pdf")
    assert job.output.open("rb").read(5) == b"%PDF-"
    client.force_login(editor)
    page = client.get(reverse("jobs:detail", args=[job.pk]))
    assert page.status_code == 200
    assert "Finished" in page.content.decode()
    download = client.get(reverse("jobs:output", args=[job.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content)[:5] == b"%PDF-"
    assert str(job.pk) in client.get(reverse("jobs:list")).content.decode()
    other = UserFactory(organisation=plan.area, role=User.Role.BOROUGH_EDITOR)
    client.force_login(other)
    assert str(job.pk) not in client.get(reverse("jobs:list")).content.decode()
    assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == 404
    assert client.get(reverse("jobs:output", args=[job.pk])).status_code == 404
    assert client.get(reverse("jobs:status", args=[job.pk])).status_code == 404


def test_a_job_for_a_plan_the_user_cannot_see_is_refused_before_it_is_queued(plan, london):
    lambeth = Organisation.objects.get(code="E09000022")
    outsider = UserFactory(organisation=lambeth, role=User.Role.BOROUGH_EDITOR)
    with pytest.raises(PermissionDenied):
        services.job_start(kind="reports.scrutiny", user=outsider, params={"plan": plan.pk, "fmt": "pdf"})
    assert not Job.objects.exists()


def test_unknown_kind_and_bad_parameters_are_refused_by_name(editor, plan):
    with pytest.raises(ValidationError) as unknown:
        services.job_start(kind="nope", user=editor, params={})
    assert "Unknown kind of job 'nope'" in str(unknown.value)
    with pytest.raises(ValidationError) as fmt:
        services.job_start(kind="reports.scrutiny", user=editor, params={"plan": plan.pk, "fmt": "exe"})
    assert "pdf or docx" in str(fmt.value)
    with pytest.raises(ValidationError) as big:
        services.job_start(kind="reports.scrutiny", user=editor, params={"plan": plan.pk, "fmt": "x" * 20_000})
    assert "10,000 bytes" in str(big.value)
    assert not Job.objects.exists()


def test_a_failed_job_says_so_without_a_traceback_and_can_be_run_again(
    editor, failing_kind, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.job_start(kind="tests.flaky", user=editor, params={"n": 7})
    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert "nothing was saved" in job.error
    assert "disk on fire" not in job.error and "Traceback" not in job.error
    client.force_login(editor)
    body = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "The job failed" in body and "Run it again" in body
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("jobs:retry", args=[job.pk]))
    again = Job.objects.exclude(pk=job.pk).get()
    assert response.status_code == 302 and response["Location"] == reverse("jobs:detail", args=[again.pk])
    assert again.retry_of_id == job.pk and again.params == {"n": 7}
    again.refresh_from_db()
    assert again.state == Job.State.SUCCEEDED and again.result == {"summary": "done 7"}
    assert failing_kind == [7, 7]


def test_a_job_whose_worker_died_shows_as_stopped_and_only_its_starter_reruns_it(editor, failing_kind):
    job = Job.objects.create(kind="tests.flaky", started_by=editor, params={"n": 1}, state=Job.State.RUNNING)
    Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - services.STALE_AFTER - timedelta(seconds=1))
    job.refresh_from_db()
    status = selectors.job_status(job)
    assert status["state"] == "stopped" and status["can_retry"] is True
    with pytest.raises(PermissionDenied):
        services.job_retry(job=job, user=UserFactory())
    fresh = Job.objects.create(kind="tests.flaky", started_by=editor, params={"n": 2}, state=Job.State.RUNNING)
    fresh.heartbeat_at = timezone.now()
    assert selectors.job_status(fresh)["state"] == "running"
    with pytest.raises(ValidationError):
        services.job_retry(job=fresh, user=editor)
    again = services.job_retry(job=job, user=editor)
    job.refresh_from_db()
    assert job.state == Job.State.FAILED and "stopped before it finished" in job.error
    assert again.retry_of_id == job.pk
    assert AuditEntry.objects.filter(object_type="jobs.job", object_id=str(job.pk), new="failed").exists()


def test_running_a_job_twice_runs_it_once(editor, failing_kind):
    job = Job.objects.create(kind="tests.flaky", started_by=editor, params={"n": 3})
    services.job_run(job_id=str(job.pk))
    services.job_run(job_id=str(job.pk))
    assert failing_kind == [3]


def test_reminders_job_is_for_vru_admins_and_sends_only_its_own_vrus_reminders(
    london, reviewer, plan, editor, template_2021, django_capture_on_commit_callbacks, mailoutbox
):
    from tests.factories import AreaFactory, VruFactory
    from vrhub.cycle.models import ReminderSent
    from vrhub.cycle.services import quarters_create
    from vrhub.plans.services import plan_create, template_create_from_content
    from vrhub.plans.templates import london_template

    quarters_create(template=template_2021)
    midlands = VruFactory(code="VRU-WM", name="West Midlands VRU")
    wm_template = template_create_from_content(
        vru=midlands, year=2021, title="WM 2021", themes=london_template().themes_2021, published=True
    )
    quarters_create(template=wm_template)
    wm_area = AreaFactory(vru=midlands, code="E08000025", name="Birmingham")
    wm_editor = UserFactory(organisation=wm_area, role=User.Role.BOROUGH_EDITOR, email="bham@example.org")
    plan_create(area=wm_area, template=wm_template, user=wm_editor)

    with pytest.raises(PermissionDenied):
        services.job_start(kind="cycle.reminders", user=reviewer, params={})
    admin = UserFactory(organisation=london, role=User.Role.VRU_ADMIN)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.job_start(kind="cycle.reminders", user=admin, params={})
    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED, job.error
    recipients = {address for message in mailoutbox for address in message.to}
    assert recipients == {editor.email}
    assert set(ReminderSent.objects.values_list("plan__area__code", flat=True)) == {"E09000016"}
    assert (
        job.result["summary"]
        == f"Sent {len(mailoutbox)} reminder{'s' if len(mailoutbox) != 1 else ''} to borough editors."
    )


@pytest.mark.django_db(transaction=True)
def test_the_real_queue_runs_a_report_in_the_worker_process(settings, london):
    """Queued in the database by this process; run by `manage.py db_worker` in another."""
    from vrhub.demo.seed import demo_load

    demo_load()
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    reviewer = User.objects.get(username="vru.reviewer")
    job = services.job_start(kind="reports.london", user=reviewer, params={"year": 2021, "fmt": "docx"})
    job.refresh_from_db()
    assert job.state == Job.State.QUEUED
    worker = manage(
        "db_worker",
        "--batch",
        "--no-startup-delay",
        env=subprocess_env(TASKS_BACKEND="django_tasks_db.DatabaseBackend"),
    )
    assert worker.returncode == 0, worker.stderr[-2000:]
    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED, job.error
    assert job.output_name.endswith(".docx")
    assert job.output.open("rb").read(2) == b"PK"


def test_a_report_job_checks_access_again_when_it_runs(plan, editor, django_capture_on_commit_callbacks):
    """Queued while the editor could see the plan; by the time it runs they have moved borough."""
    job = services.job_start(kind="reports.scrutiny", user=editor, params={"plan": plan.pk, "fmt": "pdf"})
    editor.organisation = Organisation.objects.get(code="E09000022")
    editor.save()
    services.job_run(job_id=str(job.pk))
    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert job.error == "You can no longer see that plan."
    assert not job.output


def test_purging_old_jobs_deletes_them_and_their_files(plan, editor, django_capture_on_commit_callbacks):
    from pathlib import Path

    with django_capture_on_commit_callbacks(execute=True):
        old = services.job_start(kind="reports.scrutiny", user=editor, params={"plan": plan.pk, "fmt": "docx"})
        recent = services.job_start(kind="reports.scrutiny", user=editor, params={"plan": plan.pk, "fmt": "docx"})
    old.refresh_from_db()
    recent.refresh_from_db()
    old_file = Path(old.output.path)
    assert old_file.is_file()
    Job.objects.filter(pk=old.pk).update(finished_at=timezone.now() - timedelta(days=31))
    assert services.jobs_purge(older_than=timedelta(days=30)) == 1
    assert not old_file.exists()
    assert list(Job.objects.values_list("pk", flat=True)) == [recent.pk]
    assert Path(recent.output.path).is_file()


def test_a_job_marked_stopped_is_not_overwritten_when_its_old_worker_finishes(editor, failing_kind):
    """The worker was only slow: its starter saw it stopped and ran it again; the old run ends later."""
    job = Job.objects.create(kind="tests.flaky", started_by=editor, params={"n": 5})
    real = registry.KINDS["tests.flaky"].handler

    def slow_then_marked_stopped(*, context, n):
        Job.objects.filter(pk=job.pk).update(state=Job.State.FAILED, error="stopped")
        return real(context=context, n=n)

    registry.KINDS["tests.flaky"] = registry.KINDS["tests.flaky"].__class__(
        name="tests.flaky", label="Flaky", handler=slow_then_marked_stopped, authorise=lambda **_: None
    )
    services.job_run(job_id=str(job.pk))
    job.refresh_from_db()
    assert (job.state, job.error) == (Job.State.FAILED, "stopped")


def test_a_job_whose_starter_was_deactivated_meanwhile_does_not_run(london, template_2021, plan, editor, mailoutbox):
    """Queued by a VRU admin who is then switched off: the reminders it would have sent are not sent."""
    from vrhub.cycle.models import ReminderSent
    from vrhub.cycle.services import quarters_create

    quarters_create(template=template_2021)
    admin = UserFactory(organisation=london, role=User.Role.VRU_ADMIN)
    job = services.job_start(kind="cycle.reminders", user=admin, params={})
    User.objects.filter(pk=admin.pk).update(is_active=False)
    services.job_run(job_id=str(job.pk))
    job.refresh_from_db()
    assert (job.state, job.error) == (
        Job.State.FAILED,
        "The person who started this job can no longer use vrhub, so it was not run.",
    )
    assert mailoutbox == [] and not ReminderSent.objects.exists()


def test_a_plan_given_as_true_is_not_plan_one(plan, editor):
    with pytest.raises(ValidationError, match="Give the plan's number"):
        services.job_start(kind="reports.scrutiny", user=editor, params={"plan": True, "fmt": "pdf"})
