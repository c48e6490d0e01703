"""What reading price lists yields: the lists read, the entries each rule matched, and the entries skipped."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from infrafit.catalog.refresh.money import Step


@dataclass(frozen=True, slots=True, kw_only=True)
class Listing:
    """One price list read: an AWS offer file (one offer, one region or all) or a Google Cloud service's SKUs."""

    provider: str
    code: str
    """AWS offer code (AmazonEC2) or Google Cloud service id (152E-C115-5142)."""
    version: str
    """AWS offer version (20260910195514); Google: the newest effectiveTime among its SKUs."""
    published: date
    url: str
    """The list's own address, version-pinned where the provider has versions (never an API key)."""
    regions: frozenset[str]
    files: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Entry:
    """One price-list entry a rule's filter matched, its price as steps in the list's own unit."""

    ref: str
    """AWS SKU or Google skuId."""
    unit: str
    steps: tuple[Step, ...]
    listing: Listing
    as_of: date
    base_unit: str | None = None
    base_factor: Decimal | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Skipped:
    """A malformed entry left out, with where it is (file and JSON path) and why."""

    where: str
    reason: str


@dataclass(slots=True, kw_only=True)
class Scan:
    """Everything read from the inputs: ``found[(rule id, term index)]`` lists the entries each filter matched."""

    listings: list[Listing] = field(default_factory=list)
    found: dict[tuple[str, int], list[Entry]] = field(default_factory=dict)
    skipped: list[Skipped] = field(default_factory=list)
    broken: dict[tuple[str, int], str] = field(default_factory=dict)
    """A filter whose only match was malformed: why (the rule is then unmatched for that reason)."""
    warnings: list[str] = field(default_factory=list)
    """Things a reviewer should know that change no figure (an offer file older than its region index says)."""

    def covers(self, code: str, region: str) -> Listing | None:
        """The listing that holds ``code`` in ``region``, if one was read."""
        for listing in self.listings:
            if listing.code == code and region in listing.regions:
                return listing
        return None

    def extend(self, other: Scan) -> None:
        self.listings += other.listings
        for key, entries in other.found.items():
            self.found.setdefault(key, []).extend(entries)
        self.skipped += other.skipped
        self.broken.update(other.broken)
        self.warnings += other.warnings
