"""Statistics the workbench reports beside a figure: rates, changes and whether a change is more than chance.

Counts of offences (or victims, or attendances) in a period are treated as Poisson. Two periods are
compared with the exact conditional test: given the total ``n = current + baseline``, the current count
is binomial with ``p = t_current / (t_current + t_baseline)`` when the two rates are equal (``t`` is
each period's length in months). The 95 % interval for the rate ratio comes from the Clopper–Pearson
interval for that binomial proportion. Both come from scipy; nothing here is hand-rolled numerics.

Small numbers: fewer than ``SMALL_NUMBER`` in either period is flagged; counts below ``SUPPRESS_BELOW``
are withheld from public pages and exports (``suppressed``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

METHOD = "exact conditional test for two Poisson counts (binomial), Clopper-Pearson 95% interval"
ALPHA = 0.05
SMALL_NUMBER = 10
SUPPRESS_BELOW = 5


@dataclass(frozen=True)
class Change:
    """The change from a baseline period to a current one, with its test."""

    current: int
    baseline: int
    current_months: int
    baseline_months: int
    percent: float | None  # change in the monthly rate, %; None when the baseline is 0
    rate_ratio: float | None  # current monthly rate / baseline monthly rate; None when undefined
    ci95: tuple[float, float | None] | None  # None: no test possible; upper None: unbounded
    p_value: float | None
    significant: bool | None
    small_numbers: bool

    @property
    def method(self) -> str:
        return METHOD

    def as_json(self) -> dict[str, Any]:
        """The ``significance`` object of the command-line and API contracts."""
        return {
            "p_value": self.p_value,
            "significant": self.significant,
            "method": METHOD,
            "rate_ratio": self.rate_ratio,
            "ci95": list(self.ci95) if self.ci95 is not None else None,
        }

    def words(self) -> str:
        """The change as a councillor reads it: direction, size and whether chance would explain it."""
        if self.current == 0 and self.baseline == 0:
            return "none in either period"
        if self.percent is None:
            head = f"up from none to {self.current:,}"
        elif round(self.percent, 1) == 0:
            head = "no change"
        else:
            head = f"{'up' if self.percent > 0 else 'down'} {abs(self.percent):.1f} %"
        if self.small_numbers:
            return f"{head}; too few to tell whether this is more than chance (fewer than {SMALL_NUMBER})"
        if self.significant:
            return f"{head}, more than chance variation would explain"
        return f"{head}, within what chance variation would explain"


def poisson_change(*, current: int, baseline: int, current_months: int, baseline_months: int) -> Change:
    """Compare two counts over periods of the given lengths (months); the periods may differ in length."""
    if current < 0 or baseline < 0:
        raise ValueError("counts cannot be negative")
    if current_months <= 0 or baseline_months <= 0:
        raise ValueError("each period must be at least one month long")
    scale = baseline_months / current_months  # current monthly rate / baseline monthly rate = (c/tc)/(b/tb)
    percent = None if baseline == 0 else 100.0 * (current * scale / baseline - 1)
    rate_ratio = None if baseline == 0 else current * scale / baseline
    n = current + baseline
    small = min(current, baseline) < SMALL_NUMBER
    if n == 0:
        return Change(current, baseline, current_months, baseline_months, None, None, None, None, None, True)
    p0 = current_months / (current_months + baseline_months)
    from scipy.stats import binomtest  # here, not at import: SciPy takes a second to load, rates need none of it

    test = binomtest(current, n, p0, alternative="two-sided")
    low_p, high_p = test.proportion_ci(confidence_level=1 - ALPHA, method="exact")
    ci = (_ratio(low_p, scale), None if high_p >= 1 else _ratio(high_p, scale))
    p_value = float(test.pvalue)
    return Change(
        current, baseline, current_months, baseline_months, percent, rate_ratio, ci, p_value, p_value < ALPHA, small
    )


def _ratio(p: float, scale: float) -> float:
    """The rate ratio for a binomial proportion p of the current period's share of the total."""
    return (p / (1 - p)) * scale


def rate_per_1000(*, count: float | None, population: float | None, months: int = 12) -> float | None:
    """Annual rate per 1,000 residents (counts over ``months`` scaled to a year); None without a denominator."""
    if count is None or not population or population <= 0 or months <= 0:
        return None
    return 1000.0 * count * (12 / months) / population


def suppressed(count: int | None) -> int | None:
    """The count as public pages and exports may show it: None (shown as "fewer than 5") below 5."""
    if count is None or count < SUPPRESS_BELOW:
        return None
    return count


def is_small(count: int | None) -> bool:
    return count is not None and count < SMALL_NUMBER


def finite(value: float | None) -> float | None:
    """JSON has no infinity or NaN."""
    if value is None or math.isnan(value) or math.isinf(value):
        return None
    return value
