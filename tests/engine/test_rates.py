from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from infrafit.catalog.model import Price, Tier
from infrafit.engine.rates import TierLedger, flat_rate, money

SRC = {"source": "https://example.invalid/price", "as_of": date(2026, 1, 1)}


def s3_like() -> Price:
    # S3 Standard-like tiers: first 50 TB $0.023, next 450 TB $0.022, beyond $0.021 per GB-month.
    return Price(
        tiers=[
            Tier(up_to=Decimal(50_000), usd=Decimal("0.023")),
            Tier(up_to=Decimal(500_000), usd=Decimal("0.022")),
            Tier(up_to=None, usd=Decimal("0.021")),
        ],
        **SRC,
    )


def test_tiers_split_across_boundaries() -> None:
    ledger = TierLedger()
    # 60,000 GB: 50,000 × 0.023 + 10,000 × 0.022 = 1,150 + 220 = 1,370
    cost, _ = ledger.cost(s3_like(), Decimal(60_000))
    assert cost == Decimal(1370)


def test_tiers_are_consumed_across_resources_in_order() -> None:
    ledger = TierLedger()
    price = s3_like()
    first, _ = ledger.cost(price, Decimal(40_000))  # 40,000 × 0.023 = 920
    second, _ = ledger.cost(price, Decimal(20_000))  # 10,000 × 0.023 + 10,000 × 0.022 = 230 + 220 = 450
    assert (first, second) == (Decimal(920), Decimal(450))


def test_flat_rate_prefers_type_then_region_then_usd() -> None:
    price = Price(
        usd=Decimal("0.40"),
        per=Decimal(1_000_000),
        regions={"eu": Decimal("0.50")},
        types={"x": Decimal("0.60")},
        **SRC,
    )
    assert flat_rate(price, "us", None) == Decimal("0.0000004")
    assert flat_rate(price, "eu", None) == Decimal("0.0000005")
    assert flat_rate(price, "eu", "x") == Decimal("0.0000006")


def test_money_rounds_half_up_to_a_hundredth_of_a_cent() -> None:
    assert money(Decimal("0.00005")) == Decimal("0.0001")
    assert money(Decimal("19.68")) == Decimal("19.6800")


@given(st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=8))
def test_tiered_cost_of_parts_equals_cost_of_whole(parts: list[int]) -> None:
    whole, _ = TierLedger().cost(s3_like(), Decimal(sum(parts)))
    ledger = TierLedger()
    summed = sum((ledger.cost(s3_like_shared, Decimal(p))[0] for p in parts), Decimal(0))
    assert summed == whole


s3_like_shared = s3_like()


@given(st.integers(min_value=0, max_value=10**7), st.integers(min_value=0, max_value=10**7))
def test_tiered_cost_never_falls_when_usage_rises(a: int, b: int) -> None:
    low, high = sorted((a, b))
    assert TierLedger().cost(s3_like(), Decimal(low))[0] <= TierLedger().cost(s3_like(), Decimal(high))[0]
