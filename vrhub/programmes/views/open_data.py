"""Preparing a VRU's grants as 360Giving open data: what will be published for a year, whether it validates,
and the funder profile (organisation identifier, name as funder, 360Giving prefix) that only the VRU's admins
change. Everyone working in or with the VRU sees it (it shows only published programmes and the profile, all
of it public once published); anyone outside a VRU gets a 404.

Thin: fetched through ``selectors.open_data`` (built on ``selectors.access``), written through
``services.funder``."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from vrhub.core.forms import apply_validation_errors
from vrhub.programmes.catalogue import YEAR_MAX, YEAR_MIN, year_label, year_of
from vrhub.programmes.forms_open_data import FunderProfileForm
from vrhub.programmes.selectors import access
from vrhub.programmes.selectors import open_data as selectors
from vrhub.programmes.services import funder as services


def _year(request, vru) -> int:
    raw = request.GET.get("year", "")
    if raw.isascii() and raw.isdigit() and len(raw) == 4 and YEAR_MIN <= int(raw) <= YEAR_MAX:
        return int(raw)
    years = selectors.years_with_amounts(vru=vru)
    return years[0] if years else year_of(timezone.localdate())


def _years(vru, year: int) -> list[int]:
    return sorted(set(selectors.years_with_amounts(vru=vru)) | {year}, reverse=True)


@require_http_methods(["GET", "POST"])
def open_data(request):
    vru = selectors.open_data_vru_for(user=request.user)
    can_edit = access.user_can_edit_funder_profile(user=request.user, vru=vru)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied("Only the VRU's admins change how it publishes its grants.")
    profile = selectors.funder_profile_of(vru=vru)
    form = FunderProfileForm(request.POST or None, profile=profile) if can_edit else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            services.funder_profile_save(vru=vru, user=request.user, data=form.data_for_service())
        except ValidationError as exc:
            apply_validation_errors(form, exc)
            form.data = form.data.copy()
            form.data["version"] = selectors.funder_profile_version(selectors.funder_profile_of(vru=vru))
        else:
            messages.success(request, "Funder profile saved. The preview below uses it.")
            return redirect(f"{request.path}?year={_year(request, vru)}")
    year = _year(request, vru)
    preview = selectors.grants_year(vru=vru, year=year)
    return render(
        request,
        "programmes/open_data.html",
        {
            "vru": vru,
            "profile": profile,
            "form": form,
            "can_edit": can_edit,
            "year": year,
            "year_label": year_label(year),
            "years": [(y, year_label(y)) for y in _years(vru, year)],
            "preview": preview,
            "total": selectors.money(preview.total),
        },
    )


urlpatterns = [path("programmes/open-data/", open_data, name="open_data")]
