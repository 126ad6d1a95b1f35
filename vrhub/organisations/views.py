"""A VRU admin's page of their VRU's CSP areas: assign unassigned ones, give one back."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from vrhub.organisations import selectors, services
from vrhub.organisations.models import Organisation


def _names(areas: list[Organisation]) -> str:
    names = sorted(a.name for a in areas)
    return ", ".join(names[:10]) + (f" and {len(names) - 10} more" if len(names) > 10 else "")


@require_http_methods(["GET", "POST"])
def areas(request):
    vru = selectors.area_admin_vru(user=request.user)
    error = ""
    if request.method == "POST":
        take_force = request.POST.get("take_force", "")
        if take_force:
            chosen = selectors.areas_unassigned_of_force(force_code=take_force)
        else:
            chosen = selectors.areas_assignable_get(vru=vru, codes=request.POST.getlist("area"))
        try:
            assigned = services.areas_assign(vru=vru, areas=chosen, user=request.user)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            if assigned:
                count = len(assigned)
                messages.success(
                    request, f"{count} area{'s' if count != 1 else ''} assigned to {vru.name}: {_names(assigned)}."
                )
            else:
                messages.info(request, "Those areas were already your VRU's.")
            return redirect("organisations:areas")
    force_code = request.GET.get("force", "")[:20]
    groups = selectors.unassigned_by_force(force_code=force_code)
    return render(
        request,
        "organisations/areas.html",
        {
            "vru": vru,
            "own": list(selectors.areas_of_vru(vru=vru)),
            "groups": groups,
            "forces": selectors.unassigned_by_force(),
            "force_code": force_code,
            "error": error,
        },
    )


@require_POST
def area_release(request, code: str):
    vru = selectors.area_admin_vru(user=request.user)
    area = selectors.area_of_vru_get(vru=vru, code=code)
    try:
        services.area_release(area=area, user=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, f"{area.name} is no longer one of {vru.name}'s areas.")
    return redirect("organisations:areas")
