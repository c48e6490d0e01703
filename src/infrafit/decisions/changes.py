"""A plan before and after a change, as a pull request reviewer wants it: which resources changed and what each
change costs, totals, vCPU and memory against quotas, and which findings appeared or went away."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from infrafit.engine.result import Component, Finding, ResourceResult, Result

K = TypeVar("K")
V = TypeVar("V")

ZERO = Decimal(0)
HUNDRED = Decimal(100)
FindingKey = tuple[str, str, str, int]


def percent(before: Decimal, after: Decimal) -> Decimal | None:
    """Change in percent of ``before``; ``None`` when ``before`` is zero (any increase from nothing is infinite)."""
    if before == 0:
        return ZERO if after == 0 else None
    return (after - before) / before * HUNDRED


@dataclass(slots=True)
class FieldChange:
    """One sizing field that differs: type, count, region, plan, service, vCPU or memory per copy."""

    field: str
    before: Any
    after: Any


@dataclass(slots=True)
class LineDiff:
    """One billed line (a catalog meter) of a resource, before and after."""

    meter: str
    name: str
    unit: str
    quantity_before: Decimal | None
    quantity_after: Decimal | None
    cost_before: Decimal
    cost_after: Decimal

    @property
    def delta(self) -> Decimal:
        return self.cost_after - self.cost_before


@dataclass(slots=True)
class ResourceDiff:
    name: str
    status: str  # added | removed | changed | unchanged
    before: ResourceResult | None
    after: ResourceResult | None
    changes: list[FieldChange] = field(default_factory=list)
    lines: list[LineDiff] = field(default_factory=list)  # only the lines whose quantity or cost changed

    @property
    def cost_before(self) -> Decimal:
        return self.before.monthly_cost if self.before else ZERO

    @property
    def cost_after(self) -> Decimal:
        return self.after.monthly_cost if self.after else ZERO

    @property
    def delta_monthly_cost(self) -> Decimal:
        return self.cost_after - self.cost_before

    @property
    def delta_yearly_cost(self) -> Decimal:
        return self.delta_monthly_cost * 12

    @property
    def delta_percent(self) -> Decimal | None:
        return percent(self.cost_before, self.cost_after)

    @property
    def service(self) -> str:
        side = self.after or self.before
        assert side is not None
        return side.service


@dataclass(slots=True)
class QuotaDiff:
    """A quota (key, region) before and after; ``None`` on a side where no resource counts against it."""

    key: str
    region: str | None
    unit: str
    used_before: Decimal | None
    used_after: Decimal | None
    limit_before: Decimal | None
    limit_after: Decimal | None

    @property
    def over_before(self) -> bool:
        return _over(self.used_before, self.limit_before)

    @property
    def over_after(self) -> bool:
        return _over(self.used_after, self.limit_after)


def _over(used: Decimal | None, limit: Decimal | None) -> bool:
    return used is not None and limit is not None and used > limit


@dataclass(slots=True)
class PoolDiff:
    """A free or included allowance before and after (per its period)."""

    pool: str
    unit: str
    period: str
    allowance: Decimal
    used_before: Decimal | None
    used_after: Decimal | None
    billed_cost_before: Decimal
    billed_cost_after: Decimal


@dataclass(slots=True)
class FindingChange:
    """A finding present on one side only (or on both: ``kept``), matched by :func:`finding_key`."""

    key: FindingKey
    finding: Finding


@dataclass(slots=True)
class DiffResult:
    before: Result
    after: Result
    resources: list[ResourceDiff]
    quotas: list[QuotaDiff]
    pools: list[PoolDiff]
    appeared: list[FindingChange]
    disappeared: list[FindingChange]
    kept: list[FindingChange]  # the after side's finding, for those present on both sides
    categories: dict[str, tuple[Decimal, Decimal]]  # category -> (before, after); only categories with a cost

    @property
    def delta_monthly_cost(self) -> Decimal:
        return self.after.total_monthly_cost - self.before.total_monthly_cost

    @property
    def delta_yearly_cost(self) -> Decimal:
        return self.delta_monthly_cost * 12

    @property
    def delta_percent(self) -> Decimal | None:
        return percent(self.before.total_monthly_cost, self.after.total_monthly_cost)

    @property
    def has_ranges(self) -> bool:
        """Either side's usage is uncertain, so the change has a p50 and a p95 beside the point total's."""
        return self.before.cost_distribution is not None or self.after.cost_distribution is not None

    def at(self, percentile: float) -> tuple[float, float]:
        """Both sides' monthly cost at ``percentile`` (0-100), USD; a side without ranges is its point total."""
        from infrafit.decisions.ranges import cost_at

        return float(cost_at(self.before, percentile)), float(cost_at(self.after, percentile))

    @property
    def delta_p50(self) -> float | None:
        """The change of the median monthly cost, USD; None when neither side has ranges."""
        return self._delta_at(50)

    @property
    def delta_p95(self) -> float | None:
        """The change of the 95th-percentile monthly cost, USD; None when neither side has ranges."""
        return self._delta_at(95)

    def _delta_at(self, percentile: float) -> float | None:
        if not self.has_ranges:
            return None
        b, a = self.at(percentile)
        return a - b

    @property
    def vcpu(self) -> tuple[Decimal, Decimal]:
        return total_vcpu(self.before), total_vcpu(self.after)

    @property
    def memory_bytes(self) -> tuple[Decimal, Decimal]:
        return total_memory(self.before), total_memory(self.after)

    def count(self, status: str) -> int:
        return sum(1 for r in self.resources if r.status == status)

    @property
    def changed(self) -> list[ResourceDiff]:
        """Resources that differ, largest cost change first (ties by name), so reports read the same each run."""
        moved = [r for r in self.resources if r.status != "unchanged"]
        return sorted(moved, key=lambda r: (-abs(r.delta_monthly_cost), r.name))


