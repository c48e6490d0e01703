"""Benchmark the batch simulator: wall time, items simulated per second and peak memory.

The job is the founding one scaled up: lognormal 3-5 minute items (median 240 s, p95 300 s) on 100
workers, 2% failures retried up to 3 times after 30 s, and three rate limits of different windows:
an LLM at 500 requests per minute, the YouTube Data API at 1,000,000 units per quota day (50 per item,
resetting at midnight Los Angeles time) and an embedding API at 5 requests per second.

Run: ``.venv/bin/python benchmarks/bench_jobs.py`` (``--quick`` skips the 20-replication DES rows).
Time is measured without tracemalloc (it slows Python several-fold); memory in a separate traced run.
"""

from __future__ import annotations

import argparse
import gc
import time
import tracemalloc
from collections.abc import Callable

from infrafit.dynamics import BatchJob, BatchResult, Duration, Limiter, simulate
from infrafit.dynamics.batch import Method

LIMITERS = (
    Limiter("llm", per_minute=500),
    Limiter("youtube", cost_per_item=50, per_day=1_000_000, daily_reset="00:00 America/Los_Angeles"),
    Limiter("embed", per_second=5),
)
TARGET_S = 2.0  # 100,000 items, three limits, stochastic durations, one replication


def job(items: int) -> BatchJob:
    return BatchJob(
        f"bench-{items}",
        items,
        Duration.lognormal(240, 300),
        100,
        LIMITERS,
        failure_rate=0.02,
        max_retries=3,
        backoff_s=30,
    )


def timed(fn: Callable[[], BatchResult]) -> tuple[float, BatchResult]:
    gc.collect()
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def peak_mb(fn: Callable[[], BatchResult]) -> float:
    gc.collect()
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="skip the 20-replication DES rows")
    args = ap.parse_args()

    rows: list[tuple[Method, int, int]] = []
    for items in (1_000, 10_000, 100_000):
        for reps in (1, 20):
            rows.append(("fast", items, reps))
    for items in (1_000, 10_000):
        for reps in (1,) if args.quick else (1, 20):
            rows.append(("des", items, reps))

    head = f"{'engine':<6} {'items':>8} {'reps':>4} {'time (s)':>9} {'items/s':>10} {'peak MB':>8}"
    head += f" {'p50 makespan':>13} {'attempts':>9}  bottleneck"
    print(head)
    print("-" * len(head))
    simulate(job(100), replications=1, method="des")  # warm-up: imports, zoneinfo, SimPy
    fast_100k_1 = 0.0
    for method, items, reps in rows:
        j = job(items)

        def run(j: BatchJob = j, reps: int = reps, method: Method = method) -> BatchResult:
            return simulate(j, replications=reps, seed=1, method=method)

        secs, res = timed(run)
        mem = peak_mb(run)
        if method == "fast" and items == 100_000 and reps == 1:
            fast_100k_1 = secs
        print(
            f"{method:<6} {items:>8,} {reps:>4} {secs:>9.3f} {items * reps / secs:>10,.0f} {mem:>8.1f}"
            f" {res.makespan_s_p50 / 3600:>11.1f} h {res.attempts:>9,.0f}  {res.bottleneck}"
        )
    verdict = "meets" if fast_100k_1 < TARGET_S else "MISSES"
    print(f"\nfast engine, 100,000 items, 1 replication: {fast_100k_1:.3f} s ({verdict} the {TARGET_S:.0f} s target)")


if __name__ == "__main__":
    main()
