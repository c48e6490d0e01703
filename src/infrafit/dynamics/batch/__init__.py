"""The batch-job simulator: makespan, throughput and the binding constraint of a rate-limited batch.

``job`` is the entry point (describe, simulate, summarise); ``core`` the compiled scenario both engines share;
``fast`` the heapq event loop and ``des`` its SimPy reference; ``limiters`` the clock-aligned rate windows.
Durations and errors live one level up, shared with the simulators to come.
"""

from infrafit.dynamics.batch.core import RunStats
from infrafit.dynamics.batch.job import (
    DEFAULT_START,
    MAX_HORIZON_DAYS,
    BatchJob,
    BatchResult,
    Method,
    bounds,
    day_resets,
    replicate,
    simulate,
)
from infrafit.dynamics.batch.limiters import Limiter
from infrafit.dynamics.distributions import Duration
from infrafit.dynamics.errors import HorizonExceeded, InfeasibleJob

__all__ = [
    "DEFAULT_START",
    "MAX_HORIZON_DAYS",
    "BatchJob",
    "BatchResult",
    "Duration",
    "HorizonExceeded",
    "InfeasibleJob",
    "Limiter",
    "Method",
    "RunStats",
    "bounds",
    "day_resets",
    "replicate",
    "simulate",
]
