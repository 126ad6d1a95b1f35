"""The change test and rates, against computations from first principles (log-gamma sums, bisection)."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vrhub.evidence.statistics import poisson_change, rate_per_1000, suppressed


def log_pmf(k: int, n: int, p: float) -> float:
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1) + k * math.log(p) + (n - k) * math.log1p(-p)


def two_sided_p(c: int, n: int, p: float) -> float:
    """Exact two-sided binomial p-value: the total probability of outcomes no more likely than c."""
    logs = [log_pmf(k, n, p) for k in range(n + 1)]
    cut = logs[c] + 1e-7
    return min(1.0, sum(math.exp(v) for v in logs if v <= cut))


def upper_tail(c: int, n: int, p: float) -> float:
    return sum(math.exp(log_pmf(k, n, p)) for k in range(c, n + 1))


def lower_tail(c: int, n: int, p: float) -> float:
    return sum(math.exp(log_pmf(k, n, p)) for k in range(0, c + 1))


def bisect(f, lo=1e-12, hi=1 - 1e-12):
    """Root of an increasing function f on (lo, hi)."""
    for _ in range(80):
        mid = (lo + hi) / 2
        if f(mid) < 0:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def test_knife_crime_fall_in_the_issue_is_down_17_5_percent_and_more_than_chance():
    change = poisson_change(current=13552, baseline=16429, current_months=12, baseline_months=12)
    assert change.percent == pytest.approx(100 * (13552 / 16429 - 1))
    assert f"{change.percent:.1f}" == "-17.5"
    assert change.significant is True
    assert change.words() == "down 17.5 %, more than chance variation would explain"
    assert change.p_value == pytest.approx(two_sided_p(13552, 13552 + 16429, 0.5), abs=1e-12)


def test_a_small_rise_in_small_numbers_is_flagged_not_called_real():
    change = poisson_change(current=9, baseline=6, current_months=12, baseline_months=12)
    assert change.small_numbers is True
    assert change.significant is False
    assert change.words() == "up 50.0 %; too few to tell whether this is more than chance (fewer than 10)"


@pytest.mark.parametrize(
    ("current", "baseline", "tc", "tb"), [(40, 25, 12, 12), (30, 12, 12, 4), (3, 17, 6, 12), (120, 100, 3, 3)]
)
def test_p_value_and_interval_match_first_principles(current, baseline, tc, tb):
    change = poisson_change(current=current, baseline=baseline, current_months=tc, baseline_months=tb)
    n, p0 = current + baseline, tc / (tc + tb)
    assert change.p_value == pytest.approx(two_sided_p(current, n, p0), rel=1e-6)
    # Clopper-Pearson: P(X >= c | pL) = 0.025 and P(X <= c | pU) = 0.025, then RR = p/(1-p) * tb/tc
    p_low = bisect(lambda p: upper_tail(current, n, p) - 0.025)
    p_high = bisect(lambda p: 0.025 - lower_tail(current, n, p))
    low, high = change.ci95
    assert low == pytest.approx(p_low / (1 - p_low) * tb / tc, rel=1e-5)
    assert high == pytest.approx(p_high / (1 - p_high) * tb / tc, rel=1e-5)
    assert change.rate_ratio == pytest.approx((current / tc) / (baseline / tb))


def test_unequal_periods_compare_monthly_rates_not_totals():
    """12 months against 2 with the same monthly rate is no change (the old workbench said "up 496 %")."""
    change = poisson_change(current=1200, baseline=200, current_months=12, baseline_months=2)
    assert change.percent == pytest.approx(0.0)
    assert change.words() == "no change, within what chance variation would explain"


def test_from_none_to_some_has_no_percentage_and_an_open_interval():
    change = poisson_change(current=14, baseline=0, current_months=12, baseline_months=12)
    assert change.percent is None and change.rate_ratio is None
    assert change.ci95[1] is None
    assert change.words().startswith("up from none to 14")
    assert change.as_json()["ci95"][1] is None


def test_nothing_in_either_period_has_no_test():
    change = poisson_change(current=0, baseline=0, current_months=12, baseline_months=12)
    assert change.p_value is None and change.significant is None
    assert change.words() == "none in either period"


NEGATIVE = r"^counts cannot be negative$"
TOO_SHORT = r"^each period must be at least one month long$"


@pytest.mark.parametrize(
    ("c", "b", "tc", "tb", "message"),
    [
        (-1, 3, 12, 12, NEGATIVE),
        (3, -1, 12, 12, NEGATIVE),
        (3, 3, 0, 12, TOO_SHORT),
        (3, 3, 12, -2, TOO_SHORT),
    ],
)
def test_nonsense_is_refused(c, b, tc, tb, message):
    with pytest.raises(ValueError, match=message):
        poisson_change(current=c, baseline=b, current_months=tc, baseline_months=tb)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 400), st.integers(1, 400), st.integers(1, 24), st.integers(1, 24))
def test_the_interval_holds_the_estimate(current, baseline, tc, tb):
    change = poisson_change(current=current, baseline=baseline, current_months=tc, baseline_months=tb)
    low, high = change.ci95
    assert low <= change.rate_ratio <= high
    assert 0.0 <= change.p_value <= 1.0
    assert change.significant == (change.p_value < 0.05)


def test_rates_per_1000_are_annualised_and_need_a_denominator():
    assert rate_per_1000(count=30, population=12000, months=12) == pytest.approx(2.5)
    assert rate_per_1000(count=15, population=12000, months=6) == pytest.approx(2.5)
    assert rate_per_1000(count=30, population=0) is None
    assert rate_per_1000(count=None, population=1000) is None


def test_counts_below_five_are_withheld():
    assert [suppressed(c) for c in (None, 0, 4, 5, 12)] == [None, None, None, 5, 12]
