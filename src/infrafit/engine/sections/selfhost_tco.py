"""The machine of a ``selfhost:`` section as one ``selfhost.machine`` line: its power, its electricity at the plan's
tariff, its amortisation, uplink and labour, each an identity meter the catalog prices, with the arithmetic kept
for the report. A default that stands in for a missing figure is said, never silent."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from infrafit.catalog.lookup import Catalog
from infrafit.engine.bind import bind
from infrafit.engine.ledger import Ledger
from infrafit.engine.pricing import price
from infrafit.engine.result import ResourceResult
from infrafit.engine.sections.selfhost_report import TcoItem
from infrafit.errors import did_you_mean
from infrafit.plan.model import Plan, Resource
from infrafit.plan.selfhost import PowerDraw, SelfHost, Tariff
from infrafit.selfhost import tco
from infrafit.selfhost.facts import default_utilization, power_presets, tariffs
from infrafit.services import ModelError
from infrafit.units import Kind, parse

__all__ = ["MACHINE_SERVICE", "MachineCost", "machine_cost"]

MACHINE_SERVICE = "selfhost.machine"
ZERO = Decimal(0)
_PATH = ("selfhost", "machine")


@dataclass(kw_only=True)
class MachineCost:
    """The machine's priced line, its TCO items and the power figures behind them."""

    line: Resource
    priced: ResourceResult
    items: list[TcoItem]
    watts: Decimal
    hours: Decimal
    kwh: Decimal
    assumptions: list[str] = field(default_factory=list)

    @property
    def monthly(self) -> Decimal:
        return self.priced.monthly_cost

    def running(self) -> Decimal:
        """The monthly cost without the purchase (amortisation and cost of money): what break-even weighs."""
        return sum((Decimal(repr(i.monthly_usd)) for i in self.items if i.key not in _CAPITAL), start=ZERO)


_CAPITAL = ("hardware", "financing")


def _watts(value: SelfHost, catalog: Catalog, assumptions: list[str]) -> tuple[Decimal, str]:
    m = value.machine
    power = m.power
    if power is None:
        raw = catalog.view(MACHINE_SERVICE, None).service.defaults.get("power", "60W")
        watts = parse(raw, Kind.POWER)
        assert isinstance(watts, Decimal)
        text = f"no power given: {watts:f} W average assumed (the catalog's default for {MACHINE_SERVICE})"
        assumptions.append(text + "; set machine.power (120W, {idle, max} with utilization, or a preset)")
        return watts, f"{watts:f} W (assumed)"
    if isinstance(power, Decimal):
        return power, f"{power:f} W average"
    if isinstance(power, PowerDraw):
        idle, peak, what = power.idle, power.max, f"idle {power.idle:f} W, max {power.max:f} W"
    else:
        presets = power_presets()
        if power not in presets:
            raise ModelError(f"unknown power preset {power!r}{did_you_mean(power, presets)}", (*_PATH, "power"))
        p = presets[power]
        idle, peak, what = p.idle_w, p.max_w, f"{power} (idle {p.idle_w:f} W, max {p.max_w:f} W) [{p.source}]"
    u = m.utilization
    if u is None:
        u, why = default_utilization()
        assumptions.append(f"no utilization given: {u:.0%} assumed ({why})")
    watts = tco.average_watts(idle, peak, u)
    return watts, f"{what} at {u:.0%} → {_n(watts)} W"


def _n(x: Decimal, places: int = 1) -> str:
    return f"{x:,.{places}f}"


