"""The national view (public): every VRU and every CSP area of England and Wales with the plans and Serious
Violence Duty strategies each has published, with links; as a page with a map, a CSV file and open-data JSON.

The reads are ``national_selectors``' (published information only); the map is ``national_map``'s. Filters
arrive as GET parameters and are checked against the lists they choose from: a bad value is named in an error
message (400), never a 500, and never silently ignored.
"""

import csv
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from vrhub.core.spreadsheet import neutralise
from vrhub.core.words import count_noun
from vrhub.transparency import national_selectors as ns
from vrhub.transparency.national_map import STYLES, UNIT, national_map

PARAM_MAX = 60  # characters of a GET parameter read (a longer one is no code of ours anyway)
CHOOSE = "Choose {what} from the list: “%(value)s” is not {one}."


class NationalFilterForm(forms.Form):
    """The table's filters and sort, checked against what can be chosen."""

    vru = forms.ChoiceField(
        label="VRU",
        required=False,
        error_messages={"invalid_choice": CHOOSE.format(what="a VRU", one="a VRU on vrhub")},
    )
    police_force = forms.ChoiceField(
        label="Police force area",
        required=False,
        error_messages={"invalid_choice": CHOOSE.format(what="a police force area", one="a police force area code")},
    )
    status = forms.ChoiceField(
        label="What is published",
        required=False,
        choices=[("", "Anything"), *ns.STATUSES],
        error_messages={"invalid_choice": CHOOSE.format(what="what is published", one="one of the choices")},
    )
    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=ns.SORTS,
        error_messages={"invalid_choice": CHOOSE.format(what="a column to sort by", one="a column of the table")},
    )
    dir = forms.ChoiceField(
        label="Order",
        required=False,
        choices=[("asc", "Ascending (A to Z, oldest first)"), ("desc", "Descending (Z to A, newest first)")],
        error_messages={"invalid_choice": "Choose the order from the list: “%(value)s” is not asc or desc."},
    )

    def __init__(self, data, *, national: ns.National):
        super().__init__(data)
        self.fields["vru"].choices = [
            ("", "All VRUs"),
            *((v.code, v.name) for v in national.vrus),
            (ns.NONE, "Not in a VRU on vrhub"),
        ]
        self.fields["police_force"].choices = [
            ("", "All police force areas"),
            *national.police_forces,
            (ns.NONE, "No police force area recorded"),
        ]


def _filters(request, national: ns.National) -> tuple[NationalFilterForm, dict[str, str]]:
    """The form bound to the query string (each value cut to PARAM_MAX characters) and the values that can be
    used; a bad one is left out (the form carries its error, and the page says so)."""
    data = {name: request.GET.get(name, "")[:PARAM_MAX] for name in ("vru", "police_force", "status", "sort", "dir")}
    form = NationalFilterForm(data, national=national)
    form.is_valid()
    return form, {k: v or "" for k, v in form.cleaned_data.items() if k not in form.errors}


def _rows(national: ns.National, chosen: dict[str, str]) -> list[ns.AreaRow]:
    rows = ns.national_filter(
        areas=national.areas,
        vru=chosen.get("vru", ""),
        police_force=chosen.get("police_force", ""),
        status=chosen.get("status", ""),
    )
    return ns.national_sort(areas=rows, sort=chosen.get("sort") or "area", descending=chosen.get("dir") == "desc")


def _totals_words(totals: ns.Totals, years: tuple[int, ...]) -> list[str]:
    """The counts of the table, in sentences: "14 of 39 areas have a published plan for 2021/22"."""
    m = totals.areas

    def of(n: int, verb_one: str, verb_many: str, rest: str) -> str:
        noun = "area" if m == 1 else "areas"
        return f"{n:,} of {m:,} {noun} {verb_one if n == 1 else verb_many} {rest}"

    words = [of(n, "has", "have", f"a published plan for {ns.year_label(y)}") for y, n in totals.by_year]
    if len(years) > 1:
        words.append(of(totals.with_plan, "has", "have", "a published plan for at least one year"))
    if not years:
        words.append("No VRU has published its plans yet.")
    words.append(of(totals.with_strategy, "has", "have", "a published Serious Violence Duty strategy"))
    words.append(of(totals.unassigned, "is", "are", "not in a VRU on vrhub"))
    return words


