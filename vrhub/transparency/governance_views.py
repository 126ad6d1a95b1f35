"""Public pages of partnership governance: a VRU's groups with their terms of reference and membership by
office, published agendas with their non-exempt papers, approved minutes and the actions arising report.

No sign-in. Every object is read through ``governance.selectors.public``, which shows only what is published
and never a member's name or e-mail address; anything else is a 404 whatever the address."""

from django.contrib.auth.decorators import login_not_required
from django.core.files.storage import default_storage
from django.http import FileResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from vrhub.core.exceptions import NotFound
from vrhub.governance.selectors import public as selectors


@login_not_required
@require_GET
def governance_groups(request, vru_code: str):
    vru = selectors.public_vru_get(vru_code=vru_code)
    rows = selectors.public_groups(vru=vru, today=timezone.localdate())
    return render(
        request,
        "transparency/governance/groups.html",
        {"vru": vru, "rows": rows, "synthetic": any(r.group.synthetic for r in rows)},
    )


@login_not_required
@require_GET
def governance_group(request, vru_code: str, slug: str):
    vru = selectors.public_vru_get(vru_code=vru_code)
    group = selectors.public_group_get(vru=vru, slug=slug)
    page = selectors.public_group_page(group=group, today=timezone.localdate())
    return render(request, "transparency/governance/group.html", {"vru": vru, "page": page, "group": group})


def _meeting(vru_code: str, slug: str, date: str):
    vru = selectors.public_vru_get(vru_code=vru_code)
    group = selectors.public_group_get(vru=vru, slug=slug)
    today = timezone.localdate()
    return vru, group, selectors.public_meeting_get(group=group, date=date, today=today), today


@login_not_required
@require_GET
def governance_meeting(request, vru_code: str, slug: str, date: str):
    vru, group, meeting, today = _meeting(vru_code, slug, date)
    with_minutes = selectors.minutes_public(meeting=meeting, today=today)
    return render(
        request,
        "transparency/governance/meeting.html",
        {
            "vru": vru,
            "group": group,
            "meeting": meeting,
            "minutes": with_minutes,
            "items": selectors.public_items(meeting=meeting, with_minutes=with_minutes),
            "quorum": selectors.public_quorum(meeting=meeting) if with_minutes else None,
        },
    )


@login_not_required
@require_GET
def governance_actions(request, vru_code: str, slug: str, date: str):
    vru, group, meeting, _today = _meeting(vru_code, slug, date)
    report = selectors.public_actions_report(meeting=meeting)
    return render(
        request,
        "transparency/governance/actions.html",
        {"vru": vru, "group": group, "meeting": meeting, "report": report},
    )


@login_not_required
@require_GET
def governance_paper(request, vru_code: str, slug: str, date: str, number: int):
    _vru, _group, meeting, _today = _meeting(vru_code, slug, date)
    item = selectors.public_paper_get(meeting=meeting, number=number)
    try:
        handle = default_storage.open(item.paper.name, "rb")
    except OSError as exc:
        raise NotFound("The paper's file is missing") from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=item.paper_original_name or f"item-{item.number}-paper",
        content_type=item.paper_content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
