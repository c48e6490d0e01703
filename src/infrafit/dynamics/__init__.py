"""Batch-job simulator: makespan, throughput and the binding constraint of a rate-limited batch.

Pure library (numpy, and SimPy only when the reference engine is asked for), independent of the rest of
infrafit so the cost engine can feed it numbers and read back worker-seconds and API calls.
"""

from infrafit.dynamics.batch import (
    DEFAULT_START,
    MAX_HORIZON_DAYS,
    BatchJob,
    BatchResult,
    Duration,
    HorizonExceeded,
    InfeasibleJob,
    Limiter,
    replicate,
    simulate,
)
from infrafit.dynamics.core import RunStats

__all__ = [
    "DEFAULT_START",
    "MAX_HORIZON_DAYS",
    "BatchJob",
    "BatchResult",
    "Duration",
    "HorizonExceeded",
    "InfeasibleJob",
    "Limiter",
    "RunStats",
    "replicate",
    "simulate",
]