def _electricity(
    value: SelfHost, kwh: Decimal, month: int | None, assumptions: list[str]
) -> tuple[Decimal | None, str]:
    """USD a month at the plan's price, or None: the catalog's energy price then applies (an assumption)."""
    e = value.electricity
    if e is None:
        assumptions.append(
            f"no electricity price given: the catalog's average residential price of {MACHINE_SERVICE} applies; "
            "set selfhost.electricity (0.20 USD/kWh or a tariff)"
        )
        return None, ""
    if isinstance(e, Decimal):
        return kwh * e, f"{_n(kwh)} kWh × {e:f} USD/kWh"
    assert isinstance(e, Tariff)
    table = tariffs()
    if e.tariff not in table:
        raise ModelError(f"unknown tariff {e.tariff!r}{did_you_mean(e.tariff, table)}", ("selfhost", "electricity"))
    t = table[e.tariff]
    local = tco.tariff_cost(t, e.household_kwh, kwh, month)
    if t.currency == "USD":
        usd, fx_text = local, ""
    else:
        if e.fx is None or e.fx[1] != t.currency:
            raise ModelError(
                f"{e.tariff} is priced in {t.currency}: give fx, e.g. fx: 1400 {t.currency}/USD",
                ("selfhost", "electricity", "fx"),
            )
        usd, fx_text = local / e.fx[0], f" ÷ {e.fx[0]:,f} {t.currency}/USD"
    base = e.household_kwh
    return usd, (
        f"{t.name}: bill at {_n(base + kwh)} kWh − bill at {_n(base)} kWh (household) = "
        f"{_n(local, 0)} {t.currency}{fx_text} [{t.source}, as of {t.as_of}]"
    )


def machine_cost(value: SelfHost, plan: Plan, catalog: Catalog) -> MachineCost:
    """Price the machine on a fresh ledger (a hypothetical; the section adds the same line to the plan when the plan
    is the self-hosted side)."""
    m = value.machine
    assumptions: list[str] = []
    watts, power_text = _watts(value, catalog, assumptions)
    hours = tco.charged_hours(plan.month_hours, value.on_anyway)
    kwh = tco.energy_kwh(watts, hours)
    month = date.fromisoformat(f"{plan.month}-01").month if plan.month else None
    electricity, e_text = _electricity(value, kwh, month, assumptions)
    straight, financing = tco.amortised(m.price, m.lifetime, m.cost_of_money)
    usage: dict[str, Any] = {"hardware_cost": m.price, "lifetime_months": m.lifetime}
    if financing:
        usage["financing_cost"] = financing
    if electricity is None:
        usage |= {"power": watts, "hours": hours}
    else:  # the energy meter stays at zero: its catalog default draw would otherwise price a second time
        usage |= {"power": ZERO, "electricity_cost": electricity}
    if value.uplink:
        usage["uplink_cost"] = value.uplink
    labour = value.labour.hours * value.labour.rate if value.labour else ZERO
    if labour:
        usage["labour_cost"] = labour
    line = Resource.model_construct(
        _fields_set={"service", "cpu", "memory", "usage"},
        service=MACHINE_SERVICE,
        cpu=m.cpus,
        memory=m.memory,
        usage=usage,
    )
    priced = price(bind("selfhost machine", line, plan, catalog), Ledger(plan.month_hours, plan.free_tier))
    cost = {c.meter: c.cost for c in priced.components}
    hour_text = f"{_n(hours)} h" + (f" (the month less {value.on_anyway:f} h/day on anyway)" if value.on_anyway else "")
    e_detail = e_text or f"{_n(kwh)} kWh at the catalog's average price"
    items = [
        TcoItem(
            key="hardware",
            label="Hardware (straight line)",
            monthly_usd=float(cost.get("hardware", ZERO)),
            detail=f"{m.price:,f} USD ÷ {m.lifetime:f} months",
        ),
    ]
    if financing:
        items.append(
            TcoItem(
                key="financing",
                label="Cost of money",
                monthly_usd=float(cost.get("financing", ZERO)),
                detail=f"annuity at {m.cost_of_money:.1%}/year ({_n(straight + financing, 2)} USD) − straight line",
            )
        )
    items.append(
        TcoItem(
            key="electricity",
            label="Electricity",
            monthly_usd=float(cost.get("electricity", cost.get("energy", ZERO))),
            detail=f"{power_text} × {hour_text} = {_n(kwh)} kWh; {e_detail}",
            assumed=electricity is None or value.machine.power is None,
        )
    )
    if value.uplink:
        items.append(
            TcoItem(key="uplink", label="Uplink", monthly_usd=float(cost.get("uplink", ZERO)), detail="as given")
        )
    if value.labour:
        items.append(
            TcoItem(
                key="labour",
                label="Labour",
                monthly_usd=float(cost.get("labour", ZERO)),
                detail=f"{value.labour.hours:f} h/month × {value.labour.rate:,f} USD",
            )
        )
    return MachineCost(
        line=line, priced=priced, items=items, watts=watts, hours=hours, kwh=kwh, assumptions=assumptions
    )
