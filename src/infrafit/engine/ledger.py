"""The state one pricing pass accumulates: shared pools, tier positions, fees charged, facts used.

Pricing is a set of functions over a :class:`Ledger`, so a caller can price a hypothetical (a candidate fleet, a
sampled month) with a fresh ledger without touching the real evaluation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from infrafit.catalog.lookup import ServiceView
from infrafit.catalog.model import Sourced
from infrafit.engine.pools import PoolLedger
from infrafit.engine.rates import TierLedger
from infrafit.engine.result import Finding, Severity

__all__ = ["Facts", "Ledger"]


class Facts:
    """The dates of the facts a result used, so reports can say how old they are."""

    def __init__(self) -> None:
        self.dates: set[date] = set()
        self.unconfirmed: dict[str, str] = {}  # label -> source

    def add(self, fact: Sourced | None, label: str | None = None) -> None:
        if fact is None:
            return
        self.dates.add(fact.as_of)
        if not fact.confirmed and label:
            self.unconfirmed.setdefault(label, fact.source)

    def finding(self) -> Finding | None:
        """One info finding naming the facts used that no official page confirmed."""
        if not self.unconfirmed:
            return None
        labels = sorted(self.unconfirmed)
        shown = "; ".join(labels[:8]) + (f"; and {len(labels) - 8} more" if len(labels) > 8 else "")
        return Finding(
            severity=Severity.INFO,
            code="unconfirmed_facts",
            resource=None,
            message=f"{len(labels)} catalog fact(s) used here could not be confirmed on an official page and are "
            f"marked so in the catalog: {shown}. `infrafit catalog show SERVICE` gives each source",
            fix="check these figures against your provider's console or bill, or override them in the plan",
            subject="catalog",
        )


@dataclass
class Ledger:
    """Everything priced so far shares these: pools and tiers are per account, a plan fee is charged once."""

    month_hours: Decimal
    free_tier: bool
    pools: PoolLedger = field(init=False)
    tiers: TierLedger = field(default_factory=TierLedger)
    facts: Facts = field(default_factory=Facts)
    fees_charged: set[tuple[str, str | None]] = field(default_factory=set)
    notes: dict[tuple[str, str | None], tuple[ServiceView, list[str]]] = field(default_factory=dict)
    """(service, plan) -> the view and the resources that use it, for the catalog's notes."""
    pool_meta: dict[str, tuple[str, str]] = field(default_factory=dict)
    """pool -> (unit, label) as the first meter drawing on it names them."""
    region_hints: set[tuple[str, str]] = field(default_factory=set)
    providers: set[str] = field(default_factory=set)
    findings: list[Finding] = field(default_factory=list)
    """Findings pricing itself raises (a free allowance the region cannot use)."""

    def __post_init__(self) -> None:
        self.pools = PoolLedger(self.month_hours, self.free_tier)
