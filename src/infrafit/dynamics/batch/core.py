"""What both engines share: the compiled scenario, one replication's pre-drawn randomness and its record.

Drawing every random input before the run (arrival gaps, attempt durations, failure coin flips, consumed in
start order) is what lets the SimPy reference and the fast engine be compared on the *same* sample path:
given one seed they must produce the same numbers, not merely similar ones.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from infrafit.dynamics.batch.limiters import Gate
from infrafit.dynamics.distributions import Duration

# Head-of-queue wait reasons besides the rate windows (which are indices 1..len(windows)).
CONCURRENCY = "concurrency"
ARRIVALS = "arrivals"
BACKOFF = "backoff"


@dataclass(frozen=True)
class Scenario:
    """A job reduced to what an engine needs; built once per ``simulate`` call."""

    items: int
    concurrency: int
    max_retries: int
    backoff_s: float
    gate: Gate
    horizon_s: float

    def reason_keys(self) -> list[str]:
        """Names of the wait-reason slots both engines fill: concurrency, each window, arrivals, backoff."""
        return [CONCURRENCY, *(w.key for w in self.gate.windows), ARRIVALS, BACKOFF]


class Draws:
    """One replication's random inputs. Attempt ``k`` (the k-th attempt to start) gets ``durations[k]``
    and ``fails[k]``; the lists grow in fixed chunks so both engines see identical values."""

    def __init__(
        self,
        rng: np.random.Generator,
        duration: Duration,
        failure_rate: float,
        items: int,
        arrival_rate: float | None,
        expected_attempts: float,
    ) -> None:
        self._rng = rng
        self._duration = duration
        self._p = failure_rate
        self.gaps: list[float] | None = None
        if arrival_rate is not None and items > 0:
            self.gaps = rng.exponential(1.0 / arrival_rate, items).tolist()
        self.durations: list[float] = []
        self.fails: list[bool] = []
        first = max(64, math.ceil(expected_attempts * 1.02) + 16)
        self._chunk = max(64, first // 4)
        self._draw(first)

    def _draw(self, n: int) -> None:
        self.durations.extend(self._duration.sample(self._rng, n).tolist())
        if self._p > 0:
            self.fails.extend((self._rng.random(n) < self._p).tolist())
        else:
            self.fails.extend([False] * n)

    def extend(self) -> None:
        """Draw another chunk (more retries than expected); called with ``len(durations)`` attempts used."""
        self._draw(self._chunk)


@dataclass
class RunStats:
    """The record of one replication, as both engines report it."""

    makespan: float  # seconds from the start to the last attempt's end
    completed: int  # items that succeeded
    failed: int  # items given up after max_retries
    attempts: int
    worker_seconds: float  # busy time summed over every attempt
    completion_times: npt.NDArray[np.float64]  # end times of successful items, ascending
    waits: npt.NDArray[np.float64]  # per item (arrival order): first start - arrival
    blocked: dict[str, float] = field(default_factory=dict)  # head-of-queue wait by reason, seconds
    mean_wait: float = field(init=False)  # kept when ``waits`` is dropped to save memory

    def __post_init__(self) -> None:
        self.mean_wait = float(self.waits.mean()) if self.waits.size else 0.0
