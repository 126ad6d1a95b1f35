"""Writes of the strategy's annual review: one record per year, and the reminders that it is due.

A review says what changed in the problem, the progress against outcome measures, the decisions, and the
strategy version it revised or confirmed. Confirming the published version moves its next review a year on from
the review; a revision is a new version (``strategy_revise``), whose next review is set when it is published.

Reminders (``duty_reminders``) go to each partnership's editors when its published strategy's next review is due
soon or overdue (``duty.due``, the one rule), once per person, state and review date: each sent e-mail is recorded
(``ReviewReminder``) and audited.
"""

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from vrhub.core.audit import audit_changes, audit_created, diff_fields
from vrhub.core.words import date_words
from vrhub.duty.due import Due
from vrhub.duty.models import TEXT_LIMIT, AnnualReview, Partnership, ReviewReminder, Strategy
from vrhub.duty.selectors import access
from vrhub.duty.selectors.strategy import one_year_on, review_reminders_due

FIRST_YEAR = 2023  # the Duty came into force on 31 January 2023
TEXT = {
    "problem_changes": "What changed in the problem",
    "progress": "Progress against outcome measures",
    "decisions": "Decisions",
}


def _lock(*, partnership_id: int, user) -> Partnership:
    partnership = Partnership.objects.select_for_update().select_related("area").get(pk=partnership_id)
    if not access.user_can_edit_partnership(user=user, partnership=partnership):
        raise PermissionDenied("You can look at this partnership's Duty records but not change them.")
    return partnership


def _clean(*, partnership: Partnership, data: Mapping[str, Any], today: dt.date) -> dict[str, Any]:
    errors: dict[str, str] = {}
    clean: dict[str, Any] = {}
    year = data.get("year")
    if year in (None, ""):
        errors["year"] = "Enter the year the review is for"
    elif not str(year).isdigit() or not FIRST_YEAR <= int(year) <= today.year + 1:
        errors["year"] = f"Year must be a year from {FIRST_YEAR} to {today.year + 1}"
    else:
        clean["year"] = int(year)
    reviewed_on = data.get("reviewed_on")
    if not isinstance(reviewed_on, dt.date):
        errors["reviewed_on"] = "Enter the date of the review as a real date"
    elif reviewed_on > today:
        errors["reviewed_on"] = "Date of the review must be today or in the past"
    elif reviewed_on < dt.date(FIRST_YEAR, 1, 31):
        errors["reviewed_on"] = "Date of the review must be after 31 January 2023, when the Duty came into force"
    else:
        clean["reviewed_on"] = reviewed_on
    for name, label in TEXT.items():
        value = str(data.get(name) or "").replace("\r\n", "\n").strip()
        if not value:
            errors[name] = f"Enter {label[0].lower()}{label[1:]}"
        elif "\x00" in value:
            errors[name] = f"{label} must not contain a NUL character"
        elif len(value) > TEXT_LIMIT:
            errors[name] = f"{label} must be {TEXT_LIMIT:,} characters or fewer (it has {len(value):,})"
        clean[name] = value
    strategy = data.get("strategy")
    if strategy in (None, ""):
        clean["strategy"] = None
    else:
        pk = strategy.pk if isinstance(strategy, Strategy) else strategy
        found = Strategy.objects.filter(partnership=partnership, pk=pk).first() if str(pk).isdigit() else None
        if found is None:
            errors["strategy"] = f"Choose a version of {partnership.area.name}'s strategy"
        clean["strategy"] = found
    if errors:
        raise ValidationError(errors)
    return clean


