"""Results with cost ranges built by hand: a toy queue priced from an in-memory catalog gives the point total,
and a :class:`CostDistribution` from a known array of per-sample totals gives the range (percentiles by numpy's
default linear interpolation, as the engine computes them)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from infrafit.catalog.lookup import Catalog
from infrafit.engine.evaluate import evaluate
from infrafit.engine.result import Finding, Result, Severity
from infrafit.engine.uncertainty.records import CostDistribution, SensitivityRow
from infrafit.plan.loader import load_plan
from tests.catalog.test_in_memory import toy_provider

PLAN = """
name: {name}
resources:
  jobs:
    service: toy.queue
    usage: {{operations: {operations}}}
"""


def distribution(
    totals: Sequence[float],
    *,
    seed: int = 0,
    budget: float | None = None,
    sensitivity: list[SensitivityRow] | None = None,
) -> CostDistribution:
    arr = np.asarray(totals, dtype=np.float64)
    p5, p50, p95 = (float(np.percentile(arr, q)) for q in (5, 50, 95))
    return CostDistribution(
        samples=len(arr),
        seed=seed,
        p5=p5,
        p50=p50,
        p95=p95,
        mean=float(arr.mean()),
        totals=arr,
        budget_exceeded_probability=None if budget is None else float((arr > budget).mean()),
        sensitivity=sensitivity or [],
    )


def toy_result(
    name: str, operations: str, totals: Sequence[float] | None = None, *, fits: bool = True, seed: int = 0
) -> Result:
    """The toy queue at ``operations`` a month: $0.50 per million beyond 2M free (12M/month: $5.00), with the
    range ``totals`` when given, and an error finding when it must not fit."""
    catalog = Catalog.from_data({"toy": toy_provider()})
    result = evaluate(load_plan(f"{name}.yaml", text=PLAN.format(name=name, operations=operations)), catalog)
    if totals is not None:
        result = replace(result, cost_distribution=distribution(totals, seed=seed))
    if not fits:
        result.findings.append(
            Finding(severity=Severity.ERROR, code="limit_exceeded", resource="jobs", message="too big")
        )
    return result
