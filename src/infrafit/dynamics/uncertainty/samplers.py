"""Four shapes people state a guess in: a range (uniform), a typical and a bad case (lognormal by median and p95),
a low/likely/high (triangular) and a few weighted scenarios (choice).

Each gives its quantiles in closed form and draws by inverse transform from uniform numbers, so a draw is a pure
function of the random stream: the same seed gives the same values in every plan that states the same input.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist
from typing import Protocol

import numpy as np
import numpy.typing as npt

__all__ = ["Choice", "Distribution", "LogNormal", "Triangular", "Uniform"]

Z95 = 1.6448536269514722
"""Standard normal quantile at 0.95: turns a lognormal's (median, p95) into its sigma."""

Floats = npt.NDArray[np.float64]


class Distribution(Protocol):
    """One uncertain number: its quantile function and a bulk sampler."""

    def quantile(self, q: float) -> float: ...

    def sample(self, rng: np.random.Generator, n: int) -> Floats: ...

    @property
    def low(self) -> float:
        """The smallest value it can take (for a lognormal: its 0.1st percentile)."""
        ...

    @property
    def high(self) -> float:
        """The largest value it can take (for a lognormal: its 99.9th percentile)."""
        ...


@dataclass(frozen=True, kw_only=True)
class Uniform:
    """Every value between ``a`` and ``b`` equally likely: what ``2M-5M/month`` says."""

    a: float
    b: float

    def __post_init__(self) -> None:
        if not (math.isfinite(self.a) and math.isfinite(self.b)) or self.a > self.b:
            raise ValueError(f"uniform needs low <= high, got {self.a} and {self.b}")

    def quantile(self, q: float) -> float:
        return self.a + (self.b - self.a) * q

    def sample(self, rng: np.random.Generator, n: int) -> Floats:
        return self.a + (self.b - self.a) * rng.random(n)

    @property
    def low(self) -> float:
        return self.a

    @property
    def high(self) -> float:
        return self.b


@dataclass(frozen=True, kw_only=True)
class LogNormal:
    """Usually about ``median``, one time in twenty above ``p95``; never negative, with a long right tail."""

    median: float
    p95: float

    def __post_init__(self) -> None:
        if not (0 < self.median <= self.p95 and math.isfinite(self.p95)):
            raise ValueError(f"lognormal needs 0 < median <= p95, got {self.median} and {self.p95}")

    @property
    def sigma(self) -> float:
        return math.log(self.p95 / self.median) / Z95

    def quantile(self, q: float) -> float:
        if self.sigma == 0:
            return self.median
        return self.median * math.exp(self.sigma * NormalDist().inv_cdf(min(max(q, 1e-12), 1 - 1e-12)))

    def sample(self, rng: np.random.Generator, n: int) -> Floats:
        return self.median * np.exp(self.sigma * rng.standard_normal(n))

    @property
    def low(self) -> float:
        return self.quantile(0.001)

    @property
    def high(self) -> float:
        return self.quantile(0.999)


@dataclass(frozen=True, kw_only=True)
class Triangular:
    """Between ``a`` and ``c``, most likely ``mode``: a low / likely / high guess."""

    a: float
    mode: float
    c: float

    def __post_init__(self) -> None:
        if not self.a <= self.mode <= self.c:
            raise ValueError(f"triangular needs low <= mode <= high, got {self.a}, {self.mode}, {self.c}")

    def quantile(self, q: float) -> float:
        a, m, c = self.a, self.mode, self.c
        if c == a:
            return a
        cut = (m - a) / (c - a)
        if q < cut:
            return a + math.sqrt(q * (c - a) * (m - a))
        return c - math.sqrt((1 - q) * (c - a) * (c - m))

    def sample(self, rng: np.random.Generator, n: int) -> Floats:
        a, m, c = self.a, self.mode, self.c
        if c == a:
            return np.full(n, a)
        u = rng.random(n)
        cut = (m - a) / (c - a)
        left = a + np.sqrt(u * (c - a) * (m - a))
        right = c - np.sqrt((1 - u) * (c - a) * (c - m))
        return np.where(u < cut, left, right)

    @property
    def low(self) -> float:
        return self.a

    @property
    def high(self) -> float:
        return self.c


@dataclass(frozen=True, kw_only=True)
class Choice:
    """A few scenarios with weights (summing to 1): "1M a month, or 5M if the launch goes well"."""

    values: tuple[float, ...]
    weights: tuple[float, ...]

    def __post_init__(self) -> None:
        if not self.values or len(self.values) != len(self.weights):
            raise ValueError("choice needs one weight per value")
        if abs(sum(self.weights) - 1) > 1e-9 or min(self.weights) < 0:
            raise ValueError(f"choice weights sum to {sum(self.weights):.6g}, not 1")

    def quantile(self, q: float) -> float:
        order = sorted(zip(self.values, self.weights, strict=True))
        cumulative = 0.0
        for value, weight in order:
            cumulative += weight
            if cumulative >= q - 1e-12:
                return value
        return order[-1][0]

    def sample(self, rng: np.random.Generator, n: int) -> Floats:
        order = sorted(zip(self.values, self.weights, strict=True))
        values = np.array([v for v, _ in order])
        edges = np.cumsum([w for _, w in order])
        index = np.searchsorted(edges, rng.random(n), side="right")
        return values[np.minimum(index, len(values) - 1)]

    @property
    def low(self) -> float:
        return min(self.values)

    @property
    def high(self) -> float:
        return max(self.values)
