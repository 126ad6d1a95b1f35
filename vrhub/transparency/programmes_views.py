"""Public pages of funded programmes: a VRU's published grants as 360Giving open data, a page listing each
financial year's grants with its total, and each year's file as 360Giving JSON and as a spreadsheet.

No sign-in. Everything is read through ``programmes.selectors.open_data``, which publishes only the VRU's
published programmes (never a person's name) and validates every file against the 360Giving package schema
before it is served; an unknown VRU, or a year with nothing published, is a 404."""

import json

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from vrhub.programmes.catalogue import year_label
from vrhub.programmes.giving360 import PackageInvalid
from vrhub.programmes.selectors import open_data as selectors

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_not_required
@require_GET
def programmes_grants(request, vru_code: str):
    vru = selectors.public_vru_get(vru_code=vru_code)
    profile = selectors.funder_profile_of(vru=vru)
    years = []
    for year in selectors.published_years(vru=vru):
        found = selectors.grants_year(vru=vru, year=year)
        if found.valid:
            years.append({"year": found, "total": selectors.money(found.total)})
    return render(
        request,
        "transparency/programmes_grants.html",
        {"vru": vru, "profile": profile, "years": years, "synthetic": bool(profile and profile.synthetic)},
    )


def _package(vru, year: int):
    """The year's valid package, or a response saying it is withheld (never an invalid file)."""
    try:
        return selectors.grants_package(vru=vru, year=year), None
    except PackageInvalid:
        return None, HttpResponse(
            f"The 360Giving file of {vru.name} for {year_label(year)} is withheld: it does not validate against "
            "the 360Giving Data Standard, and will be published once it is put right.",
            status=503,
            content_type="text/plain; charset=utf-8",
        )


def _filename(vru, year: int, extension: str, synthetic: bool) -> str:
    demo = "-synthetic-demo" if synthetic else ""
    return f"{vru.code.lower()}-grants-{year_label(year).replace('/', '-')}{demo}-360giving.{extension}"


@login_not_required
@require_GET
def programmes_grants_json(request, vru_code: str, year: int):
    vru = selectors.public_vru_get(vru_code=vru_code)
    package, withheld = _package(vru, year)
    if package is None:
        return withheld
    synthetic = package["title"].startswith("SYNTHETIC")
    response = HttpResponse(
        json.dumps(package, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'inline; filename="{_filename(vru, year, "json", synthetic)}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_not_required
@require_GET
def programmes_grants_xlsx(request, vru_code: str, year: int):
    vru = selectors.public_vru_get(vru_code=vru_code)
    package, withheld = _package(vru, year)
    if package is None:
        return withheld
    synthetic = package["title"].startswith("SYNTHETIC")
    response = HttpResponse(selectors.grants_spreadsheet(package=package), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{_filename(vru, year, "xlsx", synthetic)}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


urlpatterns = [
    path("public/<str:vru_code>/grants/", programmes_grants, name="programmes_grants"),
    path("public/<str:vru_code>/grants/<int:year>.json", programmes_grants_json, name="programmes_grants_json"),
    path("public/<str:vru_code>/grants/<int:year>.xlsx", programmes_grants_xlsx, name="programmes_grants_xlsx"),
]
