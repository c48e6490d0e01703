"""What the ``availability:`` section reports for one primary/standby pair (figures per month unless named)."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["AvailabilityReport"]


@dataclass(kw_only=True)
class AvailabilityReport:
    """One entry's simulated months: standby hours, detection, unserved time, failovers, and the $0 chance."""

    name: str
    primary: str
    standby: str
    monitor: str
    store: str | None
    outages_from: str
    """Where the primary's outages come from, in words (the law and its parameters, or the log)."""
    months: int
    """Simulated months."""
    seed: int
    standby_hours_mean: float
    """Billed standby hours a month, averaged over the simulated months: set on the standby resource."""
    standby_hours_p50: float
    standby_hours_p95: float
    false_failover_hours: float
    """Part of the mean standby hours that false failovers cause."""
    detection_minutes_mean: float
    detection_minutes_p50: float
    detection_minutes_p95: float
    unserved_minutes_mean: float
    unserved_minutes_p50: float
    unserved_minutes_p95: float
    outages_per_month: float
    failovers_per_month: float
    """True failovers: outages that outlast their detection delay."""
    false_failovers_per_month: float
    """Simulated: standby starts while the primary is up (a heartbeat read before its write is visible)."""
    false_failovers_expected: float
    """Closed form (730·60/H)·min(1, max(0, H + J − T)/C) for a primary up all month."""
    heartbeat_writes: float
    heartbeat_reads: float
    checks: float
    free_tier_fit_probability: float | None
    """Share of simulated months whose bill (the whole plan) stays at $0; None when it cannot be priced."""
    zero_bill_hours: float | None
    """Standby hours up to which the whole plan's bill stays at $0 (None: not even at 0 hours)."""
    billed_minimum_seconds: float
    histogram: list[tuple[float, float, int]] = field(default_factory=list)
    """Standby hours per month: (from, to, months) bins."""
    derived: dict[str, dict[str, float]] = field(default_factory=dict)
    """Usage this entry adds or sets: line -> usage key -> amount per month."""
    assumptions: list[str] = field(default_factory=list)
