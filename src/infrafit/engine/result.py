"""What an evaluation produces: keyword-only dataclasses, cheap to build 10,000 of and easy to render.

These records are the library's public answer (``infrafit.evaluate``); the JSON report is drawn from them and its
schema is generated from them (``infrafit schema --output``). Quantities are in the unit named beside them; money is
USD as Decimal; "per month" means per billing month of ``Result.month_hours`` hours.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from infrafit.catalog.model import Category
from infrafit.catalog.overlay import OverlayUse

if TYPE_CHECKING:
    from infrafit.engine.sections.jobs import JobReport
    from infrafit.engine.uncertainty.records import CostDistribution

__all__ = [
    "Category",
    "Component",
    "Finding",
    "OverrideUse",
    "PoolUse",
    "QuotaUse",
    "ResourceResult",
    "Result",
    "Severity",
]


class Severity(StrEnum):
    """How much a finding matters. Declaration order is report order: errors first."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {s: i for i, s in enumerate(Severity)}


def severity_rank(value: str) -> int:
    """Rank of a severity given as text (errors 0, warnings 1, info 2; anything else last)."""
    try:
        return Severity(value).rank
    except ValueError:
        return len(_RANK)


@dataclass(slots=True, kw_only=True)
class Component:
    """One billed line of a resource: quantity in the provider's unit, what was free, what it costs (per month)."""

    name: str
    """What is billed, as the provider names it (e.g. "vCPU time")."""
    meter: str
    """The catalog meter key (e.g. ``vcpu_seconds``); ``fee`` for a plan's fixed monthly fee."""
    category: Category
    quantity: Decimal
    """Units used in the month, before allowances, in ``unit``."""
    unit: str
    free_quantity: Decimal
    """Units covered by free or included allowances this month."""
    billable_quantity: Decimal
    """Units billed this month (0 where a hard cap refuses usage instead of billing it)."""
    unit_price: Decimal
    """USD per one ``unit`` (for tiered prices: the effective average over the billed units)."""
    cost: Decimal
    """USD this month, rounded to 1/100 of a cent."""
    price_text: str = ""
    pools: list[str] = field(default_factory=list)
    """Free pools this line drew from, in drawing order."""
    source: str | None = None
    as_of: date | None = None


@dataclass(slots=True, kw_only=True)
class ResourceResult:
    """A priced resource of the plan, or a line a section derived (``origin`` says which)."""

    name: str
    service: str
    region: str | None
    type: str | None
    plan: str | None
    """The service plan (free, paid, hobby...), not the plan file."""
    count: int
    category: Category
    monthly_cost: Decimal
    """USD per month, the sum of ``components``."""
    components: list[Component]
    vcpu: Decimal = Decimal(0)
    """vCPUs of all ``count`` copies."""
    memory_bytes: Decimal = Decimal(0)
    """Memory of all ``count`` copies, in bytes."""
    origin: str = "plan"
    """Where the line comes from: ``plan``, or a section's ``KEY:NAME`` (e.g. ``job:analyze``)."""


@dataclass(slots=True, kw_only=True)
class PoolUse:
    """A free (or included) allowance and how much of it the plan uses."""

    pool: str
    """The pool id; ``pool[resource]`` for an allowance each resource (project, database) has its own of."""
    label: str
    allowance: Decimal
    """Units free per ``period``."""
    used: Decimal
    """Units the plan asks for per ``period`` (before the allowance)."""
    unit: str
    period: str
    """``month`` or ``day``."""
    free: Decimal
    """Units per month the allowance covered."""
    billed: Decimal
    """Units per month beyond the allowance."""
    billed_cost: Decimal
    """USD per month for ``billed``."""
    scope: str
    kind: str
    """``free_tier`` or ``included`` (a paid plan's included usage)."""
    hard: bool
    """True when usage beyond the allowance is refused rather than billed."""
    resources: list[str]
    source: str
    as_of: date


@dataclass(slots=True, kw_only=True)
class QuotaUse:
    """An account quota (e.g. EC2 vCPUs per region) and how much of it the plan uses."""

    key: str
    name: str
    region: str | None
    limit: Decimal | None
    """The plan's `quotas:` value, else the catalog default; None where the quota differs per account."""
    used: Decimal
    unit: str
    resources: list[str]
    source: str
    from_plan: bool


@dataclass(slots=True, kw_only=True)
class Finding:
    """Something the user should know: what, how much, against which limit, from which source, what to change."""

    severity: Severity
    code: str
    resource: str | None
    message: str
    fix: str | None = None
    source: str | None = None
    value: Decimal | None = None
    limit: Decimal | None = None
    subject: str | None = None
    """What it is about, stable across wording: a quota@region, a pool, a limit key, ``job:NAME``."""


@dataclass(slots=True, kw_only=True)
class OverrideUse:
    """A catalog fact the plan replaced: dotted path, the catalog's value, the plan's value."""

    path: str
    old: Any
    new: Any


@dataclass(kw_only=True)
class Result:
    """One plan, priced and checked."""

    plan: str
    """The plan's name."""
    file: str | None
    month_hours: Decimal
    total_monthly_cost: Decimal
    """USD per month."""
    resources: list[ResourceResult]
    free_tier: list[PoolUse]
    quotas: list[QuotaUse]
    findings: list[Finding]
    catalog_as_of: date
    oldest_fact: date | None
    overrides: list[OverrideUse]
    budget: Decimal | None = None
    sections: dict[str, list[Any]] = field(default_factory=dict)
    """Each section's reports by section key (``jobs`` -> list of JobReport), in registry order."""
    currency: str = "USD"
    month: str | None = None
    """The calendar month the plan names (``2026-03``), when it names one instead of ``month_hours``."""
    cost_distribution: CostDistribution | None = None
    """The month's cost over the plan's uncertain usage (None when every input is a single value); the headline
    ``total_monthly_cost`` stays the cost with each input at its median."""
    catalog_overlay: OverlayUse | None = None
    """The refreshed facts (a catalog overlay) laid over the packaged catalog, None when none was."""

    @property
    def month_text(self) -> str:
        """'March 2026, 744 h' for a calendar month, else '730 h'."""
        hours = f"{self.month_hours.normalize():f} h"
        if self.month is None:
            return hours
        import calendar

        year, number = (int(part) for part in self.month.split("-"))
        return f"{calendar.month_name[number]} {year}, {hours}"

    @property
    def jobs(self) -> list[JobReport]:
        """The batch jobs' reports (the ``jobs:`` section)."""
        return self.sections.get("jobs", [])

    @property
    def fits(self) -> bool:
        return not any(f.severity == Severity.ERROR for f in self.findings)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == Severity.ERROR]

    def cost_by_category(self) -> dict[str, Decimal]:
        totals: dict[str, Decimal] = {}
        for res in self.resources:
            for comp in res.components:
                key = str(comp.category)
                totals[key] = totals.get(key, Decimal(0)) + comp.cost
        return totals


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Errors first, then warnings, then info; stable within each so output is reproducible."""
    return sorted(findings, key=lambda f: (severity_rank(f.severity), f.code, f.resource or "", f.message))
