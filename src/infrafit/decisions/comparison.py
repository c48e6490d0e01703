"""One workload on several plans, side by side: cost, cost by category, free-tier use, findings, and which
option is the cheapest that fits.

When any plan's usage is uncertain (its result has a ``cost_distribution``), plans are ranked by their median
monthly cost (p50) instead of the point total, and each plan that fits gets the probability of being the cheapest
that fits (:mod:`infrafit.decisions.ranges`); a plan without ranges counts as its point total in every sample.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from infrafit.catalog.model import Category
from infrafit.engine.result import Finding, PoolUse, QuotaUse, Result
from infrafit.engine.uncertainty.records import CostDistribution

ZERO = Decimal(0)
#: Component categories in the order reports show them: the catalog's ``Category`` enum, in declaration order.
CATEGORIES: tuple[str, ...] = tuple(c.value for c in Category)
#: Finding codes that are about quotas and platform limits (shown apart from cost and free-tier notes).
LIMIT_CODES = frozenset({"quota_exceeded", "quota_unknown", "limit_exceeded", "rate_limit_exceeded", "budget_exceeded"})


def category_order(names: Iterable[str]) -> list[str]:
    """``names`` in :data:`CATEGORIES` order, then any category the catalog adds later, sorted."""
    given = set(names)
    return [c for c in CATEGORIES if c in given] + sorted(given - set(CATEGORIES))


@dataclass(slots=True)
class PlanSummary:
    """What a side-by-side view needs of one plan; ``result`` keeps everything else."""

    label: str  # unique among the compared plans (the plan name, or name + file when names repeat)
    plan: str
    file: str | None
    total_monthly_cost: Decimal
    fits: bool
    errors: list[Finding]
    warnings: list[Finding]
    limit_findings: list[Finding]
    cost_by_category: dict[str, Decimal]  # every category of CATEGORIES, zero when unused
    free_tier: list[PoolUse]
    quotas: list[QuotaUse]
    result: Result
    delta_vs_cheapest: Decimal | None = None  # monthly point total above the cheapest fitting plan's
    cheapest_probability: float | None = None
    """Share of samples in which this plan is the cheapest of the plans that fit (ties shared); None when it does
    not fit, or when no compared plan has ranges."""
    rank: int | None = None
    """1 for the fitting plan with the lowest p50, 2 for the next...; None when it does not fit or no plan has
    ranges."""

    @property
    def distribution(self) -> CostDistribution | None:
        return self.result.cost_distribution

    @property
    def p5(self) -> float:
        """The 5th percentile of the monthly cost, USD; the point total for a plan without ranges."""
        return self.distribution.p5 if self.distribution else float(self.total_monthly_cost)

    @property
    def p50(self) -> float:
        return self.distribution.p50 if self.distribution else float(self.total_monthly_cost)

    @property
    def p95(self) -> float:
        return self.distribution.p95 if self.distribution else float(self.total_monthly_cost)

    @property
    def total_yearly_cost(self) -> Decimal:
        return self.total_monthly_cost * 12


@dataclass(slots=True)
class CompareResult:
    """Plans in the order given, and the cheapest one with no error finding (``None`` when none fits)."""

    plans: list[PlanSummary]
    cheapest_fitting: str | None  # the plan's name (the JSON contract), see cheapest_index for which one
    cheapest_index: int | None
    categories: list[str] = field(default_factory=list)  # categories with a cost in some plan, in CATEGORIES order
    ranked_by: str = "point"
    """``point`` (the monthly total; no plan has ranges) or ``p50`` (the median of the sampled monthly cost)."""
    probability_note: str | None = None
    """Why the cheapest probabilities are not from common draws (sample counts or seeds differ), when they are not."""

    @property
    def has_ranges(self) -> bool:
        return self.ranked_by == "p50"

    @property
    def cheapest(self) -> PlanSummary | None:
        return None if self.cheapest_index is None else self.plans[self.cheapest_index]

    @property
    def results(self) -> list[Result]:
        return [p.result for p in self.plans]


def _labels(results: Sequence[Result]) -> list[str]:
    """Plan names, made unique with the file (or a position) when two compared plans share a name."""
    names = [r.plan for r in results]
    out = []
    for i, r in enumerate(results):
        if names.count(r.plan) == 1:
            out.append(r.plan)
        elif r.file and [x.file for x in results if x.plan == r.plan].count(r.file) == 1:
            out.append(f"{r.plan} ({r.file})")
        else:
            out.append(f"{r.plan} #{i + 1}")
    return out


def _by_category(result: Result) -> dict[str, Decimal]:
    raw = result.cost_by_category()
    out = {c: raw.get(c, ZERO) for c in CATEGORIES}
    for extra in sorted(set(raw) - set(CATEGORIES)):  # a category the catalog adds later still shows
        out[extra] = raw[extra]
    return out


def compare(results: Sequence[Result]) -> CompareResult:
    """Summarise each plan and pick the cheapest that fits (by point total, or by p50 when some plan has ranges);
    ties go to the plan given first."""
    if not results:
        raise ValueError("compare needs at least one plan")
    plans = []
    for label, r in zip(_labels(results), results, strict=True):
        plans.append(
            PlanSummary(
                label=label,
                plan=r.plan,
                file=r.file,
                total_monthly_cost=r.total_monthly_cost,
                fits=r.fits,
                errors=r.errors,
                warnings=[f for f in r.findings if f.severity == "warning"],
                limit_findings=[f for f in r.findings if f.code in LIMIT_CODES],
                cost_by_category=_by_category(r),
                free_tier=list(r.free_tier),
                quotas=list(r.quotas),
                result=r,
            )
        )
    fitting = [i for i, p in enumerate(plans) if p.fits]
    ranged = any(r.cost_distribution is not None for r in results)
    note = None
    if ranged:
        from infrafit.decisions.ranges import cheapest_probabilities

        ranked = sorted(fitting, key=lambda i: (plans[i].p50, i))
        best = ranked[0] if ranked else None
        shares, note = cheapest_probabilities([plans[i].result for i in fitting])
        for i, share in zip(fitting, shares, strict=True):
            plans[i].cheapest_probability = share
        for n, i in enumerate(ranked, start=1):
            plans[i].rank = n
    else:
        best = min(fitting, key=lambda i: (plans[i].total_monthly_cost, i)) if fitting else None
    if best is not None:
        for p in plans:
            p.delta_vs_cheapest = p.total_monthly_cost - plans[best].total_monthly_cost
    order = category_order(c for p in plans for c, v in p.cost_by_category.items() if v != 0)
    cheapest = None if best is None else plans[best].plan
    return CompareResult(plans, cheapest, best, order, "p50" if ranged else "point", note)
