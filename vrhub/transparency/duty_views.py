"""Public pages of the Serious Violence Duty: each area's published strategy (the version in force).

Drafts and superseded versions are never shown, nor are the names, e-mails or contacts of the partnership's
leads and consultees: the selectors read only what these pages may show (``duty.selectors.strategy``)."""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from vrhub.duty.selectors import strategy as selectors


@login_not_required
@require_GET
def duty_strategies(request, vru_code: str):
    vru = selectors.public_vru_get(vru_code=vru_code)
    rows = selectors.public_strategies(vru=vru)
    published = [r for r in rows if r["strategy"] is not None]
    return render(
        request,
        "transparency/duty_strategies.html",
        {
            "vru": vru,
            "rows": rows,
            "published": published,
            "without": [r["area"].name for r in rows if r["strategy"] is None],
            "synthetic": any(r["strategy"].partnership.synthetic for r in published),
        },
    )


@login_not_required
@require_GET
def duty_strategy(request, vru_code: str, area_code: str):
    vru = selectors.public_vru_get(vru_code=vru_code)
    page = selectors.public_strategy_get(vru=vru, area_code=area_code)
    return render(request, "transparency/duty_strategy.html", {"vru": vru, **page})
