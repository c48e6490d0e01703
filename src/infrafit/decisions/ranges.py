"""Decisions when usage is uncertain: which option is the cheapest, sample by sample, and a plan's cost at a
percentile. numpy is imported inside the functions, so comparing plans without ranges never loads it.

The same seed and sample count draw the same inputs in every plan (common random numbers), so comparing the
plans' per-sample totals side by side answers "how often is A cheaper than B" with far less noise than
independent draws would. When the counts or seeds differ, the comparison still holds but over independent draws,
and :func:`cheapest_probabilities` says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from infrafit.engine.result import Result

#: Two sampled totals this close (USD) are a tie: the same bill computed along two routes.
TIE = 1e-9
#: The seed of the resampling used when sample counts differ (fixed: the same inputs give the same answer).
RESAMPLE_SEED = 0


def cost_at(result: Result, percentile: float | None) -> Decimal:
    """The plan's monthly cost at ``percentile`` (0-100) of its sampled totals, or its point total when
    ``percentile`` is None or the plan has no uncertain input (a constant is its own every percentile)."""
    dist = result.cost_distribution
    if percentile is None or dist is None:
        return result.total_monthly_cost
    named = {5.0: dist.p5, 50.0: dist.p50, 95.0: dist.p95}  # the figures the reports show, to the cent
    value = named.get(float(percentile))
    if value is None:
        value = dist.percentile(percentile)
    return Decimal(repr(float(value)))


def _stacked(results: Sequence[Result]) -> tuple[npt.NDArray[np.float64], str | None]:
    """One row of per-sample monthly totals per plan (a plan without ranges: its point total in every column)."""
    import numpy as np

    dists = [r.cost_distribution for r in results]
    counts = sorted({len(d.totals) for d in dists if d is not None})
    seeds = sorted({d.seed for d in dists if d is not None})
    n = counts[-1] if counts else 1
    note = None
    rng = np.random.default_rng(RESAMPLE_SEED)
    rows = []
    for r, d in zip(results, dists, strict=True):
        if d is None:
            rows.append(np.full(n, float(r.total_monthly_cost)))
        elif len(d.totals) == n:
            rows.append(np.asarray(d.totals, dtype=np.float64))
        else:
            rows.append(rng.choice(np.asarray(d.totals, dtype=np.float64), size=n, replace=True))
    if len(counts) > 1:
        note = (
            "sample counts differ (" + ", ".join(f"{c:,}" for c in counts) + f"): each plan's totals were resampled "
            f"to {n:,} independent draws, so P(cheapest) does not come from common draws"
        )
    elif len(seeds) > 1:
        note = (
            "seeds differ (" + ", ".join(str(s) for s in seeds) + "): the plans' draws are independent, "
            "not common, so P(cheapest) is noisier"
        )
    return np.vstack(rows), note


def cheapest_probabilities(results: Sequence[Result]) -> tuple[list[float], str | None]:
    """For each plan, the share of samples in which it is the cheapest (a tie shares the sample equally), and
    a note when the draws were not common to all plans. One plan is the cheapest in every sample."""
    if not results:
        return [], None
    totals, note = _stacked(results)
    low = totals.min(axis=0)
    ties = totals <= low + TIE
    wins = ties / ties.sum(axis=0)
    return [float(x) for x in wins.mean(axis=1)], note
