"""Attempt durations: the few shapes a plan can state from what it knows (a fixed time, a range, a typical
and a slow case, or a mean), each sampled in bulk with numpy so a replication draws its inputs up front.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

# Standard normal quantile at 0.95: turns a lognormal's (median, p95) into its sigma.
Z95 = 1.6448536269514722

DurationKind = Literal["fixed", "uniform", "lognormal", "exponential"]


@dataclass(frozen=True)
class Duration:
    """How long one attempt keeps a worker busy, in seconds.

    ``a`` is the value (fixed), the low end (uniform), the median (lognormal) or the mean (exponential);
    ``b`` is the high end (uniform) or the 95th percentile (lognormal), because "usually 4 min, 5 min when
    slow" is how people know their job times.
    """

    kind: DurationKind
    a: float
    b: float | None = None

    def __post_init__(self) -> None:
        a, b = self.a, self.b
        if not math.isfinite(a):
            raise ValueError(f"Duration {self.kind}: a must be a finite number of seconds, got {a!r}")
        if b is not None and not math.isfinite(b):
            raise ValueError(f"Duration {self.kind}: b must be a finite number of seconds, got {b!r}")
        if self.kind == "fixed":
            if a < 0 or b is not None:
                raise ValueError(f"Duration fixed takes one non-negative value a (got a={a}, b={b})")
        elif self.kind == "uniform":
            if b is None or a < 0 or b < a:
                raise ValueError(f"Duration uniform needs 0 <= a (low) <= b (high), got a={a}, b={b}")
        elif self.kind == "lognormal":
            if b is None or a <= 0 or b <= a:
                raise ValueError(f"Duration lognormal needs 0 < a (median) < b (p95), got a={a}, b={b}")
        elif self.kind == "exponential":
            if a <= 0 or b is not None:
                raise ValueError(f"Duration exponential takes one positive mean a (got a={a}, b={b})")
        else:
            raise ValueError(f"unknown Duration kind {self.kind!r}: use fixed, uniform, lognormal or exponential")

    @classmethod
    def fixed(cls, seconds: float) -> Duration:
        return cls("fixed", seconds)

    @classmethod
    def uniform(cls, low: float, high: float) -> Duration:
        return cls("uniform", low, high)

    @classmethod
    def lognormal(cls, median: float, p95: float) -> Duration:
        return cls("lognormal", median, p95)

    @classmethod
    def exponential(cls, mean: float) -> Duration:
        return cls("exponential", mean)

    @property
    def sigma(self) -> float:
        """Lognormal shape: ln(p95 / median) / z95 (0 for the other kinds)."""
        if self.kind != "lognormal" or self.b is None:
            return 0.0
        return math.log(self.b / self.a) / Z95

    def sample(self, rng: np.random.Generator, n: int) -> npt.NDArray[np.float64]:
        """``n`` independent durations; one vectorised call so a replication's draws cost microseconds."""
        if self.kind == "fixed":
            return np.full(n, float(self.a))
        if self.kind == "uniform":
            assert self.b is not None
            return rng.uniform(self.a, self.b, n)
        if self.kind == "lognormal":
            return rng.lognormal(math.log(self.a), self.sigma, n)
        return rng.exponential(self.a, n)

    def mean(self) -> float:
        """Expected duration; feeds the analytic bottleneck estimate and worker-seconds checks."""
        if self.kind == "fixed":
            return float(self.a)
        if self.kind == "uniform":
            assert self.b is not None
            return (self.a + self.b) / 2.0
        if self.kind == "lognormal":
            return self.a * math.exp(self.sigma**2 / 2.0)
        return float(self.a)

    def minimum(self) -> float:
        """Smallest possible duration: a true lower bound for the horizon pre-check."""
        return float(self.a) if self.kind in ("fixed", "uniform") else 0.0

    def describe(self) -> str:
        if self.kind == "fixed":
            return f"{self.a:g} s"
        if self.kind == "uniform":
            return f"{self.a:g}–{self.b:g} s"
        if self.kind == "lognormal":
            return f"median {self.a:g} s, p95 {self.b:g} s"
        return f"exponential, mean {self.a:g} s"
