from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from infrafit.catalog.model import FreePool, Period
from infrafit.engine.pools import PoolLedger

SRC = {"source": "https://example.invalid/free", "as_of": date(2026, 1, 1)}


def pool(amount: object, period: Period = Period.MONTH, kind: str = "free_tier") -> FreePool:
    return FreePool(pool="p", meters=["m"], amount=amount, unit="x", period=period, kind=kind, **SRC)  # type: ignore[arg-type]


def test_monthly_pool_is_shared_in_plan_order() -> None:
    ledger = PoolLedger(Decimal(730), free_tier=True)
    p = pool(Decimal(100))
    assert ledger.draw(p, Decimal(70), "a") == Decimal(70)
    assert ledger.draw(p, Decimal(70), "b") == Decimal(30)  # only 30 left
    assert ledger.draw(p, Decimal(10), "c") == Decimal(0)


def test_month_hours_allowance_follows_the_plan_month() -> None:
    ledger = PoolLedger(Decimal(744), free_tier=True)
    p = pool("month_hours")
    # Two VMs of 500 h each against a 744-hour allowance: 500 free, then 244.
    assert ledger.draw(p, Decimal(500), "a") == Decimal(500)
    assert ledger.draw(p, Decimal(500), "b") == Decimal(244)


def test_daily_pool_is_compared_per_day() -> None:
    # 50,000 reads/day free; 2,000,000 reads in a 720-hour (30-day) month = 66,666.67/day.
    ledger = PoolLedger(Decimal(720), free_tier=True)
    free = ledger.draw(pool(Decimal(50_000), Period.DAY), Decimal(2_000_000), "db")
    assert free == Decimal(50_000) * 30  # 1,500,000 free; 500,000 billed
    # Under the allowance each day: everything is free, even though a monthly total of 1.2M > 50,000.
    ledger2 = PoolLedger(Decimal(720), free_tier=True)
    assert ledger2.draw(pool(Decimal(50_000), Period.DAY), Decimal(1_200_000), "db") == Decimal(1_200_000)


def test_free_tier_off_keeps_included_usage() -> None:
    ledger = PoolLedger(Decimal(730), free_tier=False)
    assert not ledger.applies(pool(Decimal(1)))
    assert ledger.applies(pool(Decimal(1), kind="included"))


@given(st.integers(min_value=0, max_value=10**6), st.lists(st.integers(min_value=0, max_value=10**6), max_size=10))
def test_free_remainder_never_negative_and_free_never_exceeds_demand(allowance: int, demands: list[int]) -> None:
    ledger = PoolLedger(Decimal(730), free_tier=True)
    p = pool(Decimal(allowance))
    given_free = Decimal(0)
    for i, d in enumerate(demands):
        got = ledger.draw(p, Decimal(d), f"r{i}")
        assert 0 <= got <= d
        given_free += got
        assert ledger.states["p"].remaining >= 0
    assert given_free == min(Decimal(allowance), Decimal(sum(demands)))
