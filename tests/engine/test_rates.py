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


def test_prices_naming_one_tier_pool_climb_one_schedule() -> None:
    ledger = TierLedger()
    ec2, s3 = (s3_like().model_copy(update={"tier_pool": "dto"}) for _ in range(2))
    ledger.cost(ec2, Decimal(40_000))  # 40,000 × 0.023
    # s3 continues from 40,000: 10,000 × 0.023 + 10,000 × 0.022 = 230 + 220 = 450 (alone it would be 460)
    assert ledger.cost(s3, Decimal(20_000))[0] == Decimal(450)
    # another region counts apart: 20,000 × 0.023 = 460
    assert ledger.cost(s3, Decimal(20_000), "eu")[0] == Decimal(460)


def test_a_region_can_have_its_own_tiers() -> None:
    from infrafit.catalog.model import PriceForm

    seoul = PriceForm(tiers=[Tier(up_to=Decimal(10_240), usd=Decimal("0.126")), Tier(up_to=None, usd=Decimal("0.122"))])
    price = s3_like().model_copy(update={"regions": {"ap-northeast-2": seoul}})
    # 10,240 × 0.126 = 1,290.24 (Infracost's Seoul golden) + 760 × 0.122 = 92.72 → 1,382.96
    assert TierLedger().cost(price, Decimal(11_000), "ap-northeast-2")[0] == Decimal("1382.96")
    assert flat_rate(price, "ap-northeast-2", None) is None