def review_record(
    *, partnership: Partnership, user, data: Mapping[str, Any], today: dt.date | None = None
) -> AnnualReview:
    """Record the year's review. One per year: a second for the same year is refused, naming the year."""
    today = today or timezone.localdate()
    with transaction.atomic():
        partnership = _lock(partnership_id=partnership.pk, user=user)
        clean = _clean(partnership=partnership, data=data, today=today)
        if partnership.reviews.filter(year=clean["year"]).exists():
            raise ValidationError(
                {
                    "year": f"The {clean['year']} review of {partnership.area.name}'s strategy is already recorded: "
                    "change that one instead"
                }
            )
        review = AnnualReview(partnership=partnership, recorded_by=user, **clean)
        review.full_clean()
        review.save()
        audit_created(actor=user, obj=review, fields=["partnership_id", *clean, "recorded_by_id"])
        _confirm(review=review, user=user)
        return review


def _confirm(*, review: AnnualReview, user) -> None:
    """A review that confirms the published version (rather than revising it) moves that version's next review a
    year on from the review. A revision gets its next review date when it is published."""
    strategy = review.strategy
    if strategy is None or strategy.state != Strategy.State.PUBLISHED:
        return
    next_review = one_year_on(review.reviewed_on)
    if strategy.next_review is not None and next_review <= strategy.next_review:
        return
    audit_changes(
        actor=user,
        obj=strategy,
        changes={"next_review": (strategy.next_review, next_review)},
        object_version=strategy.version,
    )
    strategy.next_review = next_review
    strategy.save(update_fields=["next_review"])


def review_update(*, review: AnnualReview, user, data: Mapping[str, Any], today: dt.date | None = None) -> AnnualReview:
    """Change a recorded review (its year stays unique)."""
    today = today or timezone.localdate()
    with transaction.atomic():
        partnership = _lock(partnership_id=review.partnership_id, user=user)
        review = AnnualReview.objects.get(pk=review.pk)
        clean = _clean(partnership=partnership, data={"year": review.year, **data}, today=today)
        if partnership.reviews.filter(year=clean["year"]).exclude(pk=review.pk).exists():
            raise ValidationError({"year": f"The {clean['year']} review is already recorded: change that one instead"})
        changes = diff_fields(review, clean)
        for name, (_old, new) in changes.items():
            setattr(review, name, new)
        if changes:
            review.full_clean(exclude=["recorded_by"])  # who recorded it stays, even if they have since left
            review.save(update_fields=list(changes))
            audit_changes(actor=user, obj=review, changes=changes)
            _confirm(review=review, user=user)
        return review


def review_reminders_send(*, today: dt.date, dry_run: bool = False) -> list[dict[str, Any]]:
    """E-mail each due reminder once (per person, strategy version, state and review date); returns those sent
    (or, with ``dry_run``, those that would be). Each is recorded and sent in its own transaction, so a run
    stopped part-way can simply run again."""
    sent = []
    for row in review_reminders_due(today=today):
        strategy: Strategy = row["strategy"]
        user = row["user"]
        key = {"strategy": strategy, "user": user, "state": str(row["due"]), "review_on": row["review_on"]}
        if ReviewReminder.objects.filter(**key).exists():
            continue
        area = strategy.partnership.area
        result = {
            "area": area.code,
            "area_name": area.name,
            "user": user.username,
            "state": str(row["due"]),
            "review_on": row["review_on"].isoformat(),
            "synthetic": strategy.partnership.synthetic,
        }
        if not dry_run:
            with transaction.atomic():
                reminder, created = ReviewReminder.objects.get_or_create(**key)
                if not created:
                    continue
                audit_created(actor=None, obj=reminder, fields=["strategy_id", "user_id", "state", "review_on"])
                context = {
                    "area": area,
                    "strategy": strategy,
                    "overdue": row["due"] == Due.OVERDUE,
                    "review_on": date_words(row["review_on"]),
                    "synthetic": strategy.partnership.synthetic,
                    "url": f"{settings.SITE_URL}/duty/{area.code}/reviews/",
                }
                send_mail(
                    subject=render_to_string("duty/strategy/email/review_reminder_subject.txt", context).strip(),
                    message=render_to_string("duty/strategy/email/review_reminder.txt", context),
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    recipient_list=[user.email],
                )
        sent.append(result)
    return sent
