"""What one meter charges in one region for one type, and which free pools it draws there.

None of it depends on what has been priced so far, so it is worked out the first time a ledger meets a meter in a
region and type, with the facts it cites recorded then, and every later line of that kind reuses it: a plan of
10,000 resources of a few kinds resolves a few dozen rates, not 25,000.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from infrafit.catalog.lookup import ServiceView
from infrafit.catalog.model import FreePool, Meter
from infrafit.engine.ledger import Ledger
from infrafit.engine.rates import NoPrice, cited_form, describe, flat_rate, money
from infrafit.services import MODELS, Context, ModelError, convert_usage

__all__ = ["MeterRate", "fmt_days", "meter_quantities", "meter_rate", "tiered_cost"]

ONE = Decimal(1)
ZERO = Decimal(0)


@dataclass(frozen=True, slots=True, kw_only=True)
class MeterRate:
    """A meter as one region and type see it, for one ledger."""

    view: ServiceView
    label: str
    """The component's name: the meter's label, with the type for an instance."""
    unit: Decimal | None
    """USD per meter unit, prorated; None when the price is tiered (the ledger's position decides it)."""
    text: str
    """The price as a table shows it (empty for a tiered price: it names the effective rate, known per line)."""
    prorate: Decimal
    suffix: str
    source: str | None
    as_of: date | None
    pools: tuple[FreePool, ...]
    """The free pools this meter draws here, in catalog order."""
    pool_names: tuple[str, ...]
    elsewhere: tuple[FreePool, ...]
    """Pools this line could draw on in another region (a finding says so when it uses the meter)."""


def meter_quantities(ctx: Context) -> dict[str, Decimal]:
    """What a line measures before allowances: its billing model's meters, then the meters fed straight from usage
    (``from_usage``), in the model's order (the order pools are drawn in)."""
    view = ctx.view
    model = MODELS.get(view.model)
    if model is None:  # pragma: no cover - tests/catalog checks every model name
        raise ModelError(f"catalog names an unknown model {view.model!r}")
    quantities = model(ctx)
    for key, fed in view.meters.items():
        if fed.from_usage and key not in quantities:
            quantities[key] = convert_usage(ctx, fed.from_usage, key) * fed.factor * ctx.count
    return quantities


def meter_rate(ctx: Context, key: str, meter: Meter, ledger: Ledger) -> MeterRate:
    """The meter's rate and pools here, from the ledger's memo; the facts they cite are recorded the first time."""
    view = ctx.view
    memo_key = (id(view), key, ctx.region, ctx.type_name)
    hit: MeterRate | None = ledger.rates.get(memo_key)
    if hit is not None and hit.view is view:
        return hit
    rate = _new_rate(ctx, key, meter, ledger)
    ledger.rates[memo_key] = rate
    return rate


def _new_rate(ctx: Context, key: str, meter: Meter, ledger: Ledger) -> MeterRate:
    view = ctx.view
    pools: list[FreePool] = []
    elsewhere: list[FreePool] = []
    for pool in view.free:
        if key not in pool.meters or not ledger.pools.applies(pool):
            continue
        type_ok = pool.types is None or ctx.type_name in pool.types
        region_ok = pool.regions is None or ctx.region in pool.regions
        if not type_ok:
            continue
        if not region_ok:
            elsewhere.append(pool)
            continue
        ledger.pool_meta.setdefault(pool.pool, (pool.unit, pool.label or meter.label))
        ledger.facts.add(pool, f"{view.key} free allowance {pool.pool}")
        pools.append(pool)
    unit, text, prorate, suffix, source, as_of = _price_here(ctx, key, meter, ledger)
    return MeterRate(
        view=view,
        label=meter.label + (f" ({ctx.type_name})" if key == "instance" and ctx.type_name else ""),
        unit=unit,
        text=text,
        prorate=prorate,
        suffix=suffix,
        source=source,
        as_of=as_of,
        pools=tuple(pools),
        pool_names=tuple(p.pool for p in pools),
        elsewhere=tuple(elsewhere),
    )


def _price_here(
    ctx: Context, key: str, meter: Meter, ledger: Ledger
) -> tuple[Decimal | None, str, Decimal, str, str | None, date | None]:
    """(unit price or None when tiered, text, proration, text suffix, source, as of), citing the facts used."""
    view = ctx.view
    if key == "instance" and ctx.instance_type is not None:
        t = ctx.instance_type
        if ctx.region not in t.hourly:
            raise NoPrice(
                f"type {ctx.type_name} has no price in {ctx.region}; priced in: {', '.join(sorted(t.hourly))}"
            )
        hourly = t.hourly[ctx.region]
        ledger.facts.add(t, f"{view.key} {ctx.type_name} hourly price")
        return hourly, f"${hourly} per hour", ONE, "", t.source, t.as_of
    price_ = meter.price
    if price_ is None:
        return ZERO, "not charged", ONE, "", None, None
    label = f"{view.key} {meter.label} price"
    form = cited_form(price_, ctx.region, ctx.type_name)
    source, as_of = price_.source, price_.as_of
    if form is not None and form.source and form.as_of:
        source, as_of = form.source, form.as_of
        ledger.facts.add_grade(label, form.evidence or price_.evidence, source, as_of)
    else:
        ledger.facts.add(price_, label)
    prorate = ONE
    suffix = ""
    if price_.period_days:  # a price per N days, prorated per day of this month
        days = ledger.month_hours / 24
        prorate = days / price_.period_days
        suffix = f" per {price_.period_days} days (× {fmt_days(days)}/{price_.period_days} this month)"
    flat = flat_rate(price_, ctx.region, ctx.type_name)
    if flat is None:
        return None, "", prorate, suffix, source, as_of
    return flat * prorate, describe(price_, flat, meter.unit) + suffix, prorate, suffix, source, as_of


def tiered_cost(
    ctx: Context, meter: Meter, rate: MeterRate, billable: Decimal, ledger: Ledger
) -> tuple[Decimal, Decimal, str]:
    """(unit price, cost, price text) of ``billable`` units climbing the tiers from where the plan has got to."""
    price_ = meter.price
    assert price_ is not None
    cost, unit = ledger.tiers.cost(price_, billable, ctx.region, ctx.type_name)
    text = "tiered: " + describe(price_, unit, meter.unit) + rate.suffix
    return unit * rate.prorate, money(cost * rate.prorate), text


def fmt_days(days: Decimal) -> str:
    return f"{days:.2f}".rstrip("0").rstrip(".")
