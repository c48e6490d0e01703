"""Cost gates at a point of the cost's range (``--at``), as library functions without a command line."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from infrafit.decisions.changes import diff
from infrafit.decisions.comparison import compare
from infrafit.decisions.gates import Increase, at_label, check_gates, compare_gates, diff_gates, parse_at
from tests.decisions.ranged import toy_result

FIFTY = Decimal(50)
# The toy queue at 12M operations a month is $5.00 (10M billable × $0.50 per million); samples 0, 1, ..., 100
# have the q-th percentile q, so p50 = $50.00 and p95 = $95.00.
SPREAD = list(range(101))


def test_parse_at() -> None:
    assert parse_at(None) is None and parse_at("point") is None and parse_at(" Point ") is None
    assert parse_at("p95") == 95.0 and parse_at("P50") == 50.0 and parse_at("p99.9") == 99.9
    assert parse_at("p0") == 0.0 and parse_at("p100") == 100.0
    for bad in ("95", "p101", "px", "p", "median", "p-5", "p9x"):
        with pytest.raises(ValueError, match=r"give point .* or a percentile from p0 to p100"):
            parse_at(bad)
    assert [at_label(x) for x in (None, 95.0, 99.9, 5.0)] == ["point", "p95", "p99.9", "p5"]


def test_check_gate_at_a_percentile_names_it() -> None:
    r = toy_result("api", "12M/month", SPREAD)
    assert check_gates([r], max_cost=FIFTY) == []  # the point total, $5.00, is under $50
    assert check_gates([r], max_cost=FIFTY, at=50) == []  # p50 is $50.00: not above
    assert check_gates([r], max_cost=FIFTY, at=95) == ["api: p95 $95.00/month is above --max-cost $50.00"]
    assert check_gates([r], max_cost=Decimal(95), at=95) == []


def test_a_plan_without_ranges_is_its_point_total_at_any_percentile() -> None:
    flat = toy_result("flat", "112M/month")  # 110M billable × $0.50 per million = $55.00
    reason = "flat: p95 $55.00/month (no cost range: its point total) is above --max-cost $50.00"
    assert check_gates([flat], max_cost=FIFTY, at=95) == [reason]
    assert check_gates([flat], max_cost=FIFTY) == ["flat: $55.00/month is above --max-cost $50.00"]  # unchanged


def test_compare_gate_at_a_percentile() -> None:
    cmp = compare([toy_result("a", "12M/month", SPREAD), toy_result("b", "14M/month")])  # b: $6.00
    assert compare_gates(cmp, max_cost=FIFTY) == []
    assert compare_gates(cmp, max_cost=FIFTY, at=95) == ["a: p95 $95.00/month is above --max-cost $50.00"]


def test_diff_gates_at_a_percentile() -> None:
    # before: samples 0..100 (p95 $95); after: samples 0, 2, ..., 200 (p95 $190): Δp95 = $95, +100%.
    # The point total ($5.00 on both sides) does not move, so the point gate passes.
    before = toy_result("shop", "12M/month", SPREAD)
    after = toy_result("shop", "12M/month", [2 * x for x in SPREAD])
    d = diff(before, after)
    ten_pct, ten_usd = Increase(kind="percent", amount=Decimal(10)), Increase(kind="money", amount=Decimal(10))
    assert diff_gates(d, max_increase=ten_pct) == [] and diff_gates(d, max_increase=ten_usd) == []
    assert diff_gates(d, max_increase=ten_pct, at=95) == [
        "p95 monthly cost grows by 100.0% (+$95.00), more than --max-increase 10%"
    ]
    assert diff_gates(d, max_increase=ten_usd, at=95) == [
        "p95 monthly cost grows by $95.00, more than --max-increase $10.00"
    ]
    # p50: $50 -> $100, +$50; a $60 limit passes, the ceiling of $90 on the plan after fails at p95 ($190).
    assert diff_gates(d, max_increase=Increase(kind="money", amount=Decimal(60)), at=50) == []
    assert diff_gates(d, max_cost=Decimal(90), at=95) == ["shop (after): p95 $190.00/month is above --max-cost $90.00"]


def test_diff_gate_growth_from_nothing_at_a_percentile() -> None:
    # before: p95 of [0, 0] is $0; after p95 of 0..100 is $95: any growth from $0 fails a percentage.
    before = toy_result("shop", "1M/month", [0, 0])  # 1M operations: inside the 2M free, $0.00
    after = toy_result("shop", "1M/month", SPREAD)
    reasons = diff_gates(diff(before, after), max_increase=Increase(kind="percent", amount=Decimal(10)), at=95)
    assert reasons == ["p95 monthly cost grows from $0.00 (+$95.00), more than --max-increase 10%"]


@settings(max_examples=30, deadline=None)
@given(
    ceiling=st.integers(0, 60),
    at=st.one_of(st.none(), st.floats(0, 100)),
    millions=st.integers(0, 120),
)
def test_without_ranges_every_percentile_is_the_point_total(ceiling: int, at: float | None, millions: int) -> None:
    # A plan with one cost passes or fails the same ceiling at every percentile, and at the point total.
    flat = toy_result("flat", f"{millions}M/month")
    assert bool(check_gates([flat], max_cost=Decimal(ceiling), at=at)) == bool(
        check_gates([flat], max_cost=Decimal(ceiling))
    )


@settings(max_examples=30, deadline=None)
@given(low=st.floats(0, 90), high=st.floats(0, 90))
def test_a_higher_percentile_never_passes_where_a_lower_one_fails(low: float, high: float) -> None:
    # Percentiles are monotone: if the cost at the lower percentile is above the ceiling, so is the higher one's.
    low, high = sorted((low, high))
    r = toy_result("api", "12M/month", [x * 0.37 % 29 for x in range(200)])
    if check_gates([r], max_cost=Decimal(10), at=low):
        assert check_gates([r], max_cost=Decimal(10), at=high)
