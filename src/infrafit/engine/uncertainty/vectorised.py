"""The scalar pricer (:mod:`infrafit.engine.pricing`) over a whole sample set at once, as float arrays.

Same rules in the same order: lines draw free pools in plan order (a running balance per sample: min(remaining,
quantity)), hard caps refuse instead of billing, billing units round up, tiers are sums of clipped segments climbed
per account and region, prices per N days are prorated, a plan fee is charged once, each cost is rounded to 1/100 of
a cent. A test holds it to the scalar pricer to the cent on the examples and on random samples.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
import numpy.typing as npt

from infrafit.catalog.model import FreePool, Meter, Period
from infrafit.engine.pools import PER_RESOURCE, balance_key
from infrafit.engine.rates import TierLedger, flat_rate, resolve
from infrafit.engine.uncertainty.quantities import SampledLine
from infrafit.services import Context

__all__ = ["PoolDraw", "PricedSamples", "price_samples"]

Floats = npt.NDArray[np.float64]
EPSILON = 1e-9


@dataclass(kw_only=True)
class PoolDraw:
    """One balance over the samples: its allowance and the demand on it, per its period."""

    allowance: Floats
    remaining: Floats
    used: Floats
    hard: bool

    @property
    def inside(self) -> npt.NDArray[np.bool_]:
        return self.used <= self.allowance * (1 + EPSILON) + EPSILON


@dataclass(kw_only=True)
class PricedSamples:
    totals: Floats
    """USD a month per sample."""
    pools: dict[str, PoolDraw] = field(default_factory=dict)
    """balance key (as ``PoolUse.pool`` names it) -> its draw, in first-drawn order."""


def _money(value: Floats) -> Floats:
    return np.round(value, 4)


def _ceil_to(value: Floats, step: float) -> Floats:
    return np.where(value > 0, np.ceil(value / step - EPSILON) * step, value)


class _Pricer:
    def __init__(self, n: int, month_hours: Decimal, free_tier: bool) -> None:
        self.n = n
        self.month_hours = float(month_hours)
        self.month_hours_dec = month_hours
        self.free_tier = free_tier
        self.pools: dict[str, PoolDraw] = {}
        self.tiers: dict[tuple[str, str | None], Floats] = {}
        self.fees: set[tuple[str, str | None]] = set()

    def line(self, line: SampledLine) -> Floats:
        ctx, total = line.ctx, np.zeros(self.n)
        for key, quantity in line.quantities.items():
            if not quantity.any():
                continue
            total += self._component(ctx, key, ctx.view.meters[key], quantity, line.count)
        view = ctx.view
        fee_key = (view.key, view.plan_name)
        if view.fee is not None and fee_key not in self.fees:
            self.fees.add(fee_key)
            total += round(float(flat_rate(view.fee, ctx.region, ctx.type_name) or 0), 4)
        return total

    def _pool(self, pool: FreePool, name: str, count: Floats) -> PoolDraw:
        key = balance_key(pool, name)
        got = self.pools.get(key)
        if got is None:
            amount = self.month_hours if pool.amount == "month_hours" else float(pool.amount)
            allowance = np.full(self.n, amount) * (count if pool.scope in PER_RESOURCE else 1.0)
            got = PoolDraw(allowance=allowance, remaining=allowance.copy(), used=np.zeros(self.n), hard=pool.hard)
            self.pools[key] = got
        return got

    def _component(self, ctx: Context, key: str, meter: Meter, quantity: Floats, count: Floats) -> Floats:
        remaining = quantity.copy()
        hard = False
        for pool in ctx.view.free:
            if key not in pool.meters or not (self.free_tier or pool.kind == "included"):
                continue
            if not (
                (pool.types is None or ctx.type_name in pool.types)
                and (pool.regions is None or ctx.region in pool.regions)
            ):
                continue
            draw = self._pool(pool, ctx.name, count)
            if pool.period is Period.DAY:
                daily = remaining * 24 / self.month_hours
                draw.used += daily
                take = np.minimum(daily, draw.remaining)
                draw.remaining -= take
                remaining = remaining - take * self.month_hours / 24
            else:
                draw.used += remaining
                take = np.minimum(remaining, draw.remaining)
                draw.remaining -= take
                remaining = remaining - take
            hard = hard or pool.hard
        billable = np.zeros(self.n) if hard else remaining
        if meter.billing_unit:
            billable = _ceil_to(billable, float(meter.billing_unit))
        return self._cost(ctx, key, meter, billable)

    def _cost(self, ctx: Context, key: str, meter: Meter, billable: Floats) -> Floats:
        if key == "instance" and ctx.instance_type is not None:
            return _money(billable * float(ctx.instance_type.hourly[str(ctx.region)]))
        price = meter.price
        if price is None:
            return np.zeros(self.n)
        prorate = 1.0
        if price.period_days:
            prorate = float(self.month_hours_dec / 24 / price.period_days)
        flat = flat_rate(price, ctx.region, ctx.type_name)
        if flat is not None:
            return _money(billable * float(flat * Decimal(repr(prorate))) if prorate != 1.0 else billable * float(flat))
        tiers = resolve(price, ctx.region, ctx.type_name)
        assert isinstance(tiers, list)
        tier_key = TierLedger.key(price, ctx.region)
        start = self.tiers.get(tier_key, np.zeros(self.n))
        end = start + billable
        self.tiers[tier_key] = end
        cost = np.zeros(self.n)
        lower = 0.0
        per = float(price.per)
        for tier in tiers:
            upper = None if tier.up_to is None else float(tier.up_to)
            seg_lo = np.maximum(start, lower)
            seg_hi = end if upper is None else np.minimum(end, upper)
            cost += np.clip(seg_hi - seg_lo, 0, None) * float(tier.usd) / per
            if upper is None:
                break
            lower = upper
        return _money(cost * prorate)


def price_samples(lines: list[SampledLine], n: int, month_hours: Decimal, free_tier: bool) -> PricedSamples:
    """Every sample's monthly total, and each free pool's balance, pricing ``lines`` in order."""
    pricer = _Pricer(n, month_hours, free_tier)
    totals = np.zeros(n)
    for line in lines:
        totals += pricer.line(line)
    return PricedSamples(totals=totals, pools=pricer.pools)
