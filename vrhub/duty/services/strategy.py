"""Writes of the strategy: start, change the draft (with its links to plan actions), publish, revise.

Each function runs in one transaction that locks the partnership's row (so two publications, or a publication
and an edit, of one partnership's strategy happen one after the other), re-reads the strategy under that lock,
checks who may act through ``duty.selectors.access``, and audits every change (who, when, old -> new).

Publication: refused while any element of the strategy the readiness rule asks for is missing, or while the
needs assessment it rests on is missing or not agreed (``selectors.strategy.PUBLISH_NEEDS``, which also says why
the partnership and the definition are not conditions). It sets the publication date (today unless given; never
in the future) and the next review (a year on unless given; at most a year on, as the Duty asks for a yearly
review), and supersedes the version published before.
"""

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from vrhub.core.audit import audit_changes, audit_created, audit_deleted, diff_fields
from vrhub.core.words import date_words
from vrhub.duty.catalogue import STRATEGY_CONTENTS
from vrhub.duty.models import TEXT_LIMIT, NeedsAssessment, Partnership, Strategy
from vrhub.duty.selectors import access
from vrhub.duty.selectors.strategy import linkable_actions, one_year_on, publish_blockers
from vrhub.plans.models import PlanAction

TITLE_LIMIT = 200
TEXT_FIELDS = tuple(name for name, _label, _message in STRATEGY_CONTENTS) + ("public_health",)
EDITABLE = ("title", "assessment", *TEXT_FIELDS, "next_review")
LABELS = {name: label for name, label, _m in STRATEGY_CONTENTS} | {
    "title": "Title",
    "public_health": "How it applies the public health approach",
}
ACTIONS_LIMIT = 200  # plan actions one strategy may link
Link = Strategy.plan_actions.through


def _lock(*, partnership_id: int, user) -> Partnership:
    partnership = Partnership.objects.select_for_update().select_related("area").get(pk=partnership_id)
    if not access.user_can_edit_partnership(user=user, partnership=partnership):
        raise PermissionDenied("You can look at this partnership's Duty records but not change them.")
    return partnership


def _locked_strategy(*, strategy: Strategy, user) -> Strategy:
    partnership = _lock(partnership_id=strategy.partnership_id, user=user)
    fresh = Strategy.objects.select_related("assessment").get(pk=strategy.pk)
    fresh.partnership = partnership
    return fresh


def _codes(actions: Iterable[PlanAction]) -> str:
    return ", ".join(sorted(a.code for a in actions))


def _link(*, strategy: Strategy, actions: Iterable[PlanAction], user) -> None:
    rows = Link.objects.bulk_create([Link(strategy_id=strategy.pk, planaction_id=a.pk) for a in actions])
    for row in rows:
        audit_created(actor=user, obj=row, fields=["strategy_id", "planaction_id"])


def strategy_start(*, partnership: Partnership, user, title: str) -> Strategy:
    """The partnership's first strategy, as a draft (version 1). Later versions come from ``strategy_revise``."""
    with transaction.atomic():
        partnership = _lock(partnership_id=partnership.pk, user=user)
        existing = partnership.strategies.order_by("-version").first()
        if existing is not None:
            raise ValidationError(
                {
                    "title": f"{partnership.area.name} already has a strategy (version {existing.version}): "
                    + ("carry on with the draft" if existing.state == Strategy.State.DRAFT else "revise it instead")
                }
            )
        title = (title or "").strip()
        if not title:
            raise ValidationError({"title": "Enter the strategy's title"})
        if len(title) > TITLE_LIMIT:
            raise ValidationError({"title": f"Title must be {TITLE_LIMIT} characters or fewer (it has {len(title)})"})
        strategy = Strategy(partnership=partnership, version=1, title=title)
        strategy.full_clean()
        strategy.save()
        audit_created(actor=user, obj=strategy, fields=["partnership_id", "version", "title", "state"])
        return strategy


