"""Pages for following one's background jobs. Thin: reads through selectors, writes through services."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from vrhub.jobs import selectors, services


def _job(request, pk):
    try:
        return selectors.job_get_for_user(user=request.user, pk=pk)
    except selectors.JobNotFound as exc:
        raise Http404("No such job") from exc


@require_GET
def job_list(request):
    jobs = [selectors.job_status(j) for j in selectors.jobs_for_user(user=request.user)[:50]]
    return render(request, "jobs/list.html", {"jobs": jobs})


@require_GET
@never_cache
def job_detail(request, pk):
    job = _job(request, pk)
    return render(request, "jobs/detail.html", {"job": job, "status": selectors.job_status(job)})


@require_GET
@never_cache
def job_status(request, pk):
    return JsonResponse(selectors.job_status(_job(request, pk)))


@require_GET
def job_output(request, pk):
    job = _job(request, pk)
    if not job.output:
        raise Http404("This job has no file")
    response = FileResponse(job.output.open("rb"), as_attachment=True, filename=job.output_name)
    response["Content-Type"] = job.output_type or "application/octet-stream"
    return response


@require_POST
def job_retry(request, pk):
    job = _job(request, pk)
    try:
        again = services.job_retry(job=job, user=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("jobs:detail", pk=job.pk)
    messages.success(request, "The job has been started again.")
    return redirect("jobs:detail", pk=again.pk)
