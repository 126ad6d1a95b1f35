"""Reads of the data-sharing registers: a partnership's agreements (with review warnings), its s.16
disclosure log and its s.17 information requests; and the local policing body's requests across the
areas it monitors. When something is due comes from the one rule, ``duty.due``."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from vrhub.core.words import count_noun, date_words
from vrhub.duty.catalogue import REVIEW_WARNING_DAYS, AuthorityKind
from vrhub.duty.due import Due, response_due, review_due
from vrhub.duty.models import Disclosure, InformationRequest, Partnership, SharingAgreement
from vrhub.duty.selectors import access

# A request's response is due this many days after it is made unless the policing body sets another date.
REQUEST_DEFAULT_DAYS = 28


def request_default_due(*, requested_on: dt.date) -> dt.date:
    """The due date a new request gets unless the policing body sets another."""
    return requested_on + dt.timedelta(days=REQUEST_DEFAULT_DAYS)


def request_addressees(*, partnership: Partnership) -> list[str]:
    """Whom the policing body may ask: each specified authority the partnership has recorded
    ("Organisation (kind)"), and each kind of specified authority it has not recorded yet."""
    recorded = list(partnership.specified_authorities.order_by("kind", "organisation"))
    names = [f"{a.organisation} ({a.get_kind_display()})" for a in recorded]
    kinds = {a.kind for a in recorded}
    names += [kind.label for kind in AuthorityKind if kind.value not in kinds]
    return names


def agreements_of(*, partnership: Partnership) -> QuerySet[SharingAgreement]:
    return SharingAgreement.objects.filter(partnership=partnership).order_by("review_on", "title", "pk")


def _days(n: int) -> str:
    return count_noun(n, "day")


def agreement_warning(*, review_on: dt.date, today: dt.date) -> tuple[Due, str]:
    """The review state of an agreement and the sentence that says it (text, never colour alone)."""
    due = review_due(review_on, today=today)
    if due == Due.OVERDUE:
        return due, f"Review overdue: it was due on {date_words(review_on)} ({_days((today - review_on).days)} ago)"
    if due == Due.SOON:
        left = (review_on - today).days
        when = "today" if left == 0 else f"in {_days(left)}"
        return due, f"Review due soon: on {date_words(review_on)} ({when})"
    return due, f"Next review on {date_words(review_on)}"


def request_status(*, info_request: InformationRequest, today: dt.date) -> tuple[Due, str]:
    """An s.17 request's state in words: awaiting (and whether overdue), answered or refused, with dates."""
    due = response_due(state=info_request.state, due_on=info_request.due_on, today=today)
    if info_request.state == InformationRequest.State.ANSWERED:
        return due, f"Answered on {date_words(info_request.responded_on)}"
    if info_request.state == InformationRequest.State.REFUSED:
        return due, f"Refused on {date_words(info_request.responded_on)}"
    if due == Due.OVERDUE:
        late = (today - info_request.due_on).days
        return due, f"Awaiting a response: it was due on {date_words(info_request.due_on)} ({_days(late)} ago)"
    if due == Due.SOON:
        return due, f"Awaiting a response, due soon: by {date_words(info_request.due_on)}"
    return due, f"Awaiting a response, due by {date_words(info_request.due_on)}"


def agreement_review_words(*, review_on: dt.date, today: dt.date) -> str:
    """The review date in a register's row, beside the "Overdue" or "Due soon" tag."""
    due = review_due(review_on, today=today)
    if due == Due.OVERDUE:
        return f"Review was due on {date_words(review_on)} ({_days((today - review_on).days)} ago)"
    if due == Due.SOON:
        left = (review_on - today).days
        return f"Review due on {date_words(review_on)} ({'today' if left == 0 else 'in ' + _days(left)})"
    return f"Next review on {date_words(review_on)}"


@dataclass(frozen=True)
class Row:
    obj: Any
    due: Due
    status: str  # a sentence that says it all, the state included
    short: str = ""  # beside the state's tag, where there is one

    @property
    def words(self) -> str:
        return self.short or self.status

    @property
    def warn(self) -> bool:
        return self.due in (Due.SOON, Due.OVERDUE)


