"""Membership, substitutes, the register of interests and the membership import (part A).

Thin: each view fetches through ``governance.selectors.access`` (a substitute or an interest through its
member's helper), reads through ``governance.selectors.members`` and writes through
``governance.services.members`` / ``member_import``. Members' e-mail addresses appear only on these
signed-in pages."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vrhub.core.exceptions import NotFound
from vrhub.core.forms import apply_validation_errors
from vrhub.core.words import count_noun, date_words
from vrhub.governance.catalogue import Office, QuorumRole, Sector
from vrhub.governance.forms_members import InterestForm, MemberForm, MembersUploadForm, SubstituteForm
from vrhub.governance.selectors import access
from vrhub.governance.selectors.members import community_share, member_fingerprint, member_has_records, membership
from vrhub.governance.services import member_import
from vrhub.governance.services import members as services
from vrhub.workbooks.previews import import_preview_delete, import_preview_read, import_preview_store

SESSION_KEY = "governance_member_imports"


def _context(request, group, **extra) -> dict:
    return {"group": group, "can_edit": access.user_can_edit_group(user=request.user, group=group), **extra}


@require_GET
def members(request, slug: str):
    group = access.group_get_for_user(user=request.user, slug=slug)
    today = timezone.localdate()
    return render(
        request,
        "governance/members/members.html",
        _context(
            request,
            group,
            membership=membership(group=group, on=today),
            share=community_share(group=group, on=today),
            today=today,
        ),
    )


@require_GET
def member(request, slug: str, pk: int):
    found = access.member_get_for_user(user=request.user, slug=slug, pk=pk)
    return _member_page(request, found)


def _member_page(request, found, *, substitute_form=None, interest_form=None, status: int = 200):
    return render(
        request,
        "governance/members/member.html",
        _context(
            request,
            found.group,
            member=found,
            substitutes=found.substitutes.all(),
            interests=found.interests.filter(item__isnull=True),
            substitute_form=substitute_form or SubstituteForm(),
            interest_form=interest_form or InterestForm(),
            in_office=found.in_office_on(timezone.localdate()),
        ),
        status=status,
    )


@require_http_methods(["GET", "POST"])
def member_new(request, slug: str):
    group = access.group_get_for_user(user=request.user, slug=slug, edit=True)
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            made = services.member_add(group=group, user=request.user, data=form.member_data())
        except ValidationError as exc:
            apply_validation_errors(form, exc)
        else:
            messages.success(request, f"{made.name} added to the members.")
            return redirect("governance:members", slug=slug)
    return render(request, "governance/members/member_form.html", _context(request, group, form=form, member=None))


@require_http_methods(["GET", "POST"])
def member_edit(request, slug: str, pk: int):
    found = access.member_get_for_user(user=request.user, slug=slug, pk=pk, edit=True)
    form = MemberForm(request.POST or None, member=found)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_update(
                member=found, user=request.user, data=form.member_data(), loaded=form.cleaned_data["loaded"]
            )
        except ValidationError as exc:
            apply_validation_errors(form, exc)
            # The typed values stay; the page now carries the member as saved, so a second save (after checking)
            # goes through.
            form.data = form.data.copy()
            form.data["loaded"] = member_fingerprint(member=type(found).objects.get(pk=found.pk))
        else:
            messages.success(request, f"{form.cleaned_data['name']}'s membership saved.")
            return redirect("governance:member", slug=slug, pk=pk)
    return render(
        request, "governance/members/member_form.html", _context(request, found.group, form=form, member=found)
    )


@require_http_methods(["GET", "POST"])
def member_remove(request, slug: str, pk: int):
    found = access.member_get_for_user(user=request.user, slug=slug, pk=pk, edit=True)
    if request.method == "POST":
        outcome = services.member_remove(member=found, user=request.user)
        if outcome == "deleted":
            messages.success(request, f"{found.name} removed from the members.")
        else:
            found.refresh_from_db()
            messages.success(
                request,
                f"{found.name}'s term ended on {found.term_end:%-d %B %Y}: the minutes refer to them, so their "
                "record is kept among the past members.",
            )
        return redirect("governance:members", slug=slug)
    return render(
        request,
        "governance/members/member_remove.html",
        _context(request, found.group, member=found, has_records=member_has_records(member=found)),
    )


@require_POST
def substitute_add(request, slug: str, pk: int):
    found = access.member_get_for_user(user=request.user, slug=slug, pk=pk, edit=True)
    form = SubstituteForm(request.POST)
    if form.is_valid():
        try:
            made = services.substitute_add(member=found, user=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            apply_validation_errors(form, exc)
        else:
            messages.success(request, f"{made.name} added as a substitute for {found.name}.")
            return redirect("governance:member", slug=slug, pk=pk)
    return _member_page(request, found, substitute_form=form, status=400)


@require_POST
def substitute_remove(request, slug: str, pk: int, substitute: int):
    found = access.member_get_for_user(user=request.user, slug=slug, pk=pk, edit=True)
    chosen = found.substitutes.filter(pk=substitute).first()
    if chosen is None:
        raise NotFound("No such substitute")
    services.substitute_remove(substitute=chosen, user=request.user)
    messages.success(request, f"{chosen.name} is no longer a substitute for {found.name}.")
    return redirect("governance:member", slug=slug, pk=pk)


@require_POST
def interest_add(request, slug: str, pk: int):
    found = access.member_get_for_user(user=request.user, slug=slug, pk=pk, edit=True)
    form = InterestForm(request.POST)
    if form.is_valid():
        try:
            services.interest_add(member=found, user=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            apply_validation_errors(form, exc)
        else:
            messages.success(request, f"Interest added to {found.name}'s entry in the register.")
            return redirect("governance:member", slug=slug, pk=pk)
    return _member_page(request, found, interest_form=form, status=400)


@require_POST
def interest_remove(request, slug: str, pk: int, interest: int):
    found = access.member_get_for_user(user=request.user, slug=slug, pk=pk, edit=True)
    chosen = found.interests.filter(pk=interest, item__isnull=True).first()
    if chosen is None:
        raise NotFound("No such interest")
    services.interest_remove(interest=chosen, user=request.user)
    messages.success(request, f"Interest removed from {found.name}'s entry in the register.")
    return redirect("governance:member", slug=slug, pk=pk)


# The membership import -----------------------------------------------------------------------------

_CHOICES = {"office": Office, "sector": Sector, "quorum_role": QuorumRole}


def _shown(name: str, value) -> str:
    """A value of the preview in words: labels for codes, "6 March 2019" for dates, "none" for empty."""
    if value in (None, ""):
        return "none"
    if name in _CHOICES:
        return str(_CHOICES[name](value).label)
    if isinstance(value, dt.date):
        return date_words(value)
    return str(value)


def _labelled(preview) -> dict:
    if preview is None:
        return {}
    added = [
        {
            "number": row.number,
            "name": row.name,
            **{k: _shown(k, row.values.get(k)) for k in ("office", "sector")},
            "quorum_role": _shown("quorum_role", row.values.get("quorum_role")).replace("none", "None"),
            "organisation": row.values.get("organisation", ""),
        }
        for row in preview.added
    ]
    changed = [
        {
            "number": c.row.number,
            "name": c.row.name,
            "changes": [
                (member_import.FIELD_LABELS[k], _shown(k, old), _shown(k, new)) for k, (old, new) in c.changes.items()
            ],
        }
        for c in preview.changed
    ]
    return {"preview_added": added, "preview_changed": changed}


def _forget(request, group_pk: int) -> None:
    pending = request.session.get(SESSION_KEY, {})
    for token in [t for t, entry in pending.items() if entry.get("group") == group_pk]:
        import_preview_delete(token=token)
        pending.pop(token)
    request.session[SESSION_KEY] = pending


@require_http_methods(["GET", "POST"])
def members_import(request, slug: str):
    group = access.group_get_for_user(user=request.user, slug=slug, edit=True)
    form = MembersUploadForm(request.POST, request.FILES) if request.method == "POST" else MembersUploadForm()
    preview = None
    token = None
    errors: list[str] = []
    if request.method == "POST" and getattr(request, "upload_too_large", False):
        form.refuse_too_large()
    elif request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        try:
            preview = member_import.member_import_preview(group=group, filename=upload.name, content=content)
        except member_import.ImportRefused as exc:
            errors = exc.errors
            form.add_error("file", f"The list cannot be imported: {count_noun(len(errors), 'problem')} in the file")
        else:
            _forget(request, group.pk)
            if preview.has_changes:
                token = import_preview_store(data=content)
                pending = request.session.get(SESSION_KEY, {})
                pending[token] = {"group": group.pk, "name": upload.name}
                request.session[SESSION_KEY] = pending
    return render(
        request,
        "governance/members/import.html",
        _context(request, group, form=form, preview=preview, token=token, problems=errors, **_labelled(preview)),
        status=400 if form.errors else 200,
    )


@require_POST
def members_import_confirm(request, slug: str):
    """Save a previewed import, or (with ``cancel``) discard it; either way the kept file is deleted."""
    group = access.group_get_for_user(user=request.user, slug=slug, edit=True)
    token = request.POST.get("token", "")
    pending = request.session.get(SESSION_KEY, {})
    entry = pending.get(token) if isinstance(token, str) else None
    if entry and entry.get("group") != group.pk:
        entry = None
    content = import_preview_read(token=token) if entry else None
    if entry:
        import_preview_delete(token=token)
        pending.pop(token, None)
        request.session[SESSION_KEY] = pending
    if "cancel" in request.POST:
        messages.success(request, "Import cancelled: nothing was saved and the uploaded list was deleted.")
        return redirect("governance:members", slug=slug)
    if content is None or entry is None:
        messages.error(request, "That upload has expired or was already used: upload the list again.")
        return redirect("governance:members_import", slug=slug)
    try:
        preview = member_import.member_import_preview(group=group, filename=entry["name"], content=content)
        if preview.fingerprint != request.POST.get("fingerprint"):
            raise ValidationError(
                "The group's membership changed since you checked this list, so nothing was saved: upload it "
                "again to see the changes against the current membership."
            )
        member_import.member_import_save(preview=preview, user=request.user)
    except member_import.ImportRefused as exc:
        messages.error(request, "; ".join(exc.errors) + " Nothing was saved.")
        return redirect("governance:members_import", slug=slug)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("governance:members_import", slug=slug)
    messages.success(
        request,
        f"Membership imported: {count_noun(len(preview.added), 'member')} added, "
        f"{count_noun(len(preview.changed), 'member')} changed, {count_noun(len(preview.left), 'member')} left.",
    )
    return redirect("governance:members", slug=slug)


urlpatterns = [
    path("governance/<str:slug>/members/", members, name="members"),
    path("governance/<str:slug>/members/new/", member_new, name="member_new"),
    path("governance/<str:slug>/members/import/", members_import, name="members_import"),
    path("governance/<str:slug>/members/import/confirm/", members_import_confirm, name="members_import_confirm"),
    path("governance/<str:slug>/members/<int:pk>/", member, name="member"),
    path("governance/<str:slug>/members/<int:pk>/change/", member_edit, name="member_edit"),
    path("governance/<str:slug>/members/<int:pk>/remove/", member_remove, name="member_remove"),
    path("governance/<str:slug>/members/<int:pk>/substitutes/", substitute_add, name="substitute_add"),
    path(
        "governance/<str:slug>/members/<int:pk>/substitutes/<int:substitute>/remove/",
        substitute_remove,
        name="substitute_remove",
    ),
    path("governance/<str:slug>/members/<int:pk>/interests/", interest_add, name="interest_add"),
    path(
        "governance/<str:slug>/members/<int:pk>/interests/<int:interest>/remove/",
        interest_remove,
        name="interest_remove",
    ),
]