def _clean(*, partnership: Partnership, data: Mapping[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    clean: dict[str, Any] = {}
    for name in ("title", *TEXT_FIELDS):
        if name not in data:
            continue
        value = str(data[name] or "").replace("\r\n", "\n").strip()
        limit = TITLE_LIMIT if name == "title" else TEXT_LIMIT
        if "\x00" in value:
            errors[name] = f"{LABELS[name]} must not contain a NUL character"
        elif len(value) > limit:
            errors[name] = f"{LABELS[name]} must be {limit:,} characters or fewer (it has {len(value):,})"
        elif name == "title" and not value:
            errors[name] = "Enter the strategy's title"
        clean[name] = value
    if "assessment" in data:
        assessment = data["assessment"]
        if assessment in (None, ""):
            clean["assessment"] = None
        else:
            pk = assessment.pk if isinstance(assessment, NeedsAssessment) else assessment
            found = (
                NeedsAssessment.objects.filter(partnership=partnership, pk=pk).first() if str(pk).isdigit() else None
            )
            if found is None:
                errors["assessment"] = f"Choose one of {partnership.area.name}'s needs assessments"
            clean["assessment"] = found
    if "next_review" in data:
        value = data["next_review"]
        if value in (None, ""):
            clean["next_review"] = None
        elif not isinstance(value, dt.date):
            errors["next_review"] = "Next review date must be a real date"
        elif value < dt.date(2023, 1, 31):
            errors["next_review"] = "Next review date must be after 31 January 2023, when the Duty came into force"
        else:
            clean["next_review"] = value
    if errors:
        raise ValidationError(errors)
    return clean


def strategy_update(
    *, strategy: Strategy, user, data: Mapping[str, Any], plan_action_ids: Iterable[int] | None = None
) -> Strategy:
    """Change the draft: any of ``EDITABLE`` in ``data``, and (when ``plan_action_ids`` is given) the plan
    actions it links, which must all be actions of the area's current action plan. Only a draft changes."""
    with transaction.atomic():
        strategy = _locked_strategy(strategy=strategy, user=user)
        partnership = strategy.partnership
        if strategy.state != Strategy.State.DRAFT:
            raise ValidationError(
                f"Version {strategy.version} is {strategy.get_state_display().lower()} and cannot be changed: "
                "revise the strategy to start a new draft."
            )
        clean = _clean(partnership=partnership, data={k: v for k, v in data.items() if k in EDITABLE})
        wanted: list[PlanAction] | None = None
        if plan_action_ids is not None:
            ids = list(dict.fromkeys(plan_action_ids))
            if len(ids) > ACTIONS_LIMIT:
                raise ValidationError(
                    {"plan_actions": f"Link {ACTIONS_LIMIT} plan actions or fewer ({len(ids)} chosen)"}
                )
            if any(not str(pk).isdigit() for pk in ids):
                raise ValidationError({"plan_actions": "Choose actions from the list"})
            ids = [int(pk) for pk in ids]
            # An action of the area's current plan; or one linked already (kept when the plan moves on).
            allowed = linkable_actions(partnership=partnership).filter(pk__in=ids)
            kept = strategy.plan_actions.filter(pk__in=ids).exclude(pk__in=allowed.values("pk"))
            wanted = list(allowed) + list(kept)
            if len(wanted) != len(ids):
                raise ValidationError(
                    {"plan_actions": f"Choose only actions of {partnership.area.name}'s current action plan"}
                )
        changes = diff_fields(strategy, clean)
        for name, (_old, new) in changes.items():
            setattr(strategy, name, new)
        if changes:
            strategy.full_clean()
            strategy.save(update_fields=list(changes))
            audit_changes(actor=user, obj=strategy, changes=changes, object_version=strategy.version)
        if wanted is not None:
            current = {a.pk: a for a in strategy.plan_actions.all()}
            wanted_ids = {a.pk for a in wanted}
            gone = Link.objects.filter(strategy_id=strategy.pk).exclude(planaction_id__in=wanted_ids)
            added = [a for a in wanted if a.pk not in current]
            removed = list(gone)
            if added or removed:
                for row in removed:
                    audit_deleted(actor=user, obj=row)
                gone.delete()
                _link(strategy=strategy, actions=added, user=user)
                audit_changes(
                    actor=user,
                    obj=strategy,
                    changes={"plan_actions": (_codes(current.values()), _codes(wanted))},
                    object_version=strategy.version,
                )
        return strategy


def strategy_publish(
    *,
    strategy: Strategy,
    user,
    published_on: dt.date | None = None,
    next_review: dt.date | None = None,
    today: dt.date | None = None,
) -> Strategy:
    """Publish the draft (see the module's docstring for what it needs); supersedes the version published before."""
    today = today or timezone.localdate()
    with transaction.atomic():
        strategy = _locked_strategy(strategy=strategy, user=user)
        if strategy.state != Strategy.State.DRAFT:
            raise ValidationError(f"Version {strategy.version} is already {strategy.get_state_display().lower()}.")
        blockers = publish_blockers(strategy=strategy, today=today)
        if blockers:
            raise ValidationError(
                [f"The strategy cannot be published until every element is in place: {len(blockers)} missing."]
                + [m.message for m in blockers]
            )
        published_on = published_on or today
        if published_on > today:
            raise ValidationError({"published_on": "Publication date must be today or in the past"})
        if published_on < dt.date(2023, 1, 31):
            raise ValidationError(
                {"published_on": "Publication date must be after 31 January 2023, when the Duty came into force"}
            )
        next_review = next_review or strategy.next_review or one_year_on(published_on)
        if next_review <= published_on:
            raise ValidationError({"next_review": "Next review date must be after the publication date"})
        if next_review > one_year_on(published_on):
            raise ValidationError(
                {
                    "next_review": "Next review date must be within a year of publication "
                    f"(by {date_words(one_year_on(published_on))}): the Duty asks for a yearly review"
                }
            )
        for earlier in Strategy.objects.filter(partnership=strategy.partnership, state=Strategy.State.PUBLISHED):
            earlier.state = Strategy.State.SUPERSEDED
            earlier.save(update_fields=["state"])
            audit_changes(
                actor=user,
                obj=earlier,
                changes={"state": (Strategy.State.PUBLISHED, Strategy.State.SUPERSEDED)},
                object_version=earlier.version,
            )
        changes = diff_fields(
            strategy,
            {
                "state": Strategy.State.PUBLISHED,
                "published_on": published_on,
                "next_review": next_review,
                "published_by": user,
            },
        )
        for name, (_old, new) in changes.items():
            setattr(strategy, name, new)
        strategy.full_clean()
        strategy.save(update_fields=list(changes))
        audit_changes(actor=user, obj=strategy, changes=changes, object_version=strategy.version)
        return strategy


def strategy_revise(*, strategy: Strategy, user) -> Strategy:
    """A new draft version copied from the published one, with its links to plan actions."""
    with transaction.atomic():
        strategy = _locked_strategy(strategy=strategy, user=user)
        partnership = strategy.partnership
        if strategy.state != Strategy.State.PUBLISHED:
            raise ValidationError(
                f"Only the published strategy can be revised; version {strategy.version} is "
                f"{strategy.get_state_display().lower()}."
            )
        draft = partnership.strategies.filter(state=Strategy.State.DRAFT).first()
        if draft is not None:
            raise ValidationError(f"Version {draft.version} is already a draft: carry on with it.")
        latest = partnership.strategies.order_by("-version").values_list("version", flat=True).first() or 0
        copied = {name: getattr(strategy, name) for name in ("title", "assessment", *TEXT_FIELDS)}
        revision = Strategy(partnership=partnership, version=latest + 1, state=Strategy.State.DRAFT, **copied)
        revision.full_clean()
        revision.save()
        audit_created(
            actor=user,
            obj=revision,
            fields=["partnership_id", "version", "state", "title", "assessment_id", *TEXT_FIELDS],
        )
        _link(strategy=revision, actions=strategy.plan_actions.all(), user=user)
        return revision
