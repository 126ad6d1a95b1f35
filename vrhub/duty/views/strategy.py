"""The strategy pages: the current version with its readiness check, editing the draft and its links to plan
actions, publishing, revising, and the history of versions with what changed between two of them.

Every object is fetched through ``duty.selectors.access``; the services check again when they write."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vrhub.core.exceptions import NotFound
from vrhub.core.forms import apply_validation_errors
from vrhub.core.words import date_words
from vrhub.duty.catalogue import STRATEGY_CONTENTS
from vrhub.duty.forms_strategy import PublishForm, StrategyForm, StrategyStartForm
from vrhub.duty.models import Strategy
from vrhub.duty.selectors import access
from vrhub.duty.selectors import strategy as selectors
from vrhub.duty.services import strategy as services


def _strategy_context(*, strategy: Strategy, today) -> dict:
    return {
        "strategy": strategy,
        "contents": selectors.strategy_contents(strategy=strategy),
        "actions": selectors.linked_actions(strategy=strategy),
        "programmes": selectors.funded_programmes(strategy=strategy),
        "missing": selectors.strategy_missing(strategy=strategy, today=today),
        "blockers": selectors.publish_blockers(strategy=strategy, today=today)
        if strategy.state == Strategy.State.DRAFT
        else [],
    }


@require_GET
def strategy(request, code: str):
    partnership = access.partnership_get_for_user(user=request.user, code=code)
    today = timezone.localdate()
    versions = selectors.strategies_of(partnership=partnership)
    draft = next((s for s in versions if s.state == Strategy.State.DRAFT), None)
    published = next((s for s in versions if s.state == Strategy.State.PUBLISHED), None)
    shown = draft or published or (versions[0] if versions else None)
    can_edit = access.user_can_edit_partnership(user=request.user, partnership=partnership)
    context = {
        "area": partnership.area,
        "partnership": partnership,
        "versions": versions,
        "draft": draft,
        "published": published,
        "banner": selectors.review_banner(strategy=published, today=today),
        "can_edit": can_edit,
        "start_form": StrategyStartForm() if can_edit and not versions else None,
    }
    if shown is not None:
        context.update(_strategy_context(strategy=shown, today=today))
    return render(request, "duty/strategy/strategy.html", context)


@require_POST
def strategy_start(request, code: str):
    partnership = access.partnership_get_for_user(user=request.user, code=code, edit=True)
    form = StrategyStartForm(request.POST)
    if form.is_valid():
        try:
            created = services.strategy_start(
                partnership=partnership, user=request.user, title=form.cleaned_data["title"]
            )
        except ValidationError as exc:
            apply_validation_errors(form, exc)
        else:
            messages.success(request, "The strategy is started as a draft: write its contents and link its actions.")
            return redirect("duty:strategy_edit", code=code, pk=created.pk)
    for error in form.errors.get("title", []) + form.non_field_errors():
        messages.error(request, error)
    return redirect("duty:strategy", code=code)


@require_http_methods(["GET", "POST"])
def strategy_edit(request, code: str, pk: int):
    strategy = access.strategy_get_for_user(user=request.user, code=code, pk=pk, edit=True)
    partnership = strategy.partnership
    if strategy.state != Strategy.State.DRAFT:
        messages.error(
            request,
            f"Version {strategy.version} is {strategy.get_state_display().lower()} and cannot be changed: "
            "revise the strategy to start a new draft.",
        )
        return redirect("duty:strategy", code=code)
    actions = list(selectors.linkable_actions(partnership=partnership).order_by("plan__area__name", "code"))
    linked = selectors.linked_actions(strategy=strategy)
    # A link to an action of an earlier plan (before the borough's plan moved on) stays choosable until removed.
    choosable = actions + [a for a in linked if a.pk not in {x.pk for x in actions}]
    options = {
        "assessments": selectors.assessments_of(partnership=partnership),
        "actions": choosable,
        "principles": selectors.public_health_principles(),
    }
    if request.method == "POST":
        form = StrategyForm(request.POST, **options)
        if form.is_valid():
            chosen = [int(pk) for pk in form.cleaned_data["plan_actions"]]
            try:
                services.strategy_update(
                    strategy=strategy, user=request.user, data=form.service_data(), plan_action_ids=chosen
                )
            except ValidationError as exc:
                apply_validation_errors(form, exc)
            else:
                n = len(form.cleaned_data["plan_actions"])
                messages.success(request, f"The draft is saved, with {n} plan action{'s' if n != 1 else ''} linked.")
                return redirect("duty:strategy", code=code)
    else:
        initial = {name: getattr(strategy, name) for name in ("title", *services.TEXT_FIELDS, "next_review")}
        initial["assessment"] = str(strategy.assessment_id or "")
        initial["plan_actions"] = [str(a.pk) for a in linked]
        form = StrategyForm(initial=initial, **options)
    return render(
        request,
        "duty/strategy/edit.html",
        {
            "area": partnership.area,
            "partnership": partnership,
            "strategy": strategy,
            "form": form,
            "plans": selectors.delivery_plans(partnership=partnership),
            "content_fields": [form[name] for name, _l, _m in STRATEGY_CONTENTS],
        },
    )


@require_http_methods(["GET", "POST"])
def strategy_publish(request, code: str, pk: int):
    strategy = access.strategy_get_for_user(user=request.user, code=code, pk=pk, edit=True)
    today = timezone.localdate()
    if request.method == "POST":
        form = PublishForm(request.POST)
        if form.is_valid():
            try:
                done = services.strategy_publish(
                    strategy=strategy,
                    user=request.user,
                    published_on=form.cleaned_data["published_on"],
                    next_review=form.cleaned_data["next_review"],
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    apply_validation_errors(form, exc)
                else:
                    for message in exc.messages:
                        messages.error(request, message)
                    return redirect("duty:strategy", code=code)
            else:
                messages.success(
                    request,
                    f"Version {done.version} is published on {date_words(done.published_on)}; "
                    f"its annual review is due by {date_words(done.next_review)}.",
                )
                return redirect("duty:strategy", code=code)
    else:
        form = PublishForm(initial={"next_review": strategy.next_review})
    return render(
        request,
        "duty/strategy/publish.html",
        {
            "area": strategy.partnership.area,
            "partnership": strategy.partnership,
            "strategy": strategy,
            "form": form,
            "blockers": selectors.publish_blockers(strategy=strategy, today=today)
            if strategy.state == Strategy.State.DRAFT
            else [],
        },
    )


@require_POST
def strategy_revise(request, code: str, pk: int):
    strategy = access.strategy_get_for_user(user=request.user, code=code, pk=pk, edit=True)
    try:
        revision = services.strategy_revise(strategy=strategy, user=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("duty:strategy", code=code)
    messages.success(
        request,
        f"Version {revision.version} is a new draft copied from version {strategy.version}, "
        "which stays published until the new version is.",
    )
    return redirect("duty:strategy_edit", code=code, pk=revision.pk)


@require_GET
def strategy_versions(request, code: str):
    partnership = access.partnership_get_for_user(user=request.user, code=code)
    versions = selectors.strategies_of(partnership=partnership)
    return render(
        request,
        "duty/strategy/versions.html",
        {"area": partnership.area, "partnership": partnership, "versions": versions},
    )


@require_GET
def strategy_version(request, code: str, pk: int):
    strategy = access.strategy_get_for_user(user=request.user, code=code, pk=pk)
    context = _strategy_context(strategy=strategy, today=timezone.localdate())
    context.update({"area": strategy.partnership.area, "partnership": strategy.partnership})
    return render(request, "duty/strategy/version.html", context)


def _version_param(request, name: str) -> int:
    value = request.GET.get(name, "")
    if not value.isdigit() or len(value) > 12:
        raise NotFound(f"Choose two versions to compare ({name!r} is not one)")
    return int(value)


@require_GET
def strategy_compare(request, code: str):
    partnership = access.partnership_get_for_user(user=request.user, code=code)
    versions = selectors.strategies_of(partnership=partnership)
    if "from" not in request.GET and len(versions) >= 2:
        return redirect(reverse("duty:strategy_compare", args=[code]) + f"?from={versions[1].pk}&to={versions[0].pk}")
    if "from" not in request.GET:
        messages.error(request, "There is only one version: nothing to compare yet.")
        return redirect("duty:strategy_versions", code=code)
    old = access.strategy_get_for_user(user=request.user, code=code, pk=_version_param(request, "from"))
    new = access.strategy_get_for_user(user=request.user, code=code, pk=_version_param(request, "to"))
    return render(
        request,
        "duty/strategy/compare.html",
        {
            "area": partnership.area,
            "partnership": partnership,
            "versions": versions,
            "diff": selectors.strategy_diff(old=old, new=new),
        },
    )


urlpatterns = [
    path("duty/<str:code>/strategy/", strategy, name="strategy"),
    path("duty/<str:code>/strategy/start/", strategy_start, name="strategy_start"),
    path("duty/<str:code>/strategy/versions/", strategy_versions, name="strategy_versions"),
    path("duty/<str:code>/strategy/compare/", strategy_compare, name="strategy_compare"),
    path("duty/<str:code>/strategy/<int:pk>/", strategy_version, name="strategy_version"),
    path("duty/<str:code>/strategy/<int:pk>/edit/", strategy_edit, name="strategy_edit"),
    path("duty/<str:code>/strategy/<int:pk>/publish/", strategy_publish, name="strategy_publish"),
    path("duty/<str:code>/strategy/<int:pk>/revise/", strategy_revise, name="strategy_revise"),
]
