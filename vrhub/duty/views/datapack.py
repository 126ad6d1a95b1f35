"""The needs assessment data pack: a page that starts the background job making it (PDF or Word) and sends
the person to the job page, where the file is downloaded. Thin: access, selectors and the jobs service."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods

from vrhub.duty import datapack_render
from vrhub.duty.selectors import access
from vrhub.duty.selectors.datapack import datapack_scope
from vrhub.jobs.services import job_start

FORMAT_LABELS = {"pdf": "PDF", "docx": "Word"}


@require_http_methods(["GET", "POST"])
def datapack(request, code: str):
    area = access.duty_area_get_for_user(user=request.user, code=code)
    error = None
    status = 200
    if request.method == "POST":
        fmt = request.POST.get("fmt", "")
        if fmt not in datapack_render.FORMATS:
            error = "Choose PDF or Word for the data pack"
            status = 400
        else:
            try:
                job = job_start(kind="duty.sna_pack", user=request.user, params={"area": area.code, "fmt": fmt})
            except PermissionDenied as exc:  # as everywhere: no one can tell an area they may not see exists
                raise Http404("No such area") from exc
            except ValidationError as exc:
                error, status = exc.messages[0], 400
            else:
                return redirect("jobs:detail", pk=job.pk)
    return render(
        request,
        "duty/datapack/page.html",
        {"area": area, "scope": datapack_scope(area=area), "formats": FORMAT_LABELS, "error": error},
        status=status,
    )


urlpatterns = [
    path("duty/<str:code>/needs-assessment/data-pack/", datapack, name="datapack"),
]
