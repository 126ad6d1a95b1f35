"""Meetings, agenda items and papers, minutes, dissent, publication (part B).

Thin: each view fetches through ``governance.selectors.access``, reads through ``selectors.meetings`` and
writes through ``services.meetings``."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vrhub.core.exceptions import NotFound
from vrhub.core.forms import apply_validation_errors
from vrhub.core.limits import upload_too_large_message
from vrhub.core.words import date_words
from vrhub.governance.catalogue import DecisionMode
from vrhub.governance.forms_meetings import (
    ApproveForm,
    DissentForm,
    InterestForm,
    ItemForm,
    MeetingForm,
    MinutesForm,
    VersionForm,
)
from vrhub.governance.models import Meeting
from vrhub.governance.selectors import access
from vrhub.governance.selectors.meetings import meeting_members, meeting_view
from vrhub.governance.services import meetings as services


def _to_meeting(meeting: Meeting, anchor: str = ""):
    response = redirect("governance:meeting", slug=meeting.group.slug, pk=meeting.pk)
    response["Location"] += anchor
    return response


def _refused(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _stale(form: VersionForm, exc: ValidationError, meeting: Meeting) -> None:
    apply_validation_errors(form, exc)
    if hasattr(exc, "error_dict") and "version" in exc.error_dict:
        meeting.refresh_from_db()
        form.refresh_version(meeting.version)


@require_http_methods(["GET", "POST"])
def meeting_new(request, slug: str):
    group = access.group_get_for_user(user=request.user, slug=slug, edit=True)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(group=group, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_errors(form, exc)
        else:
            messages.success(request, f"Meeting arranged for {date_words(meeting.date)}.")
            return _to_meeting(meeting)
    return render(request, "governance/meetings/meeting_new.html", {"group": group, "form": form})


@require_GET
def meeting(request, slug: str, pk: int):
    found = access.meeting_get_for_user(user=request.user, slug=slug, pk=pk)
    return render(
        request,
        "governance/meetings/meeting.html",
        {
            "group": found.group,
            "view": meeting_view(meeting=found),
            "meeting": found,
            "can_edit": access.user_can_edit_group(user=request.user, group=found.group),
            "votes": found.group.decision_mode == DecisionMode.VOTE,
        },
    )


# Agenda items ------------------------------------------------------------------------------------------


def _item_page(request, meeting: Meeting, form: ItemForm, item=None):
    return render(
        request,
        "governance/meetings/item_form.html",
        {"group": meeting.group, "meeting": meeting, "form": form, "item": item},
    )


@require_http_methods(["GET", "POST"])
def item_new(request, slug: str, pk: int):
    found = access.meeting_get_for_user(user=request.user, slug=slug, pk=pk, edit=True)
    form = ItemForm(request.POST or None, initial={"version": found.version})
    if request.method == "POST" and form.is_valid():
        try:
            item = services.item_add(
                meeting=found, user=request.user, version=form.cleaned_data["version"], data=form.content()
            )
        except ValidationError as exc:
            _stale(form, exc, found)
        else:
            messages.success(request, f"Item {item.number} added to the agenda.")
            return _to_meeting(found, f"#item-{item.number}")
    return _item_page(request, found, form)


@require_http_methods(["GET", "POST"])
def item_edit(request, slug: str, pk: int, number: int):
    item = access.item_get_for_user(user=request.user, slug=slug, meeting_pk=pk, number=number, edit=True)
    found = item.meeting
    initial = {name: getattr(item, name) for name in services.ITEM_FIELDS} | {"version": found.version}
    if request.method == "POST":
        form = ItemForm(request.POST, request.FILES, initial=initial, has_paper=bool(item.paper))
    else:
        form = ItemForm(initial=initial, has_paper=bool(item.paper))
    if request.method == "POST" and getattr(request, "upload_too_large", False):
        form.is_valid()
        form.add_error("paper", upload_too_large_message())
    elif request.method == "POST" and form.is_valid():
        try:
            services.item_update(
                item=item,
                user=request.user,
                version=form.cleaned_data["version"],
                data=form.content(),
                paper=form.cleaned_data.get("paper"),
                remove_paper=bool(form.cleaned_data.get("remove_paper")),
            )
        except ValidationError as exc:
            _stale(form, exc, found)
        else:
            messages.success(request, f"Item {item.number} saved.")
            return _to_meeting(found, f"#item-{item.number}")
    return _item_page(request, found, form, item)


@require_GET
def item_paper(request, slug: str, pk: int, number: int):
    item = access.item_get_for_user(user=request.user, slug=slug, meeting_pk=pk, number=number)
    if not item.paper:
        raise NotFound("This item has no paper")
    response = FileResponse(item.paper.open("rb"), as_attachment=True, filename=item.paper_original_name or "paper")
    response["Content-Type"] = item.paper_content_type or "application/octet-stream"
    return response


@require_http_methods(["GET", "POST"])
def item_remove(request, slug: str, pk: int, number: int):
    item = access.item_get_for_user(user=request.user, slug=slug, meeting_pk=pk, number=number, edit=True)
    found = item.meeting
    form = VersionForm(request.POST or None, initial={"version": found.version})
    problem = ""
    if request.method == "POST" and form.is_valid():
        try:
            services.item_remove(item=item, user=request.user, version=form.cleaned_data["version"])
        except ValidationError as exc:
            problem = " ".join(exc.messages)
        else:
            messages.success(request, f"Item {number} ({item.title}) removed from the agenda.")
            return _to_meeting(found, "#agenda")
    return render(
        request,
        "governance/meetings/item_remove.html",
        {"group": found.group, "meeting": found, "item": item, "form": form, "problem": problem},
    )


@require_POST
def item_move(request, slug: str, pk: int, number: int):
    item = access.item_get_for_user(user=request.user, slug=slug, meeting_pk=pk, number=number, edit=True)
    form = VersionForm(request.POST)
    up = request.POST.get("direction") != "down"
    if not form.is_valid():
        messages.error(request, "The page was out of date: nothing was moved. Try again.")
        return _to_meeting(item.meeting, "#agenda")
    try:
        moved = services.item_move(item=item, user=request.user, version=form.cleaned_data["version"], up=up)
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, f"“{moved.title}” is now item {moved.number}.")
    return _to_meeting(item.meeting, "#agenda")


# Minutes, dissent, interests ---------------------------------------------------------------------------


def _minutes_page(request, item, *, minutes=None, dissent=None, interest=None):
    found = item.meeting
    members = meeting_members(meeting=found)
    votes = found.group.decision_mode == DecisionMode.VOTE
    initial = {name: getattr(item, name) for name in services.MINUTES_FIELDS} | {"version": found.version}
    return render(
        request,
        "governance/meetings/item_minutes.html",
        {
            "group": found.group,
            "meeting": found,
            "item": item,
            "votes": votes,
            "form": minutes or MinutesForm(initial=initial, votes=votes),
            "dissent_form": dissent or DissentForm(members=members, initial={"version": found.version}),
            "interest_form": interest or InterestForm(members=members, initial={"version": found.version}),
            "dissents": item.dissents.select_related("member").order_by("member__name"),
            "interests": item.interests.select_related("member").order_by("member__name", "pk"),
        },
    )


@require_http_methods(["GET", "POST"])
def item_minutes(request, slug: str, pk: int, number: int):
    item = access.item_get_for_user(user=request.user, slug=slug, meeting_pk=pk, number=number, edit=True)
    if request.method == "GET":
        return _minutes_page(request, item)
    votes = item.meeting.group.decision_mode == DecisionMode.VOTE
    form = MinutesForm(request.POST, votes=votes)
    if form.is_valid():
        try:
            services.item_minutes_save(
                item=item, user=request.user, version=form.cleaned_data["version"], data=form.content()
            )
        except ValidationError as exc:
            _stale(form, exc, item.meeting)
        else:
            messages.success(request, f"Minutes of item {item.number} saved.")
            return _to_meeting(item.meeting, f"#item-{item.number}")
    return _minutes_page(request, item, minutes=form)


@require_POST
def item_dissent(request, slug: str, pk: int, number: int):
    item = access.item_get_for_user(user=request.user, slug=slug, meeting_pk=pk, number=number, edit=True)
    form = DissentForm(request.POST, members=meeting_members(meeting=item.meeting))
    if form.is_valid():
        try:
            made = services.dissent_record(
                item=item,
                user=request.user,
                version=form.cleaned_data["version"],
                member=form.cleaned_data["member"],
                text=form.cleaned_data["text"],
            )
        except ValidationError as exc:
            _stale(form, exc, item.meeting)
        else:
            messages.success(request, f"Dissent of {made.member.name} recorded on item {item.number}.")
            return redirect("governance:item_minutes", slug=slug, pk=pk, number=number)
    return _minutes_page(request, item, dissent=form)


@require_POST
def item_interest(request, slug: str, pk: int, number: int):
    item = access.item_get_for_user(user=request.user, slug=slug, meeting_pk=pk, number=number, edit=True)
    form = InterestForm(request.POST, members=meeting_members(meeting=item.meeting))
    if form.is_valid():
        try:
            made = services.interest_declare(
                item=item,
                user=request.user,
                version=form.cleaned_data["version"],
                member=form.cleaned_data["member"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as exc:
            _stale(form, exc, item.meeting)
        else:
            messages.success(request, f"Interest of {made.member.name} recorded on item {item.number}.")
            return redirect("governance:item_minutes", slug=slug, pk=pk, number=number)
    return _minutes_page(request, item, interest=form)


@require_POST
def dissent_remove(request, slug: str, pk: int, number: int, dissent_pk: int):
    item = access.item_get_for_user(user=request.user, slug=slug, meeting_pk=pk, number=number, edit=True)
    found = item.dissents.filter(pk=dissent_pk).first()
    if found is None:
        raise NotFound("No such dissent")
    form = VersionForm(request.POST)
    try:
        version = form.cleaned_data["version"] if form.is_valid() else -1
        services.dissent_remove(dissent=found, user=request.user, version=version)
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, f"Dissent of {found.member.name} removed from item {number}.")
    return redirect("governance:item_minutes", slug=slug, pk=pk, number=number)


@require_POST
def interest_remove(request, slug: str, pk: int, number: int, interest_pk: int):
    item = access.item_get_for_user(user=request.user, slug=slug, meeting_pk=pk, number=number, edit=True)
    found = item.interests.filter(pk=interest_pk).first()
    if found is None:
        raise NotFound("No such interest")
    form = VersionForm(request.POST)
    try:
        version = form.cleaned_data["version"] if form.is_valid() else -1
        services.interest_remove(interest=found, user=request.user, version=version)
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, f"Interest of {found.member.name} removed from item {number}.")
    return redirect("governance:item_minutes", slug=slug, pk=pk, number=number)


# Publication -------------------------------------------------------------------------------------------


@require_POST
def publish_agenda(request, slug: str, pk: int):
    found = access.meeting_get_for_user(user=request.user, slug=slug, pk=pk, edit=True)
    form = VersionForm(request.POST)
    try:
        version = form.cleaned_data["version"] if form.is_valid() else -1
        done = services.meeting_publish_agenda(meeting=found, user=request.user, version=version)
    except ValidationError as exc:
        messages.error(request, "The agenda was not published: " + " ".join(f"{m}." for m in exc.messages))
    else:
        messages.success(request, f"Agenda published {date_words(done.agenda_published_on)}.")
    return _to_meeting(found, "#publication")


@require_http_methods(["GET", "POST"])
def approve_minutes(request, slug: str, pk: int):
    found = access.meeting_get_for_user(user=request.user, slug=slug, pk=pk, edit=True)
    form = ApproveForm(request.POST or None, initial={"version": found.version})
    if request.method == "POST" and form.is_valid():
        try:
            done = services.meeting_approve_minutes(
                meeting=found, user=request.user, version=form.cleaned_data["version"], on=form.cleaned_data["on"]
            )
        except ValidationError as exc:
            _stale(form, exc, found)
        else:
            messages.success(request, f"Minutes approved {date_words(done.minutes_approved_on)}.")
            return _to_meeting(found, "#publication")
    return render(
        request, "governance/meetings/approve_minutes.html", {"group": found.group, "meeting": found, "form": form}
    )


@require_POST
def publish_minutes(request, slug: str, pk: int):
    found = access.meeting_get_for_user(user=request.user, slug=slug, pk=pk, edit=True)
    form = VersionForm(request.POST)
    try:
        version = form.cleaned_data["version"] if form.is_valid() else -1
        done = services.meeting_publish_minutes(meeting=found, user=request.user, version=version)
    except ValidationError as exc:
        messages.error(request, "The minutes were not published: " + " ".join(f"{m}." for m in exc.messages))
    else:
        messages.success(request, f"Minutes published {date_words(done.minutes_published_on)}.")
    return _to_meeting(found, "#publication")


MEETING = "governance/<str:slug>/meetings/<int:pk>/"
ITEM = MEETING + "items/<int:number>/"

urlpatterns = [
    path("governance/<str:slug>/meetings/new/", meeting_new, name="meeting_new"),
    path(MEETING, meeting, name="meeting"),
    path(MEETING + "items/new/", item_new, name="item_new"),
    path(ITEM, item_edit, name="item_edit"),
    path(ITEM + "paper/", item_paper, name="item_paper"),
    path(ITEM + "remove/", item_remove, name="item_remove"),
    path(ITEM + "move/", item_move, name="item_move"),
    path(ITEM + "minutes/", item_minutes, name="item_minutes"),
    path(ITEM + "dissent/", item_dissent, name="item_dissent"),
    path(ITEM + "interests/", item_interest, name="item_interest"),
    path(ITEM + "dissent/<int:dissent_pk>/remove/", dissent_remove, name="dissent_remove"),
    path(ITEM + "interests/<int:interest_pk>/remove/", interest_remove, name="item_interest_remove"),
    path(MEETING + "publish-agenda/", publish_agenda, name="publish_agenda"),
    path(MEETING + "approve-minutes/", approve_minutes, name="approve_minutes"),
    path(MEETING + "publish-minutes/", publish_minutes, name="publish_minutes"),
]
