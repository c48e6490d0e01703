"""Public entry point: describe a batch job, simulate it, get makespan, throughput and the bottleneck.

A batch (say 2,376 videos, 3-5 minutes each) runs on ``concurrency`` workers and calls rate-limited APIs
whose windows follow the provider's clock. Its makespan is not ``items * duration / workers`` once a
per-minute or per-day quota binds, and a daily quota that resets at midnight Los Angeles time makes the
answer depend on when the job starts. :func:`simulate` replays the job ``replications`` times with
independent random draws and summarises what costing needs: makespan percentiles, worker-seconds, calls
per limiter, and which constraint held the job back.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

import numpy as np

from infrafit.dynamics.batch.core import ARRIVALS, BACKOFF, CONCURRENCY, Draws, RunStats, Scenario
from infrafit.dynamics.batch.limiters import Gate, Limiter, Window, day_boundaries
from infrafit.dynamics.distributions import Duration
from infrafit.dynamics.errors import HorizonExceeded, InfeasibleJob
from infrafit.dynamics.limits import affordable_replications, check_start, check_work
from infrafit.units import duration_text

__all__ = [
    "DEFAULT_START",
    "MAX_HORIZON_DAYS",
    "BatchJob",
    "BatchResult",
    "Duration",
    "HorizonExceeded",
    "InfeasibleJob",
    "Limiter",
    "replicate",
    "simulate",
]

DEFAULT_START = datetime(2026, 1, 1, tzinfo=UTC)
MAX_HORIZON_DAYS = 366.0
TIMELINE_POINTS = 200
Method = Literal["auto", "fast", "des"]


@dataclass(frozen=True)
class BatchJob:
    """A batch of identical items: how many, how long each takes, how many run at once, what they call."""

    name: str
    items: int
    duration: Duration
    concurrency: int
    limiters: tuple[Limiter, ...] = ()
    failure_rate: float = 0.0
    max_retries: int = 0
    backoff_s: float = 0.0
    start: datetime | None = None
    arrival_rate: float | None = None

    def __post_init__(self) -> None:
        if isinstance(self.items, bool) or not isinstance(self.items, int) or self.items < 0:
            raise ValueError(f"job {self.name!r}: items must be a whole number >= 0, got {self.items!r}")
        if isinstance(self.concurrency, bool) or not isinstance(self.concurrency, int) or self.concurrency < 1:
            raise ValueError(f"job {self.name!r}: concurrency must be a whole number >= 1, got {self.concurrency!r}")
        if not 0.0 <= self.failure_rate <= 1.0:
            raise ValueError(f"job {self.name!r}: failure_rate is a probability in [0, 1], got {self.failure_rate}")
        if not isinstance(self.max_retries, int) or self.max_retries < 0:
            raise ValueError(f"job {self.name!r}: max_retries must be a whole number >= 0, got {self.max_retries!r}")
        if not math.isfinite(self.backoff_s) or self.backoff_s < 0:
            raise ValueError(f"job {self.name!r}: backoff_s must be >= 0 seconds, got {self.backoff_s}")
        if self.start is not None and (self.start.tzinfo is None or self.start.utcoffset() is None):
            raise ValueError(f"job {self.name!r}: start must be timezone-aware (windows follow the clock)")
        check_start(self.name, self.start)
        if self.arrival_rate is not None and not (math.isfinite(self.arrival_rate) and self.arrival_rate > 0):
            raise ValueError(f"job {self.name!r}: arrival_rate must be > 0 items per second, got {self.arrival_rate}")
        if not isinstance(self.limiters, tuple):
            object.__setattr__(self, "limiters", tuple(self.limiters))

    @property
    def start_at(self) -> datetime:
        return DEFAULT_START if self.start is None else self.start

    def attempts_per_item(self) -> float:
        """Expected attempts per item: 1 + p + ... + p^max_retries."""
        p, r = self.failure_rate, self.max_retries
        return float(r + 1) if p >= 1.0 else (1.0 - p ** (r + 1)) / (1.0 - p)


@dataclass
class BatchResult:
    """What a simulated batch tells a cost model. Means are over replications unless a field says p50 run."""

    name: str
    makespan_s_p50: float
    makespan_s_p95: float
    makespan_samples: list[float]
    items_per_hour: float
    bottleneck: str
    bottleneck_detail: str
    timeline: list[tuple[float, int]]
    attempts: float
    failed_items: float
    worker_seconds: float
    limiter_calls: dict[str, float]
    day_resets: int
    mean_wait_s: float
    method: str
    # Beyond the contract: the numbers behind ``bottleneck``, for reports that want to show them.
    blocked_s: dict[str, float] = field(default_factory=dict)  # mean head-of-queue wait by reason
    bounds_s: dict[str, float] = field(default_factory=dict)  # makespan if only that constraint existed
    band: list[tuple[float, int, int]] = field(default_factory=list)  # (hours, p5, p95 items done) over runs
    reset_s: list[float] = field(default_factory=list)  # daily quota resets before the slowest run ends, seconds


def _scenario(job: BatchJob, horizon_days: float) -> Scenario:
    horizon_s = horizon_days * 86400.0
    check_work(job.name, job.items * job.attempts_per_item())
    gate = Gate.compile(job.limiters, job.start_at, horizon_s)
    sc = Scenario(job.items, job.concurrency, job.max_retries, job.backoff_s, gate, horizon_s)
    _check_horizon(job, sc)
    return sc


def _windows_needed(attempts: float, w: Window) -> int:
    return max(1, math.ceil(attempts / w.capacity - 1e-9))


def _window_bound(attempts: float, w: Window, tail: float) -> float:
    """Makespan if only this window mattered: the k-th window opens at the (k-1)-th boundary, then one
    attempt runs. Counts whole windows, so a daily quota the job fits into costs nothing."""
    k = _windows_needed(attempts, w)
    return tail if k == 1 else w.boundary(k - 1) + tail


def _check_horizon(job: BatchJob, sc: Scenario) -> None:
    """Refuse up front a job whose certain lower bound already exceeds the horizon."""
    if job.items == 0:
        return
    dmin = job.duration.minimum()
    lows = {CONCURRENCY: math.ceil(job.items / job.concurrency) * dmin}
    for w in sc.gate.windows:
        lows[w.key] = _window_bound(job.items, w, dmin)
    key, low = max(lows.items(), key=lambda kv: kv[1])
    if low > sc.horizon_s:
        raise HorizonExceeded(
            f"job {job.name!r} needs at least {low / 86400:,.1f} days because of {key} "
            f"(horizon {sc.horizon_s / 86400:,.0f} days); split the batch or raise the limits"
        )


def bounds(job: BatchJob, sc: Scenario) -> dict[str, float]:
    """Expected makespan if each constraint acted alone: the analytic side of the bottleneck call."""
    mean = job.duration.mean()
    attempts = job.items * job.attempts_per_item()
    out = {CONCURRENCY: attempts * mean / job.concurrency}
    for w in sc.gate.windows:
        out[w.key] = _window_bound(attempts, w, mean)
    if job.arrival_rate is not None:
        out[ARRIVALS] = job.items / job.arrival_rate + mean
    if job.backoff_s > 0 and job.failure_rate > 0:
        per_item = job.attempts_per_item()  # one item's expected chain of attempts and backoffs
        out[BACKOFF] = per_item * mean + (per_item - 1) * job.backoff_s
    return out


def _draws(job: BatchJob, rng: np.random.Generator) -> Draws:
    expected = job.items * job.attempts_per_item()
    return Draws(rng, job.duration, job.failure_rate, job.items, job.arrival_rate, expected)


def replicate(
    job: BatchJob,
    replications: int = 20,
    seed: int = 0,
    method: Method = "auto",
    *,
    horizon_days: float = MAX_HORIZON_DAYS,
) -> list[RunStats]:
    """Per-replication records (what :func:`simulate` summarises). Replication ``i`` draws from child ``i``
    of ``SeedSequence(seed)``, so it is the same whatever the number of replications or the engine."""
    return _runs(job, _scenario(job, horizon_days), replications, seed, method)


def _runs(
    job: BatchJob,
    sc: Scenario,
    replications: int,
    seed: int,
    method: Method,
    lean: bool = False,
    on_run: Callable[[], None] | None = None,
) -> list[RunStats]:
    if replications < 1:
        raise ValueError(f"replications must be >= 1, got {replications}")
    if method not in ("auto", "fast", "des"):
        raise ValueError(f"method must be 'auto', 'fast' or 'des', got {method!r}")
    if method == "des":
        from infrafit.dynamics.batch.des import run
    else:
        from infrafit.dynamics.batch.fast import run
    out: list[RunStats] = []
    for child in np.random.SeedSequence(seed).spawn(replications):
        stats = run(sc, _draws(job, np.random.default_rng(child)))
        if lean:
            stats.waits = np.zeros(0)  # per-item waits are only for queueing studies; the mean is kept
        out.append(stats)
        if on_run is not None:
            on_run()
    return out


def simulate(
    job: BatchJob,
    replications: int = 20,
    seed: int = 0,
    method: Method = "auto",
    *,
    horizon_days: float = MAX_HORIZON_DAYS,
    on_run: Callable[[], None] | None = None,
) -> BatchResult:
    """Simulate ``job`` and summarise; ``auto`` uses the fast engine (``des`` is the SimPy reference).

    Raises :class:`InfeasibleJob` if a limiter's window cannot hold one attempt and :class:`HorizonExceeded`
    if the job cannot finish within ``horizon_days``. ``on_run`` is called after each replication (progress).
    """
    sc = _scenario(job, horizon_days)
    replications = affordable_replications(replications, job.items * job.attempts_per_item())
    runs = _runs(job, sc, replications, seed, method, lean=True, on_run=on_run)
    samples = [r.makespan for r in runs]
    order = sorted(range(len(runs)), key=lambda i: samples[i])
    mid = runs[order[(len(runs) - 1) // 2]]
    attempts = float(np.mean([r.attempts for r in runs]))
    blocked = {key: float(np.mean([r.blocked.get(key, 0.0) for r in runs])) for key in sc.reason_keys()}
    est = bounds(job, sc)
    name, detail = _bottleneck(job, sc, blocked, est, float(np.mean(samples)), len(runs))
    return BatchResult(
        name=job.name,
        makespan_s_p50=float(np.percentile(samples, 50)),
        makespan_s_p95=float(np.percentile(samples, 95)),
        makespan_samples=samples,
        items_per_hour=mid.completed / (mid.makespan / 3600.0) if mid.makespan > 0 else 0.0,
        bottleneck=name,
        bottleneck_detail=detail,
        timeline=_timeline(mid),
        attempts=attempts,
        failed_items=float(np.mean([r.failed for r in runs])),
        worker_seconds=float(np.mean([r.worker_seconds for r in runs])),
        limiter_calls={lim.name: attempts * lim.cost_per_item for lim in job.limiters},
        day_resets=day_resets(job, mid.makespan, horizon_days),
        mean_wait_s=float(np.mean([r.mean_wait for r in runs])),
        method="des" if method == "des" else "fast",
        blocked_s=blocked,
        bounds_s=est,
        band=_band(runs),
        reset_s=reset_times(job, max(samples), horizon_days),
    )


def _timeline(run: RunStats) -> list[tuple[float, int]]:
    """Completed items at up to 200 evenly spaced instants from the start to the makespan."""
    if run.makespan <= 0:
        return [(0.0, run.completed)]
    grid = np.linspace(0.0, run.makespan, TIMELINE_POINTS)
    counts = np.searchsorted(run.completion_times, grid, side="right")
    return [(float(t) / 3600.0, int(c)) for t, c in zip(grid, counts, strict=True)]


def _band(runs: list[RunStats]) -> list[tuple[float, int, int]]:
    """The 5th and 95th percentile of items completed, over the runs, at up to 200 instants to the slowest end."""
    end = max(r.makespan for r in runs)
    if end <= 0 or len(runs) < 2:
        return []
    grid = np.linspace(0.0, end, TIMELINE_POINTS)
    counts = np.array([np.searchsorted(r.completion_times, grid, side="right") for r in runs])
    low, high = np.percentile(counts, [5, 95], axis=0)
    return [(float(t) / 3600.0, int(lo), int(hi)) for t, lo, hi in zip(grid, low, high, strict=True)]


def reset_times(job: BatchJob, span: float, horizon_days: float = MAX_HORIZON_DAYS) -> list[float]:
    """Seconds from the start of every daily quota reset strictly inside (0, span), of every per-day limiter."""
    resets = {lim.daily_reset for lim in job.limiters if lim.per_day is not None and lim.cost_per_item > 0}
    span = min(span, horizon_days * 86400.0)
    return sorted({b for reset in resets for b in day_boundaries(job.start_at, reset, span) if b < span})


def day_resets(job: BatchJob, makespan: float, horizon_days: float = MAX_HORIZON_DAYS) -> int:
    """Quota-day boundaries strictly inside (0, makespan): of the per-day limiter that crosses the most, or
    UTC midnights when no limiter has a daily budget."""
    resets = {lim.daily_reset for lim in job.limiters if lim.per_day is not None and lim.cost_per_item > 0}
    best = 0
    for reset in resets or {None}:
        b = day_boundaries(job.start_at, reset, min(makespan, horizon_days * 86400.0))
        best = max(best, bisect_left(b, makespan))
    return best


def _why(key: str, job: BatchJob, sc: Scenario, est: dict[str, float]) -> str:
    """The arithmetic behind one constraint's stand-alone makespan."""
    attempts = job.items * job.attempts_per_item()
    if key == CONCURRENCY:
        return (
            f"{job.concurrency:,} worker{'s' if job.concurrency != 1 else ''} at {duration_text(job.duration.mean())} "
            "mean per attempt need "
            f"{duration_text(est[key])} for {attempts:,.0f} attempts"
        )
    if key == ARRIVALS:
        return f"{job.items:,} items arriving at {job.arrival_rate:g}/s take {duration_text(est[key])} on average"
    if key == BACKOFF:
        per_item = job.attempts_per_item()
        return (
            f"one item's chain of {per_item:.3g} attempts at {duration_text(job.duration.mean())} and {per_item - 1:.3g} "
            f"backoffs of {duration_text(job.backoff_s)} takes {duration_text(est[key])}"
        )
    w = next(w for w in sc.gate.windows if w.key == key)
    k = _windows_needed(attempts, w)
    return f"{w.describe()}, so {attempts:,.0f} attempts need {k:,} windows: at least {duration_text(est[key])}"


