"""What an evaluation produces. Plain dataclasses: cheap to build 10,000 of, easy to render."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any


@dataclass(slots=True)
class Component:
    """One billed line of a resource: quantity in the provider's unit, what was free, what it costs."""

    name: str
    meter: str
    category: str
    quantity: Decimal
    unit: str
    free_quantity: Decimal
    billable_quantity: Decimal
    unit_price: Decimal
    cost: Decimal
    price_text: str = ""
    pools: list[str] = field(default_factory=list)
    source: str | None = None
    as_of: date | None = None


@dataclass(slots=True)
class ResourceResult:
    name: str
    service: str
    region: str | None
    type: str | None
    plan: str | None
    count: int
    category: str
    monthly_cost: Decimal
    components: list[Component]
    vcpu: Decimal = Decimal(0)
    memory_bytes: Decimal = Decimal(0)


@dataclass(slots=True)
class PoolUse:
    """A free (or included) allowance and how much of it the plan uses, per its period."""

    pool: str
    label: str
    allowance: Decimal
    used: Decimal
    unit: str
    period: str
    free: Decimal  # per month
    billed: Decimal  # quantity beyond the allowance, per month
    billed_cost: Decimal
    scope: str
    kind: str
    hard: bool
    resources: list[str]
    source: str
    as_of: date


@dataclass(slots=True)
class QuotaUse:
    key: str
    name: str
    region: str | None
    limit: Decimal | None
    used: Decimal
    unit: str
    resources: list[str]
    source: str
    from_plan: bool


@dataclass(slots=True)
class Finding:
    severity: str  # error | warning | info
    code: str
    resource: str | None
    message: str
    fix: str | None = None
    source: str | None = None
    value: Decimal | None = None
    limit: Decimal | None = None
    subject: str | None = None  # what it is about, stable across wording: a quota@region, a pool, a limit key


@dataclass(slots=True)
class OverrideUse:
    path: str
    old: Any
    new: Any


@dataclass
class Result:
    plan: str
    file: str | None
    month_hours: Decimal
    total_monthly_cost: Decimal
    resources: list[ResourceResult]
    free_tier: list[PoolUse]
    quotas: list[QuotaUse]
    findings: list[Finding]
    catalog_as_of: date
    oldest_fact: date | None
    overrides: list[OverrideUse]
    budget: Decimal | None = None
    jobs: list[Any] = field(default_factory=list)
    currency: str = "USD"

    @property
    def fits(self) -> bool:
        return not any(f.severity == "error" for f in self.findings)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    def cost_by_category(self) -> dict[str, Decimal]:
        totals: dict[str, Decimal] = {}
        for res in self.resources:
            for comp in res.components:
                totals[comp.category] = totals.get(comp.category, Decimal(0)) + comp.cost
        return totals
