"""Decisions under uncertainty: the probability that each plan is the cheapest (sample by sample), ranking by p50,
a cost at a percentile, and a diff's change of p50 and p95, on per-sample totals built by hand."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from infrafit.decisions.changes import diff
from infrafit.decisions.comparison import compare
from infrafit.decisions.ranges import cheapest_probabilities, cost_at
from tests.decisions.ranged import toy_result

# Point totals of the toy queue ($0.50 per million operations beyond 2M free a month):
# 12M -> 10M billable × $0.50 = $5.00; 14M -> $6.00; 22M -> $10.00.


def test_uniform_against_a_constant_is_cheapest_half_the_time() -> None:
    # A ~ U(0, 10), B = $5 every month: P(A < 5) = 5/10 = 0.5; with n = 10,000 the standard error is
    # sqrt(0.25 / 10,000) = 0.005, so ±0.02 is four standard errors.
    a = np.random.default_rng(7).uniform(0, 10, 10_000)
    shares, note = cheapest_probabilities([toy_result("a", "12M/month", a), toy_result("b", "12M/month")])
    assert shares[0] == pytest.approx(0.5, abs=0.02)
    assert shares[1] == pytest.approx(1 - shares[0])
    assert note is None  # a plan without ranges is a constant row: the draws are still common


def test_exact_counts_on_small_arrays_and_shared_ties() -> None:
    # Sample by sample: s0 A=1 wins; s1 B=4 wins; s2 A=B=3 tie, half each; s3 C=$6 (constant) beats 9 and 8.
    # P(A) = (1 + 0.5) / 4 = 0.375, P(B) = 0.375, P(C) = 1/4 = 0.25.
    a = toy_result("a", "12M/month", [1, 5, 3, 9])
    b = toy_result("b", "12M/month", [2, 4, 3, 8])
    c = toy_result("c", "14M/month")  # $6.00 in every sample
    shares, note = cheapest_probabilities([a, b, c])
    assert shares == [0.375, 0.375, 0.25]
    assert note is None


def test_different_sample_counts_are_resampled_and_said() -> None:
    # A is $1 in every one of 4 samples, B $2 in every one of 8: whatever the resampling, A is always cheapest.
    a = toy_result("a", "12M/month", [1.0] * 4)
    b = toy_result("b", "12M/month", [2.0] * 8)
    shares, note = cheapest_probabilities([a, b])
    assert shares == [1.0, 0.0]
    assert note is not None and "sample counts differ (4, 8)" in note and "independent" in note


def test_different_seeds_are_said() -> None:
    a = toy_result("a", "12M/month", [1, 3], seed=1)
    b = toy_result("b", "12M/month", [2, 2], seed=2)
    shares, note = cheapest_probabilities([a, b])
    assert shares == [0.5, 0.5]
    assert note is not None and "seeds differ (1, 2)" in note


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.floats(0, 1000), min_size=6, max_size=6), min_size=1, max_size=4))
def test_probabilities_sum_to_one(rows: list[list[float]]) -> None:
    results = [toy_result(f"p{i}", "12M/month", row) for i, row in enumerate(rows)]
    shares, _ = cheapest_probabilities(results)
    assert sum(shares) == pytest.approx(1.0)
    assert all(0 <= s <= 1 for s in shares)


def test_compare_ranks_by_p50_when_a_plan_has_ranges() -> None:
    # X: point $5.00 but samples [0, 8, 8, 8, 20]: p50 = $8.00. Y: $6.00 with no range: p50 = $6.00.
    # By point X is cheaper; by p50 Y is. Per sample Y ($6) beats X in 4 of 5 (8, 8, 8, 20): P(Y) = 0.8.
    x = toy_result("x", "12M/month", [0, 8, 8, 8, 20])
    y = toy_result("y", "14M/month")
    cmp = compare([x, y])
    assert cmp.ranked_by == "p50" and cmp.has_ranges
    assert cmp.cheapest_fitting == "y" and cmp.cheapest_index == 1
    assert [p.p50 for p in cmp.plans] == [8.0, 6.0]
    # p5: 0 + 0.2 × 8 = 1.6; p95: 8 + 0.8 × 12 = 17.6 (linear interpolation between the 4th and 5th samples)
    assert [(p.p5, p.p95) for p in cmp.plans] == [pytest.approx((1.6, 17.6)), (6.0, 6.0)]
    assert [p.rank for p in cmp.plans] == [2, 1]
    assert [p.cheapest_probability for p in cmp.plans] == [pytest.approx(0.2), pytest.approx(0.8)]
    assert [p.delta_vs_cheapest for p in cmp.plans] == [Decimal(-1), Decimal(0)]  # point totals: 5 - 6, 6 - 6


def test_compare_without_ranges_is_unchanged() -> None:
    cmp = compare([toy_result("x", "12M/month"), toy_result("y", "14M/month")])
    assert cmp.ranked_by == "point" and not cmp.has_ranges
    assert cmp.cheapest_fitting == "x"
    assert [p.cheapest_probability for p in cmp.plans] == [None, None]
    assert [p.rank for p in cmp.plans] == [None, None]


def test_cheapest_that_fits_only_among_plans_that_fit() -> None:
    # Z is far cheaper in every sample but has an error finding: it is no option. X and Y share the probability:
    # per sample X = [4, 7], Y = $6: X wins s0, Y wins s1 -> 0.5 each; Z gets none (None: not an option).
    x = toy_result("x", "12M/month", [4, 7])
    y = toy_result("y", "14M/month")
    z = toy_result("z", "12M/month", [0, 0], fits=False)
    cmp = compare([x, y, z])
    assert [p.cheapest_probability for p in cmp.plans] == [0.5, 0.5, None]
    assert cmp.cheapest_fitting == "x"  # p50 5.5 < 6
    assert [p.rank for p in cmp.plans] == [1, 2, None]


def test_no_plan_fits_has_no_probabilities() -> None:
    cmp = compare([toy_result("x", "12M/month", [1, 2], fits=False), toy_result("y", "14M/month", fits=False)])
    assert cmp.cheapest_fitting is None
    assert [p.cheapest_probability for p in cmp.plans] == [None, None]


def test_cost_at_a_percentile() -> None:
    # 101 samples 0, 1, ..., 100: the q-th percentile is q (linear interpolation on an even grid).
    r = toy_result("r", "12M/month", list(range(101)))
    assert cost_at(r, None) == Decimal("5.0000")  # the point total
    assert cost_at(r, 95) == Decimal("95.0") and cost_at(r, 90) == Decimal("90.0")
    assert cost_at(r, 99.5) == Decimal("99.5")
    assert cost_at(toy_result("s", "12M/month"), 95) == Decimal("5.0000")  # no range: the point total


def test_diff_reports_the_change_of_p50_and_p95() -> None:
    # before: $5.00, no range (p50 = p95 = 5); after: samples 0..100, p50 = 50, p95 = 95.
    # Δp50 = 50 - 5 = 45; Δp95 = 95 - 5 = 90; the point total does not move ($5.00 both).
    before = toy_result("shop", "12M/month")
    after = toy_result("shop", "12M/month", list(range(101)))
    d = diff(before, after)
    assert d.has_ranges
    assert d.delta_p50 == pytest.approx(45.0) and d.delta_p95 == pytest.approx(90.0)
    assert d.delta_monthly_cost == 0
    plain = diff(before, toy_result("shop", "14M/month"))
    assert not plain.has_ranges and plain.delta_p50 is None and plain.delta_p95 is None
