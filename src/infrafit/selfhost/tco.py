"""The monthly cost of owning a machine, in closed forms: straight-line amortisation with an optional cost of money
(an annuity), a linear power model, progressive tariffs priced as a bill difference, and the break-even month."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from infrafit.selfhost.facts import Tariff, Tier

__all__ = [
    "TcoLine",
    "amortised",
    "average_watts",
    "bill",
    "break_even_months",
    "charged_hours",
    "energy_kwh",
    "tariff_cost",
]

ZERO = Decimal(0)


@dataclass(frozen=True, kw_only=True)
class TcoLine:
    """One line of the total cost of ownership, with the arithmetic that gave it."""

    key: str
    """hardware, cost_of_money, electricity, uplink, labour."""
    label: str
    monthly_usd: Decimal
    detail: str
    assumed: bool = False
    """True when a default stood in for a figure the plan did not give."""


def amortised(price: Decimal, months: Decimal, yearly_rate: Decimal | None = None) -> tuple[Decimal, Decimal]:
    """(straight-line part, cost of money part) of the monthly charge.

    Straight line: price / months. With a cost of money i a year, the charge is the annuity
    P·r / (1 − (1 + r)^−n), r = i / 12; the cost of money is the annuity less the straight line."""
    straight = price / months
    if not yearly_rate:
        return straight, ZERO
    r = yearly_rate / 12
    annuity = price * r / (1 - (1 + r) ** -int(months)) if months == int(months) else _annuity_float(price, r, months)
    return straight, annuity - straight


def _annuity_float(price: Decimal, r: Decimal, months: Decimal) -> Decimal:
    return Decimal(repr(float(price) * float(r) / (1 - (1 + float(r)) ** -float(months))))


def average_watts(idle: Decimal, peak: Decimal, utilization: Decimal) -> Decimal:
    """P(u) = P_idle + (P_max − P_idle)·u (linear in utilisation: Fan, Weber, Barroso, ISCA 2007)."""
    return idle + (peak - idle) * utilization


def charged_hours(month_hours: Decimal, on_anyway_per_day: Decimal) -> Decimal:
    """The month's hours less those the machine would be on regardless."""
    return month_hours * (24 - on_anyway_per_day) / 24


def energy_kwh(watts: Decimal, hours: Decimal) -> Decimal:
    return watts * hours / 1000


def _tier_of(tiers: tuple[Tier, ...], kwh: Decimal) -> Tier:
    for tier in tiers:
        if tier.up_to is None or kwh <= tier.up_to:
            return tier
    return tiers[-1]


def bill(tariff: Tariff, kwh: Decimal, month: int | None = None) -> Decimal:
    """A month's bill in the tariff's currency: (basic charge of the total's tier + energy tier by tier + per-kWh
    charges) × (1 + VAT + fund). No rounding (real bills round down to 10 won)."""
    tiers = tariff.tiers_for(month)
    if kwh <= 0:
        return ZERO
    energy, below = ZERO, ZERO
    for tier in tiers:
        top = kwh if tier.up_to is None else min(kwh, tier.up_to)
        if top > below:
            energy += (top - below) * tier.energy
        if tier.up_to is None or kwh <= tier.up_to:
            break
        below = tier.up_to
    charge = _tier_of(tiers, kwh).basic + energy + tariff.per_kwh * kwh
    return charge * (1 + tariff.vat + tariff.fund)


def tariff_cost(tariff: Tariff, household_kwh: Decimal, machine_kwh: Decimal, month: int | None = None) -> Decimal:
    """What the machine adds to the household's bill: bill(household + machine) − bill(household)."""
    return bill(tariff, household_kwh + machine_kwh, month) - bill(tariff, household_kwh, month)


def break_even_months(price: Decimal, cloud_monthly: Decimal, running_monthly: Decimal) -> Decimal | None:
    """Months until the purchase is paid back: price / (cloud − running), where running is the self-hosted side
    without the amortisation (the price is paid up front). None when self-hosting never saves."""
    saving = cloud_monthly - running_monthly
    if saving <= 0:
        return None
    return price / saving
