"""The monitoring view: every area's Duty state in one table, for VRU staff and the local policing body."""

import csv

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import path, reverse

from vrhub.core.spreadsheet import neutralise
from vrhub.core.words import date_words
from vrhub.duty.due import Due
from vrhub.duty.selectors import access
from vrhub.duty.selectors.monitoring import FILTERS, KINDS_TOTAL, SORTS, AreaRow, MonitoringError, monitoring_table

SYNTHETIC = "Synthetic demo data"

# The table's columns after the area: (sort key, heading). The CSV has the same columns, with the area's code.
COLUMNS = (
    ("name", "Area"),
    ("", "Data"),
    ("partnership", "Specified authorities"),
    ("definition", "Definition"),
    ("sna", "Needs assessment"),
    ("strategy", "Strategy"),
    ("review", "Next review"),
    ("readiness", "Readiness"),
    ("overdue", "Overdue items"),
)


def _cell(before: str = "", tag_text: str = "", after: str = "", *, tag: str = "", href: str = "") -> dict:
    """One cell: ``text`` is what the CSV writes and what the page shows (``before``, then ``tag_text`` in a
    GOV.UK tag of colour ``tag``, then ``after``): a colour never stands alone."""
    return {
        "text": before + tag_text + after,
        "before": before,
        "tag_text": tag_text,
        "after": after,
        "tag": tag,
        "href": href,
    }


def _cells(row: AreaRow) -> list[dict]:
    """The row's cells after the area's name, as the page shows them and the CSV writes them."""
    r = row.readiness
    if not row.has_partnership:
        partnership = _cell(tag_text="No record", tag="govuk-tag--grey")
    elif row.kinds_present == KINDS_TOTAL:
        partnership = _cell(tag_text=f"{KINDS_TOTAL} of {KINDS_TOTAL}", tag="govuk-tag--green")
    else:
        partnership = _cell(f"{row.kinds_present} of {KINDS_TOTAL}")
    definition = row.definition_words
    if r.sna_state == "not_started":
        sna = _cell("Not started")
    else:
        written = f", {r.sections_complete} of {r.sections} sections written"
        sna = _cell(tag_text=row.sna_words, after=written, tag="govuk-tag--green" if r.sna_state == "agreed" else "")
    if r.published:
        strategy = _cell(tag_text=row.strategy_words, after=f" {date_words(r.published)}", tag="govuk-tag--green")
    else:
        strategy = _cell(row.strategy_words)
    if r.next_review is None:
        review = _cell("Not set" if r.strategy_state != "not_started" else "No strategy")
    elif row.strategy_review == Due.OVERDUE:
        review = _cell(f"{date_words(r.next_review)} ", "Overdue", tag="govuk-tag--red")
    elif row.strategy_review == Due.SOON:
        review = _cell(f"{date_words(r.next_review)} ", "Due soon", tag="govuk-tag--yellow")
    else:
        review = _cell(date_words(r.next_review))
    href = reverse("duty:area", args=[row.area.code])
    if row.ready:
        readiness = _cell(tag_text="Ready", tag="govuk-tag--green", href=href)
    else:
        readiness = _cell(f"{row.missing_count} missing", href=href)
    overdue = row.overdue_items
    overdue_cell = _cell(tag_text="; ".join(overdue), tag="govuk-tag--red") if overdue else _cell("None")
    return [
        _cell(SYNTHETIC if row.synthetic else "Recorded"),
        partnership,
        _cell(tag_text=definition, tag="govuk-tag--green") if definition == "Complete" else _cell(definition),
        sna,
        strategy,
        review,
        readiness,
        overdue_cell,
    ]


def _table(request):
    vru = access.monitoring_vru(user=request.user)
    if vru is None:
        raise PermissionDenied("The Duty monitoring view is for VRU staff and the local policing body.")
    return monitoring_table(
        vru=vru,
        sort=request.GET.get("sort", "name"),
        descending=request.GET.get("dir") == "desc",
        show=request.GET.get("show", "all"),
    )


def _bad(exc: MonitoringError) -> HttpResponseBadRequest:
    return HttpResponseBadRequest(f"The Duty monitoring view's {exc}", content_type="text/plain; charset=utf-8")


def monitoring(request):
    try:
        table = _table(request)
    except MonitoringError as exc:
        return _bad(exc)
    columns = []
    for key, label in COLUMNS:
        if not key:
            columns.append({"label": label, "key": ""})
            continue
        params = request.GET.copy()
        params["sort"] = key
        params["dir"] = "asc" if table.sort != key or table.descending else "desc"
        aria = ("descending" if table.descending else "ascending") if table.sort == key else "none"
        columns.append({"key": key, "label": label, "query": params.urlencode(), "aria": aria})
    filters = []
    for key, (label, _test) in FILTERS.items():
        params = request.GET.copy()
        params["show"] = key
        filters.append({"key": key, "label": label, "count": table.filter_counts[key], "query": params.urlencode()})
    return render(
        request,
        "duty/monitoring/monitoring.html",
        {
            "table": table,
            "rows": [{"row": row, "cells": _cells(row)} for row in table.rows],
            "columns": columns,
            "filters": filters,
            "filter_label": FILTERS[table.show][0],
            "sort_label": SORTS[table.sort][0],
            "kinds_total": KINDS_TOTAL,
            "query": request.GET.urlencode(),
        },
    )


def monitoring_csv(request):
    """The same table (same filter and order) as CSV."""
    try:
        table = _table(request)
    except MonitoringError as exc:
        return _bad(exc)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    code = table.vru.code if table.vru else "none"
    response["Content-Disposition"] = f'attachment; filename="duty-monitoring-{code}-{table.today:%Y%m%d}.csv"'
    writer = csv.writer(response)
    writer.writerow(["Code", *(label for _key, label in COLUMNS)])
    for row in table.rows:
        writer.writerow([row.area.code, neutralise(row.area.name), *(neutralise(c["text"]) for c in _cells(row))])
    return response


urlpatterns = [
    path("duty/monitoring/", monitoring, name="monitoring"),
    path("duty/monitoring/csv/", monitoring_csv, name="monitoring_csv"),
]
