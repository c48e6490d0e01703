"""Price arithmetic: flat, by region, by type, and tiered across the whole plan (tiers are per account)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal

from infrafit.catalog.model import Price

CENT_PRECISION = Decimal("0.0001")
_WIDE = Context(prec=80)  # quantize needs every digit of the result: costs of 10^24 USD overflow the default 28
ZERO = Decimal(0)


def money(value: Decimal) -> Decimal:
    """Round a cost to 1/100 of a cent: fine enough that many small lines still add up honestly."""
    return value.quantize(CENT_PRECISION, rounding=ROUND_HALF_UP, context=_WIDE)


class NoPrice(LookupError):
    pass


def flat_rate(price: Price, region: str | None, type_: str | None) -> Decimal | None:
    """USD per one meter unit, or None when the price is tiered."""
    if price.types and type_ in price.types:
        return price.types[type_] / price.per
    if price.regions and region in price.regions:
        return price.regions[region] / price.per
    if price.usd is not None:
        return price.usd / price.per
    if price.tiers:
        return None
    priced = sorted(price.regions or {}) or sorted(price.types or {})
    raise NoPrice(f"no price for {region or type_!r}; priced: {', '.join(priced)}")


class TierLedger:
    """How far into each tiered price the plan has got; resources consume tiers in plan order."""

    def __init__(self) -> None:
        self._consumed: dict[int, Decimal] = {}

    def cost(self, price: Price, quantity: Decimal) -> tuple[Decimal, Decimal]:
        """(cost, effective unit price) of ``quantity`` more units on ``price``'s tiers."""
        assert price.tiers
        start = self._consumed.get(id(price), ZERO)
        end = start + quantity
        self._consumed[id(price)] = end
        total = ZERO
        lower = ZERO
        for tier in price.tiers:
            upper = tier.up_to
            seg_lo = max(start, lower)
            seg_hi = end if upper is None else min(end, upper)
            if seg_hi > seg_lo:
                total += (seg_hi - seg_lo) * tier.usd / price.per
            if upper is None or end <= upper:
                break
            lower = upper
        unit = total / quantity if quantity else price.tiers[0].usd / price.per
        return total, unit


def describe(price: Price, rate: Decimal, unit: str) -> str:
    """'$0.40 per 1M request' style text for tables."""
    per = price.per
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
