"""Simulators of what a plan's workload does over time, beside the cost engine.

Pure library (numpy, and SimPy only when a reference engine is asked for), independent of the rest of
infrafit so the cost engine can feed it numbers and read back worker-seconds and API calls. One folder per
simulator (``batch/`` today); attempt durations and errors are shared.
"""

from infrafit.dynamics.batch import (
    DEFAULT_START,
    MAX_HORIZON_DAYS,
    BatchJob,
    BatchResult,
    Limiter,
    RunStats,
    replicate,
    simulate,
)
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
    "RunStats",
    "replicate",
    "simulate",
]
