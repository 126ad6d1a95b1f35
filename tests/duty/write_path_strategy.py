"""Write-path scenarios (tests/core/test_write_path.py) for the strategy and annual review services."""

import datetime as dt

from tests.core.scenario import Scenario
from tests.duty import factories as f
from vrhub.duty.models import Strategy


def _partnership(w):
    return f.complete_partnership(area=w.havering, vru=w.london)


def _draft(w):
    strategy = f.StrategyFactory(partnership=_partnership(w), version=1, public_health="All six principles.")
    return strategy


def _ready_draft(w):
    strategy = _draft(w)
    strategy.plan_actions.add(w.plan.actions.order_by("pk").first())
    return strategy


def _published(w):
    strategy = _ready_draft(w)
    strategy.state = Strategy.State.PUBLISHED
    strategy.published_on = dt.date(2026, 1, 10)
    strategy.next_review = dt.date(2027, 1, 10)
    strategy.save()
    return strategy


def _start(w):
    from vrhub.duty.services.strategy import strategy_start

    partnership = f.PartnershipFactory(area=w.havering, vru=w.london)
    return lambda: strategy_start(partnership=partnership, user=w.editor, title="Havering strategy")


def _update(w):
    from vrhub.duty.services.strategy import strategy_update

    strategy = _draft(w)
    first, second = w.plan.actions.order_by("pk")[:2]
    strategy.plan_actions.add(first)
    return lambda: strategy_update(
        strategy=strategy, user=w.editor, data={"funding": "Grant and council budget."}, plan_action_ids=[second.pk]
    )


def _publish(w):
    from vrhub.duty.services.strategy import strategy_publish

    earlier = _published(w)
    draft = f.StrategyFactory(partnership=earlier.partnership, version=2, public_health="Revised.")
    draft.plan_actions.add(w.plan.actions.order_by("pk").first())
    return lambda: strategy_publish(strategy=draft, user=w.editor, today=dt.date(2026, 11, 1))


def _revise(w):
    from vrhub.duty.services.strategy import strategy_revise

    published = _published(w)
    return lambda: strategy_revise(strategy=published, user=w.editor)


def _review_record(w):
    from vrhub.duty.services.reviews import review_record

    partnership = _partnership(w)
    data = {
        "year": 2026,
        "reviewed_on": dt.date(2026, 6, 1),
        "problem_changes": "Robbery rose.",
        "progress": "On track.",
        "decisions": "Keep the strategy.",
    }
    return lambda: review_record(partnership=partnership, user=w.editor, data=data, today=dt.date(2026, 7, 1))


def _review_update(w):
    from vrhub.duty.services.reviews import review_update

    review = f.AnnualReviewFactory(partnership=_partnership(w))
    data = {
        "reviewed_on": dt.date(2026, 6, 2),
        "problem_changes": "Robbery rose again.",
        "progress": "Behind.",
        "decisions": "Revise the strategy.",
    }
    return lambda: review_update(review=review, user=w.editor, data=data, today=dt.date(2026, 7, 1))


def _reminders(w):
    from vrhub.duty.services.reviews import review_reminders_send

    _published(w)  # next review 10 January 2027: due soon on 1 December 2026
    return lambda: review_reminders_send(today=dt.date(2026, 12, 1))


SCENARIOS = {
    "duty.strategy.strategy_start": Scenario(_start, actor="editor"),
    "duty.strategy.strategy_update": Scenario(_update, actor="editor"),
    "duty.strategy.strategy_publish": Scenario(_publish, actor="editor"),
    "duty.strategy.strategy_revise": Scenario(_revise, actor="editor"),
    "duty.reviews.review_record": Scenario(_review_record, actor="editor"),
    "duty.reviews.review_update": Scenario(_review_update, actor="editor"),
    "duty.reviews.review_reminders_send": Scenario(_reminders),
}
