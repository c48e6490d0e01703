"""What a cost range is: the records a Monte Carlo evaluation of a plan produces, for reports and decisions.

Money is USD a month as float: these are statistics of samples, not prices to the cent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = ["CostDistribution", "SensitivityRow"]


@dataclass(frozen=True, kw_only=True)
class SensitivityRow:
    """One uncertain input swept across its range with every other input at its median."""

    input: str
    """Where the input is written in the plan, e.g. ``resources.api.usage.requests``."""
    low_text: str
    """The input's p5 as the plan would write it (``2.15M/month``)."""
    high_text: str
    """The input's p95 as the plan would write it."""
    cost_at_low: float
    """The plan's monthly cost with this input at its p5, USD."""
    cost_at_high: float
    """The plan's monthly cost with this input at its p95, USD."""

    @property
    def swing(self) -> float:
        """How far the cost moves across this input's range: the tornado chart's bar length."""
        return abs(self.cost_at_high - self.cost_at_low)


@dataclass(frozen=True, kw_only=True)
class CostDistribution:
    """The month's cost when usage is uncertain: ``samples`` joint draws of the plan's inputs, each priced in full."""

    samples: int
    seed: int
    p5: float
    p50: float
    p95: float
    mean: float
    totals: npt.NDArray[np.float64] = field(repr=False)
    """Each sample's monthly total, USD, in draw order (the same seed draws the same inputs in every plan)."""
    budget_exceeded_probability: float | None = None
    """Share of samples above the plan's ``budget``; None without a budget."""
    pool_inside_probability: dict[str, float] = field(default_factory=dict)
    """Per free pool drawn, the share of samples that stay inside its allowance."""
    finding_probability: dict[str, float] = field(default_factory=dict)
    """Per error finding code, the share of samples that raise it."""
    sensitivity: list[SensitivityRow] = field(default_factory=list)
    """Widest swing first."""

    def percentile(self, q: float) -> float:
        """The cost at percentile ``q`` (0-100) of the samples, USD a month."""
        import numpy as np

        return float(np.percentile(self.totals, q))
