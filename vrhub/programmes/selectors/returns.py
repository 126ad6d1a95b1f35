"""Reading monitoring returns: a programme's returns by year, with the year's reach and spend, and the
fingerprints that tell a form or an import preview whether the returns changed since they were read.

The reach of a year is ``selectors.figures.reach`` (the one rule: summed over quarters, ``None`` when no
return reported a count); nothing here sums people again.
"""

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from vrhub.programmes.models import MonitoringReturn, Programme, ProgrammeAmount
from vrhub.programmes.selectors.figures import Reach, reach


def returns_for(*, programme: Programme) -> QuerySet[MonitoringReturn]:
    """``programme``'s returns, oldest quarter first."""
    return programme.returns.order_by("year", "quarter")


def _state(r: MonitoringReturn | None) -> list:
    if r is None:
        return []
    return [
        r.pk,
        r.year,
        r.quarter,
        r.reached_direct,
        r.reached_indirect,
        sorted((r.reached_by_age or {}).items()),
        r.outputs,
        str(r.spend_to_date) if r.spend_to_date is not None else None,
    ]


def return_version(*, monitoring_return: MonitoringReturn | None) -> str:
    """A short fingerprint of a return's values ("" for no return yet): a form carries it to refuse a stale save."""
    if monitoring_return is None:
        return ""
    return hashlib.sha256(json.dumps(_state(monitoring_return), default=str).encode()).hexdigest()[:32]


def returns_fingerprint(*, programmes: Iterable[Programme]) -> str:
    """A fingerprint of every return, dates and amounts of ``programmes``: an import preview is saved only if
    it is unchanged."""
    pks = sorted({p.pk for p in programmes})
    state = {
        "programmes": list(
            Programme.objects.filter(pk__in=pks).order_by("pk").values_list("pk", "start_date", "end_date")
        ),
        "amounts": list(
            ProgrammeAmount.objects.filter(programme__in=pks)
            .order_by("pk")
            .values_list("programme_id", "year", "amount")
        ),
        "returns": [
            [r.programme_id, *_state(r)]
            for r in MonitoringReturn.objects.filter(programme__in=pks).order_by("programme_id", "year", "quarter")
        ],
    }
    return hashlib.sha256(json.dumps(state, default=str).encode()).hexdigest()


@dataclass(frozen=True)
class ReturnYear:
    """One financial year of a programme's returns."""

    year: int
    returns: list[MonitoringReturn]
    reach: Reach
    amount: Decimal | None  # the programme's amount for the year (None: none set)
    spend_to_date: Decimal | None  # the latest quarter's reported spend to date (None: none reported)

    @property
    def over_amount(self) -> bool:
        return self.amount is not None and self.spend_to_date is not None and self.spend_to_date > self.amount


def return_years(*, programme: Programme) -> list[ReturnYear]:
    """``programme``'s returns grouped by financial year, newest year first, each with the year's reach."""
    rows = list(returns_for(programme=programme))
    amounts = dict(ProgrammeAmount.objects.filter(programme=programme).values_list("year", "amount"))
    years = sorted({r.year for r in rows}, reverse=True)
    found = []
    for year in years:
        of_year = [r for r in rows if r.year == year]
        spent = [r.spend_to_date for r in of_year if r.spend_to_date is not None]
        found.append(
            ReturnYear(
                year=year,
                returns=of_year,
                reach=reach(programmes=[programme], year=year),
                amount=amounts.get(year),
                spend_to_date=spent[-1] if spent else None,
            )
        )
    return found


def year_amount(*, programme: Programme, year: int) -> Decimal | None:
    found = ProgrammeAmount.objects.filter(programme=programme, year=year).first()
    return found.amount if found is not None else None
