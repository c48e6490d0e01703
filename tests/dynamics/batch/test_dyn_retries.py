"""Failures, retries and the derived totals a cost model reads (attempts, worker-seconds, API calls)."""

from __future__ import annotations

from typing import Literal

import pytest

from infrafit.dynamics import BatchJob, Duration, Limiter, simulate

Engine = Literal["fast", "des"]


@pytest.mark.parametrize("method", ["fast", "des"])
def test_unbounded_retries_geometric_attempts(method: Engine) -> None:
    # Each item needs a geometric number of attempts with success 1 - p: mean 1 / (1 - p).
    # 5,000 items at p = 0.2 -> 6,250 attempts (sd of one run's total = sqrt(5000 * 0.2 / 0.64) = 39.5).
    p, items = 0.2, 5000
    job = BatchJob(
        "r",
        items,
        Duration.uniform(180, 300),
        500,
        (Limiter("llm", cost_per_item=2),),
        failure_rate=p,
        max_retries=200,
        backoff_s=5,
    )
    r = simulate(job, replications=10 if method == "fast" else 4, seed=4, method=method)
    assert r.attempts == pytest.approx(items / (1 - p), rel=0.015)
    assert r.failed_items == 0
    # Every attempt holds a worker for its whole duration: mean (180 + 300) / 2 = 240 s each.
    assert r.worker_seconds == pytest.approx(r.attempts * 240, rel=0.01)
    assert r.limiter_calls["llm"] == pytest.approx(2 * r.attempts)


def test_bounded_retries_give_up() -> None:
    # p = 0.5, max_retries = 2: attempts per item 1 + 0.5 + 0.25 = 1.75; an item fails after 3 failures,
    # probability 0.5^3 = 0.125, so 4,000 items -> 7,000 attempts and 500 failed items.
    job = BatchJob("b", 4000, Duration.fixed(10), 200, failure_rate=0.5, max_retries=2)
    r = simulate(job, replications=10, seed=9)
    assert r.attempts == pytest.approx(4000 * 1.75, rel=0.02)
    assert r.failed_items == pytest.approx(4000 * 0.125, rel=0.06)
    assert r.worker_seconds == pytest.approx(r.attempts * 10)
    assert r.timeline[-1][1] == pytest.approx(4000 - r.failed_items, rel=0.1)  # only successes count


def test_retries_pay_the_limiter_again() -> None:
    # Every attempt fails and is retried once: 2 attempts per item, 100 items -> 200 calls at 15/min,
    # ceil(200 / 15) = 14 windows, so the last attempt starts at minute 13 (plus its 1 s).
    job = BatchJob(
        "again", 100, Duration.fixed(1), 1000, (Limiter("llm", per_minute=15),), failure_rate=1.0, max_retries=1
    )
    r = simulate(job, replications=1)
    assert r.attempts == 200 and r.failed_items == 100
    assert r.limiter_calls == {"llm": 200.0}
    assert r.makespan_s_p50 == 13 * 60 + 1


def test_backoff_delays_the_retry() -> None:
    # One item, always failing, 3 retries with 30 s backoff: 4 attempts of 10 s and 3 waits of 30 s = 130 s.
    job = BatchJob("bo", 1, Duration.fixed(10), 1, failure_rate=1.0, max_retries=3, backoff_s=30)
    r = simulate(job, replications=1)
    assert r.makespan_s_p50 == 4 * 10 + 3 * 30
    # The queue is empty from each failing attempt's start until its retry rejoins: 3 x (10 + 30) = 120 s,
    # booked to what refilled the queue.
    assert r.blocked_s["backoff"] == pytest.approx(120)
    # On paper too: one item's chain (4 x 10 s + 3 x 30 s = 130 s) outlasts 1 worker's 40 s of work.
    assert r.bottleneck == "backoff"
    assert r.bounds_s == {"concurrency": 40.0, "backoff": 130.0}


def test_retries_rejoin_the_back_of_the_queue() -> None:
    # 2 items, 1 worker, backoff 0, first attempt of each fails (p = 1, max_retries = 1): order is
    # A, B, A', B', all 5 s: 20 s; item A's first wait is 0 and B's 5 s.
    job = BatchJob("fifo", 2, Duration.fixed(5), 1, failure_rate=1.0, max_retries=1)
    r = simulate(job, replications=1)
    assert r.makespan_s_p50 == 20 and r.mean_wait_s == 2.5
