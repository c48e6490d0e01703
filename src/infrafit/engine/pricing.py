"""Pricing a bound resource over a ledger: meters from the billing model, free pools drawn in call order, tiers
consumed per account, a plan's fixed fee charged once. Pure functions of (context, ledger)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from infrafit.catalog.lookup import ServiceView
from infrafit.catalog.model import FreePool, Meter
from infrafit.engine.ledger import Ledger, NoteUser
from infrafit.engine.meters import meter_quantities, meter_rate, tiered_cost
from infrafit.engine.pools import PoolState
from infrafit.engine.rates import NoPrice, flat_rate, money
from infrafit.engine.result import Component, Finding, PoolUse, ResourceResult, Severity
from infrafit.services import Context, ModelError, ceil_to

__all__ = ["NoPrice", "pool_uses", "price"]

ZERO = Decimal(0)


# -- pricing a bound resource over a ledger ------------------------------------------------------------------------


def price(
    ctx: Context,
    ledger: Ledger,
    *,
    origin: str = "plan",
    note_as: str | None = None,
    methods: frozenset[str] = frozenset(),
) -> ResourceResult:
    """Price one bound resource: its model's meters, free pools drawn in call order, tiers, the plan fee.

    ``note_as`` is the resource the catalog's notes name for this line (a derived line names the plan resource it
    adds usage to, so a note is not said twice); ``methods`` are the API methods it calls, for notes scoped by
    method."""
    view = ctx.view
    ledger.providers.add(view.provider.provider)
    shape = _measure(ctx, ledger)
    components = [_component(ctx, key, meter, quantity, ledger) for key, meter, quantity in shape.measured]
    fee_key = (view.key, view.plan_name)
    if view.fee is not None and fee_key not in ledger.fees_charged:
        ledger.fees_charged.add(fee_key)
        fee = money(flat_rate(view.fee, ctx.region, ctx.type_name) or ZERO)
        ledger.facts.add(view.fee, f"{view.key} {view.plan_name} plan fee")
        components.insert(
            0,
            Component(
                name=f"{view.service.name} {view.plan_name} plan fee",
                meter="fee",
                category=view.service.category,
                quantity=Decimal(1),
                unit="month",
                free_quantity=ZERO,
                billable_quantity=Decimal(1),
                unit_price=fee,
                cost=fee,
                price_text=f"${fee:,.2f}/month per account",
                source=view.fee.source,
                as_of=view.fee.as_of,
            ),
        )
    if view.notes:
        user = NoteUser(
            name=note_as or ctx.name, region=ctx.region, type=ctx.type_name, plan=view.plan_name, methods=methods
        )
        ledger.notes.setdefault(fee_key, (view, []))[1].append(user)
    return ResourceResult(
        name=ctx.name,
        service=view.key,
        region=ctx.region,
        type=ctx.type_name if (view.service.types or view.service.variants) else None,
        plan=view.plan_name,
        count=ctx.resource.count,
        category=view.service.category,
        monthly_cost=sum([c.cost for c in components], ZERO),
        components=components,
        vcpu=shape.vcpu,
        memory_bytes=shape.memory_bytes,
        origin=origin,
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class _Shape:
    """What a line of one shape measures: each billed meter's quantity, and the size it holds."""

    view: ServiceView
    measured: tuple[tuple[str, Meter, Decimal], ...]
    """(meter key, meter, quantity) of every meter with a non-zero quantity, in the model's order."""
    vcpu: Decimal
    memory_bytes: Decimal


def _measure(ctx: Context, ledger: Ledger) -> _Shape:
    """What this line measures, shared by every line of the same shape.

    A billing model reads only the resource's sizing and usage (never its name), so lines alike in service, plan,
    region, type, sizing and usage (a module instantiated a thousand times) are measured once per ledger."""
    res = ctx.resource
    key: tuple[object, ...] | None
    try:
        key = (
            id(ctx.view),
            ctx.month_hours,
            ctx.region,
            ctx.type_name,
            res.count,
            res.cpu,
            res.memory,
            res.disk,
            tuple(res.usage.items()),
        )
        hit: _Shape | None = ledger.shapes.get(key)
    except TypeError:  # an unhashable usage value: measure it afresh
        key, hit = None, None
    if hit is not None and hit.view is ctx.view:
        return hit
    view = ctx.view
    measured = []
    for meter_key, quantity in meter_quantities(ctx).items():
        meter = view.meters.get(meter_key)
        if meter is None:
            raise ModelError(f"catalog entry {view.key} lacks meter {meter_key!r}")  # pragma: no cover
        if quantity != 0:  # nothing used, nothing billed: a line of zeros only hides the lines that matter
            measured.append((meter_key, meter, quantity))
    instance = ctx.instance_type
    shape = _Shape(
        view=view,
        measured=tuple(measured),
        vcpu=(instance.vcpu if instance else (ctx.cpu() or ZERO)) * ctx.count,
        memory_bytes=(instance.memory_bytes if instance else (ctx.memory() or ZERO)) * ctx.count,
    )
    if key is not None:
        ledger.shapes[key] = shape
    return shape


