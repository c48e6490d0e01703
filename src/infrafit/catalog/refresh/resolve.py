"""Turn what a rule matched into the catalog's figure: one entry (or a sum), in the rule's unit, as tiers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from infrafit.catalog.refresh.money import PriceError, Step, rebase, to_tiers
from infrafit.catalog.refresh.records import Entry, Scan
from infrafit.catalog.refresh.rules import Rule

Tiers = tuple[tuple[Decimal | None, Decimal], ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Quote:
    """A rule's new figure, with the entries it was read from."""

    rule: Rule
    tiers: Tiers
    entries: tuple[Entry, ...]

    @property
    def as_of(self) -> date:
        return min(e.as_of for e in self.entries)

    @property
    def source(self) -> str:
        return self.entries[0].listing.url

    def note(self) -> str:
        """Where the figure was read, in words a reviewer can check against the list."""
        first = self.entries[0].listing
        if first.provider == "aws":
            head = f"AWS Price List, offer {first.code} version {first.version} (published {first.published})"
        else:
            head = f"Cloud Billing Catalog, service {first.code} (SKU prices effective {self.as_of})"
        parts = []
        for term, entry in zip(self.rule.terms, self.entries, strict=True):
            times = f"{term.quantity.normalize():f} x " if self.rule.sum else ""
            if len(entry.steps) == 1:
                steps = f"{entry.steps[0].usd.normalize():f}"
            else:
                steps = ", ".join(f"{s.usd.normalize():f} from {s.start.normalize():f}" for s in entry.steps)
            parts.append(f"{times}SKU {entry.ref} ({steps} USD per {entry.unit})")
        return f"{head}, {self.rule.region}: {' + '.join(parts)}. Rule {self.rule.id}."


@dataclass(frozen=True, slots=True, kw_only=True)
class Miss:
    """A rule with no figure: ``covered`` when its list was read (then the list no longer has the entry)."""

    rule: Rule
    reason: str
    covered: bool


def _in_rule_unit(rule: Rule, entry: Entry, unit: str | None = None) -> tuple[Step, ...]:
    unit = unit or rule.unit
    if entry.unit == unit:
        return entry.steps
    if (
        unit == rule.unit
        and rule.unit_base_factor is not None
        and entry.base_factor is not None
        and entry.base_unit is not None
        and entry.base_unit == rule.base_unit
    ):
        factor = entry.base_factor
        return tuple(
            Step(start=s.start * factor / rule.unit_base_factor, usd=rebase(s.usd, factor, rule.unit_base_factor))
            for s in entry.steps
        )
    raise PriceError(f"unit changed: the rule reads {unit}, entry {entry.ref} is priced per {entry.unit}")


def _tiers(rule: Rule, entry: Entry, per: Decimal, unit: str | None = None) -> list[tuple[Decimal | None, Decimal]]:
    """The entry's price as the rule's tiers, per ``per`` catalog units."""
    steps = _in_rule_unit(rule, entry, unit)
    return to_tiers(steps, per=per, quantity_scale=rule.quantity_scale, skip_free=rule.free_tier == "skip")


def resolve(rule: Rule, scan: Scan, per: Decimal) -> Quote | Miss:
    """The rule's figure per ``per`` catalog units, or why there is none."""
    picked: list[Entry] = []
    for index, _term in enumerate(rule.terms):
        entries = scan.found.get((rule.id, index), [])
        # the same SKU read from two copies of a list: the newest version wins
        unique = list({e.ref: e for e in sorted(entries, key=lambda e: e.listing.version)}.values())
        if not unique:
            listing = scan.covers(rule.offer, rule.region)
            if listing is None:
                return Miss(rule=rule, reason=f"no input holds {rule.offer} in {rule.region}", covered=False)
            broken = scan.broken.get((rule.id, index))
            if broken:
                return Miss(rule=rule, reason=f"not read: {broken}", covered=True)
            return Miss(
                rule=rule,
                reason=f"no entry of {rule.offer} {listing.version} in {rule.region} matches rule {rule.id} "
                "(retired or renamed)",
                covered=True,
            )
        if len(unique) > 1:
            refs = ", ".join(sorted(e.ref for e in unique)[:5])
            return Miss(
                rule=rule,
                reason=f"{len(unique)} entries match rule {rule.id} ({refs}); narrow its filter",
                covered=True,
            )
        picked.append(unique[0])
    try:
        if rule.sum:
            total = Decimal(0)
            for term, entry in zip(rule.terms, picked, strict=True):
                tiers = _tiers(rule, entry, per, term.unit)
                if len(tiers) != 1:
                    raise PriceError(f"SKU {entry.ref} is tiered; a sum needs flat prices")
                total += term.quantity * tiers[0][1]
            value: Tiers = ((None, total.normalize()),)
        else:
            value = tuple(_tiers(rule, picked[0], per))
    except PriceError as exc:
        return Miss(rule=rule, reason=str(exc), covered=True)
    return Quote(rule=rule, tiers=value, entries=tuple(picked))
