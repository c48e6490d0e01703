"""What the `jobs:` section answers for one batch job (the JSON keys live in the report's JobsView)."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["JobReport", "LimiterUse"]


@dataclass(frozen=True, slots=True, kw_only=True)
class LimiterUse:
    """A rate limit a job's items pass through: cost per item and the windows that bind (calls per window)."""

    name: str
    per_item: float
    per_second: float | None = None
    per_minute: float | None = None
    per_hour: float | None = None
    per_day: float | None = None
    daily_reset: str | None = None

    def windows(self) -> dict[str, float]:
        """The windows that are set, in order from the shortest."""
        values = {
            "per_second": self.per_second,
            "per_minute": self.per_minute,
            "per_hour": self.per_hour,
            "per_day": self.per_day,
        }
        return {k: v for k, v in values.items() if v}


@dataclass(slots=True, kw_only=True)
class JobReport:
    """A batch job's answer: can it run, how long it takes (hours), what binds it, and the usage it implies."""

    name: str
    runs_on: str
    service: str
    items: int
    feasible: bool = True
    concurrency: int | None = None
    """Items processed at once."""
    concurrency_source: str = ""
    makespan_hours_p50: float | None = None
    makespan_hours_p95: float | None = None
    bottleneck: str = ""
    bottleneck_detail: str = ""
    items_per_hour: float | None = None
    attempts: float = 0.0
    """Attempts per batch run, retries included (mean over replications)."""
    failed_items: float = 0.0
    day_resets: int = 0
    limiters: list[LimiterUse] = field(default_factory=list)
    timeline: list[tuple[float, int]] = field(default_factory=list)
    """(hours since start, items completed) points of the median run."""
    timeline_band: list[tuple[float, int, int]] = field(default_factory=list)
    """(hours since start, 5th and 95th percentile of items completed by then) over the simulated runs."""
    reset_hours: list[float] = field(default_factory=list)
    """Hours since start of the daily quota resets within the slowest run (jobs with a per-day limit only)."""
    derived: dict[str, dict[str, float]] = field(default_factory=dict)
    """Derived line name -> usage key -> amount per month."""
    reasons: list[str] = field(default_factory=list)
    """Why the job cannot run, when it cannot."""
    method: str = ""
    replications: int = 0
    start: str | None = None
    deadline_hours: float | None = None
    """Hours the batch must finish within (held against the p95 makespan); null when the job sets none."""
    cpu_time_seconds: float | None = None
    """CPU seconds per item as the job gives them; null when not given (the wall time then stands in)."""
    assumptions: list[str] = field(default_factory=list)
    """What the report assumed for this job where the plan was silent (wall time used as CPU time)."""