def _component(ctx: Context, key: str, meter: Meter, quantity: Decimal, ledger: Ledger) -> Component:
    rate = meter_rate(ctx, key, meter, ledger)
    remaining = quantity
    free = ZERO
    last: PoolState | None = None
    hard = False
    for pool in rate.pools:
        last = ledger.pools.state(pool, ctx.name, ctx.count)
        got = ledger.pools.take(last, remaining, ctx.name)
        free += got
        remaining -= got
        hard = hard or pool.hard
    if quantity > 0:
        for pool in rate.elsewhere:
            _region_hint(ctx, pool, ledger)
    billable = ZERO if hard else remaining
    if meter.billing_unit and billable > 0:  # the provider bills started units (Cloudflare: 1M operations)
        billable = ceil_to(billable, meter.billing_unit)
    if rate.unit is not None:
        unit_price, cost, text = rate.unit, money(billable * rate.unit), rate.text
    else:
        unit_price, cost, text = tiered_cost(ctx, meter, rate, billable, ledger)
    if last is not None and remaining > 0:
        ledger.pools.bill(last, remaining, cost)
    # Lines alike past their free allowances bill alike: one record serves them all (records are never changed
    # after pricing), which saves building it, holding it and writing its JSON 10,000 times.
    alike = (id(rate), quantity, free, billable, unit_price, cost, text)
    component: Component | None = ledger.components.get(alike)
    if component is None:
        component = ledger.components[alike] = Component(
            name=rate.label,
            meter=key,
            category=meter.category,
            quantity=quantity,
            unit=meter.unit,
            free_quantity=free,
            billable_quantity=billable,
            unit_price=unit_price,
            cost=cost,
            price_text=text,
            pools=list(rate.pool_names),
            source=rate.source,
            as_of=rate.as_of,
        )
    return component


def _region_hint(ctx: Context, pool: FreePool, ledger: Ledger) -> None:
    marker = (ctx.name, pool.pool)
    if marker in ledger.region_hints:
        return
    ledger.region_hints.add(marker)
    amount = "the month's hours" if pool.amount == "month_hours" else f"{pool.amount} {pool.unit}"
    ledger.findings.append(
        Finding(
            severity=Severity.WARNING,
            code="not_free_tier_region",
            resource=ctx.name,
            message=f"{ctx.name}: {ctx.region} is not eligible for the free allowance {pool.pool} "
            f"({amount} a {pool.period.value}); it applies only in {', '.join(pool.regions or [])} "
            f"[{pool.source}, as of {pool.as_of}]",
            fix=f"move {ctx.name} to {' or '.join(pool.regions or [])} to use the free allowance",
            source=pool.source,
            subject=pool.pool,
        )
    )


def pool_uses(ledger: Ledger) -> list[PoolUse]:
    """The pools drawn so far, in the order they were first drawn."""
    out = []
    for pool_id, st in ledger.pools.states.items():
        unit, label = ledger.pool_meta.get(st.pool.pool, (st.pool.unit, st.pool.label or st.pool.pool))
        out.append(
            PoolUse(
                pool=pool_id,
                label=label,
                allowance=st.allowance,
                used=st.used,
                unit=unit,
                period=st.pool.period.value,
                free=st.free,
                billed=st.billed,
                billed_cost=st.billed_cost,
                scope=st.pool.scope.value,
                kind=st.pool.kind,
                hard=st.pool.hard,
                resources=st.resources,
                source=st.pool.source,
                as_of=st.pool.as_of,
            )
        )
    return out
