"""Free allowances as shared pools: every resource naming the same pool id draws from one balance.

A pool's ``scope`` says whose balance it is: ``billing_account`` and ``account`` pools are one balance for the
whole plan; ``resource`` and ``project`` pools are one balance per resource (a plan resource is one project or
database; with ``count: n`` it holds n of them, so n allowances). Allocation is deterministic: resources draw in
plan order. A per-day allowance is compared per day, with usage assumed even over the month's days
(month_hours / 24).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from infrafit.catalog.model import FreePool, Period, Scope

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


PER_RESOURCE = (Scope.RESOURCE, Scope.PROJECT)


def balance_key(pool: FreePool, resource: str) -> str:
    """The id of the balance ``resource`` draws from: the pool id, or ``pool[resource]`` for a per-resource pool."""
    return f"{pool.pool}[{resource}]" if pool.scope in PER_RESOURCE else pool.pool


class PoolLedger:
    def __init__(self, month_hours: Decimal, free_tier: bool) -> None:
        self.month_hours = month_hours
        self.free_tier = free_tier
        self.states: dict[str, PoolState] = {}
        """balance key (see :func:`balance_key`) -> its state"""

    def applies(self, pool: FreePool) -> bool:
        return self.free_tier or pool.kind == "included"

    def state(self, pool: FreePool, resource: str = "", count: Decimal = Decimal(1)) -> PoolState:
        key = balance_key(pool, resource)
        st = self.states.get(key)
        if st is None:
            amount = self.month_hours if pool.amount == "month_hours" else Decimal(pool.amount)
            if pool.scope in PER_RESOURCE:
                amount *= count
            st = PoolState(pool, amount, amount)
            self.states[key] = st
        return st

    def draw(self, pool: FreePool, monthly: Decimal, resource: str, count: Decimal = Decimal(1)) -> Decimal:
        """Take up to ``monthly`` from the balance ``resource`` draws on; return the monthly quantity that is free."""
        return self.take(self.state(pool, resource, count), monthly, resource)

    def take(self, st: PoolState, monthly: Decimal, resource: str) -> Decimal:
        """Take up to ``monthly`` from one balance (see :meth:`state`) and count it as free; the free quantity."""
        if resource not in st.seen:
            st.seen.add(resource)
            st.resources.append(resource)
        if st.pool.period is Period.DAY:
            daily = monthly * 24 / self.month_hours
            st.used += daily
            take = min(daily, st.remaining)
            st.remaining -= take
            free = take * self.month_hours / 24
        else:
            st.used += monthly
            take = min(monthly, st.remaining)
            st.remaining -= take
            free = take
        st.free += free
        return free

    def bill(self, st: PoolState, quantity: Decimal, cost: Decimal) -> None:
        """Count ``quantity`` a month beyond one balance's allowance, and what it costs."""
        st.billed += quantity
        st.billed_cost += cost