def total_vcpu(result: Result) -> Decimal:
    return sum((r.vcpu for r in result.resources), ZERO)


def total_memory(result: Result) -> Decimal:
    return sum((r.memory_bytes for r in result.resources), ZERO)


# -- findings ------------------------------------------------------------------------------------------------
def _subject(f: Finding) -> str:
    """What a finding is about, independent of its numbers and wording (a quota, a free pool); else its source."""
    return f.subject or f.source or ""


def finding_keys(result: Result) -> list[FindingKey]:
    """A key per finding: (code, resource, subject, n), n telling apart findings that share the rest."""
    seen: Counter[tuple[str, str, str]] = Counter()
    keys = []
    for f in result.findings:
        base = (f.code, f.resource or "", _subject(f))
        keys.append((*base, seen[base]))
        seen[base] += 1
    return keys


def finding_key(f: Finding, result: Result) -> FindingKey:
    """The key of one finding of ``result`` (see :func:`finding_keys`)."""
    for key, g in zip(finding_keys(result), result.findings, strict=True):
        if g is f:
            return key
    raise ValueError("the finding is not one of the result's")


def _findings(before: Result, after: Result) -> tuple[list[FindingChange], list[FindingChange], list[FindingChange]]:
    """Match findings by key; then pair leftovers that differ only in their resource when one side names none
    (a note about a service names its resource only while one resource uses the service)."""
    old = dict(zip(finding_keys(before), before.findings, strict=True))
    new = dict(zip(finding_keys(after), after.findings, strict=True))
    kept_keys = [k for k in new if k in old]
    left_old = [k for k in old if k not in new]
    left_new = [k for k in new if k not in old]
    paired_old: set[FindingKey] = set()
    for k in list(left_new):
        for j in left_old:
            if j not in paired_old and (j[0], j[2]) == (k[0], k[2]) and "" in (j[1], k[1]):
                paired_old.add(j)
                left_new.remove(k)
                kept_keys.append(k)
                break
    appeared = [FindingChange(k, new[k]) for k in left_new]
    disappeared = [FindingChange(k, old[k]) for k in left_old if k not in paired_old]
    kept = [FindingChange(k, new[k]) for k in new if k in set(kept_keys)]
    return appeared, disappeared, kept


# -- resources -----------------------------------------------------------------------------------------------
def _per_copy(total: Decimal, count: int) -> Decimal:
    return total / count if count else total


