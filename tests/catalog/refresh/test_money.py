"""Unit conversions: Google Money, base-unit rebasing and price steps to catalog tiers, exact in Decimal."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from infrafit.catalog.refresh.money import PriceError, Step, google_money, rebase, to_tiers

D = Decimal


def test_money_is_units_plus_billionths() -> None:
    # Cloud Run vCPU-second: units "0", nanos 24000 -> 24,000 x 1e-9 = 0.000024
    assert google_money("0", 24000) == D("0.000024")
    # Pub/Sub: units "40", nanos 0 -> $40
    assert google_money("40", 0) == D(40)
    # units 1, nanos 500,000,000 -> 1.5
    assert google_money("1", 500_000_000) == D("1.5")


@pytest.mark.parametrize(("units", "nanos"), [("0", "1.5"), ("0", 1_000_000_000), ("1", -5), ("x", 0)])
def test_bad_money_is_refused(units: object, nanos: object) -> None:
    with pytest.raises(PriceError):
        google_money(units, nanos)


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=0, max_value=999_999_999))
def test_money_round_trips_exactly(units: int, nanos: int) -> None:
    value = google_money(str(units), nanos)
    assert value == D(units) + D(nanos) / D(10**9)
    whole = int(value)
    assert (whole, int((value - whole) * 10**9)) == (units, nanos)


def test_rebase_gibibyte_hour_to_gibibyte_month() -> None:
    # GiBy.h = 2^30 x 3600 By.s = 3,865,470,566,400; GiBy.mo = 2^30 x 2,678,400 By.s = 2,875,910,101,401,600
    # (a 31-day month): one GiB-month is 744 GiB-hours, so $0.00023 per GiB-hour is 0.00023 x 744 = $0.17112.
    assert rebase(D("0.00023"), D(3865470566400), D(2875910101401600)) == D("0.17112")


@given(
    st.integers(min_value=1, max_value=10**9).map(lambda n: D(n) / D(10**9)),
    st.integers(min_value=1, max_value=10**6),
    st.integers(min_value=1, max_value=10**4),
)
def test_rebase_scales_with_the_unit_sizes(price: Decimal, factor: int, k: int) -> None:
    # A unit k times the usage unit (k x factor base units) costs exactly k times as much; converting back gives
    # the price again, exactly (every Google factor divides: GiBy.mo / GiBy.h = 744).
    there = rebase(price, D(factor), D(factor * k))
    assert there == price * k
    assert rebase(there, D(factor * k), D(factor)) == price


def test_steps_to_tiers_with_bounds_and_per() -> None:
    # AWS SQS standard: 0-1M $0, 1M-100B $0.0000004, 100B-200B $0.0000003, over 200B $0.00000024 per request;
    # per 1,000,000 requests: $0.40, $0.30, $0.24; the $0 tier is the free pool, dropped; bounds kept.
    steps = [
        Step(start=D(0), usd=D(0)),
        Step(start=D(10**6), usd=D("0.0000004")),
        Step(start=D(10**11), usd=D("0.0000003")),
        Step(start=D(2 * 10**11), usd=D("0.00000024")),
    ]
    assert to_tiers(steps, per=D(10**6), skip_free=True) == [
        (D(10**11), D("0.4")),
        (D(2 * 10**11), D("0.3")),
        (None, D("0.24")),
    ]


def test_quantity_scale_converts_bounds_and_prices() -> None:
    # Pub/Sub: $0 up to 0.009765625 TiB (10 GiB), then $40 per TiB. In GiB (1,024 per TiB), per 1,024 GiB:
    # bound 0.009765625 x 1024 = 10 GiB; price 40 / 1024 per GiB x 1024 = $40.
    steps = [Step(start=D(0), usd=D(0)), Step(start=D("0.009765625"), usd=D(40))]
    assert to_tiers(steps, per=D(1024), quantity_scale=D(1024)) == [(D(10), D(0)), (None, D(40))]
    assert to_tiers(steps, per=D(1024), quantity_scale=D(1024), skip_free=True) == [(None, D(40))]


@given(
    st.lists(st.integers(min_value=1, max_value=10**12), min_size=0, max_size=6, unique=True),
    st.integers(min_value=1, max_value=10**6),
)
def test_tiers_chain_and_end_unbounded(starts: list[int], per: int) -> None:
    bounds = sorted(starts)
    steps = [Step(start=D(0), usd=D(1))] + [Step(start=D(b), usd=D(1)) for b in bounds]
    tiers = to_tiers(steps, per=D(per))
    assert [t[0] for t in tiers] == [*[D(b) for b in bounds], None]
    assert all(t[1] == per for t in tiers)


def test_steps_must_start_at_zero() -> None:
    with pytest.raises(PriceError, match="starts at 5"):
        to_tiers([Step(start=D(5), usd=D(1))], per=D(1))
