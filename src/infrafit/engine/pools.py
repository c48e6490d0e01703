"""Free allowances as shared pools: every resource naming the same pool id draws from one balance.

Allocation is deterministic: resources draw in plan order. A per-day allowance is compared per day,
with usage assumed even over the month's days (month_hours / 24).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from infrafit.catalog.model import FreePool, Period

ZERO = Decimal(0)


@dataclass
class PoolState:
    pool: FreePool
    allowance: Decimal  # per period
    remaining: Decimal  # per period
    used: Decimal = ZERO  # per period (summed demand, before the allowance)
    free: Decimal = ZERO  # per month
    billed: Decimal = ZERO  # per month beyond the allowance
    billed_cost: Decimal = ZERO
    resources: list[str] = field(default_factory=list)
    seen: set[str] = field(default_factory=set, repr=False, compare=False)  # `resources` as a set: O(1) membership


class PoolLedger:
    def __init__(self, month_hours: Decimal, free_tier: bool) -> None:
        self.month_hours = month_hours
        self.free_tier = free_tier
        self.states: dict[str, PoolState] = {}

    def applies(self, pool: FreePool) -> bool:
        return self.free_tier or pool.kind == "included"

    def state(self, pool: FreePool) -> PoolState:
        st = self.states.get(pool.pool)
        if st is None:
            amount = self.month_hours if pool.amount == "month_hours" else Decimal(pool.amount)
            st = PoolState(pool, amount, amount)
            self.states[pool.pool] = st
        return st

    def draw(self, pool: FreePool, monthly: Decimal, resource: str) -> Decimal:
        """Take up to ``monthly`` from the pool; return the monthly quantity that is free."""
        st = self.state(pool)
        if resource not in st.seen:
            st.seen.add(resource)
            st.resources.append(resource)
        if pool.period is Period.DAY:
            daily = monthly * 24 / self.month_hours
            st.used += daily
            take = min(daily, st.remaining)
            st.remaining -= take
            return take * self.month_hours / 24
        st.used += monthly
        take = min(monthly, st.remaining)
        st.remaining -= take
        return take

    def record(self, pool: FreePool, free: Decimal, billed: Decimal, billed_cost: Decimal) -> None:
        st = self.state(pool)
        st.free += free
        st.billed += billed
        st.billed_cost += billed_cost