def _changes(a: ResourceResult, b: ResourceResult) -> list[FieldChange]:
    out = [
        FieldChange(name, x, y)
        for name, x, y in (
            ("service", a.service, b.service),
            ("region", a.region, b.region),
            ("type", a.type, b.type),
            ("plan", a.plan, b.plan),
            ("count", a.count, b.count),
        )
        if x != y
    ]
    # Size per copy: a count change alone already explains a change of the totals.
    for name, x, y in (("vcpu", a.vcpu, b.vcpu), ("memory_bytes", a.memory_bytes, b.memory_bytes)):
        px, py = _per_copy(x, a.count), _per_copy(y, b.count)
        if px != py:
            out.append(FieldChange(name, px, py))
    return out


def _lines(a: list[Component], b: list[Component]) -> list[LineDiff]:
    """Cost lines that differ, in the before resource's order, then the lines only the after one has."""
    left = {c.meter: c for c in a}
    right = {c.meter: c for c in b}
    position = {m: i for i, m in enumerate([c.meter for c in a] + [c.meter for c in b if c.meter not in left])}
    out = []
    for meter, x, y, ref in _paired(left, right, position.__getitem__):
        if x is not None and y is not None and x.quantity == y.quantity and x.cost == y.cost:
            continue
        out.append(
            LineDiff(
                meter,
                ref.name,
                ref.unit,
                x.quantity if x else None,
                y.quantity if y else None,
                x.cost if x else ZERO,
                y.cost if y else ZERO,
            )
        )
    return out


def _resources(before: Result, after: Result) -> list[ResourceDiff]:
    """Matched by name; in the before plan's order, then the resources the after plan adds, in its order."""
    old = {r.name: r for r in before.resources}
    new = {r.name: r for r in after.resources}
    out = []
    for name, a in old.items():
        b = new.get(name)
        if b is None:
            out.append(ResourceDiff(name, "removed", a, None, [], _lines(a.components, [])))
            continue
        changes, lines = _changes(a, b), _lines(a.components, b.components)
        status = "changed" if changes or lines or a.monthly_cost != b.monthly_cost else "unchanged"
        out.append(ResourceDiff(name, status, a, b, changes, lines))
    for name, b in new.items():
        if name not in old:
            out.append(ResourceDiff(name, "added", None, b, [], _lines([], b.components)))
    return out


def _paired(old: dict[K, V], new: dict[K, V], order: Callable[[K], Any]) -> Iterator[tuple[K, V | None, V | None, V]]:
    """Every key of either side, in a stable order: (key, before or None, after or None, whichever exists)."""
    for key in sorted(old.keys() | new.keys(), key=order):
        a, b = old.get(key), new.get(key)
        ref = b or a
        assert ref is not None
        yield key, a, b, ref


def _quotas(before: Result, after: Result) -> list[QuotaDiff]:
    old = {(q.key, q.region): q for q in before.quotas}
    new = {(q.key, q.region): q for q in after.quotas}
    out = []
    for key, a, b, ref in _paired(old, new, lambda k: (k[0], k[1] or "")):
        out.append(
            QuotaDiff(
                key[0],
                key[1],
                ref.unit,
                a.used if a else None,
                b.used if b else None,
                a.limit if a else None,
                b.limit if b else None,
            )
        )
    return out


def _pools(before: Result, after: Result) -> list[PoolDiff]:
    old = {p.pool: p for p in before.free_tier}
    new = {p.pool: p for p in after.free_tier}
    out = []
    for pool, a, b, ref in _paired(old, new, lambda k: k):
        out.append(
            PoolDiff(
                pool,
                ref.unit,
                ref.period,
                ref.allowance,
                a.used if a else None,
                b.used if b else None,
                a.billed_cost if a else ZERO,
                b.billed_cost if b else ZERO,
            )
        )
    return out


def _categories(before: Result, after: Result) -> dict[str, tuple[Decimal, Decimal]]:
    from infrafit.decisions.comparison import category_order

    a, b = before.cost_by_category(), after.cost_by_category()
    order = category_order(c for c, v in (*a.items(), *b.items()) if v != 0)
    return {c: (a.get(c, ZERO), b.get(c, ZERO)) for c in order}


def diff(before: Result, after: Result) -> DiffResult:
    """Compare two evaluations of (usually) the same plan at two points in time."""
    appeared, disappeared, kept = _findings(before, after)
    return DiffResult(
        before=before,
        after=after,
        resources=_resources(before, after),
        quotas=_quotas(before, after),
        pools=_pools(before, after),
        appeared=appeared,
        disappeared=disappeared,
        kept=kept,
        categories=_categories(before, after),
    )
