"""The fast engine and the SimPy reference must agree: exactly on one seed, statistically across seeds."""

from __future__ import annotations

import math
from datetime import UTC, datetime

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from infrafit.dynamics import BatchJob, Duration, Limiter, replicate, simulate

LA_MIDNIGHT = "00:00 America/Los_Angeles"

JOBS = [
    BatchJob("waves", 2376, Duration.fixed(240), 100),
    BatchJob("minute", 1000, Duration.fixed(1), 1000, (Limiter("llm", per_minute=15),)),
    BatchJob(
        "mixed",
        3000,
        Duration.lognormal(240, 300),
        100,
        (Limiter("llm", per_minute=60, per_day=2000, daily_reset=LA_MIDNIGHT), Limiter("yt", per_second=2)),
        failure_rate=0.1,
        max_retries=3,
        backoff_s=30,
        start=datetime(2026, 3, 7, 20, tzinfo=UTC),
    ),
    BatchJob("mmc", 2000, Duration.exponential(4), 4, arrival_rate=0.8),
    BatchJob("retry-now", 2000, Duration.fixed(10), 7, (Limiter("a", per_minute=50),), failure_rate=0.3, max_retries=5),
    BatchJob(
        "retry-later",
        1500,
        Duration.uniform(5, 15),
        7,
        (Limiter("a", per_second=1, per_hour=3000),),
        failure_rate=0.3,
        max_retries=5,
        backoff_s=10,
        arrival_rate=2,
    ),
]


def test_same_seed_same_sample_path() -> None:
    # Both engines consume the same pre-drawn durations, coins and gaps in start order, so on one seed they
    # must make the same decisions: equal makespans, counts, waits and wait attribution, stochastic or not.
    for job in JOBS:
        fast = replicate(job, replications=3, seed=7, method="fast")
        des = replicate(job, replications=3, seed=7, method="des")
        for f, d in zip(fast, des, strict=True):
            assert f.makespan == d.makespan, job.name
            assert (f.completed, f.failed, f.attempts) == (d.completed, d.failed, d.attempts), job.name
            assert np.array_equal(f.completion_times, d.completion_times), job.name
            assert math.isclose(f.worker_seconds, d.worker_seconds, rel_tol=1e-12), job.name
            assert np.array_equal(f.waits, d.waits), job.name
            for key, secs in f.blocked.items():
                assert math.isclose(secs, d.blocked[key], rel_tol=1e-9, abs_tol=1e-6), (job.name, key)


def test_same_seed_same_result() -> None:
    job = JOBS[2]
    f, d = simulate(job, replications=4, seed=1, method="fast"), simulate(job, replications=4, seed=1, method="des")
    assert f.makespan_samples == d.makespan_samples
    assert (f.bottleneck, f.bottleneck_detail, f.timeline) == (d.bottleneck, d.bottleneck_detail, d.timeline)
    assert (f.method, d.method) == ("fast", "des")
    assert simulate(job, replications=4, seed=1).method == "fast"  # auto picks fast


def test_statistical_agreement_on_independent_seeds() -> None:
    # Different seeds, so agreement can only be statistical: mean makespans within 4 standard errors.
    job = BatchJob(
        "stoch",
        400,
        Duration.lognormal(60, 120),
        10,
        (Limiter("llm", per_minute=40),),
        failure_rate=0.15,
        max_retries=4,
        backoff_s=5,
    )
    fast = simulate(job, replications=30, seed=100, method="fast")
    des = simulate(job, replications=30, seed=200, method="des")
    a, b = np.array(fast.makespan_samples), np.array(des.makespan_samples)
    se = math.sqrt(a.var(ddof=1) / a.size + b.var(ddof=1) / b.size)
    assert abs(a.mean() - b.mean()) < 4 * se + 1e-9
    assert abs(fast.attempts - des.attempts) < 0.05 * fast.attempts


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    items=st.integers(1, 120),
    concurrency=st.integers(1, 30),
    duration=st.sampled_from([0.5, 1.0, 7.0, 60.0, 240.0]),
    per_second=st.one_of(st.none(), st.integers(1, 5)),
    per_minute=st.one_of(st.none(), st.integers(5, 60)),
    per_day=st.one_of(st.none(), st.integers(60, 200)),
    start_minute=st.integers(0, 24 * 60 - 1),
    p=st.sampled_from([0.0, 0.2]),
)
def test_engines_agree_on_random_jobs(
    items: int,
    concurrency: int,
    duration: float,
    per_second: int | None,
    per_minute: int | None,
    per_day: int | None,
    start_minute: int,
    p: float,
) -> None:
    lim = Limiter("api", per_second=per_second, per_minute=per_minute, per_day=per_day, daily_reset=LA_MIDNIGHT)
    start = datetime(2026, 11, 1, tzinfo=UTC).replace(hour=start_minute // 60, minute=start_minute % 60)
    job = BatchJob(
        "h", items, Duration.fixed(duration), concurrency, (lim,), failure_rate=p, max_retries=2, start=start
    )
    f = replicate(job, replications=1, seed=3, method="fast")[0]
    d = replicate(job, replications=1, seed=3, method="des")[0]
    assert (f.makespan, f.attempts, f.failed) == (d.makespan, d.attempts, d.failed)
    assert np.array_equal(f.waits, d.waits)
