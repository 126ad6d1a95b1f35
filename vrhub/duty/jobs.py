"""The needs assessment data pack as a background job: the worker writes the PDF or Word file, the person
downloads it from the job page. Authorised with the Duty's one access rule, again when the job runs."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from vrhub.core.exceptions import NotFound
from vrhub.duty import datapack_render
from vrhub.duty.selectors import access
from vrhub.duty.selectors.datapack import datapack_data
from vrhub.evidence.selectors import EvidenceError
from vrhub.jobs.registry import JobContext, job_kind
from vrhub.organisations.models import Organisation

AREA_CODE_MAX = 20


def _area(*, user, params: dict) -> Organisation:
    code = params.get("area")
    if not isinstance(code, str) or not code or len(code) > AREA_CODE_MAX:
        raise ValidationError({"area": f"Give the area's code (at most {AREA_CODE_MAX} characters)"})
    try:
        return access.duty_area_get_for_user(user=user, code=code)
    except NotFound as exc:
        raise PermissionDenied("You cannot see that area's Duty records.") from exc


def _authorise(*, user, params: dict) -> None:
    if params.get("fmt") not in datapack_render.FORMATS:
        raise ValidationError({"fmt": "The data pack comes as pdf or docx"})
    _area(user=user, params=params)


@job_kind(name="duty.sna_pack", label="Needs assessment data pack", authorise=_authorise)
def sna_pack_job(*, context: JobContext, area: str, fmt: str) -> dict:
    # Authorised again when it runs: the person's access may have changed since they asked.
    try:
        org = access.duty_area_get_for_user(user=context.user, code=area)
    except NotFound as exc:
        raise PermissionDenied("You can no longer see that area's Duty records.") from exc
    context.progress(0, 2, "Gathering the figures from the evidence workbench")
    try:
        data = datapack_data(area=org)  # reads the evidence store as the area's VRU
    except EvidenceError as exc:
        raise ValidationError(f"The evidence workbench cannot make a data pack for {org.name}: {exc}") from exc
    context.progress(1, 2, "Writing the data pack")
    content = datapack_render.render(fmt=fmt, data=data)
    name = datapack_render.filename(data=data, fmt=fmt)
    context.set_output(name=name, content_type=datapack_render.CONTENT_TYPES[fmt], data=content)
    synthetic = " It includes SYNTHETIC data." if data["synthetic"] else ""
    return {
        "summary": f"{name} is ready ({len(content) / 1024:,.0f} KB).{synthetic}",
        "bytes": len(content),
        "next_url": reverse("duty:datapack", args=[org.code]),
        "next_label": f"Back to {org.name}'s data pack page",
    }
