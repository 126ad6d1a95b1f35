"""Annual reviews of the strategy, the review-due banner and the duty_reminders command."""

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.duty import factories as f
from tests.factories import UserFactory
from vrhub.accounts.models import User
from vrhub.core.models import AuditEntry
from vrhub.duty.catalogue import REVIEW_WARNING_DAYS
from vrhub.duty.models import AnnualReview, ReviewReminder, Strategy
from vrhub.duty.services.reviews import review_record, review_reminders_send, review_update

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 1)


@pytest.fixture
def partnership(havering, london):
    return f.complete_partnership(area=havering, vru=london)


def _published(partnership, next_review, version=1):
    return f.StrategyFactory(
        partnership=partnership,
        version=version,
        state=Strategy.State.PUBLISHED,
        published_on=next_review - dt.timedelta(days=365),
        next_review=next_review,
    )


def _data(**kwargs):
    return {
        "year": 2026,
        "reviewed_on": dt.date(2026, 6, 1),
        "problem_changes": "Robbery rose.",
        "progress": "Two of three outcome measures on track.",
        "decisions": "Keep the strategy; add a robbery action.",
        **kwargs,
    }


# Reviews ------------------------------------------------------------------------------------------------------


def test_a_review_is_recorded_with_the_version_it_confirmed_and_audited(partnership, editor):
    strategy = _published(partnership, dt.date(2027, 1, 1))
    review = review_record(partnership=partnership, user=editor, data=_data(strategy=strategy.pk), today=TODAY)
    assert (review.year, review.strategy, review.recorded_by) == (2026, strategy, editor)
    fields = set(
        AuditEntry.objects.filter(object_type="duty.annualreview", object_id=str(review.pk)).values_list(
            "field", flat=True
        )
    )
    assert {"year", "progress", "decisions", "strategy"} <= fields


def test_one_review_a_year(partnership, editor):
    review_record(partnership=partnership, user=editor, data=_data(), today=TODAY)
    with pytest.raises(ValidationError) as exc:
        review_record(partnership=partnership, user=editor, data=_data(progress="Again"), today=TODAY)
    assert exc.value.message_dict["year"] == [
        "The 2026 review of Havering's strategy is already recorded: change that one instead"
    ]
    assert AnnualReview.objects.filter(partnership=partnership).count() == 1


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"year": 2022}, "year", "Year must be a year from 2023 to 2027"),
        ({"reviewed_on": dt.date(2026, 12, 2)}, "reviewed_on", "Date of the review must be today or in the past"),
        ({"decisions": "  "}, "decisions", "Enter decisions"),
        (
            {"progress": "p" * 20_001},
            "progress",
            "Progress against outcome measures must be 20,000 characters or fewer",
        ),
    ],
)
def test_bad_review_input_names_the_field_and_saves_nothing(partnership, editor, change, field, message):
    with pytest.raises(ValidationError) as exc:
        review_record(partnership=partnership, user=editor, data=_data(**change), today=TODAY)
    assert exc.value.message_dict[field][0].startswith(message)
    assert not AnnualReview.objects.exists()


def test_a_strategy_of_another_partnership_is_refused(partnership, editor, lambeth, london):
    other = f.StrategyFactory(partnership=f.PartnershipFactory(area=lambeth, vru=london))
    with pytest.raises(ValidationError) as exc:
        review_record(partnership=partnership, user=editor, data=_data(strategy=other.pk), today=TODAY)
    assert exc.value.message_dict["strategy"] == ["Choose a version of Havering's strategy"]


def test_a_review_is_changed_and_audited(partnership, editor):
    review = review_record(partnership=partnership, user=editor, data=_data(), today=TODAY)
    review_update(review=review, user=editor, data={**_data(), "decisions": "Revise the strategy."}, today=TODAY)
    review.refresh_from_db()
    assert review.decisions == "Revise the strategy."
    entry = AuditEntry.objects.get(
        object_type="duty.annualreview", object_id=str(review.pk), field="decisions", action="update"
    )
    assert (entry.old, entry.new) == ("Keep the strategy; add a robbery action.", "Revise the strategy.")


def test_the_reviews_page_lists_the_history_and_refuses_a_second_review_for_a_year(client, partnership, editor):
    review_record(
        partnership=partnership, user=editor, data=_data(year=2025, reviewed_on=dt.date(2025, 6, 1)), today=TODAY
    )
    review_record(partnership=partnership, user=editor, data=_data(), today=TODAY)
    client.force_login(editor)
    code = partnership.area.code
    page = client.get(reverse("duty:reviews", args=[code])).content.decode()
    assert page.index("2026 review") < page.index("2025 review")
    response = client.post(
        reverse("duty:review_add", args=[code]),
        {"year": "2026", "reviewed_on": "2026-06-03", "problem_changes": "a", "progress": "b", "decisions": "c"},
    )
    assert response.status_code == 200
    assert "The 2026 review of Havering&#x27;s strategy is already recorded" in response.content.decode()
    assert AnnualReview.objects.filter(partnership=partnership).count() == 2


# The banner ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "banner"),
    [
        (-1, "Annual review overdue"),
        (0, "Annual review due soon"),
        (REVIEW_WARNING_DAYS, "Annual review due soon"),
        (REVIEW_WARNING_DAYS + 1, None),
    ],
)
def test_the_strategy_page_shows_the_review_banner(client, partnership, editor, days, banner):
    from django.utils import timezone

    next_review = timezone.localdate() + dt.timedelta(days=days)
    _published(partnership, next_review)
    client.force_login(editor)
    page = client.get(reverse("duty:strategy", args=[partnership.area.code])).content.decode()
    if banner is None:
        assert 'data-testid="review-banner"' not in page
    else:
        assert banner in page
        assert f"{next_review.day} {next_review:%B %Y}" in page.split('data-testid="review-banner"')[1]