@login_not_required
@require_GET
def national(request):
    national = ns.national_overview()
    form, chosen = _filters(request, national)
    rows = _rows(national, chosen)
    totals = ns.national_totals(areas=rows, years=national.years)
    boundaries = ns.area_boundaries(codes=[r.code for r in rows])
    the_map = national_map(areas=rows, boundaries=boundaries)
    sort, descending = chosen.get("sort") or "area", chosen.get("dir") == "desc"
    columns = []
    for key, label in ns.SORTS:
        params = {k: v for k, v in chosen.items() if v}
        params["sort"] = key
        params["dir"] = "desc" if sort == key and not descending else "asc"
        aria = ("descending" if descending else "ascending") if sort == key else "none"
        columns.append({"key": key, "label": label, "query": urlencode(params), "aria": aria})
    filtered = any(chosen.get(k) for k in ("vru", "police_force", "status"))
    response = render(
        request,
        "transparency/national.html",
        {
            "national": national,
            "form": form,
            "rows": rows,
            "count_words": count_noun(len(rows), "area"),
            "filtered": filtered,
            "totals": _totals_words(totals, national.years),
            "map": the_map,
            "styles": STYLES,
            # Map units per pixel, the outline's width (half a pixel) and a legend swatch's size (30 x 20 px).
            "unit": UNIT,
            "stroke": UNIT / 2,
            "swatch": (30 * UNIT, 20 * UNIT),
            "boundaries_loaded": bool(boundaries) or ns.boundaries_loaded(),
            "columns": columns,
            "sort_label": dict(ns.SORTS)[sort],
            "descending": descending,
            "synthetic": any(r.synthetic for r in rows),
            "query": urlencode({k: v for k, v in chosen.items() if v}),
        },
    )
    if form.errors:
        response.status_code = 400
    return response


CSV_COLUMNS = (
    "area_code",
    "csp_code",
    "area",
    "vru_code",
    "vru",
    "police_force_code",
    "police_force",
    "status",
    "latest_published_plan_year",
    "latest_published_plan_url",
    "published_plan_years",
    "strategy_title",
    "strategy_url",
    "strategy_published_on",
    "strategy_footprint",
    "synthetic",
)


@login_not_required
@require_GET
def national_csv(request):
    """The table as CSV, with the page's filters and sort; a bad filter answers 400 naming it."""
    national = ns.national_overview()
    form, chosen = _filters(request, national)
    if form.errors:
        messages = [str(e) for errors in form.errors.values() for e in errors]
        return HttpResponse("\n".join(messages) + "\n", status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="published-plans-and-strategies.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for r in _rows(national, chosen):
        plan, strategy = r.latest_plan, r.strategy
        cells = (
            r.code,
            r.csp_code or "",
            r.name,
            r.vru_code or "",
            r.vru_name or "",
            r.police_force_code or "",
            r.police_force_name or "",
            r.status_label,
            str(plan.year) if plan else "",
            request.build_absolute_uri(plan.path) if plan else "",
            " ".join(str(y) for y in sorted(r.plan_years)),
            strategy.title if strategy else "",
            request.build_absolute_uri(strategy.path) if strategy else "",
            strategy.published_on.isoformat() if strategy else "",
            ("yes" if strategy.footprint else "no") if strategy else "",
            "yes" if r.synthetic else "no",
        )
        writer.writerow([neutralise(c) for c in cells])
    return response


def national_json(request, national: ns.National) -> dict:
    """The open-data document (docs/national.md describes it; keep its shape stable: add, never change)."""

    def url(path: str) -> str:
        return request.build_absolute_uri(path)

    index = reverse("transparency:national")
    return {
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "vrus": [
            {
                "code": v.code,
                "name": v.name,
                "areas": v.areas,
                "published_plan_years": list(v.plan_years),
                "url": url(f"{index}?vru={v.code}"),
                "published_plans": [
                    {"year": y, "url": url(reverse("transparency:plans", args=[v.code, y]))} for y in v.plan_years
                ],
                "areas_with_published_strategy": v.areas_with_strategy,
                "strategies_url": url(reverse("transparency:duty_strategies", args=[v.code]))
                if v.has_strategies
                else None,
            }
            for v in national.vrus
        ],
        "areas": [
            {
                "code": r.code,
                "csp_code": r.csp_code,
                "name": r.name,
                "vru": r.vru_code,
                "police_force": r.police_force_code,
                "latest_published_plan": {
                    "year": r.latest_plan.year,
                    "url": url(r.latest_plan.path),
                    "synthetic": r.latest_plan.synthetic,
                }
                if r.latest_plan
                else None,
                "strategy": {
                    "url": url(r.strategy.path),
                    "published_at": r.strategy.published_on.isoformat(),
                    "title": r.strategy.title,
                    "footprint": r.strategy.footprint,
                    "synthetic": r.strategy.synthetic,
                }
                if r.strategy
                else None,
                "published_plan_years": sorted(r.plan_years),
            }
            for r in national.areas
        ],
    }


@login_not_required
@require_GET
def api_national(request):
    return JsonResponse(national_json(request, ns.national_overview()))
