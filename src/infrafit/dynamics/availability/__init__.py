"""Failover with a standby: simulated months of a primary that goes down and a standby started by a heartbeat
monitor. Knows nothing of plans; times are seconds. See :mod:`infrafit.dynamics.availability.failover`."""

from infrafit.dynamics.availability.failover import (
    Durations,
    Failover,
    MonthStats,
    detection_mean,
    false_failover_probability,
    simulate_months,
)

__all__ = [
    "Durations",
    "Failover",
    "MonthStats",
    "detection_mean",
    "false_failover_probability",
    "simulate_months",
]
