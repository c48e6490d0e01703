"""Price arithmetic: flat, by region, by type, and tiered across the whole plan (tiers are per account and region,
shared across services where the catalog pools them)."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Context, Decimal

from infrafit.catalog.model import Price, PriceForm, Tier

CENT_PRECISION = Decimal("0.0001")
_WIDE = Context(prec=80)  # quantize needs every digit of the result: costs of 10^24 USD overflow the default 28
ZERO = Decimal(0)


def money(value: Decimal) -> Decimal:
    """Round a cost to 1/100 of a cent: fine enough that many small lines still add up honestly."""
    return value.quantize(CENT_PRECISION, rounding=ROUND_HALF_UP, context=_WIDE)


class NoPrice(LookupError):
    pass


def _pick(
    usd: Decimal | None, tiers: list[Tier] | None, regions: Mapping[str, Decimal | PriceForm] | None, region: str | None
) -> Decimal | list[Tier] | None:
    if regions and region is not None and region in regions:
        hit = regions[region]
        if isinstance(hit, Decimal):
            return hit
        return _pick(hit.usd, hit.tiers, hit.regions, region)
    if usd is not None:
        return usd
    return tiers or None


def resolve(price: Price, region: str | None, type_: str | None) -> Decimal | list[Tier]:
    """The price one resource pays, in USD per ``price.per`` units: a flat figure or the tiers it climbs.

    The most specific form wins: the type's (itself flat, tiered or by region), then the region's, then the
    default. Raises NoPrice where none applies."""
    if price.types and type_ in price.types:
        form = price.types[type_]
        if isinstance(form, Decimal):
            return form
        got = _pick(form.usd, form.tiers, form.regions, region)
        if got is None:
            raise NoPrice(f"no price for {type_!r} in {region!r}; priced in: {', '.join(sorted(form.regions or {}))}")
        return got
    got = _pick(price.usd, price.tiers, price.regions, region)
    if got is None:
        priced = sorted(price.regions or {}) or sorted(price.types or {})
        raise NoPrice(f"no price for {region or type_!r}; priced: {', '.join(priced)}")
    return got


def cited_form(price: Price, region: str | None, type_: str | None) -> PriceForm | None:
    """The most specific part of ``price`` that applies here and cites a source of its own, if any."""
    found: PriceForm | None = None
    form: Decimal | PriceForm | None = None
    if price.types and type_ in price.types:
        form = price.types[type_]
    elif price.regions and region is not None:
        form = price.regions.get(region)
    while isinstance(form, PriceForm):
        if form.source:
            found = form
        form = form.regions.get(region) if form.regions and region is not None else None
    return found


def flat_rate(price: Price, region: str | None, type_: str | None) -> Decimal | None:
    """USD per one meter unit, or None when the price that applies is tiered."""
    got = resolve(price, region, type_)
    return None if isinstance(got, list) else got / price.per


class TierLedger:
    """How far into each tier schedule the plan has got; resources climb the tiers in plan order.

    A price's tiers are counted under its ``tier_pool`` (usage the provider aggregates across services: AWS data
    transfer out) or, without one, under the price itself; in either case per region, as providers bill them."""

    def __init__(self) -> None:
        self._consumed: dict[tuple[str, str | None], Decimal] = {}

    @staticmethod
    def key(price: Price, region: str | None) -> tuple[str, str | None]:
        return (price.tier_pool or f"price:{id(price)}", region)

    def used(self, price: Price, region: str | None) -> Decimal:
        """Units already counted against the tiers ``price`` climbs in ``region``."""
        return self._consumed.get(self.key(price, region), ZERO)

    def cost(
        self, price: Price, quantity: Decimal, region: str | None = None, type_: str | None = None
    ) -> tuple[Decimal, Decimal]:
        """(cost, effective unit price) of ``quantity`` more units on the tiers ``price`` has in ``region``."""
        tiers = resolve(price, region, type_)
        if not isinstance(tiers, list):
            raise ValueError("TierLedger.cost needs a tiered price")
        key = self.key(price, region)
        start = self._consumed.get(key, ZERO)
        end = start + quantity
        self._consumed[key] = end
        total = ZERO
        lower = ZERO
        for tier in tiers:
            upper = tier.up_to
            seg_lo = max(start, lower)
            seg_hi = end if upper is None else min(end, upper)
            if seg_hi > seg_lo:
                total += (seg_hi - seg_lo) * tier.usd / price.per
            if upper is None or end <= upper:
                break
            lower = upper
        unit = total / quantity if quantity else tiers[0].usd / price.per
        return total, unit


def describe(price: Price, rate: Decimal, unit: str) -> str:
    """'$0.40 per 1M request' style text for tables."""
    return _describe(price.per, rate, unit)


@functools.lru_cache(maxsize=4096)
def _describe(per: Decimal, rate: Decimal, unit: str) -> str:
    if per == 1:
        return f"${_num(rate)} per {unit}"
    shown = rate * per
    label = {Decimal(1000): "1K", Decimal(1000000): "1M", Decimal(1000000000): "1B"}.get(per, _num(per))
    return f"${_num(shown)} per {label} {unit}"


def _num(value: Decimal) -> str:
    """Prices as people write them: $0.40, $0.02, $0.000024 (cents kept, no trailing noise beyond)."""
    text = format(value.normalize(), "f")
    if "." in text and len(text.split(".")[1]) == 1:
        text += "0"
    return text
