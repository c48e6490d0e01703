"""Exact conversions from price-list quantities to catalog prices (Decimal throughout, never float).

A price list states a price as *steps*: from this much usage on (in the list's unit), this much per unit. The
catalog states tiers as ``[{up_to, usd}]`` in its meter's unit, per ``per`` units. Converting one into the other
is a multiplication each way; these functions are the only place it happens, so a property test covers them all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

NANO = Decimal("0.000000001")


class PriceError(ValueError):
    """A price-list figure that cannot be read as money or a quantity."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Step:
    """From ``start`` units of usage on (price-list unit), ``usd`` per unit."""

    start: Decimal
    usd: Decimal


def decimal(value: object, what: str) -> Decimal:
    """A JSON number or numeric string as a Decimal; "Inf" is refused here (callers treat it as no bound)."""
    if isinstance(value, bool) or value is None:
        raise PriceError(f"{what}: {value!r} is not a number")
    try:
        out = Decimal(str(value))
    except InvalidOperation:
        raise PriceError(f"{what}: {value!r} is not a number") from None
    if not out.is_finite():
        raise PriceError(f"{what}: {value!r} is not a finite number")
    return out


def google_money(units: object, nanos: object) -> Decimal:
    """Google's ``Money``: whole ``units`` (an int64, sent as a string) plus ``nanos`` billionths, same sign."""
    whole = decimal(units if units not in (None, "") else 0, "unitPrice.units")
    frac = decimal(nanos if nanos is not None else 0, "unitPrice.nanos")
    if frac != frac.to_integral_value() or not -999_999_999 <= frac <= 999_999_999:
        raise PriceError(f"unitPrice.nanos: {nanos!r} is not a whole number of billionths")
    if whole and frac and (whole > 0) != (frac > 0):
        raise PriceError(f"unitPrice: units {units!r} and nanos {nanos!r} have different signs")
    return whole + frac * NANO


def rebase(usd_per_unit: Decimal, conversion_factor: Decimal, wanted_in_base: Decimal) -> Decimal:
    """A price per ``usageUnit`` (which is ``conversion_factor`` base units) as a price per a unit that is
    ``wanted_in_base`` base units: per base unit, then times the wanted unit's size."""
    if conversion_factor <= 0 or wanted_in_base <= 0:
        raise PriceError("unit conversion factors must be positive")
    return usd_per_unit * wanted_in_base / conversion_factor


def to_tiers(
    steps: Sequence[Step], *, per: Decimal, quantity_scale: Decimal = Decimal(1), skip_free: bool = False
) -> list[tuple[Decimal | None, Decimal]]:
    """Steps as catalog tiers ``(up_to, usd)``: each tier ends where the next step starts (in meter units, i.e.
    times ``quantity_scale``), the last has no bound, prices are per ``per`` meter units.

    ``skip_free`` drops a leading $0 step: the catalog states that allowance as a free pool, and its paid tiers
    keep the price list's bounds (AWS's SQS tiers run 1M-100B, 100B-200B...; the catalog's up_to stay 100B, 200B).
    """
    ordered = sorted(steps, key=lambda s: s.start)
    if not ordered:
        raise PriceError("no price steps")
    if ordered[0].start != 0:
        raise PriceError(f"the first price step starts at {ordered[0].start}, not 0")
    starts = [s.start for s in ordered]
    if len(set(starts)) != len(starts):
        raise PriceError("two price steps start at the same usage")
    tiers: list[tuple[Decimal | None, Decimal]] = []
    for i, step in enumerate(ordered):
        up_to = ordered[i + 1].start * quantity_scale if i + 1 < len(ordered) else None
        tiers.append((up_to, step.usd * per / quantity_scale))
    if skip_free and len(tiers) > 1 and tiers[0][1] == 0:
        tiers = tiers[1:]
    return [(None if u is None else u.normalize(), p.normalize()) for u, p in tiers]
