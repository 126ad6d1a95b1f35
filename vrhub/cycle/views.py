import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from vrhub.core.forms import apply_validation_errors
from vrhub.core.params import int_param
from vrhub.core.spreadsheet import neutralise
from vrhub.cycle import selectors, services
from vrhub.cycle.forms import AcceptForm, CommentForm, QuarterlyUpdateForm, ReplyForm, ReturnForm, SignForm
from vrhub.plans import selectors as plan_selectors
from vrhub.plans import services as plan_services
from vrhub.plans.content import plan_content_hash
from vrhub.plans.forms import PlanActionForm


def _is_vru(user) -> bool:
    return user.is_vru_user


def _areas_editor(user, plan) -> bool:
    return plan_selectors.user_can_edit_area(user=user, plan=plan)


# Quarterly updates -----------------------------------------------------------------------------


def quarters(request, pk: int):
    plan = plan_selectors.plan_get_for_user(user=request.user, pk=pk)
    return render(
        request,
        "cycle/quarters.html",
        {
            "plan": plan,
            "rows": selectors.plan_quarter_progress(plan=plan, today=timezone.localdate()),
            "can_edit": _areas_editor(request.user, plan) and plan.is_current,
            "themes": list(plan.template.themes.all()),
            "trend": selectors.theme_status_trend(plan=plan),
            "can_close": _is_vru(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def quarter_theme(request, pk: int, number: int, theme_code: str):
    plan = plan_selectors.plan_get_for_user(user=request.user, pk=pk)
    quarter = selectors.quarter_get_for_plan(plan=plan, number=number)
    theme = plan_selectors.theme_get_for_plan(plan=plan, code=theme_code)
    can_edit = _areas_editor(request.user, plan) and not quarter.is_closed and plan.is_current
    if request.method == "POST" and not can_edit:
        if quarter.is_closed:
            raise PermissionDenied(f"{quarter.label} is closed; its updates can no longer be changed.")
        raise PermissionDenied("You cannot report progress for this borough.")
    actions = plan_selectors.plan_actions_for_theme(plan=plan, theme=theme, user=request.user)
    by_action = selectors.updates_by_action(plan=plan)
    forms = [
        QuarterlyUpdateForm(request.POST or None, action=a, update=by_action.get(a.pk, {}).get(quarter.number))
        for a in actions
    ]
    error_list = []
    if request.method == "POST":
        if all(f.is_valid() for f in forms):
            try:
                with transaction.atomic():
                    changed = 0
                    for f in forms:
                        # Left blank on a page loaded before the action had an update (version 0): the
                        # person did not touch it, whatever someone else has saved since.
                        if f.is_blank() and (f.update is None or f.cleaned_data["version"] == 0):
                            continue
                        try:
                            result = services.quarterly_update_save(
                                action=f.action,
                                quarter=quarter,
                                user=request.user,
                                progress=f.cleaned_data["progress"],
                                status=f.cleaned_data["status"],
                                measured_value=f.cleaned_data["measured_value"],
                                expected_version=f.cleaned_data["version"],
                            )
                            changed += result is not None
                        except ValidationError as exc:
                            apply_validation_errors(f, exc)
                    if any(f.errors for f in forms):
                        raise ValidationError("invalid")
            except services.ConflictError as exc:
                f = next(f for f in forms if f.action.pk == exc.update.action_id)
                f.add_error(
                    None,
                    f"{f.action.code}'s update was changed by someone else while you were editing it. "
                    "Nothing on this page has been saved: reload the page to see their update.",
                )
            except ValidationError:
                pass
            else:
                messages.success(
                    request, f"{quarter.label}, {theme.title}: {changed} update{'s' if changed != 1 else ''} saved."
                )
                return redirect("cycle:quarter_theme", pk=plan.pk, number=quarter.number, theme_code=theme.code)
        for f in forms:
            for name, errs in f.errors.items():
                href = f"#{f[name].id_for_label}" if name in f.fields else f"#action-{f.action.pk}"
                label = f.fields[name].label if name in f.fields else ""
                for e in errs:
                    error_list.append({"href": href, "message": f"{f.action.code} {label}: {e}" if label else e})
    quarters = selectors.quarters_for_plan(plan=plan)
    rows = [
        {
            "action": f.action,
            "form": f,
            "update": by_action.get(f.action.pk, {}).get(quarter.number),
            "trend": [(q, by_action.get(f.action.pk, {}).get(q.number)) for q in quarters],
        }
        for f in forms
    ]
    progress = next(
        p for p in selectors.plan_quarter_progress(plan=plan, today=timezone.localdate()) if p.quarter.pk == quarter.pk
    )
    return render(
        request,
        "cycle/quarter_theme.html",
        {
            "plan": plan,
            "quarter": quarter,
            "progress": progress,
            "theme": theme,
            "rows": rows,
            "can_edit": can_edit,
            "themes": list(plan.template.themes.all()),
            "error_list": error_list,
        },
    )


@require_POST
def quarter_close(request, pk: int, number: int):
    plan = plan_selectors.plan_get_for_user(user=request.user, pk=pk)
    quarter = selectors.quarter_get_for_plan(plan=plan, number=number)
    try:
        services.quarter_close(quarter=quarter, user=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, f"{quarter.label} is closed for every borough: updates can no longer be changed.")
    return redirect("cycle:quarters", pk=plan.pk)


# Sign-off, submission and review ---------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def sign(request, pk: int):
    plan = plan_selectors.plan_get_for_user(user=request.user, pk=pk)
    if not request.user.is_signatory:
        raise PermissionDenied("Only signatories sign plans.")
    current = plan_content_hash(plan)
    form = SignForm(request.POST or None, initial={"name": request.user.display_name, "content_hash": current})
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_sign(
                plan=plan,
                user=request.user,
                name=form.cleaned_data["name"],
                confirmed=form.cleaned_data["confirmed"],
                seen_hash=form.cleaned_data["content_hash"],
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                apply_validation_errors(form, exc)
            else:
                form.add_error(None, exc.messages[0])
                form.data = form.data.copy()
                form.data["content_hash"] = current
        else:
            messages.success(
                request, f"You have signed the {plan.area.name} plan as {request.user.get_office_display()}."
            )
            return redirect("plans:detail", pk=plan.pk)
    overview = plan_selectors.plan_overview(plan=plan)
    mine = selectors.signature_last_of(plan=plan, user=request.user)
    statuses = services.signatures_status(plan=plan)
    signed_now = any(s["valid"] and s["office"] == request.user.office for s in statuses)
    return render(
        request,
        "cycle/sign.html",
        {
            "plan": plan,
            "form": form,
            "check": overview["check"],
            "problems": _problem_rows(plan, overview["problems"]),
            "content_hash": current,
            "statuses": statuses,
            "signed_now": signed_now,
            "last_signature": mine,
            "changes": selectors.changes_since(plan=plan, since=mine.signed_at) if mine and not signed_now else [],
        },
    )


def _problem_rows(plan, problems) -> list[dict]:
    """The completeness check's items for the sign page: the action, the field in words, the message and a
    link to the action on its theme page."""
    labels = {name: f.label for name, f in PlanActionForm.base_fields.items()}
    rows = []
    for problem, action in problems:
        href = (
            reverse("plans:theme", args=[plan.pk, action.theme.code]) + f"#action-{action.pk}"
            if action
            else reverse("plans:detail", args=[plan.pk])
        )
        rows.append(
            {
                "code": problem.action,
                "title": action.title if action else "",
                "theme": action.theme.title if action else "",
                "field": labels.get(problem.field, "The action itself"),
                "message": problem.message,
                "href": href,
            }
        )
    return rows


@require_POST
def submit(request, pk: int):
    plan = plan_selectors.plan_get_for_user(user=request.user, pk=pk, edit=True)
    try:
        plan = services.plan_submit(plan=plan, user=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        late = " It was submitted after the deadline." if plan.late else ""
        messages.success(request, f"The plan has been submitted to the VRU.{late}")
    return redirect("plans:detail", pk=plan.pk)


@require_http_methods(["GET", "POST"])
def review(request, pk: int):
    plan = plan_selectors.plan_get_for_user(user=request.user, pk=pk)
    if not _is_vru(request.user):
        raise PermissionDenied("Only VRU reviewers review plans.")
    posted = request.POST.get("decision") if request.method == "POST" else None
    return_form = ReturnForm(request.POST if posted == "return" else None)
    # Any other decision (accept, none or nonsense) is read by the accept form, whose decision field says what
    # is wrong with it.
    accept_form = AcceptForm(request.POST if request.method == "POST" and posted != "return" else None)
    form = return_form if posted == "return" else accept_form
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["decision"] == "return":
                services.plan_return(plan=plan, user=request.user, comment=form.cleaned_data["comment"])
                text = "The plan has been returned to the borough for changes."
            else:
                # One call, one transaction: a comment that cannot be saved leaves the plan unaccepted.
                services.plan_accept(plan=plan, user=request.user, comment=form.cleaned_data["comment"])
                text = "The plan has been accepted."
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                apply_validation_errors(form, exc)
            else:
                form.add_error(None, exc.messages[0])
        else:
            messages.success(request, text)
            return redirect("plans:detail", pk=plan.pk)
    return render(
        request,
        "cycle/review.html",
        {
            "plan": plan,
            "return_form": return_form,
            "accept_form": accept_form,
            "has_errors": bool(request.method == "POST" and form.errors),
            "can_decide": plan.is_current and plan.state in services.TRANSITIONS["accept"],
            "threads": selectors.review_threads(plan=plan),
        },
    )


@require_POST
def comment_add(request, pk: int):
    plan = plan_selectors.plan_get_for_user(user=request.user, pk=pk)
    parent = None
    if request.POST.get("parent"):
        # Plain ASCII digits only: int() reads " 1" and "١" (and refuses "²"), and an unbounded number
        # overflows a database integer.
        number = int_param(request.POST["parent"], minimum=1, maximum=2**31 - 1)
        if number is None:
            raise PermissionDenied(
                f"The comment you are replying to (parent={request.POST['parent'][:40]!r}) is not a comment number."
            )
        parent = selectors.comment_get_for_plan(plan=plan, pk=number)
        form = ReplyForm(request.POST)
    else:
        form = CommentForm(request.POST, targets=selectors.comment_targets(plan=plan))
    if form.is_valid():
        action = theme = None
        target = form.cleaned_data.get("target", "")
        if target.startswith("action:"):
            action = plan.actions.filter(pk=int(target.split(":")[1])).first()
        elif target.startswith("theme:"):
            theme = plan.template.themes.filter(pk=int(target.split(":")[1])).first()
        try:
            services.review_comment_add(
                plan=plan, user=request.user, body=form.cleaned_data["body"], action=action, theme=theme, parent=parent
            )
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, "Your reply has been added." if parent else "Your comment has been added.")
            return redirect(reverse("plans:detail", args=[plan.pk]) + "#review-comments")
    else:
        # Say what is wrong with which field (a comment that is too long is not "Enter a comment").
        for name, errors in form.errors.items():
            for error in errors:
                messages.error(request, f"{form.fields[name].label}: {error}" if name in form.fields else error)
    return redirect(reverse("plans:detail", args=[plan.pk]) + "#review-comments")


def _back_to_comment(request, plan, comment):
    """Back to where the button was: the theme page the comment shows on, or the plan page's list."""
    if request.POST.get("back") == "theme" and comment.theme_id:
        return redirect(reverse("plans:theme", args=[plan.pk, comment.theme.code]) + f"#comment-{comment.pk}")
    return redirect(reverse("plans:detail", args=[plan.pk]) + f"#comment-{comment.pk}")


@require_POST
def comment_addressed(request, pk: int, comment_pk: int):
    plan = plan_selectors.plan_get_for_user(user=request.user, pk=pk, edit=True)
    comment = selectors.comment_get_for_plan(plan=plan, pk=comment_pk)
    try:
        services.review_comment_mark_addressed(comment=comment, user=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, f"The comment on {comment.about} is marked addressed.")
    return _back_to_comment(request, plan, comment)


@require_POST
def comment_reopen(request, pk: int, comment_pk: int):
    plan = plan_selectors.plan_get_for_user(user=request.user, pk=pk)
    if not _is_vru(request.user):
        raise PermissionDenied("Only VRU reviewers reopen review comments.")
    comment = selectors.comment_get_for_plan(plan=plan, pk=comment_pk)
    try:
        services.review_comment_reopen(comment=comment, user=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, f"The comment on {comment.about} is open again.")
    return _back_to_comment(request, plan, comment)


@require_POST
def new_version(request, pk: int):
    plan = plan_selectors.plan_get_for_user(user=request.user, pk=pk, edit=True)
    try:
        new = plan_services.plan_new_version(plan=plan, user=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("plans:detail", pk=plan.pk)
    messages.success(
        request, f"Version {new.version} of the plan has been started. It needs signing and submitting again."
    )
    return redirect("plans:detail", pk=new.pk)


# History ---------------------------------------------------------------------------------------


def action_history(request, pk: int, action_pk: int):
    action = plan_selectors.plan_action_get_for_user(user=request.user, plan_pk=pk, pk=action_pk)
    if not plan_selectors.is_own_plan(user=request.user, plan=action.plan):
        # The history names people and holds internal documents and review comments: it stays with the
        # borough and its VRU, even when peers may read the accepted plan itself.
        raise Http404("No such action history")
    entries = selectors.action_history(action=action)
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        stamp = timezone.localtime().strftime("%Y%m%d")
        response["Content-Disposition"] = (
            f'attachment; filename="{action.plan.area.code}-{action.code}-history-{stamp}.csv"'
        )
        writer = csv.writer(response)
        writer.writerow(["when", "who", "change", "object", "field", "old", "new"])
        for e in entries:
            writer.writerow(
                [
                    timezone.localtime(e.at).isoformat(),
                    neutralise(e.actor.display_name) if e.actor else "system",
                    e.get_action_display(),
                    neutralise(e.object_repr),
                    e.field,
                    neutralise(e.old),
                    neutralise(e.new),
                ]
            )
        return response
    return render(request, "cycle/history.html", {"plan": action.plan, "action": action, "entries": entries})


@require_http_methods(["POST"])
def reminders_start(request):
    """A VRU admin sends the quarterly update reminders now, as a background job."""
    from vrhub.jobs.services import job_start

    job = job_start(kind="cycle.reminders", user=request.user, params={})
    return redirect("jobs:detail", pk=job.pk)