def sharing_registers(*, partnership: Partnership, today: dt.date | None = None) -> dict:
    """The three registers of one partnership, with each agreement's review state and each request's."""
    today = today or timezone.localdate()
    agreements = [
        Row(
            a,
            *agreement_warning(review_on=a.review_on, today=today),
            short=agreement_review_words(review_on=a.review_on, today=today),
        )
        for a in agreements_of(partnership=partnership)
    ]
    disclosures = list(
        Disclosure.objects.filter(partnership=partnership).select_related("agreement").order_by("-disclosed_on", "-pk")
    )
    requests = [
        Row(r, *request_status(info_request=r, today=today))
        for r in InformationRequest.objects.filter(partnership=partnership).order_by("-requested_on", "-pk")
    ]
    return {
        "agreements": agreements,
        "agreements_overdue": sum(1 for r in agreements if r.due == Due.OVERDUE),
        "agreements_soon": sum(1 for r in agreements if r.due == Due.SOON),
        "disclosures": disclosures,
        "requests": requests,
        "requests_open": sum(1 for r in requests if r.obj.state == InformationRequest.State.OPEN),
        "requests_overdue": sum(1 for r in requests if r.due == Due.OVERDUE),
        "warning_days": REVIEW_WARNING_DAYS,
        "today": today,
    }


def requests_monitored(*, user, today: dt.date | None = None, state: str = "") -> dict:
    """The s.17 requests of every partnership the user monitors (the local policing body, VRU staff):
    overdue first, then awaiting (soonest due first), then answered and refused (latest first).
    ``state`` narrows to one state (``InformationRequest.State``); anything else means all."""
    today = today or timezone.localdate()
    if access.monitoring_vru(user=user) is None:
        return {"rows": [], "counts": {}, "today": today}
    found = InformationRequest.objects.filter(partnership__in=access.partnerships_visible_to(user=user)).select_related(
        "partnership__area"
    )
    rows = [Row(r, *request_status(info_request=r, today=today)) for r in found]
    order = {Due.OVERDUE: 0, Due.SOON: 1, Due.LATER: 2}

    def key(row: Row):
        r = row.obj
        if r.state == InformationRequest.State.OPEN:
            return (0, order.get(row.due, 2), r.due_on.toordinal(), r.partnership.area.name)
        return (1, 0, -r.responded_on.toordinal(), r.partnership.area.name)

    rows.sort(key=key)
    counts = {
        "all": len(rows),
        "open": sum(1 for r in rows if r.obj.state == InformationRequest.State.OPEN),
        "overdue": sum(1 for r in rows if r.due == Due.OVERDUE),
        "answered": sum(1 for r in rows if r.obj.state == InformationRequest.State.ANSWERED),
        "refused": sum(1 for r in rows if r.obj.state == InformationRequest.State.REFUSED),
    }
    if state in InformationRequest.State.values:
        rows = [r for r in rows if r.obj.state == state]
    return {"rows": rows, "counts": counts, "today": today}


def sharing_due_many(*, partnership_ids: list[int], today: dt.date | None = None) -> dict[int, dict[str, int]]:
    """For the monitoring view: per partnership, how many agreements are overdue for review or due soon,
    and how many s.17 requests are overdue, in two queries however many partnerships (the rule: duty.due)."""
    today = today or timezone.localdate()
    counts = {pk: {"agreements_overdue": 0, "agreements_soon": 0, "requests_overdue": 0} for pk in partnership_ids}
    for pid, review_on in SharingAgreement.objects.filter(partnership_id__in=partnership_ids).values_list(
        "partnership_id", "review_on"
    ):
        due = review_due(review_on, today=today)
        if due == Due.OVERDUE:
            counts[pid]["agreements_overdue"] += 1
        elif due == Due.SOON:
            counts[pid]["agreements_soon"] += 1
    for pid, state, due_on in InformationRequest.objects.filter(partnership_id__in=partnership_ids).values_list(
        "partnership_id", "state", "due_on"
    ):
        if response_due(state=state, due_on=due_on, today=today) == Due.OVERDUE:
            counts[pid]["requests_overdue"] += 1
    return counts