def _bottleneck(
    job: BatchJob, sc: Scenario, blocked: dict[str, float], est: dict[str, float], makespan: float, runs: int
) -> tuple[str, str]:
    """Name the binding constraint: the one whose stand-alone makespan (``est``) is longest.

    Only a constraint that would stretch the job beyond one attempt's mean duration binds; otherwise the
    answer is ``duration``. What the simulation saw (the reason the queue head waited longest for) is
    appended, because when limits interact the two can differ: a quota window left unused while every
    worker is busy is lost, which no single-constraint formula sees.
    """
    if job.items == 0:
        return "none", "There are no items, so nothing binds."
    mean = job.duration.mean()
    ranked = sorted(est.items(), key=lambda kv: -kv[1])  # stable: ties keep concurrency first
    name, top = ranked[0]
    if top <= mean * (1 + 1e-9):
        name = "duration"
        text = (
            f"duration binds: no limit delays a start on paper ({_why(CONCURRENCY, job, sc, est)}; "
            f"every rate window holds the whole job), so the items' own time ({job.duration.describe()}) sets it"
        )
    else:
        text = f"{name} binds: {_why(name, job, sc, est)}"
        runner = [(k, v) for k, v in ranked[1:] if v > mean * (1 + 1e-9)]
        if runner:
            text += f" (next: {_why(runner[0][0], job, sc, est)})"
        elif name != CONCURRENCY:
            text += f" (against {_why(CONCURRENCY, job, sc, est)})"
    waited = {k: v for k, v in blocked.items() if v > 0}
    avg = f" (means over {runs} runs)" if runs > 1 else ""
    if waited:
        seen, secs = max(waited.items(), key=lambda kv: kv[1])
        text += (
            f"; in the simulation the queue head waited longest for {seen}: {duration_text(secs)} "
            f"of a {duration_text(makespan)} makespan{avg}"
        )
    else:
        text += f"; in the simulation no start ever waited (makespan {duration_text(makespan)}{avg})"
    return name, text + "."