# Reminders ----------------------------------------------------------------------------------------------------


@pytest.fixture
def people(partnership, lambeth, london):
    hav_editor = UserFactory(username="hav.ed2", organisation=partnership.area, role=User.Role.BOROUGH_EDITOR)
    return {
        "editor": hav_editor,
        "viewer": UserFactory(username="hav.viewer", organisation=partnership.area, role=User.Role.BOROUGH_VIEWER),
        "inactive": UserFactory(
            username="hav.gone", organisation=partnership.area, role=User.Role.BOROUGH_EDITOR, is_active=False
        ),
        "lambeth": UserFactory(username="lam.ed", organisation=lambeth, role=User.Role.BOROUGH_EDITOR),
        "vru": UserFactory(username="ldn.adm", organisation=london, role=User.Role.VRU_ADMIN),
    }


def test_reminders_go_once_to_the_areas_editors_only(partnership, people, mailoutbox, lambeth, london):
    _published(partnership, TODAY + dt.timedelta(days=30))
    # Lambeth's review is far off: no reminder for Lambeth's editor.
    _published(f.complete_partnership(area=lambeth, vru=london), TODAY + dt.timedelta(days=300))
    sent = review_reminders_send(today=TODAY)
    assert [(r["user"], r["state"]) for r in sent] == [("hav.ed2", "soon")]
    assert [m.to for m in mailoutbox] == [[people["editor"].email]]
    assert "is due on 31 December 2026" in mailoutbox[0].subject
    assert review_reminders_send(today=TODAY) == []
    assert review_reminders_send(today=TODAY + dt.timedelta(days=1)) == []
    assert len(mailoutbox) == 1
    reminder = ReviewReminder.objects.get()
    assert AuditEntry.objects.filter(object_type="duty.reviewreminder", object_id=str(reminder.pk)).exists()


def test_an_overdue_review_is_reminded_once_more(partnership, people, mailoutbox):
    _published(partnership, TODAY + dt.timedelta(days=10))
    review_reminders_send(today=TODAY)
    sent = review_reminders_send(today=TODAY + dt.timedelta(days=11))
    assert [(r["user"], r["state"]) for r in sent] == [("hav.ed2", "overdue")]
    assert "was due on 11 December 2026" in mailoutbox[-1].subject
    assert review_reminders_send(today=TODAY + dt.timedelta(days=40)) == []
    assert len(mailoutbox) == 2


def test_drafts_and_superseded_versions_are_not_reminded(partnership, people, mailoutbox):
    f.StrategyFactory(partnership=partnership, version=1, next_review=TODAY)
    f.StrategyFactory(
        partnership=partnership,
        version=2,
        state=Strategy.State.SUPERSEDED,
        published_on=dt.date(2025, 1, 1),
        next_review=TODAY,
    )
    assert review_reminders_send(today=TODAY) == []
    assert mailoutbox == []


def test_the_command_dry_run_sends_and_records_nothing_and_labels_synthetic(partnership, people, mailoutbox):
    partnership.synthetic = True
    partnership.save()
    _published(partnership, TODAY + dt.timedelta(days=5))
    out = StringIO()
    call_command("duty_reminders", "--today", TODAY.isoformat(), "--dry-run", stdout=out)
    text = out.getvalue()
    assert text.splitlines()[0] == "1 strategy review reminder would be sent on 1 December 2026"
    assert "Havering (SYNTHETIC demo data): hav.ed2, review due soon (6 December 2026)" in text
    assert mailoutbox == [] and not ReviewReminder.objects.exists()
    out = StringIO()
    call_command("duty_reminders", "--today", TODAY.isoformat(), "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["reminders"] == [
        {
            "area": "E09000016",
            "area_name": "Havering",
            "user": "hav.ed2",
            "state": "soon",
            "review_on": "2026-12-06",
            "synthetic": True,
        }
    ]
    assert "SYNTHETIC DEMO DATA" in mailoutbox[0].subject and "SYNTHETIC DEMO DATA" in mailoutbox[0].body


def test_the_command_refuses_a_bad_date():
    with pytest.raises(CommandError, match="--today '2026-13-01' is not a date: give YYYY-MM-DD"):
        call_command("duty_reminders", "--today", "2026-13-01")


def test_a_review_confirming_the_published_version_moves_its_next_review_a_year_on(partnership, editor):
    strategy = _published(partnership, dt.date(2026, 7, 1))
    review_record(partnership=partnership, user=editor, data=_data(strategy=strategy.pk), today=TODAY)
    strategy.refresh_from_db()
    assert strategy.next_review == dt.date(2027, 6, 1)  # a year after the review of 1 June 2026
    entry = AuditEntry.objects.get(object_type="duty.strategy", object_id=str(strategy.pk), field="next_review")
    assert (entry.old, entry.new, entry.actor_id) == ("2026-07-01", "2027-06-01", editor.pk)


def test_a_review_that_revises_leaves_the_published_dates_to_the_new_version(partnership, editor):
    published = _published(partnership, dt.date(2026, 7, 1))
    revision = f.StrategyFactory(partnership=partnership, version=2)
    review_record(partnership=partnership, user=editor, data=_data(strategy=revision.pk), today=TODAY)
    published.refresh_from_db()
    revision.refresh_from_db()
    assert published.next_review == dt.date(2026, 7, 1) and revision.next_review is None
