"""The state one pricing pass accumulates: shared pools, tier positions, fees charged, facts used.

Pricing is a set of functions over a :class:`Ledger`, so a caller can price a hypothetical (a candidate fleet, a
sampled month) with a fresh ledger without touching the real evaluation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from infrafit.catalog.lookup import ServiceView
from infrafit.catalog.model import EVIDENCE_ORDER, Evidence, Note, Sourced
from infrafit.engine.pools import PoolLedger
from infrafit.engine.rates import TierLedger
from infrafit.engine.result import Finding, Severity

__all__ = ["Facts", "Ledger", "NoteUser"]


@dataclass(frozen=True, kw_only=True)
class NoteUser:
    """A resource using a service, as far as a catalog note's scope (region, type, plan, methods) asks."""

    name: str
    region: str | None
    type: str | None
    plan: str | None
    methods: frozenset[str] = frozenset()

    def in_scope(self, note: Note) -> bool:
        return (
            (note.regions is None or self.region in note.regions)
            and (note.types is None or self.type in note.types)
            and (note.plans is None or self.plan in note.plans)
            and (note.methods is None or bool(self.methods & set(note.methods)))
        )


_GRADE_TEXT = {
    Evidence.PRICE_LIST: "from the provider's price lists or API payloads",
    Evidence.THIRD_PARTY: "from third-party text only",
    Evidence.UNVERIFIED: "unverified",
}


class Facts:
    """The dates of the facts a result used, so reports can say how old they are, and those below ``official``."""

    def __init__(self) -> None:
        self.dates: set[date] = set()
        self.below_official: dict[str, tuple[Evidence, str]] = {}  # label -> (grade, source)
        self.used: dict[int, Sourced] = {}
        """Every fact record used, by identity (``catalog audit PLAN`` lists these)."""

    @property
    def unconfirmed(self) -> dict[str, str]:
        """label -> source of every fact used that no official page states."""
        return {label: source for label, (_, source) in self.below_official.items()}

    def add(self, fact: Sourced | None, label: str | None = None) -> None:
        if fact is None:
            return
        self.used[id(fact)] = fact
        self.dates.add(fact.as_of)
        if fact.evidence is not Evidence.OFFICIAL and label:
            self.below_official.setdefault(label, (fact.evidence, fact.source))

    def add_grade(self, label: str, evidence: Evidence, source: str, as_of: date) -> None:
        """A fact cited by one part of a price (a region's tiers) rather than by a whole catalog record."""
        self.dates.add(as_of)
        if evidence is not Evidence.OFFICIAL:
            self.below_official.setdefault(label, (evidence, source))

    def finding(self) -> Finding | None:
        """One info finding counting the facts used below ``official``, by grade, weakest first."""
        if not self.below_official:
            return None
        groups: list[str] = []
        for grade in reversed(EVIDENCE_ORDER[1:]):
            labels = sorted(lbl for lbl, (g, _) in self.below_official.items() if g is grade)
            if not labels:
                continue
            shown = "; ".join(labels[:6]) + (f"; and {len(labels) - 6} more" if len(labels) > 6 else "")
            groups.append(f"{len(labels)} {_GRADE_TEXT[grade]} ({shown})")
        total = len(self.below_official)
        return Finding(
            severity=Severity.INFO,
            code="unconfirmed_facts",
            resource=None,
            message=f"{total} catalog fact(s) used here are not stated on an official page: {', '.join(groups)}. "
            "`infrafit catalog show SERVICE` gives each source and grade",
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
    notes: dict[tuple[str, str | None], tuple[ServiceView, list[NoteUser]]] = field(default_factory=dict)
    """(service, plan) -> the view and the resources that use it, for the catalog's notes."""
    pool_meta: dict[str, tuple[str, str]] = field(default_factory=dict)
    """pool -> (unit, label) as the first meter drawing on it names them."""
    region_hints: set[tuple[str, str]] = field(default_factory=set)
    providers: set[str] = field(default_factory=set)
    findings: list[Finding] = field(default_factory=list)
    """Findings pricing itself raises (a free allowance the region cannot use)."""
    shapes: dict[tuple[object, ...], Any] = field(default_factory=dict)
    """A line's shape (service view, region, type, sizing, usage) -> what it measures (engine.pricing)."""
    components: dict[tuple[object, ...], Any] = field(default_factory=dict)
    """A priced component's rate and figures -> the one record lines alike in them share (engine.pricing)."""
    rates: dict[tuple[int, str, str | None, str | None], Any] = field(default_factory=dict)
    """(service view, meter, region, type) -> the meter's rate and pools there, worked out once (engine.meters)."""

    def __post_init__(self) -> None:
        self.pools = PoolLedger(self.month_hours, self.free_tier)
